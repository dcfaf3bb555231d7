// Handing two CT-sized studies to the Compare workspace in Fade mode, against
// one plain vtkImageReslice (linear) of B onto A's grid, measured in the same
// run. A: 512x512x300 float32 at 0.7x0.7x1.0 mm; B: the same synthetic body
// sampled on another grid (0.9x0.9x2.0 mm, 400x400x150, shifted by a few mm).
//
// Ours is the whole hand-over as StudyWorkspace::compareRequested does it
// (both studies' Documents given their library entries), in the real main
// window: A's view draws, B is resampled onto A's grid in a worker
// (CompareSession::commonGrid(), with its difference range), the comparison
// overlay composes the slice, and the view has drawn a frame showing both.
// Also printed: the first frame (A alone), and the time until every job
// (histograms included) is done. The reference does only the resampling, so
// the ratio is what the workspace costs around it.
//
// Needs a display for the views: without one it says so and exits 0.
// A program, not a test: it asserts nothing about time.
//
// Usage: bench_compare [repeats]   (default 3; threads: $HARMONIA_BENCH_THREADS)

// TBB before Qt: Qt's `emit` macro breaks TBB's headers.
#include <tbb/global_control.h>

#include "BenchSupport.h"

#include <vtkImageData.h>
#include <vtkImageReslice.h>
#include <vtkSmartPointer.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QWindow>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

#include "ui/MainWindow.h"
#include "ui/model/CompareSession.h"
#include "ui/model/Document.h"
#include "ui/model/VolumeLibrary.h"
#include "ui/view/ComparisonOverlay.h"
#include "ui/view/SliceView.h"
#include "ui/view/VtkBridge.h"
#include "ui/view/VtkView.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/workspaces/compare/CompareWorkspace.h"

// Xlib last: its macros (None, Status...) clash with names in our headers.
#if defined(HARMONIA_TEST_HAVE_X11)
#include <X11/Xlib.h>
#endif

using namespace harmonia;

namespace {

// True when a display is there to draw on (an X server that answers, or Wayland).
bool haveDisplay() {
  if (!qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) return true;
  if (qEnvironmentVariableIsEmpty("DISPLAY")) return false;
#if defined(HARMONIA_TEST_HAVE_X11)
  Display* d = XOpenDisplay(nullptr);
  if (d == nullptr) return false;
  XCloseDisplay(d);
#endif
  return true;
}

// A CT-like body in HU at world position p (mm): air, an elliptic trunk of
// soft tissue with noise, a bony ring, and lungs, the same at any grid.
float bodyAt(const Eigen::Vector3d& p, std::uint64_t noiseKey) {
  const double x = p.x() - 180.0, y = p.y() - 180.0;
  const double trunk = (x * x) / (150.0 * 150.0) + (y * y) / (110.0 * 110.0);
  if (trunk > 1.0) return -1000.0f + 20.0f * bench::hashUnit(noiseKey);
  const double r = std::hypot(x, y + 60.0);
  if (r > 18.0 && r < 30.0) return 700.0f + 100.0f * std::sin(0.05 * p.z());
  const double lx = std::abs(x) - 70.0, ly = y + 10.0;
  if (lx * lx / (45.0 * 45.0) + ly * ly / (60.0 * 60.0) < 1.0) {
    return -820.0f + 60.0f * bench::hashUnit(noiseKey);
  }
  return 40.0f + 30.0f * static_cast<float>(std::sin(0.02 * p.z())) +
         40.0f * (bench::hashUnit(noiseKey) - 0.5f);
}

std::shared_ptr<const Volume> ctVolume(const Geometry3D& g, std::uint64_t seed) {
  auto v = std::make_shared<Volume>(g, kUninitialized);
  tbb::parallel_for(0, g.size[2], [&](int k) {
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const std::size_t n = v->index(i, j, k);
        v->data()[n] = bodyAt(g.indexToWorld(Eigen::Vector3d(i, j, k)), seed ^ n);
      }
  });
  v->setUnits("HU");
  return v;
}

VolumeEntry entryFor(const char* name, std::shared_ptr<const Volume> volume) {
  VolumeEntry e;
  e.kind = VolumeEntry::Kind::Generated;
  e.name = QString::fromLatin1(name);
  e.source = e.name;
  e.modality = QStringLiteral("CT");
  e.volume = std::move(volume);
  return e;
}

double seconds(const QElapsedTimer& t) { return static_cast<double>(t.nsecsElapsed()) * 1e-9; }

// Distinct grey levels in the middle of an image (a uniform view drew nothing).
int distinctGreys(const QImage& img) {
  std::set<int> greys;
  for (int y = img.height() / 4; y < 3 * img.height() / 4; y += 3)
    for (int x = img.width() / 4; x < 3 * img.width() / 4; x += 3)
      greys.insert(qGray(img.pixel(x, y)));
  return static_cast<int>(greys.size());
}

// One hand-over, timed from setEntry() on.
struct HandOver {
  double first_frame = -1.0;  ///< A's view drew its first frame
  double common_grid = -1.0;  ///< B on A's grid is ready
  double drawn = -1.0;        ///< the view drew a frame with both studies
  double settled = -1.0;      ///< every job done (histograms included)
};

}  // namespace

