#pragma once
// Cubic B-spline prefilter (Unser et al. 1991): turns samples into the coefficients
// of the cubic B-spline that interpolates them, so that resampling with
// Interpolation::CubicBSpline (Resample.h) passes through the samples. One
// causal and one anti-causal recursion (pole sqrt(3) - 2) along each axis,
// mirror boundary: along an axis the coefficients c satisfy
// (c[k-1] + 4 c[k] + c[k+1]) / 6 = s[k], with c[-1] = c[1] and c[n] = c[n-2].

#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Replaces v's samples by their cubic B-spline coefficients, in place, axis
/// by axis. Honours cancellation (throws Cancelled through progress).
void bsplinePrefilter(Volume& v, Progress& progress);

}  // namespace harmonia
