// Writing a harmonized volume as a derived DICOM series: values within the
// rescale quantum, geometry (oblique included), new UIDs, kept patient/study,
// PET as SUV, refusals, cancel, and the source files left untouched.

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <atomic>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>

#include "TestSupport.h"
#include "core/dicom/DerivedSeriesWriter.h"
#include "core/dicom/SeriesLoader.h"
#include "dicom/DicomTestSupport.h"

using namespace harmonia;
using harmonia::test::entryCount;
using harmonia::test::fileBytes;
using harmonia::test::ScratchDir;
using harmonia::test::setString;

namespace {

namespace fs = std::filesystem;

const char* kStudyUid = "1.2.826.0.1.3680043.2.1143.777.1";
const char* kFrameUid = "1.2.826.0.1.3680043.2.1143.777.2";

// Every file's name and bytes (to check that the source is unchanged).
std::string folderBytes(const fs::path& folder) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(folder)) {
    if (e.is_regular_file()) all += e.path().string() + fileBytes(e.path());
  }
  return all;
}

// A synthetic series of `nz` axial slices 2.5 mm apart, stored value
// 100 + 10 k in slice k, with patient/study attributes, a window and a private tag.
fs::path writeSeries(const fs::path& folder, int nz, const std::string& modality = "CT",
                     std::vector<std::pair<gdcm::Tag, std::string>> more = {}) {
  fs::create_directories(folder);
  for (int k = 0; k < nz; ++k) {
    test::SyntheticSlice s;
    s.modality = modality;
    s.study_uid = kStudyUid;
    s.instance_number = k + 1;
    s.position = {-20.0, 15.0, 30.0 + 2.5 * k};
    s.slope = modality == "PT" ? 0.5 : 1.0;
    s.intercept = modality == "CT" ? -1024.0 : 0.0;
    s.fill = static_cast<std::int16_t>(100 + 10 * k);
    s.extra = {{gdcm::Tag(0x0010, 0x0010), "Doe^Jane"},
               {gdcm::Tag(0x0010, 0x0020), "PAT-042"},
               {gdcm::Tag(0x0010, 0x0030), "19700101"},
               {gdcm::Tag(0x0010, 0x0040), "F"},
               {gdcm::Tag(0x0008, 0x0020), "20240102"},
               {gdcm::Tag(0x0008, 0x0030), "101500"},
               {gdcm::Tag(0x0008, 0x0050), "ACC-9"},
               {gdcm::Tag(0x0008, 0x1030), "Synthetic study"},
               {gdcm::Tag(0x0008, 0x103E), "Source series"},
               {gdcm::Tag(0x0020, 0x0011), "3"},
               {gdcm::Tag(0x0020, 0x0052), kFrameUid},
               {gdcm::Tag(0x0018, 0x0050), "2.5"},
               {gdcm::Tag(0x0020, 0x1041), std::to_string(30.0 + 2.5 * k)},
               {gdcm::Tag(0x0008, 0x0008), "ORIGINAL\\PRIMARY\\AXIAL"},
               {gdcm::Tag(0x0028, 0x1050), "40"},
               {gdcm::Tag(0x0028, 0x1051), "400"}};
    for (auto& m : more) s.extra.push_back(m);
    const fs::path file = folder / ("src_" + std::to_string(k) + ".dcm");
    test::writeSyntheticSlice(s, file);
    // A private block, which a derived series must not carry over.
    gdcm::Reader r;
    r.SetFileName(file.string().c_str());
    if (!r.Read()) throw std::runtime_error("cannot read back " + file.string());
    setString(r.GetFile().GetDataSet(), gdcm::Tag(0x0009, 0x0010), "ACME 1.0", gdcm::VR::LO);
    setString(r.GetFile().GetDataSet(), gdcm::Tag(0x0009, 0x1001), "secret", gdcm::VR::LO);
    gdcm::Writer w;
    w.SetFile(r.GetFile());
    w.SetFileName(file.string().c_str());
    if (!w.Write()) throw std::runtime_error("cannot write " + file.string());
  }
  return folder;
}

