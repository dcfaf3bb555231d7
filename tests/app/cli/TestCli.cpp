// Runs the real harmonia-cli executable and checks exit codes, messages,
// outputs, and that inputs are never changed.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <functional>
#include <string>

#include <opencv2/core.hpp>
#include "CliTestSupport.h"
#include "TestSupport.h"

#include "core/io/ImageIO.h"

using harmonia::test::fileBytes;
using harmonia::test::ScratchDir;

using harmonia::test::kCoffee;
using harmonia::test::Result;
using harmonia::test::runCli;

TEST(Cli, HelpVersionAndUsageErrors) {
  ScratchDir dir;
  Result r = runCli(dir, {"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("info"), std::string::npos);
  EXPECT_NE(r.out.find("convert"), std::string::npos);
  r = runCli(dir, {"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("VTK"), std::string::npos);
  EXPECT_NE(r.out.find("OpenCV"), std::string::npos);
  EXPECT_EQ(runCli(dir, {}).code, 2);
  r = runCli(dir, {"bogus"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown command 'bogus'"), std::string::npos);
  EXPECT_EQ(runCli(dir, {"info"}).code, 2);
  EXPECT_EQ(runCli(dir, {"info", kCoffee, "--frobnicate"}).code, 2);
  EXPECT_EQ(runCli(dir, {"convert", kCoffee}).code, 2);
  EXPECT_EQ(runCli(dir, {"info", "--help"}).code, 0);
}

TEST(Cli, InfoReportsImageAndVolume) {
  ScratchDir dir;
  Result r = runCli(dir, {"info", kCoffee});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("600 x 400 pixels, 3 channels of uint8"), std::string::npos) << r.out;
  r = runCli(dir, {"info", kCoffee, "--json"});
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("\"width\": 600"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"channel_stats\""), std::string::npos);

  harmonia::Geometry3D g;
  g.size = {4, 3, 2};
  g.spacing_mm = {0.5, 0.5, 2.0};
  harmonia::Volume v(g, 7.0f);
  v.at(0, 0, 0) = -3.0f;
  harmonia::writeVolume(v, dir / "v.nii.gz");
  r = runCli(dir, {"info", (dir / "v.nii.gz").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"size\": [4, 3, 2]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"min\": -3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"max\": 7"), std::string::npos) << r.out;
}

TEST(Cli, ConvertRoundTripsPixelsAndVolumes) {
  ScratchDir dir;
  ASSERT_EQ(runCli(dir, {"convert", kCoffee, (dir / "c.tif").string()}).code, 0);
  ASSERT_EQ(runCli(dir, {"convert", (dir / "c.tif").string(), (dir / "c.png").string()}).code, 0);
  const harmonia::Image2D a = harmonia::readImage2D(kCoffee);
  const harmonia::Image2D b = harmonia::readImage2D(dir / "c.png");
  EXPECT_EQ(cv::norm(a.mat(), b.mat(), cv::NORM_INF), 0.0);

  harmonia::Geometry3D g;
  g.size = {3, 3, 3};
  harmonia::Volume v(g, 1.5f);
  harmonia::writeVolume(v, dir / "v.nii");
  const Result r =
      runCli(dir, {"convert", (dir / "v.nii").string(), (dir / "v.nii.gz").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"type\": \"volume\""), std::string::npos);
  for (const char* phase : {"\"read_s\": ", "\"compute_s\": ", "\"write_s\": "}) {
    EXPECT_NE(r.out.find(phase), std::string::npos) << phase << " in " << r.out;
  }
  EXPECT_EQ(harmonia::readVolume(dir / "v.nii.gz").at(2, 2, 2), 1.5f);
}

TEST(Cli, BadInputExitsOneWithFileAndProblemAndChangesNothing) {
  ScratchDir dir;
  std::filesystem::copy_file(kCoffee, dir / "in.png");
  const std::string before = fileBytes(dir / "in.png");
  const auto expectBadInput = [&](const std::vector<std::string>& args, const std::string& file,
                                  const std::string& problem) {
    const Result r = runCli(dir, args);
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(problem), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  };
  expectBadInput({"info", (dir / "missing.png").string()}, "missing.png", "no such file");
  harmonia::test::writeTruncated(dir / "in.png", dir / "cut.png", before.size() / 3);
  expectBadInput({"info", (dir / "cut.png").string()}, "cut.png", "truncated PNG");
  expectBadInput({"convert", (dir / "cut.png").string(), (dir / "out.tif").string()}, "cut.png",
                 "truncated PNG");
  std::filesystem::copy_file(dir / "in.png", dir / "image.txt");
  expectBadInput({"info", (dir / "image.txt").string()}, "image.txt",
                 "unsupported file type '.txt'");
  expectBadInput({"convert", (dir / "in.png").string(), (dir / "out.bmp").string()}, "out.bmp",
                 "unsupported output type");
  expectBadInput({"convert", (dir / "in.png").string(), (dir / "in.png" / "x.png").string()},
                 "x.png", "cannot write");
  expectBadInput({"convert", (dir / "in.png").string(), (dir / "no" / "x.png").string()}, "x.png",
                 "does not exist");
  expectBadInput({"convert", (dir / "in.png").string(), (dir / "in.png").string()}, "in.png",
                 "refusing to overwrite the input");
  expectBadInput({"convert", (dir / "in.png").string(), (dir / "v.nii.gz").string()}, "v.nii.gz",
                 "2-D image must be written as");
  EXPECT_EQ(fileBytes(dir / "in.png"), before) << "the input was modified";
  // Nothing but the inputs we made is left in the folder.
  EXPECT_EQ(harmonia::test::entryCount(dir.path()), 3u);
}
