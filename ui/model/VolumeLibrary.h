#pragma once
// Every volume loaded in the application, once: the one data model the
// workspaces share (3D Slicer's scene, in small).
//
// A DICOM series loaded in Studies, a NIfTI file, a demo scan, a harmonized
// result: each is one VolumeEntry in the main window's VolumeLibrary. Entries
// are immutable and shared (shared_ptr<const VolumeEntry>): a change (ROIs
// rasterised after loading) replaces the entry under the same id, so a
// workspace holding the old one can keep drawing it. Studies, Compare and
// Composite take entries from the library; what is already in it is not
// loaded again (find() by source).

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

#include "core/image/Volume.h"
#include "ui/model/Roi.h"

namespace harmonia {

/// One loaded volume and what is known about where it came from.
struct VolumeEntry {
  /// Where the volume came from.
  enum class Kind {
    DicomSeries,  ///< a DICOM series (source: its folder; series_uid set)
    File,         ///< a volume file (NIfTI)
    Generated,    ///< made by the application (the demo phantom's scans)
    Derived,      ///< computed from another entry (harmonized, resampled)
  };

  int id = 0;                            ///< the library's id (0: not in a library)
  Kind kind = Kind::File;                ///< where it came from
  QString name;                          ///< shown to the user
  QString source;                        ///< a path, or a description for generated data
  QString modality;                      ///< "CT", "PT", "MR"...; "" when unknown
  std::shared_ptr<const Volume> volume;  ///< the values, in volume->units()
  std::vector<Roi> rois;                 ///< on the volume's grid
  QString series_uid;                    ///< DICOM Series Instance UID ("" otherwise)
  QString frame_of_reference_uid;        ///< DICOM Frame of Reference UID ("" when unknown)
  QStringList source_files;              ///< the DICOM files of the series (in slice order)
  int derived_from = 0;                  ///< id of the entry it was computed from (Derived)
  QString derivation;                    ///< what was done to it ("kernel-matched to B")

  /// Unit of the values for display: "HU", "SUVbw g/ml", or "arbitrary" when unknown.
  [[nodiscard]] QString unitLabel() const;
};

/// The application's loaded volumes.
class VolumeLibrary : public QObject {
  Q_OBJECT

 public:
  explicit VolumeLibrary(QObject* parent = nullptr);

  /// Adds an entry and returns it with its new id. An entry of the same DICOM
  /// series (same series_uid and source) or the same file replaces the old one
  /// under the old id instead (entryChanged), so nothing is listed twice.
  std::shared_ptr<const VolumeEntry> add(VolumeEntry entry);
  /// Replaces the ROIs of entry `id` (no-op when it is gone).
  void setRois(int id, std::vector<Roi> rois);
  /// Removes entry `id`; holders of it keep their copy.
  void remove(int id);

  /// The entry with this id, or null.
  [[nodiscard]] std::shared_ptr<const VolumeEntry> entry(int id) const;
  /// The entry loaded from `source` (a file, or a DICOM folder with `seriesUid`), or null.
  [[nodiscard]] std::shared_ptr<const VolumeEntry> find(const QString& source,
                                                        const QString& seriesUid = {}) const;
  /// Every entry, in the order added.
  [[nodiscard]] const std::vector<std::shared_ptr<const VolumeEntry>>& entries() const {
    return entries_;
  }

 signals:
  /// An entry was added.
  void entryAdded(int id);
  /// Entry `id` was replaced (new ROIs, reloaded).
  void entryChanged(int id);
  /// Entry `id` was removed.
  void entryRemoved(int id);

 private:
  [[nodiscard]] int indexOf(int id) const;

  std::vector<std::shared_ptr<const VolumeEntry>> entries_;
  int nextId_ = 1;
};

}  // namespace harmonia
