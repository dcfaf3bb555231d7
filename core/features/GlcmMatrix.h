#pragma once
// Grey level co-occurrence matrices and their 25 features (IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst, "Grey level co-occurrence based features").
// Internal to computeGlcm (Glcm.cpp); exposed for the tests, which compare the
// matrices with IBSI's hand-computed ones (docs/08_Digital_phantom_texture_matrices.rst).
//
// A matrix is a dense Ng x Ng array of counts, row-major, grey level i at
// index i - 1. It is symmetric: each pair of neighbours (a, b) counts once in
// (a, b) and once in (b, a) (IBSI: the GLCM of a direction and its opposite
// are summed, "symmetrical").

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <vector>

#include "core/features/DirectionalTexture.h"
#include "core/features/PreparedRoi.h"

namespace harmonia::features::glcm {

inline constexpr int kFeatureCount = 25;

/// The feature tags without aggregation, in IBSI order.
inline constexpr std::array<const char*, kFeatureCount> kFeatureNames = {
    "cm_joint_max",         "cm_joint_avg",   "cm_joint_var",     "cm_joint_entr",
    "cm_diff_avg",          "cm_diff_var",    "cm_diff_entr",     "cm_sum_avg",
    "cm_sum_var",           "cm_sum_entr",    "cm_energy",        "cm_contrast",
    "cm_dissimilarity",     "cm_inv_diff",    "cm_inv_diff_norm", "cm_inv_diff_mom",
    "cm_inv_diff_mom_norm", "cm_inv_var",     "cm_corr",          "cm_auto_corr",
    "cm_clust_tend",        "cm_clust_shade", "cm_clust_prom",    "cm_info_corr1",
    "cm_info_corr2"};

enum Index : int {
  kJointMax,
  kJointAvg,
  kJointVar,
  kJointEntr,
  kDiffAvg,
  kDiffVar,
  kDiffEntr,
  kSumAvg,
  kSumVar,
  kSumEntr,
  kEnergy,
  kContrast,
  kDissimilarity,
  kInvDiff,
  kInvDiffNorm,
  kInvDiffMom,
  kInvDiffMomNorm,
  kInvVar,
  kCorr,
  kAutoCorr,
  kClustTend,
  kClustShade,
  kClustProm,
  kInfoCorr1,
  kInfoCorr2
};

/// Why a feature is undefined for a non-empty matrix: only correlation and
/// the first information correlation divide by something that can be zero
/// (the marginal variance and entropy vanish with a single grey level).
inline constexpr std::array<const char*, kFeatureCount> kUndefinedReasons = [] {
  std::array<const char*, kFeatureCount> r{};
  for (auto& s : r) s = "not finite";
  r[kCorr] = "zero marginal variance (a single grey level co-occurs): correlation divides by it";
  r[kInfoCorr1] =
      "zero marginal entropy HX (a single grey level co-occurs): info_corr1 divides by it";
  return r;
}();

inline constexpr const char* kEmptyReason =
    "no pair of neighbouring ROI voxels: the co-occurrence matrices are empty";

using Features = std::array<double, kFeatureCount>;

/// Adds the co-occurrences of direction `d` (times `distance`) between ROI
/// voxels of slice k (d.dz == 0) or of the whole volume to `counts` (Ng x Ng,
/// Ng = ng), both ways. Voxels outside the ROI (level 0) or the grid co-occur
/// with nothing. `slice` < 0: the whole volume.
template <typename Count>
void addCooccurrences(const GreyLevelVolume& v, directional::Offset d, int distance, int slice,
                      int ng, Count* counts) {
  const int dx = d.dx * distance;
  const int dy = d.dy * distance;
  const int dz = d.dz * distance;
  const int nx = v.size[0];
  const int ny = v.size[1];
  const int nz = v.size[2];
  const int k0 = slice < 0 ? 0 : slice;
  const int k1 = slice < 0 ? nz : slice + 1;
  // Only the voxels whose neighbour is on the grid.
  const int i0 = std::max(0, -dx);
  const int i1 = std::min(nx, nx - dx);
  const int j0 = std::max(0, -dy);
  const int j1 = std::min(ny, ny - dy);
  const std::ptrdiff_t step =
      dx + static_cast<std::ptrdiff_t>(nx) * (dy + static_cast<std::ptrdiff_t>(ny) * dz);
  for (int k = k0; k < std::min(k1, nz - dz); ++k) {
    if (k + dz < 0) continue;
    for (int j = j0; j < j1; ++j) {
      const std::int32_t* row = v.levels.data() + v.index(0, j, k);
      for (int i = i0; i < i1; ++i) {
        const std::int32_t a = row[i];
        if (a <= 0) continue;
        const std::int32_t b = row[static_cast<std::ptrdiff_t>(i) + step];
        if (b <= 0) continue;
        ++counts[static_cast<std::size_t>(a - 1) * ng + (b - 1)];
        ++counts[static_cast<std::size_t>(b - 1) * ng + (a - 1)];
      }
    }
  }
}

/// Scratch buffers for glcmFeatures, reused across matrices.
struct Scratch {
  std::vector<double> row;   ///< p_i.
  std::vector<double> diff;  ///< p_{i-j,k}, k = 0..Ng-1
  std::vector<double> sum;   ///< p_{i+j,k}, k = 0..2Ng
};

/// The 25 features of one symmetric count matrix (IBSI definitions, same
/// section). All NaN when the matrix is empty; correlation and info_corr1 NaN
/// when a single grey level co-occurs. O(Ng^2) with one pass over the matrix.
template <typename Count>
Features glcmFeatures(const Count* counts, int ng, Scratch& s) {
  Features f;
  f.fill(std::numeric_limits<double>::quiet_NaN());
  const std::size_t cells = static_cast<std::size_t>(ng) * ng;
  double total = 0.0;
  for (std::size_t n = 0; n < cells; ++n) total += static_cast<double>(counts[n]);
  if (total <= 0.0) return f;
  s.row.assign(static_cast<std::size_t>(ng), 0.0);
  s.diff.assign(static_cast<std::size_t>(ng), 0.0);
  s.sum.assign(2 * static_cast<std::size_t>(ng) + 1, 0.0);
  const double inv = 1.0 / total;
  double maxP = 0.0;
  double hxy = 0.0;     // joint entropy
  double energy = 0.0;  // angular second moment
  double ijSum = 0.0;   // sum i j p_ij (autocorrelation)
  for (int i = 0; i < ng; ++i) {
    const Count* rowCounts = counts + static_cast<std::size_t>(i) * ng;
    double rowSum = 0.0;
    for (int j = 0; j < ng; ++j) {
      if (rowCounts[j] == 0) continue;
      const double p = static_cast<double>(rowCounts[j]) * inv;
      maxP = std::max(maxP, p);
      hxy -= p * std::log2(p);
      energy += p * p;
      ijSum += static_cast<double>(i + 1) * (j + 1) * p;
      rowSum += p;
      s.diff[static_cast<std::size_t>(std::abs(i - j))] += p;
      s.sum[static_cast<std::size_t>(i) + static_cast<std::size_t>(j) + 2] += p;
    }
    s.row[static_cast<std::size_t>(i)] = rowSum;
  }
  // Row marginal: mean, variance, entropy. By symmetry the column marginal is
  // the same, so sum_ij (i - mu)^2 p_ij = sum_i (i - mu)^2 p_i.
  double mu = 0.0;
  for (int i = 0; i < ng; ++i) mu += (i + 1) * s.row[static_cast<std::size_t>(i)];
  double var = 0.0;
  double hx = 0.0;
  for (int i = 0; i < ng; ++i) {
    const double p = s.row[static_cast<std::size_t>(i)];
    if (p <= 0.0) continue;
    var += (i + 1 - mu) * (i + 1 - mu) * p;
    hx -= p * std::log2(p);
  }
  // Diagonal probabilities p_{i-j,k}.
  double diffAvg = 0.0;
  double diffEntr = 0.0;
  double contrast = 0.0;
  double invDiff = 0.0;
  double invDiffNorm = 0.0;
  double invDiffMom = 0.0;
  double invDiffMomNorm = 0.0;
  double invVar = 0.0;
  const double ngD = ng;
  for (int k = 0; k < ng; ++k) {
    const double p = s.diff[static_cast<std::size_t>(k)];
    if (p <= 0.0) continue;
    diffAvg += k * p;
    diffEntr -= p * std::log2(p);
    contrast += static_cast<double>(k) * k * p;
    invDiff += p / (1.0 + k);
    invDiffNorm += p / (1.0 + k / ngD);
    invDiffMom += p / (1.0 + static_cast<double>(k) * k);
    invDiffMomNorm += p / (1.0 + (k / ngD) * (k / ngD));
    if (k >= 1) invVar += p / (static_cast<double>(k) * k);  // IBSI: from k = 1
  }
  double diffVar = 0.0;
  for (int k = 0; k < ng; ++k) {
    diffVar += (k - diffAvg) * (k - diffAvg) * s.diff[static_cast<std::size_t>(k)];
  }
  // Cross-diagonal probabilities p_{i+j,k}, k = 2..2Ng.
  double sumAvg = 0.0;
  double sumEntr = 0.0;
  for (int k = 2; k <= 2 * ng; ++k) {
    const double p = s.sum[static_cast<std::size_t>(k)];
    if (p <= 0.0) continue;
    sumAvg += k * p;
    sumEntr -= p * std::log2(p);
  }
  double sumVar = 0.0;
  double clustTend = 0.0;
  double clustShade = 0.0;
  double clustProm = 0.0;
  for (int k = 2; k <= 2 * ng; ++k) {
    const double p = s.sum[static_cast<std::size_t>(k)];
    if (p <= 0.0) continue;
    sumVar += (k - sumAvg) * (k - sumAvg) * p;
    // Cluster features: (i + j - mu_i. - mu_.j) = k - 2 mu (symmetric matrix).
    const double c = k - 2.0 * mu;
    clustTend += c * c * p;
    clustShade += c * c * c * p;
    clustProm += c * c * c * c * p;
  }
  f[kJointMax] = maxP;
  f[kJointAvg] = mu;
  f[kJointVar] = var;
  f[kJointEntr] = hxy;
  f[kDiffAvg] = diffAvg;
  f[kDiffVar] = diffVar;
  f[kDiffEntr] = diffEntr;
  f[kSumAvg] = sumAvg;
  f[kSumVar] = sumVar;
  f[kSumEntr] = sumEntr;
  f[kEnergy] = energy;
  f[kContrast] = contrast;
  f[kDissimilarity] = diffAvg;  // IBSI: identical to the difference average
  f[kInvDiff] = invDiff;
  f[kInvDiffNorm] = invDiffNorm;
  f[kInvDiffMom] = invDiffMom;
  f[kInvDiffMomNorm] = invDiffMomNorm;
  f[kInvVar] = invVar;
  f[kAutoCorr] = ijSum;
  f[kClustTend] = clustTend;
  f[kClustShade] = clustShade;
  f[kClustProm] = clustProm;
  if (var > 0.0) f[kCorr] = (ijSum - mu * mu) / var;
  // Information correlation. For a symmetric matrix, HXY1 = -sum_ij p_ij
  // log2(p_i. p_.j) = HX + HY = 2 HX (sum_j p_ij = p_i.), and HXY2 = -sum_ij
  // p_i. p_.j log2(p_i. p_.j) = 2 HX likewise.
  const double hxy1 = 2.0 * hx;
  const double hxy2 = 2.0 * hx;
  if (hx > 0.0) f[kInfoCorr1] = (hxy - hxy1) / hx;
  f[kInfoCorr2] = std::sqrt(std::max(0.0, 1.0 - std::exp(-2.0 * (hxy2 - hxy))));
  return f;
}

}  // namespace harmonia::features::glcm
