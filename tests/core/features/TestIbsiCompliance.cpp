// End-to-end IBSI 1 compliance: the whole chain (files → prepareRoi → every
// family) against the IBSI consensus reference values of the digital phantom
// and of the CT phantom in configurations A and C
// (../shared/data/ibsi/reference, IBSI arXiv:1612.07003).
#include <gtest/gtest.h>

#include "IbsiTestSupport.h"
#include "core/features/Extractor.h"
#include "core/features/FeatureSettings.h"

namespace harmonia::test {
namespace {

features::FeatureSet extractFromNifti(const std::string& phantom,
                                      const features::FeatureSettings& settings) {
  const auto dir = ibsiDataDir() / phantom / "nifti";
  Volume image = readVolume(dir / "image" / "phantom.nii.gz");
  // IBSI (docs/05_Reference_data_sets.rst): NIfTI stacks are converted to
  // floating point and rounded to the nearest integer before processing.
  for (float& v : image.voxels()) v = std::nearbyint(v);
  const MaskVolume mask = readMask(dir / "mask" / "mask.nii.gz");
  return features::extractFeatures(image, mask, settings, noProgress());
}

}  // namespace

TEST(IbsiCompliance, DigitalPhantomEveryFeatureWithinTolerance) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const auto features = extractFromNifti("digital_phantom", features::ibsiPreset("phantom"));
  EXPECT_EQ(compareWithIbsi(features, readIbsiReference("digital_phantom"), {}, "digital phantom"),
            0);
}

TEST(IbsiCompliance, CtPhantomConfigurationAEveryFeatureWithinTolerance) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const auto features = extractFromNifti("ct_phantom", features::ibsiPreset("A"));
  EXPECT_EQ(compareWithIbsi(features, readIbsiReference("config_A"), {}, "configuration A"), 0);
}

TEST(IbsiCompliance, CtPhantomConfigurationCEveryFeatureWithinTolerance) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const auto features = extractFromNifti("ct_phantom", features::ibsiPreset("C"));
  EXPECT_EQ(compareWithIbsi(features, readIbsiReference("config_C"), {}, "configuration C"), 0);
}

}  // namespace harmonia::test
