// Exporting a Compare study (StudyExporter, the Harmonize panel's Export...)
// and harmonizing DICOM studies: what is written is read back and compared
// with what Compare showed; Study B is written moved by its offset; the
// sources are never touched; a study replaced from outside is a new study
// for harmonization.
//
// Tolerances: a NIfTI file holds float32 values, so they come back exactly.
// A derived DICOM series stores 16-bit integers with one rescale, so values
// come back within the encoding's quantum (half a stored step, as reported
// by the writer) plus the float32 rounding of the loader's slope * stored +
// intercept (3 float epsilons of the largest magnitude). Positions pass
// through DICOM decimal strings and NIfTI's float32 qform: 1e-3 mm.

#include <gtest/gtest.h>

// Synthetic DICOM slices (GDCM).
#include "dicom/DicomTestSupport.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QTemporaryDir>
#include <cfloat>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "TestSupport.h"
#include "UiTestSupport.h"
#include "core/dicom/DicomScanner.h"
#include "core/dicom/SeriesLoader.h"
#include "core/image/MetaDataKeys.h"
#include "core/io/ImageIO.h"
#include "core/stats/Summary.h"
#include "ui/MainWindow.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompareSession.h"
#include "ui/model/Document.h"
#include "ui/model/HarmonizeController.h"
#include "ui/model/StudyExporter.h"
#include "ui/model/VolumeLibrary.h"
#include "ui/model/VolumeLoading.h"
#include "ui/workspaces/compare/CompareWorkspace.h"
#include "ui/workspaces/compare/HarmonizePanel.h"

using namespace harmonia;
namespace fs = std::filesystem;

namespace {

constexpr double kPositionTolerance_mm = 1e-3;

// Every file under `folder` (recursively) and its bytes.
std::map<fs::path, std::string> snapshot(const fs::path& folder) {
  std::map<fs::path, std::string> files;
  for (const auto& f : fs::recursive_directory_iterator(folder)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    files[f.path()] = std::string(std::istreambuf_iterator<char>(in), {});
  }
  return files;
}

double maxDifference(const Volume& a, const Volume& b) {
  double d = 0.0;
  for (std::size_t i = 0; i < a.voxelCount(); ++i) {
    d = std::max(d, std::abs(static_cast<double>(a.data()[i]) - b.data()[i]));
  }
  return d;
}

double maxAbs(const Volume& v) {
  double m = 0.0;
  for (const float x : v.voxels()) m = std::max(m, std::abs(static_cast<double>(x)));
  return m;
}

// The bound a derived DICOM series keeps `written` within (see the file comment).
double dicomBound(const DerivedSeriesReport& report, const Volume& written) {
  return report.encoding.quantum() + 3.0 * FLT_EPSILON * (maxAbs(written) + 1.0);
}

// A textured volume (a ramp plus a checker of +-50) with a recorded resolution.
std::shared_ptr<Volume> textured(const Eigen::Vector3d& origin, const char* fwhm) {
  Geometry3D g;
  g.size = {24, 20, 12};
  g.spacing_mm = {1.0, 1.0, 2.0};
  g.origin_mm = origin;
  auto v = std::make_shared<Volume>(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i)
        v->at(i, j, k) = static_cast<float>(10 * i + 3 * j + k + ((i + j + k) % 2 ? 50 : -50));
  v->setUnits("HU");
  v->metadata()[metakey::kPsfFwhm_mm] = fwhm;
  return v;
}

VolumeEntry generatedEntry(const QString& name, std::shared_ptr<const Volume> volume) {
  VolumeEntry e;
  e.kind = VolumeEntry::Kind::Generated;
  e.name = name;
  e.source = name;
  e.volume = std::move(volume);
  return e;
}

// A CT series of `slices` synthetic 8 x 10 slices in `folder`, slice k filled with 100 + 10 k.
void writeSyntheticCt(const fs::path& folder, int slices) {
  fs::create_directories(folder);
  for (int k = 0; k < slices; ++k) {
    test::SyntheticSlice s;
    s.instance_number = k + 1;
    s.position = {-10.0, 20.0, 5.0 + 2.5 * k};
    s.fill = static_cast<std::int16_t>(100 + 10 * k);
    s.extra = {{gdcm::Tag(0x0020, 0x0052), "1.2.826.0.1.3680043.2.1143.3"},
               {gdcm::Tag(0x0018, 0x0050), "2.5"}};
    test::writeSyntheticSlice(s, folder / ("slice" + std::to_string(k) + ".dcm"));
  }
}

// A model-only Compare session (no widgets): what the Harmonize panel drives.
struct Models {
  JobRunner runner;
  VolumeLibrary library;
  CompareSession session{&runner};
  HarmonizeController controller{&session, &runner};
  QString exported;
  QString failure;

