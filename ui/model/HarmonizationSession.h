#pragma once
// The Features workspace's model: a cohort feature table, the ComBat settings chosen for it,
// one ComBat + over-harmonization-guard run in a worker, its results, and their export.
// No widgets.
//
// The table (core/combat/CohortTable.h): one row per scan. Feature columns are the columns not
// named as site, label, covariate, fit-where or ignored column most of whose non-empty cells are
// numbers; every other column is copied through on export. A feature column with a text cell is
// refused, naming the cell (it is not silently copied).
//
// run() checks the settings against the table at once (problems set message() and start
// nothing), then runs fitComBat (on the fit-where subset, then applyComBat to every scan
// when a subset is chosen), makeHarmonizationReport (when a label is chosen), the site
// effect (one-way ANOVA F of site) of every feature and a standardized PCA of all features,
// before and after, in one job of the application's JobRunner. A new run cancels the running
// one; a cancelled run delivers nothing, so result() is always that of one finished run.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/combat/CohortTable.h"
#include "core/combat/ComBat.h"
#include "core/combat/HarmonizationReport.h"
#include "core/stats/Pca.h"

namespace harmonia {

class JobRunner;

/// What the user chose for a run.
struct HarmonizationSettings {
  QString site_column;      ///< required
  QString label_column;     ///< the biology the guard protects; "" = no guard report
  QStringList covariates;   ///< protected covariates
  QStringList categorical;  ///< those of `covariates` that are categorical (others numeric)
  QString fit_where;        ///< "COL=VALUE": fit on those scans, apply to all; "" = all
  QStringList ignored;      ///< numeric columns that are not features (copied through)
  ComBatOptions combat;
  HarmonizationReportOptions guard;  ///< threshold, alpha, only-where-significant-before
};

/// Per-site five-number summary of one feature, for a box plot.
struct SiteBox {
  QString site;
  double lower_extreme = 0.0;  ///< the minimum
  double lower_quartile = 0.0;
  double median = 0.0;
  double upper_quartile = 0.0;
  double upper_extreme = 0.0;  ///< the maximum
  int count = 0;               ///< finite values
};

/// What one finished run produced.
struct HarmonizationResult {
  HarmonizationSettings settings;
  std::vector<std::string> feature_names;
  std::vector<std::size_t> feature_columns;  ///< table column of each feature
  std::vector<std::string> sites;            ///< per scan
  std::vector<std::string> site_levels;      ///< sorted
  std::vector<std::size_t> site_of;          ///< per scan, index into site_levels
  Eigen::MatrixXd before;                    ///< features × scans
  Eigen::MatrixXd after;                     ///< features × scans
  ComBatModel model;
  std::optional<HarmonizationReport> report;  ///< absent without a label
  std::vector<std::string> warnings;
  std::size_t fit_scans = 0;  ///< scans the model was fitted on
  std::vector<double> site_f_before,
      site_f_after;                 ///< ANOVA F of site per feature (NaN: undefined)
  PcaResult pca_before, pca_after;  ///< of scans × standardized features
};

/// Table, settings, run, results and export of the Features workspace.
class HarmonizationSession : public QObject {
  Q_OBJECT

 public:
  /// Jobs run on `runner` (not owned) under the key "features/combat".
  explicit HarmonizationSession(JobRunner* runner, QObject* parent = nullptr);
  /// Cancels its running job (its result would reach a deleted model).
  ~HarmonizationSession() override;
  HarmonizationSession(const HarmonizationSession&) = delete;
  HarmonizationSession& operator=(const HarmonizationSession&) = delete;

  /// Reads a table (synchronously: text only). On success the result is dropped and the
  /// settings reset to guesses (site: a column named site/batch/scanner, else none); false
  /// with message() set otherwise (the table in force stays).
  bool open(const QString& path);
  /// The table's path ("" before one is opened) and contents.
  [[nodiscard]] const QString& path() const { return path_; }
  [[nodiscard]] const CohortTable& table() const { return table_; }
  [[nodiscard]] bool hasTable() const { return !table_.header.empty(); }
  /// Every column name, in order.
  [[nodiscard]] QStringList columns() const;
  /// True when a column's cells are all numbers (or empty).
  [[nodiscard]] bool isNumericColumn(const QString& column) const;
  /// The distinct values of a column, sorted (e.g. the site levels).
  [[nodiscard]] QStringList levels(const QString& column) const;
  /// The feature columns under the current settings.
  [[nodiscard]] QStringList featureColumns() const;

