#pragma once
// What a 2-D mask means, in every part of Harmonia that takes one: the paste
// mask of blending (core/blend, `harmonia-cli blend --mask`, the Composite
// workspace's mask editor and its "Load mask"), and the ROI of 2-D z-scoring
// and histogram matching (core/harmonize, `harmonia-cli zscore` and
// `match-histogram` on images).
//
// A 2-D mask is an Image2D of any sample type and channel count. Only its
// first channel counts: a pixel is inside when that channel is at least half
// of full scale, i.e. >= 128 for 8-bit, >= 32768 for 16-bit and >= 0.5 for
// float (a float alpha in 0..1). So a black-and-white PNG is a mask whatever
// tool drew it, anti-aliased or JPEG-noisy edges fall on the side they look
// like, and a soft alpha is cut at one half. Harmonia writes and edits masks
// as single-channel 8-bit 0/255 (ui/model/MaskModel).
//
// Code converts a mask once, at the edge, with maskInside() into CV_8U 0/1
// bytes and works on those. 3-D masks (MaskVolume, core/image/Volume.h) are
// label volumes instead: nonzero = inside, as NIfTI label maps are 0/1/2...

#include <opencv2/core/mat.hpp>

#include "core/image/Image2D.h"

namespace harmonia {

/// Full-scale value of a sample type: 255, 65535 or 1 (float images are 0..1).
double fullScale(SampleType type);

/// The fraction of full scale from which a mask pixel is inside.
inline constexpr double kMaskInsideFraction = 0.5;

/// The mask as CV_8U 0/1 bytes of its size: 1 where the first channel is at
/// least half of full scale (128, 32768 or 0.5).
cv::Mat maskInside(const Image2D& mask);

}  // namespace harmonia
