// harmonia-cli compare, run as the real executable: its --json report against
// brute-force statistics computed here (plain loops, std::sort) from the
// volumes it was given; masks, --grid a|b, --offset, exit codes and one-line
// errors; with the shared data (skipped when absent), a CT series against
// itself and an RTSTRUCT ROI.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "CliTestSupport.h"
#include "TestSupport.h"
#include "compare/CompareTestSupport.h"
#include "core/dicom/RtStruct.h"
#include "core/dicom/SeriesLoader.h"
#include "core/io/ImageIO.h"

using harmonia::test::jsonNumber;
using harmonia::test::ScratchDir;
using namespace harmonia;

using harmonia::test::Result;
using harmonia::test::runCli;

namespace {

// The text of the JSON object stored under "key" (flat objects only).
std::string jsonObject(const std::string& json, const std::string& key) {
  const std::size_t at = json.find("\"" + key + "\": {");
  if (at == std::string::npos) return "";
  const std::size_t open = json.find('{', at);
  return json.substr(open, json.find('}', open) - open + 1);
}

Geometry3D gridA() {
  Geometry3D g;
  g.size = {20, 16, 10};
  g.spacing_mm = {1.0, 1.0, 2.0};
  g.origin_mm = {-10.0, 5.0, 3.0};
  return g;
}

Volume randomVolume(const Geometry3D& g, std::uint32_t seed, float lo, float hi) {
  Volume v(g);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  for (float& x : v.voxels()) x = u(rng);
  return v;
}

// Brute force (sorting, plain sums): tests/core/compare/CompareTestSupport.h.
using Stats = harmonia::test::BruteStats;
using Pairs = harmonia::test::BrutePairs;

Stats stats(std::vector<double> v) { return harmonia::test::bruteStats(std::move(v)); }

Pairs pairs(std::vector<double> a, std::vector<double> b) {
  return harmonia::test::brutePairs(std::move(a), std::move(b));
}

// The JSON prints 10 significant digits: tolerance 1e-8 relative (at least 1e-8).
void expectNear(double got, double want, const std::string& what) {
  EXPECT_NEAR(got, want, 1e-8 * std::max(1.0, std::abs(want))) << what;
}

void expectStats(const std::string& object, const Stats& s) {
  EXPECT_EQ(jsonNumber(object, "n"), static_cast<double>(s.count)) << object;
  expectNear(jsonNumber(object, "mean"), s.mean, "mean");
  expectNear(jsonNumber(object, "sd"), s.sd, "sd");
  expectNear(jsonNumber(object, "median"), s.median, "median");
  expectNear(jsonNumber(object, "p5"), s.p5, "p5");
  expectNear(jsonNumber(object, "p95"), s.p95, "p95");
  expectNear(jsonNumber(object, "min"), s.min, "min");
  expectNear(jsonNumber(object, "max"), s.max, "max");
}

void expectPairs(const std::string& json, const Pairs& p) {
  expectNear(jsonNumber(json, "mean_diff"), p.mean_diff, "mean_diff");
  expectNear(jsonNumber(json, "rmse"), p.rmse, "rmse");
  expectNear(jsonNumber(json, "pearson"), p.pearson, "pearson");
  expectNear(jsonNumber(json, "wasserstein1"), p.wasserstein1, "wasserstein1");
}

// Exit code 1 and one line naming `what`, or 2 with the problem on the first line.
void expectError(const Result& r, int code, const std::string& what) {
  EXPECT_EQ(r.code, code) << r.err;
  const std::string first = r.err.substr(0, r.err.find('\n'));
  EXPECT_NE(first.find(what), std::string::npos) << r.err;
  if (code == 1) {
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_TRUE(r.out.empty()) << r.out;
}

}  // namespace

TEST(CliCompare, JsonMatchesBruteForceOnOneGridWithAndWithoutAMask) {
  ScratchDir dir;
  const Geometry3D g = gridA();
  writeVolume(randomVolume(g, 1, -100.0f, 300.0f), dir / "a.nii.gz");
  writeVolume(randomVolume(g, 2, -50.0f, 250.0f), dir / "b.nii.gz");
  MaskVolume mask(g, 0);
  for (int k = 2; k < 8; ++k)
    for (int j = 3; j < 12; ++j)
      for (int i = 4; i < 17; ++i) mask.at(i, j, k) = 1;
  writeMask(mask, dir / "m.nii.gz");
  // The values as the command reads them.
  const Volume a = readVolume(dir / "a.nii.gz"), b = readVolume(dir / "b.nii.gz");
  ASSERT_TRUE(a.geometry().sameGrid(b.geometry()));

  Result r =
      runCli(dir, {"compare", (dir / "a.nii.gz").string(), (dir / "b.nii.gz").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<double> av(a.voxels().begin(), a.voxels().end());
  std::vector<double> bv(b.voxels().begin(), b.voxels().end());
  expectStats(jsonObject(r.out, "a"), stats(av));
  expectStats(jsonObject(r.out, "b"), stats(bv));
  expectPairs(r.out, pairs(av, bv));
  EXPECT_EQ(jsonNumber(r.out, "voxels_compared"), static_cast<double>(g.voxelCount()));
  EXPECT_EQ(jsonNumber(r.out, "voxels_excluded"), 0.0);
  EXPECT_NE(r.out.find("\"grid\": \"a\""), std::string::npos) << r.out;
  EXPECT_NE(jsonObject(r.out, "a").find("\"units\": "), std::string::npos) << r.out;

  r = runCli(dir, {"compare", (dir / "a.nii.gz").string(), (dir / "b.nii.gz").string(), "--mask",
                   (dir / "m.nii.gz").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<double> am, bm;
  for (std::size_t i = 0; i < a.voxelCount(); ++i) {
    if (mask.data()[i] == 0) continue;
    am.push_back(a.data()[i]);
    bm.push_back(b.data()[i]);
  }
  ASSERT_EQ(am.size(), 6u * 9u * 13u);
  expectStats(jsonObject(r.out, "a"), stats(am));
  expectStats(jsonObject(r.out, "b"), stats(bm));
  expectPairs(r.out, pairs(am, bm));
  EXPECT_EQ(jsonNumber(r.out, "voxels_compared"), static_cast<double>(am.size()));

  // The table names every statistic, with the difference of the means.
  r = runCli(dir, {"compare", (dir / "a.nii.gz").string(), (dir / "b.nii.gz").string(), "--mask",
                   (dir / "m.nii.gz").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* word :
       {"N ", "mean", "SD", "median", "P5", "P95", "min", "max", "difference of the means (A - B)",
        "mean_diff", "rmse", "pearson", "wasserstein1", "voxels compared", "voxels excluded"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word << "\n" << r.out;
  }
}

TEST(CliCompare, GridAOrBAndTheOffsetDecideWhatIsCompared) {
  // B: A's grid moved 4 mm along x (LPS), holding A's values: B's voxel i is
  // at A's voxel i + 4. Compared without an offset, 16 of A's 20 columns lie
  // in B (4 excluded), on either grid; with --offset -4,0,0, B lies on A:
  // every voxel compared, RMSE, mean_diff and W1 0, Pearson 1.
  ScratchDir dir;
  const Geometry3D g = gridA();
  Volume a = randomVolume(g, 3, 0.0f, 100.0f);
  Volume b = a;
  b.setOrigin(g.origin_mm + Eigen::Vector3d(4.0, 0.0, 0.0));
  writeVolume(a, dir / "a.nii.gz");
  writeVolume(b, dir / "b.nii.gz");
  const double plane = 16.0 * 10.0;
  for (const char* grid : {"a", "b"}) {
    SCOPED_TRACE(grid);
    Result r = runCli(dir, {"compare", (dir / "a.nii.gz").string(), (dir / "b.nii.gz").string(),
                            "--grid", grid, "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find(std::string("\"grid\": \"") + grid + "\""), std::string::npos) << r.out;
    EXPECT_EQ(jsonNumber(r.out, "voxels_compared"), 16.0 * plane);
    EXPECT_EQ(jsonNumber(r.out, "voxels_excluded"), 4.0 * plane);
    // The pairs: A's voxel i against B's voxel i - 4 (= A's voxel i - 4), whole voxels apart.
    std::vector<double> av, bv;
    for (int k = 0; k < 10; ++k)
      for (int j = 0; j < 16; ++j)
        for (int i = 4; i < 20; ++i) {
          av.push_back(a.at(i, j, k));
          bv.push_back(a.at(i - 4, j, k));
        }
    expectPairs(r.out, pairs(av, bv));

    r = runCli(dir, {"compare", (dir / "a.nii.gz").string(), (dir / "b.nii.gz").string(), "--grid",
                     grid, "--offset", "-4,0,0", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(jsonNumber(r.out, "voxels_compared"), 20.0 * plane);
    EXPECT_EQ(jsonNumber(r.out, "voxels_excluded"), 0.0);
    EXPECT_EQ(jsonNumber(r.out, "rmse"), 0.0);
    EXPECT_EQ(jsonNumber(r.out, "mean_diff"), 0.0);
    EXPECT_EQ(jsonNumber(r.out, "wasserstein1"), 0.0);
    EXPECT_EQ(jsonNumber(r.out, "pearson"), 1.0);
  }
}

TEST(CliCompare, BadInputExitsOneNamingTheFileAndBadUsageTwo) {
  ScratchDir dir;
  const Geometry3D g = gridA();
  writeVolume(randomVolume(g, 4, 0.0f, 1.0f), dir / "a.nii.gz");
  Geometry3D far = g;
  far.origin_mm.x() += 500.0;
  writeVolume(randomVolume(far, 5, 0.0f, 1.0f), dir / "far.nii.gz");
  const std::string a = (dir / "a.nii.gz").string();
  expectError(runCli(dir, {"compare", a, (dir / "missing.nii.gz").string()}), 1, "missing.nii.gz");
  // A file that is not NIfTI, and a folder without DICOM.
  std::ofstream(dir / "bad.nii") << "not a volume";
  expectError(runCli(dir, {"compare", (dir / "bad.nii").string(), a}), 1, "bad.nii");
  std::filesystem::create_directory(dir / "empty");
  expectError(runCli(dir, {"compare", a, (dir / "empty").string()}), 1, "empty");
  // A 2-D image.
  expectError(runCli(dir, {"compare", a, std::string(HARMONIA_RESOURCES) + "/demo/coffee.png"}), 1,
              "coffee.png");
  // No overlap: B is named.
  expectError(runCli(dir, {"compare", a, (dir / "far.nii.gz").string()}), 1, "far.nii.gz");
  // A mask outside the image: the mask is named.
  MaskVolume m(far, 1);
  writeMask(m, dir / "farmask.nii.gz");
  expectError(runCli(dir, {"compare", a, a, "--mask", (dir / "farmask.nii.gz").string()}), 1,
              "farmask.nii.gz");
  // --roi with NIfTI inputs: no RTSTRUCT anywhere.
  expectError(runCli(dir, {"compare", a, a, "--roi", "GTV"}), 1, "RTSTRUCT");
  // Usage.
  expectError(runCli(dir, {"compare", a}), 2, "expected 2 arguments");
  expectError(runCli(dir, {"compare", a, a, "--grid", "c"}), 2, "--grid");
  expectError(runCli(dir, {"compare", a, a, "--offset", "1,2"}), 2, "--offset");
  expectError(runCli(dir, {"compare", a, a, "--offset", "1,x,2"}), 2, "--offset");
  expectError(runCli(dir, {"compare", a, a, "--mask", a, "--roi", "GTV"}), 2, "not both");
  expectError(runCli(dir, {"compare", a, a, "--bogus"}), 2, "unknown option");
}

TEST(CliCompare, CtSeriesAgainstItselfIsIdentical) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  const auto ct = data / "sts" / "STS_001" / "CT" / "image";
  const Result r = runCli(dir, {"compare", ct.string(), ct.string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  LoadParams params;
  params.resample_if_irregular = true;  // as harmonia-cli loads folders
  const Volume v = loadDicomFolder(ct, "", params).volume;
  EXPECT_EQ(jsonNumber(r.out, "voxels_compared"), static_cast<double>(v.voxelCount()));
  EXPECT_EQ(jsonNumber(r.out, "voxels_excluded"), 0.0);
  EXPECT_EQ(jsonNumber(r.out, "rmse"), 0.0);
  EXPECT_EQ(jsonNumber(r.out, "mean_diff"), 0.0);
  EXPECT_EQ(jsonNumber(r.out, "pearson"), 1.0);
  EXPECT_EQ(jsonNumber(r.out, "wasserstein1"), 0.0);
  EXPECT_NE(jsonObject(r.out, "a").find("\"units\": \"HU\""), std::string::npos) << r.out;
}

TEST(CliCompare, RoiFromAnRtstructCountsTheRasterisedVoxels) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  const auto folder = data / "sts" / "STS_001" / "CT";  // image/ and mask/ (the RTSTRUCT)
  // The ROI rasterised here on the series' grid, with the core calls the GUI uses.
  LoadParams params;
  params.resample_if_irregular = true;  // as harmonia-cli loads folders
  const Volume v = loadDicomFolder(folder / "image", "", params).volume;
  const RtStruct rs = readRtStruct(folder / "mask" / "RS.dcm");
  ASSERT_EQ(rs.roiNames(), std::vector<std::string>{"GTV_Mass_CT"});
  const RoiMask roi = rasterizeRoi(rs.roi("GTV_Mass_CT"), v.geometry());
  double count = 0;
  for (auto m : roi.mask.voxels()) count += m != 0;
  ASSERT_GT(count, 1000.0);
  // The RTSTRUCT in A's folder, then (A holding none) in B's.
  for (const auto& [a, b] : {std::pair{folder, folder}, std::pair{folder / "image", folder}}) {
    SCOPED_TRACE(a.string());
    const Result r =
        runCli(dir, {"compare", a.string(), b.string(), "--roi", "GTV_Mass_CT", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(jsonNumber(jsonObject(r.out, "a"), "n"), count) << r.out;
    EXPECT_EQ(jsonNumber(jsonObject(r.out, "b"), "n"), count);
    EXPECT_EQ(jsonNumber(r.out, "voxels_compared"), count);
    EXPECT_EQ(jsonNumber(r.out, "rmse"), 0.0);
  }
  // A ROI of B moves with B: with B moved 3 voxels along i, B's values inside
  // the region are still those inside its own ROI (same N and mean), and A's
  // are others. The whole-voxel move needs no interpolation: tolerance 1e-9.
  const Result still = runCli(dir, {"compare", (folder / "image").string(), folder.string(),
                                    "--roi", "GTV_Mass_CT", "--json"});
  ASSERT_EQ(still.code, 0) << still.err;
  const Eigen::Vector3d move = v.geometry().direction.col(0) * (3.0 * v.geometry().spacing_mm[0]);
  std::ostringstream offset;
  offset << std::setprecision(17) << move[0] << "," << move[1] << "," << move[2];
  const Result moved = runCli(dir, {"compare", (folder / "image").string(), folder.string(),
                                    "--roi", "GTV_Mass_CT", "--offset", offset.str(), "--json"});
  ASSERT_EQ(moved.code, 0) << moved.err;
  const std::string b0 = jsonObject(still.out, "b"), b1 = jsonObject(moved.out, "b");
  EXPECT_EQ(jsonNumber(b1, "n"), count) << moved.out;
  EXPECT_NEAR(jsonNumber(b1, "mean"), jsonNumber(b0, "mean"), 1e-9);
  EXPECT_NEAR(jsonNumber(b1, "sd"), jsonNumber(b0, "sd"), 1e-9);
  EXPECT_GT(std::abs(jsonNumber(jsonObject(moved.out, "a"), "mean") -
                     jsonNumber(jsonObject(still.out, "a"), "mean")),
            0.1);
  EXPECT_GT(jsonNumber(moved.out, "rmse"), 1.0);

  // A ROI name the structure set lacks: the folder and the ROIs it has.
  const Result bad = runCli(dir, {"compare", folder.string(), folder.string(), "--roi", "Liver"});
  expectError(bad, 1, folder.string());
  EXPECT_NE(bad.err.find("no ROI named 'Liver'"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("'GTV_Mass_CT'"), std::string::npos) << bad.err;
}
