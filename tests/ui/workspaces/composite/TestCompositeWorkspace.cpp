// The Composite workspace with real views (needs GL, runs under xvfb-run):
// a scripted drag on the target view moves the paste, the pixels read back
// from the view change where the paste left and where it arrived, and the
// before/after histograms of the pasted region move with it; mask tools on
// the source view (brush, eraser, lasso, invert) edit the mask, show it as an
// overlay and undo; arrow keys nudge the paste.
//
// No timing thresholds: the tests wait for the paste worker to go idle.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QKeyEvent>

#include <QAction>
#include <QUndoStack>
#include <cmath>
#include <opencv2/core.hpp>

#include "CompositeTestImages.h"
#include "UiTestSupport.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompositeSession.h"
#include "ui/model/MaskModel.h"
#include "ui/model/PasteController.h"
#include "ui/widgets/HistogramWidget.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/workspaces/composite/CompositeToolBar.h"
#include "ui/workspaces/composite/CompositeWorkspace.h"
#include "ui/workspaces/composite/MaskPainter.h"
#include "ui/workspaces/composite/PasteDragger.h"

namespace harmonia {
namespace {

using test::kWaitMs;

/// Widget position of image pixel `pixel` in a tool's view (inverts pixelAt, which is affine).
QPointF widgetOf(const CanvasTool& tool, const QPointF& pixel) {
  const QPointF o = tool.pixelAt(QPointF(0, 0));
  const QPointF ex = (tool.pixelAt(QPointF(100, 0)) - o) / 100.0;
  const QPointF ey = (tool.pixelAt(QPointF(0, 100)) - o) / 100.0;
  const double det = ex.x() * ey.y() - ey.x() * ex.y();
  const QPointF d = pixel - o;
  return {(d.x() * ey.y() - ey.x() * d.y()) / det, (ex.x() * d.y() - d.x() * ex.y()) / det};
}

/// Largest difference over the colour channels of two pixels.
int colourDistance(const QColor& a, const QColor& b) {
  return std::max({std::abs(a.red() - b.red()), std::abs(a.green() - b.green()),
                   std::abs(a.blue() - b.blue())});
}

int differingPixels(const QImage& a, const QImage& b) {
  if (a.size() != b.size()) return a.width() * a.height();
  int n = 0;
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x) n += a.pixel(x, y) != b.pixel(x, y) ? 1 : 0;
  return n;
}

class CompositeWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
    workspace_.resize(1300, 800);
    workspace_.show();
    ASSERT_TRUE(test::waitExposed(workspace_));
    session_.target()->setImage(test::compositeTarget(480, 320), QStringLiteral("target"), {});
    session_.source()->setImage(test::compositeSource(160, 120), QStringLiteral("source"), {});
    ASSERT_TRUE(settle());
  }

  bool settle() {
    return test::waitUntil(
        [this] {
          runner_.waitForAll(10);
          return runner_.runningCount() == 0 && session_.isIdle();
        },
        kWaitMs);
  }

  SliceView* targetView() const { return workspace_.panel(0)->view(); }
  SliceView* sourceView() const { return workspace_.panel(1)->view(); }

  JobRunner runner_;
  CompositeSession session_{&runner_};
  CompositeWorkspace workspace_{&session_};
};

TEST_F(CompositeWorkspaceTest, WheelZoomsAboutThePointerAndSpaceDragPans) {
  SliceView* view = targetView();
  const QPointF pointer(view->width() * 0.3, view->height() * 0.4);
  const Eigen::Vector3d under = view->worldAt(pointer);
  const double zoom = view->zoom();
  // Two notches of a plain wheel: 1.1 x 1.1, about the pointer.
  test::sendWheel(*view, pointer, 240);
  EXPECT_NEAR(view->zoom(), zoom * 1.21, 1e-9);
  EXPECT_NEAR((view->worldAt(pointer) - under).norm(), 0.0, 1e-6);
  // Space + left drag pans: what was under the press ends under the release.
  const QPointF from(view->width() * 0.5, view->height() * 0.5);
  const QPointF to = from + QPointF(60, -40);
  const Eigen::Vector3d grabbed = view->worldAt(from);
  QKeyEvent space(QEvent::KeyPress, Qt::Key_Space, Qt::NoModifier, QStringLiteral(" "));
  QCoreApplication::sendEvent(view, &space);
  test::drag(*view, Qt::LeftButton, from, to);
  QKeyEvent spaceUp(QEvent::KeyRelease, Qt::Key_Space, Qt::NoModifier, QStringLiteral(" "));
  QCoreApplication::sendEvent(view, &spaceUp);
  EXPECT_NEAR((view->worldAt(to) - grabbed).norm(), 0.0, 1e-6);
  // The pan did not paint or move anything in the model.
  EXPECT_TRUE(session_.mask()->isEmpty());
}

