#pragma once
// Grey level run length matrices and their 16 features (IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst, "Grey level run length based features").
// Internal to computeGlrlm (Glrlm.cpp); exposed for the tests.
//
// A matrix is a dense Ng x Nr array of run counts, row-major: grey level i
// at row i - 1, run length j at column j - 1.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/features/DirectionalTexture.h"
#include "core/features/PreparedRoi.h"

namespace harmonia::features::glrlm {

inline constexpr int kFeatureCount = 16;

/// The feature tags without aggregation, in IBSI order.
inline constexpr std::array<const char*, kFeatureCount> kFeatureNames = {
    "rlm_sre",    "rlm_lre",    "rlm_lgre",   "rlm_hgre",      "rlm_srlge", "rlm_srhge",
    "rlm_lrlge",  "rlm_lrhge",  "rlm_glnu",   "rlm_glnu_norm", "rlm_rlnu",  "rlm_rlnu_norm",
    "rlm_r_perc", "rlm_gl_var", "rlm_rl_var", "rlm_rl_entr"};

enum Index : int {
  kSre,
  kLre,
  kLgre,
  kHgre,
  kSrlge,
  kSrhge,
  kLrlge,
  kLrhge,
  kGlnu,
  kGlnuNorm,
  kRlnu,
  kRlnuNorm,
  kRPerc,
  kGlVar,
  kRlVar,
  kRlEntr
};

/// A non-empty run length matrix defines every feature; only an empty one
/// (no ROI voxel) leaves them undefined.
inline constexpr std::array<const char*, kFeatureCount> kUndefinedReasons = [] {
  std::array<const char*, kFeatureCount> r{};
  for (auto& s : r) s = "not finite";
  return r;
}();

inline constexpr const char* kEmptyReason = "no ROI voxel: the run length matrices are empty";

using Features = std::array<double, kFeatureCount>;

/// The longest possible run in `v` along any direction.
inline int maxRunLength(const GreyLevelVolume& v) {
  return std::max({v.size[0], v.size[1], v.size[2], 1});
}

/// Adds the runs along direction `d` of slice k (d.dz == 0) or of the whole
/// volume (`slice` < 0) to `counts` (Ng x maxRun, Ng = ng). A run is a maximal
/// line of consecutive ROI voxels with the same grey level; a voxel outside
/// the ROI (level 0) or the grid ends it.
template <typename Count>
void addRuns(const GreyLevelVolume& v, directional::Offset d, int slice, int ng, int maxRun,
             Count* counts) {
  (void)ng;
  const int nx = v.size[0];
  const int ny = v.size[1];
  const int nz = v.size[2];
  const int k0 = slice < 0 ? 0 : slice;
  const int k1 = slice < 0 ? nz : slice + 1;
  auto inside = [&](int i, int j, int k) {
    return i >= 0 && i < nx && j >= 0 && j < ny && k >= 0 && k < nz;
  };
  const std::ptrdiff_t step =
      d.dx + static_cast<std::ptrdiff_t>(nx) * (d.dy + static_cast<std::ptrdiff_t>(ny) * d.dz);
  for (int k = k0; k < k1; ++k) {
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        const std::size_t n = v.index(i, j, k);
        const std::int32_t a = v.levels[n];
        if (a <= 0) continue;
        // A run starts where the previous voxel along d is not of level a.
        if (inside(i - d.dx, j - d.dy, k - d.dz) &&
            v.levels[static_cast<std::size_t>(static_cast<std::ptrdiff_t>(n) - step)] == a) {
          continue;
        }
        int length = 1;
        int ii = i + d.dx;
        int jj = j + d.dy;
        int kk = k + d.dz;
        std::ptrdiff_t m = static_cast<std::ptrdiff_t>(n) + step;
        while (inside(ii, jj, kk) && v.levels[static_cast<std::size_t>(m)] == a) {
          ++length;
          ii += d.dx;
          jj += d.dy;
          kk += d.dz;
          m += step;
        }
        ++counts[static_cast<std::size_t>(a - 1) * maxRun + (length - 1)];
      }
    }
  }
}

/// Scratch buffers for glrlmFeatures, reused across matrices.
struct Scratch {
  std::vector<double> row;  ///< r_i.
  std::vector<double> col;  ///< r_.j
};

