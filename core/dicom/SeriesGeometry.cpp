#include "core/dicom/SeriesGeometry.h"

#include <oneapi/tbb/parallel_for.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "core/stats/Quantiles.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

Eigen::Vector3d rowDir(const std::array<double, 6>& o) {
  return Eigen::Vector3d(o[0], o[1], o[2]).normalized();
}
Eigen::Vector3d colDir(const std::array<double, 6>& o) {
  return Eigen::Vector3d(o[3], o[4], o[5]).normalized();
}

std::string mm(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v << " mm";
  return s.str();
}

double median(std::vector<double> v) { return medianInPlace(v); }

}  // namespace

SeriesGeometry computeSeriesGeometry(const std::vector<SlicePlacement>& slices,
                                     const SeriesGeometryParams& params) {
  if (slices.empty()) throw InputError("a series without slices has no geometry");
  const SlicePlacement& first = slices.front();
  for (const SlicePlacement& s : slices) {
    if (s.rows != first.rows || s.columns != first.columns) {
      throw InputError("slices of different sizes (" + std::to_string(first.columns) + "x" +
                       std::to_string(first.rows) + " and " + std::to_string(s.columns) + "x" +
                       std::to_string(s.rows) + ") cannot form one volume");
    }
    for (int c = 0; c < 6; ++c) {
      if (std::abs(s.orientation[c] - first.orientation[c]) > 1e-3) {
        throw InputError("slices of different orientations cannot form one volume");
      }
    }
  }
  SeriesGeometry g;
  const Eigen::Vector3d r = rowDir(first.orientation);
  const Eigen::Vector3d c = colDir(first.orientation);
  g.normal = r.cross(c).normalized();
  g.positions_known = std::all_of(slices.begin(), slices.end(),
                                  [](const SlicePlacement& s) { return s.has_position; });
  const std::size_t n = slices.size();
  std::vector<double> offsets(n);
  for (std::size_t i = 0; i < n; ++i) {
    offsets[i] = g.positions_known ? slices[i].position_mm.dot(g.normal)
                                   : static_cast<double>(slices[i].instance_number);
  }
  g.order.resize(n);
  std::iota(g.order.begin(), g.order.end(), std::size_t{0});
  std::stable_sort(g.order.begin(), g.order.end(),
                   [&](std::size_t a, std::size_t b) { return offsets[a] < offsets[b]; });

  const double thickness = first.slice_thickness_mm > 0 ? first.slice_thickness_mm : 1.0;
  if (!g.positions_known) {
    g.issues.push_back("no Image Position (Patient): slices ordered by Instance Number, " +
                       mm(thickness) + " apart (Slice Thickness)");
  }
  for (std::size_t k = 0; k < n; ++k) {
    const SlicePlacement& s = slices[g.order[k]];
    const Eigen::Vector3d p =
        g.positions_known ? s.position_mm
                          : first.position_mm + g.normal * thickness * static_cast<double>(k);
    g.slice_positions_mm.push_back(p);
    g.slice_offsets_mm.push_back(p.dot(g.normal));
  }

  Geometry3D& grid = g.grid;
  grid.size = {first.columns, first.rows, static_cast<int>(n)};
  grid.origin_mm = g.slice_positions_mm.front();
  grid.direction.col(0) = r;
  grid.direction.col(1) = c;
  grid.direction.col(2) = g.normal;
  // Pixel Spacing is (between rows, between columns): i steps a column.
  grid.spacing_mm = {first.pixel_spacing_mm[1], first.pixel_spacing_mm[0], thickness};
  if (n < 2) {
    g.median_gap_mm = g.min_gap_mm = g.max_gap_mm = thickness;
    return g;
  }

  std::vector<double> gaps(n - 1);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    gaps[k] = g.slice_offsets_mm[k + 1] - g.slice_offsets_mm[k];
  }
  const double tinyGap = 1e-3;
  std::vector<double> realGaps;
  for (double d : gaps) {
    if (d < tinyGap) {
      ++g.duplicate_positions;
    } else {
      realGaps.push_back(d);
    }
  }
  if (realGaps.empty()) {
    throw InputError("all " + std::to_string(n) +
                     " slices lie at the same position: not a volume (several time points or "
                     "echoes in one series?)");
  }
  g.median_gap_mm = median(realGaps);
  g.min_gap_mm = *std::min_element(realGaps.begin(), realGaps.end());
  g.max_gap_mm = *std::max_element(realGaps.begin(), realGaps.end());
  const double tol = std::max(1e-3, params.relative_spacing_tolerance * g.median_gap_mm);
  for (double d : realGaps) {
    if (std::abs(d - g.median_gap_mm) > tol) g.uniform_spacing = false;
    const double ratio = d / g.median_gap_mm;
    if (ratio > 1.5) g.missing_slices += static_cast<int>(std::lround(ratio)) - 1;
  }
  if (g.duplicate_positions > 0) {
    g.issues.push_back(std::to_string(g.duplicate_positions) +
                       " slices share a position with their neighbour");
  }
  if (!g.uniform_spacing) {
    g.issues.push_back("non-uniform slice spacing: gaps from " + mm(g.min_gap_mm) + " to " +
                       mm(g.max_gap_mm) + " (median " + mm(g.median_gap_mm) + ")");
  }
  if (g.missing_slices > 0) {
    g.issues.push_back(std::to_string(g.missing_slices) + " slice" +
                       (g.missing_slices > 1 ? "s appear" : " appears") +
                       " to be missing (gaps of a multiple of the median spacing)");
  }

  // The mean step between slice origins; its angle to the normal is the tilt.
  const Eigen::Vector3d step =
      (g.slice_positions_mm.back() - g.slice_positions_mm.front()) / static_cast<double>(n - 1);
  const double along = step.dot(g.normal);
  const double tilt = std::atan2((step - along * g.normal).norm(), std::abs(along)) * 180.0 / M_PI;
  if (g.positions_known && tilt > params.tilt_tolerance_deg) {
    g.gantry_tilt_deg = tilt;
    grid.direction.col(2) = step.normalized();
    grid.spacing_mm[2] = step.norm();
    std::ostringstream s;
    s.precision(3);
    s << "gantry tilt of " << tilt << " degrees (slices sheared along the column direction)";
    g.issues.push_back(s.str());
  } else {
    grid.spacing_mm[2] = along;
  }
  return g;
}

