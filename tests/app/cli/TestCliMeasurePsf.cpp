// harmonia-cli measure psf: a synthetic thick-slice cube scan written as NIfTI,
// measured with --json (parsed with nlohmann), and bad input.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "CliTestSupport.h"
#include "core/io/ImageIO.h"
#include "measure/ResolutionTestSupport.h"

namespace harmonia::test {
namespace {

TEST(CliMeasurePsf, EdgeJsonHasTheFwhmPerAxis) {
  ScratchDir dir;
  const Eigen::Vector3d fwhm(2, 2, 4);
  const Volume scan = boxScan({48, 48, 20}, {0.8, 0.8, 3.0}, {9.13, 8.77, 13.9},
                              {29.41, 28.95, 45.2}, fwhm, -1000.0, 0.0);
  const auto file = dir / "cube.nii.gz";
  writeVolume(scan, file);
  const CliResult r = runCli(dir, {"measure", "psf", file.string(), "--method", "edge", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("command"), "measure psf");
  EXPECT_EQ(j.at("method"), "edge");
  ASSERT_EQ(j.at("fwhm_mm").size(), 3u);
  for (int a = 0; a < 3; ++a) {
    EXPECT_NEAR(j.at("fwhm_mm")[a].get<double>() / fwhm[a], 1.0, 0.03) << a;
    const double s = fwhm[a] * kSigmaPerFwhm;
    EXPECT_NEAR(j.at("mtf50_per_mm")[a].get<double>() / (std::sqrt(std::log(2.0) / 2) / (M_PI * s)),
                1.0, 0.03);
    EXPECT_GT(j.at("mtf10_per_mm")[a].get<double>(), j.at("mtf50_per_mm")[a].get<double>());
  }
  EXPECT_NEAR(j.at("spacing_mm")[2].get<double>(), 3.0, 1e-6);
  EXPECT_TRUE(j.at("warnings").is_array());
  // The text form names the method and the axes.
  const CliResult text = runCli(dir, {"measure", "psf", file.string(), "--method", "edge"});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("FWHM"), std::string::npos);
}

TEST(CliMeasurePsf, PointWithCentre) {
  ScratchDir dir;
  const Eigen::Vector3d fwhm(2.5, 2.5, 3);
  const Volume scan = pointScan({24, 24, 16}, {1, 1, 1.5}, {11.6, 12.2, 11.3}, fwhm, 500.0);
  const auto file = dir / "point.nii";
  writeVolume(scan, file);
  const CliResult r = runCli(dir, {"measure", "psf", file.string(), "--method", "point", "--centre",
                                   "11.5,12,11", "--roi-radius", "9", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (int a = 0; a < 3; ++a) {
    EXPECT_NEAR(j.at("fwhm_mm")[a].get<double>() / fwhm[a], 1.0, 0.03) << a;
  }
}

TEST(CliMeasurePsf, BadInputAndUsage) {
  ScratchDir dir;
  // A file that is not an image: exit 1, naming it.
  const auto bad = dir / "broken.nii";
  { std::ofstream(bad) << "not a nifti"; }
  CliResult r = runCli(dir, {"measure", "psf", bad.string(), "--method", "edge"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("broken.nii"), std::string::npos) << r.err;
  // A uniform image: exit 1, naming the file and the problem.
  const auto flat = dir / "flat.nii";
  writeVolume(makeGrid({8, 8, 8}, {1, 1, 1}), flat);
  r = runCli(dir, {"measure", "psf", flat.string(), "--method", "sphere", "--json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("flat.nii"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("uniform"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  // Usage errors: exit 2.
  EXPECT_EQ(runCli(dir, {"measure", "psf", flat.string(), "--method", "slit"}).code, 2);
  EXPECT_EQ(runCli(dir, {"measure", "psf", flat.string()}).code, 2);
  r = runCli(dir, {"measure", "mtf", flat.string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("psf|noise|values|nema|plan"), std::string::npos) << r.err;
  EXPECT_EQ(
      runCli(dir, {"measure", "psf", flat.string(), "--method", "edge", "--centre", "1,2"}).code,
      2);
}

}  // namespace
}  // namespace harmonia::test
