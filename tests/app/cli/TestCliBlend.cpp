// harmonia-cli blend, run as the real executable: exit codes, one-line
// errors naming the file and the problem, unchanged inputs, --json report.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "CliTestSupport.h"
#include "TestSupport.h"
#include "core/io/ImageIO.h"

using harmonia::test::fileBytes;
using harmonia::test::ScratchDir;

using harmonia::test::Result;
using harmonia::test::runCli;

namespace {

// Writes target.png (80x60 gradient), source.png (30x20 flat), mask.png (ellipse).
void writeInputs(const ScratchDir& dir) {
  cv::Mat target(60, 80, CV_8UC3);
  for (int y = 0; y < 60; ++y) {
    for (int x = 0; x < 80; ++x) target.at<cv::Vec3b>(y, x) = cv::Vec3b(2 * x, 3 * y, 100);
  }
  const cv::Mat source(20, 30, CV_8UC3, cv::Scalar(200, 50, 50));
  cv::Mat mask = cv::Mat::zeros(20, 30, CV_8U);
  cv::ellipse(mask, {15, 10}, {12, 8}, 0, 0, 360, 255, cv::FILLED);
  harmonia::writeImage2D(harmonia::Image2D::wrap(target), dir / "target.png");
  harmonia::writeImage2D(harmonia::Image2D::wrap(source), dir / "source.png");
  harmonia::writeImage2D(harmonia::Image2D::wrap(mask), dir / "mask.png");
  harmonia::writeImage2D(harmonia::Image2D::wrap(cv::Mat::zeros(20, 30, CV_8U)), dir / "empty.png");
  harmonia::writeImage2D(harmonia::Image2D::wrap(cv::Mat::zeros(21, 30, CV_8U)), dir / "odd.png");
}

std::vector<std::string> blendArgs(const ScratchDir& dir, const std::string& mask,
                                   const std::string& at, const std::string& mode,
                                   const std::string& out) {
  return {"blend",
          "--target",
          (dir / "target.png").string(),
          "--source",
          (dir / "source.png").string(),
          "--mask",
          (dir / mask).string(),
          "--at",
          at,
          "--mode",
          mode,
          "-o",
          (dir / out).string()};
}

}  // namespace

TEST(CliBlend, PoissonAndAlphaWriteOutputsAndReport) {
  ScratchDir dir;
  writeInputs(dir);
  const std::string before = fileBytes(dir / "target.png");
  for (const std::string mode : {"normal", "mixed", "monochrome"}) {
    auto args = blendArgs(dir, "mask.png", "20,15", mode, "out_" + mode + ".png");
    args.push_back("--json");
    const Result r = runCli(dir, args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("\"solver\": \"direct\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"iterations\""), std::string::npos);
    EXPECT_NE(r.out.find("\"residual\""), std::string::npos);
    EXPECT_NE(r.out.find("\"solve_seconds\""), std::string::npos);
    const harmonia::Image2D out = harmonia::readImage2D(dir / ("out_" + mode + ".png"));
    EXPECT_EQ(out.width(), 80);
    EXPECT_EQ(out.height(), 60);
  }
  auto mg = blendArgs(dir, "mask.png", "-5,50", "normal", "mg.png");  // over two edges
  mg.insert(mg.end(), {"--solver", "multigrid", "--json"});
  Result r = runCli(dir, mg);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"solver\": \"multigrid\""), std::string::npos) << r.out;
  auto alpha = blendArgs(dir, "mask.png", "20,15", "alpha", "alpha.tif");
  alpha.insert(alpha.end(), {"--feather", "3"});
  r = runCli(dir, alpha);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote"), std::string::npos);
  EXPECT_EQ(fileBytes(dir / "target.png"), before) << "the target was modified";
}

TEST(CliBlend, BadInputAndUsage) {
  ScratchDir dir;
  writeInputs(dir);
  const auto expectBadInput = [&](const std::vector<std::string>& args, const std::string& file,
                                  const std::string& problem) {
    const Result r = runCli(dir, args);
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(problem), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  };
  expectBadInput(blendArgs(dir, "empty.png", "1,1", "normal", "o.png"), "empty.png",
                 "the mask is empty");
  expectBadInput(blendArgs(dir, "odd.png", "1,1", "normal", "o.png"), "odd.png",
                 "the mask is 30x21 but the source is 30x20");
  expectBadInput(blendArgs(dir, "mask.png", "500,0", "normal", "o.png"), "target.png",
                 "lies entirely outside the target (80x60)");
  expectBadInput(blendArgs(dir, "missing.png", "1,1", "normal", "o.png"), "missing.png",
                 "no such file");
  expectBadInput(blendArgs(dir, "mask.png", "1,1", "normal", "target.png"), "target.png",
                 "refusing to overwrite");
  EXPECT_FALSE(std::filesystem::exists(dir / "o.png"));

  const auto expectUsage = [&](const std::vector<std::string>& args) {
    const Result r = runCli(dir, args);
    EXPECT_EQ(r.code, 2) << r.err;
  };
  expectUsage(blendArgs(dir, "mask.png", "1;1", "normal", "o.png"));
  expectUsage(blendArgs(dir, "mask.png", "1,1", "screen", "o.png"));
  auto solver = blendArgs(dir, "mask.png", "1,1", "normal", "o.png");
  solver.insert(solver.end(), {"--solver", "fft"});
  expectUsage(solver);
  auto feather = blendArgs(dir, "mask.png", "1,1", "alpha", "o.png");
  feather.insert(feather.end(), {"--feather", "-2"});
  expectUsage(feather);
  expectUsage({"blend", "--target", (dir / "target.png").string()});
  // Nothing but the inputs is left in the folder.
  EXPECT_EQ(harmonia::test::entryCount(dir.path()), 5u);
}
