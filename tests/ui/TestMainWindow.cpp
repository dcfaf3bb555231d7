// The main window in-process: the demo loads into both workspaces, views
// show it, histograms follow the data, linked views follow each other in
// millimetres, bad files are reported without changing anything, and a
// cancelled load leaves nothing behind.

#include <gtest/gtest.h>

#include <QApplication>
#include <QDropEvent>
#include <QFont>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QToolBar>
#include <fstream>
#include <set>

#include "CohortTestSupport.h"
#include "TestSupport.h"
#include "UiTestSupport.h"
#include "core/io/ImageIO.h"
#include "core/stats/Summary.h"
#include "ui/MainWindow.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompareSession.h"
#include "ui/model/CompositeSession.h"
#include "ui/model/DicomLibrary.h"
#include "ui/model/Document.h"
#include "ui/model/HarmonizationSession.h"
#include "ui/model/HarmonizeController.h"
#include "ui/model/StudySession.h"
#include "ui/model/VolumeLibrary.h"
#include "ui/view/VolumeRenderView.h"
#include "ui/widgets/HistogramWidget.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/widgets/MetadataPanel.h"
#include "ui/widgets/StudyBrowser.h"
#include "ui/workspaces/compare/CompareWorkspace.h"
#include "ui/workspaces/compare/HarmonizePanel.h"
#include "ui/workspaces/composite/CompositeWorkspace.h"
#include "ui/workspaces/studies/StudyViewer.h"
#include "ui/workspaces/studies/StudyWorkspace.h"

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

// Distinct grey levels over a whole view (a blank or flat view has one or two).
int distinctGreys(SliceView* view) {
  const QImage img = view->grabFramebuffer();
  std::set<int> greys;
  for (int y = 0; y < img.height(); y += 3)
    for (int x = 0; x < img.width(); x += 3) greys.insert(qGray(img.pixel(x, y)));
  return static_cast<int>(greys.size());
}

}  // namespace

// The one name table: every workspace has a distinct name that reads back as
// itself, in switcher order, and nothing else is a workspace.
TEST(MainWindow, WorkspaceNamesRoundTrip) {
  using W = MainWindow::Workspace;
  const W all[] = {W::Composite, W::Compare, W::Studies, W::Features, W::Phantom};
  EXPECT_EQ(MainWindow::workspaceNames(),
            QStringList({QStringLiteral("composite"), QStringLiteral("compare"),
                         QStringLiteral("studies"), QStringLiteral("features"),
                         QStringLiteral("phantom")}));
  for (const W w : all) EXPECT_EQ(MainWindow::workspaceFromName(MainWindow::workspaceName(w)), w);
  for (const char* bad : {"", "Compare", "compare ", "dicom"}) {
    EXPECT_FALSE(MainWindow::workspaceFromName(QString::fromLatin1(bad))) << bad;
  }
}

TEST(MainWindow, DemoFillsBothWorkspacesWithVisibleData) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1200, 800));
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

