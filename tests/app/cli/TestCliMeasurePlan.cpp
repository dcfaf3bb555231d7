// Runs the real harmonia-cli for `measure plan` and `standardize --plan`:
// two phantom scans of one object, blurred here with two known anisotropic
// Gaussians and given different gains; their `measure psf --json` results are
// written by hand. The plan must carry the hand-computed target, and applying
// it must make the scans agree far better than before; bad plan files exit 1
// naming the file, and nothing is written on failure.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "CliTestSupport.h"
#include "TestSupport.h"
#include "core/io/ImageIO.h"
#include "core/measure/HarmonizationPlan.h"
#include "measure/ReferenceBlur.h"

using harmonia::test::jsonNumber;
using harmonia::test::ScratchDir;
using namespace harmonia;

using harmonia::test::Result;
using harmonia::test::runCli;

namespace {

// A sphere and a cube at least 9 voxels from every face of a 32^3 grid of 1 mm
// voxels, blurred by separable sampled Gaussians (float64, radius 5 sigma,
// zero outside), then gain * v + offset.
Volume phantomScan(const Eigen::Vector3d& fwhm_mm, double gain, double offset) {
  const int n = 32;
  std::vector<double> data(n * n * n, 0.0);
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        double v = 0;
        if ((Eigen::Vector3d(i, j, k) - Eigen::Vector3d(17, 16, 15)).norm() <= 5.5) v = 100;
        if (i >= 10 && i <= 13 && j >= 19 && j <= 22 && k >= 11 && k <= 14) v = 60;
        data[i + n * (j + n * k)] = v;
      }
  data = test::referenceBlur(std::move(data), {n, n, n}, fwhm_mm / test::kFwhmPerSigma);
  Geometry3D g;
  g.size = {n, n, n};
  g.origin_mm = {-16, -16, 40};
  Volume v(g);
  for (std::size_t i = 0; i < data.size(); ++i)
    v.voxels()[i] = static_cast<float>(gain * data[i] + offset);
  return v;
}

using harmonia::test::writeText;

// What `measure psf --json` writes, with the keys the plan reads.
std::string psfJson(const std::string& file, const Eigen::Vector3d& fwhm) {
  std::ostringstream s;
  s << R"({"command":"measure psf","file":")" << file << R"(","method":"edge","centre_mm":[0,0,0],)"
    << R"("spacing_mm":[1,1,1],"fwhm_mm":[)" << fwhm.x() << "," << fwhm.y() << "," << fwhm.z()
    << R"(],"warnings":[]})";
  return s.str();
}

