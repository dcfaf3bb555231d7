// The Features panel shows its model: values of a known ROI in the tree
// (grouped by family), B's columns only with two studies, the search box
// hiding rows, progress and Cancel while computing, and a clear message for
// an empty ROI. The workspaces place it in a tab without breaking their size.

#include <gtest/gtest.h>

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>

#include "FeaturesTestSupport.h"
#include "UiTestSupport.h"
#include "ui/model/FeaturesModel.h"
#include "ui/widgets/FeaturesPanel.h"

namespace harmonia {
namespace {

using test::featureTestRoi;
using test::featureTestVolume;
using test::finishJobs;

class FeaturesPanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(model_.setPreset(QStringLiteral("A")));
    panel_.resize(900, 500);
    panel_.show();
  }
  void TearDown() override { runner_.cancelAll(); }

  /// The tree row of `tag`: its family item and row under it; null when not shown.
  QStandardItem* cell(const QString& tag, int column, QString* family = nullptr) {
    QStandardItemModel* items = panel_.items();
    for (int f = 0; f < items->rowCount(); ++f) {
      QStandardItem* fam = items->item(f);
      for (int r = 0; r < fam->rowCount(); ++r) {
        if (fam->child(r, 0)->text() == tag) {
          if (family) *family = fam->text();
          return fam->child(r, column);
        }
      }
    }
    return nullptr;
  }

  JobRunner runner_;
  FeaturesModel model_{&runner_, QStringLiteral("features:panel-test")};
  FeaturesPanel panel_{&model_};
};

TEST_F(FeaturesPanelTest, ShowsTheValuesOfAKnownRoiGroupedByFamily) {
  auto a = featureTestVolume();
  auto b = featureTestVolume(10.0f);
  model_.setStudy(0, a, QStringLiteral("a"), {featureTestRoi(*a, QStringLiteral("box"))});
  model_.setStudy(1, b, QStringLiteral("b"), {featureTestRoi(*b, QStringLiteral("box"))});
  EXPECT_EQ(panel_.roiCombo(0)->currentText(), QStringLiteral("box"));
  EXPECT_EQ(panel_.featureRowCount(), 0);
  panel_.computeButton()->click();
  EXPECT_TRUE(model_.isRunning());
  EXPECT_FALSE(panel_.cancelButton()->isHidden());
  EXPECT_FALSE(panel_.progressBar()->isHidden());
  ASSERT_TRUE(finishJobs(runner_));
  EXPECT_TRUE(panel_.cancelButton()->isHidden());
  ASSERT_GT(panel_.featureRowCount(), 100) << panel_.statusLabel()->text().toStdString();

  const Roi roi = featureTestRoi(*a);
  const double meanA = test::maskedMean(*a, *roi.mask);
  const double meanB = test::maskedMean(*b, *roi.mask);
  QString family;
  QStandardItem* mean = cell(QStringLiteral("stat_mean"), FeaturesPanel::AColumn, &family);
  ASSERT_NE(mean, nullptr);
  EXPECT_TRUE(family.startsWith(QStringLiteral("Intensity statistics"))) << family.toStdString();
  // Shown with 6 significant digits: compare at that precision.
  EXPECT_NEAR(mean->text().toDouble(), meanA, 1e-5 * meanA);
  EXPECT_NEAR(cell(QStringLiteral("stat_mean"), FeaturesPanel::BColumn)->text().toDouble(), meanB,
              1e-5 * meanB);
  EXPECT_NEAR(cell(QStringLiteral("stat_mean"), FeaturesPanel::DiffColumn)->text().toDouble(),
              -10.0, 1e-4);
  EXPECT_NEAR(cell(QStringLiteral("morph_vol_approx"), FeaturesPanel::AColumn)->text().toDouble(),
              test::maskedVolume(*roi.mask), 1e-3);
  // Family items: Morphology first, Diagnostics last.
  QStandardItemModel* items = panel_.items();
  EXPECT_TRUE(items->item(0)->text().startsWith(QStringLiteral("Morphology")));
  EXPECT_TRUE(items->item(items->rowCount() - 1)->text().startsWith(QStringLiteral("Diagnostics")));
  EXPECT_FALSE(panel_.tree()->isColumnHidden(FeaturesPanel::BColumn));
  EXPECT_TRUE(panel_.exportButton()->isEnabled());
}

