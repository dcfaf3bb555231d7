#pragma once
// The Wasserstein-1 (earth mover's) distance between two samples of equal size.
//
// Contract: for samples a and b of n finite values each, W1 = (1/n) sum_i
// |a_(i) - b_(i)| with a_(i), b_(i) the sorted values; equivalently the area
// between the two empirical CDFs, integral |F_a(x) - F_b(x)| dx. It is
// computed exactly (up to double rounding of the sums), in the values' units.
//
// Method (no global sort in the usual case): the values of both samples go
// into up to 65,536 equal bins over their common range, each bin keeping, per
// sample, its count and value sum, and the bin's smallest and largest value.
// Between bins, and inside a bin where F_a - F_b cannot change sign (its
// value before the bin, minus b's count in the bin, stays >= 0, or plus a's
// count stays <= 0), the area follows from the counts and sums alone. A bin
// holding a single distinct value (whole-number data such as CT in HU) adds
// no area inside it. Only the values of the remaining bins are gathered and
// sorted, bin by bin; when those hold more than half of all values (two
// nearly identical samples), both samples are sorted in place instead, unless
// they are equal element by element (W1 = 0: a study against itself). Sums
// run in a fixed order, so the result does not depend on the thread count.

#include <span>

#include "core/job/Progress.h"

namespace harmonia {

/// W1 between the samples `a` and `b` (equal, nonzero sizes; finite values).
/// May reorder both (see above). Throws ParameterError on other input.
double wasserstein1(std::span<float> a, std::span<float> b, Progress& progress = noProgress());

}  // namespace harmonia
