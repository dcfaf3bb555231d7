#pragma once
// The Studies workspace: DICOM folders in a study browser with the selected
// series' metadata below it (beside a Features tab: radiomic features of the
// loaded series' ROIs), and the loaded series in the study viewer
// (three orthogonal slice views and a 3-D view, RTSTRUCT ROIs on top).
//
// Selecting a series shows its metadata; activating it (double-click, Enter,
// Load) loads it progressively into the viewer; activating a structure set
// loads the series it was drawn on, whose ROIs are then drawn. After a folder
// opened with openFolder(path, true) is scanned, its first image series is
// loaded (what a user who drops a study folder expects to see).

#include <QString>
#include <QWidget>
#include <memory>

class QSplitter;
class QTabWidget;

namespace harmonia {

class DicomLibrary;
class FeaturesModel;
class FeaturesPanel;
class MetadataPanel;
class StudyBrowser;
class StudySession;
class StudyViewer;
struct VolumeEntry;

/// Study browser, metadata panel and study viewer, wired to their models.
class StudyWorkspace : public QWidget {
  Q_OBJECT

 public:
  /// Shows `library` and `session` (neither owned).
  StudyWorkspace(DicomLibrary* library, StudySession* session, QWidget* parent = nullptr);

  /// Scans a folder (added to those already open); with `loadFirst`, loads
  /// its first image series once scanned unless a series is being viewed.
  void openFolder(const QString& folder, bool loadFirst);
  /// Loads series `index` of the library into the viewer.
  void loadSeries(int index);
  /// Sends series `index` to Compare's Study A (slot 0) or B (slot 1): at once
  /// when it is the series loaded here, else once it has loaded.
  void sendToCompare(int index, int slot);

  [[nodiscard]] StudyBrowser* browser() const { return browser_; }
  [[nodiscard]] MetadataPanel* metadata() const { return metadata_; }
  [[nodiscard]] StudyViewer* viewer() const { return viewer_; }
  [[nodiscard]] StudySession* session() const { return session_; }
  /// The radiomic features of the loaded series' ROIs: model and panel (a tab beside the metadata).
  [[nodiscard]] FeaturesModel* featuresModel() const { return featuresModel_; }
  [[nodiscard]] FeaturesPanel* featuresPanel() const { return features_; }
  /// The tabs under the browser: Metadata, Features.
  [[nodiscard]] QTabWidget* infoTabs() const { return infoTabs_; }
  /// Shows the Features tab with room for its table and computes the features
  /// of the chosen ROI (for screenshots and demos; the result arrives in a worker).
  void showFeatures();

 signals:
  /// A short message for the status bar.
  void statusMessage(const QString& message);
  /// Something failed (scan, load); the message names the file and problem.
  void errorOccurred(const QString& message);
  /// A loaded series (a library entry) is to be shown in Compare's slot 0 (A) or 1 (B).
  void compareRequested(const std::shared_ptr<const VolumeEntry>& entry, int slot);

 private:
  void showLoadedVolume();
  void showFeatureStudy();

  DicomLibrary* library_;
  StudySession* session_;
  StudyBrowser* browser_;
  MetadataPanel* metadata_;
  StudyViewer* viewer_;
  FeaturesModel* featuresModel_;
  FeaturesPanel* features_ = nullptr;
  QTabWidget* infoTabs_ = nullptr;
  QSplitter* left_ = nullptr;  ///< browser over the tabs
  bool loadFirstAfterScan_ = false;
  int pendingCompareSlot_ = -1;  ///< slot to send the series being loaded to (-1: none)
};

}  // namespace harmonia
