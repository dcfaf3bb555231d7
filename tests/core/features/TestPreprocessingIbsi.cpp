// The IBSI processing chain on the IBSI CT phantom: the diagnostic features of
// configurations A and C against the IBSI reference values.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "IbsiTestSupport.h"
#include "core/features/FeatureSettings.h"
#include "core/features/Preprocessing.h"
#include "core/io/ImageIO.h"
#include "core/job/Progress.h"

namespace harmonia::features {
namespace {

using test::ibsiDataDir;

const std::vector<std::string> kDiagnosticPrefixes = {
    "img_dim_", "vox_dim_", "mean_int_", "min_int_", "max_int_", "int_mask_", "morph_mask_"};

// The CT phantom as IBSI asks: converted to float and rounded to the nearest
// integer (docs/05_Reference_data_sets.rst, "Lung cancer CT image").
struct CtPhantom {
  Volume image;
  MaskVolume mask;
};
const CtPhantom& ctPhantom() {
  static const CtPhantom p = [] {
    CtPhantom c;
    const auto dir = ibsiDataDir() / "ct_phantom" / "nifti";
    c.image = readVolume(dir / "image" / "phantom.nii.gz");
    for (float& v : c.image.voxels()) v = std::round(v);
    c.mask = readMask(dir / "mask" / "mask.nii.gz");
    return c;
  }();
  return p;
}

PreparedRoi prepareConfig(const std::string& name) {
  const CtPhantom& p = ctPhantom();
  NullProgress progress;
  return prepareRoi(p.image, p.mask, ibsiPreset(name), progress);
}

TEST(PreprocessingIbsi, ConfigurationADiagnosticsMatchTheReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const PreparedRoi roi = prepareConfig("A");
  const auto refs = test::readIbsiReference("config_A");
  EXPECT_EQ(
      test::compareWithIbsi(roi.diagnostics, refs, kDiagnosticPrefixes, "config A diagnostics"), 0);
  // The diagnostics are all there is of the initial/interpolated/re-segmented
  // stages: 9 per image stage, 14 per ROI stage.
  EXPECT_EQ(roi.diagnostics.size(), 2u * 9u + 3u * 14u);
}

TEST(PreprocessingIbsi, ConfigurationCDiagnosticsMatchTheReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const PreparedRoi roi = prepareConfig("C");
  const auto refs = test::readIbsiReference("config_C");
  EXPECT_EQ(
      test::compareWithIbsi(roi.diagnostics, refs, kDiagnosticPrefixes, "config C diagnostics"), 0);
}

double referenceValue(const std::vector<test::IbsiReference>& refs, const std::string& tag,
                      double* tolerance) {
  for (const auto& r : refs)
    if (r.tag == tag) {
      *tolerance = r.tolerance;
      return r.value;
    }
  ADD_FAILURE() << "no reference for " << tag;
  return std::nan("");
}

TEST(PreprocessingIbsi, ConfigurationCResegmentedRoiAgreesWithTheReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const PreparedRoi roi = prepareConfig("C");
  // Independently of the diagnostics: the intensities the families read.
  const std::vector<double> values = roi.roiIntensities();
  const double mean =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  const auto refs = test::readIbsiReference("config_C");
  double tolCount = 0.0;
  double tolMean = 0.0;
  const double refCount = referenceValue(refs, "int_mask_vox_count_reseg_roi", &tolCount);
  const double refMean = referenceValue(refs, "int_mask_mean_int_reseg_roi", &tolMean);
  EXPECT_NEAR(static_cast<double>(values.size()), refCount, tolCount);
  EXPECT_NEAR(mean, refMean, tolMean);
  // Every value is in the re-segmentation range [-1000, 400], an integer
  // (rounded after interpolation), and the grid is the 2 mm grid.
  for (double v : values) {
    ASSERT_GE(v, -1000.0);
    ASSERT_LE(v, 400.0);
    ASSERT_EQ(v, std::round(v));
  }
  EXPECT_DOUBLE_EQ(roi.image.geometry().spacing_mm.x(), 2.0);
  EXPECT_DOUBLE_EQ(roi.image.geometry().spacing_mm.z(), 2.0);
  // The diagnostics say the same.
  EXPECT_EQ(roi.diagnostics.value("int_mask_vox_count_reseg_roi"),
            static_cast<double>(values.size()));
  EXPECT_NEAR(roi.diagnostics.value("int_mask_mean_int_reseg_roi"), mean, 1e-9);
  // Grey levels: FBS 25 HU from -1000: level = floor((x + 1000) / 25) + 1.
  std::size_t n = 0;
  for (std::size_t q = 0; q < roi.grey_levels.levels.size(); ++q) {
    if (roi.intensity_mask.voxels()[q] == 0) {
      ASSERT_EQ(roi.grey_levels.levels[q], 0);
      continue;
    }
    ASSERT_EQ(roi.grey_levels.levels[q],
              static_cast<int>(std::floor((values[n++] + 1000.0) / 25.0)) + 1);
  }
  EXPECT_EQ(roi.bin_width, 25.0);
  EXPECT_EQ(roi.bin_lower_bound, -1000.0);
}

TEST(PreprocessingIbsi, CropKeepsTheLocalIntensityMarginAroundTheMorphologicalMask) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const PreparedRoi roi = prepareConfig("C");
  const auto& g = roi.morphological_mask.geometry();
  std::array<int, 3> lo{g.size[0], g.size[1], g.size[2]};
  std::array<int, 3> hi{-1, -1, -1};
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i)
        if (roi.morphological_mask.at(i, j, k) != 0) {
          lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
          hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
        }
  // 6.3 mm at 2 mm: 4 voxels on each side (the tumour is far from the edges).
  for (int a = 0; a < 3; ++a) {
    EXPECT_EQ(lo[static_cast<std::size_t>(a)], 4) << "axis " << a;
    EXPECT_EQ(g.size[static_cast<std::size_t>(a)] - 1 - hi[static_cast<std::size_t>(a)], 4)
        << "axis " << a;
  }
}

}  // namespace
}  // namespace harmonia::features
