#include "ui/MainWindow.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QPainter>
#include <QSaveFile>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QThread>
#include <QToolBar>

#include "core/image/MetaDataKeys.h"
#include "core/io/ImageIO.h"
#include "core/phantom/DemoProtocol.h"
#include "core/util/Error.h"
#include "core/util/Version.h"
#include "ui/Resources.h"
#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"
#include "ui/jobs/JobStatusWidget.h"
#include "ui/model/CompareSession.h"
#include "ui/model/CompositeSession.h"
#include "ui/model/DicomLibrary.h"
#include "ui/model/Document.h"
#include "ui/model/HarmonizationSession.h"
#include "ui/model/PasteController.h"
#include "ui/model/PhantomSession.h"
#include "ui/model/RecentFiles.h"
#include "ui/model/StudySession.h"
#include "ui/model/VolumeLibrary.h"
#include "ui/model/VolumeLoading.h"
#include "ui/view/SliceView.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/widgets/StudyBrowser.h"
#include "ui/workspaces/compare/CompareWorkspace.h"
#include "ui/workspaces/composite/CompositeWorkspace.h"
#include "ui/workspaces/features/FeaturesWorkspace.h"
#include "ui/workspaces/phantom/PhantomWorkspace.h"
#include "ui/workspaces/studies/StudyViewer.h"
#include "ui/workspaces/studies/StudyWorkspace.h"

namespace harmonia {

namespace {

// Settings keys of the window's layout and the workspace shown when it closed.
const QString kGeometrySetting = QStringLiteral("window/geometry");
const QString kStateSetting = QStringLiteral("window/state");
const QString kWorkspaceSetting = QStringLiteral("window/workspace");

const char* const kFileFilter =
    "Images and volumes (*.png *.jpg *.jpeg *.tif *.tiff *.nii *.nii.gz);;"
    "2-D images (*.png *.jpg *.jpeg *.tif *.tiff);;NIfTI volumes (*.nii *.nii.gz);;All files (*)";

std::shared_ptr<const Image2D> decodeResource(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) throw InputError(path.toStdString(), "missing resource");
  const QByteArray bytes = file.readAll();
  std::vector<unsigned char> data(bytes.begin(), bytes.end());
  auto image = std::make_shared<Image2D>(decodeImage2D(data, path.toStdString()));
  image->metadata()[metakey::kSource] = path.toStdString();
  return image;
}

// What tells whether a file changed since it was read: its size and modification time.
QString fileStamp(const QFileInfo& file) {
  return QStringLiteral("%1 bytes, %2")
      .arg(file.size())
      .arg(file.lastModified().toMSecsSinceEpoch());
}

}  // namespace

