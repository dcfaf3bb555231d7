// Test main: sets VTK's surface format, then creates the QApplication that
// every UI test needs. Listing tests (gtest_discover_tests at build time)
// starts no Qt at all, so it works without a display.

#include <gtest/gtest.h>

#include <QApplication>
#include <QByteArray>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#if defined(HARMONIA_TEST_HAVE_X11)
#include <X11/Xlib.h>
#endif

#include "UiTestSupport.h"
#include "ui/view/VtkView.h"

namespace {

// True when the X server in DISPLAY accepts a connection, trying for a few
// seconds: a busy Xvfb has refused one now and then (QApplication then aborts
// the whole test binary instead of letting its tests report).
bool xServerReachable() {
#if defined(HARMONIA_TEST_HAVE_X11)
  for (int attempt = 0; attempt < 20; ++attempt) {
    if (Display* d = XOpenDisplay(nullptr)) {
      XCloseDisplay(d);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return false;
#else
  return true;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  bool listing = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--gtest_list_tests", 18) == 0) {
      listing = true;
    }
  }
  ::testing::InitGoogleTest(&argc, argv);
  if (listing) {
    return RUN_ALL_TESTS();
  }

  bool display =
      !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
  if (display && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
      qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && !xServerReachable()) {
    std::fprintf(stderr,
                 "harmonia tests: the X server %s refused connections for 5 s; "
                 "running without a display (the OpenGL tests skip)\n",
                 qgetenv("DISPLAY").constData());
    display = false;
  }
  if (!display && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    // Widget and job tests still run; the OpenGL tests skip.
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  harmonia::VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  const QString platform = QGuiApplication::platformName();
  harmonia::test::setHaveGlDisplay(display && (platform == QLatin1String("xcb") ||
                                               platform.startsWith(QLatin1String("wayland"))));
  return RUN_ALL_TESTS();
}
