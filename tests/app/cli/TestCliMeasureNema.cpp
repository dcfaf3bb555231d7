// harmonia-cli measure nema / noise / values, run as the real executable on
// NIfTI phantoms written here; the --json output is parsed (nlohmann::json)
// and checked against values computed here (closed-form blurred spheres,
// known noise), plus exit codes and one-line errors.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "CliTestSupport.h"
#include "TestSupport.h"
#include "core/filter/GaussianFilter.h"
#include "core/io/ImageIO.h"
#include "measure/ResolutionTestSupport.h"

using harmonia::test::ScratchDir;
using namespace harmonia;

namespace {

constexpr std::array<double, 6> kDiameters{10, 13, 17, 22, 28, 37};

// The closed form of a uniform ball blurred by a Gaussian
// (tests/core/measure/ResolutionTestSupport.h).
double blurredBall(double r, double a, double s) { return test::blurredBallValue(r, a, s); }

// 80 x 80 x 30 voxels of 2 mm; spheres on a 57.2 mm ring snapped to voxel
// centres; values sampled at voxel centres; background 1000, ratio 4.
Volume nemaPhantom(double sigma, std::vector<Eigen::Vector3d>& centres) {
  Geometry3D g;
  g.size = {80, 80, 30};
  g.spacing_mm = {2, 2, 2};
  g.origin_mm = {-79, -79, -29};
  Volume v(g, 1000.0f);
  centres.clear();
  for (int s = 0; s < 6; ++s) {
    const double angle = s * std::numbers::pi / 3.0;
    const Eigen::Vector3d p(57.2 * std::cos(angle), 57.2 * std::sin(angle), 1.0);
    centres.push_back(g.indexToWorld(g.worldToIndex(p).array().round()));
  }
  for (int k = 0; k < 30; ++k)
    for (int j = 0; j < 80; ++j)
      for (int i = 0; i < 80; ++i) {
        const Eigen::Vector3d p = g.indexToWorld(Eigen::Vector3d(i, j, k));
        double sum = 0;
        for (int s = 0; s < 6; ++s)
          sum += blurredBall((p - centres[s]).norm(), kDiameters[s] / 2, sigma);
        v.at(i, j, k) = static_cast<float>(1000.0 * (1.0 + 3.0 * sum));
      }
  return v;
}

TEST(CliMeasureNema, JsonHasTheRecoveriesAndTheEarlVerdicts) {
  ScratchDir dir;
  std::vector<Eigen::Vector3d> centres;
  const double sigma = fwhmToSigma(8.0);
  writeVolume(nemaPhantom(sigma, centres), dir / "nema.nii.gz");
  const auto r = test::runCli(
      dir, {"measure", "nema", (dir / "nema.nii.gz").string(), "--ratio", "4", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["command"], "measure nema");
  EXPECT_DOUBLE_EQ(j["activity_ratio"].get<double>(), 4.0);
  EXPECT_NEAR(j["background"]["mean"].get<double>(), 1000.0, 5.0);
  ASSERT_EQ(j["spheres"].size(), 6u);
  for (std::size_t s = 0; s < 6; ++s) {
    const auto& sp = j["spheres"][s];
    EXPECT_DOUBLE_EQ(sp["diameter_mm"].get<double>(), kDiameters[s]);
    for (int a = 0; a < 3; ++a) {
      EXPECT_NEAR(sp["centre_mm"][a].get<double>(), centres[s][a], 2.0) << kDiameters[s] << " mm";
    }
    // Max voxel = the sphere's centre: (1 + 3 f(0)) / 4.
    const double rcMax = (1.0 + 3.0 * blurredBall(0, kDiameters[s] / 2, sigma)) / 4.0;
    EXPECT_NEAR(sp["rc_max"].get<double>(), rcMax, 0.02 * rcMax) << kDiameters[s] << " mm";
    EXPECT_GT(sp["rc_mean"].get<double>(), 0.0);
    EXPECT_LT(sp["rc_mean"].get<double>(), sp["rc_max"].get<double>());
    EXPECT_GT(sp["rc_peak"].get<double>(), 0.0);
  }
  ASSERT_EQ(j["earl"].size(), 2u);
  EXPECT_EQ(j["earl"][0]["standard"], "EARL1");
  EXPECT_EQ(j["earl"][1]["standard"], "EARL2");
  for (const auto& e : j["earl"]) {
    EXPECT_TRUE(e["pass"].is_boolean());
    EXPECT_TRUE(e["failures"].is_array());
    EXPECT_TRUE(e.contains("suggested_filter_fwhm_mm"));
    EXPECT_EQ(e["pass"].get<bool>(), e["failures"].empty());
  }
  EXPECT_TRUE(j["warnings"].is_array());
}

TEST(CliMeasureNema, BadInputAndUsage) {
  ScratchDir dir;
  std::vector<Eigen::Vector3d> centres;
  writeVolume(nemaPhantom(fwhmToSigma(8.0), centres), dir / "nema.nii.gz");
  const std::string img = (dir / "nema.nii.gz").string();
  auto r = test::runCli(dir, {"measure", "nema", img, "--ratio", "1", "--json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("activity_ratio"), std::string::npos) << r.err;
  r = test::runCli(dir, {"measure", "nema", img, "--spheres", "1,2,3;4,5,6"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("6 centres"), std::string::npos) << r.err;
  r = test::runCli(dir, {"measure", "nema", (dir / "missing.nii.gz").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("missing.nii.gz"), std::string::npos) << r.err;
  writeVolume(Volume(Geometry3D{{40, 40, 20}, {2, 2, 2}}, 1000.0f), dir / "flat.nii.gz");
  r = test::runCli(dir, {"measure", "nema", (dir / "flat.nii.gz").string(), "--ratio", "4"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("flat.nii.gz"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no hot spheres"), std::string::npos) << r.err;
  r = test::runCli(dir, {"measure", "contrast", img});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("psf|noise|values|nema|plan"), std::string::npos) << r.err;
}

TEST(CliMeasureNema, NoiseAndValuesJson) {
  ScratchDir dir;
  Geometry3D g;
  g.size = {48, 48, 8};
  g.spacing_mm = {1, 1, 2};
  Volume v(g, 0.0f);
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(200.0, 8.0);
  for (float& x : v.voxels()) x = static_cast<float>(noise(rng));
  writeVolume(v, dir / "noise.nii.gz");
  auto r = test::runCli(dir, {"measure", "noise", (dir / "noise.nii.gz").string(), "--roi",
                              "23.5,23.5,7,20,20,6", "--no-uniformity", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["command"], "measure noise");
  EXPECT_NEAR(j["stats"]["sd"].get<double>(), 8.0, 0.4);
  EXPECT_NEAR(j["stats"]["mean"].get<double>(), 200.0, 0.5);
  EXPECT_EQ(j["nps"]["x"].size(), j["nps"]["y"].size());
  EXPECT_GT(j["nps"]["x"].size(), 5u);
  EXPECT_NEAR(j["nps_integral"].get<double>(), 64.0, 64.0 * 0.06);
  EXPECT_TRUE(j["uniformity"].is_null());

  r = test::runCli(dir, {"measure", "values", (dir / "noise.nii.gz").string(), "--insert",
                         "a,10,10,7,4,200", "--insert", "b,35,35,7,4,100", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["inserts"].size(), 2u);
  EXPECT_EQ(j["inserts"][0]["name"], "a");
  EXPECT_NEAR(j["inserts"][0]["mean"].get<double>(), 200.0, 5.0);
  EXPECT_NEAR(j["inserts"][1]["error"].get<double>(), j["inserts"][1]["mean"].get<double>() - 100.0,
              1e-9);
  ASSERT_TRUE(j["fit"].is_object());
  // Two points: the line through them.
  const double m0 = j["inserts"][0]["mean"], m1 = j["inserts"][1]["mean"];
  EXPECT_NEAR(j["fit"]["slope"].get<double>(), (m0 - m1) / 100.0, 1e-9);
  EXPECT_NEAR(j["fit"]["r2"].get<double>(), 1.0, 1e-12);

  r = test::runCli(dir, {"measure", "values", (dir / "noise.nii.gz").string(), "--insert",
                         "far,500,500,7,4,100"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("far"), std::string::npos) << r.err;
}

}  // namespace
