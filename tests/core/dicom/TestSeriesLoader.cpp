// Loading real series: geometry, physical units, progressive delivery,
// cancel, and compressed copies (made with gdcmconv) loading identically.

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>

#include "TestSupport.h"
#include "core/dicom/SeriesLoader.h"
#include "core/image/MetaDataKeys.h"
#include "core/stats/Summary.h"
#include "dicom/DicomTestSupport.h"

using namespace harmonia;
using harmonia::test::ScratchDir;

TEST(SeriesLoader, IbsiCtPhantomInHounsfieldUnits) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const LoadedSeries s = loadDicomFolder(data / "ibsi" / "ct_phantom" / "dicom" / "image");
  const Geometry3D& g = s.volume.geometry();
  EXPECT_EQ(g.size, (std::array<int, 3>{204, 201, 60}));
  EXPECT_NEAR(g.spacing_mm[0], 0.977, 1e-6);
  EXPECT_NEAR(g.spacing_mm[1], 0.977, 1e-6);
  EXPECT_NEAR(g.spacing_mm[2], 3.0, 1e-3);
  EXPECT_TRUE(g.direction.isIdentity(1e-9));
  EXPECT_TRUE(s.geometry.regular());
  EXPECT_EQ(s.volume.units(), "HU");
  const ValueSummary v = summarizeValues(s.volume);
  // Air is about -1000 HU (uint16 with intercept -1000); nothing below -1024.
  EXPECT_GE(v.min, -1024.0);
  EXPECT_LE(v.min, -900.0);
  EXPECT_LT(v.max, 4000.0);
  EXPECT_GT(v.max, 0.0);
}

TEST(SeriesLoader, StsCtPetMrGeometryAndUnits) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  struct Case {
    const char* folder;
    const char* modality;
    const char* units;
  };
  for (const char* patient : {"STS_001", "STS_002", "STS_003"}) {
    for (const Case c :
         {Case{"CT", "CT", "HU"}, Case{"PET", "PT", "SUVbw g/ml"}, Case{"MR_T1", "MR", ""}}) {
      SCOPED_TRACE(std::string(patient) + " " + c.folder);
      const DicomScan scan = scanDicomFolder(data / "sts" / patient / c.folder / "image");
      ASSERT_EQ(scan.series.size(), 1u);
      const SeriesInfo& info = scan.series.front();
      EXPECT_EQ(info.modality, c.modality);
      const LoadedSeries s = loadSeries(info);
      EXPECT_EQ(s.volume.units(), c.units);
      const Geometry3D& g = s.volume.geometry();
      const DicomHeader& first = *info.slices.front().header;
      const DicomHeader& last = *info.slices.back().header;
      EXPECT_EQ(g.size[0], first.columns);
      EXPECT_EQ(g.size[1], first.rows);
      const auto files = std::distance(
          std::filesystem::directory_iterator(data / "sts" / patient / c.folder / "image"),
          std::filesystem::directory_iterator());
      EXPECT_EQ(g.size[2], files);
      // Origin is the lowest slice; the last voxel plane is the highest slice.
      EXPECT_NEAR((g.origin_mm - *first.frames[0].position_mm).norm(), 0.0, 1e-6);
      const Eigen::Vector3d end = g.indexToWorld(Eigen::Vector3d(0, 0, g.size[2] - 1));
      EXPECT_NEAR((end - *last.frames[0].position_mm).norm(), 0.0, 0.05);
      EXPECT_LT((*first.frames[0].position_mm)[2], (*last.frames[0].position_mm)[2]);
      EXPECT_NEAR(g.spacing_mm[0], (*first.frames[0].pixel_spacing_mm)[1], 1e-9);
      EXPECT_NEAR(g.spacing_mm[2], first.number(tag::SliceThickness).value_or(0.0), 0.05);
      EXPECT_TRUE(s.geometry.regular()) << s.geometry.issues.size();
      const ValueSummary v = summarizeValues(s.volume);
      if (std::string(c.modality) == "PT") {
        EXPECT_GE(v.min, 0.0);
        EXPECT_GT(v.max, 1.0);  // a sarcoma is FDG-avid
        EXPECT_LT(v.max, 100.0);
      }
      if (std::string(c.modality) == "CT") {
        EXPECT_LT(v.min, -500.0);
      }
      if (std::string(c.modality) == "MR") {
        ASSERT_TRUE(s.mr.has_value());
        EXPECT_FALSE(s.mr->manufacturer.empty());
        EXPECT_EQ(s.volume.metadata().at(metakey::kModality), "MR");
      }
    }
  }
}

TEST(SeriesLoader, DeliversTheMiddleSliceFirstAndEverySliceOnce) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const DicomScan scan = scanDicomFolder(data / "ibsi" / "ct_phantom" / "dicom" / "image");
  SeriesLoader loader(scan.series.front());
  std::vector<std::atomic<int>> seen(60);
  std::atomic<int> first{-1};
  std::atomic<int> calls{0};
  const LoadedSeries s = loader.load(noProgress(), [&](int k, const float* values) {
    int expected = -1;
    first.compare_exchange_strong(expected, k);
    ++seen[static_cast<std::size_t>(k)];
    ++calls;
    EXPECT_TRUE(std::isfinite(values[0]));
  });
  EXPECT_EQ(first.load(), loader.firstSlice());
  EXPECT_EQ(calls.load(), 60);
  for (const auto& n : seen) EXPECT_EQ(n.load(), 1);
}

