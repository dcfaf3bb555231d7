// The workspaces' own file loaders under bad input: the Features workspace's
// cohort table (File "Open feature table...", `harmonia --cohort`), Compare's
// harmonization plan, the feature settings file, the Phantom workspace's
// scans (NIfTI or DICOM folder) and its protocol configuration. Each bad
// input must give a message, where that workspace shows it, naming the file
// and the problem; what was loaded stays; no file changes.

#include <gtest/gtest.h>

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>
#include <memory>

#include "CohortTestSupport.h"
#include "TestBadInputSupport.h"
#include "UiTestSupport.h"
#include "core/features/FeatureConfig.h"
#include "core/features/FeatureSettings.h"
#include "core/measure/HarmonizationPlan.h"
#include "ui/MainWindow.h"
#include "ui/model/Document.h"
#include "ui/model/FeaturesModel.h"
#include "ui/model/HarmonizationSession.h"
#include "ui/model/HarmonizeController.h"
#include "ui/model/PhantomSession.h"
#include "ui/workspaces/compare/CompareWorkspace.h"
#include "ui/workspaces/compare/HarmonizePanel.h"
#include "ui/workspaces/phantom/PhantomWorkspace.h"
#include "ui/workspaces/phantom/ProtocolPanel.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;
using test::BadInput;
using test::kWaitMs;

using test::qpath;
using test::writeText;

class BadInputPanels : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
    QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs, true);
    test::useScratchSettings();
    window_ = std::make_unique<MainWindow>(false);
    fs::create_directories(inputs_.bad("folder.csv"));
    fs::create_directories(inputs_.bad("folder.json"));
    writeText(inputs_.bad("empty.csv"), "");
    writeText(inputs_.bad("empty.json"), "");
    writeText(inputs_.bad("truncated.json"), "{\"scanners\": [{\"name\": \"CT-sh");
  }
  void TearDown() override {
    if (window_) window_->settle(kWaitMs);
    window_.reset();
  }
  MainWindow& window() { return *window_; }

  /// The bad inputs where a JSON file is expected.
  std::vector<BadInput> jsonInputs() const {
    return {{"0-byte JSON", inputs_.bad("empty.json"), {"empty"}},
            {"truncated JSON", inputs_.bad("truncated.json"), {"JSON", "parse", "syntax"}},
            {"folder named .json", inputs_.bad("folder.json"), {"folder"}},
            {"truncated PNG as JSON", inputs_.bad("truncated.png"), {"JSON", "parse", "syntax"}}};
  }

  test::BadInputs inputs_;
  std::unique_ptr<MainWindow> window_;
};