  Models() {
    session.setLibrary(&library);
    QObject::connect(controller.exporter(), &StudyExporter::exported,
                     [this](const QString& m) { exported = m; });
    QObject::connect(controller.exporter(), &StudyExporter::failed,
                     [this](const QString& m) { failure = m; });
  }
  ~Models() { runner.cancelAll(); }
  void settle() {
    ASSERT_TRUE(runner.waitForAll(60000));
    QApplication::processEvents();
    ASSERT_TRUE(runner.waitForAll(60000));
  }
  void exportStudy(int study, StudyExporter::Format format, const QString& path) {
    exported.clear();
    failure.clear();
    controller.exporter()->exportStudy(study, format, path);
    settle();
  }
};

using test::qpath;

}  // namespace

TEST(CompareExport, StudyReplacedFromOutsideIsANewStudyForHarmonization) {
  Models m;
  const auto a = m.library.add(generatedEntry("A", textured({0, 0, 0}, "1,1,1")));
  const auto b = m.library.add(generatedEntry("B", textured({0, 0, 0}, "3,3,3")));
  m.session.study(0)->setEntry(a);
  m.session.study(1)->setEntry(b);
  HarmonizeRequest r;
  r.study = 0;
  r.kernel.from_fwhm_mm = {1, 1, 1};
  r.kernel.to_fwhm_mm = {3, 3, 3};
  m.controller.run(r);
  m.settle();
  const auto firstResult = m.session.study(0)->entry();
  ASSERT_EQ(firstResult->derived_from, a->id);
  ASSERT_TRUE(m.controller.canRevert(0));
  ASSERT_TRUE(m.controller.after());

  // The library replacing the result (ROIs drawn on it) keeps it ours: Revert stays.
  m.library.setRois(firstResult->id, {});
  EXPECT_NE(m.session.study(0)->entry(), firstResult);
  EXPECT_TRUE(m.controller.canRevert(0));

  // Another study opened into A: nothing to revert to, and its own resolution counts.
  const auto c = m.library.add(generatedEntry("C", textured({5, 0, 0}, "2,2,2")));
  m.session.study(0)->setEntry(c);
  EXPECT_FALSE(m.controller.canRevert(0));
  EXPECT_FALSE(m.controller.after());
  ASSERT_TRUE(m.controller.recordedFwhm(0));
  EXPECT_EQ(*m.controller.recordedFwhm(0), Eigen::Vector3d(2, 2, 2));

  // The next run starts from C, not from A.
  r.kernel.from_fwhm_mm = {2, 2, 2};
  m.controller.run(r);
  m.settle();
  const auto secondResult = m.session.study(0)->entry();
  EXPECT_EQ(secondResult->derived_from, c->id);
  EXPECT_TRUE(secondResult->volume->geometry().sameGrid(c->volume->geometry()));
  m.controller.revert(0);
  EXPECT_EQ(m.session.study(0)->entry(), c);
}

