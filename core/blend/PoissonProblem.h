#pragma once
// The discrete Poisson problem of pasting a masked source into a target.
//
// The domain is exactly the mask's inside pixels (core/image/Mask2D.h) that
// land on the target, never eroded: any shape, holes, several components,
// single pixels. The source's top-left pixel lands on target pixel
// (placement.x, placement.y). For each domain pixel p:
//   d_p f_p - sum_{q ~ p, q in target} f_q = sum_{q ~ p, q in target} v_pq
// with f_q = target_q for neighbours outside the domain (Dirichlet) and
// neighbours outside the target left out (the image edge is a zero-flux,
// Neumann boundary). d_p counts p's neighbours inside the target. Where the
// mask reaches the source's own edge, the source has no gradient across it:
// v_pq = 0 there (normal, monochrome) or the target's gradient (mixed).
//
// Storage: a grid covering the domain's bounding box plus a one-pixel ring,
// one float plane per colour channel, in the target's value scale (0..255,
// 0..65535 or float). Grid cells outside the target are ghosts holding 0.
// solution(c) holds the unknowns (initial guess, then the solve's result) at
// domain cells and the Dirichlet values elsewhere, so every solver updates
// x_p = (sum of the four neighbours + rhs_p) / d_p with no special cases.

#include <cstdint>
#include <vector>

#include "core/blend/GuidanceField.h"
#include "core/image/Image2D.h"

#include <opencv2/core/types.hpp>

namespace harmonia {

/// Where the paste goes: the source's top-left pixel lands on target pixel (x, y).
struct Placement {
  int x = 0;  ///< target column of source column 0 (may be negative)
  int y = 0;  ///< target row of source row 0 (may be negative)
  friend bool operator==(const Placement&, const Placement&) = default;
};

/// A run of domain cells [x0, x1) in grid row y.
struct RowSpan {
  int y = 0;
  int x0 = 0;
  int x1 = 0;
};

/// The source and mask of a paste, converted once so that repeated builds
/// (live drag) only touch the target.
struct PasteSource {
  /// Validates and converts: source planes in the target's colour channels and
  /// value scale (one luminance plane for monochrome), mask as 0/1 bytes.
  /// Throws InputError like PoissonProblem::build.
  static PasteSource prepare(const Image2D& target, const Image2D& source, const Image2D& mask,
                             BlendMode mode);
  std::vector<cv::Mat> planes;  ///< CV_32F source planes, source-sized
  cv::Mat mask01;               ///< CV_8U, 1 inside the mask, source-sized
  cv::Rect mask_box;            ///< bounding box of the mask in source pixels
  BlendMode mode = BlendMode::Normal;
};

/// The linear system of one paste, ready for any PoissonSolver.
class PoissonProblem {
 public:
  /// Builds the problem. Throws InputError for an empty mask, a mask whose
  /// size differs from the source's, a paste entirely outside the target, a
  /// mask that covers the whole target (nothing to anchor the colours), or
  /// unsupported channel counts; ParameterError for BlendMode::Alpha. The source is converted to
  /// the target's channel count and value scale (8-bit <-> 16-bit by 257, float as 0..1).
  static PoissonProblem build(const Image2D& target, const Image2D& source, const Image2D& mask,
                              Placement placement, BlendMode mode);
  /// Builds from a prepared source (same checks; the guidance mode is the source's).
  static PoissonProblem build(const Image2D& target, const PasteSource& source,
                              Placement placement);

  /// Target width in pixels.
  [[nodiscard]] int imageWidth() const { return imageWidth_; }
  /// Target height in pixels.
  [[nodiscard]] int imageHeight() const { return imageHeight_; }
  /// Target column of grid column 0 (the domain's left edge minus one).
  [[nodiscard]] int gridX() const { return gridX_; }
  /// Target row of grid row 0.
  [[nodiscard]] int gridY() const { return gridY_; }
  /// Grid width in cells (domain bounding box plus a one-cell ring).
  [[nodiscard]] int gridWidth() const { return gridWidth_; }
  /// Grid height in cells.
  [[nodiscard]] int gridHeight() const { return gridHeight_; }
  /// Number of colour channels solved (1 or 3; a target's alpha is kept as is).
  [[nodiscard]] int channels() const { return static_cast<int>(rhs_.size()); }
  /// Number of unknowns per channel (domain pixels).
  [[nodiscard]] std::size_t unknowns() const { return unknowns_; }
  /// Where the source lands.
  [[nodiscard]] Placement placement() const { return placement_; }
  /// The guidance field used.
  [[nodiscard]] BlendMode mode() const { return mode_; }

