#pragma once
// Test data for the Features model and panel: a small CT-like volume with
// integer values (so IBSI configuration A's rounding changes nothing), a box
// ROI, and independent computations of what some features must be.
//
// Configuration A (IBSI 1, theibsi/ibsi-doc docs/05_Reference_data_sets.rst)
// does not interpolate and re-segments to [-500, 400] HU; the values here lie
// in [100, 149], so the intensity mask is the ROI itself and
// stat_mean is the plain mean of the ROI's values (IBSI 4.3.1) and
// morph_vol_approx is the voxel count times the voxel volume (IBSI 4.1.2).

#include <QApplication>
#include <QStringList>
#include <cstdint>
#include <memory>

#include "core/image/Volume.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/Roi.h"

namespace harmonia::test {

/// 20 x 18 x 10 voxels of 1 x 1.5 x 2.5 mm; values 100 + (7i + 13j + 29k) mod 50, plus `offset`.
inline std::shared_ptr<Volume> featureTestVolume(float offset = 0.0f) {
  Geometry3D g;
  g.size = {20, 18, 10};
  g.spacing_mm = Eigen::Vector3d(1.0, 1.5, 2.5);
  auto v = std::make_shared<Volume>(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i)
        v->at(i, j, k) = 100.0f + static_cast<float>((7 * i + 13 * j + 29 * k) % 50) + offset;
  v->setUnits("HU");
  return v;
}

/// A box ROI of voxels [4, 12) x [3, 10) x [2, 7) (280 voxels); `empty` leaves it with none.
inline Roi featureTestRoi(const Volume& volume, const QString& name = QStringLiteral("box"),
                          bool empty = false) {
  auto mask = std::make_shared<MaskVolume>(volume.geometry(), std::uint8_t{0});
  if (!empty) {
    for (int k = 2; k < 7; ++k)
      for (int j = 3; j < 10; ++j)
        for (int i = 4; i < 12; ++i) mask->at(i, j, k) = 1;
  }
  return Roi{name, QColor(Qt::red), std::move(mask)};
}

/// Mean of the volume's values inside the mask, computed directly.
inline double maskedMean(const Volume& volume, const MaskVolume& mask) {
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < volume.voxelCount(); ++i) {
    if (mask.data()[i] != 0) {
      sum += volume.data()[i];
      ++n;
    }
  }
  return sum / static_cast<double>(n);
}

/// Number of voxels in the mask times the voxel volume, mm³.
inline double maskedVolume(const MaskVolume& mask) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < mask.voxelCount(); ++i) n += mask.data()[i] != 0 ? 1 : 0;
  const auto& s = mask.geometry().spacing_mm;
  return static_cast<double>(n) * s.x() * s.y() * s.z();
}

/// Waits for every job of `runner` and delivers its callbacks.
inline bool finishJobs(JobRunner& runner, int timeoutMs = 120000) {
  const bool ok = runner.waitForAll(timeoutMs);
  QApplication::processEvents();
  QApplication::processEvents();
  return ok;
}

}  // namespace harmonia::test