TEST(CompareExport, HarmonizedEntryIsDescribedForADicomSeriesDescription) {
  HarmonizeRequest r;
  r.study = 0;
  r.kernel.to_fwhm_mm = {3.6, 3.6, 5.0};
  EXPECT_EQ(HarmonizeController::describe(r), "Kernel-matched to 3.6 x 3.6 x 5 mm FWHM");
  r.kernel.to_fwhm_mm = {6, 6, 6};
  EXPECT_EQ(HarmonizeController::describe(r), "Kernel-matched to 6 mm FWHM");
  r.operation = HarmonizeRequest::Operation::Resample;
  r.like_reference = true;
  EXPECT_EQ(HarmonizeController::describe(r), "Resampled to Study B's grid (linear)");

  VolumeEntry e;
  e.name = QStringLiteral("STS_001 CT #2, kernel-matched");
  e.derivation = QStringLiteral("Kernel-matched to 3.6 x 3.6 x 5 mm FWHM");
  ExportDescription d = StudyExporter::describe(e, Eigen::Vector3d::Zero());
  EXPECT_EQ(d.series_description, "Kernel-matched to 3.6 x 3.6 x 5 mm FWHM (Harmonia)");
  EXPECT_EQ(d.derivation_description, "Kernel-matched to 3.6 x 3.6 x 5 mm FWHM");

  // Moved by B's offset: said in both; the Series Description still fits 64 characters.
  d = StudyExporter::describe(e, Eigen::Vector3d(12.5, -3, 40));
  EXPECT_LE(d.series_description.toUtf8().size(), 64);
  EXPECT_TRUE(d.series_description.endsWith(QStringLiteral(", moved 12.5, -3, 40 mm (Harmonia)")))
      << d.series_description.toStdString();
  EXPECT_TRUE(d.series_description.startsWith(QStringLiteral("Kernel-matched")));
  EXPECT_TRUE(d.derivation_description.startsWith(e.derivation));
  EXPECT_TRUE(d.derivation_description.contains(QStringLiteral("moved by (12.5, -3, 40) mm")))
      << d.derivation_description.toStdString();

  // An entry without a derivation is named; a long one is cut, not the suffix.
  e.derivation.clear();
  EXPECT_EQ(StudyExporter::describe(e, Eigen::Vector3d::Zero()).series_description,
            "Exported from STS_001 CT #2, kernel-matched (Harmonia)");
  e.derivation = QString(100, QLatin1Char('x'));
  d = StudyExporter::describe(e, Eigen::Vector3d::Zero());
  EXPECT_EQ(d.series_description.size(), 64);
  EXPECT_TRUE(d.series_description.endsWith(QStringLiteral("x... (Harmonia)")));
  EXPECT_EQ(d.derivation_description, e.derivation);
}

