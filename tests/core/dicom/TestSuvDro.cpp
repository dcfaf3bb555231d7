// The shared SUV digital reference objects: every case must give SUVbw
// min / median / max 0.20 / 1.00 / 4.00 inside mask/DRO_mask.nii.gz.

#include <gtest/gtest.h>

#include <cstdio>

#include "TestSupport.h"
#include "core/dicom/SeriesLoader.h"
#include "core/image/MaskOnGrid.h"
#include "core/io/ImageIO.h"
#include "core/stats/Summary.h"

using namespace harmonia;

namespace {

class SuvDro : public ::testing::TestWithParam<const char*> {};

TEST_P(SuvDro, GivesReferenceValuesInsideTheMask) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto dro = data / "suv_dro" / GetParam();
  const LoadedSeries loaded = loadDicomFolder(dro / "PT");
  EXPECT_EQ(loaded.volume.units(), "SUVbw g/ml");
  EXPECT_EQ(loaded.volume.nz(), 20);
  const MaskVolume mask =
      maskOnGrid(readMask(dro / "mask" / "DRO_mask.nii.gz"), loaded.volume.geometry());
  const ValueSummary s = summarizeValues(loaded.volume, &mask);
  std::printf("  %s: SUVbw min %.4f median %.4f max %.4f (%llu voxels)\n", GetParam(), s.min,
              s.median, s.max, static_cast<unsigned long long>(s.count));
  ASSERT_GT(s.count, 1000u);
  // The manual asks for two decimals; 0.5% is tighter than that at 4.00.
  EXPECT_NEAR(s.min, 0.20, 0.20 * 0.005) << loaded.conversion.explanation();
  EXPECT_NEAR(s.median, 1.00, 1.00 * 0.005) << loaded.conversion.explanation();
  EXPECT_NEAR(s.max, 4.00, 4.00 * 0.005) << loaded.conversion.explanation();
}

INSTANTIATE_TEST_SUITE_P(AllSharedCases, SuvDro,
                         ::testing::Values("DRO_0_0", "DRO_1_0", "DRO_2_0", "DRO_2_1", "DRO_2_4",
                                           "DRO_3_0", "DRO_3_1", "DRO_4_0"));

}  // namespace
