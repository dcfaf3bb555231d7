#include "core/compare/ComparisonDisplay.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace harmonia {

namespace {

constexpr std::array<std::pair<ComparisonMode, const char*>, 7> kNames{{
    {ComparisonMode::SideBySide, "side"},
    {ComparisonMode::Fade, "fade"},
    {ComparisonMode::Flicker, "flicker"},
    {ComparisonMode::Checkerboard, "checkerboard"},
    {ComparisonMode::Difference, "difference"},
    {ComparisonMode::Swipe, "swipe"},
    {ComparisonMode::Fusion, "fusion"},
}};

void put(std::span<std::uint8_t> rgba, std::size_t p, std::uint8_t r, std::uint8_t g,
         std::uint8_t b, std::uint8_t alpha = 255) {
  rgba[4 * p] = r;
  rgba[4 * p + 1] = g;
  rgba[4 * p + 2] = b;
  rgba[4 * p + 3] = alpha;
}

}  // namespace

const char* toString(ComparisonMode mode) {
  for (const auto& [m, name] : kNames) {
    if (m == mode) return name;
  }
  return "side";
}

std::optional<ComparisonMode> parseComparisonMode(const std::string& name) {
  for (const auto& [m, n] : kNames) {
    if (name == n) return m;
  }
  return std::nullopt;
}

std::uint8_t greyOf(float value, const DisplayWindow& window) {
  if (!std::isfinite(value)) return 0;
  const double w = window.window > 0.0 ? window.window : 1.0;
  const double t = (static_cast<double>(value) - (window.level - 0.5 * w)) / w;
  return static_cast<std::uint8_t>(std::lround(std::clamp(t, 0.0, 1.0) * 255.0));
}

std::array<std::uint8_t, 3> divergingColour(double t) {
  t = std::isfinite(t) ? std::clamp(t, -1.0, 1.0) : 0.0;
  // Linear from white to pure blue / red: symmetric, white exactly at 0.
  const auto fade = static_cast<std::uint8_t>(std::lround(255.0 * (1.0 - std::abs(t))));
  if (t >= 0.0) return {255, fade, fade};
  return {fade, fade, 255};
}

void composeComparisonSlice(std::span<const float> a, std::span<const float> b, int nu, int nv,
                            double spacing_u_mm, double spacing_v_mm,
                            const ComparisonDisplayParams& params, std::span<std::uint8_t> rgba) {
  const std::size_t pixels =
      static_cast<std::size_t>(std::max(nu, 0)) * static_cast<std::size_t>(std::max(nv, 0));
  if (a.size() != pixels || b.size() != pixels || rgba.size() != 4 * pixels) {
    throw std::invalid_argument("composeComparisonSlice: slice sizes disagree");
  }
  const double fade = std::clamp(params.fade, 0.0, 1.0);
  const double checker = params.checker_mm > 0.0 ? params.checker_mm : 1.0;
  const double range = params.difference_range > 0.0 ? params.difference_range : 1.0;
  const int swipeLength = params.swipe_axis == 1 ? nv : nu;
  const int swipeStart =
      static_cast<int>(std::lround(std::clamp(params.swipe, 0.0, 1.0) * swipeLength));
  for (int v = 0; v < nv; ++v) {
    // Checker square row of this pixel centre (distance from the grid origin, mm).
    const auto squareV = static_cast<long>(std::floor((v * spacing_v_mm) / checker));
    for (int u = 0; u < nu; ++u) {
      const std::size_t p = static_cast<std::size_t>(u) + static_cast<std::size_t>(nu) * v;
      const float va = a[p];
      const float vb = b[p];
      const std::uint8_t ga = greyOf(va, params.a);
      const bool haveB = std::isfinite(vb);
      if (params.mode == ComparisonMode::Difference) {
        if (!haveB || !std::isfinite(va)) {
          put(rgba, p, 0, 0, 0, 0);
          continue;
        }
        const auto c = divergingColour((static_cast<double>(vb) - va) / range);
        put(rgba, p, c[0], c[1], c[2]);
        continue;
      }
      if (!haveB) {
        put(rgba, p, ga, ga, ga);
        continue;
      }
      const std::uint8_t gb = greyOf(vb, params.b);
      std::uint8_t g = ga;
      switch (params.mode) {
        case ComparisonMode::SideBySide:
        case ComparisonMode::Difference:
          break;
        case ComparisonMode::Fade:
          g = static_cast<std::uint8_t>(std::lround((1.0 - fade) * ga + fade * gb));
          break;
        case ComparisonMode::Flicker:
          g = params.flicker_shows_b ? gb : ga;
          break;
        case ComparisonMode::Checkerboard: {
          const auto squareU = static_cast<long>(std::floor((u * spacing_u_mm) / checker));
          g = ((squareU + squareV) % 2 != 0) ? gb : ga;
          break;
        }
        case ComparisonMode::Swipe: {
          int along = params.swipe_axis == 1 ? v : u;
          if (params.swipe_reversed) along = swipeLength - 1 - along;
          g = along >= swipeStart ? gb : ga;
          break;
        }
        case ComparisonMode::Fusion:
          put(rgba, p, ga, gb, ga);
          continue;
      }
      put(rgba, p, g, g, g);
    }
  }
}

}  // namespace harmonia