TEST(CompareExport, StudyBIsWrittenAsNiftiMovedByItsOffset) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  Models m;
  const auto a = m.library.add(generatedEntry("A", textured({0, 0, 0}, "1,1,1")));
  const auto b = m.library.add(generatedEntry("B", textured({-7, 4, 10}, "3,3,3")));
  m.session.study(0)->setEntry(a);
  m.session.study(1)->setEntry(b);
  const Eigen::Vector3d offset(12.5, -3.0, 40.0);
  m.session.setOffset(offset);

  const fs::path root = dir.path().toStdString();
  // A name without a NIfTI extension gets .nii.gz.
  m.exportStudy(1, StudyExporter::Format::Nifti, qpath(root / "b"));
  ASSERT_TRUE(m.failure.isEmpty()) << m.failure.toStdString();
  EXPECT_TRUE(m.exported.contains(QStringLiteral("offset"))) << m.exported.toStdString();
  EXPECT_EQ(m.controller.exporter()->lastPath(), qpath(root / "b.nii.gz"));
  EXPECT_FALSE(m.controller.exporter()->lastSeriesReport());
  const Volume backB = readVolume(root / "b.nii.gz");
  const Geometry3D& gb = b->volume->geometry();
  EXPECT_EQ(backB.geometry().size, gb.size);
  EXPECT_LT((backB.geometry().origin_mm - (gb.origin_mm + offset)).norm(), kPositionTolerance_mm);
  EXPECT_LT((backB.geometry().spacing_mm - gb.spacing_mm).norm(), kPositionTolerance_mm);
  EXPECT_EQ(maxDifference(backB, *b->volume), 0.0);

  // A is not moved.
  m.exportStudy(0, StudyExporter::Format::Nifti, qpath(root / "a.nii"));
  ASSERT_TRUE(m.failure.isEmpty()) << m.failure.toStdString();
  const Volume backA = readVolume(root / "a.nii");
  EXPECT_TRUE(backA.geometry().sameGrid(a->volume->geometry(), kPositionTolerance_mm));
  EXPECT_EQ(maxDifference(backA, *a->volume), 0.0);

  // Neither has DICOM source files: no DICOM export, and a clear refusal.
  EXPECT_TRUE(m.controller.exporter()->canExport(1, StudyExporter::Format::Nifti));
  EXPECT_FALSE(m.controller.exporter()->canExport(1, StudyExporter::Format::DicomSeries));
  m.exportStudy(1, StudyExporter::Format::DicomSeries, qpath(root / "series"));
  EXPECT_TRUE(m.failure.contains(QStringLiteral("export it as NIfTI"))) << m.failure.toStdString();
  EXPECT_FALSE(fs::exists(root / "series"));
}

TEST(CompareExport, NiftiExportNeverReplacesTheFileTheStudyWasReadFrom) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const fs::path input = fs::path(dir.path().toStdString()) / "input.nii.gz";
  writeVolume(*textured({0, 0, 0}, "1,1,1"), input);
  Models m;
  m.session.study(0)->setEntry(m.library.add(loadVolumeEntry(qpath(input))));
  // Harmonized: the result keeps its source, and is still not written over it.
  HarmonizeRequest r;
  r.kernel.from_fwhm_mm = {1, 1, 1};
  r.kernel.to_fwhm_mm = {4, 4, 4};
  m.controller.run(r);
  m.settle();
  ASSERT_EQ(m.session.study(0)->entry()->kind, VolumeEntry::Kind::Derived);
  const auto before = snapshot(input.parent_path());
  m.exportStudy(0, StudyExporter::Format::Nifti, qpath(input));
  EXPECT_TRUE(m.failure.contains(QStringLiteral("never overwritten"))) << m.failure.toStdString();
  EXPECT_EQ(snapshot(input.parent_path()), before);
  // Beside it is fine.
  m.exportStudy(0, StudyExporter::Format::Nifti, qpath(input.parent_path() / "blurred.nii.gz"));
  EXPECT_TRUE(m.failure.isEmpty()) << m.failure.toStdString();
  EXPECT_EQ(maxDifference(readVolume(input.parent_path() / "blurred.nii.gz"),
                          *m.session.study(0)->volume()),
            0.0);
}

