#include "ui/model/HarmonizationSession.h"

#include <QFileInfo>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <utility>

#include "core/combat/ComBatModel.h"
#include "core/features/FeatureTable.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/HarmonizationRun.h"

namespace harmonia {

namespace {

const QString kJobKey = QStringLiteral("features/combat");

// A number with round-trip precision (17 significant digits); "" when not finite.
std::string num(double v) {
  if (!std::isfinite(v)) {
    return {};
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A site column guessed from its name, or "".
QString guessSiteColumn(const QStringList& columns) {
  for (const char* name : {"site", "batch", "scanner", "center", "centre"}) {
    for (const QString& c : columns) {
      if (c.compare(QLatin1String(name), Qt::CaseInsensitive) == 0) {
        return c;
      }
    }
  }
  return {};
}

// Appends cells to a CSV line, separated by commas (one += at a time: GCC 12's -Wrestrict
// misfires on `"," + std::string` chains).
class CsvLine {
 public:
  explicit CsvLine(std::string& out) : out_(out) {}
  CsvLine& operator<<(const std::string& cell) {
    if (!first_) {
      out_ += ',';
    }
    out_ += cell;
    first_ = false;
    return *this;
  }
  ~CsvLine() { out_ += '\n'; }
  CsvLine(const CsvLine&) = delete;
  CsvLine& operator=(const CsvLine&) = delete;

 private:
  std::string& out_;
  bool first_ = true;
};

// The layout of `harmonia-cli harmonization-report --csv` (app/cli), so a report saved here
// and one written by the CLI read the same: one row per feature by decreasing biology lost.
std::string reportCsv(const HarmonizationResult& r) {
  const HarmonizationReport& rep = *r.report;
  std::string out;
  {
    CsvLine line(out);
    for (const char* name :
         {"feature", "samples", "fisher_before", "fisher_after", "fisher_change", "site_f_before",
          "site_f_after", "site_p_before", "site_p_after", "ks_max_before", "ks_max_after"}) {
      line << name;
    }
    for (const std::string& t : rep.labelTerms) {
      for (const char* when : {"before", "after"}) {
        for (const char* q : {"coef", "ci_lower", "ci_upper", "p"}) {
          line << features::csvCell(std::string(q) + "_" + t + "_" + when);
        }
      }
    }
    line << "biology_lost"
         << "flagged"
         << "reasons";
  }
  for (const std::size_t i : rep.orderByBiologyLost()) {
    const FeatureGuard& g = rep.features[i];
    CsvLine line(out);
    line << features::csvCell(g.feature) << std::to_string(g.samplesUsed);
    for (const double v :
         {g.before.fisherRatio, g.after.fisherRatio, g.fisherChange, g.before.siteF, g.after.siteF,
          g.before.siteP, g.after.siteP, g.before.ksMax, g.after.ksMax}) {
      line << num(v);
    }
    for (std::size_t t = 0; t < rep.labelTerms.size(); ++t) {
      for (const GuardMeasures* m : {&g.before, &g.after}) {
        const bool has = t < m->coefficients.size();
        const LabelCoefficient c = has ? m->coefficients[t] : LabelCoefficient{};
        for (const double v : {c.estimate, c.ciLower, c.ciUpper, c.p}) {
          line << (has ? num(v) : std::string());
        }
      }
    }
    std::string reasons;
    for (const std::string& reason : g.flagReasons) {
      if (!reasons.empty()) {
        reasons += "; ";
      }
      reasons += reason;
    }
    line << num(g.biologyLost) << (g.flagged ? "1" : "0") << features::csvCell(reasons);
  }
  return out;
}

std::string harmonizedCsv(const CohortCsvTable& table, const HarmonizationResult& r) {
  std::vector<int> featureOf(table.header.size(), -1);
  for (std::size_t f = 0; f < r.featureColumns.size(); ++f) {
    featureOf[r.featureColumns[f]] = static_cast<int>(f);
  }
  std::string out;
  {
    CsvLine line(out);
    for (const std::string& name : table.header) {
      line << features::csvCell(name);
    }
  }
  for (std::size_t j = 0; j < table.rows.size(); ++j) {
    CsvLine line(out);
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      line << (featureOf[c] >= 0 ? num(r.after(featureOf[c], static_cast<Eigen::Index>(j)))
                                 : features::csvCell(table.rows[j][c]));
    }
  }
  return out;
}

void writeText(const std::string& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out.flush()) {
    throw InputError(file, "write failed");
  }
}

}  // namespace

HarmonizationSession::HarmonizationSession(JobRunner* runner, QObject* parent)
    : QObject(parent), runner_(runner) {
  connect(runner_, &JobRunner::progressChanged, this,
          [this](const QString& key, const QString&, double fraction) {
            if (key != kJobKey) {
              return;
            }
            progress_ = fraction;
            emit progressChanged(fraction);
          });
  connect(runner_, &JobRunner::jobFinished, this, [this](const QString& key, JobRunner::Outcome) {
    if (key != kJobKey) {
      return;
    }
    const bool running = runner_->isRunning(kJobKey);
    if (running == running_) {
      return;
    }
    running_ = running;
    emit runningChanged(running_);
  });
}

HarmonizationSession::~HarmonizationSession() {
  if (runner_) {
    runner_->cancel(kJobKey);
  }
}

bool HarmonizationSession::open(const QString& path) {
  try {
    CohortCsvTable table = readCohortCsvTable(path.toStdString());
    cancel();
    table_ = std::move(table);
  } catch (const std::exception& e) {
    setMessage(QString::fromStdString(e.what()));
    return false;
  }
  path_ = path;
  settings_ = HarmonizationSettings{};
  settings_.siteColumn = guessSiteColumn(columns());
  setResult(nullptr);
  emit tableChanged();
  emit settingsChanged();
  setMessage(tr("%1: %2 scans, %3 columns")
                 .arg(QFileInfo(path).fileName())
                 .arg(table_.rows.size())
                 .arg(table_.header.size()));
  return true;
}

QStringList HarmonizationSession::columns() const {
  QStringList out;
  for (const std::string& c : table_.header) {
    out << QString::fromStdString(c);
  }
  return out;
}

bool HarmonizationSession::isNumericColumn(const QString& column) const {
  const auto c = table_.column(column.toStdString());
  return c && table_.isNumeric(*c);
}

QStringList HarmonizationSession::levels(const QString& column) const {
  const auto c = table_.column(column.toStdString());
  if (!c) {
    return {};
  }
  std::set<std::string> seen;
  for (const auto& row : table_.rows) {
    seen.insert(row[*c]);
  }
  QStringList out;
  for (const std::string& s : seen) {
    out << QString::fromStdString(s);
  }
  return out;
}

QStringList HarmonizationSession::featureColumns() const {
  QStringList out;
  for (std::size_t c : featureColumnsOf(table_, settings_)) {
    out << QString::fromStdString(table_.header[c]);
  }
  return out;
}

void HarmonizationSession::setSettings(const HarmonizationSettings& settings) {
  settings_ = settings;
  emit settingsChanged();
}

void HarmonizationSession::setSiteColumn(const QString& column) {
  if (settings_.siteColumn == column) {
    return;
  }
  settings_.siteColumn = column;
  settings_.combat.referenceSite.reset();  // a level of the previous column
  emit settingsChanged();
}

void HarmonizationSession::setLabelColumn(const QString& column) {
  if (settings_.labelColumn == column) {
    return;
  }
  settings_.labelColumn = column;
  emit settingsChanged();
}

void HarmonizationSession::setCovariates(const QStringList& covariates,
                                         const QStringList& categorical) {
  settings_.covariates = covariates;
  settings_.categorical = categorical;
  emit settingsChanged();
}

void HarmonizationSession::setFitWhere(const QString& condition) {
  if (settings_.fitWhere == condition) {
    return;
  }
  settings_.fitWhere = condition;
  emit settingsChanged();
}

void HarmonizationSession::setIgnoredColumns(const QStringList& columns) {
  if (settings_.ignored == columns) {
    return;
  }
  settings_.ignored = columns;
  emit settingsChanged();
}

void HarmonizationSession::setGuardOptions(const HarmonizationReportOptions& options) {
  settings_.guard = options;
  emit settingsChanged();
}

void HarmonizationSession::setComBatOptions(const ComBatOptions& options) {
  settings_.combat = options;
  emit settingsChanged();
}

bool HarmonizationSession::run() {
  if (!runner_) {
    return false;
  }
  HarmonizationInput input;
  try {
    input = prepareHarmonization(table_, settings_);
  } catch (const std::exception& e) {
    setMessage(QString::fromStdString(e.what()));
    return false;
  }
  const QString name = QFileInfo(path_).fileName();
  const auto features = input.featureNames.size();
  const auto scans = input.sites.size();
  runner_->run(
      kJobKey, tr("Harmonizing %1").arg(name),
      [in = std::move(input)](Progress& p) {
        return std::make_shared<const HarmonizationResult>(computeHarmonization(in, p));
      },
      [this, features, scans](std::shared_ptr<const HarmonizationResult> r) {
        QString text = tr("Harmonized %1 features of %2 scans (%3 sites)")
                           .arg(features)
                           .arg(scans)
                           .arg(r->siteLevels.size());
        if (r->report) {
          text += tr("; %1 flagged by the guard").arg(r->report->flaggedCount);
        }
        if (!r->warnings.empty()) {
          text += tr("; %1 warning(s): %2")
                      .arg(r->warnings.size())
                      .arg(QString::fromStdString(r->warnings.front()));
        }
        setResult(std::move(r));
        setMessage(text);
      },
      [this](const QString& error) { setMessage(tr("Harmonization failed: %1").arg(error)); });
  progress_ = 0.0;
  if (!running_) {
    running_ = true;
    emit runningChanged(true);
  }
  setMessage(tr("Harmonizing %1 features of %2 scans...").arg(features).arg(scans));
  return true;
}

void HarmonizationSession::cancel() {
  if (runner_ && runner_->isRunning(kJobKey)) {
    runner_->cancel(kJobKey);
    setMessage(tr("Cancelled"));
  }
}

void HarmonizationSession::setSelectedFeature(int feature) {
  const int count = result_ ? static_cast<int>(result_->featureNames.size()) : 0;
  const int f = feature >= 0 && feature < count ? feature : (count > 0 ? 0 : -1);
  if (f == selected_) {
    return;
  }
  selected_ = f;
  emit selectedFeatureChanged(selected_);
}

std::vector<SiteBox> HarmonizationSession::siteBoxes(int feature, bool after) const {
  if (!result_) {
    return {};
  }
  return siteBoxesOf(after ? result_->after : result_->before, feature, result_->siteLevels,
                     result_->siteOf);
}

std::vector<int> HarmonizationSession::featuresBySiteEffect() const {
  std::vector<int> order;
  if (!result_) {
    return order;
  }
  const auto& f = result_->siteFBefore;
  for (std::size_t i = 0; i < f.size(); ++i) {
    order.push_back(static_cast<int>(i));
  }
  const auto key = [&f](int i) {
    const double v = f[static_cast<std::size_t>(i)];
    return std::isfinite(v) ? v : -HUGE_VAL;
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) > key(b); });
  return order;
}

