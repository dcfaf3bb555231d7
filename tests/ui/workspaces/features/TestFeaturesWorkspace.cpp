// The Features workspace's widgets show the session's results: box plots with the per-site
// quartiles of the selected feature (computed here independently), a PCA scatter with one
// point per scan in one series per site, red flagged rows in the guard table, and a guard
// row selecting the box plots' feature.

#include <gtest/gtest.h>

#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHorizontalBarSeries>
#include <QScatterSeries>
#include <QTableView>
#include <QTemporaryDir>
#include <QValueAxis>
#include <set>

#include "CohortTestSupport.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/GuardTableModel.h"
#include "ui/model/HarmonizationSession.h"
#include "ui/widgets/PcaScatterChart.h"
#include "ui/widgets/SiteBoxPlotChart.h"
#include "ui/widgets/SiteEffectChart.h"
#include "ui/workspaces/features/CohortSetupPanel.h"
#include "ui/workspaces/features/FeaturesWorkspace.h"

namespace harmonia {
namespace {

class FeaturesWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.isValid());
    cohort_ = test::makeConfoundedCohort();
    const QString path = dir_.filePath(QStringLiteral("cohort.csv"));
    test::writeCohortCsv(cohort_, path.toStdString());
    ASSERT_TRUE(session_.open(path));
    session_.setLabelColumn(QStringLiteral("disease"));
    session_.setCovariates({QStringLiteral("age")}, {});
    workspace_.resize(1200, 800);
    workspace_.show();
    ASSERT_TRUE(session_.run()) << session_.message().toStdString();
    ASSERT_TRUE(test::finishCohortJobs(runner_));
    ASSERT_NE(session_.result(), nullptr) << session_.message().toStdString();
  }
  void TearDown() override { runner_.cancelAll(); }

  /// Checks a box plot's sets against quartiles of `values` (features × scans) computed here.
  void expectBoxes(const SiteBoxPlotChart* chart, const Eigen::MatrixXd& values, int feature) {
    QBoxPlotSeries* series = chart->series();
    ASSERT_NE(series, nullptr);
    ASSERT_EQ(series->count(), 4);
    for (int s = 0; s < 4; ++s) {
      std::vector<double> v;
      const std::string site = std::string("site") + static_cast<char>('A' + s);
      for (std::size_t j = 0; j < cohort_.sites.size(); ++j) {
        if (cohort_.sites[j] == site) v.push_back(values(feature, static_cast<Eigen::Index>(j)));
      }
      const QBoxSet* set = series->boxSets()[s];
      EXPECT_EQ(set->label().toStdString(), site);
      // The chart stores qreal (double): the values must be the same numbers.
      EXPECT_NEAR(set->at(QBoxSet::LowerExtreme), *std::min_element(v.begin(), v.end()), 1e-12);
      EXPECT_NEAR(set->at(QBoxSet::LowerQuartile), test::quantile7(v, 0.25), 1e-12);
      EXPECT_NEAR(set->at(QBoxSet::Median), test::quantile7(v, 0.5), 1e-12);
      EXPECT_NEAR(set->at(QBoxSet::UpperQuartile), test::quantile7(v, 0.75), 1e-12);
      EXPECT_NEAR(set->at(QBoxSet::UpperExtreme), *std::max_element(v.begin(), v.end()), 1e-12);
      // One value axis (kept, not re-created: re-created axes left the previous feature's
      // labels drawn), whose range holds the whole box.
      const auto axes = chart->chart()->axes(Qt::Vertical);
      ASSERT_EQ(axes.size(), 1);
      const auto* y = qobject_cast<const QValueAxis*>(axes.front());
      ASSERT_NE(y, nullptr);
      EXPECT_LE(y->min(), *std::min_element(v.begin(), v.end()));
      EXPECT_GE(y->max(), *std::max_element(v.begin(), v.end()));
    }
  }

  QTemporaryDir dir_;
  test::TestCohort cohort_;
  JobRunner runner_;
  HarmonizationSession session_{&runner_};
  FeaturesWorkspace workspace_{&session_};
};

TEST_F(FeaturesWorkspaceTest, BoxPlotsShowThePerSiteQuartilesBeforeAndAfter) {
  const int f = session_.selectedFeature();
  ASSERT_GE(f, 0);
  expectBoxes(workspace_.boxPlot(0), cohort_.data, f);
  expectBoxes(workspace_.boxPlot(1), session_.result()->after, f);
  EXPECT_TRUE(workspace_.boxPlot(0)->chart()->title().contains(
      QString::fromStdString(cohort_.feature_names[static_cast<std::size_t>(f)])));
  EXPECT_EQ(workspace_.featureBox()->currentIndex(), f);
}

