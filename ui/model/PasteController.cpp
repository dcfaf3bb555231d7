#include "ui/model/PasteController.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>
#include <future>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <type_traits>

#include "core/util/Error.h"
#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"

namespace harmonia {

namespace {

const QString& kSolveKey = jobkey::kPasteSolve;
const QString& kCompositeKey = jobkey::kPasteComposite;

/// A solve older than this many times the last solve's duration (and at
/// least kMinStaleMs) is abandoned for a newer placement.
constexpr double kStaleFactor = 4.0;
constexpr double kMinStaleMs = 250.0;

cv::Rect toCv(const QRect& r) { return {r.x(), r.y(), r.width(), r.height()}; }

/// Histogram bins of one sample: 256 bins over the type's full range
/// ([0, 256) for 8-bit, [0, 65536) for 16-bit, [0, 1] for float).
template <class T>
int binOf(T v) {
  if constexpr (std::is_same_v<T, std::uint8_t>) {
    return v;
  } else if constexpr (std::is_same_v<T, std::uint16_t>) {
    return v >> 8;
  } else {
    return std::clamp(static_cast<int>(v * 256.0f), 0, 255);
  }
}

template <class T>
std::vector<Histogram> maskedHistograms(const cv::Mat& pixels, const cv::Mat& mask, double max) {
  const int channels = pixels.channels();
  const int colours = channels >= 3 ? 3 : 1;  // alpha is not a colour
  // 32-bit counts in one flat array: fewer cache lines than the histograms' own.
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(colours) * 256, 0);
  for (int y = 0; y < pixels.rows; ++y) {
    const T* row = pixels.ptr<T>(y);
    const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < pixels.cols; ++x) {
      if (m[x] == 0) continue;
      for (int c = 0; c < colours; ++c) ++counts[c * 256 + binOf(row[x * channels + c])];
    }
  }
  std::vector<Histogram> out(colours);
  for (int c = 0; c < colours; ++c) {
    Histogram& h = out[c];
    h.min = 0.0;
    h.max = max;
    h.counts.assign(counts.begin() + c * 256, counts.begin() + (c + 1) * 256);
    for (std::uint64_t n : h.counts) h.total += n;
  }
  return out;
}

/// Per colour channel histograms of `pixels` where `mask` is non-zero.
std::vector<Histogram> regionHistograms(const cv::Mat& pixels, const cv::Mat& mask) {
  switch (pixels.depth()) {
    case CV_16U:
      return maskedHistograms<std::uint16_t>(pixels, mask, 65536.0);
    case CV_32F:
      return maskedHistograms<float>(pixels, mask, 1.0);
    default:
      return maskedHistograms<std::uint8_t>(pixels, mask, 256.0);
  }
}

}  // namespace

/// Everything one Compositor needs; the Compositor itself is built, used and
/// destroyed only in the controller's worker thread.
struct PasteController::State {
  std::shared_ptr<const Image2D> target;
  std::shared_ptr<const Image2D> source;
  std::shared_ptr<const Image2D> mask;
  CompositeParams params;
  QRect mask_box;
  std::unique_ptr<Compositor> compositor;  ///< worker thread only

  Compositor& get() {
    if (!compositor) compositor = std::make_unique<Compositor>(*target, *source, *mask, params);
    return *compositor;
  }
};

PasteController::PasteController(QObject* parent)
    : QObject(parent), runner_(new JobRunner(this, 1)) {
  clock_.start();
}

PasteController::~PasteController() {
  runner_->cancelAll();
  delete runner_;  // waits for the worker, which may still hold a State
  runner_ = nullptr;
}

void PasteController::setInputs(std::shared_ptr<const Image2D> target,
                                std::shared_ptr<const Image2D> source,
                                std::shared_ptr<const Image2D> mask) {
  target_ = std::move(target);
  source_ = std::move(source);
  mask_ = std::move(mask);
  targetSize_ = target_ ? QSize(target_->width(), target_->height()) : QSize();
  maskBox_ = QRect();
  if (mask_ && !mask_->empty()) {
    const cv::Rect box = cv::boundingRect(mask_->mat());
    maskBox_ = QRect(box.x, box.y, box.width, box.height);
  }
  state_.reset();
  if (target_ && source_ && mask_ && !maskBox_.isEmpty()) {
    state_ = std::make_shared<State>();
    state_->target = target_;
    state_->source = source_;
    state_->mask = mask_;
    state_->params = params_;
    state_->mask_box = maskBox_;
  }
  if (placement_) placement_ = clamped(*placement_);
  // Whatever runs now solves stale inputs.
  runner_->cancel(kSolveKey);
  running_ = false;
  pending_ = false;
  schedule();
}

void PasteController::setParams(const CompositeParams& params) {
  params_ = params;
  setInputs(target_, source_, mask_);
}

Placement PasteController::clamped(Placement at) const {
  if (maskBox_.isEmpty() || targetSize_.isEmpty()) return at;
  // Keep the mask box's centre on the target: the paste can hang over the
  // edges, but never leave the target (or be lost out of sight).
  const int cx = maskBox_.x() + maskBox_.width() / 2;
  const int cy = maskBox_.y() + maskBox_.height() / 2;
  at.x = std::clamp(at.x, -cx, targetSize_.width() - 1 - cx);
  at.y = std::clamp(at.y, -cy, targetSize_.height() - 1 - cy);
  return at;
}