TEST_F(CompositeWorkspaceTest, ScriptedDragChangesThePreviewAndMovesTheHistograms) {
  // Mask centred at source pixel (80, 60): at placement (40, 40) its centre is
  // on target pixel (120, 100).
  session_.mask()->fillEllipse(QPointF(80, 60), 50, 40, MaskOp::Replace, QStringLiteral("m"));
  session_.paste()->setPlacement(Placement{40, 40});
  ASSERT_TRUE(settle());
  const QImage before = targetView()->grabFramebuffer();
  const QImage histBefore = workspace_.histogramWidget()->grab().toImage();
  const PastePreview previewBefore = session_.paste()->preview();
  ASSERT_EQ(previewBefore.after.size(), 3u);
  EXPECT_EQ(workspace_.histogramWidget()->histogramCount(), 6);
  EXPECT_TRUE(workspace_.histogramWidget()->label(3).startsWith(QStringLiteral("After")));

  const PasteDragger& dragger = *workspace_.pasteDragger();
  const QPointF oldCentre(120, 100);
  const QPointF newCentre(330, 220);
  const int undoBefore = session_.undoStack()->count();
  test::drag(*targetView(), Qt::LeftButton, widgetOf(dragger, oldCentre),
             widgetOf(dragger, newCentre));
  ASSERT_TRUE(settle());
  targetView()->update();
  test::waitUntil([] { return false; }, 100);  // let the view repaint

  const std::optional<Placement> at = session_.paste()->placement();
  ASSERT_TRUE(at.has_value());
  EXPECT_NEAR(at->x, 40 + 210, 1);
  EXPECT_NEAR(at->y, 40 + 120, 1);
  EXPECT_EQ(session_.undoStack()->count(), undoBefore + 1);  // one step for the drag

  // Pixels read back from the view: the paste left its old place and arrived.
  const QImage after = targetView()->grabFramebuffer();
  const QColor arrivedBefore = test::pixelAt(before, *targetView(), widgetOf(dragger, newCentre));
  const QColor arrivedAfter = test::pixelAt(after, *targetView(), widgetOf(dragger, newCentre));
  const QColor leftBefore = test::pixelAt(before, *targetView(), widgetOf(dragger, oldCentre));
  const QColor leftAfter = test::pixelAt(after, *targetView(), widgetOf(dragger, oldCentre));
  EXPECT_GT(colourDistance(arrivedBefore, arrivedAfter), 20);
  EXPECT_GT(colourDistance(leftBefore, leftAfter), 20);
  // Where it left, the target is back: the view shows the target's own colour.
  const auto& target = *session_.target()->image();
  const QColor targetColour(static_cast<int>(target.sample(120, 100, 0)),
                            static_cast<int>(target.sample(120, 100, 1)),
                            static_cast<int>(target.sample(120, 100, 2)));
  EXPECT_LE(colourDistance(leftAfter, targetColour), 2);

  // The histograms of the pasted region moved.
  const PastePreview& previewAfter = session_.paste()->preview();
  ASSERT_EQ(previewAfter.after.size(), 3u);
  EXPECT_NE(previewAfter.before[1].counts, previewBefore.before[1].counts);
  EXPECT_NE(previewAfter.after[1].counts, previewBefore.after[1].counts);
  const QImage histAfter = workspace_.histogramWidget()->grab().toImage();
  EXPECT_GT(differingPixels(histBefore, histAfter), 50);
  EXPECT_FALSE(workspace_.solverReadout().isEmpty());

  // Undo puts the paste back.
  session_.undoStack()->undo();
  EXPECT_EQ(session_.paste()->placement(), (Placement{40, 40}));
}

