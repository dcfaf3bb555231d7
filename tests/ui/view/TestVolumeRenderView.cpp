// VolumeRenderView: the 3-D view renders something, in LPS world space, with
// the GPU ray caster (Mesa llvmpipe under Xvfb) and with the CPU fallback.

#include <gtest/gtest.h>

#include <vtkMatrix4x4.h>
#include <vtkRenderer.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

#include <Eigen/Geometry>
#include <QImage>
#include <QPointF>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "UiTestSupport.h"
#include "core/phantom/DigitalPhantom.h"
#include "ui/view/VolumeRenderView.h"

namespace harmonia {
namespace {

using test::haveGlDisplay;
using test::kNoDisplay;

constexpr int kViewSize = 200;

/// The digital phantom (HU: an ellipsoidal body filling the field of view)
/// on a coarse grid: 40^3 voxels of 4 mm.
std::shared_ptr<Volume> coarsePhantom() {
  PhantomParams params;
  params.fov_mm = Eigen::Vector3d(160.0, 160.0, 160.0);
  params.fine_spacing_mm = 4.0;
  auto v = std::make_shared<Volume>(makePhantom(params));
  v->setUnits("HU");
  return v;
}

/// 20^3 volume (40 mm cube about the origin) of 0 holding a bright block
/// where world coordinate `axis` lies in (6, 18) mm and the other two in
/// (-6, 6): on the patient's left for axis 0 (+x), superior for axis 2 (+z).
/// `flip` stores the grid with i running towards -x, j towards -z and k
/// towards +y (direction columns -x, -z, +y) and the origin at the opposite
/// corner: the same object in world space, another voxel order.
std::shared_ptr<Volume> blockVolume(int axis, bool flip) {
  Geometry3D g;
  g.size = {20, 20, 20};
  g.spacing_mm = Eigen::Vector3d(2.0, 2.0, 2.0);
  g.origin_mm = Eigen::Vector3d(-19.0, -19.0, -19.0);
  if (flip) {
    g.direction << -1, 0, 0,  //
        0, 0, 1,              //
        0, -1, 0;
    g.origin_mm = Eigen::Vector3d(19.0, -19.0, 19.0);
  }
  auto v = std::make_shared<Volume>(g, 0.0f);
  for (int k = 0; k < 20; ++k) {
    for (int j = 0; j < 20; ++j) {
      for (int i = 0; i < 20; ++i) {
        const Eigen::Vector3d w = g.indexToWorld(Eigen::Vector3d(i, j, k));
        bool inside = true;
        for (int d = 0; d < 3; ++d) {
          inside = inside && (d == axis ? (w[d] > 6.0 && w[d] < 18.0) : std::abs(w[d]) < 6.0);
        }
        if (inside) v->at(i, j, k) = 1000.0f;
      }
    }
  }
  return v;
}

/// Pixels that differ from the background colour by more than `tol` per channel.
int foregroundPixels(const QImage& image, const QColor& background, int tol = 12) {
  int count = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::abs(c.red() - background.red()) > tol ||
          std::abs(c.green() - background.green()) > tol ||
          std::abs(c.blue() - background.blue()) > tol) {
        ++count;
      }
    }
  }
  return count;
}

/// Mean position of the foreground pixels ((-1, -1) when there is none).
QPointF foregroundCentre(const QImage& image, const QColor& background) {
  double sx = 0.0;
  double sy = 0.0;
  int count = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::abs(c.red() - background.red()) > 12) {
        sx += x;
        sy += y;
        ++count;
      }
    }
  }
  return count > 0 ? QPointF(sx / count, sy / count) : QPointF(-1.0, -1.0);
}

class VolumeRenderViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveGlDisplay()) {
      GTEST_SKIP() << kNoDisplay;
    }
    view_ = std::make_unique<VolumeRenderView>();
    view_->resize(kViewSize, kViewSize);
    view_->show();
    ASSERT_TRUE(test::waitExposed(*view_));
  }

  [[nodiscard]] QColor background() const {
    double rgb[3];
    view_->renderer()->GetBackground(rgb);
    return QColor::fromRgbF(static_cast<float>(rgb[0]), static_cast<float>(rgb[1]),
                            static_cast<float>(rgb[2]));
  }

  std::unique_ptr<VolumeRenderView> view_;
};

TEST_F(VolumeRenderViewTest, EmptyViewShowsOnlyTheBackground) {
  EXPECT_EQ(foregroundPixels(view_->grabFramebuffer(), background()), 0);
}

TEST_F(VolumeRenderViewTest, RendersAPhantomWithEachPresetAndBothRayCasters) {
  view_->setVolume(coarsePhantom());
  EXPECT_EQ(view_->subsampling(), 1);
  const int total = kViewSize * kViewSize;
  for (const QString& name :
       {QStringLiteral("CT-Bone"), QStringLiteral("CT-Soft tissue"), QStringLiteral("MIP")}) {
    view_->setPreset(*findVolumeRenderPreset(name), -1000.0, 700.0);
    const QImage image = view_->grabFramebuffer();
    if (const char* dir = std::getenv("HARMONIA_SCREENSHOT_DIR")) {
      image.save(QString::fromLocal8Bit(dir) + QStringLiteral("/vr-") +
                 QString(name).replace(QLatin1Char('/'), QLatin1Char('_')) +
                 QStringLiteral(".png"));
    }
    const int fg = foregroundPixels(image, background());
    // The body covers a good part of the fitted view (the camera fits the
    // bounding sphere, so a bit under half of it), but not all of it.
    EXPECT_GT(fg, total / 10) << name.toStdString() << " via "
                              << view_->lastRenderModeName().toStdString();
    EXPECT_LT(fg, total) << name.toStdString();
  }
  EXPECT_FALSE(view_->lastRenderModeName().isEmpty());
  std::cout << "[ info ] automatic mode rendered with: "
            << view_->lastRenderModeName().toStdString() << "\n";

  view_->setRenderMode(VolumeRenderView::RenderMode::Cpu);
  const QImage cpu = view_->grabFramebuffer();
  EXPECT_EQ(view_->lastRenderModeName(), QStringLiteral("CPU ray cast"));
  EXPECT_GT(foregroundPixels(cpu, background()), total / 10);
}