MainWindow::MainWindow(bool restoreSettings, QWidget* parent)
    : QMainWindow(parent),
      runner_(new JobRunner(this)),
      volumes_(new VolumeLibrary(this)),
      recent_(new RecentFiles(10, this)),
      compareSession_(new CompareSession(runner_, this)),
      compositeSession_(new CompositeSession(runner_, this)),
      compareWorkspace_(new CompareWorkspace(compareSession_)),
      compositeWorkspace_(new CompositeWorkspace(compositeSession_)),
      dicomLibrary_(new DicomLibrary(runner_, this)),
      studySession_(new StudySession(runner_, this)),
      studyWorkspace_(new StudyWorkspace(dicomLibrary_, studySession_)),
      harmonization_(new HarmonizationSession(runner_, this)),
      featuresWorkspace_(new FeaturesWorkspace(harmonization_)),
      phantom_(new PhantomSession(runner_, this)),
      phantomWorkspace_(new PhantomWorkspace(phantom_)),
      stack_(new QStackedWidget(this)),
      workspaceActions_(new QActionGroup(this)),
      restoreSettings_(restoreSettings) {
  initResources();
  setWindowTitle(QStringLiteral("Harmonia"));
  setWindowIcon(QIcon(QStringLiteral(":/harmonia/icons/harmonia.svg")));
  setAcceptDrops(true);
  compareSession_->setLibrary(volumes_);
  studySession_->setLibrary(volumes_);
  stack_->addWidget(compositeWorkspace_);
  stack_->addWidget(compareWorkspace_);
  stack_->addWidget(studyWorkspace_);
  stack_->addWidget(featuresWorkspace_);
  stack_->addWidget(phantomWorkspace_);
  setCentralWidget(stack_);
  statusBar()->addPermanentWidget(new JobStatusWidget(runner_, this));
  connect(compositeWorkspace_, &CompositeWorkspace::openRequested, this, &MainWindow::openFileInto);
  connect(compositeWorkspace_, &CompositeWorkspace::statusMessage, this,
          [this](const QString& message) { statusBar()->showMessage(message, 5000); });
  connect(compositeWorkspace_, &CompositeWorkspace::errorOccurred, this, &MainWindow::reportError);
  connect(studyWorkspace_, &StudyWorkspace::statusMessage, this,
          [this](const QString& message) { statusBar()->showMessage(message, 5000); });
  connect(studyWorkspace_, &StudyWorkspace::errorOccurred, this, &MainWindow::reportError);
  // A folder with no DICOM series: said, not only counted in the study browser.
  connect(dicomLibrary_, &DicomLibrary::nothingFound, this, &MainWindow::reportError);
  connect(featuresWorkspace_, &FeaturesWorkspace::statusMessage, this,
          [this](const QString& message) { statusBar()->showMessage(message, 5000); });
  connect(phantomWorkspace_, &PhantomWorkspace::statusMessage, this,
          [this](const QString& message) { statusBar()->showMessage(message, 5000); });
  connect(studyWorkspace_, &StudyWorkspace::compareRequested, this,
          [this](const std::shared_ptr<const VolumeEntry>& entry, int slot) {
            compareSession_->study(slot)->setEntry(entry);
            setWorkspace(Workspace::Compare);
            statusBar()->showMessage(
                tr("%1 is %2 in Compare").arg(entry->name, compareSession_->study(slot)->role()),
                5000);
          });
  createActions();
  resize(1400, 900);
  if (restoreSettings_) {
    QSettings settings;
    restoreGeometry(settings.value(kGeometrySetting).toByteArray());
    restoreState(settings.value(kStateSetting).toByteArray());
    compareWorkspace_->restoreSettings();
    const QString saved = settings.value(kWorkspaceSetting).toString();
    setWorkspace(workspaceFromName(saved).value_or(Workspace::Composite));
  } else {
    setWorkspace(Workspace::Compare);
  }
}

MainWindow::~MainWindow() { runner_->cancelAll(); }

void MainWindow::createActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open..."), this, &MainWindow::showOpenDialog);
  open->setShortcut(QKeySequence::Open);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  connect(recent_, &RecentFiles::changed, this, &MainWindow::rebuildRecentMenu);
  rebuildRecentMenu();
  QAction* openDicom = file->addAction(tr("Open &DICOM Folder..."), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open DICOM folder"));
    if (!dir.isEmpty()) openDicomFolder(dir);
  });
  openDicom->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  file->addAction(tr("Load &Demo"), this, &MainWindow::loadDemo);
  QAction* exportComposite = file->addAction(tr("&Export Composite..."), this, [this] {
    setWorkspace(Workspace::Composite);
    compositeWorkspace_->showExportDialog();
  });
  exportComposite->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  file->addSeparator();
  QAction* shot =
      file->addAction(tr("Save &Screenshot..."), this, &MainWindow::showScreenshotDialog);
  shot->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = compositeSession_->undoStack()->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  edit->addAction(undo);
  QAction* redo = compositeSession_->undoStack()->createRedoAction(this, tr("&Redo"));
  redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::Key_Y)});
  edit->addAction(redo);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QToolBar* switcher = addToolBar(tr("Workspaces"));
  switcher_ = switcher;
  switcher->setObjectName(QStringLiteral("workspaces"));
  switcher->setMovable(false);
  switcher->setToolButtonStyle(Qt::ToolButtonTextOnly);
  const QString names[5] = {tr("&Composite"), tr("Com&pare"), tr("&Studies"), tr("&Features"),
                            tr("P&hantom")};
  const QString tips[5] = {
      tr("Paste and blend a region of one photograph into another"),
      tr("Two studies side by side in linked views"),
      tr("DICOM studies: browse, inspect tags and units, view in 2-D and 3-D"),
      tr("A cohort's feature table: ComBat harmonization across sites, checked by the "
         "over-harmonization guard"),
      tr("Phantom lab: measure two scanners' resolution, noise and NEMA recovery, and "
         "validate harmonization")};
  for (int i = 0; i < 5; ++i) {
    QAction* a = view->addAction(names[i]);
    a->setCheckable(true);
    a->setShortcut(QKeySequence(Qt::CTRL | (Qt::Key_1 + i)));
    a->setToolTip(tips[i]);
    a->setData(i);
    workspaceActions_->addAction(a);
    switcher->addAction(a);
    connect(a, &QAction::triggered, this, [this, i] { setWorkspace(static_cast<Workspace>(i)); });
  }
  view->addSeparator();
  QAction* reset = view->addAction(tr("&Reset Views"), this, [this] {
    QWidget* current = stack_->currentWidget();
    for (SliceView* v : current->findChildren<SliceView*>()) v->resetCamera();
  });
  reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Harmonia"), this, &MainWindow::showAbout);
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::setWorkspace(Workspace workspace) {
  const int index = static_cast<int>(workspace);
  stack_->setCurrentIndex(index);
  workspaceActions_->actions().at(index)->setChecked(true);
  // The phantom is generated the first time its workspace is shown, not at every start.
  if (workspace == Workspace::Phantom && phantom_->scan(0)->isEmpty() &&
      phantom_->scan(1)->isEmpty() && !phantom_->isBusy()) {
    phantom_->generate();
  }
}

