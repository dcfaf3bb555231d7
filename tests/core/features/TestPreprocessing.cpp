// Re-segmentation, discretisation and bad input of the IBSI processing chain,
// on hand-made ROIs.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/features/FeatureSettings.h"
#include "core/features/Preprocessing.h"
#include "core/job/Progress.h"
#include "core/util/Error.h"

namespace harmonia::features {
namespace {

// IBSI 2.7 fixed bin number: floor(Ng (x - min) / (max - min)) + 1, Ng at the maximum.
TEST(PreprocessingDiscretisation, FixedBinNumberOnHandMadeValues) {
  const std::vector<double> values{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  DiscretisationSettings s;
  s.method = DiscretisationMethod::FixedBinNumber;
  s.bin_count = 5;
  const Discretised d = discretise(values, s, {});
  EXPECT_EQ(d.levels, (std::vector<std::int32_t>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5}));
  EXPECT_EQ(d.level_count, 5);
  EXPECT_DOUBLE_EQ(d.bin_width, 2.0);
  EXPECT_DOUBLE_EQ(d.lower_bound, 0.0);
  // The bins follow the ROI's range, not a re-segmentation range.
  ResegmentationSettings reseg;
  reseg.range_min = -100.0;
  EXPECT_EQ(discretise(values, s, reseg).levels, d.levels);
}

TEST(PreprocessingDiscretisation, FixedBinNumberOfAConstantRoiIsOneLevel) {
  DiscretisationSettings s;
  s.bin_count = 32;
  const Discretised d = discretise({4.0, 4.0, 4.0}, s, {});
  EXPECT_EQ(d.levels, (std::vector<std::int32_t>{1, 1, 1}));
  EXPECT_EQ(d.level_count, 32);
  EXPECT_EQ(d.bin_width, 0.0);
}

// IBSI 2.7 fixed bin size: floor((x - lower bound) / w) + 1.
TEST(PreprocessingDiscretisation, FixedBinSizeWithTheIbsiLowerBoundConvention) {
  const std::vector<double> values{-480, -476, -475, -450, 0, 399};
  DiscretisationSettings s;
  s.method = DiscretisationMethod::FixedBinSize;
  s.bin_width = 25.0;
  // No lower bound and no range: the ROI minimum (-480).
  Discretised d = discretise(values, s, {});
  EXPECT_EQ(d.levels, (std::vector<std::int32_t>{1, 1, 1, 2, 20, 36}));
  EXPECT_EQ(d.level_count, 36);
  EXPECT_EQ(d.lower_bound, -480.0);
  // The re-segmentation range's lower bound (-500).
  ResegmentationSettings reseg;
  reseg.range_min = -500.0;
  reseg.range_max = 400.0;
  d = discretise(values, s, reseg);
  EXPECT_EQ(d.levels, (std::vector<std::int32_t>{1, 1, 2, 3, 21, 36}));
  EXPECT_EQ(d.level_count, 36);
  EXPECT_EQ(d.lower_bound, -500.0);
  EXPECT_EQ(d.bin_width, 25.0);
  // An explicit lower bound wins.
  s.lower_bound = -1000.0;
  d = discretise(values, s, reseg);
  EXPECT_EQ(d.levels, (std::vector<std::int32_t>{21, 21, 22, 23, 41, 56}));
  EXPECT_EQ(d.lower_bound, -1000.0);
  s.bin_width = 0.0;
  EXPECT_THROW(discretise(values, s, reseg), InputError);
}

TEST(PreprocessingDiscretisation, NoneRoundsTheIntensitiesToLevels) {
  DiscretisationSettings s;
  s.method = DiscretisationMethod::None;
  const Discretised d = discretise({1.0, 2.4, 5.6, 6.0}, s, {});
  EXPECT_EQ(d.levels, (std::vector<std::int32_t>{1, 2, 6, 6}));
  EXPECT_EQ(d.level_count, 6);
  EXPECT_EQ(d.bin_width, 1.0);
  EXPECT_EQ(d.lower_bound, 0.5);
}

// A 7x7x7 image with a 3x3x3 ROI in its centre; `roiValue(n)` gives the
// n-th ROI voxel's intensity (grid order) and the rest of the image is -2000.
template <typename F>
std::pair<Volume, MaskVolume> cubeRoi(F roiValue) {
  Geometry3D g;
  g.size = {7, 7, 7};
  g.spacing_mm = {1.0, 1.0, 1.0};
  Volume image(g, -2000.0f);
  MaskVolume mask(g, 0);
  int n = 0;
  for (int k = 2; k < 5; ++k)
    for (int j = 2; j < 5; ++j)
      for (int i = 2; i < 5; ++i) {
        image.at(i, j, k) = static_cast<float>(roiValue(n++));
        mask.at(i, j, k) = 1;
      }
  return {image, mask};
}

std::size_t countNonzero(const MaskVolume& m) {
  std::size_t c = 0;
  for (auto v : m.voxels()) c += v != 0 ? 1 : 0;
  return c;
}

TEST(PreprocessingResegmentation, RangeKeepsTheMorphologicalMask) {
  const auto [image, mask] = cubeRoi([](int n) { return n; });  // 0..26
  FeatureSettings s;
  s.resegmentation.range_min = 5.0;
  s.resegmentation.range_max = 20.0;
  s.discretisation.method = DiscretisationMethod::FixedBinSize;
  s.discretisation.bin_width = 4.0;
  NullProgress progress;
  const PreparedRoi roi = prepareRoi(image, mask, s, progress);
  EXPECT_EQ(countNonzero(roi.morphological_mask), 27u);
  EXPECT_EQ(countNonzero(roi.intensity_mask), 16u);  // 5..20, both ends included
  const auto values = roi.roiIntensities();
  ASSERT_EQ(values.size(), 16u);
  EXPECT_EQ(values.front(), 5.0);
  EXPECT_EQ(values.back(), 20.0);
  // Levels from the range's lower bound 5 in bins of 4: 5..8 -> 1, ..., 17..20 -> 4.
  for (std::size_t q = 0; q < roi.grey_levels.levels.size(); ++q) {
    const bool in = roi.intensity_mask.voxels()[q] != 0;
    const int level = roi.grey_levels.levels[q];
    if (!in) {
      EXPECT_EQ(level, 0);
      continue;
    }
    EXPECT_EQ(level, static_cast<int>((roi.image.voxels()[q] - 5.0f) / 4.0f) + 1);
    EXPECT_EQ(roi.grey_levels.morphological[q], 1);
  }
  EXPECT_EQ(roi.grey_levels.level_count, 4);
  EXPECT_EQ(roi.diagnostics.value("int_mask_vox_count_reseg_roi"), 16.0);
  EXPECT_EQ(roi.diagnostics.value("morph_mask_vox_count_reseg_roi"), 27.0);
  EXPECT_EQ(roi.diagnostics.value("int_mask_min_int_reseg_roi"), 5.0);
  EXPECT_EQ(roi.diagnostics.value("int_mask_max_int_reseg_roi"), 20.0);
  // 5..20 in the 3x3x3 cube (n = i + 3 j + 9 k) spans k 0..2, j 0..2, i 0..2.
  EXPECT_EQ(roi.diagnostics.value("int_mask_bb_dim_z_reseg_roi"), 3.0);
  // The crop: the 3-voxel cube plus a 6.3 mm margin, clamped to the 7-voxel image.
  EXPECT_EQ(roi.image.geometry().size, (std::array<int, 3>{7, 7, 7}));
}

TEST(PreprocessingResegmentation, ThreeSigmaRemovesTheOutlier) {
  // 26 voxels of 10 and one of 1000: mean 46.67, sd 186.9, so [-514, 607].
  const auto [image, mask] = cubeRoi([](int n) { return n == 13 ? 1000.0 : 10.0; });
  FeatureSettings s;
  s.resegmentation.outlier_filter3_sigma = true;
  NullProgress progress;
  const PreparedRoi roi = prepareRoi(image, mask, s, progress);
  EXPECT_EQ(countNonzero(roi.morphological_mask), 27u);
  EXPECT_EQ(countNonzero(roi.intensity_mask), 26u);
  EXPECT_EQ(roi.intensity_mask.at(3, 3, 3), 0);
  EXPECT_EQ(roi.diagnostics.value("int_mask_max_int_reseg_roi"), 10.0);
}

TEST(PreprocessingResegmentation, RangeComesBeforeTheThreeSigmaFilter) {
  // 25 voxels of 0, one of 30 and one of 5000. With the range [-100, 100]
  // first, 5000 goes, then mean 1.15 and sd 5.77 put 30 outside
  // [-16.2, 18.5]. The 3-sigma filter alone would keep 30 (sd 962).
  const auto [image, mask] =
      cubeRoi([](int n) { return n == 0 ? 5000.0 : (n == 26 ? 30.0 : 0.0); });
  FeatureSettings s;
  s.resegmentation.range_min = -100.0;
  s.resegmentation.range_max = 100.0;
  s.resegmentation.outlier_filter3_sigma = true;
  NullProgress progress;
  EXPECT_EQ(countNonzero(prepareRoi(image, mask, s, progress).intensity_mask), 25u);
  s.resegmentation.range_min.reset();
  s.resegmentation.range_max.reset();
  EXPECT_EQ(countNonzero(prepareRoi(image, mask, s, progress).intensity_mask), 26u);
}

std::string errorOf(const Volume& image, const MaskVolume& mask, const FeatureSettings& s) {
  NullProgress progress;
  try {
    prepareRoi(image, mask, s, progress);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(PreprocessingErrors, EmptyMaskNanAndEmptyResegmentationAreInputErrors) {
  auto [image, mask] = cubeRoi([](int n) { return n; });
  FeatureSettings s;
  MaskVolume empty(mask.geometry(), 0);
  EXPECT_NE(errorOf(image, empty, s).find("the mask is empty"), std::string::npos);

  Volume withNan = image;
  withNan.at(3, 3, 3) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_NE(errorOf(withNan, mask, s).find("NaN"), std::string::npos);

  s.resegmentation.range_min = -500.0;
  s.resegmentation.range_max = -400.0;
  EXPECT_NE(errorOf(image, mask, s).find("the ROI is empty after re-segmentation to [-500, -400]"),
            std::string::npos)
      << errorOf(image, mask, s);

  FeatureSettings plain;
  Geometry3D other = mask.geometry();
  other.spacing_mm = {2.0, 1.0, 1.0};
  MaskVolume elsewhere(other, 1);
  EXPECT_NE(errorOf(image, elsewhere, plain).find("differs from the image's"), std::string::npos);

  // One voxel and a 4 mm grid with a partial-volume threshold of 1: nothing left.
  MaskVolume one(mask.geometry(), 0);
  one.at(3, 3, 3) = 1;
  FeatureSettings coarse;
  coarse.interpolation.enabled = true;
  coarse.interpolation.spacing_mm = {4.0, 4.0, 4.0};
  coarse.interpolation.mask_partial_volume_threshold = 1.0;
  EXPECT_NE(errorOf(image, one, coarse).find("no voxel of the ROI is left after interpolating"),
            std::string::npos)
      << errorOf(image, one, coarse);

  // 'none' discretisation needs levels >= 1.
  FeatureSettings none;
  none.discretisation.method = DiscretisationMethod::None;
  EXPECT_NE(errorOf(image, mask, none).find("discretisation 'none'"), std::string::npos);
}

TEST(PreprocessingErrors, CancellationIsHonoured) {
  const auto [image, mask] = cubeRoi([](int n) { return n; });
  AtomicProgress progress;
  progress.requestCancel();
  EXPECT_THROW(prepareRoi(image, mask, FeatureSettings{}, progress), Cancelled);
}

// IBSI 2.4 partial-volume threshold on a mask interpolated to half the
// spacing: the grid points next to the ROI's ends get 0.75 and 0.25.
TEST(PreprocessingResegmentation, PartialVolumeThresholdOnAHalvedGrid) {
  Geometry3D g;
  g.size = {8, 1, 1};
  g.spacing_mm = {2.0, 1.0, 1.0};
  Volume image(g, 7.0f);
  MaskVolume mask(g, 0);
  for (int i = 2; i < 6; ++i) mask.at(i, 0, 0) = 1;
  FeatureSettings s;
  s.interpolation.enabled = true;
  s.interpolation.in_plane_only = true;
  s.interpolation.spacing_mm = {1.0, 1.0, 1.0};
  s.diagnostics = true;
  NullProgress progress;
  // New grid: 16 points at -0.25, 0.25, ..., 7.25: inside voxels 2..5 give
  // 1 on [2, 5], 0.75 at 1.75 and 5.25, 0.25 at 1.25 and 5.75.
  EXPECT_EQ(
      prepareRoi(image, mask, s, progress).diagnostics.value("morph_mask_vox_count_interp_roi"),
      8.0);
  s.interpolation.mask_partial_volume_threshold = 0.25;
  EXPECT_EQ(
      prepareRoi(image, mask, s, progress).diagnostics.value("morph_mask_vox_count_interp_roi"),
      10.0);
  s.interpolation.mask_partial_volume_threshold = 0.26;
  EXPECT_EQ(
      prepareRoi(image, mask, s, progress).diagnostics.value("morph_mask_vox_count_interp_roi"),
      8.0);
}

}  // namespace
}  // namespace harmonia::features
