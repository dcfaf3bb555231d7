#pragma once
// Plain alpha compositing, out = (1 - a) * B + a * F, with a feathered mask.
//
// The blend runs over whole images (or ROIs) with SIMD: 8-bit images use
// 16-bit integer lanes and an exact rounded division by 255, float images
// float lanes; both row loops are written so that GCC vectorizes them
// (checked: g++ -O3 -march=x86-64-v2 -fopt-info-vec-optimized on
// AlphaComposite.cpp reports both loops "vectorized using 16 byte vectors").

#include <opencv2/core/mat.hpp>

namespace harmonia {

/// Parameters of the alpha mode.
struct FeatherParams {
  /// Width of the soft edge in pixels, measured inward from the mask's edge:
  /// alpha = min(1, d / feather_radius_px), d the Euclidean distance from the
  /// pixel to the nearest pixel outside the mask (1 next to the edge). 0 keeps
  /// the mask's hard edge. The soft edge lies inside the mask, so no colour
  /// from outside what the user drew ever shows.
  double feather_radius_px = 0.0;
};

/// Alpha (CV_8U, 0..255) of a 0/1 mask (CV_8U), feathered as FeatherParams says.
/// The mask's outer edge counts as outside.
cv::Mat featherAlpha(const cv::Mat& mask01, const FeatherParams& params);

/// out = (1 - a) * background + a * foreground, a = alpha / 255, per pixel
/// and channel. background and foreground: same size and type (CV_8U, CV_16U or
/// CV_32F, 1 to 4 channels); alpha: CV_8U single channel, same size. 8-bit
/// results are rounded to nearest. Returns a new image.
cv::Mat alphaBlend(const cv::Mat& background, const cv::Mat& foreground, const cv::Mat& alpha);

/// One row of an 8-bit blend: n values, alpha already repeated per channel; out must not alias the
/// inputs.
void alphaBlendRow8u(const unsigned char* b, const unsigned char* f, const unsigned char* a,
                     unsigned char* out, int n);

/// One row of a float blend: n values, alpha (0..255) repeated per channel; out must not alias the
/// inputs.
void alphaBlendRow32f(const float* b, const float* f, const unsigned char* a, float* out, int n);

}  // namespace harmonia
