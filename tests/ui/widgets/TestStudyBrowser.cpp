// The DICOM library model, the study browser and the metadata panel, on real
// files from ../shared/data (skipped with a message when it is absent).

#include <gtest/gtest.h>

#include <QApplication>
#include <QDropEvent>
#include <QLineEdit>
#include <QMimeData>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTreeView>
#include <QTreeWidget>
#include <QUrl>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "TestSupport.h"
#include "UiTestSupport.h"
#include "core/dicom/SeriesDetails.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/DicomLibrary.h"
#include "ui/widgets/MetadataPanel.h"
#include "ui/widgets/StudyBrowser.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;
using test::kWaitMs;

using Scratch = harmonia::test::ScratchDir;

QString qpath(const Scratch& dir) { return QString::fromStdString(dir.path().string()); }

/// A folder with a few real files: 3 STS_001 CT slices, 2 PET slices, the CT's
/// RTSTRUCT, 2 IBSI CT slices, a garbage .dcm and a text file.
void fillMixedFolder(const fs::path& data, const fs::path& dir) {
  const fs::path sts = data / "sts" / "STS_001";
  fs::create_directories(dir / "ct");
  fs::create_directories(dir / "pet");
  fs::create_directories(dir / "ibsi");
  for (const char* n : {"000000.dcm", "000001.dcm", "000002.dcm"}) {
    fs::copy_file(sts / "CT" / "image" / n, dir / "ct" / n);
  }
  for (const char* n : {"000000.dcm", "000001.dcm"}) {
    fs::copy_file(sts / "PET" / "image" / n, dir / "pet" / n);
  }
  fs::copy_file(sts / "CT" / "mask" / "RS.dcm", dir / "ct" / "RS.dcm");
  const fs::path ibsi = data / "ibsi" / "ct_phantom" / "dicom" / "image";
  for (const char* n : {"DCM_IMG_00000.dcm", "DCM_IMG_00001.dcm"}) {
    fs::copy_file(ibsi / n, dir / "ibsi" / n);
  }
  std::ofstream garbage(dir / "garbage.dcm", std::ios::binary);
  for (int i = 0; i < 4000; ++i) garbage.put(static_cast<char>((i * 7919) % 251));
  std::ofstream(dir / "notes.txt") << "not a DICOM file\n";
}

/// Opens `folder` and waits for the scan to end; false on timeout or failure.
bool scan(DicomLibrary& library, const QString& folder) {
  bool finished = false;
  bool failed = false;
  const auto a = QObject::connect(&library, &DicomLibrary::scanFinished, [&] { finished = true; });
  const auto b =
      QObject::connect(&library, &DicomLibrary::scanFailed, [&](const QString&) { failed = true; });
  library.openFolder(folder);
  const bool ended = test::waitUntil([&] { return finished || failed; }, kWaitMs);
  QObject::disconnect(a);
  QObject::disconnect(b);
  return ended && finished;
}

std::string reasonFor(const DicomLibrary& library, const std::string& name) {
  for (const SkippedFile& s : library.skipped()) {
    if (s.file.filename() == name) return s.reason;
  }
  return "(not skipped)";
}

/// Every row of a model, depth first.
std::vector<QModelIndex> allRows(const QAbstractItemModel& m, const QModelIndex& parent = {}) {
  std::vector<QModelIndex> rows;
  for (int r = 0; r < m.rowCount(parent); ++r) {
    const QModelIndex i = m.index(r, 0, parent);
    rows.push_back(i);
    for (const QModelIndex& c : allRows(m, i)) rows.push_back(c);
  }
  return rows;
}

std::vector<QModelIndex> rowsOfKind(const QAbstractItemModel& m, StudyBrowser::Kind kind) {
  std::vector<QModelIndex> out;
  for (const QModelIndex& i : allRows(m)) {
    if (i.data(StudyBrowser::KindRole).toInt() == kind) out.push_back(i);
  }
  return out;
}

QString cell(const QModelIndex& row, int column) {
  return row.siblingAtColumn(column).data().toString();
}

