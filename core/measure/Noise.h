#pragma once
// Noise and uniformity in a uniform region of a phantom scan.
//
// Statistics: mean, sample SD and CV of the voxels of an axis-aligned box ROI
// (world coordinates; a voxel is inside when its centre is, see RoiShapes.h).
//
// Noise power spectrum (NPS): for every axial slice (k) of the ROI's voxel
// block, a least-squares plane a + b i + c j is subtracted (removes the mean
// and a linear trend), then
//     NPS(fx, fy) = dx dy / (Nx Ny) |DFT(residual)|^2
// (units: value^2 mm^2), averaged over the slices. With this normalisation
// the integral of the NPS over the 2-D frequency plane, sum NPS dfx dfy with
// dfx = 1 / (Nx dx), equals the mean squared residual (Parseval): the
// variance. White noise of variance sigma^2 gives a flat NPS of sigma^2 dx dy.
// The curve reported is the radial average in rings of width
// max(dfx, dfy), from the first ring above 0 up to the smaller Nyquist
// frequency; x is the mean radial frequency of the samples in a ring
// (cycles/mm). The zero frequency is left out (the plane fit removes it).
//
// Uniformity: the mean of the centre ROI (the box above) against four
// peripheral ROIs of the same size, displaced by +-offset along x and y in
// the ROI's central slice plane. offset = 0 picks it from the object: the
// distance from the ROI centre to the object's edge (the first voxel below
// half the centre mean) along +-x and +-y, the smallest of the four, minus the
// ROI half size and a 10 mm margin. Integral uniformity =
// 100 (max - min) / (max + min) over the five means (as NEMA's integral
// uniformity, applied to ROI means).

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "core/image/Volume.h"
#include "core/job/Progress.h"
#include "core/measure/MeasureTypes.h"

namespace harmonia {

struct NoiseParams {
  Eigen::Vector3d centre_mm{0, 0, 0};
  Eigen::Vector3d half_size_mm{10, 10, 5};
  bool uniformity = true;
  double uniformity_offset_mm = 0;  ///< 0: automatic (from the object's extent)
};

struct UniformityResult {
  double centre_mean = 0;
  std::vector<double> peripheral_means;  ///< +x, -x, +y, -y
  double max_abs_deviation = 0;          ///< max |peripheral - centre|
  double integral_uniformity_percent = 0;
  double offset_mm = 0;  ///< the offset used (added)
};

struct NoiseMeasurement {
  ValueSummary stats;
  Curve nps;                ///< radially averaged 2-D NPS: x cycles/mm, y value^2 mm^2
  double nps_integral = 0;  ///< integral of the 2-D NPS (== variance of the detrended ROI)
  std::optional<UniformityResult> uniformity;
  std::vector<std::string> warnings;  ///< e.g. why uniformity was left out
};

/// Throws InputError for an empty ROI, an ROI outside the image or non-finite
/// voxels in it; ParameterError for a non-positive half size.
NoiseMeasurement measureNoise(const Volume& image, const NoiseParams& params,
                              Progress& progress = noProgress());

}  // namespace harmonia
