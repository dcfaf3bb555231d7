#pragma once
// The DICOM series the user has opened: what the study browser lists.
//
// Folders (or dropped files) are scanned in a JobRunner job each (progress and
// cancel in the status bar). Opened folders accumulate: a new scan adds its
// series, structure sets and skipped files to those already listed, and
// replaces whatever an earlier scan had found in the same place (the same
// series id, or files under the folder scanned again), so opening a folder
// twice, or a folder inside one already opened, lists nothing twice. clear()
// forgets everything.
//
// Indices (series(), structureSets(), skipped()) stay valid until the next
// contentsChanged(). Details of one series (every tag of its first file, the
// harmonization attributes, the value conversion) are worked out on request
// in a worker too, and cached until the contents change.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "core/dicom/DicomScanner.h"
#include "core/dicom/SeriesDetails.h"
#include "ui/jobs/JobRunner.h"

namespace harmonia {

/// Scanned DICOM series, structure sets and skipped files, and series details.
class DicomLibrary : public QObject {
  Q_OBJECT

 public:
  /// Scans and details run through `runner` (not owned).
  explicit DicomLibrary(JobRunner* runner, QObject* parent = nullptr);
  /// Cancels this library's jobs (their results would reach a deleted object).
  ~DicomLibrary() override;
  DicomLibrary(const DicomLibrary&) = delete;
  DicomLibrary& operator=(const DicomLibrary&) = delete;

  /// Scans `dir` recursively in a worker; scanFinished() or scanFailed() follows.
  void openFolder(const QString& dir);
  /// Scans the given files (dropped files) in a worker.
  void openFiles(const QStringList& files);
  /// Cancels every scan in progress (what was found before stays).
  void cancelScans();
  /// Forgets every series, structure set and skipped file.
  void clear();

  /// True while at least one scan runs.
  [[nodiscard]] bool isScanning() const;
  /// The image series, in scan order (each scan's own order: patient, study, series number).
  [[nodiscard]] const std::vector<SeriesInfo>& series() const { return series_; }
  /// The RT Structure Sets found.
  [[nodiscard]] const std::vector<StructureSetInfo>& structureSets() const {
    return structureSets_;
  }
  /// Files that could not be used, with the reason.
  [[nodiscard]] const std::vector<SkippedFile>& skipped() const { return skipped_; }
  /// The folders scanned so far (dropped files count as their common folder).
  [[nodiscard]] const QStringList& folders() const { return folders_; }
  /// Files examined by all scans together.
  [[nodiscard]] std::size_t filesExamined() const { return filesExamined_; }
  /// The series at `index`, or nullptr when out of range.
  [[nodiscard]] const SeriesInfo* seriesAt(int index) const;
  /// The index of the series with this id (see SeriesInfo::id), or -1.
  [[nodiscard]] int indexOfSeries(const std::string& id) const;

  /// Starts working out the details of series `index` (no-op when cached or
  /// running); detailsReady(index) follows. A newer request supersedes an
  /// older one still running.
  void requestDetails(int index);
  /// The details of series `index` when ready, else nullptr.
  [[nodiscard]] std::shared_ptr<const SeriesDetails> details(int index) const;

 signals:
  /// A scan of `folder` started.
  void scanStarted(const QString& folder);
  /// A scan ended and its results were merged (contentsChanged() came first).
  void scanFinished();
  /// A scan failed (the folder could not be read); nothing changed.
  void scanFailed(const QString& message);
  /// A scan ended without finding any DICOM series or structure set (an empty
  /// folder, broken or non-DICOM files): `message` names the folder (or the
  /// dropped file) and says why, e.g. the first skipped file's reason. Follows
  /// scanFinished(); the skipped files are listed as usual.
  void nothingFound(const QString& message);
  /// series(), structureSets() or skipped() changed; old indices are invalid.
  void contentsChanged();
  /// The details of series `index` are ready (see details()).
  void detailsReady(int index);
  /// The details of series `index` could not be worked out.
  void detailsFailed(int index, const QString& message);

 private:
  /// Runs `work` as job `key`; `shown` names what was scanned in messages (default `folder`).
  void startScan(const QString& key, const QString& folder,
                 std::function<DicomScan(Progress&)> work, const QString& shown = QString());
  void merge(DicomScan scan);

  QPointer<JobRunner> runner_;  ///< null once the runner is gone
  std::vector<SeriesInfo> series_;
  std::vector<StructureSetInfo> structureSets_;
  std::vector<SkippedFile> skipped_;
  QStringList folders_;
  std::size_t filesExamined_ = 0;
  std::map<int, std::shared_ptr<const SeriesDetails>> details_;
  std::uint64_t generation_ = 0;  ///< bumped on every contents change
  int detailsPending_ = -1;       ///< index whose details job runs
};

}  // namespace harmonia