TEST(DicomLibrary, ScansAFolderAndListsSkippedFilesWithReasons) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  Scratch dir;
  fillMixedFolder(data, dir.path());
  JobRunner runner;
  DicomLibrary library(&runner);
  int changes = 0;
  QObject::connect(&library, &DicomLibrary::contentsChanged, [&] { ++changes; });
  ASSERT_TRUE(scan(library, qpath(dir)));
  EXPECT_EQ(changes, 1);

  std::multiset<std::string> modalities;
  for (const SeriesInfo& s : library.series()) modalities.insert(s.modality);
  EXPECT_EQ(modalities, (std::multiset<std::string>{"CT", "CT", "PT"}));
  ASSERT_EQ(library.structureSets().size(), 1u);
  EXPECT_EQ(library.structureSets()[0].roi_names, std::vector<std::string>{"GTV_Mass_CT"});
  ASSERT_EQ(library.skipped().size(), 2u);
  EXPECT_NE(reasonFor(library, "garbage.dcm").find("not a DICOM file"), std::string::npos)
      << reasonFor(library, "garbage.dcm");
  EXPECT_NE(reasonFor(library, "notes.txt"), "(not skipped)");
  EXPECT_EQ(library.folders(), QStringList{qpath(dir)});

  // Opening the same folder again replaces what it found: nothing twice.
  ASSERT_TRUE(scan(library, qpath(dir)));
  EXPECT_EQ(library.series().size(), 3u);
  EXPECT_EQ(library.structureSets().size(), 1u);
  EXPECT_EQ(library.skipped().size(), 2u);
  // A second folder accumulates.
  ASSERT_TRUE(
      scan(library, QString::fromStdString((data / "suv_dro" / "DRO_0_0" / "PT").string())));
  EXPECT_EQ(library.series().size(), 4u);
  EXPECT_EQ(library.folders().size(), 2);
  library.clear();
  EXPECT_TRUE(library.series().empty());
  EXPECT_TRUE(library.skipped().empty());
}

TEST(DicomLibrary, AMissingFolderFailsAndChangesNothing) {
  JobRunner runner;
  DicomLibrary library(&runner);
  QString message;
  QObject::connect(&library, &DicomLibrary::scanFailed, [&](const QString& m) { message = m; });
  EXPECT_FALSE(scan(library, QStringLiteral("/nonexistent/harmonia/dicom")));
  EXPECT_TRUE(message.contains(QStringLiteral("/nonexistent/harmonia/dicom")))
      << message.toStdString();
  EXPECT_TRUE(library.series().empty());
}

// A StudyBrowser on a DicomLibrary, and a folder of the shared data's series
// and two files that are not DICOM (fillMixedFolder) for it to scan.
// Skips when the shared data is absent.
class StudyBrowserOnMixedFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    HARMONIA_REQUIRE_SHARED_DATA(data);
    fillMixedFolder(data, dir.path());
  }

  Scratch dir;
  JobRunner runner;
  DicomLibrary library{&runner};
  StudyBrowser browser{&library};
};

TEST_F(StudyBrowserOnMixedFolder, ShowsPatientStudySeriesRowsWithTheirColumns) {
  ASSERT_TRUE(scan(library, qpath(dir)));
  const QAbstractItemModel& m = *browser.filterModel();

  // Two patients (STS_001, the IBSI phantom), each with studies, each with series.
  ASSERT_EQ(rowsOfKind(m, StudyBrowser::PatientRow).size(), 2u);
  for (const QModelIndex& patient : rowsOfKind(m, StudyBrowser::PatientRow)) {
    ASSERT_GT(m.rowCount(patient), 0);
    const QModelIndex study = m.index(0, 0, patient);
    EXPECT_EQ(study.data(StudyBrowser::KindRole).toInt(), StudyBrowser::StudyRow);
    ASSERT_GT(m.rowCount(study), 0);
  }
  const auto series = rowsOfKind(m, StudyBrowser::SeriesRow);
  ASSERT_EQ(series.size(), 3u);
  bool sawStsCt = false;
  for (const QModelIndex& row : series) {
    EXPECT_EQ(row.parent().data(StudyBrowser::KindRole).toInt(), StudyBrowser::StudyRow);
    const int index = row.data(StudyBrowser::IndexRole).toInt();
    const SeriesInfo* s = library.seriesAt(index);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(cell(row, StudyBrowser::ModalityColumn).toStdString(), s->modality);
    EXPECT_EQ(cell(row, StudyBrowser::ImagesColumn).toInt(), s->sliceCount());
    if (s->modality == "CT" && s->manufacturer == "GE MEDICAL SYSTEMS") {
      sawStsCt = true;
      EXPECT_EQ(cell(row, StudyBrowser::KernelColumn), QStringLiteral("SOFT"));
      EXPECT_EQ(cell(row, StudyBrowser::ThicknessColumn), QStringLiteral("3.27 mm"));
      EXPECT_EQ(cell(row, StudyBrowser::SpacingColumn), QStringLiteral("0.9766 mm"));
      EXPECT_EQ(cell(row, StudyBrowser::ScannerColumn),
                QStringLiteral("GE MEDICAL SYSTEMS Discovery ST"));
      EXPECT_EQ(cell(row, StudyBrowser::DateColumn), QStringLiteral("2000-09-07"));
      EXPECT_EQ(cell(row, StudyBrowser::ImagesColumn), QStringLiteral("3"));
    }
  }
  EXPECT_TRUE(sawStsCt);

  // The structure set sits under the study of its CT, its ROI under it.
  const auto sets = rowsOfKind(m, StudyBrowser::StructureSetRow);
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0].parent().data(StudyBrowser::KindRole).toInt(), StudyBrowser::StudyRow);
  ASSERT_EQ(m.rowCount(sets[0]), 1);
  EXPECT_EQ(m.index(0, 0, sets[0]).data().toString(), QStringLiteral("GTV_Mass_CT"));

  EXPECT_EQ(browser.tabs()->tabText(1), QStringLiteral("Skipped files (2)"));
  EXPECT_EQ(browser.skippedList()->topLevelItemCount(), 2);
  EXPECT_TRUE(browser.statusText().contains(QStringLiteral("3 series")))
      << browser.statusText().toStdString();
}

