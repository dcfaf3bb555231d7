#include "core/harmonize/HistogramMatching.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <sstream>

#include "core/image/Mask2D.h"
#include "core/stats/Quantiles.h"
#include "core/util/Error.h"
#include "core/util/Parallel.h"
#include "core/util/Simd.h"

// Proof of the float error bound stated in the header. Let x lie in source bin
// k (edges e_k <= x <= e_(k+1)), S_k = fraction of masked source values in bins
// < k, and p = F_s(x). Values in bins < k are < x and values in bins > k are
// > x, so S_k <= p <= S_(k+1) <= S_k + delta_s. The approximate map is
// monotone and T_approx(x) lies between L_k = Qh(S_k) and L_(k+1) = Qh(S_(k+1)),
// where Qh(q), for q in (T_b, T_(b+1)] (T_b: fraction of masked target values in
// bins < b), lies in target bin b. The exact Q_t at T_(b+1) is the last distinct
// target value in bin b, so Qh(q) <= Q_t(T_(b+1)) + w_t <= Q_t(q + delta_t) + w_t;
// and Q_t at T_b is a value in a bin < b, so Q_t(q - delta_t) <= Q_t(T_b) <= Qh(q).
// Chaining: Q_t(p - delta_s - delta_t) <= T_approx(x) <= Q_t(p + delta_s + delta_t) + w_t.

namespace harmonia {
namespace {

constexpr double kMaxIntegerBins = 1 << 24;

// Applies a per-voxel function in parallel; non-finite values pass through.
template <typename F>
void applyMap(std::span<const float> in, std::span<float> out, Progress& progress, const F& f) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, in.size(), kValuesPerTask),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      if (progress.cancelRequested()) return;
                      const float* src = in.data();
                      float* dst = out.data();
                      for (std::size_t i = r.begin(); i < r.end(); ++i) {
                        const float x = src[i];
                        dst[i] = std::isfinite(x) ? f(x) : x;
                      }
                    });
  progress.throwIfCancelled();
}

// The float path's map: position in source bins (the same float32 binning as
// countBins), linear between the tabulated levels; NaN stays NaN, -inf/+inf go
// to the ends. Branch-free so it vectorises (AVX2 gathers where available).
HARMONIA_SIMD_CLONES
void applyLevels(const float* in, float* out, std::size_t n, float lo, float scale, int bins,
                 const float* level, const float* slope) {
  const float top = static_cast<float>(bins);
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i];
    float pos = (x - lo) * scale;
    pos = pos >= 0.0f ? pos : 0.0f;  // NaN -> 0 too
    pos = pos <= top ? pos : top;
    int k = static_cast<int>(pos);
    k = k < bins ? k : bins - 1;
    const float y = level[k] + (pos - static_cast<float>(k)) * slope[k];
    out[i] = x == x ? y : x;
  }
}

