// harmonia: the desktop application.
//
//   harmonia                      opens the built-in demo
//   harmonia FILE...              opens images (Composite), volumes (Compare) and
//                                 DICOM folders (Studies: first series loaded)
//   harmonia --compare A B        opens two studies side by side in Compare; A and
//                                 B are NIfTI files or DICOM folders
//   harmonia --screenshot OUT.png [--workspace composite|compare|studies|features|phantom]
//            [--compare-mode side|fade|flicker|checkerboard|difference|swipe|fusion] [A B]
//                                 (two studies with --compare-mode or --workspace
//                                 compare open side by side in Compare)
//                                 starts, renders, saves the window and exits 0
//            [--features]         first shows the workspace's Features tab and
//                                 computes its ROI's features (Compare without
//                                 ROIs: a sphere at Study A's centre)
//   harmonia --phantom edge|nema|texture [--phantom-tab
//   resolution|noise|recovery|values|results|protocol]
//                                 opens the Phantom workspace with that phantom generated for
//                                 scanners A and B (with --screenshot: measured, and the
//                                 protocol run for the protocol tab, before the grab)
//   harmonia --cohort TABLE.csv [--site COL] [--label COL] [--covariates a,b]
//            [--categorical b] [--fit-where COL=VALUE] [--feature NAME]
//            [--cohort-view box|pca|site-effect] [--only-significant]
//                                 opens a feature table in the Features workspace and,
//                                 with a site column (given or guessed), runs ComBat and
//                                 the over-harmonization guard (with --screenshot: saved
//                                 after the run)
//
// A file or folder that cannot be opened is reported in the window and, as
// "harmonia: FILE: PROBLEM", on stderr; the application keeps running. Exit
// status with --screenshot: 0 saved; 1 something could not be opened or
// computed, or the screenshot not saved (nothing is written then); 2 bad options.

#include <QApplication>
#include <QCommandLineParser>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>

#include "core/compare/ComparisonDisplay.h"
#include "core/util/Version.h"
#include "ui/MainWindow.h"
#include "ui/model/CompareSession.h"
#include "ui/model/HarmonizationSession.h"
#include "ui/model/PhantomSession.h"
#include "ui/view/VtkView.h"
#include "ui/workspaces/features/FeaturesWorkspace.h"
#include "ui/workspaces/phantom/PhantomWorkspace.h"