TEST_F(StudyBrowserOnMixedFolder, FilterHidesRowsThatMatchNowhere) {
  ASSERT_TRUE(scan(library, qpath(dir)));
  const QAbstractItemModel& m = *browser.filterModel();
  ASSERT_EQ(rowsOfKind(m, StudyBrowser::SeriesRow).size(), 3u);

  browser.filterEdit()->setText(QStringLiteral("soft"));  // the STS CT's kernel, any case
  auto shown = rowsOfKind(m, StudyBrowser::SeriesRow);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(cell(shown[0], StudyBrowser::KernelColumn), QStringLiteral("SOFT"));
  EXPECT_EQ(rowsOfKind(m, StudyBrowser::PatientRow).size(), 1u);  // its parents stay

  browser.setFilterText(QStringLiteral("PT"));
  shown = rowsOfKind(m, StudyBrowser::SeriesRow);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(cell(shown[0], StudyBrowser::ModalityColumn), QStringLiteral("PT"));

  browser.setFilterText(QStringLiteral("no such thing anywhere"));
  EXPECT_EQ(m.rowCount(), 0);
  browser.setFilterText(QString());
  EXPECT_EQ(rowsOfKind(m, StudyBrowser::SeriesRow).size(), 3u);
}

TEST_F(StudyBrowserOnMixedFolder, EnterAndLoadEmitSeriesActivatedWithTheLibraryIndex) {
  browser.resize(900, 500);
  browser.show();
  ASSERT_TRUE(scan(library, qpath(dir)));

  std::vector<int> activated;
  std::vector<int> selected;
  std::vector<int> structureSets;
  QObject::connect(&browser, &StudyBrowser::seriesActivated,
                   [&](int i) { activated.push_back(i); });
  QObject::connect(&browser, &StudyBrowser::seriesSelected, [&](int i) { selected.push_back(i); });
  QObject::connect(&browser, &StudyBrowser::structureSetActivated,
                   [&](int i) { structureSets.push_back(i); });
  int pet = -1;
  for (std::size_t i = 0; i < library.series().size(); ++i) {
    if (library.series()[i].modality == "PT") pet = static_cast<int>(i);
  }
  ASSERT_GE(pet, 0);
  ASSERT_TRUE(browser.selectSeries(pet));
  ASSERT_FALSE(selected.empty());
  EXPECT_EQ(selected.back(), pet);
  EXPECT_EQ(browser.currentSeries(), pet);

  browser.treeView()->setFocus();
  test::sendKey(*browser.treeView(), Qt::Key_Return);
  ASSERT_EQ(activated.size(), 1u);
  EXPECT_EQ(activated[0], pet);
  browser.loadCurrent();  // the "Load" button
  ASSERT_EQ(activated.size(), 2u);
  EXPECT_EQ(activated[1], pet);

  // A ROI row activates its structure set; a study row is not a series.
  const auto sets = rowsOfKind(*browser.filterModel(), StudyBrowser::StructureSetRow);
  ASSERT_EQ(sets.size(), 1u);
  browser.treeView()->setCurrentIndex(browser.filterModel()->index(0, 0, sets[0]));
  EXPECT_EQ(selected.back(), -1);
  browser.loadCurrent();
  ASSERT_EQ(structureSets.size(), 1u);
  EXPECT_EQ(structureSets[0], 0);
  EXPECT_EQ(activated.size(), 2u);
}