TEST_F(FeaturesPanelTest, UndefinedValuesShowTheirReasonNotZero) {
  // One grey level everywhere: many texture features are undefined.
  auto flat = std::make_shared<Volume>(featureTestVolume()->geometry(), 40.0f);
  flat->setUnits("HU");
  model_.setStudyCount(1);
  model_.setStudy(0, flat, QStringLiteral("flat"), {featureTestRoi(*flat)});
  panel_.computeButton()->click();
  ASSERT_TRUE(finishJobs(runner_));
  ASSERT_TRUE(model_.result(0).has_value()) << panel_.statusLabel()->text().toStdString();
  int undefined = 0;
  for (const features::Feature& f : model_.result(0)->features()) {
    if (f.defined()) continue;
    ++undefined;
    QStandardItem* value = cell(QString::fromStdString(f.tag), FeaturesPanel::AColumn);
    ASSERT_NE(value, nullptr) << f.tag;
    EXPECT_TRUE(value->text().startsWith(QStringLiteral("undefined")))
        << f.tag << ": " << value->text().toStdString();
    EXPECT_TRUE(value->text().contains(QString::fromStdString(f.reason)));
  }
  EXPECT_GT(undefined, 0);
  // One study: no B, A − B or relative difference columns.
  EXPECT_TRUE(panel_.tree()->isColumnHidden(FeaturesPanel::BColumn));
  EXPECT_TRUE(panel_.tree()->isColumnHidden(FeaturesPanel::RelDiffColumn));
  EXPECT_TRUE(panel_.roiCombo(1)->isHidden());
}

TEST_F(FeaturesPanelTest, TheSearchBoxHidesRows) {
  auto a = featureTestVolume();
  model_.setStudyCount(1);
  model_.setStudy(0, a, QStringLiteral("a"), {featureTestRoi(*a)});
  panel_.computeButton()->click();
  ASSERT_TRUE(finishJobs(runner_));
  const int all = panel_.featureRowCount();
  ASSERT_GT(all, 100) << panel_.statusLabel()->text().toStdString();
  panel_.searchBox()->setText(QStringLiteral("morph_vol"));
  EXPECT_GT(panel_.featureRowCount(), 0);
  EXPECT_LT(panel_.featureRowCount(), 10);
  EXPECT_NE(cell(QStringLiteral("morph_vol_approx"), 0), nullptr);
  EXPECT_EQ(cell(QStringLiteral("stat_mean"), 0), nullptr);
  panel_.searchBox()->clear();
  EXPECT_EQ(panel_.featureRowCount(), all);
}

TEST_F(FeaturesPanelTest, CancelHidesProgressAndShowsNoPartialResult) {
  auto a = featureTestVolume();
  model_.setStudyCount(1);
  model_.setStudy(0, a, QStringLiteral("a"), {featureTestRoi(*a)});
  panel_.computeButton()->click();
  panel_.cancelButton()->click();
  ASSERT_TRUE(finishJobs(runner_));
  EXPECT_EQ(panel_.featureRowCount(), 0);
  EXPECT_TRUE(panel_.cancelButton()->isHidden());
  EXPECT_TRUE(panel_.statusLabel()->text().contains(QStringLiteral("Cancelled")));
}

TEST_F(FeaturesPanelTest, AnEmptyRoiGivesAClearMessage) {
  auto a = featureTestVolume();
  model_.setStudyCount(1);
  model_.setStudy(0, a, QStringLiteral("a"), {});
  EXPECT_FALSE(panel_.roiCombo(0)->isEnabled());
  panel_.computeButton()->click();
  EXPECT_TRUE(panel_.statusLabel()->text().contains(QStringLiteral("no ROI")))
      << panel_.statusLabel()->text().toStdString();
  model_.setStudy(0, a, QStringLiteral("a"), {featureTestRoi(*a, QStringLiteral("hollow"), true)});
  panel_.computeButton()->click();
  ASSERT_TRUE(finishJobs(runner_));
  const QString text = panel_.statusLabel()->text();
  EXPECT_TRUE(text.contains(QStringLiteral("'hollow'")) && text.contains(QStringLiteral("empty")))
      << text.toStdString();
  EXPECT_EQ(panel_.featureRowCount(), 0);
  EXPECT_FALSE(panel_.exportButton()->isEnabled());
}

TEST_F(FeaturesPanelTest, ThePresetComboSetsTheModelsSettings) {
  QComboBox* combo = panel_.settingsCombo();
  const int c = combo->findData(QStringLiteral("C"));
  ASSERT_GE(c, 0);
  combo->setCurrentIndex(c);
  emit combo->activated(c);
  EXPECT_EQ(model_.settings().name, "C");
  EXPECT_EQ(model_.settingsLabel(), QStringLiteral("IBSI C"));
  model_.setPreset(QStringLiteral("phantom"));
  EXPECT_EQ(combo->currentData().toString(), QStringLiteral("phantom"));
}

}  // namespace
}  // namespace harmonia