int main(int argc, char** argv) {
  // VTK needs an OpenGL 3.2 core context; this must precede QApplication.
  harmonia::VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Harmonia"));
  QApplication::setApplicationName(QStringLiteral("Harmonia"));
  QApplication::setApplicationVersion(QString::fromStdString(harmonia::version()));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/harmonia/icons/harmonia.svg")));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Harmonia: make images from different cameras and scanners agree.\n"
                     "With no files, opens the built-in demo. Files that cannot be opened are\n"
                     "reported in the window and on stderr; with --screenshot the exit status is\n"
                     "then 1 and no screenshot is saved."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("Render the window to FILE (PNG) and exit."),
                                      QStringLiteral("FILE"));
  const QString workspaceChoices =
      harmonia::MainWindow::workspaceNames().join(QStringLiteral(", "));
  const QCommandLineOption workspace(QStringLiteral("workspace"),
                                     QStringLiteral("Workspace to show: %1.").arg(workspaceChoices),
                                     QStringLiteral("NAME"));
  const QCommandLineOption noDemo(QStringLiteral("no-demo"),
                                  QStringLiteral("Start empty instead of loading the demo."));
  const QCommandLineOption compare(
      QStringLiteral("compare"),
      QStringLiteral("Open the two FILEs (NIfTI files or DICOM folders) side by side in Compare."));
  const QCommandLineOption compareMode(
      QStringLiteral("compare-mode"),
      QStringLiteral("Compare's mode: side, fade, flicker, checkerboard, difference, swipe or "
                     "fusion."),
      QStringLiteral("MODE"));
  parser.addOption(screenshot);
  parser.addOption(compare);
  parser.addOption(compareMode);
  parser.addOption(workspace);
  parser.addOption(noDemo);
  const QCommandLineOption features(
      QStringLiteral("features"),
      QStringLiteral("With --screenshot: show the Features tab of the workspace (studies or "
                     "compare) and compute its ROI's features first."));
  parser.addOption(features);
  const QCommandLineOption cohort(
      QStringLiteral("cohort"),
      QStringLiteral("Open a feature table (one row per scan) in the Features workspace and run "
                     "ComBat with the over-harmonization guard."),
      QStringLiteral("TABLE.csv"));
  const QCommandLineOption site(QStringLiteral("site"),
                                QStringLiteral("With --cohort: the site column."),
                                QStringLiteral("COL"));
  const QCommandLineOption label(QStringLiteral("label"),
                                 QStringLiteral("With --cohort: the label the guard protects."),
                                 QStringLiteral("COL"));
  const QCommandLineOption covariates(
      QStringLiteral("covariates"),
      QStringLiteral("With --cohort: protected covariates, comma-separated."),
      QStringLiteral("A,B"));
  const QCommandLineOption categorical(
      QStringLiteral("categorical"),
      QStringLiteral("With --cohort: the covariates that are categorical, comma-separated."),
      QStringLiteral("A,B"));
  const QCommandLineOption fitWhere(
      QStringLiteral("fit-where"),
      QStringLiteral("With --cohort: fit on the scans with COL=VALUE, harmonize all."),
      QStringLiteral("COL=VALUE"));
  const QCommandLineOption feature(QStringLiteral("feature"),
                                   QStringLiteral("With --cohort: the feature shown in the box "
                                                  "plots (default: the guard table's first)."),
                                   QStringLiteral("NAME"));
  const QCommandLineOption cohortView(
      QStringLiteral("cohort-view"),
      QStringLiteral("With --cohort: the chart shown: box (site box plots), pca or site-effect."),
      QStringLiteral("VIEW"));
  const QCommandLineOption onlySignificant(
      QStringLiteral("only-significant"),
      QStringLiteral("With --cohort: the guard counts drops only where the label was significant "
                     "before."));
  for (const auto* o : {&cohort, &site, &label, &covariates, &categorical, &fitWhere, &feature,
                        &cohortView, &onlySignificant}) {
    parser.addOption(*o);
  }
  const QCommandLineOption phantom(
      QStringLiteral("phantom"),
      QStringLiteral("Open the Phantom workspace with this phantom (edge, nema or texture) scanned "
                     "by scanners A and B; with --screenshot, measured first."),
      QStringLiteral("KIND"));
  const QCommandLineOption phantomTab(
      QStringLiteral("phantom-tab"),
      QStringLiteral("With --phantom: the tab shown (resolution, noise, recovery, values, results "
                     "or protocol; protocol runs the validation protocol first)."),
      QStringLiteral("TAB"));
  parser.addOption(phantom);
  parser.addOption(phantomTab);
  parser.addPositionalArgument(QStringLiteral("files"),
                               QStringLiteral("Images, volumes or DICOM folders to open."),
                               QStringLiteral("[FILE...]"));
  parser.process(app);

  const auto shownWorkspace = harmonia::MainWindow::workspaceFromName(parser.value(workspace));
  if (parser.isSet(workspace) && !shownWorkspace) {
    std::fprintf(stderr, "harmonia: --workspace must be one of: %s\n",
                 qPrintable(workspaceChoices));
    return 2;
  }
  const auto phantomKind = harmonia::phantomKindFromName(parser.value(phantom));
  if (parser.isSet(phantom) && !phantomKind) {
    std::fprintf(stderr, "harmonia: --phantom must be 'edge', 'nema' or 'texture'\n");
    return 2;
  }
  const QStringList phantomTabs = {QStringLiteral("resolution"), QStringLiteral("noise"),
                                   QStringLiteral("recovery"),   QStringLiteral("values"),
                                   QStringLiteral("results"),    QStringLiteral("protocol")};
  const auto phantomTabIndex = static_cast<int>(phantomTabs.indexOf(parser.value(phantomTab)));
  if (parser.isSet(phantomTab) && phantomTabIndex < 0) {
    std::fprintf(stderr,
                 "harmonia: --phantom-tab must be resolution, noise, recovery, values, results or "
                 "protocol\n");
    return 2;
  }
  if (parser.isSet(compare) && parser.positionalArguments().size() != 2) {
    std::fprintf(stderr, "harmonia: --compare takes two studies: NIfTI files or DICOM folders\n");
    return 2;
  }
  const auto mode = harmonia::parseComparisonMode(parser.value(compareMode).toStdString());
  if (parser.isSet(compareMode) && !mode) {
    std::fprintf(stderr,
                 "harmonia: --compare-mode must be side, fade, flicker, checkerboard, difference, "
                 "swipe or fusion\n");
    return 2;
  }
  const bool screenshotMode = parser.isSet(screenshot);
  // Screenshots are reproducible: fixed size, no saved layout read or written.
  harmonia::MainWindow window(!screenshotMode);
  // Every error the window shows goes to stderr too (before anything is opened).
  int errorsReported = 0;
  QObject::connect(&window, &harmonia::MainWindow::errorReported,
                   [&errorsReported](const QString& message) {
                     std::fprintf(stderr, "harmonia: %s\n", qPrintable(message));
                     ++errorsReported;
                   });
  const QStringList files = parser.positionalArguments();
  if (files.isEmpty() && !parser.isSet(noDemo) && !parser.isSet(cohort) && !phantomKind) {
    window.loadDemo();
  }
  // Two studies with Compare asked for (--compare, --compare-mode or
  // --workspace compare): side by side in Compare, DICOM folders included.
  const bool toCompare =
      parser.isSet(compare) ||
      (files.size() == 2 &&
       (parser.isSet(compareMode) || shownWorkspace == harmonia::MainWindow::Workspace::Compare));
  if (toCompare) {
    window.openForComparison(files[0], files[1]);
  } else {
    window.openFiles(files);
  }
  if (shownWorkspace) window.setWorkspace(*shownWorkspace);
  if (phantomKind) {
    if (*phantomKind != window.phantomSession()->kind()) {
      window.phantomSession()->setKind(*phantomKind);
    }
    window.setWorkspace(harmonia::MainWindow::Workspace::Phantom);
    if (phantomTabIndex >= 0) {
      window.phantomWorkspace()->showTab(
          static_cast<harmonia::PhantomWorkspace::Tab>(phantomTabIndex));
      // Noise and recovery are shown beside their ROI controls, the rest beside the scanners.
      const bool roiControls = phantomTabIndex == harmonia::PhantomWorkspace::NoiseTab ||
                               phantomTabIndex == harmonia::PhantomWorkspace::RecoveryTab ||
                               phantomTabIndex == harmonia::PhantomWorkspace::ValuesTab;
      window.phantomWorkspace()->controlTabs()->setCurrentIndex(roiControls ? 1 : 0);
    }
  }
  if (parser.isSet(cohort)) {
    harmonia::HarmonizationSession* session = window.harmonizationSession();
    window.setWorkspace(harmonia::MainWindow::Workspace::Features);
    if (!session->open(parser.value(cohort))) {
      std::fprintf(stderr, "harmonia: %s\n", qPrintable(session->message()));
      if (screenshotMode) return 1;
    } else {
      if (parser.isSet(site)) session->setSiteColumn(parser.value(site));
      if (parser.isSet(label)) session->setLabelColumn(parser.value(label));
      const auto list = [&parser](const QCommandLineOption& o) {
        return parser.value(o).split(QLatin1Char(','), Qt::SkipEmptyParts);
      };
      session->setCovariates(list(covariates), list(categorical));
      session->setFitWhere(parser.value(fitWhere));
      harmonia::HarmonizationReportOptions guard;
      guard.only_where_significant_before = parser.isSet(onlySignificant);
      session->setGuardOptions(guard);
      if (!session->settings().site_column.isEmpty() && !session->run()) {
        std::fprintf(stderr, "harmonia: %s\n", qPrintable(session->message()));
        if (screenshotMode) return 1;
      }
    }
    const QString view = parser.value(cohortView);
    window.featuresWorkspace()->chartTabs()->setCurrentIndex(view == QLatin1String("pca") ? 1
                                                             : view == QLatin1String("site-effect")
                                                                 ? 2
                                                                 : 0);
  }
  if (mode) {
    window.compareSession()->setMode(*mode);
    if (!parser.isSet(workspace)) window.setWorkspace(harmonia::MainWindow::Workspace::Compare);
  }
  if (screenshotMode) window.resize(1400, 900);
  window.show();
  if (!screenshotMode) return QApplication::exec();

  if (!window.settle(120000)) {
    std::fprintf(stderr, "harmonia: timed out waiting for the demo to load\n");
    return 1;
  }
  if (parser.isSet(cohort) && parser.isSet(feature)) {
    const auto& r = window.harmonizationSession()->result();
    for (std::size_t f = 0; r && f < r->feature_names.size(); ++f) {
      if (QString::fromStdString(r->feature_names[f]) == parser.value(feature)) {
        window.harmonizationSession()->setSelectedFeature(static_cast<int>(f));
      }
    }
    window.settle();  // lets the charts lay out their new axes before the grab
  }
  if (phantomKind) {
    window.phantomSession()->measureAll();
    if (phantomTabIndex == harmonia::PhantomWorkspace::ProtocolTab) {
      window.phantomSession()->runProtocol();
    }
    if (!window.settle(300000)) {
      std::fprintf(stderr, "harmonia: timed out measuring the phantom\n");
      return 1;
    }
    if (!window.phantomSession()->message().isEmpty()) {
      std::fprintf(stderr, "harmonia: %s\n", qPrintable(window.phantomSession()->message()));
    }
    window.settle();  // lets the charts lay out before the grab
  }
  if (parser.isSet(features)) {
    window.showFeatures();
    if (!window.settle(120000)) {
      std::fprintf(stderr, "harmonia: timed out computing the features\n");
      return 1;
    }
  }
  if (errorsReported > 0) {
    std::fprintf(stderr, "harmonia: no screenshot saved: %d error(s) above\n", errorsReported);
    return 1;
  }
  QString error;
  if (!window.saveScreenshot(parser.value(screenshot), &error)) {
    std::fprintf(stderr, "harmonia: %s\n", qPrintable(error));
    return 1;
  }
  return 0;
}