void HarmonizationSession::setMessage(const QString& message) {
  if (message == message_) {
    return;
  }
  message_ = message;
  emit messageChanged(message_);
}

void HarmonizationSession::setResult(std::shared_ptr<const HarmonizationResult> result) {
  const QString previous =
      result_ && selected_ >= 0
          ? QString::fromStdString(result_->featureNames[static_cast<std::size_t>(selected_)])
          : QString();
  result_ = std::move(result);
  selected_ = -1;
  // Keep the feature shown; else show the flagged one that lost the most biology (or, with
  // none flagged, the one that lost the most).
  int keep = 0;
  if (result_ && result_->report && !result_->report->features.empty()) {
    const auto order = result_->report->orderByBiologyLost();
    keep = static_cast<int>(order.front());
    for (const std::size_t f : order) {
      if (result_->report->features[f].flagged) {
        keep = static_cast<int>(f);
        break;
      }
    }
  }
  if (result_) {
    for (std::size_t f = 0; f < result_->featureNames.size(); ++f) {
      if (QString::fromStdString(result_->featureNames[f]) == previous) {
        keep = static_cast<int>(f);
      }
    }
  }
  emit resultChanged();
  setSelectedFeature(result_ ? keep : -1);
  if (!result_) {
    emit selectedFeatureChanged(-1);
  }
}

