#pragma once
// Drives core's Compositor for the Composite workspace: the live paste.
//
// The Compositor is stateful and not thread-safe, so it lives with its inputs
// in a State that only the controller's own single-thread JobRunner touches:
// every solve, every composite copy and the Compositor's construction run
// there, one after another, never on the GUI thread. The GUI thread only
// sees copies: the solved patch, the report and the histograms (a Preview).
//
// Placements are coalesced. While a solve runs, a new placement only becomes
// "pending" (replacing any older pending one); when the solve ends, the
// latest pending placement is solved next. So a drag never queues a backlog,
// and every finished solve shows a position at most one solve old. A running
// solve is cancelled outright when its result is certainly stale: the inputs
// or parameters changed, or a newer placement arrived after it ran far
// longer than solves usually take (a cold solve).
//
// Solves for a new placement stop at the preview tolerance (a live drag needs
// many updates a second); when no newer placement waits, the same placement
// is then refined to the final tolerance in a second, cheaper job and
// published again. A refine is cancelled as soon as a placement arrives.

#include <QElapsedTimer>
#include <QObject>
#include <QRect>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/blend/Compositor.h"
#include "core/stats/Histogram.h"

namespace harmonia {

class JobRunner;

/// The latest solved paste, copied out of the worker for display.
struct PastePreview {
  std::optional<Placement> placement;  ///< the placement solved; empty: no paste shown
  QRect rect;                          ///< target pixels covered by `patch`
  cv::Mat patch;                       ///< the composite's pixels in `rect` (target's type)
  CompositeReport report;              ///< what the solve did
  bool final = true;                   ///< solved to the final tolerance (else a refine follows)
  std::vector<Histogram> before;       ///< per colour channel: target pixels under the mask
  std::vector<Histogram> after;        ///< per colour channel: composite pixels under the mask
};

/// Owns the Compositor and runs its solves in a dedicated worker thread.
class PasteController : public QObject {
  Q_OBJECT

 public:
  /// Creates an idle controller with no inputs.
  explicit PasteController(QObject* parent = nullptr);
  /// Cancels the running solve and waits for the worker.
  ~PasteController() override;
  PasteController(const PasteController&) = delete;
  PasteController& operator=(const PasteController&) = delete;

  /// Sets target, source and mask (8-bit grey, 0/255, the source's size).
  /// Any null or an empty mask makes the controller idle (no preview). The
  /// placement is kept and re-solved with the new inputs.
  void setInputs(std::shared_ptr<const Image2D> target, std::shared_ptr<const Image2D> source,
                 std::shared_ptr<const Image2D> mask);
  /// Changes mode, feather or solver; re-solves the placement.
  void setParams(const CompositeParams& params);
  /// The current parameters.
  [[nodiscard]] const CompositeParams& params() const { return params_; }
  /// True when target, source and a non-empty mask are set.
  [[nodiscard]] bool isReady() const { return state_ != nullptr; }
  /// The mask's bounding box in source pixels (empty when not ready).
  [[nodiscard]] QRect maskBox() const { return maskBox_; }
  /// The target's size in pixels (empty when not ready).
  [[nodiscard]] QSize targetSize() const { return targetSize_; }

  /// Requests a placement (none: remove the paste). Clamped so that the mask
  /// box's centre stays on the target; solved in the worker, coalesced.
  void setPlacement(std::optional<Placement> placement);
  /// The latest requested placement.
  [[nodiscard]] std::optional<Placement> placement() const { return placement_; }
  /// `at` moved so that the mask box's centre lies on the target.
  [[nodiscard]] Placement clamped(Placement at) const;
  /// The placement putting the mask box's centre on target pixel `centre`.
  [[nodiscard]] Placement placementCentredAt(const QPointF& centre) const;

  /// The latest solved paste.
  [[nodiscard]] const PastePreview& preview() const { return preview_; }
  /// Number of previews published so far (each finished solve adds one).
  [[nodiscard]] quint64 previewCount() const { return previewCount_; }
  /// Previews published per second over the last second (0 when idle).
  [[nodiscard]] double updateRate() const;
  /// True when no solve runs or waits.
  [[nodiscard]] bool isIdle() const;
  /// Processes events until idle; false on timeout. For tests and screenshots.
  bool waitForIdle(int timeoutMs = 30000);

  /// Runs in the worker, after any queued solve: the whole composite at the
  /// latest placement (the target itself when there is no paste), a copy.
  void composite(std::function<void(Image2D)> onDone,
                 const std::function<void(const QString&)>& onError);

 signals:
  /// The requested placement changed (the outline can follow at once).
  void placementChanged();
  /// A new preview was published (or the preview was removed).
  void previewChanged();
  /// A solve failed; the previous preview stays.
  void solveFailed(const QString& message);

 private:
  struct State;

  void schedule();
  void startSolve(Placement at, bool refine = false);
  void publish(PastePreview preview);
  void clearPreview();

  JobRunner* runner_;  ///< one thread: solves never overlap on one Compositor
  std::shared_ptr<State> state_;
  CompositeParams params_;
  std::shared_ptr<const Image2D> target_;
  std::shared_ptr<const Image2D> source_;
  std::shared_ptr<const Image2D> mask_;
  QRect maskBox_;
  QSize targetSize_;
  std::optional<Placement> placement_;
  bool running_ = false;
  bool pending_ = false;
  bool refining_ = false;
  QElapsedTimer runningFor_;
  double lastSolveMs_ = 0.0;
  PastePreview preview_;
  quint64 previewCount_ = 0;
  quint64 compositeRequests_ = 0;
  QElapsedTimer clock_;
  std::deque<qint64> publishTimes_;
};

}  // namespace harmonia