Placement PasteController::placementCentredAt(const QPointF& centre) const {
  const QPointF boxCentre = QRectF(maskBox_).center();
  return clamped({static_cast<int>(std::lround(centre.x() - boxCentre.x())),
                  static_cast<int>(std::lround(centre.y() - boxCentre.y()))});
}

void PasteController::setPlacement(std::optional<Placement> placement) {
  if (placement) placement = clamped(*placement);
  if (placement == placement_) return;
  placement_ = placement;
  emit placementChanged();
  schedule();
}

void PasteController::schedule() {
  if (!state_ || !placement_) {
    runner_->cancel(kSolveKey);
    running_ = false;
    pending_ = false;
    clearPreview();
    return;
  }
  if (running_ && !refining_) {
    const double staleMs = std::max(kMinStaleMs, kStaleFactor * lastSolveMs_);
    if (runningFor_.elapsed() <= staleMs) {
      pending_ = true;  // coalesced: only the latest placement waits
      return;
    }
  }
  startSolve(*placement_);  // a newer job with the same key cancels the running one
}

void PasteController::startSolve(Placement at, bool refine) {
  running_ = true;
  pending_ = false;
  refining_ = refine;
  runningFor_.start();
  const std::shared_ptr<State> state = state_;
  runner_->run(
      kSolveKey, refine ? tr("Refining the blend") : tr("Blending"),
      [state, at, refine](Progress& progress) {
        Compositor& compositor = state->get();
        PastePreview out;
        out.report = refine ? compositor.refine(progress)
                            : compositor.setPlacement(at, progress, SolveQuality::Preview);
        out.final = compositor.isFinal();
        out.placement = at;
        const QRect onTarget = state->mask_box.translated(at.x, at.y) &
                               QRect(0, 0, state->target->width(), state->target->height());
        out.rect = onTarget;
        if (onTarget.isEmpty()) return out;
        const cv::Rect rect = toCv(onTarget);
        const cv::Mat mask = state->mask->mat()(rect - cv::Point(at.x, at.y));
        out.patch = compositor.result().mat()(rect).clone();
        // Before and after at once: each is a full pass over the region.
        auto before = std::async(
            std::launch::async, [&] { return regionHistograms(state->target->mat()(rect), mask); });
        out.after = regionHistograms(out.patch, mask);
        out.before = before.get();
        return out;
      },
      [this, state, refine](PastePreview result) {
        running_ = false;
        refining_ = false;
        if (!refine) lastSolveMs_ = static_cast<double>(runningFor_.elapsed());
        const bool needsRefine = !result.final && result.placement == placement_;
        if (state == state_) publish(std::move(result));
        if (pending_ && placement_ && state_) {
          startSolve(*placement_);
        } else if (needsRefine && placement_ && state_ == state) {
          startSolve(*placement_, true);
        }
      },
      [this](const QString& error) {
        running_ = false;
        refining_ = false;
        emit solveFailed(error);
        if (pending_ && placement_ && state_) startSolve(*placement_);
      });
}

void PasteController::publish(PastePreview preview) {
  preview_ = std::move(preview);
  ++previewCount_;
  const qint64 now = clock_.elapsed();
  publishTimes_.push_back(now);
  while (!publishTimes_.empty() && publishTimes_.front() < now - 1000) publishTimes_.pop_front();
  emit previewChanged();
}

void PasteController::clearPreview() {
  if (!preview_.placement && preview_.patch.empty()) return;
  preview_ = PastePreview{};
  emit previewChanged();
}

double PasteController::updateRate() const {
  const qint64 now = clock_.elapsed();
  return static_cast<double>(std::count_if(publishTimes_.begin(), publishTimes_.end(),
                                           [now](qint64 t) { return t >= now - 1000; }));
}

bool PasteController::isIdle() const {
  return !running_ && !pending_ && runner_->runningCount() == 0;
}

bool PasteController::waitForIdle(int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  for (;;) {
    QCoreApplication::processEvents();
    if (isIdle()) return true;
    if (timer.elapsed() > timeoutMs) return false;
    runner_->waitForAll(20);  // delivers finished solves, which may start the pending one
  }
}

void PasteController::composite(std::function<void(Image2D)> onDone,
                                const std::function<void(const QString&)>& onError) {
  const std::shared_ptr<State> state = state_;
  const std::optional<Placement> at = placement_;
  const std::shared_ptr<const Image2D> target = target_;
  // Each request has its own key: a later one must not cancel an earlier one.
  runner_->run(
      kCompositeKey + QString::number(++compositeRequests_), tr("Compositing"),
      [state, at, target](Progress& progress) -> Image2D {
        if (!state || !at) {
          if (!target) throw InputError("no target image");
          return *target;
        }
        Compositor& compositor = state->get();
        if (compositor.placement() != at) compositor.setPlacement(*at, progress);
        return compositor.result();
      },
      std::move(onDone), onError);
}

}  // namespace harmonia
