#pragma once
// Whole-sample mirroring at the edges of a sampled axis.

namespace harmonia {

/// Index i of an axis of n samples mirrored about the edge sample centres
/// ("reflect101": -1 -> 1, n -> n - 2), periodic with period 2 (n - 1) so any
/// distance outside works. 0 for a single-sample axis.
inline int mirrorIndex(int i, int n) {
  if (n == 1) return 0;
  const int period = 2 * (n - 1);
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - i;
}

}  // namespace harmonia