class CliMeasurePlan : public ::testing::Test {
 protected:
  void SetUp() override {
    writeVolume(phantomScan(kFwhmA, 1.0, 0.0), dir_ / "siteA.nii.gz");
    writeVolume(phantomScan(kFwhmB, 2.5, 40.0), dir_ / "siteB.nii.gz");
    writeText(dir_ / "a.json", psfJson((dir_ / "siteA.nii.gz").string(), kFwhmA));
    writeText(dir_ / "b.json", psfJson((dir_ / "siteB.nii.gz").string(), kFwhmB));
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  const Eigen::Vector3d kFwhmA{2.0, 2.0, 3.5};
  const Eigen::Vector3d kFwhmB{3.0, 2.5, 1.5};
  ScratchDir dir_;
};

TEST_F(CliMeasurePlan, ProposesThePlanAndShowsItMakesTheScansAgree) {
  const Result r = runCli(
      dir_, {"measure", "plan", path("a.json"), path("b.json"), "-o", path("plan.json"), "--apply",
             path("siteA.nii.gz") + "," + path("siteB.nii.gz"), "--outdir", path("out"), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const HarmonizationPlan plan = loadPlan(path("plan.json"));
  EXPECT_EQ(plan.target_fwhm_mm, Eigen::Vector3d(3.0, 2.5, 3.5));  // worst per axis
  EXPECT_EQ(plan.spacing_mm, 1.0);
  EXPECT_EQ(plan.intensity, IntensityStep::ZScore);
  ASSERT_EQ(plan.scanners.size(), 2u);
  EXPECT_EQ(plan.scanners[0].name, "siteA");  // from the measurement's "file"
  EXPECT_NEAR(plan.scanners[0].extra_fwhm_mm[0], std::sqrt(9.0 - 4.0), 1e-12);
  EXPECT_NEAR(plan.scanners[0].extra_fwhm_mm[1], std::sqrt(6.25 - 4.0), 1e-12);
  EXPECT_NEAR(plan.scanners[0].extra_fwhm_mm[2], 0.0, 1e-12);
  EXPECT_NEAR(plan.scanners[1].extra_fwhm_mm[2], std::sqrt(12.25 - 2.25), 1e-12);

  // The harmonized scans, and the agreement the command reports, checked here.
  const Volume a = readVolume(dir_ / "out" / "siteA.nii.gz");
  const Volume b = readVolume(dir_ / "out" / "siteB.nii.gz");
  ASSERT_TRUE(a.geometry().sameGrid(b.geometry()));
  double sum2 = 0, maxDiff = 0;
  for (std::size_t i = 0; i < a.voxelCount(); ++i) {
    const double d = a.voxels()[i] - b.voxels()[i];
    sum2 += d * d;
    maxDiff = std::max(maxDiff, std::abs(d));
  }
  const double rms = std::sqrt(sum2 / static_cast<double>(a.voxelCount()));
  EXPECT_NEAR(jsonNumber(r.out, "rms_after"), rms, 1e-6 + 1e-4 * rms);
  EXPECT_NEAR(jsonNumber(r.out, "max_abs_after"), maxDiff, 1e-5);
  const double before = jsonNumber(r.out, "rms_before");
  std::cout << "rms before " << before << ", after " << rms << "; max |diff| before "
            << jsonNumber(r.out, "max_abs_before") << ", after " << maxDiff << "\n";
  EXPECT_LT(rms, before / 10.0);
  EXPECT_LT(maxDiff, jsonNumber(r.out, "max_abs_before") / 10.0);
  EXPECT_NE(r.out.find("\"measure plan\""), std::string::npos);

  // Names given on the command line, and the plain report.
  const Result named =
      runCli(dir_, {"measure", "plan", path("a.json"), path("b.json"), "-o", path("plan2.json"),
                    "--names", "CT 1,CT 2", "--intensity", "none", "--spacing", "2"});
  ASSERT_EQ(named.code, 0) << named.err;
  EXPECT_NE(named.out.find("CT 2: FWHM"), std::string::npos) << named.out;
  const HarmonizationPlan plan2 = loadPlan(path("plan2.json"));
  EXPECT_EQ(plan2.scanners[1].name, "CT 2");
  EXPECT_EQ(plan2.intensity, IntensityStep::None);
  EXPECT_EQ(plan2.spacing_mm, 2.0);
}

TEST_F(CliMeasurePlan, StandardizeAppliesAPlanToAStudy) {
  HarmonizationPlan plan =
      proposePlan(std::vector<ScannerMeasurement>{{"A", kFwhmA, {1, 1, 1}, std::nullopt},
                                                  {"B", kFwhmB, {1, 1, 1}, std::nullopt}},
                  IntensityStep::ZScore, 2.0);
  savePlan(plan, path("plan.json"));
  const Result ra = runCli(dir_, {"standardize", "--plan", path("plan.json"), "--scanner", "A",
                                  path("siteA.nii.gz"), "-o", path("a_h.nii.gz"), "--json"});
  ASSERT_EQ(ra.code, 0) << ra.err;
  EXPECT_DOUBLE_EQ(jsonNumber(ra.out, "spacing_mm"), 2.0);
  const Result rb = runCli(dir_, {"standardize", "--plan", path("plan.json"), "--scanner", "B",
                                  path("siteB.nii.gz"), "-o", path("b_h.nii.gz")});
  ASSERT_EQ(rb.code, 0) << rb.err;
  const Volume a = readVolume(dir_ / "a_h.nii.gz");
  const Volume b = readVolume(dir_ / "b_h.nii.gz");
  EXPECT_EQ(a.geometry().size, (std::array<int, 3>{16, 16, 16}));  // 32 mm at 2 mm
  EXPECT_NEAR(a.geometry().spacing_mm.x(), 2.0, 1e-6);
  // The two studies, different in resolution, gain and offset, now agree.
  const Volume rawA = readVolume(dir_ / "siteA.nii.gz");
  double maxAfter = 0, maxZ = 0;
  for (std::size_t i = 0; i < a.voxelCount(); ++i)
    maxAfter = std::max(maxAfter, std::abs(static_cast<double>(a.voxels()[i]) - b.voxels()[i]));
  for (float v : a.voxels()) maxZ = std::max(maxZ, std::abs(static_cast<double>(v)));
  std::cout << "standardize --plan: max |A - B| " << maxAfter << " of max |z| " << maxZ << "\n";
  EXPECT_LT(maxAfter, 0.02 * maxZ);

  // Existing behaviour without --plan is kept.
  const Result old = runCli(
      dir_, {"standardize", path("siteA.nii.gz"), "--fwhm", "2,2,3.5", "--outdir", path("std")});
  EXPECT_EQ(old.code, 0) << old.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "std" / "siteA.nii.gz"));
}

TEST_F(CliMeasurePlan, BadPlansAndMeasurementsExitWithTheFileNamed) {
  savePlan(proposePlan(std::vector<ScannerMeasurement>{{"A", kFwhmA, {1, 1, 1}, std::nullopt},
                                                       {"B", kFwhmB, {1, 1, 1}, std::nullopt}}),
           path("plan.json"));
  std::string text = test::fileBytes(dir_ / "plan.json");
  text.replace(text.find("\"version\": 1"), 12, "\"version\": 7");
  writeText(dir_ / "future.json", text);
  Result r = runCli(dir_, {"standardize", "--plan", path("future.json"), "--scanner", "A",
                           path("siteA.nii.gz"), "-o", path("x.nii.gz")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path("future.json")), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("version 7"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.nii.gz"));

  r = runCli(dir_, {"standardize", "--plan", path("none.json"), "--scanner", "A",
                    path("siteA.nii.gz"), "-o", path("x.nii.gz")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path("none.json")), std::string::npos) << r.err;

  r = runCli(dir_, {"standardize", "--plan", path("plan.json"), "--scanner", "C",
                    path("siteA.nii.gz"), "-o", path("x.nii.gz")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("'C'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.nii.gz"));

  writeText(dir_ / "broken.json", R"({"file":"x.nii","fwhm_mm":[2,2]})");
  r = runCli(dir_, {"measure", "plan", path("a.json"), path("broken.json"), "-o", path("p.json")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path("broken.json")), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "p.json"));

  r = runCli(dir_, {"measure", "plan", path("a.json"), path("a.json"), "-o", path("p.json")});
  EXPECT_EQ(r.code, 2);  // the same scanner twice: name them
  EXPECT_NE(r.err.find("--names"), std::string::npos) << r.err;

  r = runCli(dir_,
             {"measure", "plan", path("a.json"), path("b.json"), "-o", path("p.json"), "--apply",
              path("siteA.nii.gz") + "," + path("missing.nii.gz"), "--outdir", path("out")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("missing.nii.gz"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "p.json"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out"));

  r = runCli(dir_, {"measure", "spectrum", path("a.json")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("psf|noise|values|nema|plan"), std::string::npos) << r.err;
}

TEST_F(CliMeasurePlan, ZScoreRegionsGivenPerScan) {
  // The region around the objects, in both scans' grids (they share one).
  const Volume scan = readVolume(dir_ / "siteA.nii.gz");
  MaskVolume roi(scan.geometry(), 0);
  for (int k = 6; k < 26; ++k)
    for (int j = 6; j < 26; ++j)
      for (int i = 6; i < 26; ++i) roi.at(i, j, k) = 1;
  writeMask(roi, dir_ / "roi.nii.gz");
  writeMask(MaskVolume(scan.geometry(), 0), dir_ / "empty.nii.gz");
  const std::string scans = path("siteA.nii.gz") + "," + path("siteB.nii.gz");
  Result r =
      runCli(dir_, {"measure", "plan", path("a.json"), path("b.json"), "-o", path("plan.json"),
                    "--apply", scans, "--masks", path("roi.nii.gz") + "," + path("roi.nii.gz"),
                    "--outdir", path("out"), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::cout << "with ROIs: rms before " << jsonNumber(r.out, "rms_before") << ", after "
            << jsonNumber(r.out, "rms_after") << "\n";
  EXPECT_LT(jsonNumber(r.out, "rms_after"), jsonNumber(r.out, "rms_before") / 10.0);

  r = runCli(dir_, {"measure", "plan", path("a.json"), path("b.json"), "-o", path("plan2.json"),
                    "--apply", scans, "--masks", path("roi.nii.gz") + "," + path("empty.nii.gz"),
                    "--outdir", path("out2")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path("empty.nii.gz")), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "plan2.json"));

  r = runCli(dir_, {"measure", "plan", path("a.json"), path("b.json"), "-o", path("plan2.json"),
                    "--masks", path("roi.nii.gz") + "," + path("roi.nii.gz")});
  EXPECT_EQ(r.code, 2);  // --masks without --apply

  // standardize --plan takes the study's z-score region with --mask.
  r = runCli(
      dir_, {"standardize", "--plan", path("plan.json"), "--scanner", "siteB", path("siteB.nii.gz"),
             "-o", path("b_roi.nii.gz"), "--mask", path("roi.nii.gz")});
  EXPECT_EQ(r.code, 0) << r.err;
  const Volume viaStandardize = readVolume(dir_ / "b_roi.nii.gz");
  const Volume viaApply = readVolume(dir_ / "out" / "siteB.nii.gz");
  double d = 0;
  for (std::size_t i = 0; i < viaApply.voxelCount(); ++i)
    d = std::max(d,
                 std::abs(static_cast<double>(viaApply.voxels()[i]) - viaStandardize.voxels()[i]));
  EXPECT_EQ(d, 0.0);  // the same plan, scan and region: the same image
  r = runCli(
      dir_, {"standardize", "--plan", path("plan.json"), "--scanner", "siteB", path("siteB.nii.gz"),
             "-o", path("b_empty.nii.gz"), "--mask", path("empty.nii.gz")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path("empty.nii.gz")), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "b_empty.nii.gz"));
}

}  // namespace
