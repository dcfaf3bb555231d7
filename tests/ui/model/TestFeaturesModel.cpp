// The Features panel's model: extraction in a worker, cancel, A − B, filter,
// CSV export and the messages for missing or empty ROIs. Expected values are
// computed here independently (FeaturesTestSupport.h), never taken from the
// extractor.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <cmath>
#include <map>

#include "FeaturesTestSupport.h"
#include "core/features/FeatureConfig.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/FeaturesModel.h"

namespace harmonia {
namespace {

using test::featureTestRoi;
using test::featureTestVolume;
using test::finishJobs;

class FeaturesModelTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(model_.setPreset(QStringLiteral("A"))); }
  void TearDown() override { runner_.cancelAll(); }

  /// Study A: the test volume; study B: the same plus `offsetB` HU; both with the box ROI.
  void loadBoth(float offsetB = 10.0f) {
    a_ = featureTestVolume();
    b_ = featureTestVolume(offsetB);
    model_.setStudy(0, a_, QStringLiteral("a"), {featureTestRoi(*a_)});
    model_.setStudy(1, b_, QStringLiteral("b"), {featureTestRoi(*b_)});
  }
  const FeatureRow* row(const std::vector<FeatureRow>& rows, const QString& tag) {
    for (const FeatureRow& r : rows)
      if (r.tag == tag) return &r;
    return nullptr;
  }

  JobRunner runner_;
  FeaturesModel model_{&runner_, QStringLiteral("features:test")};
  std::shared_ptr<Volume> a_;
  std::shared_ptr<Volume> b_;
};

TEST_F(FeaturesModelTest, ComputesInTheWorkerTheValuesOfAKnownRoi) {
  loadBoth();
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::A));
  EXPECT_TRUE(model_.isRunning());
  EXPECT_FALSE(model_.result(0).has_value());  // nothing until the worker is done
  ASSERT_TRUE(finishJobs(runner_));
  EXPECT_FALSE(model_.isRunning());
  ASSERT_TRUE(model_.result(0).has_value()) << model_.message().toStdString();
  EXPECT_FALSE(model_.result(1).has_value());
  const Roi roi = featureTestRoi(*a_);
  // Tolerance: double sums over 280 voxels, far below 1e-9 relative.
  EXPECT_NEAR(model_.result(0)->value("stat_mean"), test::maskedMean(*a_, *roi.mask), 1e-9);
  EXPECT_NEAR(model_.result(0)->value("morph_vol_approx"), test::maskedVolume(*roi.mask), 1e-9);
  EXPECT_NEAR(test::maskedVolume(*roi.mask), 280 * 1.0 * 1.5 * 2.5, 1e-12);
  const auto rows = model_.rows();
  const FeatureRow* mean = row(rows, QStringLiteral("stat_mean"));
  ASSERT_NE(mean, nullptr);
  ASSERT_TRUE(mean->a.has_value());
  EXPECT_FALSE(mean->b.has_value());
  EXPECT_FALSE(mean->diff_reason.isEmpty());  // no B: no difference
}

TEST_F(FeaturesModelTest, DifferencesAreAMinusBAndRelativeToTheMeanMagnitude) {
  loadBoth(10.0f);
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::Both));
  ASSERT_TRUE(finishJobs(runner_));
  ASSERT_TRUE(model_.result(0) && model_.result(1)) << model_.message().toStdString();
  const auto rows = model_.rows();
  const Roi roi = featureTestRoi(*a_);
  const double meanA = test::maskedMean(*a_, *roi.mask);
  const double meanB = test::maskedMean(*b_, *roi.mask);
  EXPECT_NEAR(meanA - meanB, -10.0, 1e-9);
  const FeatureRow* mean = row(rows, QStringLiteral("stat_mean"));
  ASSERT_NE(mean, nullptr);
  ASSERT_TRUE(mean->diff_reason.isEmpty()) << mean->diff_reason.toStdString();
  EXPECT_NEAR(mean->diff, meanA - meanB, 1e-9);
  EXPECT_NEAR(mean->rel_diff, (meanA - meanB) / (0.5 * (std::abs(meanA) + std::abs(meanB))), 1e-12);
  // Same ROI on the same grid: the same volume, so no difference at all.
  const FeatureRow* vol = row(rows, QStringLiteral("morph_vol_approx"));
  ASSERT_NE(vol, nullptr);
  EXPECT_EQ(vol->diff, 0.0);
  EXPECT_EQ(vol->rel_diff, 0.0);
  // Every row with both values defined: diff = A − B exactly.
  int compared = 0;
  for (const FeatureRow& r : rows) {
    if (!r.a || !r.b) continue;
    if (r.a->defined() && r.b->defined()) {
      EXPECT_EQ(r.diff, r.a->value - r.b->value) << r.tag.toStdString();
      ++compared;
    } else {
      EXPECT_FALSE(r.diff_reason.isEmpty()) << r.tag.toStdString();
    }
  }
  EXPECT_GT(compared, 50);
}

