// The Compare workspace's "Apply plan...": a harmonization plan loaded into
// the Harmonize panel's model harmonizes Study A and Study B in a worker, each
// as the plan scanner the user picked, and both appear as new volumes (Revert
// puts the originals back). The studies are one object blurred in this file
// with two known anisotropic Gaussians and given different gains and offsets,
// so after the plan they must agree far better than before.

#include <gtest/gtest.h>

#include <QApplication>
#include <QComboBox>
#include <QTemporaryDir>
#include <cmath>
#include <fstream>

#include "core/measure/HarmonizationPlan.h"
#include "measure/ReferenceBlur.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompareSession.h"
#include "ui/model/HarmonizeController.h"
#include "ui/model/VolumeLibrary.h"
#include "ui/workspaces/compare/HarmonizePanel.h"

namespace harmonia {
namespace {

// A sphere and a cube on a 28^3 grid of 1 mm voxels, at least 8 voxels from
// every face, blurred by separable sampled Gaussians (float64, radius 5 sigma,
// zero outside), then gain * v + offset.
std::shared_ptr<Volume> scan(const Eigen::Vector3d& fwhm_mm, double gain, double offset) {
  const int n = 28;
  std::vector<double> data(n * n * n, 0.0);
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        double v = 0;
        if ((Eigen::Vector3d(i, j, k) - Eigen::Vector3d(15, 14, 13)).norm() <= 4.5) v = 100;
        if (i >= 9 && i <= 11 && j >= 17 && j <= 19 && k >= 9 && k <= 12) v = 40;
        data[i + n * (j + n * k)] = v;
      }
  data = test::referenceBlur(std::move(data), {n, n, n}, fwhm_mm / test::kFwhmPerSigma);
  Geometry3D g;
  g.size = {n, n, n};
  g.origin_mm = {-14, -14, 0};
  auto v = std::make_shared<Volume>(g);
  for (std::size_t i = 0; i < data.size(); ++i)
    v->voxels()[i] = static_cast<float>(gain * data[i] + offset);
  v->setUnits("HU");
  return v;
}

// Max |a - b| voxel by voxel (same grid).
double maxDiff(const Volume& a, const Volume& b) {
  EXPECT_TRUE(a.geometry().sameGrid(b.geometry()));
  double d = 0;
  for (std::size_t i = 0; i < a.voxelCount(); ++i)
    d = std::max(d, std::abs(static_cast<double>(a.voxels()[i]) - b.voxels()[i]));
  return d;
}

class ComparePlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.isValid());
    session_.setLibrary(&library_);
    // Site "CT-sharp" (2, 2, 4) mm; "CT-soft" (3, 2.5, 1.5) mm.
    HarmonizationPlan plan =
        proposePlan(std::vector<ScannerMeasurement>{{"CT-sharp", kSharp, {1, 1, 1}, std::nullopt},
                                                    {"CT-soft", kSoft, {1, 1, 1}, std::nullopt}});
    planPath_ = dir_.filePath(QStringLiteral("plan.json"));
    savePlan(plan, planPath_.toStdString());
    // Study A is the soft scanner's, Study B the sharp one's: not the plan's order.
    a_ = scan(kSoft, 0.5, 30.0);
    b_ = scan(kSharp, 1.7, -100.0);
    session_.study(0)->setVolume(a_, QStringLiteral("Site soft"), QString());
    session_.study(1)->setVolume(b_, QStringLiteral("Site sharp"), QString());
  }
  void settle() {
    for (int i = 0; i < 400 && runner_.runningCount() > 0; ++i) runner_.waitForAll(50);
    QApplication::processEvents();
    QApplication::processEvents();
  }

  const Eigen::Vector3d kSharp{2.0, 2.0, 4.0};
  const Eigen::Vector3d kSoft{3.0, 2.5, 1.5};
  QTemporaryDir dir_;
  QString planPath_;
  std::shared_ptr<Volume> a_, b_;
  JobRunner runner_;
  VolumeLibrary library_;
  CompareSession session_{&runner_};
  HarmonizeController controller_{&session_, &runner_};
};

TEST_F(ComparePlanTest, ThePlanHarmonizesBothStudiesIntoNewVolumesThatAgree) {
  QStringList finished;
  QObject::connect(&controller_, &HarmonizeController::finished,
                   [&](const QString& m) { finished << m; });
  ASSERT_TRUE(controller_.loadPlan(planPath_));
  EXPECT_EQ(controller_.planScanners(), (QStringList{"CT-sharp", "CT-soft"}));
  controller_.applyPlan(QStringLiteral("CT-soft"), QStringLiteral("CT-sharp"));
  settle();
  ASSERT_EQ(finished.count(), 1);

  const auto a = session_.study(0)->volume();
  const auto b = session_.study(1)->volume();
  ASSERT_TRUE(a && b);
  EXPECT_NE(a, a_);
  EXPECT_NE(b, b_);
  EXPECT_EQ(a->units(), "z");
  // New library entries derived from the originals, with Revert available.
  const auto& entryA = session_.study(0)->entry();
  EXPECT_EQ(entryA->kind, VolumeEntry::Kind::Derived);
  EXPECT_TRUE(entryA->name.startsWith(QStringLiteral("Site soft")));
  EXPECT_TRUE(entryA->derivation.contains(QStringLiteral("CT-soft")));
  EXPECT_NE(library_.entry(entryA->id), nullptr);
  EXPECT_TRUE(controller_.canRevert(0));
  EXPECT_TRUE(controller_.canRevert(1));

  // Before: the studies z-scored alone (resolution still different); after: the plan.
  const double before = maxDiff(test::referenceZScoreWhole(*a_), test::referenceZScoreWhole(*b_));
  const double after = maxDiff(*a, *b);
  std::cout << "max |A - B| in z units: before " << before << ", after " << after << "\n";
  EXPECT_LT(after, before / 10.0);
  EXPECT_TRUE(controller_.after().has_value());

  controller_.revert(0);
  controller_.revert(1);
  EXPECT_EQ(session_.study(0)->volume(), a_);
  EXPECT_EQ(session_.study(1)->volume(), b_);
}