MainWindow::Workspace MainWindow::workspace() const {
  return static_cast<Workspace>(stack_->currentIndex());
}

void MainWindow::loadDemo() {
  try {
    compositeSession_->target()->setImage(
        decodeResource(QStringLiteral(":/harmonia/demo/coffee.png")), tr("coffee.png (demo)"),
        tr("built-in demo photograph"));
    compositeSession_->source()->setImage(
        decodeResource(QStringLiteral(":/harmonia/demo/astronaut.png")), tr("astronaut.png (demo)"),
        tr("built-in demo photograph"));
    compositeSession_->seedDemoPaste();
  } catch (const std::exception& e) {
    reportError(QString::fromStdString(e.what()));
  }
  runner_->run(
      jobkey::kDemoPhantom, tr("Scanning the demo phantom"),
      [](Progress& progress) { return makeDemoStudies(progress); },
      [this](DemoStudies studies) {
        const auto scanners = demoScanners();
        Volume* scans[2] = {&studies.site_a, &studies.site_b};
        for (int i = 0; i < 2; ++i) {
          VolumeEntry e;
          e.kind = VolumeEntry::Kind::Generated;
          e.name = QString::fromStdString(scanners[static_cast<std::size_t>(i)].name);
          e.source = tr("digital phantom, virtual scanner");
          e.modality = QStringLiteral("CT");
          e.frame_of_reference_uid =
              QStringLiteral("harmonia-demo-phantom");  // one object, one frame
          e.volume = std::make_shared<const Volume>(std::move(*scans[i]));
          compareSession_->study(i)->setEntry(volumes_->add(std::move(e)));
        }
      },
      [this](const QString& error) { reportError(tr("Demo failed: %1").arg(error)); });
}

void MainWindow::openDicomFolder(const QString& folder, bool loadFirst) {
  setWorkspace(Workspace::Studies);
  studyWorkspace_->openFolder(folder, loadFirst);
}

void MainWindow::openFiles(const QStringList& paths) {
  // Files opened together fill different slots: `harmonia A.nii.gz B.nii.gz`
  // puts A in Study A and B in Study B (the reads finish later, so the slots'
  // emptiness cannot tell).
  Document* previous[2] = {nullptr, nullptr};  // last slot given to a 2-D image, a volume
  for (const QString& path : paths) {
    if (QFileInfo(path).isDir()) {
      openDicomFolder(path);
      continue;
    }
    const FileKind kind = fileKindOf(path.toStdString());
    if (kind == FileKind::Unknown) {
      reportError(
          tr("%1: unsupported file type (open .png, .jpg, .tif, .nii or .nii.gz)").arg(path));
      continue;
    }
    const bool volume = kind == FileKind::Volume;
    Document* slot = slotFor(volume, QPoint(-1, -1));
    if (slot == previous[volume ? 1 : 0]) slot = otherSlot(slot);
    previous[volume ? 1 : 0] = slot;
    openFileInto(path, slot);
  }
}