bool HarmonizationSession::write(const QString& path, const QString& what,
                                 const std::function<void(const std::string& tmp)>& writer) {
  if (!result_) {
    setMessage(tr("Nothing to export yet: run the harmonization first"));
    return false;
  }
  try {
    writeAtomically(path.toStdString(),
                    [&](const std::filesystem::path& tmp) { writer(tmp.string()); });
  } catch (const std::exception& e) {
    setMessage(tr("Could not save the %1: %2").arg(what, QString::fromStdString(e.what())));
    return false;
  }
  setMessage(tr("Saved the %1 to %2").arg(what, path));
  return true;
}

bool HarmonizationSession::exportHarmonized(const QString& path) {
  const auto r = result_;
  return write(path, tr("harmonized table"),
               [this, r](const std::string& tmp) { writeText(tmp, harmonizedCsv(table_, *r)); });
}

bool HarmonizationSession::exportModel(const QString& path) {
  const auto r = result_;
  return write(path, tr("model"), [r](const std::string& tmp) { saveComBatModel(r->model, tmp); });
}

bool HarmonizationSession::exportReport(const QString& path) {
  if (result_ && !result_->report) {
    setMessage(tr("No guard report: choose a label column and run again"));
    return false;
  }
  const auto r = result_;
  return write(path, tr("guard report"),
               [r](const std::string& tmp) { writeText(tmp, reportCsv(*r)); });
}

}  // namespace harmonia
