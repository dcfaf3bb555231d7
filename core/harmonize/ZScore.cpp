#include "core/harmonize/ZScore.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <cmath>
#include <opencv2/core.hpp>
#include <span>

#include "core/image/Mask2D.h"
#include "core/stats/Quantiles.h"
#include "core/util/Error.h"
#include "core/util/Parallel.h"

namespace harmonia {
namespace {

constexpr double kIqrPerSigma = 1.3489795003921634;  // IQR of a unit normal

struct Sums {
  std::uint64_t n = 0;
  double sum = 0.0;
};

// Mean and population standard deviation (two passes, float64).
void meanAndStd(std::span<const float> v, const std::uint8_t* mask, ZScoreReport& r,
                Progress& progress) {
  const Sums s = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, v.size(), kValuesPerTask), Sums{},
      [&](const tbb::blocked_range<std::size_t>& range, Sums acc) {
        if (progress.cancelRequested()) return acc;
        for (std::size_t i = range.begin(); i < range.end(); ++i) {
          if (mask[i] == 0 || !std::isfinite(v[i])) continue;
          ++acc.n;
          acc.sum += v[i];
        }
        return acc;
      },
      [](Sums a, const Sums& b) {
        return Sums{a.n + b.n, a.sum + b.sum};
      });
  progress.throwIfCancelled();
  if (s.n == 0) throw InputError("ROI mask has no voxels inside (or only NaN values there)");
  const double mean = s.sum / static_cast<double>(s.n);
  const double m2 = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, v.size(), kValuesPerTask), 0.0,
      [&](const tbb::blocked_range<std::size_t>& range, double acc) {
        for (std::size_t i = range.begin(); i < range.end(); ++i) {
          if (mask[i] == 0 || !std::isfinite(v[i])) continue;
          const double d = v[i] - mean;
          acc += d * d;
        }
        return acc;
      },
      [](double a, double b) { return a + b; });
  r.roi_count = s.n;
  r.centre = mean;
  r.scale = std::sqrt(m2 / static_cast<double>(s.n));
}

ZScoreReport normalise(std::span<const float> in, const std::uint8_t* mask,
                       const ZScoreParams& params, std::span<float> out, Progress& progress) {
  ZScoreReport r;
  r.robust = params.robust;
  SubProgress statsProgress(progress, 0.0, 0.6);
  if (params.robust) {
    const double probabilities[3] = {0.25, 0.5, 0.75};
    const ValueScan scan = scanValues(in, mask, statsProgress);
    if (scan.count == 0) {
      throw InputError("ROI mask has no voxels inside (or only NaN values there)");
    }
    const std::vector<double> q = sampleQuantiles(in, mask, probabilities, statsProgress);
    r.roi_count = scan.count;
    r.centre = q[1];
    r.iqr = q[2] - q[0];
    r.scale = r.iqr / kIqrPerSigma;
    if (!(r.scale > 0.0)) {
      throw InputError("image has zero interquartile range inside the ROI; cannot z-score");
    }
  } else {
    meanAndStd(in, mask, r, statsProgress);
    if (!(r.scale > 0.0)) throw InputError("image is constant inside the ROI; cannot z-score");
  }
  r.alpha_removed = r.scale;
  r.beta_removed = r.centre;
  const double centre = r.centre, inverse = 1.0 / r.scale;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, in.size(), kValuesPerTask),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      if (progress.cancelRequested()) return;
                      for (std::size_t i = range.begin(); i < range.end(); ++i) {
                        out[i] = static_cast<float>((in[i] - centre) * inverse);
                      }
                    });
  progress.throwIfCancelled();
  progress.report(1.0);
  return r;
}

}  // namespace

ZScoreResult zscore(const Volume& input, const MaskVolume& roi, const ZScoreParams& params,
                    Progress& progress) {
  if (roi.geometry().size != input.geometry().size) {
    throw InputError("ROI mask size differs from the image's");
  }
  progress.throwIfCancelled();
  ZScoreResult result;
  result.image = Volume(input.geometry(), kUninitialized);
  result.report = normalise(input.voxels(), roi.data(), params, result.image.voxels(), progress);
  result.image.setUnits("z");
  result.image.metadata() = input.metadata();
  return result;
}

ZScoreResult2D zscore(const Image2D& input, const Image2D& roi, const ZScoreParams& params,
                      Progress& progress) {
  if (roi.width() != input.width() || roi.height() != input.height()) {
    throw InputError("ROI mask size differs from the image's");
  }
  const int w = input.width(), h = input.height(), channels = input.channels();
  const cv::Mat inside = maskInside(roi);  // continuous CV_8U 0/1
  const std::vector<std::uint8_t> mask(inside.datastart, inside.dataend);
  ZScoreResult2D result;
  cv::Mat out(h, w, CV_MAKETYPE(CV_32F, std::max(1, channels)));
  for (int c = 0; c < channels; ++c) {
    SubProgress channelProgress(progress, static_cast<double>(c) / channels,
                                static_cast<double>(c + 1) / channels);
    cv::Mat plane, f;
    cv::extractChannel(input.mat(), plane, c);
    plane.convertTo(f, CV_32F);
    if (!f.isContinuous()) f = f.clone();
    std::vector<float> z(f.total());
    result.reports.push_back(
        normalise({f.ptr<float>(), f.total()}, mask.data(), params, z, channelProgress));
    for (int y = 0; y < h; ++y) {
      float* row = out.ptr<float>(y);
      for (int x = 0; x < w; ++x) row[x * channels + c] = z[static_cast<std::size_t>(y) * w + x];
    }
  }
  result.image = Image2D::wrap(out);
  result.image.setSpacing(input.spacing_mm());
  result.image.setOrigin(input.origin_mm());
  result.image.setDirection(input.direction());
  result.image.metadata() = input.metadata();
  return result;
}

}  // namespace harmonia