Document* MainWindow::otherSlot(Document* slot) const {
  if (slot == compareSession_->study(0)) return compareSession_->study(1);
  if (slot == compareSession_->study(1)) return compareSession_->study(0);
  if (slot == compositeSession_->target()) return compositeSession_->source();
  return compositeSession_->target();
}

Document* MainWindow::slotFor(bool volume, const QPoint& globalPos) const {
  if (volume) {
    // Dropped on a panel: that panel. Otherwise the first empty study, else B.
    for (int i = 0; i < 2; ++i) {
      ImagePanel* p = compareWorkspace_->panel(i);
      if (globalPos.x() >= 0 && p->isVisible() && p->rect().contains(p->mapFromGlobal(globalPos))) {
        return p->document();
      }
    }
    return compareSession_->study(0)->isEmpty() ? compareSession_->study(0)
                                                : compareSession_->study(1);
  }
  for (int i = 0; i < 2; ++i) {
    ImagePanel* p = compositeWorkspace_->panel(i);
    if (globalPos.x() >= 0 && p->isVisible() && p->rect().contains(p->mapFromGlobal(globalPos))) {
      return p->document();
    }
  }
  return compositeSession_->target()->isEmpty() ? compositeSession_->target()
                                                : compositeSession_->source();
}

void MainWindow::openFileInto(const QString& path, Document* document) {
  const bool volume = fileKindOf(path.toStdString()) == FileKind::Volume;
  setWorkspace(volume ? Workspace::Compare : Workspace::Composite);
  const std::string file = path.toStdString();
  const QString name = QFileInfo(path).fileName();
  auto fail = [this](const QString& error) { reportError(error); };
  // One key per slot: opening another file into it cancels a pending read.
  const QString key = jobkey::openDocument(document->role());
  if (volume) {
    loadVolumeInto(path, document);
  } else {
    runner_->run(
        key, tr("Reading %1").arg(name), [file](Progress&) { return readImage2D(file); },
        [this, document, name, path](Image2D image) {
          document->setImage(std::make_shared<const Image2D>(std::move(image)), name, path);
          recent_->add(path);
          statusBar()->showMessage(tr("Opened %1 as %2").arg(name, document->role()), 5000);
        },
        fail);
  }
}

void MainWindow::openForComparison(const QString& a, const QString& b) {
  setWorkspace(Workspace::Compare);
  loadVolumeInto(a, compareSession_->study(0));
  loadVolumeInto(b, compareSession_->study(1));
}

void MainWindow::loadVolumeInto(const QString& path, Document* document) {
  const QString name = QFileInfo(path).fileName();
  const bool folder = QFileInfo(path).isDir();
  // Already loaded and unchanged since (a file opened before): show it again.
  const QString absolute = QFileInfo(path).absoluteFilePath();
  if (!folder) {
    const auto stamp = fileStamps_.constFind(absolute);
    if (auto known = volumes_->find(path);
        known && stamp != fileStamps_.cend() && *stamp == fileStamp(QFileInfo(path))) {
      document->setEntry(known);
      return;
    }
  }
  // One key per slot: opening another file into it cancels a pending read.
  runner_->run(
      jobkey::openDocument(document->role()), tr("Reading %1").arg(name),
      [path](Progress& progress) {
        // Stamped before reading: a change while it is read shows as a change.
        const QString stamp = fileStamp(QFileInfo(path));
        return std::make_pair(stamp, loadVolumeEntry(path, progress));
      },
      [this, document, path, absolute](std::pair<QString, VolumeEntry> loaded) {
        const QString shown = loaded.second.name;
        document->setEntry(volumes_->add(std::move(loaded.second)));
        if (!QFileInfo(path).isDir()) {
          fileStamps_.insert(absolute, loaded.first);
          recent_->add(path);
        }
        statusBar()->showMessage(tr("Opened %1 as %2").arg(shown, document->role()), 5000);
      },
      [this](const QString& error) { reportError(error); });
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList files = recent_->files();
  for (int i = 0; i < files.size(); ++i) {
    const QString& f = files[i];
    QAction* a =
        recentMenu_->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(f).fileName()),
                               this, [this, f] { openFiles({f}); });
    a->setToolTip(f);
  }
  if (!files.isEmpty()) {
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear List"), recent_, &RecentFiles::clear);
  }
  recentMenu_->setEnabled(!files.isEmpty());
}

