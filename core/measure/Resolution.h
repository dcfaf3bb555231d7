#pragma once
// Spatial resolution of a scanner measured on a phantom scan: the FWHM of its
// point-spread function (PSF) per axis, with the edge-spread, line-spread and
// modulation-transfer functions for plots.
//
// What the numbers mean: the scanner is modelled as a Gaussian PSF with one
// standard deviation per grid axis, followed by sampling on the voxel grid,
// each voxel holding the mean of the blurred object over its box (extent =
// spacing). Every method fits that SAMPLED model to the voxels, so `fwhm_mm`
// is the FWHM of the Gaussian PSF alone (2 sqrt(2 ln 2) sigma), without the
// voxel box: it stays right when the voxels are as large as, or larger than,
// the FWHM (thick slices, partial volume). The MTF and its MTF50/MTF10 are
// those of that PSF (the Fourier transform of its LSF), not of PSF x voxel box.
//
// Methods:
//  - Edge: the faces of a box-shaped object (a cube phantom). The object is
//    found by thresholding halfway between the background and foreground
//    levels; for each axis the two faces whose normal is that axis give the
//    edge-spread function (ESF): voxels of the central half of the face, their
//    centres projected onto the normal (slanted-edge principle: a small tilt
//    of the face is fitted, so a slanted face oversamples the ESF), binned at
//    bin_width_fraction x spacing. The sampled edge model (Gaussian ESF
//    averaged over the voxel's extent along the normal) is fitted to the
//    voxels by Levenberg-Marquardt; the LSF is the derivative of the binned ESF.
//  - Sphere: a uniform sphere (diameter known, or fitted). The blurred-sphere
//    model (closed form for an isotropic Gaussian; for per-axis sigma the
//    local sigma along the surface normal, sigma_n^2 = sum n_i^2 sigma_i^2) is
//    averaged over each voxel's box by Gauss-Legendre quadrature and fitted to
//    all voxels near the surface at once (centre, radius, levels, sigma_x,y,z).
//  - Point (or wire): a 3-D Gaussian with per-axis sigma, averaged over the
//    voxel box (closed form: products of erf differences), fitted with its
//    amplitude, background and centre. A line source along a grid axis (wire)
//    is detected and that axis is reported as not measured.
//
// Axes are the grid's axes (i, j, k) in mm (spacing); the centre is reported in
// world coordinates (mm). Bad input (NaNs, a uniform image, no object found)
// throws InputError; bad parameters throw ParameterError.

#include <Eigen/Core>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/image/Volume.h"
#include "core/job/Progress.h"
#include "core/measure/MeasureTypes.h"

namespace harmonia {

enum class PsfMethod { Edge, Sphere, Point };

struct PsfParams {
  PsfMethod method = PsfMethod::Edge;
  std::optional<Eigen::Vector3d>
      centre_mm;  ///< object (cube / sphere / point) centre, world mm; absent: detected
  std::optional<double> sphere_diameter_mm;  ///< Sphere: known diameter (absent: fitted too)
  double roi_radius_mm = 0;                  ///< analysis region around the centre; 0: automatic
  double bin_width_fraction =
      0.1;  ///< ESF bin width as a fraction of the voxel spacing along the axis
};

struct AxisResolution {
  bool measured = false;
  double fwhm_mm = 0,
         fwhm_stderr_mm = 0;  ///< PSF FWHM (without the voxel box) and its standard error
  Curve esf;  ///< edge: oversampled ESF (signed distance along the normal, mm, positive inside the
              ///< object; binned mean value); sphere: radial profile (distance from the centre, mm)
              ///< in a cone around the axis; point: profile along the axis through the centre
  Curve esf_fit;  ///< the fitted sampled model (with the voxel box) on a fine x
  Curve lsf;  ///< derivative of the binned ESF (edge, sphere: of minus the profile) / the profile
              ///< (point)
  Curve lsf_fit;  ///< derivative of the fitted sampled model (edge, sphere) / the fitted model
                  ///< (point)
  Curve mtf;      ///< the PSF's MTF: x cycles/mm, y MTF (1 at 0)
  double mtf50_per_mm = 0, mtf10_per_mm = 0;
};

struct PsfMeasurement {
  PsfMethod method = PsfMethod::Edge;
  Eigen::Vector3d centre_mm{0, 0, 0};     ///< world mm
  double background = 0, foreground = 0;  ///< levels found (point: background and peak of the PSF)
  std::array<AxisResolution, 3> axes;     ///< x, y, z (grid axes)
  std::vector<std::string> warnings;
  /// FWHM per axis (0 for an axis not measured).
  [[nodiscard]] Eigen::Vector3d fwhm_mm() const;
};

/// Measures the PSF of `image` with the method of `params` (see the header comment).
PsfMeasurement measurePsf(const Volume& image, const PsfParams& params,
                          Progress& progress = noProgress());

/// "edge" | "sphere" | "point".
std::string psfMethodName(PsfMethod method);
/// The method named "edge", "sphere" or "point"; ParameterError otherwise.
PsfMethod psfMethodFromName(const std::string& name);

/// |Fourier transform| of a sampled line-spread function (x in mm, any
/// spacing, trapezoidal rule), normalised to 1 at 0, at `count` frequencies
/// from 0 to `max_frequency_per_mm` (cycles/mm).
Curve mtfFromLsf(const Curve& lsf, double max_frequency_per_mm, int count = 256);
/// The first frequency where the MTF falls to `level` (linear interpolation);
/// 0 when it never does within the curve.
double mtfCrossing(const Curve& mtf, double level);

}  // namespace harmonia
