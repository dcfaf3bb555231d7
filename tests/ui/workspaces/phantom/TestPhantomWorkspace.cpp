// The Phantom workspace shows its session: both scans in their slice views
// with the ROIs drawn, the scanner editors driving the scans (a spacing typed
// into A's editor regenerates A on the new grid), the ESF/LSF/MTF plots
// holding exactly the measured curves of both scanners, the recovery plot with
// the EARL bands, the results table with both scanners side by side, and the
// protocol's before/after tables. Needs a display with OpenGL (xvfb-run).

#include <gtest/gtest.h>

#include <QAreaSeries>
#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineSeries>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QValueAxis>
#include <QXYSeries>

#include "UiTestSupport.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/Document.h"
#include "ui/model/PhantomResults.h"
#include "ui/model/PhantomSession.h"
#include "ui/view/SliceView.h"
#include "ui/widgets/CurvePlot.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/workspaces/phantom/PhantomPlots.h"
#include "ui/workspaces/phantom/PhantomRoiPanel.h"
#include "ui/workspaces/phantom/PhantomWorkspace.h"
#include "ui/workspaces/phantom/ProtocolPanel.h"
#include "ui/workspaces/phantom/ScannerEditor.h"

namespace harmonia {
namespace {

using test::waitUntil;

class PhantomWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
    session_.setDebounceMs(0);
    session_.setFineSpacing(1.0);
    workspace_ = std::make_unique<PhantomWorkspace>(&session_);
    ASSERT_TRUE(test::showSized(*workspace_, 1400, 900));
  }
  void TearDown() override {
    runner_.cancelAll();
    runner_.waitForAll();
  }
  bool settle() {
    return waitUntil([this] { return !session_.isBusy(); }, 60000);
  }
  /// Number of points of the plot's series named `name` (-1 when absent).
  static int points(const CurvePlot* plot, const QString& name) {
    const QXYSeries* s = plot->seriesNamed(name);
    return s == nullptr ? -1 : static_cast<int>(s->count());
  }

  JobRunner runner_;
  PhantomSession session_{&runner_};
  std::unique_ptr<PhantomWorkspace> workspace_;
};

TEST_F(PhantomWorkspaceTest, EditorDrivesTheScanAndTheViewsShowIt) {
  session_.generate();
  ASSERT_TRUE(settle());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(workspace_->panel(i)->view()->volume(), session_.scan(i)->volume());
    EXPECT_GT(workspace_->roiMaskCount(i), 0);  // PSF object and uniform region
  }
  workspace_->editor(0)->spacingBox(0)->setValue(2.0);
  ASSERT_TRUE(settle());
  EXPECT_DOUBLE_EQ(session_.scanner(0).spacing_mm.x(), 2.0);
  const auto v = session_.scan(0)->volume();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->geometry().size[0], 80);  // 160 mm / 2 mm
  EXPECT_EQ(workspace_->panel(0)->view()->volume(), v);
  // The views show the phantom, not one flat colour.
  const QImage image = workspace_->panel(0)->view()->grabFramebuffer();
  ASSERT_FALSE(image.isNull());
  int bright = 0, dark = 0;
  for (int y = 0; y < image.height(); y += 4) {
    for (int x = 0; x < image.width(); x += 4) {
      const int g = qGray(image.pixel(x, y));
      bright += g > 200;
      dark += g < 40;
    }
  }
  EXPECT_GT(bright, 20);
  EXPECT_GT(dark, 20);
}

TEST_F(PhantomWorkspaceTest, DraggingInAViewMovesTheSelectedRoi) {
  session_.generate();
  ASSERT_TRUE(settle());
  PhantomRoiPanel* panel = workspace_->roiPanel();
  panel->roiBox()->setCurrentIndex(PhantomSession::NoiseRegion);
  const Eigen::Vector3d before = session_.noiseParams().centre_mm;
  SliceView* view = workspace_->panel(0)->view();
  const QPointF centre(view->width() / 2.0, view->height() / 2.0);
  // Drag off: the crosshair moves, the ROI stays.
  test::drag(*view, Qt::LeftButton, centre, centre + QPointF(30, 10));
  EXPECT_EQ(session_.noiseParams().centre_mm, before);
  // Drag on: the ROI follows the crosshair, and the coordinates shown follow the ROI.
  panel->dragButton()->setChecked(true);
  test::drag(*view, Qt::LeftButton, centre, centre + QPointF(-40, 20));
  const Eigen::Vector3d moved = session_.noiseParams().centre_mm;
  EXPECT_GT((moved - before).norm(), 5.0);
  EXPECT_LT((moved - view->crosshair()).norm(), 1e-9);
  EXPECT_NEAR(panel->centreBox(0)->value(), moved.x(), 0.05);
  // Typed coordinates move it too.
  panel->centreBox(1)->setValue(7.5);
  EXPECT_DOUBLE_EQ(session_.noiseParams().centre_mm.y(), 7.5);
}

