// Runs the real harmonia-cli for the harmonization subcommands: match-kernel,
// standardize, match-histogram, zscore and resample. Checks exit codes (0, 1
// bad input, 2 bad usage), one-line errors naming the file, --json reports,
// results against the core functions, and that inputs are never changed.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <vector>

#include "CliTestSupport.h"
#include "TestSupport.h"
#include "core/harmonize/KernelMatching.h"
#include "core/harmonize/ZScore.h"
#include "core/io/ImageIO.h"

using harmonia::test::fileBytes;
using harmonia::test::jsonNumber;
using harmonia::test::ScratchDir;
using namespace harmonia;

using harmonia::test::kCoffee;
using harmonia::test::Result;
using harmonia::test::runCli;

namespace {

Volume texturedVolume(const Geometry3D& g, std::uint32_t seed, float gain = 1.0f,
                      float offset = 0.0f) {
  Volume v(g);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 100.0f);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        v.at(i, j, k) = offset + gain * (u(rng) + 300.0f * std::sin(0.3f * i) * std::cos(0.2f * j));
      }
  return v;
}

Geometry3D smallGrid() {
  Geometry3D g;
  g.size = {24, 20, 12};
  g.spacing_mm = {1.0, 1.0, 2.0};
  g.origin_mm = {-10, 5, 3};
  return g;
}

MaskVolume centreMask(const Geometry3D& g) {
  MaskVolume m(g, 0);
  for (int k = 3; k < 9; ++k)
    for (int j = 5; j < 15; ++j)
      for (int i = 6; i < 18; ++i) m.at(i, j, k) = 1;
  return m;
}