TEST(StudyBrowser, DroppedFolderIsScanned) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  JobRunner runner;
  DicomLibrary library(&runner);
  StudyBrowser browser(&library);
  bool finished = false;
  QObject::connect(&library, &DicomLibrary::scanFinished, [&] { finished = true; });
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(
      QString::fromStdString((data / "ibsi" / "ct_phantom" / "dicom").string()))});
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&browser, &enter);
  EXPECT_TRUE(enter.isAccepted());
  QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&browser, &drop);
  ASSERT_TRUE(test::waitUntil([&] { return finished; }, kWaitMs));
  ASSERT_EQ(library.series().size(), 1u);
  EXPECT_EQ(rowsOfKind(*browser.filterModel(), StudyBrowser::SeriesRow).size(), 1u);
  EXPECT_EQ(rowsOfKind(*browser.filterModel(), StudyBrowser::StructureSetRow).size(), 1u);
}

TEST(MetadataPanel, ShowsTheCtRescaleInterceptAndSearchesTags) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  JobRunner runner;
  DicomLibrary library(&runner);
  MetadataPanel panel(&library);
  ASSERT_TRUE(scan(library, QString::fromStdString(
                                (data / "ibsi" / "ct_phantom" / "dicom" / "image").string())));
  ASSERT_EQ(library.series().size(), 1u);
  panel.showSeries(0);
  EXPECT_TRUE(panel.isWaiting());  // read in a worker
  ASSERT_TRUE(test::waitUntil([&] { return !panel.isWaiting(); }, kWaitMs));
  EXPECT_EQ(panel.harmonizationValue(QStringLiteral("Rescale intercept")), QStringLiteral("-1000"));
  EXPECT_EQ(panel.harmonizationValue(QStringLiteral("Pixel spacing")).left(13),
            QStringLiteral("0.977 x 0.977"));
  EXPECT_TRUE(panel.conversionText().contains(QStringLiteral("HU")))
      << panel.conversionText().toStdString();

  QSortFilterProxyModel& tags = *panel.tagFilter();
  const int all = tags.rowCount();
  ASSERT_GT(all, 20);
  panel.searchEdit()->setText(QStringLiteral("rescale"));
  const int found = tags.rowCount();
  EXPECT_GE(found, 2);  // Rescale Intercept, Rescale Slope (and Type when present)
  EXPECT_LT(found, all);
  for (int r = 0; r < found; ++r) {
    QString row;
    for (int c = 0; c < tags.columnCount(); ++c) row += tags.index(r, c).data().toString() + ' ';
    EXPECT_TRUE(row.contains(QStringLiteral("rescale"), Qt::CaseInsensitive)) << row.toStdString();
  }
  panel.setSearchText(QStringLiteral("(0028,1052)"));
  ASSERT_EQ(tags.rowCount(), 1);
  EXPECT_EQ(tags.index(0, MetadataPanel::TagValueColumn).data().toString(),
            QStringLiteral("-1000.0"));
  panel.setSearchText(QString());
  EXPECT_EQ(tags.rowCount(), all);
}

TEST(MetadataPanel, ExplainsTheSuvOfTheDroWithDoseAndDecay) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  JobRunner runner;
  DicomLibrary library(&runner);
  MetadataPanel panel(&library);
  ASSERT_TRUE(
      scan(library, QString::fromStdString((data / "suv_dro" / "DRO_0_0" / "PT").string())));
  panel.showSeries(0);
  ASSERT_TRUE(test::waitUntil([&] { return !panel.isWaiting(); }, kWaitMs));
  const QString text = panel.conversionText();
  EXPECT_TRUE(text.contains(QStringLiteral("Injected dose"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("3.6808e+08 Bq"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("decay"), Qt::CaseInsensitive)) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("SUVbw"))) << text.toStdString();
  EXPECT_EQ(panel.harmonizationValue(QStringLiteral("Decay correction")), QStringLiteral("START"));
  EXPECT_EQ(panel.harmonizationValue(QStringLiteral("Units")), QStringLiteral("BQML"));
}

TEST(MetadataPanel, ShowsWhyValuesCannotBeConverted) {
  JobRunner runner;
  DicomLibrary library(&runner);
  MetadataPanel panel(&library);
  SeriesDetails d;
  d.series_id = "1.2.3";
  d.conversion_error = "/data/pet/nodose.dcm: Radionuclide Total Dose (0018,1074) is missing";
  d.key_attributes.push_back(
      {"PET / SUV", "Injected dose", "(absent)", "Radionuclide Total Dose (0018,1074)", false});
  panel.showDetails(d);
  const QString text = panel.conversionText();
  EXPECT_TRUE(text.contains(QStringLiteral("cannot be converted"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("Radionuclide Total Dose (0018,1074) is missing")));
  EXPECT_EQ(panel.harmonizationValue(QStringLiteral("Injected dose")), QStringLiteral("(absent)"));
  EXPECT_EQ(panel.tagFilter()->rowCount(), 0);
}

}  // namespace
}  // namespace harmonia
