// Intensity-volume histogram features (IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst, "Intensity-volume histogram features").
//
// The IVH has its own discretisation (IvhSettings), chosen by IBSI by case:
//  - None ("definite intensity units, discrete case", e.g. CT): X_d,gl = X_gl,
//    w_d = 1, total range G = the re-segmentation range (a missing bound is
//    the ROI minimum / maximum), else [min X_gl, max X_gl].
//  - FixedBinSize ("continuous case"): X_d = floor((X - X_min) / w) + 1 with
//    X_min the lower bound if set, else the re-segmentation minimum, else the
//    ROI minimum, and X_max the re-segmentation maximum, else the ROI
//    maximum; X_d,gl = X_min + (X_d - 0.5) w (bin centres),
//    G = [X_min + w/2, X_max - w/2], w_d = w.
//  - FixedBinNumber ("arbitrary intensity units"): Ng bins between the ROI
//    minimum and maximum, X_d,gl = X_d, G = [1, Ng], w_d = 1.
// The binning follows IBSI 2.7 (docs/03_Image_processing.rst,
// "Discretisation") like Preprocessing's discretise(); it is written here
// because the IVH's bins differ from the texture bins and are this small.
//
// Every level is a grid point k = 0, 1, ... with value i_k = min(G) + k w_d;
// nu_k = 1 - (fraction of voxels with X_d,gl < i_k) (the volume fraction with
// at least i_k) and gamma_k = (i_k - min G) / (max G - min G). Levels absent
// from the ROI are evaluated too (IBSI: "we evaluate grey levels that may
// actually be absent").
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/features/Families.h"
#include "core/features/FirstOrder.h"

namespace harmonia::features {

namespace {

constexpr const char* kIvhFamily = "intensity_volume_histogram";
// Beyond this many IVH levels (method None on a huge or fine intensity range)
// the features are refused rather than allocating an enormous histogram.
constexpr std::int64_t kMaxLevels = 50'000'000;

void addAllUndefined(FeatureSet& out, const std::string& reason) {
  first_order::addAllUndefined(out,
                               {"ivh_v10", "ivh_v90", "ivh_i10", "ivh_i90", "ivh_diff_v10_v90",
                                "ivh_diff_i10_i90", "ivh_auc"},
                               kIvhFamily, reason);
}

}  // namespace

void computeIntensityVolumeHistogram(const PreparedRoi& roi, const IvhSettings& ivh,
                                     const ResegmentationSettings& reseg, FeatureSet& out) {
  const std::vector<double> values = roi.roiIntensities();
  if (values.empty()) {
    addAllUndefined(out, "the ROI intensity mask is empty");
    return;
  }
  const auto [minIt, maxIt] = std::minmax_element(values.begin(), values.end());
  const double roiMin = *minIt;
  const double roiMax = *maxIt;
  const DiscretisationSettings& d = ivh.discretisation;

  // The grid: level value of k is first + k * step; gamma_k = k * step / span;
  // lastInG = the last k inside G.
  double first = 0.0;
  double step = 1.0;
  double span = 0.0;  // max(G) - min(G)
  std::int64_t lastInG = 0;
  double xMin = 0.0;
  double xMax = 0.0;
  double binWidth = 1.0;
  int binCount = 1;

  switch (d.method) {
    case DiscretisationMethod::None:
      xMin = reseg.range_min.value_or(roiMin);
      xMax = reseg.range_max.value_or(roiMax);
      first = xMin;
      step = 1.0;  // w_d = 1
      span = xMax - xMin;
      if (!(span >= 0.0)) {
        addAllUndefined(out, "the re-segmentation range is empty");
        return;
      }
      if (span > static_cast<double>(kMaxLevels)) {
        addAllUndefined(out,
                        "the intensity range is too wide for an IVH without discretisation; "
                        "use a fixed bin size or number");
        return;
      }
      // Discrete intensities lie on the grid; the tiny slack keeps a value
      // that is an integer distance from min(G) on its own level.
      lastInG = static_cast<std::int64_t>(std::floor(span + 1e-9));
      break;
    case DiscretisationMethod::FixedBinSize:
      binWidth = d.bin_width;
      if (!(binWidth > 0.0)) {
        addAllUndefined(out, "the IVH bin width is not positive");
        return;
      }
      xMin = d.lower_bound.value_or(reseg.range_min.value_or(roiMin));
      xMax = reseg.range_max.value_or(roiMax);
      first = xMin + 0.5 * binWidth;  // bin centres
      step = binWidth;
      span = xMax - xMin - binWidth;
      if ((xMax - xMin) / binWidth > static_cast<double>(kMaxLevels)) {
        addAllUndefined(out, "too many IVH bins; use a wider bin");
        return;
      }
      lastInG = std::max<std::int64_t>(
          0, static_cast<std::int64_t>(std::ceil((xMax - xMin) / binWidth)) - 1);
      break;
    case DiscretisationMethod::FixedBinNumber:
      binCount = d.bin_count;
      if (binCount < 1 || binCount > kMaxLevels) {
        addAllUndefined(out, "the IVH bin count is out of range");
        return;
      }
      xMin = roiMin;
      xMax = roiMax;
      first = 1.0;
      step = 1.0;
      span = static_cast<double>(binCount - 1);
      lastInG = binCount - 1;
      break;
  }

  // Histogram of grid indices: `below` counts voxels under the grid (only
  // when a lower bound above the ROI minimum is forced), counts[k] the others.
  // The histogram extends one level past the highest voxel so that I_x always
  // finds a level with nu <= x.
  std::vector<std::int64_t> index(values.size());
  std::int64_t highest = lastInG;
  for (std::size_t v = 0; v < values.size(); ++v) {
    const double x = values[v];
    double kd = 0.0;
    switch (d.method) {
      case DiscretisationMethod::None:
        kd = std::floor(x - xMin + 1e-9);
        break;
      case DiscretisationMethod::FixedBinSize:
        // IBSI 2.7 FBS: floor((X - X_min) / w) + 1, here minus 1 (0-based).
        kd = std::floor((x - xMin) / binWidth);
        break;
      case DiscretisationMethod::FixedBinNumber:
        // IBSI 2.7 FBN: floor(Ng (X - X_min) / (X_max - X_min)) + 1, with
        // X = X_max in bin Ng; a constant ROI is bin 1.
        kd = xMax > xMin
                 ? std::min(std::floor(static_cast<double>(binCount) * (x - xMin) / (xMax - xMin)),
                            static_cast<double>(binCount - 1))
                 : 0.0;
        break;
    }
    // Clamped before the integer conversion: a far outlier (or a non-finite
    // value) lands beyond kMaxLevels and is refused below.
    if (!(kd < static_cast<double>(kMaxLevels))) kd = static_cast<double>(kMaxLevels);
    const auto k = static_cast<std::int64_t>(std::max(kd, -1.0));
    index[v] = k;
    highest = std::max(highest, k);
  }
  if (highest + 2 > kMaxLevels) {
    addAllUndefined(out, "the ROI intensities exceed the IVH range by too much");
    return;
  }
  std::vector<std::int64_t> counts(static_cast<std::size_t>(highest + 2), 0);
  std::int64_t below = 0;
  for (const std::int64_t k : index) {
    if (k < 0) {
      ++below;
    } else {
      ++counts[static_cast<std::size_t>(k)];
    }
  }

  // nu_k for k = 0 .. highest + 1.
  const auto n = static_cast<double>(values.size());
  std::vector<double> nu(counts.size());
  std::int64_t smaller = below;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    nu[k] = 1.0 - static_cast<double>(smaller) / n;
    smaller += counts[k];
  }
  auto levelValue = [&](std::size_t k) { return first + static_cast<double>(k) * step; };

