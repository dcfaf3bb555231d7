#pragma once
// Slow, obviously correct references for tests of the harmonization plan
// (core, CLI and UI): a blur by separable convolution with sampled, normalised
// Gaussians (radius 5 sigma, zero outside the grid) and a z-score over the
// whole volume, both in float64. Independent of core/filter and core/harmonize.

#include <Eigen/Core>
#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "core/image/Volume.h"

namespace harmonia::test {

/// FWHM = 2 sqrt(2 ln 2) sigma.
inline constexpr double kFwhmPerSigma = 2.3548200450309493;

/// Blurs `data` (x fastest, sizes n) with a Gaussian of `sigma_voxels` per axis.
inline std::vector<double> referenceBlur(std::vector<double> data, const std::array<int, 3>& n,
                                         const Eigen::Vector3d& sigma_voxels) {
  for (int axis = 0; axis < 3; ++axis) {
    const double sigma = sigma_voxels[axis];
    if (sigma <= 0) continue;
    const int radius = static_cast<int>(std::ceil(5 * sigma));
    std::vector<double> kernel(2 * radius + 1);
    double sum = 0;
    for (int t = -radius; t <= radius; ++t) {
      sum += kernel[t + radius] = std::exp(-0.5 * t * t / (sigma * sigma));
    }
    for (double& w : kernel) w /= sum;
    std::vector<double> out(data.size(), 0.0);
    for (int k = 0; k < n[2]; ++k) {
      for (int j = 0; j < n[1]; ++j) {
        for (int i = 0; i < n[0]; ++i) {
          double acc = 0;
          for (int t = -radius; t <= radius; ++t) {
            int s[3] = {i, j, k};
            s[axis] += t;
            if (s[axis] < 0 || s[axis] >= n[axis]) continue;
            acc += kernel[t + radius] * data[s[0] + n[0] * (s[1] + n[1] * s[2])];
          }
          out[i + n[0] * (j + n[1] * k)] = acc;
        }
      }
    }
    data = std::move(out);
  }
  return data;
}

/// The same blur of a volume, FWHM per axis in mm.
inline Volume referenceBlur(const Volume& in, const Eigen::Vector3d& fwhm_mm) {
  const auto& g = in.geometry();
  const Eigen::Vector3d sigma = fwhm_mm.cwiseQuotient(g.spacing_mm) / kFwhmPerSigma;
  const std::vector<double> out =
      referenceBlur(std::vector<double>(in.voxels().begin(), in.voxels().end()),
                    {g.size[0], g.size[1], g.size[2]}, sigma);
  Volume r = in;
  for (std::size_t i = 0; i < out.size(); ++i) r.voxels()[i] = static_cast<float>(out[i]);
  return r;
}

/// (v - mean) / population SD over the whole volume, in float64.
inline Volume referenceZScoreWhole(const Volume& in) {
  double sum = 0, sum2 = 0;
  for (float v : in.voxels()) sum += v;
  const double mean = sum / static_cast<double>(in.voxelCount());
  for (float v : in.voxels()) sum2 += (v - mean) * (v - mean);
  const double sd = std::sqrt(sum2 / static_cast<double>(in.voxelCount()));
  Volume r = in;
  for (float& v : r.voxels()) v = static_cast<float>((v - mean) / sd);
  return r;
}

}  // namespace harmonia::test