std::string valueText(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void requireUsable(const ValueScan& scan, const std::string& role) {
  if (scan.count == 0) {
    throw InputError(role + " mask has no voxels inside (or only NaN values there)");
  }
  if (scan.min == scan.max) {
    throw InputError(role + " image is constant (" + valueText(scan.min) +
                     ") inside its mask; a histogram match needs at least two distinct values");
  }
}

// Quantile function of the target through points (P_l, U_l), clamped at the ends.
// Calls must come with non-decreasing p (the pointer only moves forward).
class MonotoneInterp {
 public:
  MonotoneInterp(const std::vector<double>& p, const std::vector<double>& u) : p_(p), u_(u) {}
  double operator()(double q) {
    if (q <= p_.front()) return u_.front();
    if (q >= p_.back()) return u_.back();
    while (l_ + 1 < p_.size() && p_[l_ + 1] <= q) ++l_;
    if (l_ + 1 >= p_.size()) return u_.back();
    return u_[l_] + (q - p_[l_]) * (u_[l_ + 1] - u_[l_]) / (p_[l_ + 1] - p_[l_]);
  }

 private:
  const std::vector<double>& p_;
  const std::vector<double>& u_;
  std::size_t l_ = 0;
};

HistogramMatchReport fullMatch(std::span<const float> src, const std::uint8_t* srcMask,
                               std::span<const float> tgt, const std::uint8_t* tgtMask,
                               const HistogramMatchParams& params, std::span<float> out,
                               Progress& progress) {
  if (params.bins < 256) throw ParameterError("histogram matching needs bins >= 256");
  SubProgress scanProgress(progress, 0.0, 0.3);
  const ValueScan all = scanValues(src, nullptr, scanProgress);
  const ValueScan s = srcMask != nullptr ? scanValues(src, srcMask, scanProgress) : all;
  const ValueScan t = scanValues(tgt, tgtMask, scanProgress);
  requireUsable(s, "source");
  requireUsable(t, "target");
  HistogramMatchReport report;
  report.method = HistogramMatchMethod::Full;
  report.source_count = s.count;
  report.target_count = t.count;
  SubProgress countProgress(progress, 0.3, 0.7);
  SubProgress applyProgress(progress, 0.7, 1.0);
  const double ns = static_cast<double>(s.count), nt = static_cast<double>(t.count);

  // Integers: ranges up to 2^24 bins, magnitudes below 2^22 so that the bin
  // edges v +- 0.5 are exact in float32.
  constexpr double kMaxMagnitude = 1 << 22;
  const bool integer =
      params.exact_integers && all.integral && t.integral &&
      std::max(-all.min, all.max) < kMaxMagnitude && std::max(-t.min, t.max) < kMaxMagnitude &&
      all.max - all.min + 1 <= kMaxIntegerBins && t.max - t.min + 1 <= kMaxIntegerBins;
  if (integer) {
    // One bin per integer: bin v - lo of [lo - 0.5, hi + 0.5] holds exactly the value v.
    const int sBins = static_cast<int>(s.max - s.min + 1);
    const int tBins = static_cast<int>(t.max - t.min + 1);
    const auto hs = countBins(src, srcMask, sBins, s.min - 0.5, s.max + 0.5, countProgress);
    const auto ht = countBins(tgt, tgtMask, tBins, t.min - 0.5, t.max + 0.5, countProgress);
    std::vector<double> p, u;
    std::uint64_t cum = 0;
    for (int b = 0; b < tBins; ++b) {
      if (ht[b] == 0) continue;
      cum += ht[b];
      p.push_back(static_cast<double>(cum) / nt);
      u.push_back(t.min + b);
    }
    // Lookup table over the whole source image's integer range.
    const long lo = static_cast<long>(all.min);
    const long size = static_cast<long>(all.max) - lo + 1;
    std::vector<float> lut(size);
    MonotoneInterp quantile(p, u);
    cum = 0;
    for (long v = lo; v < lo + size; ++v) {
      const long b = v - static_cast<long>(s.min);
      if (b >= 0 && b < sBins) cum += hs[b];
      lut[v - lo] = static_cast<float>(quantile(static_cast<double>(cum) / ns));
    }
    applyMap(src, out, applyProgress, [&](float x) { return lut[static_cast<long>(x) - lo]; });
    report.exact = true;
    report.bins = sBins;
    return report;
  }

  const int bins = params.bins;
  const auto hs = countBins(src, srcMask, bins, s.min, s.max, countProgress);
  const auto ht = countBins(tgt, tgtMask, bins, t.min, t.max, countProgress);
  const double wt = (t.max - t.min) / bins;
  // Target cumulative fractions at bin edges.
  std::vector<double> tEdge(bins + 1, 0.0);
  std::uint64_t cum = 0;
  std::uint64_t maxS = 0, maxT = 0;
  for (int b = 0; b < bins; ++b) {
    cum += ht[b];
    tEdge[b + 1] = static_cast<double>(cum) / nt;
    maxT = std::max(maxT, ht[b]);
    maxS = std::max(maxS, hs[b]);
  }
  tEdge[bins] = 1.0;
  // L_k = Qh(S_k) at every source bin edge (S_k non-decreasing: one sweep).
  std::vector<float> level(bins + 1), slope(bins + 1, 0.0f);
  cum = 0;
  int b = 0;
  for (int k = 0; k <= bins; ++k) {
    if (k > 0) cum += hs[k - 1];
    const double q = k == bins ? 1.0 : static_cast<double>(cum) / ns;
    double value;
    if (q <= 0.0) {
      value = t.min;
    } else if (q >= 1.0) {
      value = t.max;
    } else {
      while (b < bins - 1 && tEdge[b + 1] < q) ++b;
      value = t.min + wt * (b + (q - tEdge[b]) / (tEdge[b + 1] - tEdge[b]));
    }
    level[k] = static_cast<float>(value);
  }
  for (int k = 0; k < bins; ++k) slope[k] = level[k + 1] - level[k];
  slope[bins] = 0.0f;
  const float sLo = static_cast<float>(s.min), scale = binScale(s.min, s.max, bins);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, src.size(), kValuesPerTask),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      if (applyProgress.cancelRequested()) return;
                      applyLevels(src.data() + r.begin(), out.data() + r.begin(), r.size(), sLo,
                                  scale, bins, level.data(), slope.data());
                    });
  applyProgress.throwIfCancelled();
  report.bins = bins;
  report.quantile_error_bound = static_cast<double>(maxS) / ns + static_cast<double>(maxT) / nt;
  report.value_error_bound = wt;
  return report;
}