const SeriesInfo& onlySeries(const DicomScan& scan) {
  if (scan.series.size() != 1) throw std::runtime_error("expected one series");
  return scan.series.front();
}

// A volume on `grid` with smooth non-integer values in about [lo, lo + 4000].
Volume patterned(const Geometry3D& grid, double lo) {
  Volume v(grid);
  for (int k = 0; k < grid.size[2]; ++k) {
    for (int j = 0; j < grid.size[1]; ++j) {
      for (int i = 0; i < grid.size[0]; ++i) {
        v.at(i, j, k) = static_cast<float>(lo + 1000.0 * (1.0 + std::sin(0.7 * i + 0.3 * j)) +
                                           1000.0 * (1.0 + std::cos(0.9 * k + 0.2 * i)) + 0.37);
      }
    }
  }
  return v;
}

struct Extremes {
  double lo = 1e300;
  double hi = -1e300;
  double max_abs = 0.0;
};

Extremes extremesOf(const Volume& v) {
  Extremes e;
  for (float x : v.voxels()) {
    if (!std::isfinite(x)) continue;
    e.lo = std::min(e.lo, static_cast<double>(x));
    e.hi = std::max(e.hi, static_cast<double>(x));
    e.max_abs = std::max(e.max_abs, std::abs(static_cast<double>(x)));
  }
  return e;
}

// The float32 rounding of the loader's m * stored + b: float m and b, one
// product and one sum, each within half an ulp; about 2 ulps of the largest magnitude.
double floatSlack(double maxAbs) { return 3.0 * FLT_EPSILON * (maxAbs + 1.0); }

// The documented bound: half a stored step of the full 16-bit range, plus floatSlack.
double quantumBound(const Volume& written) {
  const Extremes e = extremesOf(written);
  return (e.hi - e.lo) / 65535.0 / 2.0 * (1.0 + 1e-9) + floatSlack(e.max_abs);
}

double maxDifference(const Volume& a, const Volume& b) {
  double d = 0.0;
  for (std::size_t i = 0; i < a.voxelCount(); ++i) {
    d = std::max(d, std::abs(static_cast<double>(a.data()[i]) - b.data()[i]));
  }
  return d;
}

std::string rawText(const fs::path& file, std::uint16_t g, std::uint16_t e) {
  gdcm::Reader r;
  r.SetFileName(file.string().c_str());
  if (!r.Read()) return "<unreadable>";
  // Group 0002 is the file meta information, apart from the data set.
  const gdcm::DataSet& ds = g == 0x0002 ? r.GetFile().GetHeader() : r.GetFile().GetDataSet();
  if (!ds.FindDataElement(gdcm::Tag(g, e))) return "<absent>";
  const gdcm::ByteValue* bv = ds.GetDataElement(gdcm::Tag(g, e)).GetByteValue();
  return bv ? trimDicom(std::string(bv->GetPointer(), bv->GetLength())) : "";
}

bool hasPrivateElements(const fs::path& file) {
  gdcm::Reader r;
  r.SetFileName(file.string().c_str());
  if (!r.Read()) return true;
  for (const gdcm::DataElement& de : r.GetFile().GetDataSet().GetDES()) {
    if (de.GetTag().IsPrivate()) return true;
  }
  return false;
}

// Cancels once `after` progress reports have arrived.
class CancelAfter final : public Progress {
 public:
  explicit CancelAfter(int after) : left_(after) {}
  void report(double) override { --left_; }
  [[nodiscard]] bool cancelRequested() const override { return left_ <= 0; }

 private:
  std::atomic<int> left_;
};

std::string shellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

bool haveTool(const char* name) {
  return std::system((std::string("command -v ") + name + " >/dev/null 2>&1").c_str()) == 0;
}

DerivedSeriesParams paramsFor(const fs::path& out, const std::string& description = "Test") {
  DerivedSeriesParams p;
  p.output_folder = out;
  p.series_description = description;
  return p;
}

}  // namespace