TEST(MainWindow, EveryWorkspaceFitsA1280x800Screen) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  MainWindow window(false);
  window.show();
  ASSERT_TRUE(test::waitExposed(window));
  window.loadDemo();
  ASSERT_TRUE(window.settle(60000));
  // Long names and readouts must be elided, not widen the window: give Study A
  // a name far wider than any screen.
  Document* a = window.compareSession()->study(0);
  a->setVolume(a->volume(), QString(400, QLatin1Char('x')) + QStringLiteral(".nii.gz"),
               a->source());
  window.compareWorkspace()->panel(0)->view()->setCrosshair({-123.456, 78.9, -0.5});
  for (auto w : {MainWindow::Workspace::Composite, MainWindow::Workspace::Compare,
                 MainWindow::Workspace::Studies, MainWindow::Workspace::Features,
                 MainWindow::Workspace::Phantom}) {
    window.setWorkspace(w);
    QApplication::processEvents();
    const QSize min = window.minimumSizeHint().expandedTo(window.minimumSize());
    EXPECT_LE(min.width(), 1280) << "workspace " << static_cast<int>(w);
    EXPECT_LE(min.height(), 800) << "workspace " << static_cast<int>(w);
  }
  // The widest mode bar: difference, with its range, colour bar and grid choice.
  window.setWorkspace(MainWindow::Workspace::Compare);
  window.compareSession()->setMode(ComparisonMode::Difference);
  window.compareSession()->setComparisonGrid(CompareSession::ComparisonGrid::Isotropic);
  QApplication::processEvents();
  const QSize min = window.minimumSizeHint().expandedTo(window.minimumSize());
  EXPECT_LE(min.width(), 1280) << "Compare in difference mode";
  EXPECT_LE(min.height(), 800) << "Compare in difference mode";
  window.resize(1280, 800);
  QApplication::processEvents();
  EXPECT_EQ(window.size(), QSize(1280, 800));
  // Another machine's fonts may be wider (a fresh machine once needed 1659 px):
  // with a font a third larger than this machine's, it must still fit.
  const QFont normal = QApplication::font();
  QFont larger = normal;
  larger.setPointSizeF(normal.pointSizeF() * 4.0 / 3.0);
  QApplication::setFont(larger);
  QApplication::processEvents();
  for (auto w : {MainWindow::Workspace::Composite, MainWindow::Workspace::Compare,
                 MainWindow::Workspace::Studies, MainWindow::Workspace::Features,
                 MainWindow::Workspace::Phantom}) {
    window.setWorkspace(w);
    QApplication::processEvents();
    const QSize large = window.minimumSizeHint().expandedTo(window.minimumSize());
    EXPECT_LE(large.width(), 1280) << "larger font, workspace " << static_cast<int>(w);
    EXPECT_LE(large.height(), 800) << "larger font, workspace " << static_cast<int>(w);
  }
  QApplication::setFont(normal);
}

TEST(MainWindow, FeaturesWorkspaceWithAResultFitsA1280x800Screen) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  test::ScratchDir dir;
  // A long file name must be elided, not widen the window.
  const auto table = dir / (std::string(200, 'c') + ".csv");
  test::writeCohortCsv(test::makeConfoundedCohort(), table);
  MainWindow window(false);
  window.show();
  ASSERT_TRUE(test::waitExposed(window));
  window.setWorkspace(MainWindow::Workspace::Features);
  HarmonizationSession* session = window.harmonizationSession();
  ASSERT_TRUE(session->open(QString::fromStdString(table.string())));
  session->setLabelColumn(QStringLiteral("disease"));
  ASSERT_TRUE(session->run());
  ASSERT_TRUE(window.settle(60000));
  ASSERT_NE(session->result(), nullptr) << session->message().toStdString();
  const QSize min = window.minimumSizeHint().expandedTo(window.minimumSize());
  EXPECT_LE(min.width(), 1280);
  EXPECT_LE(min.height(), 800);
  window.resize(1280, 800);
  QApplication::processEvents();
  EXPECT_EQ(window.size(), QSize(1280, 800));
}

TEST(MainWindow, TwoVolumesOpenedTogetherFillStudyAAndStudyB) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  test::ScratchDir dir;
  Geometry3D g;
  g.size = {8, 7, 6};
  const auto pathA = dir / "a.nii.gz";
  const auto pathB = dir / "b.nii.gz";
  writeVolume(Volume(g, 1.0f), pathA.string());
  g.spacing_mm = {2.0, 2.0, 2.0};
  writeVolume(Volume(g, 5.0f), pathB.string());
  MainWindow window(false);
  window.show();
  window.openFiles(
      {QString::fromStdString(pathA.string()), QString::fromStdString(pathB.string())});
  ASSERT_TRUE(window.settle());
  ASSERT_TRUE(window.compareSession()->study(0)->volume());
  ASSERT_TRUE(window.compareSession()->study(1)->volume());
  EXPECT_EQ(window.compareSession()->study(0)->name(), "a.nii.gz");
  EXPECT_EQ(window.compareSession()->study(1)->name(), "b.nii.gz");
  EXPECT_EQ(window.compareSession()->study(1)->volume()->at(0, 0, 0), 5.0f);
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