std::vector<double> landmarksOf(std::span<const float> values, const std::uint8_t* mask,
                                const std::vector<double>& percentiles, const std::string& role,
                                Progress& progress) {
  if (percentiles.size() < 2) throw ParameterError("landmark method needs >= 2 percentiles");
  for (std::size_t i = 0; i < percentiles.size(); ++i) {
    if (!(percentiles[i] >= 0.0 && percentiles[i] <= 100.0) ||
        (i > 0 && !(percentiles[i] > percentiles[i - 1]))) {
      throw ParameterError("landmark percentiles must increase within 0..100");
    }
  }
  const ValueScan scan = scanValues(values, mask, progress);
  requireUsable(scan, role);
  std::vector<double> probabilities;
  probabilities.reserve(percentiles.size());
  for (double p : percentiles) probabilities.push_back(p / 100.0);
  return sampleQuantiles(values, mask, probabilities, progress);
}

HistogramMatchReport landmarkMatch(std::span<const float> src, const std::uint8_t* srcMask,
                                   const LandmarkStandard& standard, std::span<float> out,
                                   Progress& progress) {
  if (standard.values.size() != standard.percentiles.size() || standard.values.size() < 2) {
    throw ParameterError("landmark standard: percentiles and values must match, >= 2 of each");
  }
  for (std::size_t i = 1; i < standard.values.size(); ++i) {
    if (standard.values[i] < standard.values[i - 1]) {
      throw ParameterError("landmark standard values must not decrease");
    }
  }
  SubProgress findProgress(progress, 0.0, 0.7);
  const std::vector<double> lm =
      landmarksOf(src, srcMask, standard.percentiles, "source", findProgress);
  // Piecewise-linear map through (lm_i, standard_i); source ties (a plateau
  // of equal values) keep the first landmark of the tie.
  std::vector<double> xs, ys;
  for (std::size_t i = 0; i < lm.size(); ++i) {
    if (!xs.empty() && lm[i] <= xs.back()) continue;
    xs.push_back(lm[i]);
    ys.push_back(standard.values[i]);
  }
  if (xs.size() < 2) {
    throw InputError("source image has a single value at all landmark percentiles inside its mask");
  }
  const std::size_t m = xs.size();
  const double slopeFirst = (ys[1] - ys[0]) / (xs[1] - xs[0]);
  const double slopeLast = (ys[m - 1] - ys[m - 2]) / (xs[m - 1] - xs[m - 2]);
  SubProgress applyProgress(progress, 0.7, 1.0);
  applyMap(src, out, applyProgress, [&](float xf) {
    const double x = xf;
    if (x <= xs[0]) return static_cast<float>(ys[0] + (x - xs[0]) * slopeFirst);
    if (x >= xs[m - 1]) return static_cast<float>(ys[m - 1] + (x - xs[m - 1]) * slopeLast);
    std::size_t i =
        static_cast<std::size_t>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin());
    const std::size_t j = i - 1;
    return static_cast<float>(ys[j] + (x - xs[j]) * (ys[i] - ys[j]) / (xs[i] - xs[j]));
  });
  HistogramMatchReport report;
  report.method = HistogramMatchMethod::Landmarks;
  report.exact = true;  // landmarks are exact quantiles
  report.source_count = scanValues(src, srcMask).count;
  report.source_landmarks = lm;
  report.target_landmarks = standard.values;
  return report;
}