  // IBSI "Volume at intensity fraction": V_x is the largest nu with
  // gamma >= x; nu does not increase with k, so it is nu at the first k in G
  // with k * step / span >= x.
  const bool gammaDefined = span > 0.0;
  auto volumeAt = [&](double x) {
    auto k = static_cast<std::int64_t>(std::ceil(x * span / step - 1e-9));
    k = std::clamp<std::int64_t>(k, 0, lastInG);
    return nu[static_cast<std::size_t>(k)];
  };
  // IBSI "Intensity at volume fraction": I_x is the smallest level with
  // nu <= x (present in at most x of the volume).
  auto intensityAt = [&](double x) {
    for (std::size_t k = 0; k < nu.size(); ++k) {
      if (nu[k] <= x) return levelValue(k);
    }
    return levelValue(nu.size() - 1);
  };

  const char* oneLevel = "one intensity level in G: the intensity fraction is 0 / 0";
  double v10 = 0.0;
  double v90 = 0.0;
  if (gammaDefined) {
    v10 = volumeAt(0.10);
    v90 = volumeAt(0.90);
    out.add("ivh_v10", kIvhFamily, "", v10);
    out.add("ivh_v90", kIvhFamily, "", v90);
  } else {
    out.addUndefined("ivh_v10", kIvhFamily, "", oneLevel);
    out.addUndefined("ivh_v90", kIvhFamily, "", oneLevel);
  }
  const double i10 = intensityAt(0.10);
  const double i90 = intensityAt(0.90);
  out.add("ivh_i10", kIvhFamily, "", i10);
  out.add("ivh_i90", kIvhFamily, "", i90);
  if (gammaDefined) {
    out.add("ivh_diff_v10_v90", kIvhFamily, "", v10 - v90);
  } else {
    out.addUndefined("ivh_diff_v10_v90", kIvhFamily, "", oneLevel);
  }
  out.add("ivh_diff_i10_i90", kIvhFamily, "", i10 - i90);

  // IBSI "Area under the IVH curve": trapezoidal rule over the levels of G
  // (gamma from 0 to 1); 0 when there is one grey level.
  double auc = 0.0;
  if (gammaDefined) {
    const double dGamma = step / span;
    for (std::int64_t k = 0; k < lastInG; ++k) {
      auc += 0.5 * dGamma * (nu[static_cast<std::size_t>(k)] + nu[static_cast<std::size_t>(k + 1)]);
    }
  }
  out.add("ivh_auc", kIvhFamily, "", auc);
}

}  // namespace harmonia::features
