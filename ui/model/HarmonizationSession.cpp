#include "ui/model/HarmonizationSession.h"

#include <QFileInfo>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <utility>

#include "core/combat/ComBatModel.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"
#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/HarmonizationRun.h"

namespace harmonia {

namespace {

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

void writeText(const std::filesystem::path& file, const std::string& text) {
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
            if (key != jobkey::kCombat) {
              return;
            }
            progress_ = fraction;
            emit progressChanged(fraction);
          });
  connect(runner_, &JobRunner::jobFinished, this, [this](const QString& key, JobRunner::Outcome) {
    if (key != jobkey::kCombat) {
      return;
    }
    const bool running = runner_->isRunning(jobkey::kCombat);
    if (running == running_) {
      return;
    }
    running_ = running;
    emit runningChanged(running_);
  });
}

HarmonizationSession::~HarmonizationSession() {
  if (runner_) {
    runner_->cancel(jobkey::kCombat);
  }
}

bool HarmonizationSession::open(const QString& path) {
  try {
    CohortTable table = readCohortTable(path.toStdString());
    cancel();
    table_ = std::move(table);
  } catch (const std::exception& e) {
    setMessage(QString::fromStdString(e.what()));
    return false;
  }
  path_ = path;
  settings_ = HarmonizationSettings{};
  settings_.site_column = guessSiteColumn(columns());
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
  const auto c = table_.findColumn(column.toStdString());
  return c && table_.isNumeric(*c);
}

QStringList HarmonizationSession::levels(const QString& column) const {
  const auto c = table_.findColumn(column.toStdString());
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
  if (settings_.site_column == column) {
    return;
  }
  settings_.site_column = column;
  settings_.combat.reference_site.reset();  // a level of the previous column
  emit settingsChanged();
}

void HarmonizationSession::setLabelColumn(const QString& column) {
  if (settings_.label_column == column) {
    return;
  }
  settings_.label_column = column;
  emit settingsChanged();
}

void HarmonizationSession::setCovariates(const QStringList& covariates,
                                         const QStringList& categorical) {
  settings_.covariates = covariates;
  settings_.categorical = categorical;
  emit settingsChanged();
}

void HarmonizationSession::setFitWhere(const QString& condition) {
  if (settings_.fit_where == condition) {
    return;
  }
  settings_.fit_where = condition;
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
  const auto features = input.feature_names.size();
  const auto scans = input.sites.size();
  runner_->run(
      jobkey::kCombat, tr("Harmonizing %1").arg(name),
      [in = std::move(input)](Progress& p) {
        return std::make_shared<const HarmonizationResult>(computeHarmonization(in, p));
      },
      [this, features, scans](std::shared_ptr<const HarmonizationResult> r) {
        QString text = tr("Harmonized %1 features of %2 scans (%3 sites)")
                           .arg(features)
                           .arg(scans)
                           .arg(r->site_levels.size());
        if (r->report) {
          text += tr("; %1 flagged by the guard").arg(r->report->flagged_count);
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
  if (runner_ && runner_->isRunning(jobkey::kCombat)) {
    runner_->cancel(jobkey::kCombat);
    setMessage(tr("Cancelled"));
  }
}

void HarmonizationSession::setSelectedFeature(int feature) {
  const int count = result_ ? static_cast<int>(result_->feature_names.size()) : 0;
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
  return siteBoxesOf(after ? result_->after : result_->before, feature, result_->site_levels,
                     result_->site_of);
}

std::vector<int> HarmonizationSession::featuresBySiteEffect() const {
  std::vector<int> order;
  if (!result_) {
    return order;
  }
  const auto& f = result_->site_f_before;
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
          ? QString::fromStdString(result_->feature_names[static_cast<std::size_t>(selected_)])
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
    for (std::size_t f = 0; f < result_->feature_names.size(); ++f) {
      if (QString::fromStdString(result_->feature_names[f]) == previous) {
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

bool HarmonizationSession::write(
    const QString& path, const QString& what,
    const std::function<void(const std::filesystem::path& file)>& save) {
  if (!result_) {
    setMessage(tr("Nothing to export yet: run the harmonization first"));
    return false;
  }
  try {
    save(path.toStdString());
  } catch (const std::exception& e) {
    setMessage(tr("Could not save the %1: %2").arg(what, QString::fromStdString(e.what())));
    return false;
  }
  setMessage(tr("Saved the %1 to %2").arg(what, path));
  return true;
}

bool HarmonizationSession::exportHarmonized(const QString& path) {
  const auto r = result_;
  return write(path, tr("harmonized table"), [this, r](const std::filesystem::path& file) {
    writeCohortTable(table_, r->feature_columns, r->after, file);
  });
}

bool HarmonizationSession::exportModel(const QString& path) {
  const auto r = result_;
  return write(path, tr("model"), [r](const std::filesystem::path& file) {
    writeAtomically(file,
                    [&](const std::filesystem::path& tmp) { saveComBatModel(r->model, tmp); });
  });
}

bool HarmonizationSession::exportReport(const QString& path) {
  if (result_ && !result_->report) {
    setMessage(tr("No guard report: choose a label column and run again"));
    return false;
  }
  const auto r = result_;
  return write(path, tr("guard report"), [r](const std::filesystem::path& file) {
    writeAtomically(file, [&](const std::filesystem::path& tmp) {
      writeText(tmp, harmonizationReportCsv(*r->report));
    });
  });
}

}  // namespace harmonia
