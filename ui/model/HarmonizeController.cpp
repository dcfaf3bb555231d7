#include "ui/model/HarmonizeController.h"

#include <QFileInfo>
#include <algorithm>

#include "core/image/MetaDataKeys.h"
#include "core/image/RoiShapes.h"
#include "core/measure/HarmonizationPlan.h"
#include "core/stats/Quantiles.h"
#include "core/util/Error.h"
#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompareSession.h"
#include "ui/model/StudyExporter.h"
#include "ui/model/VectorText.h"

namespace harmonia {

namespace {

constexpr int kBothStudies = 2;  // runningStudy_ of a plan, which changes both studies

// "6 mm" when the axes agree, else "3.6 x 3.6 x 5 mm".
QString mm(const Eigen::Vector3d& v) {
  if (v.x() == v.y() && v.y() == v.z()) return QStringLiteral("%1 mm").arg(v.x(), 0, 'g', 3);
  return QStringLiteral("%1 x %2 x %3 mm")
      .arg(v.x(), 0, 'g', 3)
      .arg(v.y(), 0, 'g', 3)
      .arg(v.z(), 0, 'g', 3);
}

struct Outcome {
  Volume volume;
  QString summary;
  Histogram before;
  Histogram after;
};

Outcome apply(const HarmonizeRequest& r, const Volume& input, const Volume& reference,
              Progress& progress) {
  using Op = HarmonizeRequest::Operation;
  SubProgress work(progress, 0.0, 0.9);
  Outcome out;
  switch (r.operation) {
    case Op::MatchKernel: {
      const KernelMatchParams& k = r.kernel;
      out.volume = matchKernel(input, k, work);
      setVector3_mm(out.volume.metadata(), metakey::kPsfFwhm_mm, k.to_fwhm_mm);
      out.summary =
          QObject::tr("Blurred from FWHM (%1) mm to (%2) mm: extra FWHM (%3) mm")
              .arg(vectorText(k.from_fwhm_mm), vectorText(k.to_fwhm_mm),
                   vectorText(extraFwhm_mm(k.from_fwhm_mm, k.to_fwhm_mm, 3, k.tolerance_mm)));
      break;
    }
    case Op::Resample: {
      const Geometry3D grid =
          r.like_reference ? reference.geometry() : isotropicGrid(input.geometry(), r.spacing_mm);
      out.volume = resample(input, grid, r.resampling, work);
      out.summary = QObject::tr("Resampled (%1) onto %2 x %3 x %4 voxels of (%5) mm")
                        .arg(QString::fromLatin1(toString(r.resampling.interpolation)))
                        .arg(grid.size[0])
                        .arg(grid.size[1])
                        .arg(grid.size[2])
                        .arg(vectorText(grid.spacing_mm));
      break;
    }
    case Op::MatchHistogram: {
      HistogramMatchResult m =
          matchHistogram(input, reference, nullptr, nullptr, r.histogram, work);
      out.volume = std::move(m.image);
      out.summary = QObject::tr("Histogram matched to the other study (%1)")
                        .arg(QString::fromLatin1(toString(r.histogram.method)));
      break;
    }
    case Op::ZScore: {
      const MaskVolume roi = sphereMask(input.geometry(), r.roi_centre_mm, r.roi_radius_mm);
      ZScoreResult z = zscore(input, roi, r.zscore, work);
      out.volume = std::move(z.image);
      out.summary =
          QObject::tr("Z-scored in a %1 mm sphere (%2 voxels): removed gain %3, offset %4")
              .arg(r.roi_radius_mm)
              .arg(z.report.roi_count)
              .arg(z.report.alpha_removed, 0, 'g', 5)
              .arg(z.report.beta_removed, 0, 'g', 5);
      break;
    }
  }
  // Before/after on one range so the overlay compares like with like.
  const ValueScan a = scanValues(input.voxels(), nullptr);
  const ValueScan b = scanValues(out.volume.voxels(), nullptr);
  HistogramParams hp;
  hp.bins = 256;
  hp.max_samples = kLiveHistogramSamples;
  const double lo = std::min(a.min, b.min);
  const double hi = std::max(a.max, b.max);
  hp.range = std::make_pair(lo, hi > lo ? hi : lo + 1.0);
  SubProgress h1(progress, 0.9, 0.95);
  out.before = computeHistogram(input, nullptr, hp, h1);
  SubProgress h2(progress, 0.95, 1.0);
  out.after = computeHistogram(out.volume, nullptr, hp, h2);
  return out;
}

}  // namespace

HarmonizeController::HarmonizeController(CompareSession* session, JobRunner* runner,
                                         QObject* parent)
    : QObject(parent),
      session_(session),
      runner_(runner),
      exporter_(new StudyExporter(session, runner, this)) {
  for (int s = 0; s < 2; ++s) {
    connect(session_->study(s), &Document::changed, this, [this, s] { studyChanged(s); });
  }
}

void HarmonizeController::studyChanged(int s) {
  if (showing_) return;
  const std::shared_ptr<const VolumeEntry>& shown = session_->study(s)->entry();
  // The library replaced our result (ROIs drawn on it): still ours.
  if (shown && results_[s] && shown->id != 0 && shown->id == results_[s]->id) {
    results_[s] = shown;
    return;
  }
  if (isRunning() && (runningStudy_ == s || runningStudy_ == kBothStudies)) cancel();
  if (!originals_[s]) return;
  // A new study: harmonization restarts from it, and there is nothing to revert to.
  originals_[s].reset();
  results_[s].reset();
  if (histogramStudy_ == s) {
    before_.reset();
    after_.reset();
    emit histogramsChanged();
  }
  emit revertChanged();
}

void HarmonizeController::run(const HarmonizeRequest& request) {
  const int s = std::clamp(request.study, 0, 1);
  // Harmonization always starts from the study's original data, so repeated
  // runs with new parameters do not compound.
  const std::shared_ptr<const VolumeEntry> original =
      originals_[s] ? originals_[s] : session_->study(s)->entry();
  std::shared_ptr<const Volume> reference = session_->study(1 - s)->volume();
  if (!original) {
    emit failed(tr("Load %1 first").arg(session_->study(s)->role()));
    return;
  }
  if (!reference && request.operation != HarmonizeRequest::Operation::MatchKernel &&
      request.operation != HarmonizeRequest::Operation::ZScore &&
      !(request.operation == HarmonizeRequest::Operation::Resample && !request.like_reference)) {
    emit failed(tr("This operation needs the other study as reference"));
    return;
  }
  std::shared_ptr<const Volume> input = original->volume;
  runningStudy_ = s;
  runner_->run(
      jobkey::kCompareHarmonize, tr("Harmonizing %1").arg(session_->study(s)->role()),
      [request, input, reference](Progress& progress) {
        return std::make_shared<Outcome>(
            apply(request, *input, reference ? *reference : *input, progress));
      },
      [this, s, original, request](const std::shared_ptr<Outcome>& outcome) {
        before_ = std::move(outcome->before);
        after_ = std::move(outcome->after);
        histogramStudy_ = s;
        VolumeEntry result = derivedEntry(*original, request);
        result.volume = std::make_shared<const Volume>(std::move(outcome->volume));
        runningStudy_ = -1;
        show(s, original, std::move(result));
        emit histogramsChanged();
        emit revertChanged();
        emit finished(outcome->summary);
      },
      [this](const QString& error) {
        runningStudy_ = -1;
        emit failed(error);
      });
}

void HarmonizeController::show(int s, const std::shared_ptr<const VolumeEntry>& original,
                               VolumeEntry result) {
  if (!originals_[s]) originals_[s] = original;
  if (!result.volume->geometry().sameGrid(original->volume->geometry())) result.rois.clear();
  VolumeLibrary* library = session_->library();
  results_[s] = library != nullptr ? library->add(std::move(result))
                                   : std::make_shared<const VolumeEntry>(std::move(result));
  showing_ = true;
  session_->study(s)->setEntry(results_[s]);
  showing_ = false;
}

bool HarmonizeController::loadPlan(const QString& path) {
  try {
    plan_ = std::make_shared<const HarmonizationPlan>(harmonia::loadPlan(path.toStdString()));
  } catch (const std::exception& e) {
    emit failed(QString::fromStdString(e.what()));
    return false;
  }
  planPath_ = path;
  emit planChanged();
  return true;
}

QStringList HarmonizeController::planScanners() const {
  QStringList names;
  if (plan_) {
    for (const auto& s : plan_->scanners) names << QString::fromStdString(s.name);
  }
  return names;
}

void HarmonizeController::applyPlan(const QString& scannerA, const QString& scannerB) {
  if (!plan_) {
    emit failed(tr("Load a harmonization plan first"));
    return;
  }
  const std::string names[2] = {scannerA.toStdString(), scannerB.toStdString()};
  std::shared_ptr<const VolumeEntry> originals[2];
  for (int s = 0; s < 2; ++s) {
    originals[s] = originals_[s] ? originals_[s] : session_->study(s)->entry();
    if (!originals[s] || !originals[s]->volume) {
      emit failed(tr("Load %1 first").arg(session_->study(s)->role()));
      return;
    }
    if (plan_->find(names[s]) == nullptr) {
      emit failed(
          tr("The plan has no scanner \"%1\" (it has: %2)")
              .arg(s == 0 ? scannerA : scannerB, planScanners().join(QStringLiteral(", "))));
      return;
    }
  }
  struct PlanOutcome {
    Volume volumes[2];
    Histogram before, after;
  };
  const HarmonizationPlan plan = *plan_;
  std::shared_ptr<const Volume> inputs[2] = {originals[0]->volume, originals[1]->volume};
  runningStudy_ = kBothStudies;
  runner_->run(
      jobkey::kCompareHarmonize, tr("Harmonizing Study A and Study B with a plan"),
      [plan, n0 = names[0], n1 = names[1], a = inputs[0], b = inputs[1]](Progress& progress) {
        auto out = std::make_shared<PlanOutcome>();
        SubProgress pa(progress, 0.0, 0.45);
        out->volumes[0] = harmonia::applyPlan(*a, plan, n0, nullptr, pa);
        SubProgress pb(progress, 0.45, 0.9);
        out->volumes[1] = harmonia::applyPlan(*b, plan, n1, nullptr, pb);
        const ValueScan before = scanValues(a->voxels(), nullptr);
        const ValueScan after = scanValues(out->volumes[0].voxels(), nullptr);
        HistogramParams hp;
        hp.bins = 256;
        hp.max_samples = kLiveHistogramSamples;
        // Study A's values and its z-scores differ in range: each on its own.
        hp.range =
            std::make_pair(before.min, before.max > before.min ? before.max : before.min + 1);
        out->before = computeHistogram(*a, nullptr, hp);
        hp.range = std::make_pair(after.min, after.max > after.min ? after.max : after.min + 1);
        out->after = computeHistogram(out->volumes[0], nullptr, hp);
        return out;
      },
      [this, originals0 = originals[0], originals1 = originals[1], scannerA, scannerB, plan,
       file = QFileInfo(planPath_).fileName()](const std::shared_ptr<PlanOutcome>& outcome) {
        runningStudy_ = -1;
        const std::shared_ptr<const VolumeEntry> originals[2] = {originals0, originals1};
        const QString scanners[2] = {scannerA, scannerB};
        for (int s = 0; s < 2; ++s) {
          VolumeEntry e = *originals[s];  // modality, UIDs, source files and ROIs carry over
          e.id = 0;
          e.kind = VolumeEntry::Kind::Derived;
          e.name = originals[s]->name + tr(", harmonized (plan)");
          e.derived_from = originals[s]->id;
          e.derivation = tr("Harmonized with plan %1 as %2").arg(file, scanners[s]);
          e.volume = std::make_shared<const Volume>(std::move(outcome->volumes[s]));
          show(s, originals[s], std::move(e));
        }
        before_ = std::move(outcome->before);
        after_ = std::move(outcome->after);
        histogramStudy_ = 0;
        emit histogramsChanged();
        emit revertChanged();
        emit finished(tr("Harmonized with plan %1: Study A as %2, Study B as %3 (target FWHM "
                         "%4, %5 mm grid, intensity %6)")
                          .arg(file, scannerA, scannerB, mm(plan.target_fwhm_mm))
                          .arg(plan.spacing_mm)
                          .arg(QString::fromLatin1(toString(plan.intensity))));
      },
      [this](const QString& error) {
        runningStudy_ = -1;
        emit failed(error);
      });
}

QString HarmonizeController::describe(const HarmonizeRequest& request) {
  using Op = HarmonizeRequest::Operation;
  const QString other = request.study == 0 ? tr("Study B") : tr("Study A");
  switch (request.operation) {
    case Op::MatchKernel:
      return tr("Kernel-matched to %1 FWHM").arg(mm(request.kernel.to_fwhm_mm));
    case Op::Resample: {
      const QString how = QString::fromLatin1(toString(request.resampling.interpolation));
      return request.like_reference
                 ? tr("Resampled to %1's grid (%2)").arg(other, how)
                 : tr("Resampled to %1 (%2)")
                       .arg(mm(Eigen::Vector3d::Constant(request.spacing_mm)), how);
    }
    case Op::MatchHistogram:
      return tr("Histogram-matched to %1 (%2)")
          .arg(other, QString::fromLatin1(toString(request.histogram.method)));
    case Op::ZScore:
      return request.zscore.robust
                 ? tr("Z-scored in a %1 mm sphere (robust)").arg(request.roi_radius_mm)
                 : tr("Z-scored in a %1 mm sphere").arg(request.roi_radius_mm);
  }
  return tr("Harmonized");
}

VolumeEntry HarmonizeController::derivedEntry(const VolumeEntry& original,
                                              const HarmonizeRequest& request) const {
  using Op = HarmonizeRequest::Operation;
  const QString other = request.study == 0 ? QStringLiteral("B") : QStringLiteral("A");
  QString what;
  switch (request.operation) {
    case Op::MatchKernel:
      what = tr("kernel-matched");
      break;
    case Op::Resample:
      what = request.like_reference ? tr("resampled to %1's grid").arg(other)
                                    : tr("resampled to %1 mm").arg(request.spacing_mm);
      break;
    case Op::MatchHistogram:
      what = tr("histogram-matched to %1").arg(other);
      break;
    case Op::ZScore:
      what = tr("z-scored");
      break;
  }
  VolumeEntry e = original;  // modality, UIDs, source files and ROIs carry over
  e.id = 0;
  e.kind = VolumeEntry::Kind::Derived;
  e.name = original.name + QStringLiteral(", ") + what;
  e.derived_from = original.id;
  e.derivation = describe(request);
  return e;
}

void HarmonizeController::cancel() { runner_->cancel(jobkey::kCompareHarmonize); }

bool HarmonizeController::isRunning() const {
  return runner_->isRunning(jobkey::kCompareHarmonize);
}

void HarmonizeController::revert(int study) {
  const int s = std::clamp(study, 0, 1);
  if (!originals_[s]) return;
  const std::shared_ptr<const VolumeEntry> original = std::move(originals_[s]);
  originals_[s].reset();  // moved-from: say so
  results_[s].reset();
  showing_ = true;
  session_->study(s)->setEntry(original);
  showing_ = false;
  if (histogramStudy_ == s) {
    before_.reset();
    after_.reset();
    emit histogramsChanged();
  }
  emit revertChanged();
}

std::optional<Eigen::Vector3d> HarmonizeController::recordedFwhm(int study) const {
  const int s = std::clamp(study, 0, 1);
  // The original's resolution: harmonization always restarts from it.
  const std::shared_ptr<const Volume> v =
      originals_[s] ? originals_[s]->volume : session_->study(s)->volume();
  if (!v) return std::nullopt;
  return vector3_mm(v->metadata(), metakey::kPsfFwhm_mm);
}

}  // namespace harmonia