TEST(MainWindow, HarmonizePanelBlursTheSharperStudyAndShowsBeforeAfter) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1400, 900));
  window.loadDemo();
  ASSERT_TRUE(window.settle(60000));
  CompareWorkspace* ws = window.compareWorkspace();
  const std::shared_ptr<const Volume> original = window.compareSession()->study(0)->volume();
  SliceView* view = ws->panel(0)->view();
  const QImage before = view->grabFramebuffer();

  HarmonizePanel* panel = ws->harmonizePanel();
  panel->setStudy(0);
  panel->setOperation(0);
  panel->fillFwhmFromStudies();  // Site A (sharp) to the per-axis maximum of A and B
  panel->runOperation();
  ASSERT_TRUE(window.settle(60000));
  EXPECT_FALSE(panel->statusText().startsWith(QStringLiteral("Not done")))
      << panel->statusText().toStdString();

  const std::shared_ptr<const Volume> blurred = window.compareSession()->study(0)->volume();
  ASSERT_NE(blurred, original);
  EXPECT_TRUE(blurred->geometry().sameGrid(original->geometry()));
  // Blurring lowers the spread of the noisy soft tissue and moves the histogram.
  EXPECT_LT(summarizeValues(*blurred).sd, summarizeValues(*original).sd);
  ASSERT_TRUE(ws->harmonizeController()->before());
  ASSERT_TRUE(ws->harmonizeController()->after());
  EXPECT_NE(ws->harmonizeController()->before()->counts,
            ws->harmonizeController()->after()->counts);
  EXPECT_EQ(panel->histogramWidget()->histogramCount(), 2);
  // The view shows the result: same slice, different pixels.
  EXPECT_NE(view->grabFramebuffer(), before);

  ws->harmonizeController()->revert(0);
  EXPECT_EQ(window.compareSession()->study(0)->volume(), original);

  // Sharpening is refused with a clear message and changes nothing.
  panel->setStudy(1);
  panel->fillFwhmFromStudies();
  HarmonizeRequest sharpen;
  sharpen.study = 1;
  sharpen.kernel.from_fwhm_mm = {3.6, 3.6, 5.0};
  sharpen.kernel.to_fwhm_mm = {1.6, 1.6, 2.0};
  const auto b = window.compareSession()->study(1)->volume();
  QString failure;
  QObject::connect(ws->harmonizeController(), &HarmonizeController::failed,
                   [&failure](const QString& m) { failure = m; });
  ws->harmonizeController()->run(sharpen);
  ASSERT_TRUE(window.settle(60000));
  EXPECT_TRUE(failure.contains(QStringLiteral("sharpen"))) << failure.toStdString();
  EXPECT_EQ(window.compareSession()->study(1)->volume(), b);
}

TEST(MainWindow, DicomFolderOpensInStudiesWithFourViewsRoisAndMetadata) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  HARMONIA_REQUIRE_SHARED_DATA(data);
  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1400, 900));
  // A folder given like a file goes to Studies; its first series is loaded.
  window.openFiles({QString::fromStdString((data / "sts" / "STS_001" / "CT").string())});
  ASSERT_TRUE(window.settle(60000));
  EXPECT_EQ(window.workspace(), MainWindow::Workspace::Studies);
  StudySession* session = window.studySession();
  ASSERT_TRUE(session->isLoaded());
  EXPECT_EQ(session->modality(), "CT");
  EXPECT_EQ(session->unit(), "HU");
  EXPECT_EQ(session->volume()->nz(), 59);

  StudyWorkspace* ws = window.studyWorkspace();
  StudyViewer* viewer = ws->viewer();
  EXPECT_EQ(viewer->volume(), session->volume());
  for (auto o : {SliceView::Orientation::Axial, SliceView::Orientation::Coronal,
                 SliceView::Orientation::Sagittal}) {
    EXPECT_GT(centreSpread(viewer->sliceView(o)), 10.0) << static_cast<int>(o);
  }
  // The 3-D view shows more than its background.
  const QImage rendered = viewer->volumeView()->grabFramebuffer();
  const QRgb background = rendered.pixel(2, 2);
  int drawn = 0;
  for (int y = 0; y < rendered.height(); y += 4)
    for (int x = 0; x < rendered.width(); x += 4) drawn += rendered.pixel(x, y) != background;
  EXPECT_GT(drawn, 200);
  // The RTSTRUCT in the folder refers to the CT: its ROI is drawn.
  ASSERT_EQ(viewer->roiOverlays().size(), 1u);
  EXPECT_EQ(viewer->roiOverlays().front().name, "GTV_Mass_CT");
  EXPECT_TRUE(viewer->readoutText().contains(QStringLiteral(" HU")))
      << viewer->readoutText().toStdString();
  EXPECT_EQ(ws->metadata()->harmonizationValue(QStringLiteral("Modality")), "CT");
  EXPECT_TRUE(ws->browser()->statusText().contains(QStringLiteral("1 series")))
      << ws->browser()->statusText().toStdString();
}

