#include "core/stats/ValueSummary.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/util/Error.h"

namespace harmonia {

ValueSummary summarizeValues(const Volume& volume, const MaskVolume* mask) {
  if (mask && mask->geometry().size != volume.geometry().size) {
    throw InputError("the mask's grid differs from the image's");
  }
  std::vector<float> values;
  values.reserve(mask ? volume.voxelCount() / 8 : volume.voxelCount());
  const auto v = volume.voxels();
  double sum = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (mask && !mask->data()[i]) continue;
    if (!std::isfinite(v[i])) continue;
    values.push_back(v[i]);
    sum += v[i];
  }
  ValueSummary s;
  s.count = values.size();
  if (values.empty()) return s;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  s.mean = sum / static_cast<double>(values.size());
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  s.median = values[mid];
  if (values.size() % 2 == 0) {
    const double below =
        *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
    s.median = 0.5 * (s.median + below);
  }
  return s;
}

}  // namespace harmonia
