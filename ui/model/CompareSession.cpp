#include "ui/model/CompareSession.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/harmonize/Resample.h"
#include "core/stats/Quantiles.h"
#include "core/stats/Sampling.h"

#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/VolumeLibrary.h"

namespace harmonia {

CompareSession::CompareSession(JobRunner* runner, QObject* parent)
    : QObject(parent), runner_(runner) {
  studies_[0] = new Document(tr("Study A"), this);
  studies_[1] = new Document(tr("Study B"), this);
  for (Document* d : studies_) {
    connect(d, &Document::changed, this, &CompareSession::studiesChanged);
  }
  flicker_.setInterval(static_cast<int>(std::lround(500.0 / flickerHz_)));
  connect(&flicker_, &QTimer::timeout, this, [this] {
    display_.flicker_shows_b = !display_.flicker_shows_b;
    emit displayChanged();
  });
}

void CompareSession::studiesChanged() {
  bool newStudy = false;
  for (int i = 0; i < 2; ++i) {
    const auto v = studies_[i]->volume();
    // ROIs arriving replace the entry, not the voxels: keep the sample then.
    if (v != sampledVolumes_[i]) {
      samples_[i] = v ? sampleValues(*v) : ValueSample{};
      sampledVolumes_[i] = v;
    }
    // Which study this is: a harmonized result or an entry whose ROIs arrived
    // is the same study (same series, same source), and keeps B's offset.
    const auto e = studies_[i]->entry();
    const QString identity = e ? e->frame_of_reference_uid + QLatin1Char('|') + e->series_uid +
                                     QLatin1Char('|') + e->source
                               : QString();
    newStudy = newStudy || identity != studyIdentity_[i];
    studyIdentity_[i] = identity;
  }
  if (newStudy) resetOffset();
  recomputeHistograms();
  updateCommonGrid();
}

void CompareSession::setMode(ComparisonMode mode) {
  if (mode == display_.mode) return;
  display_.mode = mode;
  updateFlicker();
  updateCommonGrid();
  emit displayChanged();
}

void CompareSession::setFade(double fade) {
  display_.fade = std::clamp(fade, 0.0, 1.0);
  emit displayChanged();
}

void CompareSession::setCheckerSize(double mm) {
  if (!(mm > 0.0)) return;
  display_.checker_mm = mm;
  emit displayChanged();
}

void CompareSession::setSwipe(double fraction) {
  display_.swipe = std::clamp(fraction, 0.0, 1.0);
  emit displayChanged();
}

void CompareSession::setFlickerRate(double hz) {
  flickerHz_ = std::clamp(hz, 0.5, 20.0);
  // One period shows A then B: the phase toggles twice per period.
  flicker_.setInterval(static_cast<int>(std::lround(500.0 / flickerHz_)));
}

void CompareSession::updateFlicker() {
  if (display_.mode == ComparisonMode::Flicker) {
    if (!flicker_.isActive()) flicker_.start();
  } else {
    flicker_.stop();
    display_.flicker_shows_b = false;
  }
}

void CompareSession::setDifferenceRange(double range) {
  autoDifferenceRange_ = !(range > 0.0);
  display_.difference_range = autoDifferenceRange_ ? measuredDifferenceRange_ : range;
  emit displayChanged();
}

bool CompareSession::sharedFrameOfReference() const {
  const auto a = studies_[0]->entry();
  const auto b = studies_[1]->entry();
  if (!a || !b) return true;
  const bool dicomA = !a->frame_of_reference_uid.isEmpty() || !a->series_uid.isEmpty();
  const bool dicomB = !b->frame_of_reference_uid.isEmpty() || !b->series_uid.isEmpty();
  if (!dicomA && !dicomB) return true;  // NIfTI or generated: world coordinates
  return !a->frame_of_reference_uid.isEmpty() &&
         a->frame_of_reference_uid == b->frame_of_reference_uid;
}

void CompareSession::setOffset(const Eigen::Vector3d& offset_mm) {
  if (offset_mm == offset_mm_) return;
  offset_mm_ = offset_mm;
  emit offsetChanged();
  updateCommonGrid();
}

void CompareSession::resetOffset() {
  const auto a = studies_[0]->volume();
  const auto b = studies_[1]->volume();
  Eigen::Vector3d offset = Eigen::Vector3d::Zero();
  if (a && b && !sharedFrameOfReference()) {
    // Unrelated coordinates: align the centres of the two grids.
    const auto centre = [](const Geometry3D& g) {
      return g.indexToWorld(0.5 * Eigen::Vector3d(g.size[0] - 1, g.size[1] - 1, g.size[2] - 1));
    };
    offset = centre(a->geometry()) - centre(b->geometry());
  }
  if (offset != offset_mm_) {
    offset_mm_ = offset;
    emit offsetChanged();
  }
}

bool CompareSession::commonGridPending() const {
  return runner_->isRunning(jobkey::kCompareCommonGrid);
}

void CompareSession::setComparisonGrid(ComparisonGrid grid, double isotropic_mm) {
  if (isotropic_mm > 0.0) isotropicSpacing_ = isotropic_mm;
  if (grid == grid_ && !(grid == ComparisonGrid::Isotropic && isotropic_mm > 0.0)) return;
  grid_ = grid;
  updateCommonGrid();
  emit displayChanged();
}

Geometry3D CompareSession::comparisonGeometry() const {
  const auto a = studies_[0]->volume();
  const auto b = studies_[1]->volume();
  if (!a) return {};
  switch (grid_) {
    case ComparisonGrid::A:
      break;
    case ComparisonGrid::B:
      if (b) {
        // B's grid where B is shown: moved by the offset into A's frame.
        Geometry3D g = b->geometry();
        g.origin_mm += offset_mm_;
        return g;
      }
      break;
    case ComparisonGrid::Isotropic:
      return isotropicGrid(a->geometry(), isotropicSpacing_);
  }
  return a->geometry();
}

void CompareSession::updateCommonGrid() {
  const std::shared_ptr<const Volume> a = studies_[0]->volume();
  const std::shared_ptr<const Volume> b = studies_[1]->volume();
  const bool wanted = display_.mode != ComparisonMode::SideBySide && a && b;
  if (!wanted) {
    runner_->cancel(jobkey::kCompareCommonGrid);
    if (!a || !b) {
      gridInputs_[0].reset();
      gridInputs_[1].reset();
      if (commonGrid_ || commonA_) {
        commonGrid_.reset();
        commonA_.reset();
        emit commonGridChanged();
      }
    }
    return;
  }
  const Geometry3D target = comparisonGeometry();
  if (commonGrid_ && gridInputs_[0] == a && gridInputs_[1] == b && gridOffset_ == offset_mm_ &&
      commonGrid_->geometry().sameGrid(target, 1e-9)) {
    return;  // cached
  }
  if (commonGrid_ || commonA_) {
    commonGrid_.reset();
    commonA_.reset();
    emit commonGridChanged();
  }
  const Eigen::Vector3d offset = offset_mm_;
  struct Grid {
    std::shared_ptr<const Volume> a;  ///< null: A itself (the grid is A's)
    std::shared_ptr<const Volume> b;
    double difference_range = 1.0;
  };
  runner_->run(
      jobkey::kCompareCommonGrid, tr("Resampling the studies onto a common grid"),
      [a, b, offset, target](Progress& progress) {
        ResampleParams params;
        params.interpolation = Interpolation::Linear;
        params.outside_value = std::numeric_limits<float>::quiet_NaN();
        Grid g;
        // A onto the grid unless it is A's own.
        const bool onA = target.sameGrid(a->geometry(), 1e-9);
        if (!onA) {
          SubProgress resamplingA(progress, 0.0, 0.45);
          g.a = std::make_shared<const Volume>(resample(*a, target, params, resamplingA));
        }
        // B moved by `offset` shows at point p the value B has at p - offset:
        // resample onto the grid shifted back by the offset, then put it on the grid.
        Geometry3D shifted = target;
        shifted.origin_mm -= offset;
        SubProgress resamplingB(progress, onA ? 0.0 : 0.45, 0.9);
        Volume onGrid = resample(*b, shifted, params, resamplingB);
        onGrid.setOrigin(target.origin_mm);
        // Difference range: the 99th percentile of |B - A| where both have values.
        const Volume& av = g.a ? *g.a : *a;
        // (type-7 quantile of about 2^20 sampled voxels, core/stats).
        std::vector<float> diff;
        const JitteredSampler sampler(onGrid.voxelCount(), std::uint64_t{1} << 20);
        for (std::uint64_t s = 0; s < sampler.groups(); ++s) {
          const std::size_t i = sampler.run(s).first;
          const float d = onGrid.data()[i] - av.data()[i];
          if (std::isfinite(d)) diff.push_back(std::abs(d));
        }
        progress.throwIfCancelled();
        if (!diff.empty()) {
          constexpr double kP99[] = {0.99};
          const double p99 = sampleQuantiles(diff, nullptr, kP99).front();
          g.difference_range = p99 > 0.0 ? p99 : 1.0;
        }
        g.b = std::make_shared<const Volume>(std::move(onGrid));
        return g;
      },
      [this, a, b, offset](Grid g) {
        gridInputs_[0] = a;
        gridInputs_[1] = b;
        gridOffset_ = offset;
        commonA_ = std::move(g.a);
        commonGrid_ = std::move(g.b);
        measuredDifferenceRange_ = g.difference_range;
        if (autoDifferenceRange_) display_.difference_range = measuredDifferenceRange_;
        emit commonGridChanged();
        emit displayChanged();
      });
}

void CompareSession::setWindowLink(WindowLink link) {
  if (link == windowLink_) return;
  windowLink_ = link;
  emit displayChanged();
}

WindowLevel CompareSession::linkedWindow(int from, int to, const WindowLevel& window) const {
  from = std::clamp(from, 0, 1);
  to = std::clamp(to, 0, 1);
  WindowLink link = windowLink_;
  if (link == WindowLink::Auto) {
    const auto a = studies_[from]->volume();
    const auto b = studies_[to]->volume();
    const bool sameUnits = a && b && !a->units().empty() && a->units() == b->units();
    link = sameUnits ? WindowLink::Values : WindowLink::Percentiles;
  }
  if (link == WindowLink::Percentiles) {
    return mapWindowByPercentiles(window, samples_[from], samples_[to]);
  }
  return window;
}

void CompareSession::setLibrary(VolumeLibrary* library) {
  if (library_ != nullptr) disconnect(library_, nullptr, this, nullptr);
  library_ = library;
  if (library_ == nullptr) return;
  connect(library_, &VolumeLibrary::entryChanged, this, [this](int id) {
    for (Document* d : studies_) {
      if (d->entry() && d->entry()->id == id) d->setEntry(library_->entry(id));
    }
  });
}

void CompareSession::setHistogramMasks(std::shared_ptr<const MaskVolume> a,
                                       std::shared_ptr<const MaskVolume> b) {
  histogramMasks_[0] = std::move(a);
  histogramMasks_[1] = std::move(b);
  recomputeHistograms();
}

void CompareSession::setHistogramBins(int bins) {
  bins_ = std::max(2, bins);
  recomputeHistograms();
}

void CompareSession::recomputeHistograms() {
  struct Result {
    std::optional<Histogram> h[2];
  };
  const std::shared_ptr<const Volume> volumes[2] = {studies_[0]->volume(), studies_[1]->volume()};
  std::shared_ptr<const MaskVolume> masks[2];
  for (int i = 0; i < 2; ++i) {
    // A mask drawn for another volume (the study changed since) does not apply.
    if (volumes[i] && histogramMasks_[i] &&
        histogramMasks_[i]->geometry().sameGrid(volumes[i]->geometry())) {
      masks[i] = histogramMasks_[i];
    }
  }
  const int bins = bins_;
  // Same key: a newer request cancels a running one (stale inputs).
  runner_->run(
      jobkey::kCompareHistograms, tr("Computing histograms"),
      [volumes, masks, bins](Progress& progress) {
        // One common range so the two histograms can be overlaid bin for bin.
        double lo = 0.0;
        double hi = 0.0;
        bool any = false;
        for (int i = 0; i < 2; ++i) {
          if (!volumes[i]) continue;
          const ValueScan s =
              scanValues(volumes[i]->voxels(), masks[i] ? masks[i]->data() : nullptr);
          if (s.count == 0) continue;
          lo = any ? std::min(lo, s.min) : s.min;
          hi = any ? std::max(hi, s.max) : s.max;
          any = true;
          progress.throwIfCancelled();
        }
        Result r;
        if (!any) return r;
        HistogramParams params;
        params.bins = bins;
        params.max_samples = kLiveHistogramSamples;
        params.range = std::make_pair(lo, hi > lo ? hi : lo + 1.0);
        for (int i = 0; i < 2; ++i) {
          if (!volumes[i]) continue;
          SubProgress sub(progress, 0.5 * i, 0.5 * (i + 1));
          r.h[i] = computeHistogram(*volumes[i], masks[i].get(), params, sub);
        }
        return r;
      },
      [this](Result r) {
        histograms_[0] = std::move(r.h[0]);
        histograms_[1] = std::move(r.h[1]);
        emit histogramsChanged();
      });
}

}  // namespace harmonia
