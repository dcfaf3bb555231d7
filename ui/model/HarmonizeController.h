#pragma once
// The Harmonize panel's model: runs one harmonization operation on a study of
// a CompareSession in a worker, adds the result to the volume library as a new
// entry ("Site A, kernel-matched") and shows it in the study's slot (keeping
// the original entry for Revert), and provides before/after histograms on a
// common range. Its StudyExporter writes a study as shown (a result
// included) to a NIfTI file or a derived DICOM series.
//
// A study whose entry is replaced by anything else than this controller
// (another volume opened into the slot, a series sent from Studies) is a new
// study: its original is forgotten (no Revert), a harmonization running on it
// is cancelled, and the next run starts from what is shown.
//
// A harmonization plan (PLAN.json of `harmonia-cli measure plan`) harmonizes
// both studies at once: the user says which of the plan's scanners made Study
// A and which Study B, and both results replace their studies as above.

#include <Eigen/Core>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

#include "core/harmonize/HistogramMatching.h"
#include "core/harmonize/KernelMatching.h"
#include "core/harmonize/Resample.h"
#include "core/harmonize/ZScore.h"
#include "core/stats/Histogram.h"
#include "ui/model/VolumeLibrary.h"

namespace harmonia {

class CompareSession;
// Declared only: only the .cpp needs the plan's header (core/measure).
struct HarmonizationPlan;
class JobRunner;
class StudyExporter;

/// What to do to a study: the operation and the core parameters it runs
/// with, held as core's own structs (only what core leaves to its caller, the
/// target grid and the ROI, is added here).
struct HarmonizeRequest {
  /// The operation.
  enum class Operation { MatchKernel, Resample, MatchHistogram, ZScore };
  Operation operation = Operation::MatchKernel;
  int study = 0;  ///< 0: Study A, 1: Study B; the other study is the reference
  /// Kernel matching: the study's resolution (from) and the wanted, coarser one (to).
  KernelMatchParams kernel;
  /// Resampling: how values are interpolated.
  ResampleParams resampling;
  bool like_reference = false;  ///< resample onto the other study's grid
  double spacing_mm = 1.0;      ///< else: an isotropic grid of this spacing over the same box
  /// Histogram matching (to the other study).
  HistogramMatchParams histogram;
  /// Z-scoring inside a sphere around roi_centre_mm.
  ZScoreParams zscore;
  Eigen::Vector3d roi_centre_mm{0, 0, 0};  ///< LPS world position
  double roi_radius_mm = 20.0;
};

/// Runs harmonization requests and keeps the originals for before/after.
class HarmonizeController : public QObject {
  Q_OBJECT

 public:
  /// Acts on `session`'s studies through `runner` (neither owned).
  HarmonizeController(CompareSession* session, JobRunner* runner, QObject* parent = nullptr);

  /// Starts `request` in a worker; a newer request cancels a running one.
  void run(const HarmonizeRequest& request);
  /// Cancels a running request.
  void cancel();
  /// True while a request runs.
  [[nodiscard]] bool isRunning() const;
  /// Puts back the study's volume from before its first harmonization.
  void revert(int study);
  /// True when the study has been harmonized (Revert is possible).
  [[nodiscard]] bool canRevert(int study) const { return originals_[study] != nullptr; }
  /// Histogram of the study before harmonization (common range with after()).
  [[nodiscard]] const std::optional<Histogram>& before() const { return before_; }
  /// Histogram of the latest result.
  [[nodiscard]] const std::optional<Histogram>& after() const { return after_; }
  /// The study the histograms describe.
  [[nodiscard]] int histogramStudy() const { return histogramStudy_; }
  /// The resolution (FWHM per axis, mm) recorded in a study's metadata, if any.
  [[nodiscard]] std::optional<Eigen::Vector3d> recordedFwhm(int study) const;
  /// The session whose studies it changes.
  [[nodiscard]] CompareSession* session() const { return session_; }
  /// Writes the studies (as shown: results included) to NIfTI or DICOM.
  [[nodiscard]] StudyExporter* exporter() const { return exporter_; }
  /// Reads a harmonization plan; on failure emits failed() with the message
  /// (naming the file) and keeps the plan loaded before, if any.
  bool loadPlan(const QString& path);
  /// The loaded plan, if any.
  [[nodiscard]] const HarmonizationPlan* plan() const { return plan_.get(); }
  /// The file the plan was loaded from ("" when none).
  [[nodiscard]] const QString& planPath() const { return planPath_; }
  /// The loaded plan's scanner names, in the plan's order.
  [[nodiscard]] QStringList planScanners() const;
  /// Harmonizes both studies with the loaded plan in one worker job, Study A
  /// as the plan's scanner `scannerA` and Study B as `scannerB` (kernel
  /// matching to the plan's target, its isotropic grid over each study's own
  /// box, its intensity step; z-scores use the whole image). Each result is a
  /// new library entry shown in its study's slot, with Revert as for the
  /// other operations; the histograms show Study A before and after.
  void applyPlan(const QString& scannerA, const QString& scannerB);

  /// What `request` does, in a few words fit for a DICOM Series Description
  /// ("Kernel-matched to 3.6 x 3.6 x 5 mm FWHM"); a result's `derivation`.
  [[nodiscard]] static QString describe(const HarmonizeRequest& request);

 signals:
  /// A request finished; `summary` says what was done.
  void finished(const QString& summary);
  /// A request failed with a message for the user.
  void failed(const QString& message);
  /// New before/after histograms are available.
  void histogramsChanged();
  /// Revert availability changed.
  void revertChanged();
  /// A plan was loaded.
  void planChanged();

 private:
  /// Study `s` shows another entry: forget its original unless the entry is ours.
  void studyChanged(int s);

  CompareSession* session_;
  JobRunner* runner_;
  StudyExporter* exporter_;
  /// The result of `request` on `original` (without its volume): a Derived
  /// entry named for what was done ("Site A, kernel-matched"), its
  /// derivation describe(request).
  [[nodiscard]] VolumeEntry derivedEntry(const VolumeEntry& original,
                                         const HarmonizeRequest& request) const;

  std::shared_ptr<const VolumeEntry> originals_[2];  ///< entries before harmonization
  std::shared_ptr<const VolumeEntry> results_[2];    ///< the results shown in their place
  int runningStudy_ = -1;  ///< the study a running request changes (kBothStudies: a plan)
  bool showing_ = false;   ///< this controller is putting an entry into a study
  /// Puts `result` into study `s` in place of `original` (kept for Revert).
  void show(int s, const std::shared_ptr<const VolumeEntry>& original, VolumeEntry result);

  std::shared_ptr<const HarmonizationPlan> plan_;
  QString planPath_;
  std::optional<Histogram> before_;
  std::optional<Histogram> after_;
  int histogramStudy_ = 0;
};

}  // namespace harmonia