void checkMask(const Volume& image, const MaskVolume* mask, const std::string& role) {
  if (mask != nullptr && mask->geometry().size != image.geometry().size) {
    throw InputError(role + " mask size differs from the " + role + " image's");
  }
}

std::vector<std::uint8_t> maskBytes(const Image2D* mask, int width, int height,
                                    const std::string& role) {
  if (mask == nullptr) return {};
  if (mask->width() != width || mask->height() != height) {
    throw InputError(role + " mask size differs from the " + role + " image's");
  }
  const cv::Mat inside = maskInside(*mask);  // continuous CV_8U 0/1
  return {inside.datastart, inside.dataend};
}

std::vector<float> channelValues(const Image2D& image, int channel) {
  cv::Mat plane, f;
  cv::extractChannel(image.mat(), plane, channel);
  plane.convertTo(f, CV_32F);
  if (!f.isContinuous()) f = f.clone();
  return std::vector<float>(f.ptr<float>(), f.ptr<float>() + f.total());
}

}  // namespace

const char* toString(HistogramMatchMethod method) {
  return method == HistogramMatchMethod::Landmarks ? "landmarks" : "full";
}

HistogramMatchResult matchHistogram(const Volume& source, const Volume& target,
                                    const MaskVolume* source_mask, const MaskVolume* target_mask,
                                    const HistogramMatchParams& params, Progress& progress) {
  checkMask(source, source_mask, "source");
  checkMask(target, target_mask, "target");
  progress.throwIfCancelled();
  if (params.method == HistogramMatchMethod::Landmarks) {
    SubProgress standardProgress(progress, 0.0, 0.4);
    const LandmarkStandard standard =
        imageLandmarks(target, target_mask, params.landmark_percentiles, standardProgress);
    SubProgress matchProgress(progress, 0.4, 1.0);
    HistogramMatchResult result = matchLandmarks(source, source_mask, standard, matchProgress);
    result.report.target_count =
        scanValues(target.voxels(), target_mask ? target_mask->data() : nullptr).count;
    return result;
  }
  HistogramMatchResult result;
  result.image = Volume(source.geometry(), kUninitialized);
  result.report = fullMatch(source.voxels(), source_mask ? source_mask->data() : nullptr,
                            target.voxels(), target_mask ? target_mask->data() : nullptr, params,
                            result.image.voxels(), progress);
  result.image.setUnits(target.units());
  result.image.metadata() = source.metadata();
  progress.report(1.0);
  return result;
}