TEST_F(CompositeWorkspaceTest, PressWithNoPastePlacesTheMaskThere) {
  session_.mask()->fillEllipse(QPointF(80, 60), 30, 30, MaskOp::Replace, QStringLiteral("m"));
  ASSERT_TRUE(settle());
  session_.paste()->setPlacement(std::nullopt);
  const PasteDragger& dragger = *workspace_.pasteDragger();
  const QPointF p = widgetOf(dragger, QPointF(200, 150));
  test::sendMouse(*targetView(), QEvent::MouseButtonPress, p, Qt::LeftButton, Qt::LeftButton);
  test::sendMouse(*targetView(), QEvent::MouseButtonRelease, p, Qt::LeftButton, Qt::NoButton);
  ASSERT_TRUE(settle());
  const QRect box = session_.paste()->maskBox();
  ASSERT_TRUE(session_.paste()->placement().has_value());
  const QPointF centre = QRectF(box).center() + QPointF(session_.paste()->placement()->x,
                                                        session_.paste()->placement()->y);
  EXPECT_NEAR(centre.x(), 200, 1.5);
  EXPECT_NEAR(centre.y(), 150, 1.5);
}

TEST_F(CompositeWorkspaceTest, ArrowKeysNudgeThePaste) {
  session_.mask()->fillEllipse(QPointF(80, 60), 30, 30, MaskOp::Replace, QStringLiteral("m"));
  session_.paste()->setPlacement(Placement{100, 100});
  ASSERT_TRUE(settle());
  targetView()->setFocus();
  test::sendKey(*targetView(), Qt::Key_Right);
  test::sendKey(*targetView(), Qt::Key_Right);
  test::sendKey(*targetView(), Qt::Key_Up);
  test::sendKey(*targetView(), Qt::Key_Down, Qt::ShiftModifier);
  EXPECT_EQ(session_.paste()->placement(), (Placement{102, 109}));
  session_.undoStack()->undo();  // the nudges are one step
  EXPECT_EQ(session_.paste()->placement(), (Placement{100, 100}));
  ASSERT_TRUE(settle());
}