TEST_F(FeaturesWorkspaceTest, PcaScatterHasOnePointPerScanColouredBySite) {
  for (int which = 0; which < 2; ++which) {
    const QList<QAbstractSeries*> all = workspace_.pcaScatter(which)->chart()->series();
    ASSERT_EQ(all.size(), 4);
    int points = 0;
    std::set<QRgb> colours;
    for (int s = 0; s < 4; ++s) {
      auto* scatter = qobject_cast<QScatterSeries*>(all[s]);
      ASSERT_NE(scatter, nullptr);
      EXPECT_EQ(scatter->name().toStdString(), std::string("site") + static_cast<char>('A' + s));
      EXPECT_EQ(scatter->count(), 30);  // every scan of the site
      EXPECT_EQ(scatter->color(), siteColour(s));
      colours.insert(scatter->color().rgb());
      points += static_cast<int>(scatter->count());
    }
    EXPECT_EQ(points, 120);
    EXPECT_EQ(colours.size(), 4u);
  }
  // The points are the session's PCA scores, scan by scan within each site.
  auto* siteB = qobject_cast<QScatterSeries*>(workspace_.pcaScatter(0)->chart()->series()[1]);
  EXPECT_NEAR(siteB->at(0).x(), session_.result()->pca_before.scores(30, 0), 1e-12);
  EXPECT_NEAR(siteB->at(0).y(), session_.result()->pca_before.scores(30, 1), 1e-12);
}

TEST_F(FeaturesWorkspaceTest, SiteEffectChartShowsTheSiteFBeforeAndAfter) {
  QHorizontalBarSeries* series = workspace_.siteEffectChart()->series();
  ASSERT_NE(series, nullptr);
  ASSERT_EQ(series->count(), 2);
  const QBarSet* before = series->barSets()[0];
  const QBarSet* after = series->barSets()[1];
  ASSERT_EQ(before->count(), 10);
  // Largest F before at the top, which Qt draws from the last value.
  const auto& r = *session_.result();
  double previous = HUGE_VAL;
  for (int i = 0; i < 10; ++i) {
    const double fBefore = before->at(9 - i);
    EXPECT_LE(fBefore, previous);
    previous = fBefore;
    bool found = false;
    for (std::size_t f = 0; f < 10; ++f) {
      if (r.site_f_before[f] == fBefore) {
        found = true;
        EXPECT_EQ(after->at(9 - i), std::max(r.site_f_after[f], 0.01));
      }
    }
    EXPECT_TRUE(found) << i;
  }
}

TEST_F(FeaturesWorkspaceTest, FlaggedRowsAreRedWithTheirReasons) {
  const GuardTableModel* model = workspace_.guardModel();
  ASSERT_EQ(model->rowCount(), 10);
  int flagged = 0;
  for (int row = 0; row < model->rowCount(); ++row) {
    const auto& g =
        session_.result()->report->features[static_cast<std::size_t>(model->featureAt(row))];
    const QVariant background = model->data(model->index(row, 0), Qt::BackgroundRole);
    if (g.flagged) {
      ++flagged;
      EXPECT_EQ(background.value<QColor>(), GuardTableModel::flaggedColour()) << row;
      EXPECT_FALSE(model->data(model->index(row, GuardTableModel::Reasons), Qt::DisplayRole)
                       .toString()
                       .isEmpty());
    } else {
      EXPECT_FALSE(background.isValid()) << row;
    }
  }
  EXPECT_GT(flagged, 0);
  // Sorted by biology lost, largest first.
  const auto order = session_.result()->report->orderByBiologyLost();
  for (int row = 0; row < model->rowCount(); ++row) {
    EXPECT_EQ(model->featureAt(row), static_cast<int>(order[static_cast<std::size_t>(row)]));
  }
}

TEST_F(FeaturesWorkspaceTest, SelectingAGuardRowSelectsTheBoxPlotFeature) {
  QTableView* view = workspace_.guardView();
  const int row = 3;
  const int feature = workspace_.guardModel()->featureAt(row);
  ASSERT_NE(feature, session_.selectedFeature());
  view->setCurrentIndex(workspace_.guardModel()->index(row, 0));
  EXPECT_EQ(session_.selectedFeature(), feature);
  expectBoxes(workspace_.boxPlot(0), cohort_.data, feature);
  EXPECT_TRUE(workspace_.boxPlot(1)->chart()->title().startsWith(
      QString::fromStdString(cohort_.feature_names[static_cast<std::size_t>(feature)])));
  // The feature chooser shows it, and choosing there moves the guard row.
  EXPECT_EQ(workspace_.featureBox()->currentIndex(), feature);
  const int other = workspace_.guardModel()->featureAt(7);
  workspace_.featureBox()->setCurrentIndex(other);
  EXPECT_EQ(session_.selectedFeature(), other);
  EXPECT_EQ(view->currentIndex().row(), 7);
}

TEST_F(FeaturesWorkspaceTest, SetupPanelForwardsChoicesToTheSession) {
  CohortSetupPanel* panel = workspace_.setupPanel();
  EXPECT_EQ(panel->siteBox()->currentText(), QStringLiteral("site"));
  EXPECT_EQ(panel->labelBox()->currentText(), QStringLiteral("disease"));
  panel->methodBox()->setCurrentIndex(2);
  EXPECT_EQ(session_.settings().combat.empirical_bayes, EmpiricalBayes::None);
  panel->referenceBox()->setCurrentText(QStringLiteral("siteC"));
  ASSERT_TRUE(session_.settings().combat.reference_site.has_value());
  EXPECT_EQ(*session_.settings().combat.reference_site, "siteC");
  panel->thresholdBox()->setValue(35.0);
  EXPECT_DOUBLE_EQ(session_.settings().guard.drop_threshold, 0.35);
  panel->onlySignificantBox()->setChecked(true);
  EXPECT_TRUE(session_.settings().guard.only_where_significant_before);
  panel->labelBox()->setCurrentIndex(0);  // (none)
  EXPECT_TRUE(session_.settings().label_column.isEmpty());
}

}  // namespace
}  // namespace harmonia
