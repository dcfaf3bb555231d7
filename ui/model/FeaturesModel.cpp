#include "ui/model/FeaturesModel.h"

#include <QFileInfo>
#include <QHash>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <utility>

#include "core/features/Extractor.h"
#include "core/features/FeatureConfig.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"
#include "ui/jobs/JobRunner.h"

namespace harmonia {

namespace {

// What one extraction job computes: a study's volume and ROI mask.
struct JobInput {
  int index = 0;
  std::shared_ptr<const Volume> volume;
  std::shared_ptr<const MaskVolume> mask;
  std::string label;  ///< "ROI 'GTV' of Study A", for messages
};

using JobOutput = std::array<std::optional<features::FeatureSet>, 2>;

// Extracts each input's features in turn; throws (nothing is returned) on
// cancel or on the first failure, so a job yields all its results or none.
JobOutput extractAll(const std::vector<JobInput>& inputs, const features::FeatureSettings& settings,
                     Progress& progress) {
  JobOutput out;
  const double share = 1.0 / static_cast<double>(inputs.size());
  for (std::size_t n = 0; n < inputs.size(); ++n) {
    const JobInput& in = inputs[n];
    if (in.mask->geometry().size != in.volume->geometry().size) {
      throw InputError(in.label + " is not on the study's grid");
    }
    const auto voxels = in.mask->voxels();
    if (std::none_of(voxels.begin(), voxels.end(), [](std::uint8_t v) { return v != 0; })) {
      throw InputError(in.label + " is empty: it holds no voxel, so it has no features");
    }
    SubProgress sub(progress, share * static_cast<double>(n), share * static_cast<double>(n + 1));
    try {
      out[static_cast<std::size_t>(in.index)] =
          features::extractFeatures(*in.volume, *in.mask, settings, sub);
    } catch (const Cancelled&) {
      throw;
    } catch (const std::exception& e) {
      throw InputError(in.label + ": " + e.what());
    }
  }
  return out;
}

QString csvField(const QString& s) {
  if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
      !s.contains(QLatin1Char('\n'))) {
    return s;
  }
  QString quoted = s;
  quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvNumber(double v) {
  return std::isfinite(v) ? QString::number(v, 'g', 17) : QStringLiteral("NaN");
}

QString featureValue(const std::optional<features::Feature>& f) {
  return f && f->defined() ? csvNumber(f->value) : QStringLiteral("NaN");
}

}  // namespace

FeaturesModel::FeaturesModel(JobRunner* runner, QString jobKey, QObject* parent)
    : QObject(parent), runner_(runner), jobKey_(std::move(jobKey)) {
  setPreset(QStringLiteral("C"));
  connect(runner_, &JobRunner::progressChanged, this,
          [this](const QString& key, const QString&, double fraction) {
            if (key != jobKey_) return;
            progress_ = fraction;
            emit progressChanged(fraction);
          });
  connect(runner_, &JobRunner::jobFinished, this, [this](const QString& key, JobRunner::Outcome) {
    if (key != jobKey_) return;
    const bool running = runner_->isRunning(jobKey_);
    if (running == running_) return;
    running_ = running;
    emit runningChanged(running_);
  });
}

FeaturesModel::~FeaturesModel() {
  if (runner_) runner_->cancel(jobKey_);
}

void FeaturesModel::setStudyCount(int count) {
  studyCount_ = std::clamp(count, 1, 2);
  if (studyCount_ == 1) {
    studies_[1] = Study{};
    dropResult(1);
  }
  emit studiesChanged();
}

void FeaturesModel::setStudy(int index, std::shared_ptr<const Volume> volume, const QString& name,
                             std::vector<Roi> rois) {
  Study& s = studies_[static_cast<std::size_t>(index)];
  const QString chosen = s.roi >= 0 && s.roi < static_cast<int>(s.rois.size())
                             ? s.rois[static_cast<std::size_t>(s.roi)].name
                             : QString();
  const bool sameVolume = s.volume == volume;
  s.volume = std::move(volume);
  s.name = name;
  s.rois = std::move(rois);
  s.roi = s.rois.empty() ? -1 : 0;
  for (std::size_t r = 0; r < s.rois.size(); ++r) {
    if (s.rois[r].name == chosen) s.roi = static_cast<int>(r);
  }
  const bool sameMask = s.roi >= 0 && s.rois[static_cast<std::size_t>(s.roi)].mask == s.result_mask;
  if (!sameVolume || !sameMask) dropResult(index);
  emit studiesChanged();
}

void FeaturesModel::setRoi(int index, int roi) {
  Study& s = studies_[static_cast<std::size_t>(index)];
  s.roi = roi >= 0 && roi < static_cast<int>(s.rois.size()) ? roi : -1;
  if (s.roi < 0 || s.rois[static_cast<std::size_t>(s.roi)].mask != s.result_mask) {
    dropResult(index);
  }
  if (index == 0 && s.roi >= 0 && studyCount_ == 2) {
    // The same structure in B, when it has one by that name.
    const QString& name = s.rois[static_cast<std::size_t>(s.roi)].name;
    const auto& other = studies_[1].rois;
    for (std::size_t r = 0; r < other.size(); ++r) {
      if (other[r].name == name && studies_[1].roi != static_cast<int>(r)) {
        setRoi(1, static_cast<int>(r));
        return;  // that call emits studiesChanged
      }
    }
  }
  emit studiesChanged();
}

bool FeaturesModel::setPreset(const QString& name) {
  try {
    settings_ = features::ibsiPreset(name.toStdString());
  } catch (const std::exception& e) {
    setMessage(QString::fromStdString(e.what()));
    return false;
  }
  settingsLabel_ = tr("IBSI %1").arg(name);
  dropAllResults();
  emit settingsChanged();
  return true;
}

bool FeaturesModel::loadSettingsFile(const QString& path) {
  try {
    settings_ = features::readFeatureSettings(path.toStdString());
  } catch (const std::exception& e) {
    setMessage(QString::fromStdString(e.what()));
    return false;
  }
  settingsLabel_ = QFileInfo(path).fileName();
  dropAllResults();
  emit settingsChanged();
  return true;
}

QStringList FeaturesModel::presetNames() {
  QStringList names;
  for (const std::string& n : features::ibsiPresetNames()) names << QString::fromStdString(n);
  return names;
}

QString FeaturesModel::studyLabel(int index) const {
  if (studyCount_ == 1) return studies_[0].name.isEmpty() ? tr("the series") : studies_[0].name;
  return index == 0 ? tr("Study A") : tr("Study B");
}

bool FeaturesModel::compute(Target target) {
  std::vector<JobInput> inputs;
  QStringList problems;
  for (int i = 0; i < studyCount_; ++i) {
    if (studyCount_ == 2 && ((target == Target::A && i == 1) || (target == Target::B && i == 0))) {
      continue;
    }
    const Study& s = studies_[static_cast<std::size_t>(i)];
    if (!s.volume) {
      if (target != Target::Both) problems << tr("%1 has no volume loaded.").arg(studyLabel(i));
      continue;
    }
    if (s.roi < 0) {
      problems << (s.rois.empty()
                       ? tr("%1 has no ROI: load a series with an RTSTRUCT%2.")
                             .arg(studyLabel(i), studyCount_ == 2
                                                     ? tr(", or place a sphere or box under ROI "
                                                          "statistics")
                                                     : QString())
                       : tr("Choose an ROI of %1.").arg(studyLabel(i)));
      continue;
    }
    const Roi& roi = s.rois[static_cast<std::size_t>(s.roi)];
    if (!roi.mask) {
      problems << tr("ROI '%1' of %2 has no mask.").arg(roi.name, studyLabel(i));
      continue;
    }
    inputs.push_back(
        {i, s.volume, roi.mask, tr("ROI '%1' of %2").arg(roi.name, studyLabel(i)).toStdString()});
  }
  if (!problems.isEmpty() || inputs.empty()) {
    setMessage(problems.isEmpty() ? tr("Load a study first.") : problems.join(QLatin1Char(' ')));
    return false;
  }
  progress_ = 0.0;
  emit progressChanged(0.0);
  setMessage(tr("Computing the features (%1)...").arg(settingsLabel_));
  const features::FeatureSettings settings = settings_;
  runner_->run(
      jobKey_, tr("Radiomic features"),
      [inputs, settings](Progress& p) { return extractAll(inputs, settings, p); },
      [this, inputs](JobOutput out) {
        // Inputs that changed while the job ran make its results stale.
        QStringList done;
        for (const JobInput& in : inputs) {
          Study& s = studies_[static_cast<std::size_t>(in.index)];
          const bool current = s.volume == in.volume && s.roi >= 0 &&
                               s.rois[static_cast<std::size_t>(s.roi)].mask == in.mask;
          if (!current) continue;
          results_[static_cast<std::size_t>(in.index)] =
              std::move(out[static_cast<std::size_t>(in.index)]);
          s.result_mask = in.mask;
          done << QString::fromStdString(in.label);
        }
        emit resultsChanged();
        setMessage(done.isEmpty() ? tr("The study or ROI changed during the computation: "
                                       "compute again.")
                                  : tr("%1 (%2).").arg(done.join(tr(" and ")), settingsLabel_));
      },
      [this](const QString& error) { setMessage(error); });
  if (!running_) {
    running_ = true;
    emit runningChanged(true);
  }
  return true;
}

void FeaturesModel::cancel() {
  if (!runner_->isRunning(jobKey_)) return;
  runner_->cancel(jobKey_);
  setMessage(tr("Cancelled; the results are as they were."));
}

bool FeaturesModel::isRunning() const { return running_; }

void FeaturesModel::setFilter(const QString& text) {
  if (text == filter_) return;
  filter_ = text;
  emit filterChanged();
}

std::vector<FeatureRow> FeaturesModel::rows() const {
  std::vector<FeatureRow> out;
  const auto& a = results_[0];
  const auto& b = studyCount_ == 2 ? results_[1] : std::optional<features::FeatureSet>{};
  QHash<QString, std::size_t> rowOf;
  const auto addSet = [&](const features::FeatureSet& set, bool isA) {
    for (const features::Feature& f : set.features()) {
      const QString tag = QString::fromStdString(f.tag);
      auto it = rowOf.find(tag);
      if (it == rowOf.end()) {
        it = rowOf.insert(tag, out.size());
        out.push_back({tag, QString::fromStdString(f.family), QString::fromStdString(f.aggregation),
                       std::nullopt, std::nullopt, 0.0, 0.0, QString()});
      }
      (isA ? out[*it].a : out[*it].b) = f;
    }
  };
  if (a) addSet(*a, true);
  if (b) addSet(*b, false);
  for (FeatureRow& r : out) {
    if (!r.a || !r.b) {
      r.diff_reason = tr("needs both studies");
    } else if (!r.a->defined() || !r.b->defined()) {
      r.diff_reason = tr("undefined in %1")
                          .arg(!r.a->defined() && !r.b->defined() ? tr("A and B")
                               : !r.a->defined()                  ? tr("A")
                                                                  : tr("B"));
    } else {
      r.diff = r.a->value - r.b->value;
      const double scale = 0.5 * (std::abs(r.a->value) + std::abs(r.b->value));
      // (A − B) / mean(|A|, |B|): 0 when A = B, even when both are 0.
      r.rel_diff = r.diff == 0.0 ? 0.0 : r.diff / scale;
    }
  }
  return out;
}

std::vector<FeatureRow> FeaturesModel::filteredRows() const {
  std::vector<FeatureRow> all = rows();
  const QString f = filter_.trimmed();
  if (f.isEmpty()) return all;
  std::vector<FeatureRow> out;
  for (FeatureRow& r : all) {
    if (r.tag.contains(f, Qt::CaseInsensitive) || r.family.contains(f, Qt::CaseInsensitive) ||
        familyTitle(r.family).contains(f, Qt::CaseInsensitive) ||
        r.aggregation.contains(f, Qt::CaseInsensitive)) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

void FeaturesModel::exportCsv(const QString& path) const {
  const bool withB = studyCount_ == 2 && results_[1].has_value();
  QString text = QStringLiteral("tag,family,aggregation,value_A");
  if (withB) text += QStringLiteral(",value_B,diff,rel_diff");
  text += QStringLiteral(",undefined_reason\n");
  for (const FeatureRow& r : rows()) {
    QStringList fields{csvField(r.tag), csvField(r.family), csvField(r.aggregation),
                       featureValue(r.a)};
    QStringList reasons;
    if (r.a && !r.a->defined()) {
      reasons << QStringLiteral("A: ") + QString::fromStdString(r.a->reason);
    }
    if (!r.a) reasons << QStringLiteral("A: not computed");
    if (withB) {
      fields << featureValue(r.b);
      fields << (r.diff_reason.isEmpty() ? csvNumber(r.diff) : QStringLiteral("NaN"));
      fields << (r.diff_reason.isEmpty() ? csvNumber(r.rel_diff) : QStringLiteral("NaN"));
      if (r.b && !r.b->defined()) {
        reasons << QStringLiteral("B: ") + QString::fromStdString(r.b->reason);
      }
      if (!r.b) reasons << QStringLiteral("B: not computed");
    }
    fields << csvField(reasons.join(QStringLiteral("; ")));
    text += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
  }
  const QByteArray bytes = text.toUtf8();
  writeAtomically(path.toStdString(), [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.constData(), bytes.size());
    out.close();
    if (!out) throw InputError(tmp, "cannot write the CSV file");
  });
}

QString FeaturesModel::familyTitle(const QString& key) {
  static const QHash<QString, QString> titles = {
      {QStringLiteral("morphology"), tr("Morphology")},
      {QStringLiteral("local_intensity"), tr("Local intensity")},
      {QStringLiteral("intensity_statistics"), tr("Intensity statistics")},
      {QStringLiteral("intensity_histogram"), tr("Intensity histogram")},
      {QStringLiteral("intensity_volume_histogram"), tr("Intensity-volume histogram")},
      {QStringLiteral("glcm"), tr("GLCM")},
      {QStringLiteral("glrlm"), tr("GLRLM")},
      {QStringLiteral("glszm"), tr("GLSZM")},
      {QStringLiteral("gldzm"), tr("GLDZM")},
      {QStringLiteral("ngtdm"), tr("NGTDM")},
      {QStringLiteral("ngldm"), tr("NGLDM")},
      {QStringLiteral("diagnostics"), tr("Diagnostics")},
  };
  return titles.value(key, key);
}

void FeaturesModel::setMessage(const QString& message) {
  if (message == message_) return;
  message_ = message;
  emit messageChanged();
}

void FeaturesModel::dropResult(int index) {
  auto& r = results_[static_cast<std::size_t>(index)];
  studies_[static_cast<std::size_t>(index)].result_mask.reset();
  if (!r) return;
  r.reset();
  emit resultsChanged();
}

void FeaturesModel::dropAllResults() {
  if (runner_->isRunning(jobKey_)) runner_->cancel(jobKey_);
  dropResult(0);
  dropResult(1);
}

}  // namespace harmonia
