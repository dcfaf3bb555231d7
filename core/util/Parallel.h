#pragma once
// The grain of oneTBB loops over the values of an image (one pass, a few
// operations per value): each task takes at least this many values, so that
// scheduling costs little next to the work and small images stay on one thread.

#include <cstddef>

namespace harmonia {

inline constexpr std::size_t kValuesPerTask = std::size_t{1} << 16;

}  // namespace harmonia