/// The 16 features of one run length matrix. `voxels` is N_v: the ROI voxels
/// the matrix was counted on, summed over the merged matrices (IBSI "Run
/// percentage": "when this feature is calculated using a merged GLRLM, N_v
/// should be the sum of the number of voxels of the underlying matrices").
/// All NaN when the matrix is empty.
template <typename Count>
Features glrlmFeatures(const Count* counts, int ng, int maxRun, double voxels, Scratch& s) {
  Features f;
  f.fill(std::numeric_limits<double>::quiet_NaN());
  s.row.assign(static_cast<std::size_t>(ng), 0.0);
  s.col.assign(static_cast<std::size_t>(maxRun), 0.0);
  double ns = 0.0;
  double srlge = 0.0;
  double srhge = 0.0;
  double lrlge = 0.0;
  double lrhge = 0.0;
  int longest = 0;
  for (int i = 0; i < ng; ++i) {
    const Count* rowCounts = counts + static_cast<std::size_t>(i) * maxRun;
    const double gi2 = static_cast<double>(i + 1) * (i + 1);
    double rowSum = 0.0;
    for (int j = 0; j < maxRun; ++j) {
      if (rowCounts[j] == 0) continue;
      const double r = static_cast<double>(rowCounts[j]);
      const double rj2 = static_cast<double>(j + 1) * (j + 1);
      rowSum += r;
      s.col[static_cast<std::size_t>(j)] += r;
      srlge += r / (gi2 * rj2);
      srhge += r * gi2 / rj2;
      lrlge += r * rj2 / gi2;
      lrhge += r * gi2 * rj2;
      longest = std::max(longest, j + 1);
    }
    s.row[static_cast<std::size_t>(i)] = rowSum;
    ns += rowSum;
  }
  if (ns <= 0.0) return f;
  double lgre = 0.0;
  double hgre = 0.0;
  double glnu = 0.0;
  double glMean = 0.0;
  for (int i = 0; i < ng; ++i) {
    const double r = s.row[static_cast<std::size_t>(i)];
    if (r == 0.0) continue;
    const double g = i + 1;
    lgre += r / (g * g);
    hgre += r * g * g;
    glnu += r * r;
    glMean += g * r;
  }
  glMean /= ns;
  double glVar = 0.0;
  for (int i = 0; i < ng; ++i) {
    const double r = s.row[static_cast<std::size_t>(i)];
    if (r != 0.0) glVar += (i + 1 - glMean) * (i + 1 - glMean) * r;
  }
  double sre = 0.0;
  double lre = 0.0;
  double rlnu = 0.0;
  double rlMean = 0.0;
  for (int j = 0; j < longest; ++j) {
    const double r = s.col[static_cast<std::size_t>(j)];
    if (r == 0.0) continue;
    const double len = j + 1;
    sre += r / (len * len);
    lre += r * len * len;
    rlnu += r * r;
    rlMean += len * r;
  }
  rlMean /= ns;
  double rlVar = 0.0;
  for (int j = 0; j < longest; ++j) {
    const double r = s.col[static_cast<std::size_t>(j)];
    if (r != 0.0) rlVar += (j + 1 - rlMean) * (j + 1 - rlMean) * r;
  }
  double entropy = 0.0;  // -sum p log2 p, p = r / Ns
  for (std::size_t n = 0; n < static_cast<std::size_t>(ng) * maxRun; ++n) {
    if (counts[n] == 0) continue;
    const double p = static_cast<double>(counts[n]) / ns;
    entropy -= p * std::log2(p);
  }
  f[kSre] = sre / ns;
  f[kLre] = lre / ns;
  f[kLgre] = lgre / ns;
  f[kHgre] = hgre / ns;
  f[kSrlge] = srlge / ns;
  f[kSrhge] = srhge / ns;
  f[kLrlge] = lrlge / ns;
  f[kLrhge] = lrhge / ns;
  f[kGlnu] = glnu / ns;
  f[kGlnuNorm] = glnu / (ns * ns);
  f[kRlnu] = rlnu / ns;
  f[kRlnuNorm] = rlnu / (ns * ns);
  f[kRPerc] = voxels > 0.0 ? ns / voxels : std::numeric_limits<double>::quiet_NaN();
  f[kGlVar] = glVar / ns;
  f[kRlVar] = rlVar / ns;
  f[kRlEntr] = entropy;
  return f;
}

}  // namespace harmonia::features::glrlm
