#include "core/stats/Summary.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <array>
#include <cmath>
#include <limits>
#include <opencv2/core.hpp>

#include "core/stats/Quantiles.h"
#include "core/util/Error.h"
#include "core/util/Parallel.h"

namespace harmonia {
namespace {

// Sum of f(v) over the finite masked values, in double, in parallel.
template <typename F>
double maskedSum(std::span<const float> values, const std::uint8_t* mask, Progress& progress, F f) {
  const double sum = tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(0, values.size(), kValuesPerTask), 0.0,
      [&](const tbb::blocked_range<std::size_t>& r, double acc) {
        if (progress.cancelRequested()) return acc;
        double local = 0.0;
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          const float v = values[i];
          if ((mask == nullptr || mask[i] != 0) && std::isfinite(v)) local += f(v);
        }
        return acc + local;
      },
      [](double x, double y) { return x + y; });
  progress.throwIfCancelled();
  return sum;
}

}  // namespace

ValueSummary summarizeValues(std::span<const float> values, const std::uint8_t* mask,
                             SummaryDetail detail, Progress& progress) {
  const ValueScan scan = scanValues(values, mask, progress);
  if (scan.count == 0) {
    throw InputError(
        "the region holds no finite value (an empty mask, or only NaN or infinite values)");
  }
  ValueSummary s;
  s.count = scan.count;
  s.non_finite = scan.non_finite;
  s.min = scan.min;
  s.max = scan.max;
  const double n = static_cast<double>(scan.count);
  s.mean = maskedSum(values, mask, progress, [](float v) { return static_cast<double>(v); }) / n;
  progress.report(0.2);
  const double mean = s.mean;
  const double squares = maskedSum(values, mask, progress, [mean](float v) {
    const double d = static_cast<double>(v) - mean;
    return d * d;
  });
  s.sd = scan.count > 1 ? std::sqrt(squares / (n - 1.0)) : std::numeric_limits<double>::quiet_NaN();
  progress.report(0.4);
  if (detail == SummaryDetail::Moments) {
    progress.report(1.0);
    return s;
  }
  constexpr std::array<double, 3> kProbabilities{0.5, 0.05, 0.95};
  SubProgress quantileProgress(progress, 0.4, 1.0);
  const std::vector<double> q = sampleQuantiles(values, mask, kProbabilities, quantileProgress);
  s.median = q[0];
  s.p5 = q[1];
  s.p95 = q[2];
  progress.report(1.0);
  return s;
}

ValueSummary summarizeValues(const Volume& volume, const MaskVolume* mask, SummaryDetail detail,
                             Progress& progress) {
  if (mask != nullptr && !mask->geometry().sameGrid(volume.geometry())) {
    throw InputError("the mask's grid differs from the image's (size, spacing, origin or axes)");
  }
  return summarizeValues(volume.voxels(), mask != nullptr ? mask->data() : nullptr, detail,
                         progress);
}

ValueSummary summarizeValues(const Image2D& image, int channel, SummaryDetail detail) {
  if (channel < 0 || channel >= image.channels()) throw ParameterError("channel out of range");
  // One channel as float32 (exact for 8- and 16-bit samples), then as any values.
  cv::Mat plane;
  cv::extractChannel(image.mat(), plane, channel);
  plane.convertTo(plane, CV_32F);
  const std::span<const float> values(plane.ptr<float>(), plane.total());
  return summarizeValues(values, nullptr, detail);
}

}  // namespace harmonia