void MainWindow::showOpenDialog() {
  QSettings settings;
  const QStringList files = QFileDialog::getOpenFileNames(
      this, tr("Open images or volumes"), settings.value(QStringLiteral("lastDir")).toString(),
      tr(kFileFilter));
  if (files.isEmpty()) return;
  settings.setValue(QStringLiteral("lastDir"), QFileInfo(files.first()).absolutePath());
  openFiles(files);
}

void MainWindow::showScreenshotDialog() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Save screenshot"), QStringLiteral("harmonia.png"), tr("PNG (*.png)"));
  if (path.isEmpty()) return;
  QString error;
  if (!saveScreenshot(path, &error)) reportError(error);
}

void MainWindow::showAbout() {
  QString libs =
      QStringLiteral("<tr><td>Qt</td><td>%1</td></tr>").arg(QString::fromLatin1(qVersion()));
  for (const auto& [name, v] : coreLibraryVersions()) {
    libs += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>")
                .arg(QString::fromStdString(name), QString::fromStdString(v));
  }
  QString gl;
  if (auto* view = findChild<SliceView*>(); view != nullptr && view->context() != nullptr) {
    view->makeCurrent();
    auto* f = view->context()->functions();
    gl = QStringLiteral("<p>OpenGL: %1 (%2)</p>")
             .arg(QString::fromLatin1(reinterpret_cast<const char*>(f->glGetString(GL_RENDERER))),
                  QString::fromLatin1(reinterpret_cast<const char*>(f->glGetString(GL_VERSION))));
    view->doneCurrent();
  }
  QMessageBox::about(this, tr("About Harmonia"),
                     tr("<h3>Harmonia %1</h3><p>Image harmonization for artists, radiologists and "
                        "physicists: make images from different cameras and scanners agree.</p>"
                        "<p>Licence: BSD-3-Clause.</p><table>%2</table>%3")
                         .arg(QString::fromStdString(version()), libs, gl));
}

void MainWindow::reportError(const QString& message) {
  statusBar()->showMessage(message, 10000);
  // Non-modal: never blocks a running demo, a test or a batch.
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Harmonia"), message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setObjectName(QStringLiteral("errorBox"));
  box->open();
  emit errorReported(message);
}

void MainWindow::showFeatures() {
  if (workspace() == Workspace::Studies) studyWorkspace_->showFeatures();
  if (workspace() == Workspace::Compare) compareWorkspace_->showFeatures();
}

bool MainWindow::settle(int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  // Jobs finishing start new jobs (a loaded study triggers its histogram), so
  // loop until a pass finds nothing running.
  for (;;) {
    QApplication::processEvents();
    const auto idle = [this] {
      return runner_->runningCount() == 0 && compositeSession_->isIdle() && !phantom_->isBusy() &&
             !studyWorkspace_->viewer()->refreshPending();
    };
    if (idle()) {
      QApplication::processEvents();
      if (idle()) return true;
    }
    if (timer.elapsed() > timeoutMs) return false;
    runner_->waitForAll(50);
    compositeSession_->paste()->waitForIdle(50);
  }
}

QImage MainWindow::renderWindow() {
  // QWidget::grab() composes QOpenGLWidget children from their framebuffers.
  for (SliceView* v : findChildren<SliceView*>()) v->update();
  QApplication::processEvents();
  return grab().toImage();
}

