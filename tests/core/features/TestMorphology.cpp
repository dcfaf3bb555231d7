// Morphology and local intensity against the IBSI 1 reference values
// (docs/05_Reference_data_sets.rst): the digital phantom and the CT phantom
// in configuration A.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

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
  for (const Feature& f : features.features()) std::cout << "  " << f.tag << " = " << f.value << "\n";
  const int bad = compareWithIbsi(features, readIbsiReference("digital_phantom"),
                                  {"morph_", "loc_"}, "digital phantom morphology");
  EXPECT_EQ(bad, 0);
}

TEST(MorphologyIbsi, CtPhantomConfigAMatchesReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  PreparedRoi roi = ctPhantomConfigA();
  // IBSI configuration A: re-segmentation range [-500, 400] HU.
  resegment(roi, -500.0, 400.0);
  FeatureSet features;
  const auto start = std::chrono::steady_clock::now();
  computeMorphology(roi, features, noProgress());
  const auto mid = std::chrono::steady_clock::now();
  computeLocalIntensity(roi, features, noProgress());
  const auto end = std::chrono::steady_clock::now();
  std::size_t n = 0;
  for (auto m : roi.morphologicalMask.voxels()) n += m != 0;
  std::cout << "CT phantom: " << n << " voxels in the morphological mask, grid "
            << roi.image.nx() << "x" << roi.image.ny() << "x" << roi.image.nz()
            << "; morphology " << std::chrono::duration<double>(mid - start).count()
            << " s, local intensity " << std::chrono::duration<double>(end - mid).count() << " s\n";
  for (const Feature& f : features.features()) std::cout << "  " << f.tag << " = " << f.value << "\n";
  const int bad = compareWithIbsi(features, withoutDiagnostics(readIbsiReference("config_A")),
                                  {"morph_", "loc_"}, "CT phantom config A morphology");
  EXPECT_EQ(bad, 0);
}
