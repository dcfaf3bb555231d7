// Poisson compositing: Harmonia's Compositor against cv::seamlessClone on the
// same inputs (RGB, smooth random textures, an elliptical mask filling the
// patch), same thread count, best of 5. Also prints the multigrid solution's
// largest difference from the exact (direct) solve on a case small enough for
// the direct solve, and the warm-started re-solve time after a 5-pixel drag
// (also as a share of cv::seamlessClone's time, measured in the same run).
// A program, not a test: it asserts nothing about time.
//
// Usage: bench_blend [threads]   (default: all hardware threads)

#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <thread>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include "BlendBenchInputs.h"
#include "core/blend/Compositor.h"
#include "core/blend/DirectSolver.h"
#include "core/blend/MultigridSolver.h"

using namespace harmonia;
using harmonia::bench::ellipseMask;
using harmonia::bench::texture;

namespace {

double seconds(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double bestOf(int runs, const std::function<void()>& f) {
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < runs; ++i) best = std::min(best, seconds(f));
  return best;
}

std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// Largest |multigrid - direct| over the domain, in units of 1/255 of full scale.
void accuracy(int pw, int ph, int tw, int th) {
  const Image2D target = Image2D::wrap(texture(tw, th, 11));
  const Image2D source = Image2D::wrap(texture(pw, ph, 22));
  const Image2D mask = Image2D::wrap(ellipseMask(pw, ph));
  const Placement at{(tw - pw) / 2, (th - ph) / 2};
  PoissonProblem exact = PoissonProblem::build(target, source, mask, at, BlendMode::Normal);
  PoissonProblem mg = exact;
  const SolveReport de = DirectSolver().solve(exact, noProgress());
  const SolveReport rm = MultigridSolver().solve(mg, noProgress());
  double worst = 0.0;
  for (int c = 0; c < exact.channels(); ++c) {
    for (const RowSpan& sp : exact.spans()) {
      for (int i = sp.x0; i < sp.x1; ++i) {
        const std::size_t k = static_cast<std::size_t>(sp.y) * exact.gridWidth() + i;
        worst = std::max(worst, double(std::abs(exact.solution(c)[k] - mg.solution(c)[k])));
      }
    }
  }
  Image2D a = target, b = target;
  exact.writeInto(a);
  mg.writeInto(b);
  std::printf(
      "accuracy %dx%d patch into %dx%d (%zu unknowns x 3): direct %.0f ms; multigrid %d V-cycles,"
      " residual %.1e, %.1f ms\n  max |multigrid - direct| = %.3f/255 (float), 8-bit outputs "
      "differ by at most %.0f\n",
      pw, ph, tw, th, exact.unknowns(), de.seconds * 1e3, rm.iterations, rm.relative_residual,
      rm.seconds * 1e3, worst, cv::norm(a.mat(), b.mat(), cv::NORM_INF));
}

void compare(const char* name, int pw, int ph, int tw, int th) {
  const cv::Mat target = texture(tw, th, 1);
  const cv::Mat source = texture(pw, ph, 2);
  const cv::Mat mask = ellipseMask(pw, ph);
  const Placement at{(tw - pw) / 2, (th - ph) / 2};
  const cv::Point centre(at.x + pw / 2, at.y + ph / 2);
  constexpr int kRuns = 5;

  cv::Mat cvOut;
  const double tCv = bestOf(
      kRuns, [&] { cv::seamlessClone(source, target, mask, centre, cvOut, cv::NORMAL_CLONE); });

  CompositeParams params;
  params.warm_start = false;
  CompositeReport cold;
  const double tOurs = bestOf(kRuns, [&] {
    Compositor comp(Image2D::wrap(target), Image2D::wrap(source), Image2D::wrap(mask), params);
    cold = comp.setPlacement(at);
  });

  // Warm start: drag back and forth by 5 px, each re-solve starting from the
  // last: to the final tolerance, and at preview quality (what a live drag
  // shows) followed by the refine that finishes it when the drag pauses.
  Compositor comp(Image2D::wrap(target), Image2D::wrap(source), Image2D::wrap(mask));
  comp.setPlacement(at);
  CompositeReport warm, preview, refined;
  double tWarm = std::numeric_limits<double>::infinity();
  double tPreview = tWarm, tRefine = tWarm;
  for (int i = 0; i < kRuns; ++i) {
    const Placement p{at.x + ((i % 2 == 0) ? 5 : 0), at.y};
    tWarm = std::min(tWarm, seconds([&] { warm = comp.setPlacement(p); }));
  }
  for (int i = 0; i < kRuns; ++i) {
    // Always a real 5 px move away from where the paste is now.
    const Placement p{comp.placement()->x == at.x ? at.x + 5 : at.x, at.y};
    tPreview = std::min(tPreview, seconds([&] {
                          preview = comp.setPlacement(p, noProgress(), SolveQuality::Preview);
                        }));
    tRefine = std::min(tRefine, seconds([&] { refined = comp.refine(); }));
  }
  std::printf(
      "%s: %dx%d patch into %dx%d\n  cv::seamlessClone %8.1f ms\n  Harmonia          %8.1f ms "
      "(%s, %d V-cycles, residual %.1e, solve %.1f ms)   speed-up x%.1f\n"
      "  warm re-solve after a 5 px drag: %.1f ms (%d cycles, %d of them boundary cycles; "
      "residual %.1e), %.1f%% of cv::seamlessClone's time\n"
      "  at preview quality: %.1f ms (%d cycles, %d boundary; residual %.1e); refine when the "
      "drag pauses: %.1f ms (%d cycles, %d boundary; residual %.1e)\n",
      name, pw, ph, tw, th, tCv * 1e3, tOurs * 1e3, toString(cold.solve.solver),
      cold.solve.iterations, cold.solve.relative_residual, cold.solve.seconds * 1e3, tCv / tOurs,
      tWarm * 1e3, warm.solve.iterations, warm.solve.boundary_cycles, warm.solve.relative_residual,
      100.0 * tWarm / tCv, tPreview * 1e3, preview.solve.iterations, preview.solve.boundary_cycles,
      preview.solve.relative_residual, tRefine * 1e3, refined.solve.iterations,
      refined.solve.boundary_cycles, refined.solve.relative_residual);
}

}  // namespace

int main(int argc, char** argv) {
  const bench::BenchThreads limit = bench::benchThreadsFromArgs(argc, argv);
  const int threads = limit.count;
  std::printf("bench_blend: %d threads for both (OpenCV %s), load average %s\n", threads,
              CV_VERSION, loadAverage().c_str());
  accuracy(400, 300, 900, 700);
  compare("(a)", 1000, 1000, 3000, 2000);
  // cv::seamlessClone's time depends on how well its FFTs factor the mask's
  // box (997x997 in (a)): the same case with a 1024x1024 patch (box 1021x1021)
  // shows how far the ratio moves with that.
  compare("(a) with a 1024x1024 patch", 1024, 1024, 3000, 2000);
  compare("(b)", 2000, 1500, 4000, 3000);
  std::printf("load average at the end: %s\n", loadAverage().c_str());
  return 0;
}
