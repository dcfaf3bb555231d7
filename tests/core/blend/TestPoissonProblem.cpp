// The Poisson problem: exact analytic cases and input errors.
//
// Tolerances: analytic cases are solved with the direct solver (double
// precision, stored as float): values of a few hundred carry float rounding
// of ~1e-4, so exact cases are checked to 1e-3 on float outputs and exactly
// (difference 0) on 8-bit outputs, which round.

#include <gtest/gtest.h>

#include "blend/BlendTestSupport.h"
#include "core/blend/Compositor.h"
#include "core/blend/DirectSolver.h"
#include "core/blend/PoissonSolver.h"
#include "core/image/Mask2D.h"
#include "core/util/Error.h"

using namespace harmonia;
using harmonia::test::ellipseMask;
using harmonia::test::makeImage;
using harmonia::test::makeMask;
using harmonia::test::smoothTexture;

namespace {

// Solves a paste with the given solver and returns the composited target.
Image2D paste(const Image2D& target, const Image2D& source, const Image2D& mask, Placement at,
              BlendMode mode = BlendMode::Normal, SolverKind kind = SolverKind::Direct) {
  PoissonProblem p = PoissonProblem::build(target, source, mask, at, mode);
  SolverParams params;
  params.kind = kind;
  solvePoisson(p, params);
  Image2D out = target;
  p.writeInto(out);
  return out;
}

double maxDiff(const Image2D& a, const Image2D& b) {
  return cv::norm(a.mat(), b.mat(), cv::NORM_INF);
}

// The target's own pixels under the paste, as a source: same gradients.
Image2D crop(const Image2D& image, int x, int y, int w, int h) {
  return Image2D::wrap(image.mat()(cv::Rect(x, y, w, h)).clone());
}

template <class F>
void expectInputError(F&& f, const std::string& text) {
  try {
    f();
    FAIL() << "expected InputError containing '" << text << "'";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(PoissonProblem, SourceWithTargetGradientsReproducesTarget) {
  const Image2D target = smoothTexture(60, 50, 1);
  const Image2D source = crop(target, 10, 12, 30, 24);
  const Image2D mask = ellipseMask(30, 24);
  for (SolverKind kind : {SolverKind::Direct, SolverKind::Multigrid, SolverKind::Sor}) {
    EXPECT_EQ(maxDiff(paste(target, source, mask, {10, 12}, BlendMode::Normal, kind), target), 0)
        << toString(kind);
  }
}

TEST(PoissonProblem, SourcePlusConstantGivesTargetInsideMask) {
  const Image2D target = makeImage(40, 30, CV_32FC3, [](int x, int y, int c) {
    return 0.3 + 0.2 * std::sin(0.3 * x + c) * std::cos(0.2 * y);
  });
  cv::Mat shifted = target.mat()(cv::Rect(5, 4, 20, 15)).clone() + cv::Scalar::all(0.25);
  const Image2D out = paste(target, Image2D::wrap(shifted), ellipseMask(20, 15), {5, 4});
  EXPECT_LT(maxDiff(out, target), 1e-5);
}

TEST(PoissonProblem, LinearRampsAreReproduced) {
  // Target and source: ramps of the same slopes, different offsets -> the target.
  const Image2D target =
      makeImage(50, 40, CV_32FC1, [](int x, int y, int) { return 10.0 + 2.0 * x - 1.5 * y; });
  const Image2D source =
      makeImage(20, 20, CV_32FC1, [](int x, int y, int) { return 70.0 + 2.0 * x - 1.5 * y; });
  const Image2D mask = makeMask(20, 20, [](cv::Mat& m) { m(cv::Rect(2, 3, 15, 12)).setTo(255); });
  EXPECT_LT(maxDiff(paste(target, source, mask, {14, 9}), target), 1e-3);

  // A band across the whole height: top and bottom are image edges (zero
  // flux), left and right are target values 0 and 90: the solution of a flat
  // source is the straight line between them, x = 9 .. 39 inside.
  const Image2D steps =
      makeImage(50, 20, CV_32FC1, [](int x, int, int) { return x < 10 ? 0.0 : 90.0; });
  const Image2D flat = makeImage(30, 20, CV_32FC1, [](int, int, int) { return 5.0; });
  const Image2D band = makeMask(30, 20, [](cv::Mat& m) { m.setTo(255); });
  for (SolverKind kind : {SolverKind::Direct, SolverKind::Multigrid}) {
    const Image2D out = paste(steps, flat, band, {10, 0}, BlendMode::Normal, kind);
    for (int y = 0; y < 20; ++y) {
      for (int x = 10; x < 40; ++x) {
        ASSERT_NEAR(out.mat().at<float>(y, x), 90.0 * (x - 9) / 31.0, 1e-3)
            << toString(kind) << " at " << x << "," << y;
      }
    }
  }
}

TEST(PoissonProblem, MaskAtEveryBorderAndCornerKeepsTargetForMatchingSource) {
  // With the target's own gradients the solution is the target wherever the
  // paste goes, so this checks the zero-flux edges and corners exactly.
  const Image2D target = smoothTexture(40, 32, 7);
  const int w = 14, h = 12;
  for (const cv::Point at :
       {cv::Point(-4, -3), cv::Point(13, -5), cv::Point(30, -2), cv::Point(-6, 10),
        cv::Point(30, 10), cv::Point(-3, 25), cv::Point(13, 24), cv::Point(31, 26)}) {
    // Source = target at the paste (mirrored where the paste leaves the
    // target), one pixel larger than the mask all round: across the source's
    // own edge there is no source gradient (guidance 0 by definition).
    cv::Mat padded;
    cv::copyMakeBorder(target.mat(), padded, 20, 20, 20, 20, cv::BORDER_REFLECT);
    const cv::Mat src = padded(cv::Rect(at.x + 19, at.y + 19, w + 2, h + 2)).clone();
    const Image2D mask =
        makeMask(w + 2, h + 2, [&](cv::Mat& m) { m(cv::Rect(1, 1, w, h)).setTo(255); });
    const Image2D out = paste(target, Image2D::wrap(src), mask, {at.x - 1, at.y - 1});
    // Pasting exactly the target's own pixels (mirrored outside) changes nothing.
    EXPECT_LE(maxDiff(out, target), 0) << "paste at " << at;
  }
}

TEST(PoissonProblem, SinglePixelMaskHasClosedFormSolution) {
  const Image2D target =
      makeImage(9, 9, CV_32FC1, [](int x, int y, int) { return 3.0 * x + 7.0 * y * y; });
  const Image2D source = makeImage(3, 3, CV_32FC1, [](int x, int y, int) { return x * 10.0 + y; });
  const Image2D mask = makeMask(3, 3, [](cv::Mat& m) { m.at<std::uint8_t>(1, 1) = 255; });
  const Image2D out = paste(target, source, mask, {4, 4});
  // f = (sum of the 4 target neighbours + sum of source differences) / 4 at target (5, 5).
  const auto T = [&](int x, int y) { return double(target.mat().at<float>(y, x)); };
  const double expected = (T(4, 5) + T(6, 5) + T(5, 4) + T(5, 6)) / 4.0;  // source Laplacian is 0
  EXPECT_NEAR(out.mat().at<float>(5, 5), expected, 1e-4);
  // A corner pixel: two neighbours only (zero flux outside).
  const Image2D corner = paste(target, source, mask, {-1, -1});
  EXPECT_NEAR(corner.mat().at<float>(0, 0),
              (T(1, 0) + T(0, 1) + (11.0 - 21.0) + (11.0 - 12.0)) / 2.0, 1e-4);
}

TEST(PoissonProblem, ClearErrorsForBadInputs) {
  const Image2D target = smoothTexture(20, 20, 3);
  const Image2D source = smoothTexture(8, 8, 4);
  const Image2D empty = makeMask(8, 8, [](cv::Mat&) {});
  expectInputError(
      [&] {
        PoissonProblem::build(target, source, empty, {2, 2}, BlendMode::Normal);
      },
      "the mask is empty");
  expectInputError(
      [&] {
        PoissonProblem::build(target, source, ellipseMask(9, 8), {2, 2}, BlendMode::Normal);
      },
      "the mask is 9x8 but the source is 8x8");
  const Image2D full = makeMask(8, 8, [](cv::Mat& m) { m.setTo(255); });
  for (const Placement off : {Placement{20, 0}, Placement{-8, 3}, Placement{5, -30}}) {
    expectInputError([&] { PoissonProblem::build(target, source, full, off, BlendMode::Normal); },
                     "lies entirely outside the target (20x20)");
  }
  const Image2D whole = makeMask(20, 20, [](cv::Mat& m) { m.setTo(255); });
  expectInputError(
      [&] {
        PoissonProblem::build(target, smoothTexture(20, 20, 5), whole, {0, 0}, BlendMode::Normal);
      },
      "covers the whole target");
  // Partly off the target is fine: only the part on the target is solved.
  const PoissonProblem p = PoissonProblem::build(target, source, full, {-4, 15}, BlendMode::Normal);
  EXPECT_EQ(p.unknowns(), 4u * 5u);
  // Alpha compositing has no guidance field, so no Poisson problem.
  EXPECT_THROW(PoissonProblem::build(target, source, full, {2, 2}, BlendMode::Alpha),
               ParameterError);
}

TEST(PoissonProblem, MixedModePicksTheLargerGradient) {
  EXPECT_EQ(guidanceStep(BlendMode::Mixed, 5.0f, 1.0f, 0.0f, 2.0f), 4.0f);    // |4| > |-2|
  EXPECT_EQ(guidanceStep(BlendMode::Mixed, 5.0f, 4.0f, 0.0f, -3.0f), 3.0f);   // |1| < |3|
  EXPECT_EQ(guidanceStep(BlendMode::Normal, 5.0f, 4.0f, 0.0f, -3.0f), 1.0f);  // source only
  // A flat source over a textured target: every target gradient is larger, so
  // mixed cloning keeps the target exactly; normal cloning flattens it.
  const Image2D target = smoothTexture(40, 30, 9, 3);
  const Image2D flat = makeImage(20, 16, CV_8UC3, [](int, int, int) { return 128.0; });
  const Image2D mask = ellipseMask(20, 16);
  EXPECT_EQ(maxDiff(paste(target, flat, mask, {10, 7}, BlendMode::Mixed), target), 0);
  EXPECT_GT(maxDiff(paste(target, flat, mask, {10, 7}, BlendMode::Normal), target), 5);
}

TEST(PoissonProblem, MonochromeTransferKeepsTargetColour) {
  // Constant coloured target; grey ramp source: every channel gets the same
  // luminance ramp, offset to the target's own colour on the boundary.
  const Image2D target = makeImage(30, 30, CV_32FC3, [](int, int, int c) { return 0.2 + 0.3 * c; });
  const Image2D source = makeImage(10, 10, CV_32FC3, [](int, int, int) { return 0.5; });
  const Image2D out = paste(target, source, ellipseMask(10, 10), {10, 10}, BlendMode::Monochrome);
  EXPECT_LT(maxDiff(out, target), 1e-5);  // flat luminance: colour stays the target's
}

TEST(PoissonProblem, SixteenBitAndGreyImagesKeepTheirType) {
  const Image2D target = makeImage(30, 20, CV_16UC1, [](int x, int, int) { return 1000.0 * x; });
  const Image2D source = makeImage(10, 10, CV_8UC3, [](int, int, int) { return 100.0; });
  const Image2D out = paste(target, source, ellipseMask(10, 10), {10, 5});
  EXPECT_EQ(out.mat().type(), CV_16UC1);
  // Flat source, linear target: the solution is the target's ramp (to rounding).
  EXPECT_LE(maxDiff(out, target), 1);
}

TEST(PoissonProblem, MovingInPlaceEqualsBuildingAtTheNewPlacement) {
  // For 8-bit colour, 16-bit grey and float targets: a problem moved with
  // moveTo() has the same domain, guidance, Dirichlet values and right-hand
  // side norm as one built at the new placement; only the unknowns differ
  // (the moved one keeps its solution as the initial guess).
  const Image2D colour = smoothTexture(160, 120, 61, 6);
  cv::Mat grey16, float3;
  cv::cvtColor(colour.mat(), grey16, cv::COLOR_RGB2GRAY);
  grey16.convertTo(grey16, CV_16U, 257.0);
  colour.mat().convertTo(float3, CV_32FC3, 1.0 / 255.0);
  const Image2D mask = ellipseMask(50, 40);
  for (const Image2D& target : {colour, Image2D::wrap(grey16), Image2D::wrap(float3)}) {
    for (BlendMode mode : {BlendMode::Normal, BlendMode::Monochrome}) {
      SCOPED_TRACE(std::to_string(target.channels()) + " channels, mode " +
                   std::to_string(static_cast<int>(mode)));
      const PasteSource source =
          PasteSource::prepare(target, smoothTexture(50, 40, 62, 4), mask, mode);
      PoissonProblem moved = PoissonProblem::build(target, source, {30, 20});
      solvePoisson(moved);
      ASSERT_TRUE(moved.moveTo(target, {37, 45}));
      const PoissonProblem built = PoissonProblem::build(target, source, {37, 45});
      ASSERT_EQ(moved.gridX(), built.gridX());
      ASSERT_EQ(moved.gridY(), built.gridY());
      EXPECT_EQ(moved.placement(), built.placement());
      const auto& in = built.inside();
      const std::size_t gw = static_cast<std::size_t>(built.gridWidth());
      const auto nextToDomain = [&](std::size_t k) {
        return (k % gw > 0 && in[k - 1]) || (k % gw + 1 < gw && in[k + 1]) ||
               (k >= gw && in[k - gw]) || (k + gw < in.size() && in[k + gw]);
      };
      for (int c = 0; c < built.channels(); ++c) {
        EXPECT_NEAR(moved.rhsNorm(c), built.rhsNorm(c), 1e-6 * built.rhsNorm(c));
        for (std::size_t k = 0; k < in.size(); ++k) {
          if (in[k]) {
            ASSERT_EQ(moved.rhs(c)[k], built.rhs(c)[k]);
          } else if (nextToDomain(k)) {  // the only non-domain cells the stencil reads
            ASSERT_EQ(moved.solution(c)[k], built.solution(c)[k]) << "Dirichlet value " << k;
          }
        }
      }
      // Solved, both give the same paste.
      PoissonProblem a = moved, b = built;
      DirectSolver().solve(a, noProgress());
      DirectSolver().solve(b, noProgress());
      for (int c = 0; c < a.channels(); ++c) {
        for (std::size_t k = 0; k < in.size(); ++k) {
          if (!in[k]) continue;
          ASSERT_NEAR(a.solution(c)[k], b.solution(c)[k], 1e-3 * fullScale(target.sampleType()));
        }
      }
    }
  }
}

TEST(PoissonProblem, MovingInPlaceRefusesWhatItCannotDoAndChangesNothing) {
  const Image2D target = smoothTexture(160, 120, 63, 6);
  const Image2D mask = ellipseMask(50, 40);
  const Image2D src = smoothTexture(50, 40, 64, 4);
  // Mixed guidance depends on the target under the paste.
  PoissonProblem mixed = PoissonProblem::build(target, src, mask, {30, 20}, BlendMode::Mixed);
  EXPECT_FALSE(mixed.moveTo(target, {31, 20}));
  // Onto or off the target's edge: clipping and edge cells need a new build.
  PoissonProblem p = PoissonProblem::build(target, src, mask, {30, 20}, BlendMode::Normal);
  const std::vector<float> before = p.solution(0);
  EXPECT_FALSE(p.moveTo(target, {-5, 20}));
  EXPECT_FALSE(p.moveTo(target, {115, 20}));
  EXPECT_FALSE(p.moveTo(target, {30, 81}));
  EXPECT_EQ(p.placement(), (Placement{30, 20}));
  EXPECT_EQ(p.solution(0), before);
  // Not the target it was built on.
  EXPECT_FALSE(p.moveTo(smoothTexture(100, 100, 1), {31, 20}));
  EXPECT_TRUE(p.moveTo(target, {1, 1}));  // the grid (mask box plus a ring) still fits
}
