#include "ui/model/StudySession.h"

#include <QPointer>
#include <algorithm>
#include <cstring>

#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"
#include "ui/jobs/QueuedCall.h"
#include "ui/model/VolumeLoading.h"

namespace harmonia {
namespace {

const QString& kLoadJob = jobkey::kStudyLoad;
const QString& kRoiJob = jobkey::kStudyRois;

}  // namespace

StudySession::StudySession(JobRunner* runner, QObject* parent) : QObject(parent), runner_(runner) {
  sliceSignal_.setSingleShot(true);
  sliceSignal_.setInterval(kSliceSignalMs);
  connect(&sliceSignal_, &QTimer::timeout, this, &StudySession::slicesChanged);
}

QString StudySession::modality() const { return QString::fromStdString(series_.modality); }

QString StudySession::unit() const {
  return volume_ ? QString::fromStdString(volume_->units()) : QString();
}

void StudySession::clear() {
  ++generation_;
  runner_->cancel(kLoadJob);
  runner_->cancel(kRoiJob);
  sliceSignal_.stop();
  display_.reset();
  volume_.reset();
  entry_.reset();
  details_.reset();
  rois_.clear();
  roiWarnings_.clear();
  arrived_ = 0;
  sliceCount_ = 0;
  emit roisChanged();
}

void StudySession::loadSeries(const SeriesInfo& series,
                              const std::vector<StructureSetInfo>& structureSets) {
  clear();
  series_ = series;
  structureSets_ = structureSetsOf(series, structureSets);
  sliceCount_ = series.sliceCount();
  const quint64 generation = generation_;
  QPointer<StudySession> self(this);
  runner_->run(
      kLoadJob, tr("Loading %1").arg(QString::fromStdString(series.description)),
      [series, self, generation](Progress& progress) {
        LoadParams params;
        params.resample_if_irregular = true;  // the views need a uniform grid
        SeriesLoader loader(series, params);
        const Geometry3D grid = loader.grid();
        const QString units = QString::fromStdString(loader.conversion().units);
        queueCall(self, [self, generation, grid, units] {
          if (self) self->startDisplay(generation, grid, units);
        });
        const std::size_t sliceSize = static_cast<std::size_t>(grid.size[0]) * grid.size[1];
        auto loaded =
            std::make_shared<LoadedSeries>(loader.load(progress, [&](int k, const float* values) {
              auto copy = std::make_shared<std::vector<float>>(values, values + sliceSize);
              queueCall(self, [self, generation, k, copy] {
                if (self) self->receiveSlice(generation, k, copy);
              });
            }));
        // Through the same queue as the slices, so it arrives after all of them.
        queueCall(self, [self, generation, loaded] {
          if (self) self->finish(generation, std::move(*loaded));
        });
      },
      [] {}, [this](const QString& error) { emit loadFailed(error); });
}

void StudySession::startDisplay(quint64 generation, const Geometry3D& grid, const QString& units) {
  if (generation != generation_) return;
  display_ = std::make_shared<Volume>(grid, 0.0f);
  display_->setUnits(units.toStdString());
  volume_ = display_;
  emit loadStarted();
}

void StudySession::receiveSlice(quint64 generation, int k,
                                const std::shared_ptr<std::vector<float>>& values) {
  if (generation != generation_ || !display_) return;
  const std::size_t sliceSize = static_cast<std::size_t>(display_->nx()) * display_->ny();
  if (k < 0 || k >= display_->nz() || values->size() != sliceSize) return;
  std::memcpy(display_->data() + sliceSize * static_cast<std::size_t>(k), values->data(),
              sliceSize * sizeof(float));
  ++arrived_;
  if (!sliceSignal_.isActive()) sliceSignal_.start();
}

void StudySession::finish(quint64 generation, LoadedSeries result) {
  if (generation != generation_) return;
  sliceSignal_.stop();
  StudyDetails details;
  details.series = series_;
  details.geometry = result.geometry;
  details.conversion = result.conversion;
  details.suv = result.suv;
  details.mr = result.mr;
  details.resampled = result.resampled;
  details_ = std::move(details);
  if (display_ && display_->geometry().sameGrid(result.volume.geometry())) {
    // The volume on screen stays the same object (the views keep their state).
    // Every slice reached it already (the slices are posted through the same
    // queue, before this); copy the values only if one somehow did not.
    if (arrived_ != display_->nz()) {
      std::memcpy(display_->data(), result.volume.data(),
                  result.volume.voxelCount() * sizeof(float));
    }
    display_->setUnits(result.volume.units());
    display_->metadata() = result.volume.metadata();
    volume_ = display_;
  } else {
    volume_ = std::make_shared<const Volume>(std::move(result.volume));
  }
  arrived_ = sliceCount_;
  display_.reset();
  publishEntry();
  emit loaded();
  rasterizeRois();
}

void StudySession::publishEntry() {
  if (!volume_) return;
  const QString folder =
      series_.slices.empty()
          ? QString()
          : QString::fromStdString(series_.slices.front().header->file.parent_path().string());
  VolumeEntry e = dicomSeriesEntry(series_, folder, volume_);
  e.rois = rois_;
  entry_ = library_ != nullptr ? library_->add(std::move(e))
                               : std::make_shared<const VolumeEntry>(std::move(e));
}

void StudySession::rasterizeRois() {
  if (structureSets_.empty() || !volume_) return;
  const std::vector<StructureSetInfo> sets = structureSets_;
  const Geometry3D grid = volume_->geometry();
  runner_->run(
      kRoiJob, tr("Drawing ROIs"),
      [sets, grid](Progress& progress) { return rasterizeStructureSets(sets, grid, progress); },
      [this](RasterizedRois r) {
        rois_ = std::move(r.rois);
        roiWarnings_ = std::move(r.warnings);
        publishEntry();
        emit roisChanged();
      },
      [this](const QString& error) {
        roiWarnings_ = QStringList{error};
        emit roisChanged();
      });
}

}  // namespace harmonia