TEST(CompareExport, DicomStudyBIsWrittenAsADerivedSeriesMovedByItsOffset) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const fs::path root = dir.path().toStdString();
  const fs::path source = root / "source";
  writeSyntheticCt(source, 4);
  const auto sourceBytes = snapshot(source);
  Models m;
  m.session.study(0)->setEntry(m.library.add(generatedEntry("A", textured({0, 0, 0}, "1,1,1"))));
  const auto b = m.library.add(loadVolumeEntry(qpath(source)));
  ASSERT_EQ(b->source_files.size(), 4);
  m.session.study(1)->setEntry(b);
  const Eigen::Vector3d offset(10.0, 0.0, -5.0);
  m.session.setOffset(offset);
  ASSERT_TRUE(m.controller.exporter()->canExport(1, StudyExporter::Format::DicomSeries));

  // Into the source folder, or a folder inside it: refused with the writer's reason.
  m.exportStudy(1, StudyExporter::Format::DicomSeries, qpath(source));
  EXPECT_TRUE(m.failure.contains(QStringLiteral("source series' folder")))
      << m.failure.toStdString();
  m.exportStudy(1, StudyExporter::Format::DicomSeries, qpath(source / "derived"));
  EXPECT_TRUE(m.failure.contains(QStringLiteral("source series' folder")))
      << m.failure.toStdString();
  m.exportStudy(1, StudyExporter::Format::Nifti, qpath(source / "b.nii.gz"));
  EXPECT_TRUE(m.failure.contains(QStringLiteral("source series' folder")))
      << m.failure.toStdString();
  EXPECT_EQ(snapshot(source), sourceBytes);

  const fs::path out = root / "derived";
  m.exportStudy(1, StudyExporter::Format::DicomSeries, qpath(out));
  ASSERT_TRUE(m.failure.isEmpty()) << m.failure.toStdString();
  EXPECT_TRUE(m.exported.contains(qpath(out))) << m.exported.toStdString();
  ASSERT_TRUE(m.controller.exporter()->lastSeriesReport());
  const DerivedSeriesReport& report = *m.controller.exporter()->lastSeriesReport();
  EXPECT_EQ(report.files.size(), 4u);
  EXPECT_EQ(snapshot(source), sourceBytes);

  const LoadedSeries back = loadDicomFolder(out);
  const Geometry3D& g = b->volume->geometry();
  EXPECT_EQ(back.volume.geometry().size, g.size);
  EXPECT_LT((back.volume.geometry().origin_mm - (g.origin_mm + offset)).norm(),
            kPositionTolerance_mm);
  EXPECT_LT((back.volume.geometry().spacing_mm - g.spacing_mm).norm(), kPositionTolerance_mm);
  EXPECT_EQ(back.volume.units(), "HU");
  // Integer values that fit 16 bits are stored exactly.
  EXPECT_EQ(maxDifference(back.volume, *b->volume), 0.0);
  const DicomScan scan = scanDicomFolder(out);
  ASSERT_EQ(scan.series.size(), 1u);
  EXPECT_NE(QString::fromStdString(scan.series[0].series_uid), b->series_uid);
  EXPECT_TRUE(QString::fromStdString(scan.series[0].description)
                  .contains(QStringLiteral("moved 10, 0, -5 mm")))
      << scan.series[0].description;
}