TEST(DerivedSeriesWriter, RoundTripsValuesGeometryAndKeepsPatientAndStudy) {
  ScratchDir dir;
  const fs::path src = writeSeries(dir / "source", 6);
  const std::string before = folderBytes(src);
  const DicomScan scan = scanDicomFolder(src);
  const SeriesInfo& source = onlySeries(scan);
  const LoadedSeries loaded = loadSeries(source);
  // A harmonization-like change: gain, offset and non-integer detail, spread
  // over a range wide enough that the quantum, not float rounding, dominates the error.
  Volume changed = loaded.volume;
  for (int k = 0; k < changed.nz(); ++k) {
    for (int j = 0; j < changed.ny(); ++j) {
      for (int i = 0; i < changed.nx(); ++i) {
        changed.at(i, j, k) = changed.at(i, j, k) * 1.7f - 12.3f + 37.1f * static_cast<float>(i) -
                              23.7f * static_cast<float>(j * k) + 0.37f;
      }
    }
  }
  const DerivedSeriesReport report =
      writeDerivedSeries(changed, source, paramsFor(dir / "derived", "Kernel-matched (test)"));
  EXPECT_EQ(report.files.size(), 6u);
  EXPECT_EQ(entryCount(dir / "derived"), 6u);
  EXPECT_EQ(entryCount(dir.path()), 2u) << "a temporary folder was left behind";
  EXPECT_EQ(folderBytes(src), before) << "the source files changed";

  const DicomScan again = scanDicomFolder(dir / "derived");
  ASSERT_EQ(again.series.size(), 1u);
  ASSERT_TRUE(again.skipped.empty()) << again.skipped.front().reason;
  const SeriesInfo& derived = again.series.front();
  const LoadedSeries back = loadSeries(derived);
  EXPECT_EQ(back.volume.units(), "HU");
  EXPECT_TRUE(back.volume.geometry().sameGrid(changed.geometry(), 1e-6));
  EXPECT_LE(maxDifference(back.volume, changed), quantumBound(changed));

  // Identity: new series and instances, same patient, study and frame of reference.
  EXPECT_NE(derived.series_uid, source.series_uid);
  EXPECT_EQ(derived.series_uid, report.series_instance_uid);
  EXPECT_EQ(derived.study_uid, kStudyUid);
  EXPECT_EQ(derived.patient_id, "PAT-042");
  EXPECT_EQ(derived.patient_name, "Doe^Jane");
  EXPECT_EQ(derived.frame_of_reference_uid, kFrameUid);
  EXPECT_EQ(derived.modality, "CT");
  EXPECT_EQ(derived.description, "Kernel-matched (test)");
  EXPECT_EQ(derived.series_number, "1003");
  std::set<std::string> sopUids;
  for (const DicomSlice& s : source.slices) sopUids.insert(s.header->text(tag::SopInstanceUid));
  for (const DicomSlice& s : derived.slices) {
    const DicomHeader& h = *s.header;
    EXPECT_TRUE(sopUids.insert(h.text(tag::SopInstanceUid)).second) << "SOP Instance UID reused";
    EXPECT_EQ(h.text(tag::SopClassUid), "1.2.840.10008.5.1.4.1.1.2");
    EXPECT_EQ(h.text(tag::ImageType), "DERIVED\\SECONDARY\\AXIAL");
    EXPECT_EQ(h.text(tag::RescaleType), "HU");
    EXPECT_EQ(h.text(tag::SliceThickness), "2.5");
    EXPECT_FALSE(h.value(tag::GantryTilt));
    EXPECT_FALSE(hasPrivateElements(h.file)) << h.file;
  }
  const fs::path f = report.files.front();
  EXPECT_EQ(rawText(f, 0x0010, 0x0030), "19700101");
  EXPECT_EQ(rawText(f, 0x0010, 0x0040), "F");
  EXPECT_EQ(rawText(f, 0x0008, 0x0020), "20240102");
  EXPECT_EQ(rawText(f, 0x0008, 0x0030), "101500");
  EXPECT_EQ(rawText(f, 0x0008, 0x0050), "ACC-9");
  EXPECT_EQ(rawText(f, 0x0008, 0x1030), "Synthetic study");
  EXPECT_EQ(rawText(f, 0x0020, 0x1041), "<absent>");  // the template slice's location
  EXPECT_EQ(rawText(f, 0x0028, 0x1050), "40");        // still HU: the source's window
  EXPECT_EQ(rawText(f, 0x0002, 0x0003), rawText(f, 0x0008, 0x0018));  // meta matches
  EXPECT_NE(rawText(f, 0x0008, 0x2111).find("Kernel-matched (test)"), std::string::npos);
  EXPECT_EQ(rawText(f, 0x0020, 0x0013), "1");
  EXPECT_EQ(rawText(report.files.back(), 0x0020, 0x0013), "6");
}

