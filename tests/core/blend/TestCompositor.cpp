// The Compositor: live-drag re-solves (warm start), placement, modes.

#include <gtest/gtest.h>

#include "blend/BlendTestSupport.h"
#include "core/blend/Compositor.h"
#include "core/util/Error.h"

using namespace harmonia;
using harmonia::test::ellipseMask;
using harmonia::test::smoothTexture;

TEST(Compositor, WarmStartedDragMatchesColdSolve) {
  const Image2D target = smoothTexture(400, 300, 41, 12);
  const Image2D source = smoothTexture(200, 160, 42, 12);
  const Image2D mask = ellipseMask(200, 160);
  CompositeParams params;
  params.solver.kind = SolverKind::Multigrid;
  Compositor live(target, source, mask, params);
  const int coldCycles = live.setPlacement({100, 70}).solve.iterations;
  const CompositeReport warm = live.setPlacement({105, 70});
  EXPECT_TRUE(warm.solve.warm_started);
  // The moved paste's re-solve works near its boundary (boundary cycles) and
  // needs fewer full V-cycles than the cold solve.
  EXPECT_GT(warm.solve.boundary_cycles, 0);
  EXPECT_LT(warm.solve.iterations - warm.solve.boundary_cycles, coldCycles);
  params.warm_start = false;
  Compositor cold(target, source, mask, params);
  cold.setPlacement({105, 70});
  // Both meet the same residual; 8-bit results within one level.
  EXPECT_LE(cv::norm(live.result().mat(), cold.result().mat(), cv::NORM_INF), 1);
  // The first paste's pixels are gone: outside the new paste, the target.
  EXPECT_EQ(live.result().mat().at<cv::Vec3b>(150, 101), target.mat().at<cv::Vec3b>(150, 101));
  EXPECT_GE(warm.changed.width, 200 + 5 - 4);
}

TEST(Compositor, PreviewSolvesStopEarlierAndRefineFinishesThem) {
  const Image2D target = smoothTexture(400, 300, 51, 12);
  const Image2D source = smoothTexture(200, 160, 52, 12);
  const Image2D mask = ellipseMask(200, 160);
  CompositeParams params;
  params.solver.kind = SolverKind::Multigrid;
  Compositor live(target, source, mask, params);
  Compositor reference(target, source, mask, params);
  live.setPlacement({100, 70});
  EXPECT_TRUE(live.isFinal());
  // A drag step at preview quality: looser residual, not final.
  const CompositeReport preview = live.setPlacement({104, 73}, noProgress(), SolveQuality::Preview);
  EXPECT_LE(preview.solve.relative_residual, params.preview_tolerance);
  EXPECT_FALSE(live.isFinal());
  // Refining reaches the final tolerance without moving the paste, and agrees
  // with a final solve of the same placement within the solvers' 0.5/255.
  const CompositeReport refined = live.refine();
  EXPECT_TRUE(live.isFinal());
  EXPECT_LE(refined.solve.relative_residual, params.solver.tolerance);
  EXPECT_EQ(*live.placement(), (Placement{104, 73}));
  reference.setPlacement({104, 73});
  EXPECT_LE(cv::norm(live.result().mat(), reference.result().mat(), cv::NORM_INF), 1.0);
  EXPECT_EQ(live.refine().solve.relative_residual, refined.solve.relative_residual);  // no-op now
  // Alpha pastes have nothing to refine.
  params.mode = BlendMode::Alpha;
  live.setParams(params);
  live.setPlacement({90, 60}, noProgress(), SolveQuality::Preview);
  EXPECT_TRUE(live.isFinal());
}

TEST(Compositor, PlacementErrorsAndCentring) {
  const Image2D target = smoothTexture(100, 80, 1);
  Compositor c(target, smoothTexture(20, 10, 2), ellipseMask(20, 10));
  EXPECT_THROW(c.setPlacement({100, 0}), InputError);
  EXPECT_FALSE(c.placement().has_value());
  const Placement centre = c.centredPlacement();
  EXPECT_EQ(centre.x, 40);
  EXPECT_EQ(centre.y, 35);
  c.setPlacement(centre);
  EXPECT_EQ(c.report().solve.solver, SolverKind::Direct);  // small: auto picks direct
  EXPECT_THROW(Compositor(target, smoothTexture(20, 10, 2), ellipseMask(10, 10)), InputError);
}

TEST(Compositor, AlphaModeFeathersInsideTheMask) {
  const Image2D target(60, 40, 3, SampleType::UInt8);  // black
  cv::Mat white(20, 20, CV_8UC3, cv::Scalar::all(255));
  CompositeParams params;
  params.mode = BlendMode::Alpha;
  params.feather_radius_px = 4;
  Compositor c(target, Image2D::wrap(white), ellipseMask(20, 20), params);
  c.setPlacement({10, 10});
  const cv::Mat& r = c.result().mat();
  EXPECT_EQ(r.at<cv::Vec3b>(20, 20)[0], 255);   // centre: opaque
  EXPECT_EQ(r.at<cv::Vec3b>(10, 10)[0], 0);     // outside the ellipse: target
  const int edge = r.at<cv::Vec3b>(20, 12)[0];  // 1 px inside the left edge
  EXPECT_GT(edge, 0);
  EXPECT_LT(edge, 255);
  for (BlendMode m :
       {BlendMode::Normal, BlendMode::Mixed, BlendMode::Monochrome, BlendMode::Alpha}) {
    EXPECT_EQ(blendModeFromString(toString(m)), m);
  }
  EXPECT_STREQ(toString(BlendMode::Alpha), "alpha");
  EXPECT_THROW(blendModeFromString("screen"), ParameterError);
}
