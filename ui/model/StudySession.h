#pragma once
// The Study workspace's model: one DICOM series loaded for viewing, shown
// progressively, and the RTSTRUCT ROIs drawn on it.
//
// loadSeries() starts a job on the runner: the series' value conversion is
// worked out first (a PET without dose fails here, before any decoding), then
// a display volume of the acquired grid is published (loadStarted) and filled
// slice by slice, middle slice first, as the workers decode them
// (slicesArrived, coalesced to at most one signal per kSliceSignalMs). The
// slices reach the GUI thread as copies, so the display volume is only ever
// touched there. When everything is decoded, the display volume takes the
// final values and loaded() is emitted; volume() stays the same object unless
// the acquisition was irregular and the final volume was resampled onto a
// uniform grid (then volume() is that new volume); then every ROI of the structure sets that refer
// to the series is rasterised onto its grid in another job (roisChanged).
// The loaded series (and later its ROIs) is published in the VolumeLibrary, if
// one is set, so that other workspaces (Compare) can take it without loading it again.

#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <optional>
#include <vector>

#include "core/dicom/DicomScanner.h"
#include "core/dicom/SeriesLoader.h"
#include "core/image/Volume.h"
#include "ui/model/Roi.h"
#include "ui/model/VolumeLibrary.h"

namespace harmonia {

class JobRunner;

/// How the loaded series' values were made and what its grid looks like.
struct StudyDetails {
  SeriesInfo series;
  SeriesGeometry geometry;
  ValueConversion conversion;
  std::optional<SuvResult> suv;
  std::optional<MrParameters> mr;
  bool resampled = false;
};

/// One series being viewed.
class StudySession : public QObject {
  Q_OBJECT

 public:
  /// Coalescing interval of slicesArrived(), ms.
  static constexpr int kSliceSignalMs = 60;

  /// Jobs run on `runner` (not owned).
  explicit StudySession(JobRunner* runner, QObject* parent = nullptr);

  /// Loads `series` (cancelling any load in progress); the ROIs of those of
  /// `structureSets` that refer to it are rasterised once it is loaded.
  void loadSeries(const SeriesInfo& series, const std::vector<StructureSetInfo>& structureSets);
  /// The runner its jobs use.
  [[nodiscard]] JobRunner* runner() const { return runner_; }
  /// The library where a loaded series is published as an entry (not owned; may be null).
  void setLibrary(VolumeLibrary* library) { library_ = library; }
  /// The loaded series as a library entry (with its ROIs once drawn); null until loaded.
  [[nodiscard]] const std::shared_ptr<const VolumeEntry>& entry() const { return entry_; }
  /// Forgets the series (cancels its jobs).
  void clear();

  /// The volume being shown: partly filled while loading, null before.
  [[nodiscard]] std::shared_ptr<const Volume> volume() const { return volume_; }
  /// Modality of the series ("CT", "PT", "MR", ...).
  [[nodiscard]] QString modality() const;
  /// Unit of the values, for readouts ("HU", "SUVbw g/ml"; "" for raw values).
  [[nodiscard]] QString unit() const;
  /// True once every slice has arrived.
  [[nodiscard]] bool isLoaded() const { return details_.has_value(); }
  /// Slices that have arrived, and the series' slice count.
  [[nodiscard]] int slicesArrived() const { return arrived_; }
  [[nodiscard]] int sliceCount() const { return sliceCount_; }
  /// Conversion, geometry, SUV and MR details of the loaded series.
  [[nodiscard]] const std::optional<StudyDetails>& details() const { return details_; }
  /// The ROIs on the series (empty until rasterised).
  [[nodiscard]] const std::vector<Roi>& rois() const { return rois_; }
  /// Messages about ROIs that could not be drawn (e.g. contours off the grid).
  [[nodiscard]] const QStringList& roiWarnings() const { return roiWarnings_; }

 signals:
  /// volume() is a new (still empty) volume of the series' grid.
  void loadStarted();
  /// More slices of volume() were filled.
  void slicesChanged();
  /// Every slice arrived; volume() and details() are final.
  void loaded();
  /// The series could not be loaded (message names the file and problem).
  void loadFailed(const QString& error);
  /// rois() changed.
  void roisChanged();

 private:
  void startDisplay(quint64 generation, const Geometry3D& grid, const QString& units);
  void receiveSlice(quint64 generation, int k, const std::shared_ptr<std::vector<float>>& values);
  void finish(quint64 generation, LoadedSeries result);
  void rasterizeRois();

  void publishEntry();

  JobRunner* runner_;
  VolumeLibrary* library_ = nullptr;
  std::shared_ptr<const VolumeEntry> entry_;
  quint64 generation_ = 0;
  SeriesInfo series_;
  std::vector<StructureSetInfo> structureSets_;
  std::shared_ptr<Volume> display_;  // filled on the GUI thread while loading
  std::shared_ptr<const Volume> volume_;
  std::optional<StudyDetails> details_;
  std::vector<Roi> rois_;
  QStringList roiWarnings_;
  int arrived_ = 0;
  int sliceCount_ = 0;
  QTimer sliceSignal_;
};

}  // namespace harmonia
