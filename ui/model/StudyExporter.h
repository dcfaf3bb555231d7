#pragma once
// Writing a Compare study to disk: the entry shown in Study A or B, as a
// NIfTI file or as a derived DICOM series of its source series, in a worker
// (progress and Cancel in the status bar).
//
// What is written is what the comparison shows. Study B is compared moved by
// the session's offset (CompareSession::offset(), mm), so B is written with
// its origin moved by that offset (voxels untouched) and its description says
// so; Study A is written as it is.
//
// A derived DICOM series needs the entry's source files (a DICOM series, or
// a result computed from one, which keeps them): the first is the template
// (patient, study, frame of reference; see DerivedSeriesWriter.h). The
// writer refuses a folder that is, lies inside or holds the source series'
// folder, and a folder that already holds DICOM files; its message is passed
// on. A NIfTI export never replaces a file the entry was read from, nor
// writes into a DICOM source series' folder. Either write is atomic: a
// failed or cancelled export leaves nothing behind.

#include <Eigen/Core>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

#include "core/dicom/DerivedSeriesWriter.h"
#include "ui/model/VolumeLibrary.h"

namespace harmonia {

class CompareSession;
class JobRunner;

/// The two texts that describe an exported derived series.
struct ExportDescription {
  /// (0008,103E): what was done, in at most 64 characters, ending "(Harmonia)".
  QString series_description;
  /// (0008,2111): the whole text, the offset included (the writer appends
  /// Harmonia's version, the source series, units and encoding).
  QString derivation_description;
};

/// Exports the studies of a CompareSession.
class StudyExporter : public QObject {
  Q_OBJECT

 public:
  /// How to write a study.
  enum class Format {
    Nifti,        ///< one .nii or .nii.gz file (float32)
    DicomSeries,  ///< a derived DICOM series in a folder (16-bit with rescale)
  };
  Q_ENUM(Format)

  /// Exports `session`'s studies through `runner` (neither owned).
  StudyExporter(CompareSession* session, JobRunner* runner, QObject* parent = nullptr);

  /// True when study `study` (0: A, 1: B) shows a volume that can be written
  /// in `format` (DICOM: the entry has source files).
  [[nodiscard]] bool canExport(int study, Format format) const;
  /// Starts writing study `study` to `path`: the NIfTI file (".nii.gz" is
  /// appended to a name ending in neither .nii nor .nii.gz) or the series'
  /// folder (created when missing). A newer export cancels a running one.
  /// Ends with exported() or failed().
  void exportStudy(int study, Format format, const QString& path);
  /// Cancels a running export (nothing is left behind).
  void cancel();
  /// True while an export runs.
  [[nodiscard]] bool isRunning() const;

  /// What the latest successful DICOM export wrote (its encoding's quantum
  /// bounds the values' error); empty before one and after a NIfTI export.
  [[nodiscard]] const std::optional<DerivedSeriesReport>& lastSeriesReport() const {
    return lastSeries_;
  }
  /// The file or folder the latest successful export wrote.
  [[nodiscard]] const QString& lastPath() const { return lastPath_; }
  /// A file name for study `study`'s NIfTI export, from its entry's name
  /// ("STS_001_CT_2_kernel-matched.nii.gz"); "" when the study is empty.
  [[nodiscard]] QString suggestedFileName(int study) const;

  /// The volume that exporting `entry` writes: its volume, moved by `offset_mm`.
  [[nodiscard]] static Volume exportedVolume(const VolumeEntry& entry,
                                             const Eigen::Vector3d& offset_mm);
  /// The descriptions of `entry` exported moved by `offset_mm`: its
  /// derivation (else "Exported from <name>"), plus the offset when not zero.
  [[nodiscard]] static ExportDescription describe(const VolumeEntry& entry,
                                                  const Eigen::Vector3d& offset_mm);

 signals:
  /// An export finished; `message` names what was written where.
  void exported(const QString& message);
  /// An export failed; `message` says why (the file or folder and the problem).
  void failed(const QString& message);

 private:
  CompareSession* session_;
  JobRunner* runner_;
  std::optional<DerivedSeriesReport> lastSeries_;
  QString lastPath_;
};

}  // namespace harmonia
