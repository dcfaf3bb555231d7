#include "core/measure/InsertValues.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/util/Error.h"

namespace harmonia {

ValueSummary regionStatistics(const Volume& image, const MaskVolume& mask,
                              const std::string& what) {
  if (!mask.geometry().sameGrid(image.geometry())) {
    throw InputError(what + ": the region is not on the image's grid");
  }
  const float* v = image.data();
  const std::uint8_t* m = mask.data();
  std::size_t n = 0;
  for (std::size_t i = 0; i < image.voxelCount(); ++i) {
    if (!m[i]) continue;
    if (!std::isfinite(v[i])) throw InputError(what + ": a voxel inside is NaN or infinite");
    ++n;
  }
  if (n == 0) throw InputError(what + ": the region holds no voxel of the image");
  return summarizeValues(image, &mask);
}

namespace {

/// Statistics of the voxels of the index bounding box of the world points
/// centre +- reach (every corner) for which inside(world position) holds.
template <typename Inside>
ValueSummary boundedStatistics(const Volume& image, const Eigen::Vector3d& centre,
                               const Eigen::Vector3d& reach, Inside&& inside,
                               const std::string& what) {
  const Geometry3D& g = image.geometry();
  Eigen::Vector3d lo = Eigen::Vector3d::Constant(1e300), hi = Eigen::Vector3d::Constant(-1e300);
  for (int c = 0; c < 8; ++c) {
    const Eigen::Vector3d corner(centre[0] + ((c & 1) ? reach[0] : -reach[0]),
                                 centre[1] + ((c & 2) ? reach[1] : -reach[1]),
                                 centre[2] + ((c & 4) ? reach[2] : -reach[2]));
    const Eigen::Vector3d ijk = g.worldToIndex(corner);
    lo = lo.cwiseMin(ijk);
    hi = hi.cwiseMax(ijk);
  }
  std::array<int, 3> a{}, b{};
  for (int d = 0; d < 3; ++d) {
    a[d] = std::max(0, static_cast<int>(std::floor(lo[d])));
    b[d] = std::min(g.size[d] - 1, static_cast<int>(std::ceil(hi[d])));
  }
  std::vector<float> values;
  for (int k = a[2]; k <= b[2]; ++k) {
    for (int j = a[1]; j <= b[1]; ++j) {
      for (int i = a[0]; i <= b[0]; ++i) {
        if (!inside(g.indexToWorld(Eigen::Vector3d(i, j, k)))) continue;
        const float v = image.at(i, j, k);
        if (!std::isfinite(v)) throw InputError(what + ": a voxel inside is NaN or infinite");
        values.push_back(v);
      }
    }
  }
  if (values.empty()) throw InputError(what + ": the region holds no voxel of the image");
  return summarizeValues(std::span<const float>(values), nullptr);
}

}  // namespace

ValueSummary sphereStatistics(const Volume& image, const Eigen::Vector3d& centre_mm,
                              double radius_mm, const std::string& what) {
  const double r2 = radius_mm * radius_mm;
  return boundedStatistics(
      image, centre_mm, Eigen::Vector3d::Constant(radius_mm),
      [&](const Eigen::Vector3d& p) { return (p - centre_mm).squaredNorm() <= r2; }, what);
}

ValueSummary boxStatistics(const Volume& image, const Eigen::Vector3d& centre_mm,
                           const Eigen::Vector3d& half_size_mm, const std::string& what) {
  return boundedStatistics(
      image, centre_mm, half_size_mm,
      [&](const Eigen::Vector3d& p) {
        return ((p - centre_mm).cwiseAbs() - half_size_mm).maxCoeff() <= 0.0;
      },
      what);
}

LinearityFit fitLine(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 2) {
    throw ParameterError("fitLine: needs at least two points of equal-length x and y");
  }
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxx = 0, sxy = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0) throw ParameterError("fitLine: the x values are all equal");
  LinearityFit f;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  double ssRes = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double r = y[i] - (f.slope * x[i] + f.intercept);
    ssRes += r * r;
  }
  f.r2 = syy > 0 ? 1.0 - ssRes / syy : 1.0;
  return f;
}

ValueAccuracy measureValues(const Volume& image, std::span<const InsertRoi> inserts) {
  if (inserts.empty()) throw ParameterError("measure values: no insert given");
  if (image.empty()) throw InputError("measure values: the image is empty");
  ValueAccuracy result;
  std::vector<double> nominal, measured;
  for (const InsertRoi& roi : inserts) {
    const std::string what = "insert '" + roi.name + "'";
    if (!(roi.radius_mm > 0) || !std::isfinite(roi.radius_mm)) {
      throw ParameterError(what + ": radius_mm must be a positive number");
    }
    if (!roi.centre_mm.allFinite() || !std::isfinite(roi.nominal)) {
      throw ParameterError(what + ": centre_mm and nominal must be finite");
    }
    InsertValue value;
    value.name = roi.name;
    value.nominal = roi.nominal;
    value.measured = sphereStatistics(image, roi.centre_mm, roi.radius_mm, what);
    value.error = value.measured.mean - roi.nominal;
    value.ratio = roi.nominal != 0 ? value.measured.mean / roi.nominal : 0.0;
    nominal.push_back(roi.nominal);
    measured.push_back(value.measured.mean);
    result.inserts.push_back(std::move(value));
  }
  bool distinct = false;
  for (double x : nominal) distinct = distinct || x != nominal.front();
  if (distinct) {
    result.fit = fitLine(nominal, measured);
    result.has_fit = true;
  }
  return result;
}

}  // namespace harmonia