TEST_F(BadInputPanels, CohortTableReportsEachBadFileAndKeepsTheTable) {
  HarmonizationSession* session = window().harmonizationSession();
  const fs::path good = inputs_.good("cohort.csv");
  test::writeCohortCsv(test::makeConfoundedCohort(), good);
  window().setWorkspace(MainWindow::Workspace::Features);
  ASSERT_TRUE(session->open(qpath(good))) << session->message().toStdString();
  const QStringList columns = session->columns();
  const auto before = test::snapshot(inputs_.root());
  const std::vector<BadInput> inputs = {
      {"0-byte table", inputs_.bad("empty.csv"), {"empty"}},
      {"folder named .csv", inputs_.bad("folder.csv"), {"folder"}},
      {"truncated PNG as a table", inputs_.bad("truncated.png"), {"CSV", "binary"}}};
  for (const BadInput& input : inputs) {
    SCOPED_TRACE(input.label);
    EXPECT_FALSE(session->open(qpath(input.path)));
    EXPECT_TRUE(test::isClearMessage(session->message(), input));
    // The Features workspace shows the session's messages in the status bar.
    EXPECT_EQ(window().statusBar()->currentMessage(), session->message());
    EXPECT_EQ(session->path(), qpath(good));
    EXPECT_EQ(session->columns(), columns);
  }
  EXPECT_TRUE(session->open(qpath(good)));
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputPanels, HarmonizationPlanReportsEachBadFileAndKeepsThePlan) {
  const fs::path good = inputs_.good("plan.json");
  savePlan(proposePlan(std::vector<ScannerMeasurement>{
               {"CT-sharp", {2.0, 2.0, 4.0}, {1, 1, 1}, std::nullopt},
               {"CT-soft", {3.0, 2.5, 1.5}, {1, 1, 1}, std::nullopt}}),
           good.string());
  HarmonizePanel* panel = window().compareWorkspace()->harmonizePanel();
  HarmonizeController* controller = window().compareWorkspace()->harmonizeController();
  ASSERT_TRUE(panel->loadPlanFile(qpath(good))) << panel->statusText().toStdString();
  const auto before = test::snapshot(inputs_.root());
  for (const BadInput& input : jsonInputs()) {
    SCOPED_TRACE(input.label);
    EXPECT_FALSE(panel->loadPlanFile(qpath(input.path)));
    EXPECT_TRUE(test::isClearMessage(panel->statusText(), input));
    ASSERT_NE(controller->plan(), nullptr);
    EXPECT_EQ(controller->planPath(), qpath(good));
    EXPECT_EQ(controller->planScanners(),
              QStringList({QStringLiteral("CT-sharp"), QStringLiteral("CT-soft")}));
  }
  EXPECT_TRUE(panel->loadPlanFile(qpath(good)));
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputPanels, FeatureSettingsReportEachBadFileAndKeepTheSettings) {
  const fs::path good = inputs_.good("settings.json");
  features::FeatureSettings wanted = features::ibsiPreset("B");
  wanted.texture.glcm_distance = 2;
  writeText(good, features::featureSettingsToJson(wanted));
  FeaturesModel* model = window().compareWorkspace()->featuresModel();
  ASSERT_TRUE(model->loadSettingsFile(qpath(good))) << model->message().toStdString();
  const auto before = test::snapshot(inputs_.root());
  for (const BadInput& input : jsonInputs()) {
    SCOPED_TRACE(input.label);
    EXPECT_FALSE(model->loadSettingsFile(qpath(input.path)));
    EXPECT_TRUE(test::isClearMessage(model->message(), input));
    EXPECT_EQ(model->settingsLabel(), QStringLiteral("settings.json"));
    EXPECT_EQ(model->settings().texture.glcm_distance, 2);
  }
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputPanels, PhantomScanReportsEachBadInputAndKeepsTheScan) {
  PhantomSession* session = window().phantomSession();
  session->loadScan(0, qpath(inputs_.good("a.nii.gz")));
  ASSERT_TRUE(window().settle(kWaitMs));
  ASSERT_EQ(session->scan(0)->name(), QStringLiteral("a.nii.gz"))
      << session->message().toStdString();
  const auto volume = session->scan(0)->volume();
  const auto before = test::snapshot(inputs_.root());
  const std::vector<BadInput> inputs = inputs_.withRealFolders(inputs_.volumes());
  for (const BadInput& input : inputs) {
    SCOPED_TRACE(input.label);
    session->loadScan(0, qpath(input.path));
    ASSERT_TRUE(window().settle(kWaitMs));
    EXPECT_TRUE(test::isClearMessage(session->message(), input));
    EXPECT_EQ(session->scan(0)->volume(), volume);
  }
  session->loadScan(0, qpath(inputs_.good("c.nii")));
  ASSERT_TRUE(window().settle(kWaitMs));
  EXPECT_EQ(session->scan(0)->name(), QStringLiteral("c.nii"));
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputPanels, ProtocolConfigurationReportsEachBadFile) {
  ProtocolPanel* panel = window().phantomWorkspace()->protocolPanel();
  QPushButton* load =
      test::childWithText<QPushButton>(panel, QStringLiteral("Load configuration..."));
  ASSERT_NE(load, nullptr);
  const auto before = test::snapshot(inputs_.root());
  for (const BadInput& input : jsonInputs()) {
    if (fs::is_directory(input.path)) continue;  // the dialog opens folders, never returns them
    SCOPED_TRACE(input.label);
    test::answerNextFileDialog(qpath(input.path));
    load->click();
    QString shown;
    for (const QLabel* l : panel->findChildren<QLabel*>()) {
      if (l->text().contains(QString::fromStdString(input.path.filename().string()))) {
        shown = l->text();
      }
    }
    EXPECT_TRUE(test::isClearMessage(shown, input));
  }
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

}  // namespace
}  // namespace harmonia
