#pragma once
// The stateful paste that the Composite workspace drives during a live drag.
//
// Holds the target, source and mask; setPlacement() moves the paste and
// re-solves, warm-started from the previous solution (the pasted pixels move
// with the source, so the previous solution shifted by the drag is already
// close: one or two V-cycles finish it). result() is the target with the
// current paste, updated in place; changedRect() says which pixels the last
// call touched, so a view repaints only those. Not thread-safe: drive one
// Compositor from one worker thread; a cancelled call leaves result() as it was.

#include <memory>
#include <optional>
#include <string>

#include "core/blend/AlphaComposite.h"
#include "core/blend/BlendMode.h"
#include "core/blend/PoissonProblem.h"
#include "core/blend/PoissonSolver.h"
#include "core/image/Image2D.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Everything a paste can be tuned with.
struct CompositeParams {
  BlendMode mode = BlendMode::Normal;
  /// Alpha mode only: soft edge width in pixels (see FeatherParams). Default 0: hard edge.
  double feather_radius_px = 0.0;
  /// Poisson modes: solver choice and tolerance.
  SolverParams solver;
  /// Warm-start re-solves from the previous placement's solution.
  bool warm_start = true;
  /// Relative residual of SolveQuality::Preview solves (a live drag): two
  /// V-cycles after a drag step of up to ~20 px on bench_live_drag's textures,
  /// and 8-bit results within 2 levels of the final solve (which refine()
  /// reaches when the drag pauses); 1e-4 would take three cycles.
  double preview_tolerance = 5e-4;
};

/// How far a Poisson solve iterates.
enum class SolveQuality {
  Final,    ///< to CompositeParams::solver.tolerance
  Preview,  ///< to CompositeParams::preview_tolerance (refine() finishes it)
};

/// A rectangle of target pixels.
struct PixelRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

/// What the last setPlacement() did.
struct CompositeReport {
  SolveReport solve;           ///< solver, iterations, residual, solve time (Poisson modes)
  double total_seconds = 0.0;  ///< build + solve + writing the result
  PixelRect changed;           ///< pixels of result() that may have changed
};

/// Paste of a masked source into a target, re-solved as the placement moves.
class Compositor {
 public:
  /// Validates and converts the inputs once; throws InputError for an empty
  /// mask, a mask not the source's size, or unsupported channel counts.
  Compositor(Image2D target, const Image2D& source, const Image2D& mask,
             CompositeParams params = {});

  /// Placement that centres the source's mask on the target.
  [[nodiscard]] Placement centredPlacement() const;
  /// Moves the paste (source top-left on target pixel `at`) and re-solves;
  /// throws InputError when the paste lies entirely outside the target.
  const CompositeReport& setPlacement(Placement at, Progress& progress = noProgress(),
                                      SolveQuality quality = SolveQuality::Final);
  /// Iterates the current placement's solution on to the final tolerance
  /// (after Preview solves; a no-op when it is already final). Cancelling
  /// leaves result() as it was (the solution keeps the iterations done).
  const CompositeReport& refine(Progress& progress = noProgress());
  /// True when the current result was solved to the final tolerance.
  [[nodiscard]] bool isFinal() const { return final_; }
  /// Changes mode, feather or solver; the next setPlacement() solves cold.
  void setParams(const CompositeParams& params);

  /// The target with the current paste (the target itself before any placement).
  [[nodiscard]] const Image2D& result() const { return result_; }
  /// The current placement, if any.
  [[nodiscard]] std::optional<Placement> placement() const { return placement_; }
  /// The report of the last setPlacement().
  [[nodiscard]] const CompositeReport& report() const { return report_; }
  /// The current parameters.
  [[nodiscard]] const CompositeParams& params() const { return params_; }
  /// The solved problem of the current placement (Poisson modes), or null.
  [[nodiscard]] const PoissonProblem* problem() const { return problem_.get(); }

 private:
  void prepare();
  PixelRect pasteAlpha(Placement at);

  Image2D target_;
  Image2D source_;
  Image2D mask_;
  CompositeParams params_;
  PasteSource prepared_;
  Image2D result_;
  std::optional<Placement> placement_;
  PixelRect written_;  // pixels of result_ that differ from the target
  std::unique_ptr<PoissonProblem> problem_;
  SolverWorkspace workspace_;  // the solver's levels, kept while the paste moves in place
  CompositeReport report_;
  bool final_ = true;
};

}  // namespace harmonia
