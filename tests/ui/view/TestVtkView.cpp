// VtkView hosts a VTK render window in a QOpenGLWidget: what VTK renders must
// reach the widget's framebuffer (read back with grabFramebuffer).

#include <gtest/gtest.h>

#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkNew.h>
#include <vtkRenderer.h>

#include <QImage>
#include <functional>
#include <string>

#include "UiTestSupport.h"
#include "ui/view/VtkView.h"

namespace harmonia {
namespace {

using test::haveGlDisplay;
using test::kNoDisplay;

/// vtkCommand running a std::function (VTK 9.1 has no lambda observers).
class FunctionCommand : public vtkCommand {
 public:
  static FunctionCommand* New() { return new FunctionCommand; }
  void Execute(vtkObject*, unsigned long, void*) override { function(); }
  std::function<void()> function;
};

void observe(vtkObject* object, unsigned long event, std::function<void()> function) {
  vtkNew<FunctionCommand> command;
  command->function = std::move(function);
  object->AddObserver(event, command);
}

TEST(VtkView, RendersTheRendererBackgroundIntoTheWidget) {
  if (!haveGlDisplay()) {
    GTEST_SKIP() << kNoDisplay;
  }
  VtkView view;
  vtkNew<vtkRenderer> renderer;
  renderer->SetBackground(0.2, 0.4, 0.6);
  view.renderWindow()->AddRenderer(renderer);
  view.resize(120, 90);
  view.show();
  ASSERT_TRUE(test::waitExposed(view));

  const QImage image = view.grabFramebuffer();
  ASSERT_FALSE(image.isNull());
  const double dpr = view.devicePixelRatioF();
  EXPECT_EQ(image.width(), static_cast<int>(120 * dpr));
  // Tolerance 2: 0.2 * 255 = 51 exactly, but drivers may round either way.
  for (const QPointF p : {QPointF(5, 5), QPointF(60, 45), QPointF(115, 85)}) {
    const QColor c = test::pixelAt(image, view, p);
    EXPECT_NEAR(c.red(), 51, 2) << p.x() << "," << p.y();
    EXPECT_NEAR(c.green(), 102, 2);
    EXPECT_NEAR(c.blue(), 153, 2);
    EXPECT_EQ(c.alpha(), 255);  // opaque, not blended with what lies behind
  }

  // The render window's size follows the widget (device pixels).
  view.resize(160, 100);
  const QImage resized = view.grabFramebuffer();
  EXPECT_EQ(view.renderWindow()->GetSize()[0], static_cast<int>(160 * dpr));
  EXPECT_NEAR(test::pixelAt(resized, view, QPointF(155, 95)).blue(), 153, 2);
}

TEST(VtkView, ForwardsQtInputToTheVtkInteractor) {
  if (!haveGlDisplay()) {
    GTEST_SKIP() << kNoDisplay;
  }
  VtkView view;
  vtkNew<vtkRenderer> renderer;
  view.renderWindow()->AddRenderer(renderer);
  view.resize(100, 80);
  view.show();
  ASSERT_TRUE(test::waitExposed(view));
  (void)view.grabFramebuffer();

  struct Seen {
    int presses = 0;
    int wheels = 0;
    int keys = 0;
    int x = -1;
    int y = -1;
  } seen;
  vtkGenericRenderWindowInteractor* iren = view.interactor();
  iren->SetInteractorStyle(nullptr);  // only observe
  observe(iren, vtkCommand::LeftButtonPressEvent, [&] {
    ++seen.presses;
    iren->GetEventPosition(seen.x, seen.y);
  });
  observe(iren, vtkCommand::MouseWheelForwardEvent, [&] { ++seen.wheels; });
  observe(iren, vtkCommand::KeyPressEvent, [&] {
    if (std::string(iren->GetKeySym()) == "Up") {
      ++seen.keys;
    }
  });

  test::sendMouse(view, QEvent::MouseButtonPress, QPointF(10, 20), Qt::LeftButton, Qt::LeftButton);
  test::sendMouse(view, QEvent::MouseButtonRelease, QPointF(10, 20), Qt::LeftButton, Qt::NoButton);
  EXPECT_EQ(seen.presses, 1);
  const double dpr = view.devicePixelRatioF();
  EXPECT_EQ(seen.x, static_cast<int>(10 * dpr));
  // VTK's y runs up from the bottom row.
  EXPECT_EQ(seen.y, static_cast<int>(80 * dpr) - static_cast<int>(20 * dpr) - 1);

  test::sendWheel(view, QPointF(50, 40), 60);  // half a notch: nothing yet
  EXPECT_EQ(seen.wheels, 0);
  test::sendWheel(view, QPointF(50, 40), 60);
  EXPECT_EQ(seen.wheels, 1);

  test::sendKey(view, Qt::Key_Up);
  EXPECT_EQ(seen.keys, 1);
}

}  // namespace
}  // namespace harmonia
