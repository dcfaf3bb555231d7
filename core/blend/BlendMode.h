#pragma once
// How a pasted source is combined with its target: one of the three guidance
// fields of Poisson image editing (GuidanceField.h) or plain alpha
// compositing (AlphaComposite.h). One enum for the whole paste pipeline: the
// Poisson problem, the Compositor, the CLI's --mode and the Composite toolbar.

#include <string>

namespace harmonia {

/// How the source is combined with the target.
enum class BlendMode {
  Normal,      ///< Poisson, v_pq = S_p - S_q: the source's own gradients (seamless cloning)
  Mixed,       ///< Poisson, per pixel, direction and channel the source or target gradient
               ///< with the larger magnitude (keeps target texture through the paste)
  Monochrome,  ///< Poisson, source luminance gradients in every channel; colour from the target
  Alpha        ///< (1 - a) * target + a * source with a feathered mask; no solve
};

/// True for the modes that solve a Poisson problem (all but Alpha).
constexpr bool isPoisson(BlendMode mode) { return mode != BlendMode::Alpha; }

/// Returns "normal", "mixed", "monochrome" or "alpha".
const char* toString(BlendMode mode);

/// Parses "normal", "mixed", "monochrome" or "alpha"; throws ParameterError otherwise.
BlendMode blendModeFromString(const std::string& name);

}  // namespace harmonia
