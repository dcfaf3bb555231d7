#pragma once
// The value of a result that is not defined (a statistic of too few samples,
// a fit that did not converge): a quiet NaN.

#include <limits>

namespace harmonia {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace harmonia