TEST_F(CompositeWorkspaceTest, BrushEraserInvertLassoAndUndoOnTheSourceView) {
  MaskModel* mask = session_.mask();
  CompositeToolBar* bar = workspace_.toolBar();
  MaskPainter& painter = *workspace_.maskPainter();
  ASSERT_TRUE(mask->isEmpty());
  const QImage clean = sourceView()->grabFramebuffer();

  // Brush.
  bar->action(CompositeToolBar::Action::Brush)->trigger();
  painter.setRadius(6);
  test::drag(*sourceView(), Qt::LeftButton, widgetOf(painter, QPointF(20, 30)),
             widgetOf(painter, QPointF(100, 30)));
  EXPECT_EQ(mask->mask().at<std::uint8_t>(30, 60), 255);
  EXPECT_EQ(mask->mask().at<std::uint8_t>(30, 20), 255);
  EXPECT_EQ(mask->mask().at<std::uint8_t>(45, 60), 0);
  EXPECT_EQ(session_.undoStack()->count(), 1);  // one stroke, one step
  // The mask shows as a translucent tint over the source.
  sourceView()->update();
  test::waitUntil([] { return false; }, 100);
  const QImage painted = sourceView()->grabFramebuffer();
  const QPointF onStroke = widgetOf(painter, QPointF(60, 30));
  const QPointF offStroke = widgetOf(painter, QPointF(60, 80));
  EXPECT_GT(colourDistance(test::pixelAt(clean, *sourceView(), onStroke),
                           test::pixelAt(painted, *sourceView(), onStroke)),
            15);
  EXPECT_LE(colourDistance(test::pixelAt(clean, *sourceView(), offStroke),
                           test::pixelAt(painted, *sourceView(), offStroke)),
            2);
  const cv::Mat afterBrush = mask->mask().clone();

  // Eraser, through the tool bar.
  bar->action(CompositeToolBar::Action::Eraser)->trigger();
  EXPECT_EQ(painter.tool(), MaskPainter::Tool::Eraser);
  test::drag(*sourceView(), Qt::LeftButton, widgetOf(painter, QPointF(50, 30)),
             widgetOf(painter, QPointF(70, 30)));
  EXPECT_EQ(mask->mask().at<std::uint8_t>(30, 60), 0);
  EXPECT_EQ(mask->mask().at<std::uint8_t>(30, 20), 255);

  // The brush radius keys.
  sourceView()->setFocus();
  const double r = painter.radius();
  test::sendKey(*sourceView(), Qt::Key_BracketRight, Qt::NoModifier, QStringLiteral("]"));
  EXPECT_GT(painter.radius(), r);

  // Invert.
  bar->action(CompositeToolBar::Action::InvertMask)->trigger();
  EXPECT_EQ(mask->mask().at<std::uint8_t>(30, 60), 255);
  EXPECT_EQ(mask->mask().at<std::uint8_t>(30, 20), 0);
  EXPECT_EQ(mask->mask().at<std::uint8_t>(100, 150), 255);

  // Freehand lasso (replaces the mask): a triangle.
  bar->action(CompositeToolBar::Action::Lasso)->trigger();
  const QPointF corners[3] = {QPointF(100, 20), QPointF(150, 20), QPointF(150, 100)};
  test::sendMouse(*sourceView(), QEvent::MouseButtonPress, widgetOf(painter, corners[0]),
                  Qt::LeftButton, Qt::LeftButton);
  for (int side = 0; side < 3; ++side) {
    for (int s = 1; s <= 8; ++s) {
      const QPointF p = corners[side] + (corners[(side + 1) % 3] - corners[side]) * (s / 8.0);
      test::sendMouse(*sourceView(), QEvent::MouseMove, widgetOf(painter, p), Qt::NoButton,
                      Qt::LeftButton);
    }
  }
  test::sendMouse(*sourceView(), QEvent::MouseButtonRelease, widgetOf(painter, corners[0]),
                  Qt::LeftButton, Qt::NoButton);
  EXPECT_FALSE(painter.lassoOpen());
  EXPECT_EQ(mask->mask().at<std::uint8_t>(40, 140), 255);  // inside the triangle
  EXPECT_EQ(mask->mask().at<std::uint8_t>(80, 110), 0);    // outside it
  EXPECT_EQ(mask->mask().at<std::uint8_t>(30, 20), 0);     // replaced
  EXPECT_EQ(session_.undoStack()->count(), 4);

  // Undo lasso, invert and eraser: back to the brush stroke, exactly.
  for (int i = 0; i < 3; ++i) session_.undoStack()->undo();
  cv::Mat diff;
  cv::absdiff(mask->mask(), afterBrush, diff);
  EXPECT_EQ(cv::countNonZero(diff), 0);
  session_.undoStack()->undo();
  EXPECT_TRUE(mask->isEmpty());
  ASSERT_TRUE(settle());
}

TEST_F(CompositeWorkspaceTest, PolygonLassoClosesOnDoubleClickAndEscapeCancels) {
  MaskModel* mask = session_.mask();
  MaskPainter& painter = *workspace_.maskPainter();
  painter.setTool(MaskPainter::Tool::Lasso);
  auto click = [&](const QPointF& pixel) {
    const QPointF p = widgetOf(painter, pixel);
    test::sendMouse(*sourceView(), QEvent::MouseButtonPress, p, Qt::LeftButton, Qt::LeftButton);
    test::sendMouse(*sourceView(), QEvent::MouseButtonRelease, p, Qt::LeftButton, Qt::NoButton);
  };
  click(QPointF(10, 10));
  click(QPointF(60, 10));
  EXPECT_TRUE(painter.lassoOpen());
  sourceView()->setFocus();
  test::sendKey(*sourceView(), Qt::Key_Escape);
  EXPECT_FALSE(painter.lassoOpen());
  EXPECT_TRUE(mask->isEmpty());

  click(QPointF(10, 10));
  click(QPointF(60, 10));
  click(QPointF(60, 60));
  click(QPointF(10, 60));
  test::sendMouse(*sourceView(), QEvent::MouseButtonDblClick, widgetOf(painter, QPointF(10, 60)),
                  Qt::LeftButton, Qt::LeftButton);
  EXPECT_FALSE(painter.lassoOpen());
  EXPECT_EQ(mask->mask().at<std::uint8_t>(35, 35), 255);
  EXPECT_EQ(mask->mask().at<std::uint8_t>(80, 35), 0);
  // The first mask on the source puts the paste on the target at once.
  ASSERT_TRUE(settle());
  EXPECT_TRUE(session_.paste()->placement().has_value());
  EXPECT_TRUE(session_.paste()->preview().placement.has_value());
}

}  // namespace
}  // namespace harmonia
