#include "ui/model/CompareMeasurements.h"

#include <algorithm>

#include "core/image/MaskOnGrid.h"
#include "core/image/RoiShapes.h"
#include "core/util/Error.h"
#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompareSession.h"
#include "ui/model/VectorText.h"

namespace harmonia {
namespace {

QString point(const Eigen::Vector3d& p) {
  return QLatin1Char('(') + vectorText(p, 'f', 1) + QLatin1Char(')');
}

/// `mask` (on its own grid) placed on `grid`, whose voxel q is the mask's point q + shift.
MaskVolume placeMask(const MaskVolume& mask, const Geometry3D& grid, const Eigen::Vector3d& shift) {
  Geometry3D moved = grid;
  moved.origin_mm += shift;
  MaskVolume placed = maskOnGrid(mask, moved);
  placed.setOrigin(grid.origin_mm);
  return placed;
}

}  // namespace

QString MeasurementRegion::describe(const CompareSession& session) const {
  switch (kind) {
    case Kind::Whole:
      return QObject::tr("whole image");
    case Kind::Sphere:
      return QObject::tr("sphere r %1 mm at %2").arg(radius_mm).arg(point(centre_mm));
    case Kind::Box:
      return QObject::tr("box %1 x %2 x %3 mm at %4")
          .arg(2 * half_size_mm.x())
          .arg(2 * half_size_mm.y())
          .arg(2 * half_size_mm.z())
          .arg(point(centre_mm));
    case Kind::StudyRoi: {
      const auto entry = session.study(std::clamp(roi_study, 0, 1))->entry();
      const QString study = roi_study == 0 ? QStringLiteral("A") : QStringLiteral("B");
      if (!entry || roi_index < 0 || roi_index >= static_cast<int>(entry->rois.size())) {
        return QObject::tr("ROI %1 of %2 (missing)").arg(roi_index).arg(study);
      }
      return QStringLiteral("%1 (%2)").arg(entry->rois[static_cast<std::size_t>(roi_index)].name,
                                           study);
    }
  }
  return {};
}

CompareMeasurements::CompareMeasurements(CompareSession* session, QObject* parent)
    : QObject(parent), session_(session) {
  for (int i = 0; i < 2; ++i) {
    connect(session_->study(i), &Document::changed, this, [this] {
      recompute();
      resample();
    });
  }
  connect(session_, &CompareSession::offsetChanged, this, [this] {
    recompute();
    resample();
  });
}

void CompareMeasurements::setRegion(const MeasurementRegion& region) {
  region_ = region;
  recompute();
}

void CompareMeasurements::recompute() {
  std::shared_ptr<const Volume> volumes[2];
  for (int i = 0; i < 2; ++i) volumes[i] = session_->study(i)->volume();
  if (!volumes[0] && !volumes[1]) {
    session_->runner()->cancel(jobkey::kCompareMeasure);
    result_.reset();
    emit resultChanged();
    return;
  }
  const MeasurementRegion region = region_;
  const Eigen::Vector3d offset = session_->offset();
  std::shared_ptr<const MaskVolume> roi;
  if (region.kind == MeasurementRegion::Kind::StudyRoi) {
    const auto entry = session_->study(std::clamp(region.roi_study, 0, 1))->entry();
    if (entry && region.roi_index >= 0 && region.roi_index < static_cast<int>(entry->rois.size())) {
      roi = entry->rois[static_cast<std::size_t>(region.roi_index)].mask;
    }
  }
  MeasurementResult base;
  base.region = region.describe(*session_);
  for (int i = 0; i < 2; ++i) {
    if (volumes[i]) base.units[i] = QString::fromStdString(volumes[i]->units());
  }
  session_->runner()->run(
      jobkey::kCompareMeasure, tr("Measuring %1").arg(base.region),
      [volumes, region, offset, roi, base](Progress& progress) {
        MeasurementResult out = base;
        for (int s = 0; s < 2; ++s) {
          progress.throwIfCancelled();
          if (!volumes[s]) {
            out.errors[s] = QObject::tr("not loaded");
            continue;
          }
          const Volume& v = *volumes[s];
          // Study A's point p is study B's point p - offset.
          const Eigen::Vector3d toStudy =
              s == 0 ? Eigen::Vector3d::Zero() : Eigen::Vector3d(-offset);
          try {
            std::optional<MaskVolume> mask;
            switch (region.kind) {
              case MeasurementRegion::Kind::Whole:
                break;
              case MeasurementRegion::Kind::Sphere:
                mask = sphereMask(v.geometry(), region.centre_mm + toStudy, region.radius_mm);
                break;
              case MeasurementRegion::Kind::Box:
                mask = boxMask(v.geometry(), region.centre_mm + toStudy, region.half_size_mm);
                break;
              case MeasurementRegion::Kind::StudyRoi: {
                if (!roi) throw InputError("the ROI is not available");
                if (region.roi_study == s) {
                  mask = *roi;
                } else {
                  // The ROI's study frame: from A's to B's subtract the offset, back add it.
                  const Eigen::Vector3d toRoi = s == 1 ? offset : Eigen::Vector3d(-offset);
                  mask = placeMask(*roi, v.geometry(), toRoi);
                }
                break;
              }
            }
            SubProgress sub(progress, 0.5 * s, 0.5 * (s + 1));
            out.stats[s] =
                summarizeValues(v, mask ? &*mask : nullptr, SummaryDetail::Quantiles, sub);
            if (mask) out.masks[s] = std::make_shared<const MaskVolume>(std::move(*mask));
          } catch (const Cancelled&) {
            throw;
          } catch (const std::exception& e) {
            out.errors[s] = QString::fromStdString(e.what());
          }
        }
        return out;
      },
      [this](MeasurementResult r) {
        result_ = std::move(r);
        emit resultChanged();
      });
}

void CompareMeasurements::setLine(const Eigen::Vector3d& start_mm, const Eigen::Vector3d& end_mm,
                                  int frame) {
  const Eigen::Vector3d toA = frame == 1 ? session_->offset() : Eigen::Vector3d::Zero();
  line_ = std::make_pair(Eigen::Vector3d(start_mm + toA), Eigen::Vector3d(end_mm + toA));
  resample();
}

void CompareMeasurements::resample() {
  for (auto& p : profiles_) p = LineProfile{};
  if (line_) {
    const Eigen::Vector3d offset = session_->offset();
    for (int s = 0; s < 2; ++s) {
      const auto v = session_->study(s)->volume();
      if (!v) continue;
      const Eigen::Vector3d shift = s == 0 ? Eigen::Vector3d::Zero() : Eigen::Vector3d(-offset);
      // Half the finest spacing of either study: no voxel is skipped.
      double step = v->geometry().spacing_mm.minCoeff();
      if (const auto other = session_->study(1 - s)->volume()) {
        step = std::min(step, other->geometry().spacing_mm.minCoeff());
      }
      profiles_[s] = sampleLine(*v, line_->first + shift, line_->second + shift, 0.5 * step);
    }
  }
  emit profileChanged();
}

}  // namespace harmonia
