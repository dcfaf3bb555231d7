#include "core/blend/Compositor.h"

#include <chrono>
#include <opencv2/core.hpp>

#include "core/util/Error.h"

namespace harmonia {
namespace {

cv::Rect toCv(const PixelRect& r) { return {r.x, r.y, r.width, r.height}; }
PixelRect fromCv(const cv::Rect& r) { return {r.x, r.y, r.width, r.height}; }

PixelRect unite(const PixelRect& a, const PixelRect& b) {
  if (a.width <= 0 || a.height <= 0) return b;
  if (b.width <= 0 || b.height <= 0) return a;
  return fromCv(toCv(a) | toCv(b));
}

}  // namespace

Compositor::Compositor(Image2D target, const Image2D& source, const Image2D& mask,
                       CompositeParams params)
    : target_(std::move(target)), source_(source), mask_(mask), params_(params) {
  prepare();
  result_ = target_;
}

void Compositor::prepare() {
  if (params_.feather_radius_px < 0.0) {
    throw ParameterError("feather radius must be >= 0 px, got " +
                         std::to_string(params_.feather_radius_px));
  }
  prepared_ = PasteSource::prepare(target_, source_, mask_, params_.mode);
  problem_.reset();
}

void Compositor::setParams(const CompositeParams& params) {
  params_ = params;
  prepare();
}

Placement Compositor::centredPlacement() const {
  const cv::Rect box = prepared_.mask_box;
  return {target_.width() / 2 - (box.x + box.width / 2),
          target_.height() / 2 - (box.y + box.height / 2)};
}

PixelRect Compositor::pasteAlpha(Placement at) {
  const cv::Point shift(at.x, at.y);
  const cv::Rect rect =
      (prepared_.mask_box + shift) & cv::Rect(0, 0, target_.width(), target_.height());
  if (rect.area() == 0) {
    throw InputError("the paste at " + std::to_string(at.x) + "," + std::to_string(at.y) +
                     " lies entirely outside the target (" + std::to_string(target_.width()) + "x" +
                     std::to_string(target_.height()) + ")");
  }
  const cv::Rect inSource = rect - shift;
  // The source in the target's type and channels (alpha taken from the target).
  std::vector<cv::Mat> planes;
  for (const cv::Mat& p : prepared_.planes) planes.push_back(p(inSource));
  while (planes.size() < static_cast<std::size_t>(target_.channels() == 1 ? 1 : 3)) {
    planes.push_back(planes[0]);
  }
  const cv::Mat background = target_.mat()(rect);
  std::vector<cv::Mat> typed(planes.size());
  for (std::size_t c = 0; c < planes.size(); ++c) planes[c].convertTo(typed[c], background.depth());
  if (target_.channels() == 4) {
    typed.emplace_back();
    cv::extractChannel(background, typed.back(), 3);
  }
  cv::Mat foreground;
  cv::merge(typed, foreground);
  FeatherParams feather;
  feather.feather_radius_px = params_.feather_radius_px;
  const cv::Mat alpha = featherAlpha(prepared_.mask01, feather)(inSource);
  const cv::Mat blended = alphaBlend(background, foreground, alpha);
  blended.copyTo(result_.mat()(rect));
  return fromCv(rect);
}

const CompositeReport& Compositor::setPlacement(Placement at, Progress& progress,
                                                SolveQuality quality) {
  const auto start = std::chrono::steady_clock::now();
  CompositeReport report;
  std::unique_ptr<PoissonProblem> next;
  const bool preview =
      quality == SolveQuality::Preview && params_.preview_tolerance > params_.solver.tolerance;
  if (isPoisson(params_.mode)) {
    SolverParams solver = params_.solver;
    if (preview) solver.tolerance = params_.preview_tolerance;
    if (params_.warm_start && problem_ && problem_->moveTo(target_, at)) {
      // Moved in place (the usual drag step): no new problem to build. A
      // cancelled solve leaves problem_ at `at`, half solved: a fine start
      // for the next placement, and refine() ignores it.
      report.solve = solvePoisson(*problem_, solver, progress, &workspace_);
      report.solve.warm_started = true;
      next = std::move(problem_);
    } else {
      next = std::make_unique<PoissonProblem>(PoissonProblem::build(target_, prepared_, at));
      bool warm = false;
      if (params_.warm_start && problem_) warm = next->warmStartFrom(*problem_) > 0.0;
      report.solve = solvePoisson(*next, solver, progress, &workspace_);
      report.solve.warm_started = warm;
    }
  }
  // Only now, with nothing left to fail, is the result changed.
  if (written_.width > 0) {
    const cv::Rect old = toCv(written_);
    target_.mat()(old).copyTo(result_.mat()(old));
  }
  PixelRect now;
  if (next) {
    next->writeInto(result_);
    const cv::Rect grid(next->gridX(), next->gridY(), next->gridWidth(), next->gridHeight());
    now = fromCv(grid & cv::Rect(0, 0, target_.width(), target_.height()));
    problem_ = std::move(next);
  } else {
    now = pasteAlpha(at);
  }
  report.changed = unite(written_, now);
  written_ = now;
  placement_ = at;
  final_ = !(preview && isPoisson(params_.mode));
  report.total_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report_ = report;
  return report_;
}

const CompositeReport& Compositor::refine(Progress& progress) {
  if (final_ || !problem_ || !placement_ || problem_->placement() != *placement_) return report_;
  const auto start = std::chrono::steady_clock::now();
  // In place: a cancelled refine leaves problem_ a better iterate of the same
  // placement (the next refine goes on from it) and result() as it was.
  CompositeReport report;
  report.solve = solvePoisson(*problem_, params_.solver, progress, &workspace_);
  report.solve.warm_started = true;
  problem_->writeInto(result_);
  report.changed = written_;
  report.total_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report_ = report;
  final_ = true;
  return report_;
}

}  // namespace harmonia
