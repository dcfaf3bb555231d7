// PasteController, the Composite workspace's solve loop on a worker thread:
// it agrees exactly with core's Compositor, coalesces placements, refines the
// last drag position and clamps placements onto the target. These tests also
// run under ThreadSanitizer (harmonia_tsan_ui_tests, tests/ui/CMakeLists.txt).
//
// Tolerances: the controller drives the very same Compositor calls in the
// same order as the direct reference, so results must be bit-identical (0),
// except where a test states the solver's own accuracy.

#include <gtest/gtest.h>

#include <QObject>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "CompositeTestImages.h"
#include "UiTestSupport.h"
#include "core/blend/Compositor.h"
#include "ui/model/PasteController.h"

namespace harmonia {
namespace {

using test::differingPixels;
using test::ellipseMask;

using test::kWaitMs;

TEST(PasteController, PlacementGivesTheSameResultAsCompositorDirectly) {
  const auto target = test::compositeTarget();
  const auto source = test::compositeSource();
  const auto mask = ellipseMask(source->width(), source->height());
  for (BlendMode mode : {BlendMode::Normal, BlendMode::Mixed, BlendMode::Alpha}) {
    SCOPED_TRACE(toString(mode));
    CompositeParams params;
    params.mode = mode;
    params.feather_radius_px = 5.0;
    PasteController controller;
    controller.setParams(params);
    controller.setInputs(target, source, mask);
    Compositor direct(*target, *source, *mask, params);

    // Two placements in turn: the second is warm-started in both.
    for (const Placement at : {Placement{40, 20}, Placement{55, 31}}) {
      controller.setPlacement(at);
      ASSERT_TRUE(controller.waitForIdle(kWaitMs));
      direct.setPlacement(at);
      const PastePreview& preview = controller.preview();
      ASSERT_TRUE(preview.placement.has_value());
      EXPECT_EQ(*preview.placement, at);
      const cv::Rect rect(preview.rect.x(), preview.rect.y(), preview.rect.width(),
                          preview.rect.height());
      ASSERT_FALSE(preview.patch.empty());
      EXPECT_EQ(differingPixels(preview.patch, direct.result().mat()(rect)), 0);
      EXPECT_EQ(preview.report.solve.relative_residual, direct.report().solve.relative_residual);
    }

    // The whole composite, copied out of the worker.
    std::optional<Image2D> whole;
    controller.composite([&](Image2D image) { whole = std::move(image); }, {});
    ASSERT_TRUE(test::waitUntil([&] { return whole.has_value(); }, kWaitMs));
    EXPECT_EQ(differingPixels(whole->mat(), direct.result().mat()), 0);
  }
}

TEST(PasteController, CoalescesPlacementsAndSolvesTheLatest) {
  const auto target = test::compositeTarget();
  const auto source = test::compositeSource();
  PasteController controller;
  controller.setInputs(target, source, ellipseMask(source->width(), source->height()));
  for (int i = 0; i < 30; ++i) controller.setPlacement(Placement{10 + i, 5 + i / 2});
  ASSERT_TRUE(controller.waitForIdle(kWaitMs));
  ASSERT_TRUE(controller.preview().placement.has_value());
  EXPECT_EQ(*controller.preview().placement, (Placement{39, 19}));
  EXPECT_LE(controller.previewCount(), 30u);
  // Histograms of the region: before (target) and after (composite) differ.
  ASSERT_EQ(controller.preview().before.size(), 3u);
  ASSERT_EQ(controller.preview().after.size(), 3u);
  EXPECT_EQ(controller.preview().before[0].total, controller.preview().after[0].total);
  EXPECT_NE(controller.preview().before[0].counts, controller.preview().after[0].counts);
}

TEST(PasteController, DragUpdatesArePreviewsThenTheLastPlacementIsRefined) {
  const auto target = test::compositeTarget();
  const auto source = test::compositeSource();
  const auto mask = ellipseMask(source->width(), source->height());
  CompositeParams params;
  params.solver.kind = SolverKind::Multigrid;  // the kind a large paste gets
  PasteController controller;
  controller.setParams(params);
  controller.setInputs(target, source, mask);
  std::vector<bool> finals;
  QObject::connect(&controller, &PasteController::previewChanged,
                   [&] { finals.push_back(controller.preview().final); });
  controller.setPlacement(Placement{30, 20});
  ASSERT_TRUE(controller.waitForIdle(kWaitMs));
  // One preview-quality update, then the refined one.
  ASSERT_EQ(finals.size(), 2u);
  EXPECT_FALSE(finals[0]);
  EXPECT_TRUE(finals[1]);
  const PastePreview& refined = controller.preview();
  EXPECT_LE(refined.report.solve.relative_residual, params.solver.tolerance);
  // The refined paste is what a final solve of that placement gives (within
  // the solver's stated 0.5/255 accuracy: one 8-bit level).
  Compositor direct(*target, *source, *mask, params);
  direct.setPlacement(Placement{30, 20});
  const cv::Rect rect(refined.rect.x(), refined.rect.y(), refined.rect.width(),
                      refined.rect.height());
  EXPECT_LE(cv::norm(refined.patch, direct.result().mat()(rect), cv::NORM_INF), 1.0);
}

TEST(PasteController, ClampsPlacementsOntoTheTarget) {
  const auto target = test::compositeTarget();
  const auto source = test::compositeSource();
  PasteController controller;
  controller.setInputs(target, source, ellipseMask(source->width(), source->height()));
  controller.setPlacement(Placement{100000, -100000});
  ASSERT_TRUE(controller.waitForIdle(kWaitMs));
  ASSERT_TRUE(controller.preview().placement.has_value());
  EXPECT_FALSE(controller.preview().rect.isEmpty());
}

}  // namespace
}  // namespace harmonia