// What a person does in Compare with two real CTs: kernel-match A, export it
// both ways, and compare the CT against its own kernel-matched export.
TEST(CompareExport, KernelMatchedCtExportsAsDicomAndNiftiAndComparesAgainstItsSource) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  HARMONIA_REQUIRE_SHARED_DATA(data);
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const fs::path root = dir.path().toStdString();
  const fs::path ct1Folder = data / "sts" / "STS_001" / "CT";
  const QString ct1 = qpath(ct1Folder);
  const QString ct2 = qpath(data / "sts" / "STS_002" / "CT");
  const auto sourceBytes = snapshot(ct1Folder);
  ASSERT_FALSE(sourceBytes.empty());

  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1400, 900));
  window.openForComparison(ct1, ct2);
  ASSERT_TRUE(window.settle(60000));
  const auto ct = window.compareSession()->study(0)->entry();
  ASSERT_TRUE(ct);
  ASSERT_EQ(ct->kind, VolumeEntry::Kind::DicomSeries);
  ASSERT_FALSE(ct->source_files.isEmpty());

  HarmonizeController* controller = window.compareWorkspace()->harmonizeController();
  StudyExporter* exporter = controller->exporter();
  QString exported, failure;
  QObject::connect(exporter, &StudyExporter::exported,
                   [&exported](const QString& s) { exported = s; });
  QObject::connect(exporter, &StudyExporter::failed, [&failure](const QString& s) { failure = s; });
  HarmonizeRequest r;
  r.study = 0;
  r.kernel.from_fwhm_mm = {1.2, 1.2, 3.3};
  r.kernel.to_fwhm_mm = {3.6, 3.6, 5.0};
  controller->run(r);
  ASSERT_TRUE(window.settle(60000));
  const auto matched = window.compareSession()->study(0)->entry();
  ASSERT_EQ(matched->kind, VolumeEntry::Kind::Derived);
  ASSERT_EQ(matched->derived_from, ct->id);
  EXPECT_EQ(matched->source_files, ct->source_files);
  ASSERT_GT(maxDifference(*matched->volume, *ct->volume), 1.0);  // it did blur

  // The panel offers DICOM for this study.
  HarmonizePanel* panel = window.compareWorkspace()->harmonizePanel();
  panel->setStudy(0);
  ASSERT_EQ(panel->exportMenu()->actions().size(), 2);
  EXPECT_TRUE(panel->exportMenu()->actions()[1]->isEnabled());

  // The source series' folder, and a folder holding it, are refused.
  exporter->exportStudy(0, StudyExporter::Format::DicomSeries,
                        QFileInfo(ct->source_files.first()).absolutePath());
  ASSERT_TRUE(window.settle(60000));
  EXPECT_TRUE(failure.contains(QStringLiteral("is the source series' folder")))
      << failure.toStdString();
  failure.clear();
  exporter->exportStudy(0, StudyExporter::Format::DicomSeries, ct1);
  ASSERT_TRUE(window.settle(60000));
  EXPECT_TRUE(failure.contains(QStringLiteral("holds the source series"))) << failure.toStdString();
  failure.clear();

  const fs::path seriesFolder = root / "kernel-matched";
  exporter->exportStudy(0, StudyExporter::Format::DicomSeries, qpath(seriesFolder));
  ASSERT_TRUE(window.settle(60000));
  ASSERT_TRUE(failure.isEmpty()) << failure.toStdString();
  ASSERT_TRUE(exporter->lastSeriesReport());
  const DerivedSeriesReport report = *exporter->lastSeriesReport();
  EXPECT_TRUE(panel->statusText().contains(qpath(seriesFolder)))
      << panel->statusText().toStdString();
  EXPECT_EQ(report.stored_units, "HU");
  const fs::path niftiFile = root / "kernel-matched.nii.gz";
  exporter->exportStudy(0, StudyExporter::Format::Nifti, qpath(niftiFile));
  ASSERT_TRUE(window.settle(60000));
  ASSERT_TRUE(failure.isEmpty()) << failure.toStdString();

  // NIfTI: the kernel-matched values, exactly.
  const Volume nifti = readVolume(niftiFile);
  ASSERT_TRUE(nifti.geometry().sameGrid(matched->volume->geometry(), kPositionTolerance_mm));
  EXPECT_EQ(maxDifference(nifti, *matched->volume), 0.0);
  // DICOM: the same grid, values within the reported quantum.
  const LoadedSeries dicom = loadDicomFolder(seriesFolder);
  ASSERT_TRUE(dicom.volume.geometry().sameGrid(nifti.geometry(), kPositionTolerance_mm));
  const double bound = dicomBound(report, nifti);
  EXPECT_LE(maxDifference(dicom.volume, nifti), bound);
  EXPECT_EQ(dicom.volume.units(), "HU");
  const DicomScan scan = scanDicomFolder(seriesFolder);
  ASSERT_EQ(scan.series.size(), 1u);
  EXPECT_EQ(scan.series[0].series_uid, report.series_instance_uid);
  EXPECT_NE(QString::fromStdString(scan.series[0].series_uid), ct->series_uid);
  EXPECT_EQ(scan.series[0].description, "Kernel-matched to 3.6 x 3.6 x 5 mm FWHM (Harmonia)");
  EXPECT_EQ(scan.series[0].frame_of_reference_uid, ct->frame_of_reference_uid.toStdString());
  // Nothing in the source folder changed.
  EXPECT_EQ(snapshot(ct1Folder), sourceBytes);

  // The CT against its own kernel-matched export, in Compare.
  window.openForComparison(qpath(seriesFolder), ct1);
  ASSERT_TRUE(window.settle(60000));
  const auto a = window.compareSession()->study(0)->entry();
  const auto b = window.compareSession()->study(1)->entry();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->series_uid, QString::fromStdString(report.series_instance_uid));
  EXPECT_EQ(a->unitLabel(), "HU");
  ASSERT_TRUE(a->volume->geometry().sameGrid(matched->volume->geometry(), kPositionTolerance_mm));
  EXPECT_LE(maxDifference(*a->volume, *matched->volume), bound);
  EXPECT_EQ(b->series_uid, ct->series_uid);
  EXPECT_EQ(maxDifference(*b->volume, *ct->volume), 0.0);
  // One frame of reference: no offset between them.
  EXPECT_TRUE(window.compareSession()->sharedFrameOfReference());
  EXPECT_TRUE(window.compareSession()->offset().isZero());
  // A new study in A: nothing to revert to.
  EXPECT_FALSE(controller->canRevert(0));
}

