#pragma once
// Gaussian blur as a multiplication in the Fourier domain, on the grid's own
// discrete frequencies (periodic boundary).
//
// A Gaussian of standard deviation sigma (mm) has the transfer function
//     H(f) = exp(-2 pi^2 sigma^2 f^2),   f in cycles/mm.
// On a grid of n voxels of spacing d the DFT frequencies are f_k = k / (n d)
// for k = 0 .. n/2 and (k - n) / (n d) above; the blur multiplies each
// coefficient by H(f_k) (the product over the three axes) and transforms back.
// Because H(a) H(b) = H(sqrt(a^2 + b^2)) holds for these frequencies exactly
// (the exponents add), blurring twice is the same operation as blurring once
// with the combined width: the composition is exact up to arithmetic rounding,
// which a sampled, truncated spatial kernel (GaussianFilter.h) is not. A
// constant image is left exactly unchanged (H(0) = 1).
//
// The image is treated as one period of a periodic signal: what leaves one
// face re-enters at the opposite face. Use it where the border holds a
// uniform background (a phantom in air) or where that is the model.
// Arithmetic is float64 (separable real DFTs along x, y and z, cv::dft);
// the result is rounded to float32 once.

#include <Eigen/Core>
#include <vector>

#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Blurs `input` with a Gaussian of the given FWHM per axis (i, j, k), mm, by
/// multiplying its DFT by the Gaussian transfer function (periodic boundary).
/// An axis whose FWHM is 0 (or whose size is 1) is left alone. The output has
/// the input's geometry, units and metadata. Throws ParameterError for a
/// negative or non-finite FWHM; Cancelled on cancel.
Volume gaussianBlurFourier(const Volume& input, const Eigen::Vector3d& fwhm_mm,
                           Progress& progress = noProgress());

/// The same on a float64 buffer of g.size voxels (x fastest), in place: the
/// building block of gaussianBlurFourier, for callers that keep float64.
void gaussianBlurFourierInPlace(std::vector<double>& data, const Geometry3D& g,
                                const Eigen::Vector3d& fwhm_mm, Progress& progress = noProgress());

/// The transfer function exp(-2 pi^2 sigma^2 f^2) of the DFT bin k on an axis
/// of n samples of spacing spacing_mm (f = min(k, n - k) / (n spacing_mm)).
double gaussianTransfer(double sigma_mm, int k, int n, double spacing_mm);

}  // namespace harmonia