TEST(DerivedSeriesWriter, IntegerValuesComeBackExactly) {
  ScratchDir dir;
  const DicomScan scan = scanDicomFolder(writeSeries(dir / "source", 3));
  const SeriesInfo& source = onlySeries(scan);
  const Geometry3D grid = source.geometry.grid;
  // Within int16, and a range wider than int16 that still spans at most 65535 values.
  for (const auto& [lo, hi] : {std::pair{-1024, 3071}, std::pair{-1000, 60000}}) {
    Volume v(grid);
    int n = 0;
    for (float& x : v.voxels()) x = static_cast<float>(lo + (n++ * 7919) % (hi - lo + 1));
    v.at(0, 0, 0) = static_cast<float>(lo);
    v.at(1, 0, 0) = static_cast<float>(hi);
    v.setUnits("HU");
    const fs::path out = dir / ("int" + std::to_string(hi));
    const DerivedSeriesReport r = writeDerivedSeries(v, source, paramsFor(out));
    EXPECT_EQ(r.encoding.slope, 1.0);
    const LoadedSeries back = loadDicomFolder(out);
    EXPECT_EQ(maxDifference(back.volume, v), 0.0) << "range " << lo << ".." << hi;
  }
}

TEST(DerivedSeriesWriter, ObliqueAndSagittalGridsRoundTrip) {
  ScratchDir dir;
  const DicomScan scan = scanDicomFolder(writeSeries(dir / "source", 3));
  const SeriesInfo& source = onlySeries(scan);
  const Eigen::Matrix3d oblique = (Eigen::AngleAxisd(0.4, Eigen::Vector3d(1, 2, 3).normalized()) *
                                   Eigen::AngleAxisd(-0.25, Eigen::Vector3d::UnitZ()))
                                      .toRotationMatrix();
  Eigen::Matrix3d sagittal;
  // Rows run posterior, columns inferior; slices step to the patient's right.
  sagittal.col(0) = Eigen::Vector3d(0, 1, 0);
  sagittal.col(1) = Eigen::Vector3d(0, 0, -1);
  sagittal.col(2) = sagittal.col(0).cross(sagittal.col(1));
  int n = 0;
  for (const Eigen::Matrix3d& direction : {oblique, sagittal}) {
    Geometry3D grid;
    grid.size = {7, 5, 4};
    grid.spacing_mm = {0.7, 0.4, 2.5};  // distinct, so a swapped Pixel Spacing shows
    grid.origin_mm = {-12.5, 33.25, 101.0};
    grid.direction = direction;
    Volume v = patterned(grid, -1000.0);
    v.setUnits("HU");
    const fs::path out = dir / ("grid" + std::to_string(n++));
    const DerivedSeriesReport r = writeDerivedSeries(v, source, paramsFor(out));
    const DicomHeader h = readDicomHeader(r.files.front());
    EXPECT_EQ(h.numbers(tag::PixelSpacing), (std::vector<double>{0.4, 0.7}));
    EXPECT_EQ(h.rows, 5);
    EXPECT_EQ(h.columns, 7);
    EXPECT_NEAR(h.number(tag::SpacingBetweenSlices).value_or(0), 2.5, 1e-9);
    const LoadedSeries back = loadDicomFolder(out);
    const Geometry3D& g = back.volume.geometry();
    EXPECT_TRUE(g.sameGrid(grid, 1e-6)) << "origin " << g.origin_mm.transpose() << "\ndirection\n"
                                        << g.direction << "\nspacing " << g.spacing_mm.transpose();
    EXPECT_LE(maxDifference(back.volume, v), quantumBound(v));
  }
}

