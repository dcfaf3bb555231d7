#pragma once
// Order statistics of volume values: min, median, mean, max, count.

#include <cstdint>

#include "core/image/Volume.h"

namespace harmonia {

/// Summary of the finite values (inside a mask when given).
struct ValueSummary {
  std::uint64_t count = 0;  ///< finite values counted
  double min = 0.0;
  double median = 0.0;  ///< middle value; mean of the two middle ones for an even count
  double mean = 0.0;
  double max = 0.0;
};

/// Summarises `volume`'s finite values where `mask` (same grid) is nonzero,
/// or everywhere when mask is null. Throws InputError when the grids differ.
ValueSummary summarizeValues(const Volume& volume, const MaskVolume* mask = nullptr);

}  // namespace harmonia
