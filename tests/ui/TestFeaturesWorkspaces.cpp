// The Features panel in the main window: in Studies it gets the loaded
// series' RTSTRUCT ROIs; in Compare both studies' ROIs and the ROI statistics'
// sphere placed on each study's grid. Values are checked against what the
// test computes from the masks (voxel count × voxel volume, IBSI 4.1.2).

#include <gtest/gtest.h>

#include <QApplication>
#include <QTabWidget>
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "TestSupport.h"
#include "UiTestSupport.h"
#include "features/IbsiTestSupport.h"
#include "ui/MainWindow.h"
#include "ui/model/CompareMeasurements.h"
#include "ui/model/CompareSession.h"
#include "ui/model/FeaturesModel.h"
#include "ui/model/StudySession.h"
#include "ui/widgets/FeaturesPanel.h"
#include "ui/workspaces/compare/CompareWorkspace.h"
#include "ui/workspaces/studies/StudyWorkspace.h"

namespace harmonia {
namespace {

double maskVolume_mm3(const MaskVolume& mask) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < mask.voxelCount(); ++i) n += mask.data()[i] != 0 ? 1 : 0;
  const auto& s = mask.geometry().spacing_mm;
  return static_cast<double>(n) * s.x() * s.y() * s.z();
}

TEST(FeaturesWorkspaces, StudiesComputesTheFeaturesOfTheSeriesRtstructRoi) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  HARMONIA_REQUIRE_SHARED_DATA(data);
  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1400, 900));
  window.openDicomFolder(QString::fromStdString((data / "sts" / "STS_001" / "CT").string()));
  ASSERT_TRUE(window.settle(60000));
  StudyWorkspace* ws = window.studyWorkspace();
  FeaturesModel* model = ws->featuresModel();
  EXPECT_EQ(model->studyCount(), 1);
  EXPECT_EQ(model->volume(0), window.studySession()->volume());
  ASSERT_EQ(model->rois(0).size(), 1u);
  EXPECT_EQ(model->rois(0)[0].name, "GTV_Mass_CT");
  ws->infoTabs()->setCurrentWidget(ws->featuresPanel());
  // Configuration A: no interpolation, so morph_vol_approx counts the ROI's own voxels.
  ASSERT_TRUE(model->setPreset(QStringLiteral("A")));
  ASSERT_TRUE(model->compute(FeaturesModel::Target::Both));
  ASSERT_TRUE(window.settle(120000));
  ASSERT_TRUE(model->result(0).has_value()) << model->message().toStdString();
  EXPECT_NEAR(model->result(0)->value("morph_vol_approx"), maskVolume_mm3(*model->rois(0)[0].mask),
              1e-6);
  EXPECT_GT(ws->featuresPanel()->featureRowCount(), 100);
}

// End to end: the IBSI CT phantom's DICOM series and RTSTRUCT, loaded and
// rasterised by Studies, computed from the panel's model with configurations
// A and C, against every IBSI 1 consensus value of those configurations.
TEST(FeaturesWorkspaces, StudiesGivesTheIbsiValuesOfTheCtPhantomRtstruct) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  HARMONIA_REQUIRE_IBSI_DATA();
  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1400, 900));
  window.openDicomFolder(
      QString::fromStdString((test::ibsiDataDir() / "ct_phantom" / "dicom").string()));
  ASSERT_TRUE(window.settle(60000));
  FeaturesModel* model = window.studyWorkspace()->featuresModel();
  ASSERT_EQ(model->rois(0).size(), 1u);
  for (const std::string config : {"A", "C"}) {
    ASSERT_TRUE(model->setPreset(QString::fromStdString(config)));
    ASSERT_TRUE(model->compute(FeaturesModel::Target::Both));
    ASSERT_TRUE(window.settle(120000));
    ASSERT_TRUE(model->result(0).has_value()) << model->message().toStdString();
    EXPECT_EQ(test::compareWithIbsi(*model->result(0), test::readIbsiReference("config_" + config),
                                    {}, "CT phantom via Studies, configuration " + config),
              0);
  }
}

TEST(FeaturesWorkspaces, CompareComputesBothStudiesInTheRoiStatisticsSphere) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1400, 900));
  window.loadDemo();
  ASSERT_TRUE(window.settle(60000));
  CompareWorkspace* ws = window.compareWorkspace();
  ASSERT_GE(ws->bottomTabs()->indexOf(ws->featuresPanel()), 0);
  // A sphere at study A's centre, placed on each study's grid by position.
  const auto a = window.compareSession()->study(0)->volume();
  ASSERT_TRUE(a);
  MeasurementRegion region;
  region.kind = MeasurementRegion::Kind::Sphere;
  region.centre_mm =
      a->geometry().indexToWorld(Eigen::Vector3d(a->nx() / 2.0, a->ny() / 2.0, a->nz() / 2.0));
  region.radius_mm = 12.0;
  ws->measurements()->setRegion(region);
  ASSERT_TRUE(window.settle(60000));
  FeaturesModel* model = ws->featuresModel();
  ASSERT_EQ(model->studyCount(), 2);
  for (int i = 0; i < 2; ++i) {
    ASSERT_FALSE(model->rois(i).empty()) << i;
    EXPECT_TRUE(model->rois(i).back().name.endsWith(QStringLiteral("(ROI statistics)")));
    model->setRoi(i, static_cast<int>(model->rois(i).size()) - 1);
  }
  ws->bottomTabs()->setCurrentWidget(ws->featuresPanel());
  ASSERT_TRUE(model->setPreset(QStringLiteral("A")));
  ASSERT_TRUE(model->compute(FeaturesModel::Target::Both));
  ASSERT_TRUE(window.settle(120000));
  ASSERT_TRUE(model->result(0) && model->result(1)) << model->message().toStdString();
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(model->result(i)->value("morph_vol_approx"),
                maskVolume_mm3(*model->rois(i).back().mask), 1e-6)
        << i;
  }
  // Each study's own voxels: different grids, different voxel-counted volumes.
  const auto rows = model->rows();
  bool found = false;
  for (const FeatureRow& r : rows) {
    if (r.tag != QStringLiteral("morph_vol_approx")) continue;
    found = true;
    EXPECT_DOUBLE_EQ(r.diff, r.a->value - r.b->value);
  }
  EXPECT_TRUE(found);
  const QSize min = window.minimumSizeHint().expandedTo(window.minimumSize());
  EXPECT_LE(min.width(), 1280);
  EXPECT_LE(min.height(), 800);
}

}  // namespace
}  // namespace harmonia
