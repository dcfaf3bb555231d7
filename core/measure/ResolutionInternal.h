#pragma once
// Shared pieces of the PSF measurements (Resolution.cpp, EdgePsf.cpp,
// SpherePsf.cpp, PointPsf.cpp): input checks, level and object detection,
// binned curves and the per-axis MTF summary.

#include <array>
#include <optional>
#include <vector>

#include "core/measure/Resolution.h"

namespace harmonia::psf {

/// Names of the x, y, z axes in warnings.
inline constexpr const char* kAxisName[3] = {"x", "y", "z"};

/// Throws InputError for an empty image, NaN/inf values or a uniform image.
void checkImage(const Volume& image);

/// Background and foreground levels (medians of the two classes of Otsu's
/// threshold, refined once) and the threshold halfway between them.
struct Levels {
  double background = 0, foreground = 0, threshold = 0;
  double noise = 0;  ///< robust SD of the background class (1.4826 MAD)
};
/// Throws InputError when the two levels do not stand 5 noise SDs apart (no object).
Levels estimateLevels(const Volume& image);

/// A 6-connected component of the voxels on one side of a threshold.
struct Component {
  std::array<int, 3> lo{0, 0, 0}, hi{0, 0, 0};  ///< index bounding box (inclusive)
  std::size_t voxels = 0;
  Eigen::Vector3d centroid_mm{0, 0, 0};  ///< grid mm (index * spacing)
  bool bright = true;                    ///< above the threshold (false: a dark object)
};
/// The object: the largest component above the threshold that does not touch
/// the image border (or, when there is none, below it); when `seed` (index) is
/// given, the component containing it. Throws InputError when none is found.
Component findObject(const Volume& image, double threshold,
                     const std::optional<Eigen::Vector3i>& seed);

/// Grid index of a world point, checked to lie inside the image (ParameterError
/// naming `what` otherwise).
Eigen::Vector3d worldToGridIndex(const Volume& image, const Eigen::Vector3d& world_mm,
                                 const char* what);
/// World mm of a grid-mm point (index * spacing).
Eigen::Vector3d gridMmToWorld(const Volume& image, const Eigen::Vector3d& grid_mm);

/// Means of y in bins of width `width` over x (empty bins left out); x of a bin
/// is the mean x of its samples.
Curve binCurve(const std::vector<double>& x, const std::vector<double>& y, double width);
/// Finite-difference derivative of a curve (at the midpoints), times `sign`.
Curve differentiate(const Curve& c, double sign = 1.0);
/// A curve of f on `count` points from a to b.
template <typename F>
Curve sampleCurve(double a, double b, int count, F&& f) {
  Curve c;
  for (int i = 0; i < count; ++i) {
    const double x = a + (b - a) * i / (count - 1);
    c.x.push_back(x);
    c.y.push_back(f(x));
  }
  return c;
}

/// Fills fwhm, stderr, mtf (from the Gaussian LSF of `sigma`), MTF50/10.
void setGaussianResult(AxisResolution& axis, double sigma_mm, double sigma_stderr_mm);

/// A uniform ball of radius `radius` (value 1) blurred by a Gaussian, at
/// distance r from its centre: the closed form for an isotropic sigma
/// (curvature_k == sigma^2); for an anisotropic one, sigma along the normal
/// and the curvature coefficient of curvatureK (first order in 1/r).
double blurredBall(double r, double radius, double sigma, double curvature_k);
double curvatureK(const Eigen::Vector3d& s2, const Eigen::Vector3d& n, double u);

/// The three methods (params already checked, image checked).
PsfMeasurement measureEdge(const Volume& image, const PsfParams& params, Progress& progress);
PsfMeasurement measureSphere(const Volume& image, const PsfParams& params, Progress& progress);
PsfMeasurement measurePoint(const Volume& image, const PsfParams& params, Progress& progress);

}  // namespace harmonia::psf
