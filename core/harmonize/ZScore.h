#pragma once
// Z-score normalisation in a region of interest.
//
// The image model I = alpha f + beta + noise has an unknown gain alpha and
// offset beta per site. Normalising by statistics taken in a region that
// holds the same tissue at every site removes both:
//     z(x) = (x - centre) / scale,  applied to the whole image,
// with centre = mean and scale = population standard deviation inside the ROI,
// or, robust to outliers and lesions, centre = median and scale = IQR / 1.349
// (the IQR of a normal distribution is 1.349 sigma, so both agree on Gaussian
// data). The removed gain and offset are reported: x = alpha_removed z + beta_removed.
// Statistics are float64; quantiles are exact (Quantiles.h).
//
// Errors (InputError): an ROI with no voxels inside, an image constant inside
// the ROI (scale 0), an ROI whose size differs from the image's.

#include <cstdint>
#include <vector>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Parameters of z-scoring.
struct ZScoreParams {
  bool robust = false;  ///< false: mean and standard deviation; true: median and IQR / 1.349
};

/// What was removed.
struct ZScoreReport {
  bool robust = false;
  std::uint64_t roi_count = 0;  ///< finite values inside the ROI
  double centre = 0.0;          ///< mean (or median) inside the ROI
  double scale = 1.0;           ///< standard deviation (or IQR / 1.349) inside the ROI
  double iqr = 0.0;             ///< robust only: Q3 - Q1
  double alpha_removed = 1.0;   ///< gain removed: x = alpha_removed z + beta_removed (= scale)
  double beta_removed = 0.0;    ///< offset removed (= centre)
};

/// A z-scored volume and its report.
struct ZScoreResult {
  Volume image;
  ZScoreReport report;
};

/// Z-scores `input` with statistics inside `roi` (same grid). The result has
/// the input's grid and metadata; its units are "z".
ZScoreResult zscore(const Volume& input, const MaskVolume& roi, const ZScoreParams& params = {},
                    Progress& progress = noProgress());

/// A z-scored 2-D image (float32) and one report per channel.
struct ZScoreResult2D {
  Image2D image;
  std::vector<ZScoreReport> reports;
};

/// Z-scores each channel of `input` with statistics inside `roi`, a 2-D mask
/// of the same size (inside: first channel >= half of full scale, Mask2D.h).
ZScoreResult2D zscore(const Image2D& input, const Image2D& roi, const ZScoreParams& params = {},
                      Progress& progress = noProgress());

}  // namespace harmonia