// Bad input (1): exactly one line naming the file and the problem. Bad usage
// (2): the problem on the first line (a "usage:" line may follow).
void expectOneLine(const Result& r, int code, const std::string& what) {
  EXPECT_EQ(r.code, code) << r.err;
  const std::string first = r.err.substr(0, r.err.find('\n'));
  EXPECT_NE(first.find(what), std::string::npos) << r.err;
  if (code == 1) {
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace

TEST(CliHarmonize, MatchKernelBlursVolumesAndImagesAndRefusesToSharpen) {
  ScratchDir dir;
  const Volume v = texturedVolume(smallGrid(), 1);
  writeVolume(v, dir / "in.nii.gz");
  const std::string before = fileBytes(dir / "in.nii.gz");
  Result r =
      runCli(dir, {"match-kernel", (dir / "in.nii.gz").string(), (dir / "out.nii.gz").string(),
                   "--from-fwhm", "2,2,3", "--to-fwhm", "4,3,3", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"extra_fwhm_mm\": [3.4641"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"boundary\": \"mirror\""), std::string::npos) << r.out;
  const Volume out = readVolume(dir / "out.nii.gz");
  EXPECT_TRUE(out.geometry().sameGrid(v.geometry()));
  KernelMatchParams p;
  p.from_fwhm_mm = {2, 2, 3};
  p.to_fwhm_mm = {4, 3, 3};
  const Volume expected = matchKernel(v, p);
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    ASSERT_NEAR(out.data()[i], expected.data()[i], 1e-3) << i;
  }
  EXPECT_EQ(fileBytes(dir / "in.nii.gz"), before);

  r = runCli(dir, {"match-kernel", (dir / "in.nii.gz").string(), (dir / "o2.nii.gz").string(),
                   "--from-fwhm", "2,2,3", "--to-fwhm", "4,1,3"});
  expectOneLine(r, 2, "cannot sharpen");
  EXPECT_FALSE(std::filesystem::exists(dir / "o2.nii.gz"));
  expectOneLine(
      runCli(dir, {"match-kernel", (dir / "in.nii.gz").string(), (dir / "o3.nii.gz").string(),
                   "--from-fwhm", "2,x,3", "--to-fwhm", "4"}),
      2, "--from-fwhm");
  expectOneLine(runCli(dir, {"match-kernel", (dir / "missing.nii.gz").string(),
                             (dir / "o4.nii.gz").string(), "--from-fwhm", "1", "--to-fwhm", "2"}),
                1, "missing.nii.gz");
  expectOneLine(runCli(dir, {"match-kernel", (dir / "in.nii.gz").string(),
                             (dir / "in.nii.gz").string(), "--from-fwhm", "1", "--to-fwhm", "2"}),
                1, "refusing to overwrite");
  EXPECT_EQ(fileBytes(dir / "in.nii.gz"), before);
  EXPECT_EQ(
      runCli(dir, {"match-kernel", (dir / "in.nii.gz").string(), (dir / "o5.nii.gz").string()})
          .code,
      2);

  // 2-D RGB PNG in, PNG out (8-bit kept), TIFF out (float32).
  r = runCli(dir, {"match-kernel", kCoffee, (dir / "c.png").string(), "--from-fwhm", "1,1",
                   "--to-fwhm", "3,3"});
  ASSERT_EQ(r.code, 0) << r.err;
  const Image2D png = readImage2D(dir / "c.png");
  EXPECT_EQ(png.sampleType(), SampleType::UInt8);
  EXPECT_EQ(png.width(), 600);
  ASSERT_EQ(runCli(dir, {"match-kernel", kCoffee, (dir / "c.tif").string(), "--from-fwhm", "1",
                         "--to-fwhm", "3"})
                .code,
            0);
  EXPECT_EQ(readImage2D(dir / "c.tif").sampleType(), SampleType::Float32);
}

TEST(CliHarmonize, StandardizePutsStudiesOnOneIsotropicGrid) {
  ScratchDir dir;
  Geometry3D a = smallGrid(), b = smallGrid();
  b.size = {30, 26, 20};
  b.spacing_mm = {0.8, 0.8, 1.2};
  writeVolume(texturedVolume(a, 2), dir / "a.nii.gz");
  writeVolume(texturedVolume(b, 3), dir / "b.nii.gz");
  const Result r = runCli(
      dir, {"standardize", (dir / "a.nii.gz").string(), (dir / "b.nii.gz").string(), "--fwhm",
            "2,2,4", "--fwhm", "1.5,1.5,2.5", "--outdir", (dir / "std").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"target_fwhm_mm\": 4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"spacing_mm\": 2"), std::string::npos) << r.out;  // the coarsest
  const Volume sa = readVolume(dir / "std" / "a.nii.gz");
  const Volume sb = readVolume(dir / "std" / "b.nii.gz");
  EXPECT_TRUE(sa.geometry().sameGrid(sb.geometry()));
  EXPECT_TRUE(sa.geometry().spacing_mm.isApprox(Eigen::Vector3d(2, 2, 2)));
  // --spacing, and one --fwhm per input.
  ASSERT_EQ(runCli(dir, {"standardize", (dir / "a.nii.gz").string(), (dir / "b.nii.gz").string(),
                         "--fwhm", "2,2,4", "--fwhm", "1.5,1.5,2.5", "--spacing", "1.5", "--outdir",
                         (dir / "s2").string()})
                .code,
            0);
  EXPECT_NEAR(readVolume(dir / "s2" / "b.nii.gz").geometry().spacing_mm[0], 1.5, 1e-6);
  expectOneLine(
      runCli(dir, {"standardize", (dir / "a.nii.gz").string(), (dir / "b.nii.gz").string(),
                   "--fwhm", "2,2,4", "--outdir", (dir / "s3").string()}),
      2, "one --fwhm per input");
  expectOneLine(runCli(dir, {"standardize", (dir / "a.nii.gz").string(), "--fwhm", "2", "--outdir",
                             dir.path().string()}),
                1, "refusing to overwrite");
}

TEST(CliHarmonize, MatchHistogramWithMasksMethodsAndClearErrors) {
  ScratchDir dir;
  const Geometry3D g = smallGrid();
  writeVolume(texturedVolume(g, 4), dir / "in.nii.gz");
  writeVolume(texturedVolume(g, 5, 2.0f, 40.0f), dir / "ref.nii.gz");
  writeMask(centreMask(g), dir / "m.nii.gz");
  writeMask(MaskVolume(g, 0), dir / "empty.nii.gz");
  writeVolume(Volume(g, 3.0f), dir / "flat.nii.gz");
  const std::string before = fileBytes(dir / "in.nii.gz");
  Result r =
      runCli(dir, {"match-histogram", (dir / "in.nii.gz").string(), (dir / "ref.nii.gz").string(),
                   (dir / "out.nii.gz").string(), "--mask", (dir / "m.nii.gz").string(),
                   "--ref-mask", (dir / "m.nii.gz").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"quantile_error_bound\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"method\": \"full\""), std::string::npos) << r.out;
  EXPECT_EQ(fileBytes(dir / "in.nii.gz"), before);
  r = runCli(dir, {"match-histogram", (dir / "in.nii.gz").string(), (dir / "ref.nii.gz").string(),
                   (dir / "lm.nii.gz").string(), "--method", "landmarks", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"target_landmarks\""), std::string::npos) << r.out;
  expectOneLine(
      runCli(dir, {"match-histogram", (dir / "in.nii.gz").string(), (dir / "ref.nii.gz").string(),
                   (dir / "o.nii.gz").string(), "--mask", (dir / "empty.nii.gz").string()}),
      1, "empty.nii.gz: source mask has no voxels inside");
  expectOneLine(runCli(dir, {"match-histogram", (dir / "flat.nii.gz").string(),
                             (dir / "ref.nii.gz").string(), (dir / "o.nii.gz").string()}),
                1, "flat.nii.gz: source image is constant");
  expectOneLine(
      runCli(dir, {"match-histogram", (dir / "in.nii.gz").string(), (dir / "ref.nii.gz").string(),
                   (dir / "o.nii.gz").string(), "--method", "magic"}),
      2, "--method");
  EXPECT_FALSE(std::filesystem::exists(dir / "o.nii.gz"));
  // 2-D colour: per channel, 8-bit PNG out.
  ASSERT_EQ(runCli(dir, {"match-histogram", kCoffee, kCoffee, (dir / "c.png").string()}).code, 0);
  const Image2D a = readImage2D(kCoffee), b = readImage2D(dir / "c.png");
  EXPECT_EQ(cv::norm(a.mat(), b.mat(), cv::NORM_INF), 0.0);  // matching to itself: identity
}

TEST(CliHarmonize, ZScoreReportsWhatItRemoved) {
  ScratchDir dir;
  const Geometry3D g = smallGrid();
  const Volume v = texturedVolume(g, 6, 3.0f, 500.0f);
  writeVolume(v, dir / "in.nii.gz");
  writeMask(centreMask(g), dir / "m.nii.gz");
  writeMask(MaskVolume(g, 0), dir / "empty.nii.gz");
  Result r = runCli(dir, {"zscore", (dir / "in.nii.gz").string(), (dir / "z.nii.gz").string(),
                          "--mask", (dir / "m.nii.gz").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"alpha_removed\""), std::string::npos) << r.out;
  const ZScoreResult expected = zscore(v, centreMask(g));
  const Volume z = readVolume(dir / "z.nii.gz");
  for (std::size_t i = 0; i < v.voxelCount(); ++i)
    ASSERT_NEAR(z.data()[i], expected.image.data()[i], 1e-5);
  r = runCli(dir, {"zscore", (dir / "in.nii.gz").string(), (dir / "r.nii.gz").string(), "--mask",
                   (dir / "m.nii.gz").string(), "--robust", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"iqr\""), std::string::npos) << r.out;
  expectOneLine(runCli(dir, {"zscore", (dir / "in.nii.gz").string(), (dir / "o.nii.gz").string()}),
                2, "--mask is required");
  expectOneLine(runCli(dir, {"zscore", (dir / "in.nii.gz").string(), (dir / "o.nii.gz").string(),
                             "--mask", (dir / "empty.nii.gz").string()}),
                1, "empty.nii.gz: ROI mask has no voxels inside");
}

TEST(CliHarmonize, ResampleOntoSpacingOrAnotherGrid) {
  ScratchDir dir;
  const Geometry3D g = smallGrid();
  writeVolume(texturedVolume(g, 7), dir / "in.nii.gz");
  Geometry3D other;
  other.size = {10, 10, 10};
  other.spacing_mm = {1.5, 1.5, 1.5};
  other.origin_mm = {-5, 8, 6};
  writeVolume(Volume(other, 0.0f), dir / "ref.nii.gz");
  writeMask(centreMask(g), dir / "m.nii.gz");
  Result r = runCli(dir, {"resample", (dir / "in.nii.gz").string(), (dir / "iso.nii.gz").string(),
                          "--spacing", "1", "--interp", "cubic", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"size\": [24, 20, 24]"), std::string::npos) << r.out;
  ASSERT_EQ(runCli(dir, {"resample", (dir / "in.nii.gz").string(), (dir / "like.nii.gz").string(),
                         "--like", (dir / "ref.nii.gz").string()})
                .code,
            0);
  EXPECT_TRUE(readVolume(dir / "like.nii.gz")
                  .geometry()
                  .sameGrid(readVolume(dir / "ref.nii.gz").geometry()));
  ASSERT_EQ(runCli(dir, {"resample", (dir / "m.nii.gz").string(), (dir / "m2.nii.gz").string(),
                         "--spacing", "2", "--as-mask"})
                .code,
            0);
  EXPECT_EQ(readMask(dir / "m2.nii.gz").geometry().spacing_mm[0], 2.0);
  expectOneLine(
      runCli(dir, {"resample", (dir / "in.nii.gz").string(), (dir / "o.nii.gz").string()}), 2,
      "exactly one of --spacing and --like");
  expectOneLine(runCli(dir, {"resample", (dir / "in.nii.gz").string(), (dir / "o.nii.gz").string(),
                             "--spacing", "1", "--interp", "sinc"}),
                2, "--interp");
  expectOneLine(runCli(dir, {"resample", kCoffee, (dir / "o.nii.gz").string(), "--spacing", "1"}),
                1, "coffee.png: resample works on volumes");
}

TEST(CliHarmonize, CommandsReadDicomFoldersAndMatchMasksByPosition) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  // A DICOM folder resamples exactly like its NIfTI conversion.
  const std::string ct = (data / "ibsi" / "ct_phantom" / "dicom" / "image").string();
  ASSERT_EQ(runCli(dir, {"convert", ct, (dir / "ct.nii.gz").string()}).code, 0);
  ASSERT_EQ(runCli(dir, {"resample", (dir / "ct.nii.gz").string(), (dir / "a.nii.gz").string(),
                         "--spacing", "2"})
                .code,
            0);
  Result r = runCli(dir, {"resample", ct, (dir / "b.nii.gz").string(), "--spacing", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  const Volume a = readVolume(dir / "a.nii.gz");
  const Volume b = readVolume(dir / "b.nii.gz");
  ASSERT_TRUE(a.geometry().sameGrid(b.geometry()));
  float maxDiff = 0.0f, minValue = 1e9f;
  for (std::size_t i = 0; i < a.voxelCount(); ++i) {
    maxDiff = std::max(maxDiff, std::abs(a.data()[i] - b.data()[i]));
    minValue = std::min(minValue, b.data()[i]);
  }
  EXPECT_LT(maxDiff, 1e-3f);
  EXPECT_LT(minValue, -900.0f);  // HU: air, so the rescale was applied

  // z-score of a PET folder in SUV with the DRO's NIfTI mask, matched by
  // position: the centre removed is the mask's mean SUV that inspect reports.
  const std::filesystem::path dro = data / "suv_dro" / "DRO_0_0";
  const std::string mask = (dro / "mask" / "DRO_mask.nii.gz").string();
  r = runCli(dir, {"zscore", (dro / "PT").string(), (dir / "z.nii.gz").string(), "--mask", mask,
                   "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const Result inspect = runCli(dir, {"inspect", (dro / "PT").string(), "--mask", mask, "--json"});
  ASSERT_EQ(inspect.code, 0) << inspect.err;
  const double mean = jsonNumber(inspect.out, "mean");
  EXPECT_GT(mean, 0.2);
  EXPECT_NEAR(jsonNumber(r.out, "centre"), mean, 1e-4 * mean) << r.out << inspect.out;
  EXPECT_EQ(jsonNumber(r.out, "roi_count"), jsonNumber(inspect.out, "count"));

  // standardize names a folder's output after the folder.
  r = runCli(dir, {"standardize", ct, (dro / "PT").string(), "--fwhm", "2,2,3", "--fwhm", "6,6,6",
                   "--spacing", "4", "--outdir", (dir / "std").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "std" / "image.nii.gz"));
  EXPECT_TRUE(std::filesystem::exists(dir / "std" / "PT.nii.gz"));

  // A folder holding several series asks for --series.
  expectOneLine(runCli(dir, {"resample", (data / "sts" / "STS_001").string(),
                             (dir / "o.nii.gz").string(), "--spacing", "2"}),
                1, "--series");
}
