// Test main: sets VTK's surface format, then creates the QApplication that
// every UI test needs. Listing tests (gtest_discover_tests at build time)
// starts no Qt at all, so it works without a display.

#include <gtest/gtest.h>

#include <QApplication>
#include <QByteArray>
#include <cstring>

#include "UiTestSupport.h"
#include "ui/view/VtkView.h"

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

  const bool display =
      !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
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
