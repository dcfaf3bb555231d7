// The validation protocol (core/phantom/Protocol.h): exactness on a shared
// grid, the shrink of feature differences on different grids, the JSON.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "core/phantom/Protocol.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

const std::set<std::string> kTextureFamilies{"glcm", "glrlm", "glszm", "gldzm", "ngtdm", "ngldm"};

// One scenario of the default config on a small phantom.
ProtocolConfig scenarioConfig(const std::string& name, const Eigen::Vector3d& fov) {
  ProtocolConfig c = defaultProtocolConfig();
  c.phantom.fov_mm = fov;
  std::vector<ProtocolScenario> keep;
  for (const ProtocolScenario& s : c.scenarios) {
    if (s.name == name) keep.push_back(s);
  }
  c.scenarios = keep;
  return c;
}

const ScenarioResult& only(const ProtocolResult& r) {
  EXPECT_EQ(r.scenarios.size(), 1u);
  return r.scenarios.front();
}

}  // namespace

TEST(Protocol, RelativeDifference) {
  EXPECT_DOUBLE_EQ(relativeDifference(2.0, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(relativeDifference(-1.0, 1.0), 2.0);
  EXPECT_DOUBLE_EQ(relativeDifference(0.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(relativeDifference(3.0, 3.0), 0.0);
}

// Two scanners on one grid, no noise, OutputGridFourier PSF, different gain,
// offset and anisotropic PSF: the harmonized images are equal to rounding
// and the features to <= 1e-6; the spatial kernels leave far more.
TEST(Protocol, SharedGridIsExactWithFourierKernels) {
  const ProtocolConfig c = scenarioConfig("shared-grid-exact", Eigen::Vector3d(64, 64, 32));
  ASSERT_EQ(c.scenarios.size(), 1u);
  const auto& sc = c.scenarios[0].scanners;
  ASSERT_EQ(sc.size(), 2u);
  EXPECT_NE(sc[0].gain_alpha, sc[1].gain_alpha);
  EXPECT_NE(sc[0].offset_beta, sc[1].offset_beta);
  EXPECT_NE(sc[0].psf_fwhm_mm, sc[1].psf_fwhm_mm);
  EXPECT_EQ(sc[0].spacing_mm, sc[1].spacing_mm);
  EXPECT_EQ(sc[0].noise_sigma, 0.0);
  EXPECT_EQ(sc[1].noise_sigma, 0.0);

  const ProtocolResult result = runProtocol(c);
  const ScenarioResult& r = only(result);
  EXPECT_GT(r.max_rel_diff_before, 0.05);  // the scanners do differ
  EXPECT_LE(r.max_rel_diff_after, 1e-6);
  EXPECT_LT(r.max_image_diff_after, 1e-5);  // z-score units; values up to ~|10|
  EXPECT_GT(r.max_rel_diff_after_spatial, 1e-4);
  EXPECT_GT(r.max_image_diff_after_spatial, 1e-3);
  EXPECT_GT(r.features.size(), 100u);
  std::set<std::string> families;
  for (const FamilyAgreement& f : r.families) families.insert(f.family);
  for (const std::string& f : kTextureFamilies) EXPECT_EQ(families.count(f), 1u) << f;
  ASSERT_EQ(r.scans.size(), 2u);
  ASSERT_EQ(r.harmonized.size(), 2u);
  EXPECT_EQ(r.harmonized[0].geometry().size, r.harmonized[1].geometry().size);
}

// Different grids (thin against thick slices), no noise: each texture
// family's largest relative difference shrinks at least tenfold.
TEST(Protocol, DifferentGridsShrinkTenfold) {
  const ProtocolResult result =
      runProtocol(scenarioConfig("different-grids", Eigen::Vector3d(96, 96, 48)));
  const ScenarioResult& r = only(result);
  EXPECT_GT(r.common_spacing_mm, 3.0);  // the coarsest spacing
  for (const FamilyAgreement& f : r.families) {
    if (kTextureFamilies.count(f.family) == 0) continue;
    EXPECT_GT(f.max_rel_diff_before, 0.1) << f.family;
    EXPECT_LE(f.max_rel_diff_after * 10.0, f.max_rel_diff_before) << f.family;
  }
}

// With noise the residual is reported as it is; it still shrinks for every
// texture family (by less than tenfold for the zone families: see the report).
TEST(Protocol, DifferentGridsWithNoiseShrink) {
  const ProtocolResult result =
      runProtocol(scenarioConfig("different-grids-noise", Eigen::Vector3d(96, 96, 48)));
  const ScenarioResult& r = only(result);
  for (const FamilyAgreement& f : r.families) {
    if (kTextureFamilies.count(f.family) == 0) continue;
    EXPECT_LE(f.max_rel_diff_after * 3.0, f.max_rel_diff_before) << f.family;
  }
}

TEST(Protocol, ResultJsonHasTheContractKeys) {
  ProtocolResult result;
  ScenarioResult s;
  s.name = "x";
  s.max_rel_diff_before = 0.5;
  s.max_rel_diff_after = 1e-7;
  s.families.push_back({"glcm", 0.5, 1e-7, 0.01});
  s.features.push_back({"cm_joint_max_3D_avg", "glcm", 0.5, 1e-7, 0.01});
  result.scenarios.push_back(s);
  const auto j = nlohmann::json::parse(protocolResultToJson(result));
  const auto& sc = j.at("scenarios").at(0);
  EXPECT_EQ(sc.at("name"), "x");
  EXPECT_DOUBLE_EQ(sc.at("max_rel_diff_before").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(sc.at("max_rel_diff_after").get<double>(), 1e-7);
  for (const char* k :
       {"max_rel_diff_after_spatial", "max_image_diff_after", "families", "features", "notes"}) {
    EXPECT_TRUE(sc.contains(k)) << k;
  }
  EXPECT_EQ(sc.at("families").at(0).at("family"), "glcm");
  EXPECT_DOUBLE_EQ(sc.at("families").at(0).at("max_rel_diff_before").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(sc.at("families").at(0).at("max_rel_diff_after").get<double>(), 1e-7);
  const auto& f = sc.at("features").at(0);
  EXPECT_EQ(f.at("tag"), "cm_joint_max_3D_avg");
  EXPECT_EQ(f.at("family"), "glcm");
  EXPECT_DOUBLE_EQ(f.at("before").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(f.at("after").get<double>(), 1e-7);
}

TEST(Protocol, ConfigRoundTrips) {
  ProtocolConfig c = defaultProtocolConfig();
  c.bin_number = 17;
  c.common_spacing_mm = 1.5;
  c.phantom.seed = 99;
  c.scenarios[1].scanners[1].noise_sigma = 3.25;
  c.scenarios[1].scanners[0].psf_model = PsfModel::OutputGridFourier;
  c.interpolation = Interpolation::Linear;
  const std::string text = protocolConfigToJson(c);
  const ProtocolConfig back = protocolConfigFromJson(text, "p.json");
  EXPECT_EQ(protocolConfigToJson(back), text);
  EXPECT_EQ(back.bin_number, 17);
  EXPECT_EQ(back.scenarios.size(), c.scenarios.size());
  EXPECT_EQ(back.scenarios[1].scanners[1].noise_sigma, 3.25);
  EXPECT_EQ(back.scenarios[1].scanners[0].psf_model, PsfModel::OutputGridFourier);
  // A partial config keeps the defaults.
  const ProtocolConfig partial = protocolConfigFromJson(R"({"bin_number": 8})", "p.json");
  EXPECT_EQ(partial.bin_number, 8);
  EXPECT_EQ(partial.scenarios.size(), defaultProtocolConfig().scenarios.size());
}

TEST(Protocol, BadConfigNamesTheFile) {
  auto expectError = [](const std::string& text, const std::string& fragment) {
    try {
      protocolConfigFromJson(text, "my_protocol.json");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("my_protocol.json"), std::string::npos) << what;
      EXPECT_NE(what.find(fragment), std::string::npos) << what;
    }
  };
  expectError(R"({"bin_numbr": 8})", "bin_numbr");
  expectError(R"({"scenarios":[{"name":"a","scanners":[{"gain": 1},{}]}]})", "gain");
  expectError(R"({"scenarios":[{"name":"a","scanners":[{}]}]})", "at least two");
  expectError(R"({"bin_number": "many"})", "bin_number");
  expectError(R"({"phantom": {"fov_mm": [1, 2]}})", "fov_mm");
  expectError(R"({"scenarios":[{"scanners":[{"psf_model":"x"},{}]}]})", "psf_model");
  expectError("{not json", "JSON");
}

TEST(Protocol, ScenarioNeedsTwoScanners) {
  ProtocolConfig c = defaultProtocolConfig();
  c.scenarios.resize(1);
  c.scenarios[0].scanners.resize(1);
  EXPECT_THROW(runProtocol(c), ParameterError);
}