TEST(DerivedSeriesWriter, LeftHandedGridComesBackInTheOppositeSliceOrder) {
  ScratchDir dir;
  const DicomScan scan = scanDicomFolder(writeSeries(dir / "source", 3));
  Geometry3D grid;
  grid.size = {6, 5, 4};
  grid.spacing_mm = {0.5, 0.5, 3.0};
  grid.origin_mm = {1.0, 2.0, 50.0};
  grid.direction.col(2) = Eigen::Vector3d(0, 0, -1);  // slices step towards the feet
  Volume v = patterned(grid, -800.0);
  v.setUnits("HU");
  (void)writeDerivedSeries(v, onlySeries(scan), paramsFor(dir / "out"));
  const Volume back = loadDicomFolder(dir / "out").volume;
  const Geometry3D& g = back.geometry();
  EXPECT_NEAR((g.direction.col(2) - Eigen::Vector3d(0, 0, 1)).norm(), 0.0, 1e-9);
  EXPECT_NEAR((g.origin_mm - grid.indexToWorld(Eigen::Vector3d(0, 0, 3))).norm(), 0.0, 1e-9);
  const double bound = quantumBound(v);
  for (int k = 0; k < 4; ++k) {
    for (int j = 0; j < 5; ++j) {
      for (int i = 0; i < 6; ++i) ASSERT_NEAR(back.at(i, j, 3 - k), v.at(i, j, k), bound);
    }
  }
}

TEST(DerivedSeriesWriter, PetIsWrittenAsSuvAndReadsBackTheSameValues) {
  ScratchDir dir;
  const DicomScan scan =
      scanDicomFolder(writeSeries(dir / "source", 4, "PT", {{gdcm::Tag(0x0054, 0x1001), "GML"}}));
  const SeriesInfo& source = onlySeries(scan);
  Volume suv = patterned(source.geometry.grid, 0.0);
  for (float& x : suv.voxels()) x *= 0.004f;  // SUV about 0..16
  suv.setUnits(suvUnits(SuvType::BodyWeight));
  const DerivedSeriesReport r = writeDerivedSeries(suv, source, paramsFor(dir / "pet"));
  EXPECT_EQ(r.sop_class_uid, "1.2.840.10008.5.1.4.1.1.128");
  EXPECT_EQ(r.encoding.intercept, 0.0);
  EXPECT_FALSE(r.encoding.pixel_signed);
  const DicomHeader h = readDicomHeader(r.files.front());
  EXPECT_EQ(h.text(tag::Units), "GML");
  EXPECT_EQ(h.text(tag::SuvType), "BW");
  EXPECT_EQ(h.text(tag::ImageType), "DERIVED\\PRIMARY\\AXIAL");
  EXPECT_EQ(h.number(tag::RescaleIntercept).value_or(-1.0), 0.0);
  const LoadedSeries back = loadDicomFolder(dir / "pet");
  EXPECT_EQ(back.volume.units(), "SUVbw g/ml");
  // uint16 over [0, hi]: half a step of hi / 65535.
  const Extremes e = extremesOf(suv);
  EXPECT_LE(maxDifference(back.volume, suv), e.hi / 65535.0 / 2.0 * (1 + 1e-9) + floatSlack(e.hi));

  // Values that are no longer SUV cannot be a PET series.
  suv.setUnits("z");
  try {
    (void)writeDerivedSeries(suv, source, paramsFor(dir / "pet_z"));
    ADD_FAILURE() << "z-scores written as a PET series";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("are not SUV"), std::string::npos) << err.what();
  }
  EXPECT_FALSE(fs::exists(dir / "pet_z"));
}