  /// 1 for domain cells, 0 elsewhere; gridWidth() x gridHeight(), row-major.
  [[nodiscard]] const std::vector<std::uint8_t>& inside() const { return inside_; }
  /// The domain's row runs, sorted by row then column.
  [[nodiscard]] const std::vector<RowSpan>& spans() const { return spans_; }
  /// Index into spans() of the first run of grid row y; rowStart()[gridHeight()] = spans().size().
  [[nodiscard]] const std::vector<int>& rowStart() const { return rowStart_; }
  /// Guidance divergence sum_q v_pq of channel c at every grid cell (used at domain cells).
  [[nodiscard]] const std::vector<float>& rhs(int c) const { return rhs_[c]; }
  /// Unknowns at domain cells, Dirichlet values elsewhere, 0 at ghosts (channel c).
  [[nodiscard]] std::vector<float>& solution(int c) { return solution_[c]; }
  /// Read-only solution of channel c.
  [[nodiscard]] const std::vector<float>& solution(int c) const { return solution_[c]; }

  /// Diagonal d_p of grid cell (i, j): its neighbours inside the target.
  [[nodiscard]] float diagonal(int i, int j) const;
  /// Euclidean norm of channel c's right-hand side (guidance plus Dirichlet
  /// terms): the scale that relative residuals are measured against.
  [[nodiscard]] double rhsNorm(int c) const;
  /// Euclidean norm of channel c's residual b - A x over the domain.
  [[nodiscard]] double residualNorm(int c) const;
  /// Largest relative residual over the channels.
  [[nodiscard]] double relativeResidual() const;

  /// Warm start: for every domain pixel that was also pasted in `previous`
  /// (same source pixel), takes its previous solution as the initial guess.
  /// Returns the fraction of unknowns that were taken over.
  double warmStartFrom(const PoissonProblem& previous);

  /// Moves the paste to `placement` in place, keeping the current solution as
  /// the initial guess: only the Dirichlet values around the domain are read
  /// anew from `target` (the domain, the guidance and every unknown stay put,
  /// as they move with the source). Possible, and returns true, when the
  /// guidance does not depend on the target (not Mixed) and the grid lies
  /// wholly inside the target before and after the move (no clipping, no
  /// image-edge cells); otherwise returns false and changes nothing (build a
  /// new problem). `target` must be the one the problem was built on.
  bool moveTo(const Image2D& target, Placement placement);

  /// Writes the solution into the domain pixels of `image` (the target or a
  /// copy of it), rounding and clamping to its sample type.
  void writeInto(Image2D& image) const;

 private:
  int imageWidth_ = 0;
  int imageHeight_ = 0;
  int gridX_ = 0;
  int gridY_ = 0;
  int gridWidth_ = 0;
  int gridHeight_ = 0;
  std::size_t unknowns_ = 0;
  Placement placement_;
  BlendMode mode_ = BlendMode::Normal;
  std::vector<std::uint8_t> inside_;
  std::vector<RowSpan> spans_;
  std::vector<int> rowStart_;
  std::vector<std::vector<float>> rhs_;
  std::vector<std::vector<float>> solution_;
  std::vector<double> rhsNorm_;
  std::vector<double> guidanceSquares_;     // per channel: sum of rhs^2 over the domain
  std::vector<std::size_t> boundaryCells_;  // domain cells with a neighbour outside it
  std::vector<std::size_t> ring_;           // non-domain cells next to the domain

  void updateRhsNorms();
};

/// Float planes of an image's colour channels in `channels` channels and the
/// value scale of `scaleOf`: what the blend code works on.
std::vector<cv::Mat> colourPlanes(const Image2D& image, int channels, SampleType scaleOf);

}  // namespace harmonia
