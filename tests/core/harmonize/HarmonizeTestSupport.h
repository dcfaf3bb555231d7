#pragma once
// Helpers shared by the harmonization tests: random volumes and float64
// brute-force references.

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "core/image/Volume.h"

namespace harmonia::test {

/// A volume of uniform random values in [lo, hi).
inline Volume randomVolume(const Geometry3D& g, std::uint32_t seed, float lo = -100.0f,
                           float hi = 300.0f) {
  Volume v(g);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  for (float& x : v.voxels()) x = u(rng);
  return v;
}

/// Mirror ("reflect101") index, written independently of the library's.
inline int reflectIndex(int i, int n) {
  if (n == 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

/// Sampled Gaussian of sigma (voxels) truncated at ceil(truncate * sigma), normalised; float64.
inline std::vector<double> referenceKernel(double sigmaVoxels, double truncate) {
  if (sigmaVoxels <= 0.0) return {1.0};
  const int r = std::max(1, static_cast<int>(std::ceil(truncate * sigmaVoxels)));
  std::vector<double> k(2 * r + 1);
  double s = 0;
  for (int i = -r; i <= r; ++i) {
    s += k[i + r] = std::exp(-0.5 * i * i / (sigmaVoxels * sigmaVoxels));
  }
  for (double& x : k) x /= s;
  return k;
}

/// Float64 brute-force (non-separable) 3-D convolution of interleaved
/// `channels`-channel data with mirror boundary.
inline std::vector<double> bruteForceBlur(const float* data, const std::array<int, 3>& n,
                                          int channels, const double sigmaVoxels[3],
                                          double truncate) {
  const std::vector<double> kx = referenceKernel(sigmaVoxels[0], truncate);
  const std::vector<double> ky = referenceKernel(sigmaVoxels[1], truncate);
  const std::vector<double> kz = referenceKernel(sigmaVoxels[2], truncate);
  // Mirrored source index of every (output index, tap) pair, per axis.
  auto table = [](const std::vector<double>& k, int n) {
    const int r = static_cast<int>(k.size() / 2);
    std::vector<int> t(static_cast<std::size_t>(n) * k.size());
    for (int i = 0; i < n; ++i)
      for (int a = -r; a <= r; ++a) t[i * k.size() + a + r] = reflectIndex(i + a, n);
    return t;
  };
  const std::vector<int> tx = table(kx, n[0]), ty = table(ky, n[1]), tz = table(kz, n[2]);
  const std::size_t sx = kx.size(), sy = ky.size(), sz = kz.size();
  std::vector<double> out(static_cast<std::size_t>(n[0]) * n[1] * n[2] * channels);
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i)
        for (int ch = 0; ch < channels; ++ch) {
          double acc = 0;
          for (std::size_t c = 0; c < sz; ++c)
            for (std::size_t b = 0; b < sy; ++b) {
              const float* row =
                  data + (static_cast<std::size_t>(tz[k * sz + c]) * n[1] + ty[j * sy + b]) * n[0] *
                             channels;
              double rowAcc = 0;
              for (std::size_t a = 0; a < sx; ++a)
                rowAcc += kx[a] * static_cast<double>(row[tx[i * sx + a] * channels + ch]);
              acc += kz[c] * ky[b] * rowAcc;
            }
          out[((static_cast<std::size_t>(k) * n[1] + j) * n[0] + i) * channels + ch] = acc;
        }
  return out;
}

/// Sorted finite values inside the mask (nullptr: all).
inline std::vector<float> sortedMasked(std::span<const float> v, const std::uint8_t* mask) {
  std::vector<float> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if ((mask == nullptr || mask[i] != 0) && std::isfinite(v[i])) out.push_back(v[i]);
  }
  tbb::parallel_sort(out.begin(), out.end());
  return out;
}

/// Type-7 quantile of sorted values (numpy's default).
inline double sortedQuantile(const std::vector<float>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * std::clamp(p, 0.0, 1.0);
  const std::size_t k = static_cast<std::size_t>(std::floor(h));
  const std::size_t k1 = std::min(k + 1, sorted.size() - 1);
  return sorted[k] + (h - std::floor(h)) * (static_cast<double>(sorted[k1]) - sorted[k]);
}

/// The exact quantile function of histogram matching's definition: linear
/// interpolation through (cumulative fraction, distinct value) of the sorted
/// target, clamped at the ends (scikit-image's match_histograms).
class ExactTargetQuantile {
 public:
  explicit ExactTargetQuantile(const std::vector<float>& sortedTarget) {
    const double n = static_cast<double>(sortedTarget.size());
    for (std::size_t i = 0; i < sortedTarget.size(); ++i) {
      if (i + 1 < sortedTarget.size() && sortedTarget[i + 1] == sortedTarget[i]) continue;
      p_.push_back(static_cast<double>(i + 1) / n);
      u_.push_back(sortedTarget[i]);
    }
  }
  /// Q_t(q).
  [[nodiscard]] double operator()(double q) const {
    if (q <= p_.front()) return u_.front();
    if (q >= p_.back()) return u_.back();
    const std::size_t l =
        static_cast<std::size_t>(std::upper_bound(p_.begin(), p_.end(), q) - p_.begin()) - 1;
    return u_[l] + (q - p_[l]) * (u_[l + 1] - u_[l]) / (p_[l + 1] - p_[l]);
  }

 private:
  std::vector<double> p_, u_;
};

/// Exact sort-based histogram matching (the reference): T(x) = Q_t(F_s(x)) with
/// F_s(x) = #(masked source <= x) / N_s. Sorts the source voxels with their
/// indices (tbb::parallel_sort) and sweeps them in order: O(N log N).
inline std::vector<float> exactHistogramMatch(std::span<const float> src,
                                              const std::uint8_t* srcMask,
                                              std::span<const float> tgt,
                                              const std::uint8_t* tgtMask) {
  const std::vector<float> s = sortedMasked(src, srcMask);
  const ExactTargetQuantile q(sortedMasked(tgt, tgtMask));
  std::vector<std::pair<float, std::uint32_t>> keys;
  keys.reserve(src.size());
  for (std::size_t i = 0; i < src.size(); ++i) {
    if (std::isfinite(src[i])) keys.emplace_back(src[i], static_cast<std::uint32_t>(i));
  }
  tbb::parallel_sort(keys.begin(), keys.end());
  std::vector<float> out(src.begin(), src.end());
  std::size_t j = 0;
  const double ns = static_cast<double>(s.size());
  float last = 0;
  bool haveLast = false;
  double lastValue = 0;
  for (const auto& [x, index] : keys) {
    if (!haveLast || x != last) {
      while (j < s.size() && s[j] <= x) ++j;
      lastValue = q(static_cast<double>(j) / ns);
      last = x;
      haveLast = true;
    }
    out[index] = static_cast<float>(lastValue);
  }
  return out;
}

}  // namespace harmonia::test
