#pragma once
// How two studies on one grid are shown together in one view: the comparison
// modes of the Compare workspace, composed one slice at a time.
//
// Study B has been resampled onto study A's grid (outside B's extent its
// values are NaN), so both slices have the same pixels. The composition is
// a complete opaque RGBA picture of the slice (A's grey included), so what
// the user sees in a mode depends on this function alone:
//   SideBySide   A's grey (the views show the two studies separately)
//   Fade         (1 - fade) grey(A) + fade grey(B): 0 shows A, 1 shows B
//   Flicker      grey(B) while flicker_shows_b, else grey(A)
//   Checkerboard squares of checker_mm x checker_mm in the slice plane,
//                starting at the grid origin: A in even squares, B in odd
//   Difference   B - A through a diverging map (blue < 0 < red, white at 0)
//                over [-difference_range, +difference_range], in units
//   Swipe        A left of the divider, B from it on (swipe: the fraction of
//                the view's width where B starts; swipe_axis and
//                swipe_reversed say how the slice lies on the screen)
//   Fusion       A magenta, B green (red = blue = grey(A), green = grey(B)):
//                grey where they agree
// grey(A) and grey(B) apply each study's own window/level (linked windows
// are chosen by the caller). Where B has no value (NaN), A's grey is shown
// in every mode; in Difference mode such pixels are transparent black.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace harmonia {

/// How study B is shown against study A.
enum class ComparisonMode { SideBySide, Fade, Flicker, Checkerboard, Difference, Swipe, Fusion };

/// "side", "fade", "flicker", "checkerboard", "difference", "swipe" or "fusion".
const char* toString(ComparisonMode mode);
/// Parses the names toString() gives; nullopt for anything else.
std::optional<ComparisonMode> parseComparisonMode(const std::string& name);

/// Window (width, > 0) and level (centre) in a study's units.
struct DisplayWindow {
  double window = 1.0;
  double level = 0.5;
};

/// Parameters of composing one slice.
struct ComparisonDisplayParams {
  ComparisonMode mode = ComparisonMode::SideBySide;
  DisplayWindow a;                ///< study A's window/level
  DisplayWindow b;                ///< study B's window/level
  double fade = 0.5;              ///< Fade: 0 = A only, 1 = B only
  bool flicker_shows_b = false;   ///< Flicker: the phase shown now
  double checker_mm = 20.0;       ///< Checkerboard: square side, mm (> 0)
  double swipe = 0.5;             ///< Swipe: fraction of the width where B starts (0..1)
  int swipe_axis = 0;             ///< Swipe: the view\'s horizontal runs along u (0) or v (1)
  bool swipe_reversed = false;    ///< Swipe: the view\'s right is towards lower u (or v)
  double difference_range = 1.0;  ///< Difference: |B - A| shown at full colour, units (> 0)
};

/// Grey level 0..255 of `value` under a window: clamp((v - (L - W/2)) / W) * 255.
std::uint8_t greyOf(float value, const DisplayWindow& window);

/// The diverging colour of t in [-1, 1] (clamped): blue (t = -1) through
/// white (t = 0) to red (t = +1), as RGB bytes.
std::array<std::uint8_t, 3> divergingColour(double t);

/// Composes one slice: `a` and `b` hold nu x nv values (u fastest, u the
/// view's horizontal axis), `spacing_u_mm` and `spacing_v_mm` their pixel
/// sizes; writes nu x nv RGBA pixels (straight alpha) to `rgba` (4 bytes a
/// pixel). Throws std::invalid_argument when the sizes disagree.
void composeComparisonSlice(std::span<const float> a, std::span<const float> b, int nu, int nv,
                            double spacing_u_mm, double spacing_v_mm,
                            const ComparisonDisplayParams& params, std::span<std::uint8_t> rgba);

}  // namespace harmonia