TEST_F(ComparePlanTest, ThePanelLoadsThePlanAndAppliesItWithTheScannersPicked) {
  HarmonizePanel panel(&controller_, nullptr);
  ASSERT_TRUE(panel.loadPlanFile(planPath_));
  ASSERT_EQ(panel.planScannerBox(0)->count(), 2);
  EXPECT_EQ(panel.planScannerBox(0)->currentText(), "CT-sharp");  // the plan's first
  EXPECT_EQ(panel.planScannerBox(1)->currentText(), "CT-soft");   // and second
  // The right assignment: A is the soft scanner, B the sharp one.
  panel.planScannerBox(0)->setCurrentText(QStringLiteral("CT-soft"));
  panel.planScannerBox(1)->setCurrentText(QStringLiteral("CT-sharp"));
  panel.applyPlan();
  settle();
  const double right = maxDiff(*session_.study(0)->volume(), *session_.study(1)->volume());
  EXPECT_TRUE(panel.statusText().contains(QStringLiteral("plan.json")))
      << panel.statusText().toStdString();

  // Swapped scanners blur each study by the other's extra blur: A (3, 2.5, 1.5)
  // ends at (3.7, 2.9, 1.5) mm and B (2, 2, 4) at (2, 2, 5.5) mm, far apart.
  panel.planScannerBox(0)->setCurrentText(QStringLiteral("CT-sharp"));
  panel.planScannerBox(1)->setCurrentText(QStringLiteral("CT-soft"));
  panel.applyPlan();
  settle();
  const double wrong = maxDiff(*session_.study(0)->volume(), *session_.study(1)->volume());
  std::cout << "max |A - B|: right scanners " << right << ", swapped " << wrong << "\n";
  EXPECT_GT(wrong, 5.0 * right);
}

TEST_F(ComparePlanTest, ABadPlanFileIsReportedWithItsNameAndChangesNothing) {
  QStringList failed;
  QObject::connect(&controller_, &HarmonizeController::failed,
                   [&](const QString& m) { failed << m; });
  const QString bad = dir_.filePath(QStringLiteral("bad.json"));
  std::ofstream(bad.toStdString()) << R"({"format":"harmonia-plan","version":9})";
  HarmonizePanel panel(&controller_, nullptr);
  EXPECT_FALSE(panel.loadPlanFile(bad));
  ASSERT_EQ(failed.count(), 1);
  EXPECT_TRUE(failed.at(0).contains(bad));
  EXPECT_TRUE(panel.statusText().contains(QStringLiteral("bad.json")));
  EXPECT_EQ(controller_.plan(), nullptr);
  EXPECT_EQ(panel.planScannerBox(0)->count(), 0);
  controller_.applyPlan(QStringLiteral("A"), QStringLiteral("B"));
  settle();
  EXPECT_EQ(failed.count(), 2);  // no plan loaded
  // A scanner the plan does not have.
  ASSERT_TRUE(controller_.loadPlan(planPath_));
  controller_.applyPlan(QStringLiteral("CT-soft"), QStringLiteral("CT-other"));
  settle();
  ASSERT_EQ(failed.count(), 3);
  EXPECT_TRUE(failed.at(2).contains(QStringLiteral("CT-other")));
  EXPECT_EQ(session_.study(0)->volume(), a_);
  EXPECT_EQ(session_.study(1)->volume(), b_);
}

}  // namespace
}  // namespace harmonia

namespace harmonia {
namespace {

// The single-study operations share the plan's way of showing results.
TEST_F(ComparePlanTest, KernelMatchingOneStudyStillShowsANewVolumeWithRevert) {
  HarmonizeRequest r;
  r.study = 1;
  r.kernel.from_fwhm_mm = kSharp;
  r.kernel.to_fwhm_mm = {3.0, 2.5, 4.0};
  controller_.run(r);
  settle();
  const auto& entry = session_.study(1)->entry();
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->kind, VolumeEntry::Kind::Derived);
  EXPECT_TRUE(entry->name.contains(QStringLiteral("kernel-matched")));
  EXPECT_NE(session_.study(1)->volume(), b_);
  EXPECT_TRUE(session_.study(1)->volume()->geometry().sameGrid(b_->geometry()));
  EXPECT_TRUE(controller_.canRevert(1));
  EXPECT_FALSE(controller_.canRevert(0));
  controller_.revert(1);
  EXPECT_EQ(session_.study(1)->volume(), b_);
}

}  // namespace
}  // namespace harmonia
