#pragma once
// Harmonia's main window: a workspace switcher (Composite, Compare, Studies, Features, Phantom),
// menus,
// drag-and-drop, recent files, persisted layout, and the job status bar.

#include <QHash>
#include <QMainWindow>
#include <QStringList>
#include <optional>

class QActionGroup;
class QMenu;
class QStackedWidget;
class QToolBar;

namespace harmonia {

class CompareSession;
class CompareWorkspace;
class CompositeSession;
class CompositeWorkspace;
class DicomLibrary;
class Document;
class FeaturesWorkspace;
class HarmonizationSession;
class JobRunner;
class PhantomSession;
class PhantomWorkspace;
class RecentFiles;
class StudySession;
class StudyWorkspace;
class VolumeLibrary;

/// The application window.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// The workspaces, in switcher order.
  enum class Workspace { Composite, Compare, Studies, Features, Phantom };
  Q_ENUM(Workspace)
  /// A workspace's name on the command line (--workspace) and in the saved
  /// settings: "composite", "compare", "studies", "features" or "phantom".
  static QString workspaceName(Workspace workspace);
  /// The workspace called `name` (as workspaceName() writes it), if any.
  static std::optional<Workspace> workspaceFromName(const QString& name);
  /// Every workspace's name, in switcher order (for help and error messages).
  static QStringList workspaceNames();

  /// Creates the window; `restoreSettings` restores the saved layout.
  explicit MainWindow(bool restoreSettings = true, QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Shows a workspace.
  void setWorkspace(Workspace workspace);
  /// The workspace shown.
  [[nodiscard]] Workspace workspace() const;

  /// Loads the built-in demo: two photographs in Composite, a phantom
  /// scanned by two virtual scanners in Compare (generated in a worker).
  void loadDemo();
  /// Opens files: 2-D images go to Composite (target, then source), volumes
  /// to Compare (Study A, then Study B), folders to Studies (scanned for
  /// DICOM, the first series loaded). Reading happens in a worker.
  void openFiles(const QStringList& paths);
  /// Scans a DICOM folder into the Studies workspace and shows it; with
  /// `loadFirst`, loads its first series once scanned.
  void openDicomFolder(const QString& folder, bool loadFirst = true);
  /// Opens one file into a given document (a workspace slot).
  void openFileInto(const QString& path, Document* document);
  /// Opens two studies side by side in Compare: each a NIfTI file or a DICOM
  /// folder (its first image series, in HU/SUV, with its ROIs). Loading
  /// happens in workers; what the library already holds is not loaded again.
  void openForComparison(const QString& a, const QString& b);

  /// Shows the Features tab of the workspace shown (Studies or Compare) and
  /// computes the features of its ROI (see CompareWorkspace::showFeatures()).
  void showFeatures();

  /// Waits (processing events) until no job runs, up to `timeoutMs`. For
  /// screenshots and tests.
  bool settle(int timeoutMs = 30000);
  /// Renders the whole window, GL views included, into an image.
  [[nodiscard]] QImage renderWindow();
  /// Saves renderWindow() as a PNG atomically. Returns false with `error` set on failure.
  bool saveScreenshot(const QString& path, QString* error = nullptr);

  /// Every loaded volume (DICOM series, files, demo scans, results).
  [[nodiscard]] VolumeLibrary* volumeLibrary() const { return volumes_; }
  /// The job runner all workspaces use.
  [[nodiscard]] JobRunner* jobRunner() const { return runner_; }
  /// The Compare workspace's model and widget.
  [[nodiscard]] CompareSession* compareSession() const { return compareSession_; }
  [[nodiscard]] CompareWorkspace* compareWorkspace() const { return compareWorkspace_; }
  /// The Composite workspace's model and widget.
  [[nodiscard]] CompositeSession* compositeSession() const { return compositeSession_; }
  [[nodiscard]] CompositeWorkspace* compositeWorkspace() const { return compositeWorkspace_; }
  /// The Studies workspace's models and widget.
  [[nodiscard]] DicomLibrary* dicomLibrary() const { return dicomLibrary_; }
  [[nodiscard]] StudySession* studySession() const { return studySession_; }
  [[nodiscard]] StudyWorkspace* studyWorkspace() const { return studyWorkspace_; }
  /// The Features workspace's model (ComBat on a cohort's feature table) and widget.
  [[nodiscard]] HarmonizationSession* harmonizationSession() const { return harmonization_; }
  [[nodiscard]] FeaturesWorkspace* featuresWorkspace() const { return featuresWorkspace_; }
  /// The Phantom workspace's model (phantom scans, measurements, protocol) and widget.
  [[nodiscard]] PhantomSession* phantomSession() const { return phantom_; }
  [[nodiscard]] PhantomWorkspace* phantomWorkspace() const { return phantomWorkspace_; }

 signals:
  /// An error was shown to the user (a file that could not be opened, a
  /// failed job): the message names the file and the problem. `harmonia`
  /// prints it on stderr too.
  void errorReported(const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void createActions();
  void rebuildRecentMenu();
  void showOpenDialog();
  void showScreenshotDialog();
  void showAbout();
  void reportError(const QString& message);
  Document* slotFor(bool volume, const QPoint& globalPos) const;
  /// Shows the workspace whose switcher button lies under `pos` (window coordinates), if any.
  void switchWorkspaceUnder(const QPoint& pos);
  /// The other slot of the same workspace (Study A <-> B, target <-> source).
  Document* otherSlot(Document* slot) const;

  void loadVolumeInto(const QString& path, Document* document);

  JobRunner* runner_;
  VolumeLibrary* volumes_;
  RecentFiles* recent_;
  CompareSession* compareSession_;
  CompositeSession* compositeSession_;
  CompareWorkspace* compareWorkspace_;
  CompositeWorkspace* compositeWorkspace_;
  DicomLibrary* dicomLibrary_;
  StudySession* studySession_;
  StudyWorkspace* studyWorkspace_;
  HarmonizationSession* harmonization_;
  FeaturesWorkspace* featuresWorkspace_;
  PhantomSession* phantom_;
  PhantomWorkspace* phantomWorkspace_;
  QStackedWidget* stack_;
  QActionGroup* workspaceActions_;
  QToolBar* switcher_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  bool restoreSettings_;
  /// Size and modification time of each file read into the library, by
  /// absolute path: its entry is shown again only while the file is unchanged.
  QHash<QString, QString> fileStamps_;
};

}  // namespace harmonia
