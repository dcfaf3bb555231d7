// The Composite workspace's live drag on case (a) of bench_blend (a
// 1000x1000 RGB patch with an elliptical mask into a 3000x2000 target): the
// real PasteController (worker thread, coalescing, preview-quality solves,
// histograms, copies for the GUI) is fed a new placement every 16 ms (a
// 60 Hz mouse) moving 3 px per event for 4 s. Prints the previews it
// published per second and how old the shown position was, and what the
// same drag would give with one cv::seamlessClone per update (measured in the
// same run), and the time to the refined result once the drag stops.
// A program, not a test: it asserts nothing about time.
//
// Usage: bench_live_drag [threads]   (default: all hardware threads)

// TBB before Qt: Qt's `emit` macro breaks TBB's headers.
#include <tbb/global_control.h>

#include "BenchSupport.h"
#include "BlendBenchInputs.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <opencv2/photo.hpp>
#include <thread>

#include "ui/model/PasteController.h"

using namespace harmonia;

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const bench::BenchThreads limit = bench::benchThreadsFromArgs(argc, argv);
  const int threads = limit.count;
  bench::printHeader("Live drag of a 1000x1000 paste over a 3000x2000 target (case (a))", threads);
  const int pw = 1000, ph = 1000, tw = 3000, th = 2000;
  const cv::Mat target = bench::texture(tw, th, 1);
  const cv::Mat source = bench::texture(pw, ph, 2);
  const cv::Mat mask = bench::ellipseMask(pw, ph);

  // The reference: one seamlessClone per update.
  cv::Mat cvOut;
  double tCv = std::numeric_limits<double>::infinity();
  for (int i = 0; i < 3; ++i) {
    QElapsedTimer t;
    t.start();
    cv::seamlessClone(source, target, mask, cv::Point(tw / 2, th / 2), cvOut, cv::NORMAL_CLONE);
    tCv = std::min(tCv, static_cast<double>(t.nsecsElapsed()) * 1e-9);
  }

  PasteController controller;
  controller.setInputs(std::make_shared<const Image2D>(Image2D::wrap(target)),
                       std::make_shared<const Image2D>(Image2D::wrap(source)),
                       std::make_shared<const Image2D>(Image2D::wrap(mask)));
  const Placement start{(tw - pw) / 2, (th - ph) / 2};
  controller.setPlacement(start);
  if (!controller.waitForIdle(120000)) return 1;

  // The drag: a circle of radius 150 px, 3 px per mouse event.
  constexpr int kEventMs = 16, kDragMs = 4000;
  QElapsedTimer clock;
  int events = 0, previews = 0;
  double lagSum = 0.0;  // mouse events between the shown placement and the newest one
  double solveSum = 0.0, pasteSum = 0.0, cycleSum = 0.0;
  std::vector<Placement> path;
  QObject::connect(&controller, &PasteController::previewChanged, [&] {
    if (!clock.isValid() || clock.elapsed() > kDragMs || !controller.preview().placement) return;
    ++previews;
    const CompositeReport& r = controller.preview().report;
    solveSum += r.solve.seconds;
    pasteSum += r.total_seconds;
    cycleSum += r.solve.iterations;
    const auto shown = std::find(path.rbegin(), path.rend(), *controller.preview().placement);
    if (shown != path.rend()) lagSum += static_cast<double>(shown - path.rbegin());
  });
  QTimer mouse;
  mouse.setInterval(kEventMs);
  QObject::connect(&mouse, &QTimer::timeout, [&] {
    if (clock.elapsed() >= kDragMs) {
      mouse.stop();
      app.quit();
      return;
    }
    const double angle = 3.0 * ++events / 150.0;
    const Placement p{start.x + static_cast<int>(std::lround(150.0 * (std::cos(angle) - 1.0))),
                      start.y + static_cast<int>(std::lround(150.0 * std::sin(angle)))};
    path.push_back(p);
    controller.setPlacement(p);
  });
  clock.start();
  mouse.start();
  app.exec();
  QElapsedTimer settle;
  settle.start();
  controller.waitForIdle(120000);
  const double tSettle = static_cast<double>(settle.elapsed()) * 1e-3;

  const double seconds = kDragMs * 1e-3;
  const double ours = previews / seconds;
  const double reference = 1.0 / tCv;
  std::printf(
      "  %d mouse events in %.1f s; %d previews shown (each a position at most one "
      "solve old)\n",
      events, seconds, previews);
  std::printf(
      "  harmonia live preview              %9.1f updates/s (shown position %.1f mouse "
      "events behind on average)\n",
      ours, previews > 0 ? lagSum / previews : 0.0);
  if (previews > 0) {
    std::printf("  per update: solve %.1f ms (%.1f V-cycles), whole paste step %.1f ms\n",
                1e3 * solveSum / previews, cycleSum / previews, 1e3 * pasteSum / previews);
  }
  std::printf("  one cv::seamlessClone per update   %9.1f updates/s (%.0f ms each)\n", reference,
              tCv * 1e3);
  std::printf("  speed-up (ours / reference)        %9.1fx\n", ours / reference);
  std::printf("  after the drag stops: final-quality result %.0f ms later (residual %.1e)\n",
              tSettle * 1e3, controller.preview().report.solve.relative_residual);
  std::printf("  load average %.2f at end\n", bench::loadAverage());
  return 0;
}
