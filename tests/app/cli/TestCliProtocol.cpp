// Runs the real harmonia-cli protocol: a small config, --json parsed with
// nlohmann, the images and protocol.json under --outdir, the table, and bad
// config files (exit 1, the file named, nothing written).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "CliTestSupport.h"
#include "TestSupport.h"
#include "core/io/ImageIO.h"

using harmonia::test::fileBytes;
using harmonia::test::ScratchDir;
using namespace harmonia;

namespace {

// One shared-grid scenario on a small phantom: two scanners, one grid, no noise.
const char* kSmallConfig = R"({
  "phantom": {"fov_mm": [48, 48, 24], "fine_spacing_mm": 0.5},
  "bin_number": 16,
  "scenarios": [{"name": "exact pair", "scanners": [
    {"name": "A", "psf_fwhm_mm": [1.5, 1.5, 2.5], "spacing_mm": [1, 1, 2],
     "slice_thickness_mm": 2, "psf_model": "output_grid_fourier"},
    {"name": "B", "gain_alpha": 0.8, "offset_beta": 50, "psf_fwhm_mm": [2.5, 2.0, 3.5],
     "spacing_mm": [1, 1, 2], "slice_thickness_mm": 2, "psf_model": "output_grid_fourier"}]}]
})";

using harmonia::test::writeText;

}  // namespace

TEST(CliProtocol, JsonAndOutdir) {
  ScratchDir dir;
  writeText(dir / "p.json", kSmallConfig);
  const auto out = dir / "out";
  const auto r = harmonia::test::runCli(
      dir, {"protocol", "--config", (dir / "p.json").string(), "--outdir", out.string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.at("scenarios").size(), 1u);
  const auto& s = j.at("scenarios").at(0);
  EXPECT_EQ(s.at("name"), "exact pair");
  EXPECT_LE(s.at("max_rel_diff_after").get<double>(), 1e-6);
  EXPECT_GT(s.at("max_rel_diff_before").get<double>(), 0.01);
  EXPECT_TRUE(s.contains("max_rel_diff_after_spatial"));
  EXPECT_LT(s.at("max_image_diff_after").get<double>(), 1e-5);
  EXPECT_FALSE(s.at("families").empty());
  EXPECT_FALSE(s.at("features").empty());
  for (const auto& f : s.at("families")) {
    EXPECT_TRUE(f.contains("family") && f.contains("max_rel_diff_before") &&
                f.contains("max_rel_diff_after"));
  }
  // protocol.json holds the same result; the images are there and readable.
  EXPECT_EQ(nlohmann::json::parse(fileBytes(out / "protocol.json")), j);
  EXPECT_TRUE(std::filesystem::exists(out / "protocol_config.json"));
  const auto sub = out / "1_exact_pair";
  for (const char* name :
       {"scan_1_A.nii.gz", "scan_2_B.nii.gz", "harmonized_1_A.nii.gz", "harmonized_2_B.nii.gz"}) {
    ASSERT_TRUE(std::filesystem::exists(sub / name)) << name;
  }
  const Volume a = readVolume(sub / "harmonized_1_A.nii.gz");
  const Volume b = readVolume(sub / "harmonized_2_B.nii.gz");
  ASSERT_EQ(a.geometry().size, b.geometry().size);
  double worst = 0.0;
  for (std::size_t v = 0; v < a.voxelCount(); ++v) {
    worst = std::max(worst, std::abs(static_cast<double>(a.data()[v]) - b.data()[v]));
  }
  EXPECT_LT(worst, 1e-5);
  const Volume scan = readVolume(sub / "scan_2_B.nii.gz");
  EXPECT_NEAR(scan.geometry().spacing_mm.z(), 2.0, 1e-6);
}

TEST(CliProtocol, TableByDefault) {
  ScratchDir dir;
  writeText(dir / "p.json", kSmallConfig);
  const auto r = harmonia::test::runCli(dir, {"protocol", "--config", (dir / "p.json").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Scenario exact pair"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("glcm"), std::string::npos);
  EXPECT_NE(r.out.find("before"), std::string::npos);
}

TEST(CliProtocol, BadConfigExitsOneNamingTheFile) {
  ScratchDir dir;
  const auto bad = dir / "bad_protocol.json";
  const auto out = dir / "out";
  writeText(bad, R"({"bin_number": 8, "colour": "red"})");
  auto r =
      harmonia::test::runCli(dir, {"protocol", "--config", bad.string(), "--outdir", out.string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad_protocol.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("colour"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  writeText(bad, "{ not json");
  r = harmonia::test::runCli(dir, {"protocol", "--config", bad.string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad_protocol.json"), std::string::npos) << r.err;
  r = harmonia::test::runCli(dir, {"protocol", "--config", (dir / "missing.json").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("missing.json"), std::string::npos) << r.err;
  r = harmonia::test::runCli(dir, {"protocol", "extra"});
  EXPECT_EQ(r.code, 2);
}