TEST(MainWindow, SeriesSentFromStudiesReachCompareWithoutLoadingAgain) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  HARMONIA_REQUIRE_SHARED_DATA(data);
  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1400, 900));
  window.openDicomFolder(QString::fromStdString((data / "sts" / "STS_001" / "CT").string()));
  ASSERT_TRUE(window.settle(60000));
  window.openDicomFolder(QString::fromStdString((data / "sts" / "STS_002" / "CT").string()), false);
  ASSERT_TRUE(window.settle(60000));
  StudyBrowser* browser = window.studyWorkspace()->browser();
  const auto& series = window.dicomLibrary()->series();
  ASSERT_EQ(series.size(), 2u);
  int loaded = -1;
  int other = -1;
  for (int i = 0; i < 2; ++i) {
    const QString uid = QString::fromStdString(series[static_cast<std::size_t>(i)].series_uid);
    (window.studySession()->entry() && window.studySession()->entry()->series_uid == uid ? loaded
                                                                                         : other) =
        i;
  }
  ASSERT_GE(loaded, 0);
  ASSERT_GE(other, 0);

  // The series on screen in Studies goes to A as it is: same voxels, ROIs and all.
  ASSERT_TRUE(browser->selectSeries(loaded));
  browser->sendCurrentToCompare(0);
  ASSERT_TRUE(window.settle(60000));
  EXPECT_EQ(window.workspace(), MainWindow::Workspace::Compare);
  Document* a = window.compareSession()->study(0);
  ASSERT_TRUE(a->entry());
  EXPECT_EQ(a->volume(), window.studySession()->volume());
  EXPECT_EQ(a->entry()->modality, "CT");
  EXPECT_EQ(a->entry()->unitLabel(), "HU");
  EXPECT_EQ(a->entry()->rois.size(), 1u);
  EXPECT_FALSE(a->entry()->source_files.isEmpty());

  // A series not loaded yet is loaded, then sent to B.
  ASSERT_TRUE(browser->selectSeries(other));
  browser->sendCurrentToCompare(1);
  ASSERT_TRUE(window.settle(60000));
  Document* b = window.compareSession()->study(1);
  ASSERT_TRUE(b->entry());
  EXPECT_EQ(b->entry()->series_uid,
            QString::fromStdString(series[static_cast<std::size_t>(other)].series_uid));
  EXPECT_EQ(b->entry()->unitLabel(), "HU");
  // Each series is one library entry, however often it was shown.
  EXPECT_EQ(window.volumeLibrary()->entries().size(), 2u);
  EXPECT_EQ(window.compareWorkspace()->histogramWidget()->histogramCount(), 2);
  // Two patients' CTs (the crop around each tumour): the views show anatomy,
  // not one flat colour (the centre may be uniform muscle).
  for (int i = 0; i < 2; ++i) {
    EXPECT_GT(distinctGreys(window.compareWorkspace()->panel(i)->view()), 40) << "view " << i;
  }
}

TEST(MainWindow, CompareOpensTwoDicomFoldersWithTheirUnitsAndRois) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  HARMONIA_REQUIRE_SHARED_DATA(data);
  MainWindow window(false);
  window.show();
  window.openForComparison(QString::fromStdString((data / "sts" / "STS_001" / "CT").string()),
                           QString::fromStdString((data / "sts" / "STS_001" / "PET").string()));
  ASSERT_TRUE(window.settle(60000));
  EXPECT_EQ(window.workspace(), MainWindow::Workspace::Compare);
  const auto a = window.compareSession()->study(0)->entry();
  const auto b = window.compareSession()->study(1)->entry();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->modality, "CT");
  EXPECT_EQ(a->unitLabel(), "HU");
  EXPECT_EQ(b->modality, "PT");
  EXPECT_TRUE(b->unitLabel().startsWith(QStringLiteral("SUV"))) << b->unitLabel().toStdString();
  EXPECT_EQ(a->rois.size(), 1u);
  EXPECT_FALSE(b->rois.empty());
  // One patient, one scanner session: the same frame of reference.
  EXPECT_FALSE(a->frame_of_reference_uid.isEmpty());
}

