// The main window in-process: the demo loads into both workspaces, views
// show it, histograms follow the data, linked views follow each other in
// millimetres, bad files are reported without changing anything, and a
// cancelled load leaves nothing behind.

#include <gtest/gtest.h>

#include <QMessageBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <fstream>

#include "UiTestSupport.h"
#include "ui/MainWindow.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompareSession.h"
#include "ui/model/CompositeSession.h"
#include "ui/model/Document.h"
#include "ui/widgets/HistogramWidget.h"
#include "ui/workspaces/CompareWorkspace.h"
#include "ui/workspaces/CompositeWorkspace.h"
#include "ui/workspaces/StudyPanel.h"

using namespace harmonia;

namespace {

// Standard deviation of the grey levels in the central half of a view.
double centreSpread(SliceView* view) {
  const QImage img = view->grabFramebuffer();
  double s = 0, ss = 0;
  int n = 0;
  for (int y = img.height() / 4; y < 3 * img.height() / 4; y += 2)
    for (int x = img.width() / 4; x < 3 * img.width() / 4; x += 2) {
      const double g = qGray(img.pixel(x, y));
      s += g;
      ss += g * g;
      ++n;
    }
  const double mean = s / n;
  return std::sqrt(std::max(0.0, ss / n - mean * mean));
}

}  // namespace

TEST(MainWindow, DemoFillsBothWorkspacesWithVisibleData) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  MainWindow window(false);
  window.resize(1200, 800);
  window.show();
  ASSERT_TRUE(test::waitExposed(window));
  window.loadDemo();
  ASSERT_TRUE(window.settle(60000));

  CompareSession* compare = window.compareSession();
  ASSERT_TRUE(compare->study(0)->volume());
  ASSERT_TRUE(compare->study(1)->volume());
  // Two scanners: different grids over the same field of view.
  EXPECT_NE(compare->study(0)->volume()->geometry().size,
            compare->study(1)->volume()->geometry().size);
  EXPECT_EQ(window.compareWorkspace()->histogramWidget()->histogramCount(), 2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_GT(centreSpread(window.compareWorkspace()->panel(i)->view()), 10.0) << "view " << i;
    EXPECT_FALSE(window.compareWorkspace()->panel(i)->readout().isEmpty());
  }

  window.setWorkspace(MainWindow::Workspace::Composite);
  ASSERT_TRUE(window.settle());
  EXPECT_TRUE(window.compositeSession()->target()->image());
  EXPECT_TRUE(window.compositeSession()->source()->image());
  EXPECT_EQ(window.compositeSession()->targetHistograms().size(), 3u);
  EXPECT_GT(centreSpread(window.compositeWorkspace()->panel(0)->view()), 10.0);
}

TEST(MainWindow, LinkedViewsFollowInMillimetres) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  MainWindow window(false);
  window.show();
  ASSERT_TRUE(test::waitExposed(window));
  window.loadDemo();
  ASSERT_TRUE(window.settle(60000));
  SliceView* a = window.compareWorkspace()->panel(0)->view();
  SliceView* b = window.compareWorkspace()->panel(1)->view();
  const Eigen::Vector3d target(20.0, -15.0, 9.0);
  a->setCrosshair(target);
  // B's grid is coarser: its crosshair snaps to its own slice, within half a voxel.
  const Eigen::Vector3d half = 0.5 * b->volume()->geometry().spacing_mm;
  EXPECT_LE(std::abs(b->crosshair().x() - target.x()), half.x() + 1e-6);
  EXPECT_LE(std::abs(b->crosshair().y() - target.y()), half.y() + 1e-6);
  EXPECT_LE(std::abs(b->crosshair().z() - target.z()), half.z() + 1e-6);
  window.compareWorkspace()->setLinked(false);
  const Eigen::Vector3d before = b->crosshair();
  a->setCrosshair(Eigen::Vector3d(-30.0, 10.0, 0.0));
  EXPECT_EQ(b->crosshair(), before);
}

TEST(MainWindow, BadFileIsReportedAndChangesNothing) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  QTemporaryDir dir;
  const QString bad = dir.filePath(QStringLiteral("broken.png"));
  { std::ofstream(bad.toStdString()) << "\x89PNG\r\n\x1a\n but nothing else"; }
  MainWindow window(false);
  window.show();
  window.openFiles({bad});
  ASSERT_TRUE(window.settle());
  EXPECT_TRUE(window.compositeSession()->target()->isEmpty());
  EXPECT_TRUE(window.statusBar()->currentMessage().contains(QStringLiteral("broken.png")))
      << window.statusBar()->currentMessage().toStdString();
  EXPECT_TRUE(window.statusBar()->currentMessage().contains(QStringLiteral("truncated")));
  auto* box = window.findChild<QMessageBox*>(QStringLiteral("errorBox"));
  ASSERT_NE(box, nullptr);
  box->close();
}

TEST(MainWindow, CancelledDemoLeavesNothingBehind) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  MainWindow window(false);
  window.show();
  window.loadDemo();
  ASSERT_TRUE(window.jobRunner()->isRunning(QStringLiteral("demo/phantom")));
  window.jobRunner()->cancelAll();
  ASSERT_TRUE(window.settle());
  EXPECT_TRUE(window.compareSession()->study(0)->isEmpty());
  EXPECT_TRUE(window.compareSession()->study(1)->isEmpty());
  EXPECT_EQ(window.compareWorkspace()->histogramWidget()->histogramCount(), 0);
}