HistogramMatchResult2D matchHistogram(const Image2D& source, const Image2D& target,
                                      const Image2D* source_mask, const Image2D* target_mask,
                                      const HistogramMatchParams& params, Progress& progress) {
  if (source.empty() || target.empty()) throw InputError("source or target image is empty");
  if (source.channels() != target.channels()) {
    throw InputError("source has " + std::to_string(source.channels()) + " channels, target " +
                     std::to_string(target.channels()) + "; histogram matching pairs channels");
  }
  const std::vector<std::uint8_t> sm =
      maskBytes(source_mask, source.width(), source.height(), "source");
  const std::vector<std::uint8_t> tm =
      maskBytes(target_mask, target.width(), target.height(), "target");
  const int channels = source.channels();
  HistogramMatchResult2D result;
  cv::Mat out(source.height(), source.width(), CV_MAKETYPE(CV_32F, channels));
  for (int c = 0; c < channels; ++c) {
    SubProgress channelProgress(progress, static_cast<double>(c) / channels,
                                static_cast<double>(c + 1) / channels);
    const std::vector<float> s = channelValues(source, c);
    const std::vector<float> t = channelValues(target, c);
    std::vector<float> mapped(s.size());
    const std::uint8_t* smp = sm.empty() ? nullptr : sm.data();
    const std::uint8_t* tmp = tm.empty() ? nullptr : tm.data();
    if (params.method == HistogramMatchMethod::Landmarks) {
      LandmarkStandard standard{
          params.landmark_percentiles,
          landmarksOf(t, tmp, params.landmark_percentiles, "target", channelProgress)};
      result.reports.push_back(landmarkMatch(s, smp, standard, mapped, channelProgress));
    } else {
      result.reports.push_back(fullMatch(s, smp, t, tmp, params, mapped, channelProgress));
    }
    for (int y = 0; y < source.height(); ++y) {
      float* row = out.ptr<float>(y);
      for (int x = 0; x < source.width(); ++x) {
        row[x * channels + c] = mapped[static_cast<std::size_t>(y) * source.width() + x];
      }
    }
  }
  result.image = Image2D::wrap(out);
  result.image.setSpacing(source.spacing_mm());
  result.image.setOrigin(source.origin_mm());
  result.image.setDirection(source.direction());
  result.image.metadata() = source.metadata();
  progress.report(1.0);
  return result;
}

LandmarkStandard imageLandmarks(const Volume& image, const MaskVolume* mask,
                                const std::vector<double>& percentiles, Progress& progress) {
  checkMask(image, mask, "target");
  return {percentiles, landmarksOf(image.voxels(), mask ? mask->data() : nullptr, percentiles,
                                   "target", progress)};
}

LandmarkStandard learnLandmarkStandard(std::span<const Volume* const> images,
                                       std::span<const MaskVolume* const> masks,
                                       double standard_min, double standard_max,
                                       const std::vector<double>& percentiles, Progress& progress) {
  if (images.empty()) throw ParameterError("learnLandmarkStandard: no images");
  if (!masks.empty() && masks.size() != images.size()) {
    throw ParameterError("learnLandmarkStandard: one mask (or nullptr) per image");
  }
  if (!(standard_max > standard_min)) {
    throw ParameterError("learnLandmarkStandard: standard_max must exceed standard_min");
  }
  LandmarkStandard standard{percentiles, std::vector<double>(percentiles.size(), 0.0)};
  for (std::size_t n = 0; n < images.size(); ++n) {
    SubProgress imageProgress(progress, static_cast<double>(n) / images.size(),
                              static_cast<double>(n + 1) / images.size());
    const MaskVolume* mask = masks.empty() ? nullptr : masks[n];
    checkMask(*images[n], mask, "training");
    const std::vector<double> lm = landmarksOf(images[n]->voxels(), mask ? mask->data() : nullptr,
                                               percentiles, "training", imageProgress);
    const double span = lm.back() - lm.front();
    if (!(span > 0.0)) {
      throw InputError("training image " + std::to_string(n + 1) +
                       " has equal first and last landmarks");
    }
    for (std::size_t i = 0; i < lm.size(); ++i) {
      standard.values[i] +=
          standard_min + (lm[i] - lm.front()) * (standard_max - standard_min) / span;
    }
  }
  for (double& v : standard.values) v /= static_cast<double>(images.size());
  return standard;
}

HistogramMatchResult matchLandmarks(const Volume& source, const MaskVolume* mask,
                                    const LandmarkStandard& standard, Progress& progress) {
  checkMask(source, mask, "source");
  HistogramMatchResult result;
  result.image = Volume(source.geometry(), kUninitialized);
  result.report = landmarkMatch(source.voxels(), mask ? mask->data() : nullptr, standard,
                                result.image.voxels(), progress);
  result.image.setUnits(source.units());
  result.image.metadata() = source.metadata();
  progress.report(1.0);
  return result;
}

}  // namespace harmonia
