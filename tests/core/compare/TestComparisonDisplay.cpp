// Comparison modes composed slice by slice: each pixel checked against what
// the mode's definition says it must show (ComparisonDisplay.h).

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/compare/ComparisonDisplay.h"

using namespace harmonia;

namespace {

struct Slices {
  int nu = 40;
  int nv = 30;
  std::vector<float> a;
  std::vector<float> b;
  std::vector<std::uint8_t> rgba;
  Slices() : a(static_cast<std::size_t>(nu * nv)), b(a.size()), rgba(4 * a.size()) {
    for (int v = 0; v < nv; ++v)
      for (int u = 0; u < nu; ++u) {
        a[index(u, v)] = static_cast<float>(10 * u + v);   // 0..419
        b[index(u, v)] = static_cast<float>(500 - 7 * v);  // 297..500
      }
  }
  [[nodiscard]] std::size_t index(int u, int v) const {
    return static_cast<std::size_t>(u) + static_cast<std::size_t>(nu) * v;
  }
  [[nodiscard]] std::array<int, 4> pixel(int u, int v) const {
    const std::size_t p = 4 * index(u, v);
    return {rgba[p], rgba[p + 1], rgba[p + 2], rgba[p + 3]};
  }
  void compose(const ComparisonDisplayParams& params, double su = 1.0, double sv = 1.0) {
    composeComparisonSlice(a, b, nu, nv, su, sv, params, rgba);
  }
};

ComparisonDisplayParams windows(ComparisonMode mode) {
  ComparisonDisplayParams p;
  p.mode = mode;
  p.a = {420.0, 210.0};  // 0..420 -> 0..255
  p.b = {300.0, 350.0};  // 200..500 -> 0..255
  return p;
}

int grey(double value, double window, double level) {
  return static_cast<int>(
      std::lround(std::clamp((value - (level - window / 2)) / window, 0.0, 1.0) * 255.0));
}

}  // namespace

TEST(ComparisonDisplay, NamesRoundTrip) {
  for (auto m : {ComparisonMode::SideBySide, ComparisonMode::Fade, ComparisonMode::Flicker,
                 ComparisonMode::Checkerboard, ComparisonMode::Difference, ComparisonMode::Swipe,
                 ComparisonMode::Fusion}) {
    EXPECT_EQ(parseComparisonMode(toString(m)), m);
  }
  EXPECT_FALSE(parseComparisonMode("blend").has_value());
}

TEST(ComparisonDisplay, FadeAtZeroShowsAAndAtOneShowsB) {
  Slices s;
  auto p = windows(ComparisonMode::Fade);
  for (double fade : {0.0, 1.0, 0.25}) {
    p.fade = fade;
    s.compose(p);
    for (int v = 0; v < s.nv; v += 3)
      for (int u = 0; u < s.nu; u += 3) {
        const double ga = grey(s.a[s.index(u, v)], 420, 210);
        const double gb = grey(s.b[s.index(u, v)], 300, 350);
        const int want = static_cast<int>(std::lround((1 - fade) * ga + fade * gb));
        // The mix of the two studies' grey levels, rounded once.
        EXPECT_EQ(s.pixel(u, v)[0], want) << u << "," << v;
        EXPECT_EQ(s.pixel(u, v)[3], 255);
      }
  }
}

TEST(ComparisonDisplay, CheckerboardSquaresAlternateAtTheirSizeInMillimetres) {
  Slices s;
  auto p = windows(ComparisonMode::Checkerboard);
  p.checker_mm = 5.0;
  // Pixels of 0.5 x 1.25 mm: a 5 mm square is 10 pixels wide and 4 pixels high.
  s.compose(p, 0.5, 1.25);
  for (int v = 0; v < s.nv; ++v)
    for (int u = 0; u < s.nu; ++u) {
      const bool showsB = ((u / 10) + (v / 4)) % 2 == 1;
      const int want =
          showsB ? grey(s.b[s.index(u, v)], 300, 350) : grey(s.a[s.index(u, v)], 420, 210);
      ASSERT_EQ(s.pixel(u, v)[1], want) << u << "," << v;
    }
}