TEST(SeriesLoader, CancelLeavesNoOutput) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const DicomScan scan = scanDicomFolder(data / "ibsi" / "ct_phantom" / "dicom" / "image");
  AtomicProgress progress;
  SeriesLoader loader(scan.series.front());
  EXPECT_THROW((void)loader.load(progress, [&](int, const float*) { progress.requestCancel(); }),
               Cancelled);
}

TEST(SeriesLoader, CompressedCopiesLoadIdentically) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  if (!std::filesystem::exists("/usr/bin/gdcmconv")) GTEST_SKIP() << "gdcmconv not installed";
  const auto source = data / "ibsi" / "ct_phantom" / "dicom" / "image";
  ScratchDir dir;
  const auto plain = dir / "plain";
  std::filesystem::create_directory(plain);
  for (int i = 20; i < 26; ++i) {
    const std::string name = "DCM_IMG_000" + std::to_string(i) + ".dcm";
    std::filesystem::copy_file(source / name, plain / name);
  }
  const LoadedSeries reference = loadDicomFolder(plain);
  for (const char* codec : {"--jpegls", "--j2k", "--rle", "--jpeg", "--deflated"}) {
    SCOPED_TRACE(codec);
    const auto out = dir / (std::string(codec).substr(2));
    std::filesystem::create_directory(out);
    for (const auto& e : std::filesystem::directory_iterator(plain)) {
      const std::string cmd = std::string("/usr/bin/gdcmconv ") + codec + " '" + e.path().string() +
                              "' '" + (out / e.path().filename()).string() + "' >/dev/null 2>&1";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    const LoadedSeries copy = loadDicomFolder(out);
    ASSERT_TRUE(copy.volume.geometry().sameGrid(reference.volume.geometry()));
    std::size_t differ = 0;
    for (std::size_t i = 0; i < copy.volume.voxelCount(); ++i) {
      differ += copy.volume.data()[i] != reference.volume.data()[i];
    }
    EXPECT_EQ(differ, 0u);  // all lossless: bit-identical values
  }
}

TEST(SeriesLoader, EnhancedMultiFrameUsesPerFramePositions) {
  // GDCM writes a 3-D image as an Enhanced CT object with functional groups.
  ScratchDir dir;
  gdcm::ImageWriter w;
  gdcm::Image& image = w.GetImage();
  image.SetNumberOfDimensions(3);
  image.SetDimension(0, 6);
  image.SetDimension(1, 5);
  image.SetDimension(2, 4);
  image.SetPixelFormat(gdcm::PixelFormat(gdcm::PixelFormat::INT16));
  image.SetPhotometricInterpretation(gdcm::PhotometricInterpretation::MONOCHROME2);
  image.SetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
  const double origin[3] = {1.0, 2.0, 3.0};
  image.SetOrigin(origin);
  image.SetSpacing(0, 0.5);
  image.SetSpacing(1, 0.5);
  image.SetSpacing(2, 2.0);
  image.SetIntercept(-1000.0);
  image.SetSlope(1.0);
  std::vector<std::int16_t> pixels(6 * 5 * 4);
  for (std::size_t i = 0; i < pixels.size(); ++i)
    pixels[i] = static_cast<std::int16_t>(i / 30 * 10);
  gdcm::DataElement pd(gdcm::Tag(0x7fe0, 0x0010));
  pd.SetByteValue(reinterpret_cast<const char*>(pixels.data()),
                  static_cast<std::uint32_t>(pixels.size() * 2));
  image.SetDataElement(pd);
  gdcm::DataSet& ds = w.GetFile().GetDataSet();
  test::setString(ds, gdcm::Tag(0x0008, 0x0060), "CT", gdcm::VR::CS);
  test::setString(ds, gdcm::Tag(0x0020, 0x000E), "1.2.826.0.1.3680043.2.1143.77", gdcm::VR::UI);
  w.SetFileName((dir / "enhanced.dcm").string().c_str());
  ASSERT_TRUE(w.Write());

  const DicomScan scan = scanDicomFolder(dir.path());
  ASSERT_EQ(scan.series.size(), 1u) << (scan.skipped.empty() ? "" : scan.skipped[0].reason);
  const LoadedSeries s = loadSeries(scan.series.front());
  const Geometry3D& g = s.volume.geometry();
  EXPECT_EQ(g.size, (std::array<int, 3>{6, 5, 4}));
  EXPECT_NEAR(g.spacing_mm[2], 2.0, 1e-9);
  EXPECT_NEAR((g.origin_mm - Eigen::Vector3d(1, 2, 3)).norm(), 0.0, 1e-9);
  for (int k = 0; k < 4; ++k) EXPECT_FLOAT_EQ(s.volume.at(2, 2, k), -1000.0f + 10.0f * k);
}
