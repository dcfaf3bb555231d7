// The IBSI reference tables and the digital phantom are read as the IBSI
// documents them (checks of the test support itself).
#include "IbsiTestSupport.h"

namespace harmonia::test {

TEST(IbsiData, DigitalPhantomHas74VoxelsAndGreyLevelsOneToSix) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const features::PreparedRoi roi = digitalPhantomRoi();
  EXPECT_EQ(roi.image.nx(), 5);
  EXPECT_EQ(roi.image.ny(), 4);
  EXPECT_EQ(roi.image.nz(), 4);
  int count = 0;
  for (auto level : roi.grey_levels.levels) count += level != 0 ? 1 : 0;
  // IBSI (docs/05_Reference_data_sets.rst): 74 voxels in the ROI, grey levels
  // 1 (lowest) to 6 (highest).
  EXPECT_EQ(count, 74);
  EXPECT_EQ(roi.grey_levels.level_count, 6);
}

TEST(IbsiData, ReferenceTablesHaveTheirTagsAndTolerances) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const auto phantom = readIbsiReference("digital_phantom");
  const auto a = readIbsiReference("config_A");
  const auto c = readIbsiReference("config_C");
  EXPECT_GT(phantom.size(), 400u);
  EXPECT_GT(a.size(), 250u);
  EXPECT_GT(c.size(), 150u);
  const auto volume = std::find_if(phantom.begin(), phantom.end(),
                                   [](const IbsiReference& r) { return r.tag == "morph_volume"; });
  ASSERT_NE(volume, phantom.end());
  EXPECT_EQ(volume->value, 556.0);
  EXPECT_EQ(volume->tolerance, 4.0);
}

TEST(IbsiData, ZeroToleranceMeansAgreementToThePublishedDigits) {
  EXPECT_DOUBLE_EQ(halfLastDigit("0.698"), 0.0005);
  EXPECT_DOUBLE_EQ(halfLastDigit("556"), 0.5);
  EXPECT_DOUBLE_EQ(halfLastDigit("-0.0312"), 0.00005);
  EXPECT_DOUBLE_EQ(halfLastDigit("1.53e+03"), 5.0);
  EXPECT_DOUBLE_EQ(halfLastDigit("6000"), 5.0);
  features::FeatureSet set;
  set.add("a", "f", "", 0.6984);
  set.add("b", "f", "", 0.6986);
  const std::vector<IbsiReference> refs = {{"a", "F", 0.698, 0.0, "0.698"},
                                           {"b", "F", 0.698, 0.0, "0.698"}};
  EXPECT_EQ(compareWithIbsi(set, {refs[0]}, {}, "rounding"), 0);
  EXPECT_EQ(compareWithIbsi(set, {refs[1]}, {}, "rounding"), 1);
}

}  // namespace harmonia::test