TEST_F(FeaturesModelTest, CancelLeavesNoPartialResult) {
  loadBoth();
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::Both));
  model_.cancel();  // before the GUI thread could receive anything
  ASSERT_TRUE(finishJobs(runner_));
  EXPECT_FALSE(model_.result(0).has_value());
  EXPECT_FALSE(model_.result(1).has_value());
  EXPECT_FALSE(model_.isRunning());
  EXPECT_TRUE(model_.message().contains(QStringLiteral("Cancelled")));
  // A finished result survives a later cancelled request.
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::A));
  ASSERT_TRUE(finishJobs(runner_));
  ASSERT_TRUE(model_.result(0).has_value()) << model_.message().toStdString();
  const double mean = model_.result(0)->value("stat_mean");
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::Both));
  model_.cancel();
  ASSERT_TRUE(finishJobs(runner_));
  ASSERT_TRUE(model_.result(0).has_value());
  EXPECT_EQ(model_.result(0)->value("stat_mean"), mean);
  EXPECT_FALSE(model_.result(1).has_value());
}

TEST_F(FeaturesModelTest, ANewRequestReplacesTheRunningOne) {
  loadBoth();
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::A));
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::B));  // A's job is dropped
  ASSERT_TRUE(finishJobs(runner_));
  EXPECT_FALSE(model_.result(0).has_value());
  ASSERT_TRUE(model_.result(1).has_value()) << model_.message().toStdString();
  EXPECT_FALSE(model_.isRunning());
}

TEST_F(FeaturesModelTest, ChangingTheSettingsOrTheRoiDropsTheResults) {
  loadBoth();
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::Both));
  ASSERT_TRUE(finishJobs(runner_));
  ASSERT_TRUE(model_.result(0) && model_.result(1)) << model_.message().toStdString();
  // New ROIs with the same masks keep the results; another mask drops them.
  const auto roisA = model_.rois(0);
  model_.setStudy(0, a_, QStringLiteral("a"), roisA);
  EXPECT_TRUE(model_.result(0).has_value());
  model_.setStudy(0, a_, QStringLiteral("a"), {featureTestRoi(*a_)});
  EXPECT_FALSE(model_.result(0).has_value());
  EXPECT_TRUE(model_.result(1).has_value());
  ASSERT_TRUE(model_.setPreset(QStringLiteral("B")));
  EXPECT_FALSE(model_.result(1).has_value());
  EXPECT_FALSE(model_.setPreset(QStringLiteral("Z")));
  EXPECT_EQ(model_.settings().name, "B");
}

TEST_F(FeaturesModelTest, ASettingsFileReplacesThePresetAndABadOneChangesNothing) {
  QTemporaryDir dir;
  features::FeatureSettings wanted = features::ibsiPreset("B");
  wanted.texture.glcm_distance = 2;
  const QString good = dir.filePath(QStringLiteral("mine.json"));
  {
    QFile f(good);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(QByteArray::fromStdString(features::featureSettingsToJson(wanted)));
  }
  ASSERT_TRUE(model_.loadSettingsFile(good)) << model_.message().toStdString();
  EXPECT_EQ(model_.settingsLabel(), QStringLiteral("mine.json"));
  EXPECT_EQ(model_.settings().texture.glcm_distance, 2);
  EXPECT_TRUE(model_.settings().interpolation.in_plane_only);  // B's 2-D interpolation
  const QString bad = dir.filePath(QStringLiteral("bad.json"));
  {
    QFile f(bad);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("{\"no_such_key\": 1}");
  }
  EXPECT_FALSE(model_.loadSettingsFile(bad));
  EXPECT_TRUE(model_.message().contains(QStringLiteral("bad.json")))
      << model_.message().toStdString();
  EXPECT_EQ(model_.settingsLabel(), QStringLiteral("mine.json"));
  EXPECT_EQ(model_.settings().texture.glcm_distance, 2);
}

TEST_F(FeaturesModelTest, ChoosingAnRoiOfAChoosesTheRoiOfTheSameNameInB) {
  a_ = featureTestVolume();
  b_ = featureTestVolume();
  model_.setStudy(
      0, a_, QStringLiteral("a"),
      {featureTestRoi(*a_, QStringLiteral("GTV")), featureTestRoi(*a_, QStringLiteral("CTV"))});
  model_.setStudy(
      1, b_, QStringLiteral("b"),
      {featureTestRoi(*b_, QStringLiteral("CTV")), featureTestRoi(*b_, QStringLiteral("GTV"))});
  model_.setRoi(0, 1);
  EXPECT_EQ(model_.roiIndex(1), 0);
  model_.setRoi(0, 0);
  EXPECT_EQ(model_.roiIndex(1), 1);
}