TEST_F(PhantomWorkspaceTest, ResolutionPlotsHoldBothScannersMeasuredCurves) {
  session_.generate();
  ASSERT_TRUE(settle());
  session_.measureAll();
  ASSERT_TRUE(settle());
  ASSERT_TRUE(session_.results(0).psf && session_.results(1).psf)
      << session_.message().toStdString();
  for (int axis = 0; axis < 3; ++axis) {
    workspace_->plots()->axisBox()->setCurrentIndex(axis);
    const auto a = static_cast<std::size_t>(axis);
    for (int i = 0; i < 2; ++i) {
      const AxisResolution& r = session_.results(i).psf->axes[a];
      const QString n = QString::fromStdString(session_.scanner(i).name);
      EXPECT_EQ(points(workspace_->plots()->esfPlot(), n), static_cast<int>(r.esf.x.size()));
      EXPECT_EQ(points(workspace_->plots()->esfPlot(), n + QStringLiteral(" fit")),
                static_cast<int>(r.esf_fit.x.size()));
      EXPECT_EQ(points(workspace_->plots()->lsfPlot(), n), static_cast<int>(r.lsf.x.size()));
      EXPECT_EQ(points(workspace_->plots()->mtfPlot(), n), static_cast<int>(r.mtf.x.size()));
      // The MTF50 marker stands at the measured frequency.
      const QXYSeries* marker =
          workspace_->plots()->mtfPlot()->seriesNamed(n + QStringLiteral(" MTF50"));
      ASSERT_NE(marker, nullptr);
      EXPECT_DOUBLE_EQ(marker->at(0).x(), r.mtf50_per_mm);
    }
    EXPECT_EQ(workspace_->plots()->esfPlot()->curveCount(), 4);
    // The ESF's x range is the edge's neighbourhood (3 FWHM either side, the flat levels
    // beyond it cut off), its y range holds every value; the MTF's ranges hold all of it.
    const CurvePlot* esf = workspace_->plots()->esfPlot();
    const double widest = std::max(session_.results(0).psf->axes[a].fwhm_mm,
                                   session_.results(1).psf->axes[a].fwhm_mm);
    EXPECT_LE(esf->xAxis()->min(), -3.0 * widest);
    EXPECT_GE(esf->xAxis()->max(), 3.0 * widest);
    for (const QPointF& p : esf->seriesNamed(QStringLiteral("A"))->points()) {
      EXPECT_GE(p.y(), esf->yAxis()->min());
      EXPECT_LE(p.y(), esf->yAxis()->max());
    }
    const CurvePlot* mtf = workspace_->plots()->mtfPlot();
    for (const QPointF& p : mtf->seriesNamed(QStringLiteral("B"))->points()) {
      EXPECT_GE(p.x(), mtf->xAxis()->min());
      EXPECT_LE(p.x(), mtf->xAxis()->max());
      EXPECT_GE(p.y(), mtf->yAxis()->min());
      EXPECT_LE(p.y(), mtf->yAxis()->max());
    }
  }
  // measureAll measured the inserts too: one point per insert, at (nominal, measured mean).
  ASSERT_TRUE(session_.results(1).values.has_value()) << session_.message().toStdString();
  const QXYSeries* values = workspace_->plots()->valuesPlot()->seriesNamed(QStringLiteral("B"));
  ASSERT_NE(values, nullptr);
  const auto& inserts = session_.results(1).values->inserts;
  ASSERT_EQ(values->count(), static_cast<int>(inserts.size()));
  for (int k = 0; k < values->count(); ++k) {
    EXPECT_DOUBLE_EQ(values->at(k).x(), inserts[static_cast<std::size_t>(k)].nominal);
    EXPECT_DOUBLE_EQ(values->at(k).y(), inserts[static_cast<std::size_t>(k)].measured.mean);
  }
  // The results table: both scanners side by side, cells as the model has them.
  QAbstractItemModel* table = workspace_->resultsView()->model();
  ASSERT_EQ(table->columnCount(), 5);
  EXPECT_EQ(table->headerData(3, Qt::Horizontal).toString(), QStringLiteral("A"));
  EXPECT_EQ(table->headerData(4, Qt::Horizontal).toString(), QStringLiteral("B"));
  ASSERT_GT(table->rowCount(), 0);
  EXPECT_EQ(table->index(0, 1).data().toString(), QStringLiteral("FWHM x"));
  EXPECT_DOUBLE_EQ(
      table->index(0, 3).data().toString().toDouble(),
      std::stod(QString::number(session_.results(0).psf->axes[0].fwhm_mm, 'g', 6).toStdString()));
}