// The Harmonize panel on two DICOM CTs: no recorded resolution, so the FWHM
// fields keep what the user typed, a hint says so, and the run works.
TEST(CompareExport, HarmonizePanelOnDicomStudiesTakesTypedResolutions) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  HARMONIA_REQUIRE_SHARED_DATA(data);
  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1400, 900));
  HarmonizePanel* panel = window.compareWorkspace()->harmonizePanel();
  panel->setStudy(0);
  panel->setOperation(0);
  EXPECT_TRUE(panel->fwhmHint().isEmpty());  // nothing loaded: nothing to say
  EXPECT_FALSE(panel->exportMenu()->actions()[0]->isEnabled());
  window.openForComparison(qpath(data / "sts" / "STS_001" / "CT"),
                           qpath(data / "sts" / "STS_002" / "CT"));
  ASSERT_TRUE(window.settle(60000));
  const auto ct = window.compareSession()->study(0)->entry();
  ASSERT_TRUE(ct);
  EXPECT_EQ(ct->volume->metadata().count(metakey::kPsfFwhm_mm), 0u);
  EXPECT_FALSE(window.compareWorkspace()->harmonizeController()->recordedFwhm(0));
  EXPECT_TRUE(panel->fwhmHint().contains(QStringLiteral("not recorded")))
      << panel->fwhmHint().toStdString();
  EXPECT_TRUE(panel->exportMenu()->actions()[0]->isEnabled());
  EXPECT_TRUE(panel->exportMenu()->actions()[1]->isEnabled());

  const Eigen::Vector3d from(1.2, 1.2, 3.3), to(3.6, 3.6, 5.0);
  panel->setFwhm(from, to);
  panel->fillFwhmFromStudies();  // "Match the blurrier study": nothing recorded, nothing changes
  EXPECT_LT((panel->fwhm().first - from).norm(), 1e-9);
  EXPECT_LT((panel->fwhm().second - to).norm(), 1e-9);
  panel->runOperation();
  ASSERT_TRUE(window.settle(60000));
  EXPECT_FALSE(panel->statusText().startsWith(QStringLiteral("Not done")))
      << panel->statusText().toStdString();
  const auto result = window.compareSession()->study(0)->entry();
  ASSERT_EQ(result->kind, VolumeEntry::Kind::Derived);
  EXPECT_EQ(result->derived_from, ct->id);
  EXPECT_EQ(result->unitLabel(), "HU");
  EXPECT_LT(summarizeValues(*result->volume).sd, summarizeValues(*ct->volume).sd);
}
