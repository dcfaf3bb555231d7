#pragma once
// Helpers shared by the UI tests: display detection, waiting for a window,
// synthetic input events and pixel read-back.

#include <QColor>
#include <QEvent>
#include <QImage>
#include <QPointF>
#include <QString>
#include <QWidget>
#include <filesystem>
#include <functional>

namespace harmonia::test {

/// How long a test waits for a job, a signal or a condition before it fails:
/// generous, since the sanitizer builds run jobs several times slower.
inline constexpr int kWaitMs = 60000;

/// A path as the QString the UI shows and takes.
inline QString qpath(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

/// True when the tests run on a real (or Xvfb) display with OpenGL.
bool haveGlDisplay();
/// Records whether the tests run on a display with OpenGL (set by main).
void setHaveGlDisplay(bool have);

/// Message for GTEST_SKIP when there is no display.
inline constexpr const char* kNoDisplay =
    "needs an X display with OpenGL; run the tests under `xvfb-run -a ctest`";

/// Processes events until the widget's window is exposed (false on timeout).
bool waitExposed(QWidget& widget, int timeoutMs = 5000);
/// Resizes the widget, shows it and waits until it is exposed (false on timeout).
bool showSized(QWidget& widget, int width, int height);
/// Processes events until `done()` is true (false on timeout).
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 5000);

/// Sends a mouse event at a widget position (logical pixels).
void sendMouse(QWidget& widget, QEvent::Type type, const QPointF& pos, Qt::MouseButton button,
               Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
/// Presses `button` at `from`, moves to `to` in a few steps and releases.
void drag(QWidget& widget, Qt::MouseButton button, const QPointF& from, const QPointF& to,
          Qt::KeyboardModifiers modifiers = Qt::NoModifier);
/// Sends a wheel event with the given vertical angle delta (120 = one notch).
void sendWheel(QWidget& widget, const QPointF& pos, int angleDeltaY,
               Qt::KeyboardModifiers modifiers = Qt::NoModifier);
/// Sends a key press and release.
void sendKey(QWidget& widget, int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier,
             const QString& text = QString());

/// Colour of the pixel under a widget position (logical pixels) in a grabbed image.
QColor pixelAt(const QImage& image, const QWidget& widget, const QPointF& pos);
/// Expected grey for value v under window/level: clamp((v - (L - W/2)) / W) * 255.
double expectedGray(double value, double window, double level);

}  // namespace harmonia::test