TEST(ComparisonDisplay, DifferenceOfIdenticalStudiesIsTheColourMapsZero) {
  Slices s;
  s.b = s.a;
  auto p = windows(ComparisonMode::Difference);
  p.difference_range = 50.0;
  s.compose(p);
  const auto zero = divergingColour(0.0);
  EXPECT_EQ(zero, (std::array<std::uint8_t, 3>{255, 255, 255}));
  for (int v = 0; v < s.nv; ++v)
    for (int u = 0; u < s.nu; ++u) {
      const auto px = s.pixel(u, v);
      ASSERT_EQ(px, (std::array<int, 4>{zero[0], zero[1], zero[2], 255}));
    }
  // B - A = +25 (half the range) is half-way to red; -50 is full blue.
  s.b[0] = s.a[0] + 25.0f;
  s.b[1] = s.a[1] - 50.0f;
  s.compose(p);
  EXPECT_EQ(s.pixel(0, 0), (std::array<int, 4>{255, 128, 128, 255}));
  EXPECT_EQ(s.pixel(1, 0), (std::array<int, 4>{0, 0, 255, 255}));
}

TEST(ComparisonDisplay, SwipeShowsAOnTheLeftAndBFromTheDivider) {
  Slices s;
  auto p = windows(ComparisonMode::Swipe);
  p.swipe = 0.25;  // B from u = 10 of 40
  s.compose(p);
  for (int u = 0; u < s.nu; ++u) {
    const int want =
        u >= 10 ? grey(s.b[s.index(u, 5)], 300, 350) : grey(s.a[s.index(u, 5)], 420, 210);
    EXPECT_EQ(s.pixel(u, 5)[2], want) << u;
  }
}

TEST(ComparisonDisplay, SwipeFollowsTheScreensHorizontalAxis) {
  Slices s;
  auto p = windows(ComparisonMode::Swipe);
  p.swipe = 0.5;  // B on the screen's right half
  p.swipe_axis = 1;
  p.swipe_reversed = true;  // the screen's right is towards v = 0
  s.compose(p);
  for (int v = 0; v < s.nv; ++v) {
    const bool showsB = v < 15;
    const int want =
        showsB ? grey(s.b[s.index(4, v)], 300, 350) : grey(s.a[s.index(4, v)], 420, 210);
    EXPECT_EQ(s.pixel(4, v)[0], want) << v;
  }
}

TEST(ComparisonDisplay, FusionIsMagentaForAGreenForBAndGreyWhereTheyAgree) {
  Slices s;
  auto p = windows(ComparisonMode::Fusion);
  s.compose(p);
  const auto px = s.pixel(7, 9);
  EXPECT_EQ(px[0], grey(s.a[s.index(7, 9)], 420, 210));
  EXPECT_EQ(px[2], px[0]);
  EXPECT_EQ(px[1], grey(s.b[s.index(7, 9)], 300, 350));
  s.b = s.a;
  p.b = p.a;
  s.compose(p);
  for (int v = 0; v < s.nv; ++v)
    for (int u = 0; u < s.nu; ++u) {
      const auto q = s.pixel(u, v);
      ASSERT_TRUE(q[0] == q[1] && q[1] == q[2]) << u << "," << v;
    }
}

TEST(ComparisonDisplay, FlickerShowsOneStudyAtATime) {
  Slices s;
  auto p = windows(ComparisonMode::Flicker);
  p.flicker_shows_b = true;
  s.compose(p);
  EXPECT_EQ(s.pixel(3, 4)[0], grey(s.b[s.index(3, 4)], 300, 350));
  p.flicker_shows_b = false;
  s.compose(p);
  EXPECT_EQ(s.pixel(3, 4)[0], grey(s.a[s.index(3, 4)], 420, 210));
}

TEST(ComparisonDisplay, WhereBHasNoValueAIsShownAndDifferenceIsTransparent) {
  Slices s;
  s.b[s.index(2, 2)] = std::numeric_limits<float>::quiet_NaN();
  for (auto m : {ComparisonMode::Fade, ComparisonMode::Checkerboard, ComparisonMode::Fusion}) {
    auto p = windows(m);
    p.fade = 1.0;
    p.checker_mm = 1.0;
    s.compose(p);
    const int ga = grey(s.a[s.index(2, 2)], 420, 210);
    EXPECT_EQ(s.pixel(2, 2), (std::array<int, 4>{ga, ga, ga, 255})) << toString(m);
  }
  s.compose(windows(ComparisonMode::Difference));
  EXPECT_EQ(s.pixel(2, 2)[3], 0);
}

TEST(ComparisonDisplay, MismatchedSizesAreRefused) {
  std::vector<float> a(12), b(11);
  std::vector<std::uint8_t> rgba(48);
  EXPECT_THROW(composeComparisonSlice(a, b, 4, 3, 1.0, 1.0, {}, rgba), std::invalid_argument);
}
