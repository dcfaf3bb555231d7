// Test main: sets VTK's surface format (unless HARMONIA_TEST_WITHOUT_VTK: the
// ThreadSanitizer program has no views), then creates the QApplication that
// every UI test needs. Listing tests (gtest_discover_tests at build time)
// starts no Qt at all, so it works without a display.

#include <gtest/gtest.h>

#include <QApplication>
#include <QByteArray>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <time.h>
#include <unistd.h>

#if defined(HARMONIA_TEST_HAVE_X11)
#include <X11/Xlib.h>
#endif

#include "UiTestSupport.h"
#if !defined(HARMONIA_TEST_WITHOUT_VTK)
#include "ui/view/VtkView.h"
#endif

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

// Qt aborts when its own connection to the X server fails, which a busy Xvfb
// has done now and then right after accepting ours (xServerReachable). While
// QApplication starts, SIGABRT restarts the test binary instead, up to
// kMaxStarts starts in all (no test has run yet, so nothing is lost).
constexpr int kMaxStarts = 3;
char** savedArgv = nullptr;
char restartEnv[64];

extern "C" void restartOnAbort(int) {
  static const char msg[] =
      "harmonia tests: Qt could not connect to the X server; starting the tests again\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)ignored;
  const timespec pause{0, 250'000'000};  // give the server a moment
  nanosleep(&pause, nullptr);
  putenv(restartEnv);  // async-signal-unsafe in general, but the process is replaced next
  execv("/proc/self/exe", savedArgv);
  _exit(134);  // exec failed: die as abort() would have
}

}  // namespace

int main(int argc, char** argv) {
  // The arguments as given (InitGoogleTest removes its own from argv).
  static std::vector<char*> original(argv, argv + argc + 1);
  savedArgv = original.data();
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
#if !defined(HARMONIA_TEST_WITHOUT_VTK)
  harmonia::VtkView::setDefaultSurfaceFormat();
#endif
  const char* startsEnv = std::getenv("HARMONIA_TEST_STARTS");
  const int starts = (startsEnv ? std::atoi(startsEnv) : 0) + 1;
  const bool retry = display && starts < kMaxStarts;
  if (retry) {
    std::snprintf(restartEnv, sizeof restartEnv, "HARMONIA_TEST_STARTS=%d", starts);
    std::signal(SIGABRT, restartOnAbort);
  }
  QApplication app(argc, argv);
  if (retry) std::signal(SIGABRT, SIG_DFL);
  const QString platform = QGuiApplication::platformName();
  harmonia::test::setHaveGlDisplay(display && (platform == QLatin1String("xcb") ||
                                               platform.startsWith(QLatin1String("wayland"))));
  return RUN_ALL_TESTS();
}
