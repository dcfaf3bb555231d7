// Neighbourhood grey tone difference matrix features (IBSI 1,
// theibsi/ibsi-doc docs/04_Image_features.rst, "Neighbourhood grey tone
// difference based features"): coarseness, contrast, busyness, complexity and
// strength for each enabled aggregation, 2D (per slice, averaged), 2.5D (s_i
// and n_i summed over slices) and 3D, Chebyshev distance
// TextureSettings::ngtdm_distance.
#include <array>
#include <cmath>
#include <optional>

#include "core/features/Families.h"
#include "core/features/ZoneTexture.h"

namespace harmonia::features {

namespace {

constexpr int kCount = 5;
const std::array<const char*, kCount> kNames = {"coarseness", "contrast", "busyness", "complexity",
                                                "strength"};
// IBSI (coarseness): "the maximum coarseness value is set to an arbitrary
// number of 10^6" when sum p_i s_i = 0.
constexpr double kMaxCoarseness = 1e6;

struct Values {
  std::array<std::optional<double>, kCount> v;
  std::array<std::string, kCount> reason;
};

Values ngtdmFeatures(const zone::ToneMatrix& m) {
  Values out;
  const double nvc = m.validVoxels();
  if (nvc <= 0.0) {
    for (auto& r : out.reason) {
      r = "no ROI voxel has a neighbour in the ROI (N_v,c = 0), e.g. a one-voxel ROI";
    }
    return out;
  }
  std::vector<int> present;  // grey levels with p_i > 0
  std::vector<double> p(m.n.size(), 0.0);
  double sumPS = 0.0;
  double sumS = 0.0;
  for (std::size_t l = 0; l < m.n.size(); ++l) {
    p[l] = m.n[l] / nvc;
    sumPS += p[l] * m.s[l];
    sumS += m.s[l];
    if (p[l] > 0.0) present.push_back(static_cast<int>(l));
  }
  const auto ngp = static_cast<double>(present.size());
  out.v[0] = sumPS > 0.0 ? 1.0 / sumPS : kMaxCoarseness;
  double contrastSum = 0.0;
  double busyDen = 0.0;
  double complexity = 0.0;
  double strengthNum = 0.0;
  for (const int a : present) {
    for (const int b : present) {
      const double ia = a + 1;
      const double ib = b + 1;
      const double d = ia - ib;
      contrastSum += p[a] * p[b] * d * d;
      // In counts (exact for integers): |i1 p1 - i2 p2| = |i1 n1 - i2 n2| / N_v,c.
      busyDen += std::abs(ia * m.n[a] - ib * m.n[b]) / nvc;
      complexity += std::abs(d) * (p[a] * m.s[a] + p[b] * m.s[b]) / (p[a] + p[b]);
      strengthNum += (p[a] + p[b]) * d * d;
    }
  }
  // IBSI (contrast, busyness): both are 0 when N_g,p = 1.
  out.v[1] = ngp > 1.0 ? contrastSum / (ngp * (ngp - 1.0)) * (sumS / nvc) : 0.0;
  if (ngp <= 1.0) {
    out.v[2] = 0.0;
  } else if (busyDen > 0.0) {
    out.v[2] = sumPS / busyDen;
  } else {
    out.reason[2] = "busyness denominator sum |i1 p_i1 - i2 p_i2| is 0";
  }
  out.v[3] = complexity / nvc;
  // IBSI (strength): 0 when sum s_i = 0.
  out.v[4] = sumS > 0.0 ? strengthNum / sumS : 0.0;
  return out;
}

void emit(const char* aggregation, const Values& values, FeatureSet& out) {
  for (int n = 0; n < kCount; ++n) {
    std::string tag = std::string("ngt_") + kNames[n] + "_" + aggregation;
    if (values.v[n]) {
      out.add(std::move(tag), familyKey(Family::Ngtdm), aggregation, *values.v[n]);
    } else {
      out.addUndefined(std::move(tag), familyKey(Family::Ngtdm), aggregation, values.reason[n]);
    }
  }
}

}  // namespace

void computeNgtdm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress) {
  const TextureAggregations& agg = settings.aggregations;
  if (agg.two_d || agg.two_and_half_d) {
    const std::vector<zone::ToneMatrix> slices =
        zone::toneDifferenceMatrices(levels, true, settings.ngtdm_distance);
    progress.throwIfCancelled();
    if (agg.two_d) {
      // IBSI method 1: features per slice, averaged. A slice where a feature
      // is undefined (no voxel with an in-slice neighbour) does not enter
      // that feature's average.
      std::array<double, kCount> sum{};
      std::array<int, kCount> used{};
      Values mean;
      for (const zone::ToneMatrix& m : slices) {
        const Values v = ngtdmFeatures(m);
        for (int n = 0; n < kCount; ++n) {
          if (v.v[n]) {
            sum[n] += *v.v[n];
            ++used[n];
          } else if (mean.reason[n].empty()) {
            mean.reason[n] = v.reason[n];
          }
        }
      }
      for (int n = 0; n < kCount; ++n) {
        if (used[n] > 0) {
          mean.v[n] = sum[n] / used[n];
        } else if (mean.reason[n].empty()) {
          mean.reason[n] = "empty ROI: no slice holds a voxel";
        }
      }
      emit("2D", mean, out);
    }
    if (agg.two_and_half_d) emit("2_5D", ngtdmFeatures(zone::mergeToneMatrices(slices)), out);
  }
  if (agg.three_d) {
    const std::vector<zone::ToneMatrix> volume =
        zone::toneDifferenceMatrices(levels, false, settings.ngtdm_distance);
    progress.throwIfCancelled();
    emit("3D", ngtdmFeatures(volume.front()), out);
  }
}

}  // namespace harmonia::features