TEST_F(VolumeRenderViewTest, UserMatrixPlacesTheVolumeInLpsWorldSpace) {
  // An oblique, anisotropic grid: world bounds are the corners' world positions.
  Geometry3D g;
  g.size = {10, 20, 5};
  g.spacing_mm = Eigen::Vector3d(0.5, 1.5, 3.0);
  g.origin_mm = Eigen::Vector3d(10.0, -20.0, 30.0);
  g.direction = Eigen::AngleAxisd(0.4, Eigen::Vector3d(1.0, 2.0, 3.0).normalized()).matrix();
  view_->setVolume(std::make_shared<Volume>(g, 1.0f));
  Eigen::Vector3d lo = Eigen::Vector3d::Constant(1e9);
  Eigen::Vector3d hi = Eigen::Vector3d::Constant(-1e9);
  for (int c = 0; c < 8; ++c) {
    const Eigen::Vector3d index((c & 1) ? g.size[0] - 1 : 0, (c & 2) ? g.size[1] - 1 : 0,
                                (c & 4) ? g.size[2] - 1 : 0);
    const Eigen::Vector3d w = g.indexToWorld(index);
    lo = lo.cwiseMin(w);
    hi = hi.cwiseMax(w);
  }
  double bounds[6];
  view_->volumeProp()->GetBounds(bounds);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(bounds[2 * d], lo[d], 1e-6) << "axis " << d;
    EXPECT_NEAR(bounds[2 * d + 1], hi[d], 1e-6) << "axis " << d;
  }
  // Voxel (3, 7, 2) goes where Geometry3D says.
  vtkMatrix4x4* m = view_->volumeProp()->GetMatrix();
  const Eigen::Vector3d vtkPoint =
      g.origin_mm + g.spacing_mm.cwiseProduct(Eigen::Vector3d(3, 7, 2));
  const double in[4] = {vtkPoint.x(), vtkPoint.y(), vtkPoint.z(), 1.0};
  double out[4];
  m->MultiplyPoint(in, out);
  const Eigen::Vector3d expected = g.indexToWorld(Eigen::Vector3d(3, 7, 2));
  EXPECT_NEAR((Eigen::Vector3d(out[0], out[1], out[2]) - expected).norm(), 0.0, 1e-9);
}

TEST_F(VolumeRenderViewTest, AnteriorViewShowsLeftOnTheRightAndSuperiorUp) {
  const VolumeRenderPreset* mip = findVolumeRenderPreset(QStringLiteral("MIP"));
  ASSERT_NE(mip, nullptr);
  for (bool flip : {false, true}) {
    for (int axis : {0, 2}) {
      view_->setVolume(blockVolume(axis, flip));
      view_->setPreset(*mip, 0.0, 1000.0);
      view_->resetCamera();
      const QImage image = view_->grabFramebuffer();
      const QPointF c = foregroundCentre(image, background());
      ASSERT_GE(c.x(), 0.0) << "nothing rendered, flip " << flip << " axis " << axis;
      // The block lies 6..18 mm off the centre of a 40 mm cube along `axis`:
      // left (+x) to the right of the screen's centre, superior (+z) above it.
      if (axis == 0) {
        EXPECT_GT(c.x(), 0.55 * image.width()) << "flip " << flip;
        EXPECT_NEAR(c.y(), 0.5 * image.height(), 0.05 * image.height()) << "flip " << flip;
      } else {
        EXPECT_LT(c.y(), 0.45 * image.height()) << "flip " << flip;
        EXPECT_NEAR(c.x(), 0.5 * image.width(), 0.05 * image.width()) << "flip " << flip;
      }
    }
  }
}

TEST_F(VolumeRenderViewTest, DataModifiedShowsVoxelsFilledLater) {
  Geometry3D g;
  g.size = {24, 24, 24};
  auto volume = std::make_shared<Volume>(g, 0.0f);
  view_->setVolume(volume);
  view_->setPreset(*findVolumeRenderPreset(QStringLiteral("MIP")), 0.0, 100.0);
  EXPECT_EQ(foregroundPixels(view_->grabFramebuffer(), background()), 0);
  for (int k = 0; k < 24; ++k) {  // "progressive loading" fills slices in place
    for (int j = 6; j < 18; ++j) {
      for (int i = 6; i < 18; ++i) volume->at(i, j, k) = 100.0f;
    }
  }
  view_->dataModified();
  EXPECT_GT(foregroundPixels(view_->grabFramebuffer(), background()), 100);
}

TEST_F(VolumeRenderViewTest, LargeVolumesAreSubsampled) {
  Geometry3D g;
  g.size = {300, 300, 200};  // 18 M voxels: above the 16 M limit
  auto volume = std::make_shared<Volume>(g, 0.0f);
  view_->setVolume(volume);
  EXPECT_EQ(view_->subsampling(), 2);
  view_->clear();
  EXPECT_EQ(view_->volume(), nullptr);
  EXPECT_EQ(foregroundPixels(view_->grabFramebuffer(), background()), 0);
}

}  // namespace
}  // namespace harmonia
