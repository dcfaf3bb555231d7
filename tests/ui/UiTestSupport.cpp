#include "UiTestSupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QThread>
#include <QWheelEvent>
#include <QWindow>
#include <algorithm>
#include <cmath>

namespace harmonia::test {

namespace {
bool gHaveGlDisplay = false;
}

bool haveGlDisplay() { return gHaveGlDisplay; }

void setHaveGlDisplay(bool have) { gHaveGlDisplay = have; }

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > timeoutMs) {
      return false;
    }
    QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    QThread::msleep(2);
  }
  return true;
}

bool waitExposed(QWidget& widget, int timeoutMs) {
  return waitUntil(
      [&widget] {
        const QWindow* window = widget.window()->windowHandle();
        return window != nullptr && window->isExposed();
      },
      timeoutMs);
}

void sendMouse(QWidget& widget, QEvent::Type type, const QPointF& pos, Qt::MouseButton button,
               Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers) {
  QMouseEvent event(type, pos, widget.mapToGlobal(pos), button, buttons, modifiers);
  QCoreApplication::sendEvent(&widget, &event);
}

void drag(QWidget& widget, Qt::MouseButton button, const QPointF& from, const QPointF& to,
          Qt::KeyboardModifiers modifiers) {
  sendMouse(widget, QEvent::MouseButtonPress, from, button, button, modifiers);
  constexpr int kSteps = 4;
  for (int s = 1; s <= kSteps; ++s) {
    const QPointF p = from + (to - from) * (static_cast<double>(s) / kSteps);
    sendMouse(widget, QEvent::MouseMove, p, Qt::NoButton, button, modifiers);
  }
  sendMouse(widget, QEvent::MouseButtonRelease, to, button, Qt::NoButton, modifiers);
}

bool showSized(QWidget& widget, int width, int height) {
  widget.resize(width, height);
  widget.show();
  return waitExposed(widget);
}

void sendWheel(QWidget& widget, const QPointF& pos, int angleDeltaY,
               Qt::KeyboardModifiers modifiers) {
  QWheelEvent event(pos, widget.mapToGlobal(pos), QPoint(), QPoint(0, angleDeltaY), Qt::NoButton,
                    modifiers, Qt::NoScrollPhase, false);
  QCoreApplication::sendEvent(&widget, &event);
}

void sendKey(QWidget& widget, int key, Qt::KeyboardModifiers modifiers, const QString& text) {
  QKeyEvent press(QEvent::KeyPress, key, modifiers, text);
  QCoreApplication::sendEvent(&widget, &press);
  QKeyEvent release(QEvent::KeyRelease, key, modifiers, text);
  QCoreApplication::sendEvent(&widget, &release);
}

QColor pixelAt(const QImage& image, const QWidget& widget, const QPointF& pos) {
  const double dpr = widget.devicePixelRatioF();
  const int x = std::clamp(static_cast<int>(pos.x() * dpr), 0, image.width() - 1);
  const int y = std::clamp(static_cast<int>(pos.y() * dpr), 0, image.height() - 1);
  return image.pixelColor(x, y);
}

double expectedGray(double value, double window, double level) {
  const double t = (value - (level - 0.5 * window)) / window;
  return std::clamp(t, 0.0, 1.0) * 255.0;
}

}  // namespace harmonia::test
