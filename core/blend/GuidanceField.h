#pragma once
// Guidance fields of Poisson image editing (Pérez, Gangnet & Blake 2003).
//
// Inside the pasted region the solution f matches, for every pixel p and each
// 4-neighbour q, the guidance v_pq of the step p -> q in the least-squares
// sense: sum_q (f_p - f_q) = sum_q v_pq. The Poisson modes of BlendMode
// (Normal, Mixed, Monochrome) differ only in v_pq; Alpha has no guidance field.

#include <cmath>

#include "core/blend/BlendMode.h"

namespace harmonia {

/// The guidance of the step p -> q, given the source and target values at p and q.
/// Source values outside the source must equal S_p (edge replication) so that
/// their gradient is zero; the same holds for target values outside the target.
inline float guidanceStep(BlendMode mode, float sp, float sq, float tp, float tq) {
  const float s = sp - sq;
  if (mode != BlendMode::Mixed) return s;
  const float t = tp - tq;
  return std::fabs(s) > std::fabs(t) ? s : t;
}

/// Rec. 601 luma of an RGB triple, the grey that monochrome transfer uses.
inline float luminance(float r, float g, float b) { return 0.299f * r + 0.587f * g + 0.114f * b; }

}  // namespace harmonia
