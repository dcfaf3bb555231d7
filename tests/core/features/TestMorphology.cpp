// Morphology and local intensity against the IBSI 1 reference values
// (docs/05_Reference_data_sets.rst): the digital phantom and the CT phantom
// in configuration A.
#include <gtest/gtest.h>

#include "core/features/Families.h"
#include "tests/core/features/IbsiTestSupport.h"
#include "tests/core/features/MorphologyTestSupport.h"

using namespace harmonia;
using namespace harmonia::features;
using namespace harmonia::test;

TEST(MorphologyIbsi, DigitalPhantomMatchesReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const PreparedRoi roi = digitalPhantomRoi();
  FeatureSet features;
  computeMorphology(roi, features, noProgress());
  computeLocalIntensity(roi, features, noProgress());
  EXPECT_EQ(features.size(), 31u);
  const int bad = compareWithIbsi(features, readIbsiReference("digital_phantom"),
                                  {"morph_", "loc_"}, "digital phantom morphology");
  EXPECT_EQ(bad, 0);
}

TEST(MorphologyIbsi, CtPhantomConfigAMatchesReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const PreparedRoi roi = ctPhantomConfigARoi();
  FeatureSet features;
  computeMorphology(roi, features, noProgress());
  computeLocalIntensity(roi, features, noProgress());
  const int bad = compareWithIbsi(features, withoutDiagnostics(readIbsiReference("config_A")),
                                  {"morph_", "loc_"}, "CT phantom config A morphology");
  EXPECT_EQ(bad, 0);
}