int main(int argc, char** argv) {
  if (!haveDisplay()) {
    std::printf(
        "bench_compare: needs a display (X or Wayland) to draw the Compare views; none here, "
        "nothing measured. Run it under `xvfb-run -a`.\n");
    return 0;
  }
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;

  VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  const QString platform = QGuiApplication::platformName();
  if (platform != QLatin1String("xcb") && !platform.startsWith(QLatin1String("wayland"))) {
    std::printf("bench_compare: Qt platform '%s' has no OpenGL views; nothing measured.\n",
                qPrintable(platform));
    return 0;
  }

  Geometry3D ga;
  ga.size = {512, 512, 300};
  ga.spacing_mm = {0.7, 0.7, 1.0};
  Geometry3D gb;
  gb.size = {400, 400, 150};
  gb.spacing_mm = {0.9, 0.9, 2.0};
  gb.origin_mm = {-4.5, 3.0, 6.0};
  const auto a = ctVolume(ga, 1);
  const auto b = ctVolume(gb, 2);
  bench::printHeader(
      "Compare in Fade mode: A 512x512x300 at 0.7x0.7x1.0 mm, B 400x400x150 at 0.9x0.9x2.0 mm "
      "(shifted), B onto A's grid, linear",
      threads);

  MainWindow window(false);
  window.resize(1400, 900);
  window.show();
  QElapsedTimer wait;
  wait.start();
  while (!(window.windowHandle() && window.windowHandle()->isExposed()) && wait.elapsed() < 10000) {
    QApplication::processEvents(QEventLoop::AllEvents, 20);
  }
  CompareSession* session = window.compareSession();
  CompareWorkspace* workspace = window.compareWorkspace();
  SliceView* view = workspace->panel(0)->view();
  session->setMode(ComparisonMode::Fade);
  const auto entryA = window.volumeLibrary()->add(entryFor("A (0.7x0.7x1.0 mm)", a));
  const auto entryB = window.volumeLibrary()->add(entryFor("B (0.9x0.9x2.0 mm)", b));
  if (!window.settle(60000)) return 1;

  HandOver best;
  best.drawn = std::numeric_limits<double>::infinity();
  HandOver run;
  QElapsedTimer clock;
  QObject::connect(session, &CompareSession::commonGridChanged, [&] {
    if (clock.isValid() && session->commonGrid() && run.common_grid < 0) {
      run.common_grid = seconds(clock);
    }
  });
  QObject::connect(view, &QOpenGLWidget::frameSwapped, [&] {
    if (!clock.isValid()) return;
    const double t = seconds(clock);
    if (run.first_frame < 0 && view->volume()) run.first_frame = t;
    if (run.drawn < 0 && run.common_grid >= 0 && workspace->overlay()->hasContent()) run.drawn = t;
  });
  for (int r = 0; r < repeats; ++r) {
    session->study(0)->clear();
    session->study(1)->clear();
    if (!window.settle(60000)) return 1;
    run = HandOver();
    clock.start();
    session->study(0)->setEntry(entryA);
    session->study(1)->setEntry(entryB);
    while (run.drawn < 0 && seconds(clock) < 120.0) {
      QApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    if (run.drawn < 0) {
      std::printf("bench_compare: the view did not draw both studies within 120 s\n");
      return 1;
    }
    if (!window.settle(120000)) return 1;
    run.settled = seconds(clock);
    clock.invalidate();
    if (run.drawn < best.drawn) best = run;
  }
  const int greys = distinctGreys(view->grabFramebuffer());

  // The reference: B resampled onto A's grid, nothing else.
  auto reslice = vtkSmartPointer<vtkImageReslice>::New();
  reslice->SetInputData(toVtkImage(*b));
  reslice->SetInterpolationModeToLinear();
  reslice->SetOutputSpacing(ga.spacing_mm[0], ga.spacing_mm[1], ga.spacing_mm[2]);
  reslice->SetOutputOrigin(ga.origin_mm[0], ga.origin_mm[1], ga.origin_mm[2]);
  reslice->SetOutputExtent(0, ga.size[0] - 1, 0, ga.size[1] - 1, 0, ga.size[2] - 1);
  reslice->SetNumberOfThreads(threads);
  const double tVtk = bench::bestOf(repeats, [&] {
    reslice->GetOutput()->ReleaseData();
    reslice->Modified();
    reslice->Update();
  });

  std::printf("  best of %d hand-overs (setEntry on both studies to ...):\n", repeats);
  std::printf("    first frame of A                 %9.4f s\n", best.first_frame);
  std::printf("    B on A's grid ready              %9.4f s\n", best.common_grid);
  std::printf("    every job done (histograms too)  %9.4f s\n", best.settled);
  bench::printResult("harmonia Compare, drawn in Fade", best.drawn,
                     "vtkImageReslice B onto A (linear)", tVtk);

  // The same values on the common grid (VTK writes 0 outside B, ours NaN).
  const float* ref = static_cast<const float*>(reslice->GetOutput()->GetScalarPointer());
  const std::shared_ptr<const Volume> grid = session->commonGrid();
  double maxDiff = 0.0;
  for (std::size_t i = 0; grid && i < grid->voxelCount(); i += 97) {
    if (std::isfinite(grid->data()[i])) {
      maxDiff = std::max(maxDiff, static_cast<double>(std::abs(grid->data()[i] - ref[i])));
    }
  }
  std::printf("  max |ours - VTK| inside B on every 97th voxel = %.3g HU\n", maxDiff);
  std::printf("  the view shows %d grey levels in its centre\n", greys);
  if (greys < 2) {
    std::printf("bench_compare: the view is one colour: it drew nothing\n");
    return 1;
  }
  return 0;
}
