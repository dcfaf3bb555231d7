#include "core/blend/AlphaComposite.h"

#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/util/Error.h"

namespace harmonia {

cv::Mat featherAlpha(const cv::Mat& mask01, const FeatherParams& params) {
  CV_Assert(mask01.type() == CV_8U);
  if (params.feather_radius_px < 0.0) {
    throw ParameterError("feather radius must be >= 0 px, got " +
                         std::to_string(params.feather_radius_px));
  }
  if (params.feather_radius_px == 0.0) return mask01 * 255;
  cv::Mat padded;
  cv::copyMakeBorder(mask01, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
  cv::Mat distance;
  cv::distanceTransform(padded, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
  cv::Mat alpha;
  distance(cv::Rect(1, 1, mask01.cols, mask01.rows))
      .convertTo(alpha, CV_8U, 255.0 / params.feather_radius_px);  // saturates at 255
  return alpha;
}

void alphaBlendRow8u(const unsigned char* __restrict b, const unsigned char* __restrict f,
                     const unsigned char* __restrict a, unsigned char* __restrict out, int n) {
  for (int i = 0; i < n; ++i) {
    // 16-bit lanes: v <= 255 * 255 + 128 < 2^16, and (v + (v >> 8)) >> 8 with
    // the +128 folded into v is round(x / 255) for x <= 255 * 255.
    const auto ai = static_cast<std::uint16_t>(a[i]);
    const auto v = static_cast<std::uint16_t>(b[i] * (255 - ai) + f[i] * ai + 128);
    out[i] = static_cast<unsigned char>((v + (v >> 8)) >> 8);
  }
}

void alphaBlendRow32f(const float* __restrict b, const float* __restrict f,
                      const unsigned char* __restrict a, float* __restrict out, int n) {
  constexpr float kInv255 = 1.0f / 255.0f;
  for (int i = 0; i < n; ++i) {
    const float t = float(a[i]) * kInv255;
    out[i] = b[i] + t * (f[i] - b[i]);
  }
}

cv::Mat alphaBlend(const cv::Mat& background, const cv::Mat& foreground, const cv::Mat& alpha) {
  if (background.size() != foreground.size() || background.type() != foreground.type() ||
      alpha.size() != background.size() || alpha.type() != CV_8U) {
    throw ParameterError(
        "alphaBlend: background, foreground and alpha must match in size and type");
  }
  const int depth = background.depth();
  if (depth == CV_16U) {  // rare: through float
    cv::Mat bf, ff, out;
    background.convertTo(bf, CV_32F);
    foreground.convertTo(ff, CV_32F);
    alphaBlend(bf, ff, alpha).convertTo(out, CV_16U);
    return out;
  }
  if (depth != CV_8U && depth != CV_32F) {
    throw ParameterError("alphaBlend: images must be 8-bit, 16-bit or float");
  }
  cv::Mat out(background.size(), background.type());
  const int ch = background.channels();
  const int n = background.cols * ch;
  std::vector<unsigned char> rowAlpha(static_cast<std::size_t>(n));
  for (int y = 0; y < background.rows; ++y) {
    const unsigned char* a = alpha.ptr<unsigned char>(y);
    const unsigned char* aRow = a;
    if (ch > 1) {
      for (int x = 0; x < background.cols; ++x) {
        for (int c = 0; c < ch; ++c) rowAlpha[static_cast<std::size_t>(x) * ch + c] = a[x];
      }
      aRow = rowAlpha.data();
    }
    if (depth == CV_8U) {
      alphaBlendRow8u(background.ptr<unsigned char>(y), foreground.ptr<unsigned char>(y), aRow,
                      out.ptr<unsigned char>(y), n);
    } else {
      alphaBlendRow32f(background.ptr<float>(y), foreground.ptr<float>(y), aRow, out.ptr<float>(y),
                       n);
    }
  }
  return out;
}

}  // namespace harmonia