TEST_F(PhantomWorkspaceTest, RecoveryPlotShowsTheSpheresInsideTheEarlBands) {
  session_.setKind(PhantomKind::Nema);
  ASSERT_TRUE(settle());
  // The bands are there before any measurement.
  EXPECT_EQ(workspace_->plots()->recoveryPlot()->bandCount(), 2);
  for (int i = 0; i < 2; ++i) session_.measure(PhantomSession::Measurement::Nema, i);
  ASSERT_TRUE(settle());
  ASSERT_TRUE(session_.results(0).nema.has_value()) << session_.message().toStdString();
  CurvePlot* plot = workspace_->plots()->recoveryPlot();
  EXPECT_EQ(plot->bandCount(), 2);
  const QXYSeries* a = plot->seriesNamed(QStringLiteral("A"));
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->count(), 6);
  for (int s = 0; s < 6; ++s) {
    const NemaSphere& sphere = session_.results(0).nema->spheres[static_cast<std::size_t>(s)];
    EXPECT_DOUBLE_EQ(a->at(s).x(), sphere.diameter_mm);
    EXPECT_DOUBLE_EQ(a->at(s).y(), sphere.rc_max);
  }
  // RCmean: the EARL1 and EARL2 mean bands, the curve follows the choice.
  workspace_->plots()->rcBox()->setCurrentIndex(1);
  EXPECT_EQ(plot->bandCount(), 2);
  EXPECT_DOUBLE_EQ(plot->seriesNamed(QStringLiteral("A"))->at(5).y(),
                   session_.results(0).nema->spheres[5].rc_mean);
  // The EARL1 band is the published table's (lo at 10 mm is its first row).
  const auto* band = qobject_cast<QAreaSeries*>(plot->seriesNamed(QStringLiteral("EARL1")));
  if (band == nullptr) {
    for (QAbstractSeries* s : plot->chart()->series()) {
      if (s->name() == QStringLiteral("EARL1")) band = qobject_cast<QAreaSeries*>(s);
    }
  }
  ASSERT_NE(band, nullptr);
  EXPECT_DOUBLE_EQ(band->lowerSeries()->at(0).y(), earl1().rc_mean.front().lo);
  EXPECT_DOUBLE_EQ(band->upperSeries()->at(0).y(), earl1().rc_mean.front().hi);
  // Drawn on the views: six spheres, the PSF object, the uniform region and the inserts.
  EXPECT_EQ(workspace_->roiMaskCount(0), 8 + static_cast<int>(session_.inserts().size()));
  EXPECT_EQ(workspace_->roiMaskCount(1), 8 + static_cast<int>(session_.inserts().size()));
}

TEST_F(PhantomWorkspaceTest, ProtocolTablesShowTheRunsBeforeAndAfter) {
  session_.setProtocolIncludesWorkspaceScanners(false);
  session_.runProtocol();
  ASSERT_TRUE(settle());
  const auto& result = session_.protocolResult();
  ASSERT_TRUE(result.has_value()) << session_.message().toStdString();
  ProtocolPanel* panel = workspace_->protocolPanel();
  QTableWidget* scenarios = panel->scenarioTable();
  ASSERT_EQ(scenarios->rowCount(), static_cast<int>(result->scenarios.size()));
  for (int r = 0; r < scenarios->rowCount(); ++r) {
    const ScenarioResult& s = result->scenarios[static_cast<std::size_t>(r)];
    EXPECT_EQ(scenarios->item(r, 0)->text().toStdString(), s.name);
    EXPECT_EQ(scenarios->item(r, 1)->data(Qt::UserRole).toDouble(), s.max_rel_diff_before);
    EXPECT_EQ(scenarios->item(r, 2)->data(Qt::UserRole).toDouble(), s.max_rel_diff_after);
    EXPECT_EQ(scenarios->item(r, 3)->data(Qt::UserRole).toDouble(), s.max_rel_diff_after_spatial);
  }
  // The selected scenario's families and features; features sorted by "after", worst first.
  for (int row = 0; row < scenarios->rowCount(); ++row) {
    scenarios->setCurrentCell(row, 0);
    const ScenarioResult& s = result->scenarios[static_cast<std::size_t>(row)];
    ASSERT_EQ(panel->familyTable()->rowCount(), static_cast<int>(s.families.size()));
    for (int f = 0; f < panel->familyTable()->rowCount(); ++f) {
      EXPECT_EQ(panel->familyTable()->item(f, 0)->text().toStdString(),
                s.families[static_cast<std::size_t>(f)].family);
      EXPECT_EQ(panel->familyTable()->item(f, 2)->data(Qt::UserRole).toDouble(),
                s.families[static_cast<std::size_t>(f)].max_rel_diff_after);
    }
    const QTableWidget* features = panel->featureTable();
    ASSERT_EQ(features->rowCount(), static_cast<int>(s.features.size()));
    for (int f = 1; f < features->rowCount(); ++f) {
      EXPECT_GE(features->item(f - 1, 3)->data(Qt::UserRole).toDouble(),
                features->item(f, 3)->data(Qt::UserRole).toDouble());
    }
  }
}

}  // namespace
}  // namespace harmonia