  /// The settings of the next run.
  [[nodiscard]] const HarmonizationSettings& settings() const { return settings_; }
  void setSettings(const HarmonizationSettings& settings);
  void setSiteColumn(const QString& column);
  void setLabelColumn(const QString& column);
  void setCovariates(const QStringList& covariates, const QStringList& categorical);
  void setFitWhere(const QString& condition);
  /// Columns left out of the features (e.g. an age that is not protected).
  void setIgnoredColumns(const QStringList& columns);
  void setComBatOptions(const ComBatOptions& options);
  void setGuardOptions(const HarmonizationReportOptions& options);

  /// Checks the settings and starts a run (cancelling a running one). Returns whether a job
  /// started; message() says why not.
  bool run();
  /// Cancels the running job; result() stays that of the last finished run.
  void cancel();
  [[nodiscard]] bool isRunning() const { return running_; }
  /// The running job's progress in [0, 1].
  [[nodiscard]] double progress() const { return progress_; }

  /// The last finished run's result (null before one, or after opening another table).
  [[nodiscard]] const std::shared_ptr<const HarmonizationResult>& result() const { return result_; }
  /// The feature shown in the box plots (index into result()->feature_names; -1 without result).
  /// A new result keeps the feature shown by name, else shows the flagged feature that lost
  /// the most biology.
  [[nodiscard]] int selectedFeature() const { return selected_; }
  void setSelectedFeature(int feature);
  /// Per-site box summaries of a feature of the result, before or after harmonization.
  /// Quartiles by linear interpolation between order statistics (R type 7); whiskers at the
  /// minimum and maximum. Empty without a result.
  [[nodiscard]] std::vector<SiteBox> siteBoxes(int feature, bool after) const;
  /// The result's features by decreasing site effect before harmonization (ANOVA F of site;
  /// undefined F last), for the site-effect chart. Empty without a result.
  [[nodiscard]] std::vector<int> featuresBySiteEffect() const;

  /// A status line: what the last run did, or why nothing could be done ("" at first).
  [[nodiscard]] const QString& message() const { return message_; }

  /// Export of the result, atomically (core/io/AtomicFile.h); false with message() set when
  /// there is no result or the file cannot be written.
  /// The table as read with the feature cells harmonized (writeCohortTable: the shortest text
  /// that reads back to the same double; a missing value keeps its cell); every other column
  /// copied.
  bool exportHarmonized(const QString& path);
  /// The fitted model as JSON (saveComBatModel).
  bool exportModel(const QString& path);
  /// The guard report as `harmonia-cli harmonization-report --csv` writes it: one row per
  /// feature by decreasing biology lost (needs a label).
  bool exportReport(const QString& path);

 signals:
  /// A table was opened.
  void tableChanged();
  /// settings() changed.
  void settingsChanged();
  /// result() changed.
  void resultChanged();
  /// selectedFeature() changed.
  void selectedFeatureChanged(int feature);
  /// message() changed.
  void messageChanged(const QString& message);
  /// A run started or ended.
  void runningChanged(bool running);
  /// The running job's progress changed.
  void progressChanged(double fraction);

 private:
  void setMessage(const QString& message);
  void setResult(std::shared_ptr<const HarmonizationResult> result);
  /// Runs `save` (which writes `file` atomically itself) and reports the outcome in message().
  bool write(const QString& path, const QString& what,
             const std::function<void(const std::filesystem::path& file)>& save);

  QPointer<JobRunner> runner_;
  QString path_;
  CohortTable table_;
  HarmonizationSettings settings_;
  std::shared_ptr<const HarmonizationResult> result_;
  int selected_ = -1;
  QString message_;
  double progress_ = 0.0;
  bool running_ = false;
};

}  // namespace harmonia