TEST(MainWindow, HarmonizedResultIsANewLibraryEntryThatRevertsToTheOriginal) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  MainWindow window(false);
  window.show();
  window.loadDemo();
  ASSERT_TRUE(window.settle(60000));
  const auto original = window.compareSession()->study(0)->entry();
  ASSERT_TRUE(original);
  ASSERT_NE(original->id, 0);
  HarmonizePanel* panel = window.compareWorkspace()->harmonizePanel();
  panel->setStudy(0);
  panel->setOperation(0);
  panel->fillFwhmFromStudies();
  panel->runOperation();
  ASSERT_TRUE(window.settle(60000));
  const auto result = window.compareSession()->study(0)->entry();
  ASSERT_TRUE(result);
  EXPECT_NE(result->id, original->id);
  EXPECT_EQ(result->kind, VolumeEntry::Kind::Derived);
  EXPECT_EQ(result->derived_from, original->id);
  EXPECT_TRUE(result->name.startsWith(original->name + QStringLiteral(", kernel-matched")))
      << result->name.toStdString();
  EXPECT_EQ(window.volumeLibrary()->entry(result->id), result);
  window.compareWorkspace()->harmonizeController()->revert(0);
  EXPECT_EQ(window.compareSession()->study(0)->entry(), original);
}

TEST(MainWindow, ASeriesDraggedFromStudiesOntoACompareViewIsComparedThere) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  HARMONIA_REQUIRE_SHARED_DATA(data);
  MainWindow window(false);
  ASSERT_TRUE(test::showSized(window, 1400, 900));
  window.openDicomFolder(QString::fromStdString((data / "sts" / "STS_002" / "CT").string()));
  ASSERT_TRUE(window.settle(60000));
  ASSERT_EQ(window.dicomLibrary()->series().size(), 1u);
  auto* mime = new QMimeData;
  mime->setData(QString::fromLatin1(StudyBrowser::kSeriesMimeType), QByteArray("0"));
  // Hovering over the "Compare" switcher button opens Compare.
  auto* switcher = window.findChild<QToolBar*>(QStringLiteral("workspaces"));
  ASSERT_NE(switcher, nullptr);
  QWidget* compareButton = switcher->widgetForAction(switcher->actions().at(1));
  ASSERT_NE(compareButton, nullptr);
  const QPoint overButton = compareButton->mapTo(&window, compareButton->rect().center());
  // Qt delivers moves and the drop to the widget that accepted the drag's entry.
  QDragEnterEvent enter(overButton, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &enter);
  ASSERT_TRUE(enter.isAccepted());
  QDragMoveEvent move(overButton, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &move);
  EXPECT_EQ(window.workspace(), MainWindow::Workspace::Compare);
  // Dropped on Study B's view: compared as B.
  ImagePanel* panelB = window.compareWorkspace()->panel(1);
  const QPoint overB = panelB->mapTo(&window, panelB->rect().center());
  QDropEvent drop(overB, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &drop);
  ASSERT_TRUE(window.settle(60000));
  const auto b = window.compareSession()->study(1)->entry();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->series_uid, QString::fromStdString(window.dicomLibrary()->series()[0].series_uid));
  EXPECT_TRUE(window.compareSession()->study(0)->isEmpty());
  delete mime;
}

TEST(MainWindow, ABrokenStudyForCompareIsReportedByNameAndTheOtherStillOpens) {
  if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  test::ScratchDir dir;
  const auto broken = dir / "broken.nii";
  { std::ofstream(broken) << "\x5c\x01\x00\x00 not a header"; }
  const std::string bytes = test::fileBytes(broken);
  const auto good = dir / "good.nii.gz";
  Geometry3D g;
  g.size = {8, 7, 6};
  writeVolume(Volume(g, 3.0f), good.string());
  MainWindow window(false);
  window.show();
  window.openForComparison(QString::fromStdString(broken.string()),
                           QString::fromStdString(good.string()));
  ASSERT_TRUE(window.settle());
  EXPECT_TRUE(window.compareSession()->study(0)->isEmpty());
  ASSERT_TRUE(window.compareSession()->study(1)->volume());
  auto* box = window.findChild<QMessageBox*>(QStringLiteral("errorBox"));
  ASSERT_NE(box, nullptr);
  EXPECT_TRUE(box->text().contains(QStringLiteral("broken.nii"))) << box->text().toStdString();
  EXPECT_TRUE(box->text().contains(QStringLiteral("NIfTI"))) << box->text().toStdString();
  EXPECT_EQ(test::fileBytes(broken), bytes) << "the broken input was changed";
  EXPECT_EQ(test::entryCount(dir.path()), 2u) << "something was written beside the inputs";
  box->close();
}