Geometry3D regularGridFor(const SeriesGeometry& g) {
  Geometry3D out = g.grid;
  out.direction.col(2) = g.normal;
  const double extent = g.slice_offsets_mm.back() - g.slice_offsets_mm.front();
  const double step = g.median_gap_mm > 0 ? g.median_gap_mm : g.grid.spacing_mm[2];
  out.spacing_mm[2] = step;
  out.size[2] = static_cast<int>(std::lround(extent / step)) + 1;
  return out;
}

Volume resampleToRegularGrid(const Volume& stack, const SeriesGeometry& g, Progress& progress) {
  const Geometry3D out = regularGridFor(g);
  Volume result(out, kUninitialized);
  result.setUnits(stack.units());
  result.metadata() = stack.metadata();
  float fill = std::numeric_limits<float>::max();
  for (float v : stack.voxels()) fill = std::min(fill, v);
  const int nx = stack.nx();
  const int ny = stack.ny();
  const int nz = stack.nz();
  const Eigen::Vector3d r = out.direction.col(0);
  const Eigen::Vector3d c = out.direction.col(1);
  const double sx = out.spacing_mm[0];
  const double sy = out.spacing_mm[1];

  auto sampleSlice = [&](int k, const Eigen::Vector3d& p, bool& inside) -> double {
    const Eigen::Vector3d d = p - g.slice_positions_mm[static_cast<std::size_t>(k)];
    const double u = d.dot(r) / sx;
    const double v = d.dot(c) / sy;
    if (u < -0.5 || v < -0.5 || u > nx - 0.5 || v > ny - 0.5) {
      inside = false;
      return fill;
    }
    const double uc = std::clamp(u, 0.0, nx - 1.0);
    const double vc = std::clamp(v, 0.0, ny - 1.0);
    const int i0 = std::min(static_cast<int>(uc), nx - 1);
    const int j0 = std::min(static_cast<int>(vc), ny - 1);
    const int i1 = std::min(i0 + 1, nx - 1);
    const int j1 = std::min(j0 + 1, ny - 1);
    const double fu = uc - i0;
    const double fv = vc - j0;
    const double a = stack.at(i0, j0, k) * (1 - fu) + stack.at(i1, j0, k) * fu;
    const double b = stack.at(i0, j1, k) * (1 - fu) + stack.at(i1, j1, k) * fu;
    inside = true;
    return a * (1 - fv) + b * fv;
  };

  std::atomic<int> done{0};
  tbb::parallel_for(0, out.size[2], [&](int k) {
    progress.throwIfCancelled();
    for (int j = 0; j < out.size[1]; ++j) {
      for (int i = 0; i < out.size[0]; ++i) {
        const Eigen::Vector3d p = out.indexToWorld(Eigen::Vector3d(i, j, k));
        const double d = p.dot(g.normal);
        const auto it = std::upper_bound(g.slice_offsets_mm.begin(), g.slice_offsets_mm.end(), d);
        int k1 = static_cast<int>(it - g.slice_offsets_mm.begin());
        int k0 = k1 - 1;
        k0 = std::clamp(k0, 0, nz - 1);
        k1 = std::clamp(k1, 0, nz - 1);
        const double d0 = g.slice_offsets_mm[static_cast<std::size_t>(k0)];
        const double d1 = g.slice_offsets_mm[static_cast<std::size_t>(k1)];
        const double w = d1 > d0 ? std::clamp((d - d0) / (d1 - d0), 0.0, 1.0) : 0.0;
        bool in0 = false;
        bool in1 = false;
        const double v0 = sampleSlice(k0, p, in0);
        const double v1 = sampleSlice(k1, p, in1);
        result.at(i, j, k) = (in0 && in1) ? static_cast<float>(v0 * (1 - w) + v1 * w) : fill;
      }
    }
    progress.report(static_cast<double>(++done) / out.size[2]);
  });
  return result;
}

}  // namespace harmonia