TEST(DerivedSeriesWriter, RefusesBadOutputsAndVolumesClearly) {
  ScratchDir dir;
  const fs::path src = writeSeries(dir / "source", 3);
  const std::string before = folderBytes(src);
  const DicomScan scan = scanDicomFolder(src);
  const SeriesInfo& source = onlySeries(scan);
  Volume v = patterned(source.geometry.grid, -500.0);
  v.setUnits("HU");
  const auto refused = [&](const Volume& volume, const fs::path& out, const std::string& words) {
    try {
      (void)writeDerivedSeries(volume, source, paramsFor(out));
      ADD_FAILURE() << "accepted " << out << " (expected: " << words << ")";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  refused(v, src, "is the source series' folder");
  refused(v, fs::path(src.string() + "/"), "is the source series' folder");
  refused(v, src / "derived", "lies inside the source series' folder");
  refused(v, dir.path(), "holds the source series");
  fs::create_directories(dir / "taken");
  fs::copy_file(src / "src_0.dcm", dir / "taken" / "old.dcm");
  refused(v, dir / "taken", "already holds DICOM files (old.dcm)");
  std::ofstream(dir / "afile") << "x";
  refused(v, dir / "afile", "exists and is not a folder");
  refused(Volume(), dir / "empty", "is empty");
  Volume nan(source.geometry.grid, std::numeric_limits<float>::quiet_NaN());
  refused(nan, dir / "nan", "no finite value (NaN only)");
  Volume sheared = v;
  Eigen::Matrix3d d = Eigen::Matrix3d::Identity();
  d(0, 1) = 0.3;
  sheared.setDirection(d);
  refused(sheared, dir / "sheared", "not orthonormal");
  EXPECT_THROW((void)writeDerivedSeries(v, source, paramsFor(dir / "nodesc", "")), ParameterError);
  EXPECT_EQ(folderBytes(src), before);
  // Nothing written anywhere: the scratch folder holds what the test made, only.
  EXPECT_EQ(entryCount(dir.path()), 3u);
  EXPECT_EQ(entryCount(dir / "taken"), 1u);
}

TEST(DerivedSeriesWriter, ExistingFolderWithoutDicomKeepsItsFiles) {
  ScratchDir dir;
  const DicomScan scan = scanDicomFolder(writeSeries(dir / "source", 3));
  const SeriesInfo& source = onlySeries(scan);
  fs::create_directories(dir / "out");
  std::ofstream(dir / "out" / "notes.txt") << "mine";
  Volume v = patterned(source.geometry.grid, -500.0);
  v.setUnits("HU");
  const DerivedSeriesReport r = writeDerivedSeries(v, source, paramsFor(dir / "out"));
  EXPECT_EQ(entryCount(dir / "out"), 4u);
  EXPECT_EQ(fileBytes(dir / "out" / "notes.txt"), "mine");
  EXPECT_EQ(loadDicomFolder(dir / "out").volume.nz(), 3);
}

TEST(DerivedSeriesWriter, NonFiniteVoxelsAreCountedAndWrittenAsTheLowestValue) {
  ScratchDir dir;
  const DicomScan scan = scanDicomFolder(writeSeries(dir / "source", 3));
  const SeriesInfo& source = onlySeries(scan);
  Volume v = patterned(source.geometry.grid, -500.0);
  v.setUnits("HU");
  v.at(2, 3, 1) = std::numeric_limits<float>::quiet_NaN();
  v.at(4, 1, 2) = std::numeric_limits<float>::infinity();
  const Extremes e = extremesOf(v);
  const DerivedSeriesReport r = writeDerivedSeries(v, source, paramsFor(dir / "out"));
  EXPECT_EQ(r.non_finite_voxels, 2u);
  ASSERT_EQ(r.warnings.size(), 1u);
  const Volume back = loadDicomFolder(dir / "out").volume;
  const double bound = quantumBound(v);
  EXPECT_NEAR(back.at(2, 3, 1), e.lo, bound);
  EXPECT_NEAR(back.at(4, 1, 2), e.lo, bound);
  EXPECT_NEAR(back.at(0, 0, 0), v.at(0, 0, 0), bound);
}

TEST(DerivedSeriesWriter, CancelLeavesNoPartialSeries) {
  ScratchDir dir;
  const DicomScan scan = scanDicomFolder(writeSeries(dir / "source", 6));
  const SeriesInfo& source = onlySeries(scan);
  Volume v = patterned(source.geometry.grid, -500.0);
  v.setUnits("HU");
  CancelAfter cancel(3);
  EXPECT_THROW((void)writeDerivedSeries(v, source, paramsFor(dir / "new"), cancel), Cancelled);
  EXPECT_FALSE(fs::exists(dir / "new"));
  EXPECT_EQ(entryCount(dir.path()), 1u);
  // Into an existing folder: it keeps only what it held.
  fs::create_directories(dir / "old");
  std::ofstream(dir / "old" / "notes.txt") << "mine";
  CancelAfter again(3);
  EXPECT_THROW((void)writeDerivedSeries(v, source, paramsFor(dir / "old"), again), Cancelled);
  EXPECT_EQ(entryCount(dir / "old"), 1u);
}

TEST(DerivedSeriesWriter, TakesTheSourceAsFiles) {
  ScratchDir dir;
  const fs::path src = writeSeries(dir / "source", 3);
  const DicomScan scan = scanDicomFolder(src);
  Volume v = patterned(onlySeries(scan).geometry.grid, -500.0);
  v.setUnits("HU");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(src)) files.push_back(e.path());
  const DerivedSeriesReport r = writeDerivedSeries(v, files, paramsFor(dir / "out"));
  EXPECT_EQ(r.files.size(), 3u);
  EXPECT_THROW((void)writeDerivedSeries(v, std::vector<fs::path>{}, paramsFor(dir / "x")),
               InputError);
}

TEST(DerivedSeriesWriter, EncodingKeepsTheRangeWithinHalfAStep) {
  // Properties of the documented choice, checked for ranges of every scale.
  for (const auto& [lo, hi] :
       {std::pair{-1024.3, 3071.9}, std::pair{1e6, 1e6 + 1e-3}, std::pair{-3.5, 2.25},
        std::pair{0.0, 0.0}, std::pair{-7.0, -7.0}, std::pair{1e-9, 3e-9}}) {
    const PixelEncoding e = chooseEncoding(lo, hi, false, false);
    EXPECT_TRUE(e.pixel_signed);
    EXPECT_LE(e.slope, std::max((hi - lo) / 65535.0 * (1 + 1e-9), hi == lo ? 1.0 : 0.0));
    for (double x : {lo, hi, 0.5 * (lo + hi)}) {
      const double stored = std::nearbyint((x - e.intercept) / e.slope);
      EXPECT_GE(stored, -32768.0) << lo << ".." << hi;
      EXPECT_LE(stored, 32767.0) << lo << ".." << hi;
      EXPECT_LE(std::abs(e.slope * stored + e.intercept - x), e.slope / 2 * (1 + 1e-6) + 1e-9)
          << lo << ".." << hi;
    }
  }
  // PET: intercept 0; uint16 for non-negative values.
  PixelEncoding pet = chooseEncoding(0.0, 12.5, false, true);
  EXPECT_EQ(pet.intercept, 0.0);
  EXPECT_FALSE(pet.pixel_signed);
  EXPECT_LE(pet.slope, 12.5 / 65535.0 * (1 + 1e-9));
  EXPECT_GE(pet.slope * 65535.0, 12.5);
  pet = chooseEncoding(-1.0, 12.5, false, true);
  EXPECT_EQ(pet.intercept, 0.0);
  EXPECT_TRUE(pet.pixel_signed);
  EXPECT_GE(pet.slope * 32767.0, 12.5);
  EXPECT_GE(pet.slope * 32768.0, 1.0);
  EXPECT_THROW((void)chooseEncoding(1.0, 0.0, false, false), ParameterError);
}

TEST(DerivedSeriesWriter, GdcmToolsParseTheFiles) {
  if (!haveTool("gdcminfo") || !haveTool("gdcmdump")) {
    GTEST_SKIP() << "gdcminfo/gdcmdump not installed (Debian package libgdcm-tools)";
  }
  ScratchDir dir;
  const DicomScan scan = scanDicomFolder(writeSeries(dir / "source", 3));
  Volume v = patterned(onlySeries(scan).geometry.grid, -500.0);
  v.setUnits("HU");
  const DerivedSeriesReport r = writeDerivedSeries(v, onlySeries(scan), paramsFor(dir / "out"));
  const std::string file = shellQuote(r.files.front().string());
  const fs::path info = dir / "info.txt";
  ASSERT_EQ(std::system(("gdcminfo " + file + " >" + info.string() + " 2>&1").c_str()), 0)
      << fileBytes(info);
  EXPECT_NE(fileBytes(info).find("CT Image Storage"), std::string::npos) << fileBytes(info);
  const fs::path dump = dir / "dump.txt";
  ASSERT_EQ(std::system(("gdcmdump " + file + " >" + dump.string() + " 2>&1").c_str()), 0)
      << fileBytes(dump);
  EXPECT_NE(fileBytes(dump).find("DERIVED\\SECONDARY"), std::string::npos) << fileBytes(dump);
}

TEST(DerivedSeriesWriter, RealCtSeriesAfterAHarmonizationLikeChange) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  const fs::path src = data / "sts" / "STS_001" / "CT" / "image";
  const std::string before = folderBytes(src);
  const DicomScan scan = scanDicomFolder(src);
  const SeriesInfo& source = onlySeries(scan);
  const LoadedSeries loaded = loadSeries(source);
  Volume changed = loaded.volume;
  for (float& x : changed.voxels()) x = 0.93f * x + 7.25f;
  const DerivedSeriesReport r =
      writeDerivedSeries(changed, source, paramsFor(dir / "ct", "Kernel-matched (Harmonia)"));
  const LoadedSeries back = loadDicomFolder(dir / "ct");
  EXPECT_TRUE(back.volume.geometry().sameGrid(changed.geometry(), 1e-5));
  EXPECT_LE(maxDifference(back.volume, changed), quantumBound(changed));
  const DicomHeader h = readDicomHeader(r.files.front());
  EXPECT_EQ(h.text(tag::StudyInstanceUid), source.study_uid);
  EXPECT_EQ(h.text(tag::PatientId), source.patient_id);
  EXPECT_EQ(h.text(tag::Manufacturer), source.manufacturer);
  EXPECT_FALSE(hasPrivateElements(r.files.front()));
  EXPECT_EQ(folderBytes(src), before);
  if (haveTool("gdcminfo")) {
    const std::string cmd =
        "gdcminfo " + shellQuote(r.files[r.files.size() / 2].string()) + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
  }
}

TEST(DerivedSeriesWriter, RealPetFromBqmlReadsBackAsTheSameSuv) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  const DicomScan scan = scanDicomFolder(data / "suv_dro" / "DRO_0_0" / "PT");
  const SeriesInfo& source = onlySeries(scan);
  const LoadedSeries loaded = loadSeries(source);
  ASSERT_EQ(source.slices.front().header->text(tag::Units), "BQML");
  (void)writeDerivedSeries(loaded.volume, source, paramsFor(dir / "pet"));
  const LoadedSeries back = loadDicomFolder(dir / "pet");
  EXPECT_EQ(back.volume.units(), loaded.volume.units());
  const Extremes e = extremesOf(loaded.volume);
  EXPECT_LE(maxDifference(back.volume, loaded.volume),
            e.hi / 65535.0 / 2.0 * (1 + 1e-9) + floatSlack(e.hi));
}
