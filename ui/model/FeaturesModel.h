#pragma once
// The Features panel's model: IBSI radiomic features of one ROI of one or two
// studies (Studies: the series viewed; Compare: Study A and Study B), their
// differences, a text filter and CSV export. No widgets.
//
// Each study has a volume and a list of ROIs on its grid (RTSTRUCT ROIs, and
// in Compare the ROI statistics' sphere or box placed on each study). The
// settings are an IBSI 1 benchmark preset (phantom, A to E; default C, the
// 3-D CT configuration) or a settings file (FeatureConfig.h). compute() runs
// core::extractFeatures in a worker of the application's JobRunner, for A, B
// or both in one job: a new request cancels the running one, and a cancelled
// job delivers nothing, so the results are always those of one finished
// extraction. A result is dropped as soon as what it was computed from
// changes (the settings, the study's volume or its chosen ROI's mask).
//
// Differences: diff = A − B; rel. diff = (A − B) / mean(|A|, |B|), the
// symmetric relative difference (defined even when B is 0; 0 when A = B).
// A feature that is undefined in either study has no difference, and rows
// carry the reason (FeatureSet.h), never a number.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "core/features/FeatureSet.h"
#include "core/features/FeatureSettings.h"
#include "core/image/Volume.h"
#include "ui/model/Roi.h"

namespace harmonia {

class JobRunner;

/// One feature of the table: A's and B's values and their differences.
struct FeatureRow {
  QString tag;                         ///< IBSI tag ("stat_mean")
  QString family;                      ///< family key ("intensity_statistics", "diagnostics")
  QString aggregation;                 ///< "", "3D_avg", ...
  std::optional<features::Feature> a;  ///< absent when A has no result or lacks the tag
  std::optional<features::Feature> b;
  double diff = 0.0;      ///< A − B; meaningful when diff_reason is empty
  double rel_diff = 0.0;  ///< (A − B) / mean(|A|, |B|); meaningful when diff_reason is empty
  QString diff_reason;    ///< why there is no difference ("" when there is one)
};

/// Settings, ROI choice, extraction jobs and results of the Features panel.
class FeaturesModel : public QObject {
  Q_OBJECT

 public:
  /// Which studies a computation is for.
  enum class Target { A, B, Both };
  Q_ENUM(Target)

  /// Jobs run on `runner` (not owned) under `jobKey` (unique per model).
  FeaturesModel(JobRunner* runner, QString jobKey, QObject* parent = nullptr);
  /// Cancels its running extraction (its result would reach a deleted model).
  ~FeaturesModel() override;
  FeaturesModel(const FeaturesModel&) = delete;
  FeaturesModel& operator=(const FeaturesModel&) = delete;

  /// Number of studies (1 in Studies, 2 in Compare; default 2).
  void setStudyCount(int count);
  [[nodiscard]] int studyCount() const { return studyCount_; }

  /// Sets study `index`'s volume, name and ROIs (all on the volume's grid).
  /// The chosen ROI is kept by name when still there, else the first one.
  void setStudy(int index, std::shared_ptr<const Volume> volume, const QString& name,
                std::vector<Roi> rois);
  [[nodiscard]] const std::shared_ptr<const Volume>& volume(int index) const {
    return studies_[static_cast<std::size_t>(index)].volume;
  }
  [[nodiscard]] const QString& studyName(int index) const {
    return studies_[static_cast<std::size_t>(index)].name;
  }
  /// Study `index`'s ROIs.
  [[nodiscard]] const std::vector<Roi>& rois(int index) const {
    return studies_[static_cast<std::size_t>(index)].rois;
  }
  /// Chooses ROI `roi` of study `index` (-1: none). Choosing one of A's ROIs
  /// also chooses B's ROI of the same name, when B has one.
  void setRoi(int index, int roi);
  [[nodiscard]] int roiIndex(int index) const {
    return studies_[static_cast<std::size_t>(index)].roi;
  }

  /// Uses an IBSI preset ("phantom", "A".."E"); false (message set) when unknown.
  bool setPreset(const QString& name);
  /// Uses a settings file; false (message set, settings unchanged) when it cannot be read.
  bool loadSettingsFile(const QString& path);
  /// The settings in force, and a label for them ("IBSI C", "file.json").
  [[nodiscard]] const features::FeatureSettings& settings() const { return settings_; }
  [[nodiscard]] const QString& settingsLabel() const { return settingsLabel_; }
  /// The preset names, in order.
  [[nodiscard]] static QStringList presetNames();

  /// Starts the extraction for `target` (Both: each study with a volume);
  /// cancels a running one. Problems found before starting (no volume, no
  /// ROI) set message() and start nothing; returns whether a job started.
  bool compute(Target target);
  /// Cancels the running extraction; results stay as they were before it.
  void cancel();
  /// True while an extraction runs.
  [[nodiscard]] bool isRunning() const;
  /// The running extraction's progress in [0, 1].
  [[nodiscard]] double progress() const { return progress_; }

  /// Study `index`'s features (absent before computing or after a change).
  [[nodiscard]] const std::optional<features::FeatureSet>& result(int index) const {
    return results_[static_cast<std::size_t>(index)];
  }
  /// A status line: what was computed, or why nothing could be ("" at first).
  [[nodiscard]] const QString& message() const { return message_; }

  /// Case-insensitive text matched against tag, family and aggregation ("" shows all).
  void setFilter(const QString& text);
  [[nodiscard]] const QString& filter() const { return filter_; }
  /// Every feature of the results: A's order, then B's tags that A lacks.
  [[nodiscard]] std::vector<FeatureRow> rows() const;
  /// The rows matching the filter.
  [[nodiscard]] std::vector<FeatureRow> filteredRows() const;

  /// Writes every row as CSV (columns tag,family,aggregation,value_A and, when
  /// B has a result, value_B,diff,rel_diff; then undefined_reason), atomically.
  /// Undefined values are written as NaN with their reason. Throws InputError.
  void exportCsv(const QString& path) const;

  /// Display name of a family key ("glcm" → "GLCM", "diagnostics" → "Diagnostics").
  [[nodiscard]] static QString familyTitle(const QString& key);

 signals:
  /// The studies or their ROIs changed.
  void studiesChanged();
  /// The settings changed.
  void settingsChanged();
  /// results() changed (computed or dropped).
  void resultsChanged();
  /// The filter changed.
  void filterChanged();
  /// message() changed.
  void messageChanged();
  /// An extraction started or ended.
  void runningChanged(bool running);
  /// The running extraction's progress changed.
  void progressChanged(double fraction);

 private:
  struct Study {
    std::shared_ptr<const Volume> volume;
    QString name;
    std::vector<Roi> rois;
    int roi = -1;
    std::shared_ptr<const MaskVolume> result_mask;  ///< the mask results_ was computed on
  };

  void setMessage(const QString& message);
  void dropResult(int index);
  void dropAllResults();
  [[nodiscard]] QString studyLabel(int index) const;

  QPointer<JobRunner> runner_;
  QString jobKey_;
  int studyCount_ = 2;
  std::array<Study, 2> studies_;
  features::FeatureSettings settings_;
  QString settingsLabel_;
  std::array<std::optional<features::FeatureSet>, 2> results_;
  QString message_;
  QString filter_;
  double progress_ = 0.0;
  bool running_ = false;
};

}  // namespace harmonia