TEST_F(FeaturesModelTest, TheFilterHidesRows) {
  loadBoth();
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::Both));
  ASSERT_TRUE(finishJobs(runner_));
  const std::size_t all = model_.rows().size();
  ASSERT_GT(all, 100u) << model_.message().toStdString();
  model_.setFilter(QStringLiteral("STAT_"));
  const auto stat = model_.filteredRows();
  ASSERT_FALSE(stat.empty());
  EXPECT_LT(stat.size(), all);
  for (const FeatureRow& r : stat) EXPECT_TRUE(r.tag.startsWith(QStringLiteral("stat_")));
  model_.setFilter(QStringLiteral("GLCM"));  // a family's title
  const auto glcm = model_.filteredRows();
  ASSERT_FALSE(glcm.empty());
  for (const FeatureRow& r : glcm) EXPECT_EQ(r.family, QStringLiteral("glcm"));
  model_.setFilter(QStringLiteral("no such feature"));
  EXPECT_TRUE(model_.filteredRows().empty());
  model_.setFilter(QString());
  EXPECT_EQ(model_.filteredRows().size(), all);
}

TEST_F(FeaturesModelTest, CsvExportReadsBack) {
  loadBoth();
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::Both));
  ASSERT_TRUE(finishJobs(runner_));
  ASSERT_TRUE(model_.result(0) && model_.result(1)) << model_.message().toStdString();
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("features.csv"));
  model_.exportCsv(path);
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly | QIODevice::Text));
  QTextStream in(&file);
  EXPECT_EQ(
      in.readLine(),
      QStringLiteral("tag,family,aggregation,value_A,value_B,diff,rel_diff,undefined_reason"));
  std::map<QString, QStringList> lines;
  while (!in.atEnd()) {
    const QString line = in.readLine();
    // Reasons may be quoted and hold commas: the first 7 fields never do.
    const QStringList fields = line.split(QLatin1Char(','));
    ASSERT_GE(fields.size(), 8) << line.toStdString();
    lines[fields[0]] = fields;
  }
  EXPECT_EQ(lines.size(), model_.rows().size());
  const Roi roi = featureTestRoi(*a_);
  const auto& mean = lines.at(QStringLiteral("stat_mean"));
  EXPECT_EQ(mean[1], QStringLiteral("intensity_statistics"));
  EXPECT_NEAR(mean[3].toDouble(), test::maskedMean(*a_, *roi.mask), 1e-9);
  EXPECT_NEAR(mean[4].toDouble(), test::maskedMean(*b_, *roi.mask), 1e-9);
  EXPECT_NEAR(mean[5].toDouble(), -10.0, 1e-9);
  const auto& vol = lines.at(QStringLiteral("morph_vol_approx"));
  EXPECT_NEAR(vol[3].toDouble(), test::maskedVolume(*roi.mask), 1e-9);
  EXPECT_EQ(vol[5].toDouble(), 0.0);
  // Undefined values are NaN with a reason, never 0.
  for (const FeatureRow& r : model_.rows()) {
    if (r.a && !r.a->defined()) {
      const auto& f = lines.at(r.tag);
      EXPECT_EQ(f[3], QStringLiteral("NaN"));
      EXPECT_TRUE(f.mid(7).join(QLatin1Char(',')).contains(QStringLiteral("A: ")));
    }
  }
  // No temporary file is left beside it.
  EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("features.csv")});
}

TEST_F(FeaturesModelTest, OneStudyExportsOnlyItsValues) {
  model_.setStudyCount(1);
  a_ = featureTestVolume();
  model_.setStudy(0, a_, QStringLiteral("a"), {featureTestRoi(*a_)});
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::Both));
  ASSERT_TRUE(finishJobs(runner_));
  ASSERT_TRUE(model_.result(0).has_value()) << model_.message().toStdString();
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("one.csv"));
  model_.exportCsv(path);
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly | QIODevice::Text));
  EXPECT_EQ(QTextStream(&file).readLine(),
            QStringLiteral("tag,family,aggregation,value_A,undefined_reason"));
}

TEST_F(FeaturesModelTest, AnEmptyRoiOrNoRoiGivesAClearMessage) {
  a_ = featureTestVolume();
  model_.setStudyCount(1);
  model_.setStudy(0, a_, QStringLiteral("a"), {});
  EXPECT_FALSE(model_.compute(FeaturesModel::Target::Both));
  EXPECT_TRUE(model_.message().contains(QStringLiteral("no ROI")))
      << model_.message().toStdString();
  model_.setStudy(0, a_, QStringLiteral("a"), {featureTestRoi(*a_, QStringLiteral("void"), true)});
  ASSERT_TRUE(model_.compute(FeaturesModel::Target::Both));
  ASSERT_TRUE(finishJobs(runner_));
  EXPECT_FALSE(model_.result(0).has_value());
  EXPECT_FALSE(model_.isRunning());
  EXPECT_TRUE(model_.message().contains(QStringLiteral("'void'")));
  EXPECT_TRUE(model_.message().contains(QStringLiteral("empty"))) << model_.message().toStdString();
  model_.setStudy(0, nullptr, QString(), {});
  EXPECT_FALSE(model_.compute(FeaturesModel::Target::Both));
}

}  // namespace
}  // namespace harmonia