bool MainWindow::saveScreenshot(const QString& path, QString* error) {
  const QImage image = renderWindow();
  QSaveFile file(path);  // atomic: written beside, renamed on commit
  if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
    if (error != nullptr) {
      *error = tr("%1: cannot save screenshot (%2)").arg(path, file.errorString());
    }
    return false;
  }
  return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  runner_->cancelAll();
  if (restoreSettings_) {
    QSettings settings;
    settings.setValue(kGeometrySetting, saveGeometry());
    settings.setValue(kStateSetting, saveState());
    compareWorkspace_->saveSettings();
    settings.setValue(kWorkspaceSetting, workspaceName(workspace()));
  }
  event->accept();
}

namespace {

// The one table of workspace names, in switcher order.
struct NamedWorkspace {
  MainWindow::Workspace workspace;
  const char* name;
};
constexpr NamedWorkspace kWorkspaceNames[] = {
    {MainWindow::Workspace::Composite, "composite"}, {MainWindow::Workspace::Compare, "compare"},
    {MainWindow::Workspace::Studies, "studies"},     {MainWindow::Workspace::Features, "features"},
    {MainWindow::Workspace::Phantom, "phantom"},
};

}  // namespace

QString MainWindow::workspaceName(Workspace workspace) {
  for (const NamedWorkspace& w : kWorkspaceNames) {
    if (w.workspace == workspace) return QString::fromLatin1(w.name);
  }
  return QStringLiteral("composite");
}

std::optional<MainWindow::Workspace> MainWindow::workspaceFromName(const QString& name) {
  for (const NamedWorkspace& w : kWorkspaceNames) {
    if (name == QLatin1String(w.name)) return w.workspace;
  }
  return std::nullopt;
}

QStringList MainWindow::workspaceNames() {
  QStringList names;
  for (const NamedWorkspace& w : kWorkspaceNames) names << QString::fromLatin1(w.name);
  return names;
}

void MainWindow::switchWorkspaceUnder(const QPoint& pos) {
  if (switcher_ == nullptr) return;
  const QList<QAction*> actions = workspaceActions_->actions();
  for (int i = 0; i < actions.size(); ++i) {
    QWidget* button = switcher_->widgetForAction(actions[i]);
    if (button != nullptr && button->rect().contains(button->mapFrom(this, pos))) {
      setWorkspace(static_cast<Workspace>(i));
      return;
    }
  }
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
  // Hovering a dragged series over "Compare" opens it, so it can be dropped on a view.
  if (event->mimeData()->hasFormat(QString::fromLatin1(StudyBrowser::kSeriesMimeType))) {
    switchWorkspaceUnder(event->position().toPoint());
  }
  event->acceptProposedAction();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasFormat(QString::fromLatin1(StudyBrowser::kSeriesMimeType))) {
    event->acceptProposedAction();
    return;
  }
  if (!event->mimeData()->hasUrls()) return;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (url.isLocalFile() && (QFileInfo(url.toLocalFile()).isDir() ||
                              fileKindOf(url.toLocalFile().toStdString()) != FileKind::Unknown)) {
      event->acceptProposedAction();
      return;
    }
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QPoint global = mapToGlobal(event->position().toPoint());
  const QString seriesMime = QString::fromLatin1(StudyBrowser::kSeriesMimeType);
  if (event->mimeData()->hasFormat(seriesMime)) {
    // A series from the Studies browser: to the Compare view under the cursor
    // (or the first empty study; dropped on the switcher, to Study A).
    bool ok = false;
    const int index = event->mimeData()->data(seriesMime).toInt(&ok);
    if (ok) {
      const int slot = workspace() == Workspace::Compare
                           ? (slotFor(true, global) == compareSession_->study(1) ? 1 : 0)
                           : 0;
      studyWorkspace_->sendToCompare(index, slot);
    }
    event->acceptProposedAction();
    return;
  }
  for (const QUrl& url : event->mimeData()->urls()) {
    if (!url.isLocalFile()) continue;
    const QString path = url.toLocalFile();
    if (QFileInfo(path).isDir()) {
      openDicomFolder(path);
      continue;
    }
    const FileKind kind = fileKindOf(path.toStdString());
    if (kind == FileKind::Unknown) {
      reportError(tr("%1: unsupported file type").arg(path));
      continue;
    }
    openFileInto(path, slotFor(kind == FileKind::Volume, global));
  }
  event->acceptProposedAction();
}

}  // namespace harmonia
