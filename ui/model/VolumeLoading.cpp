#include "ui/model/VolumeLoading.h"

#include <QFileInfo>
#include <QObject>

#include "core/dicom/RtStruct.h"
#include "core/dicom/SeriesLoader.h"
#include "core/io/ImageIO.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// Distinct colours for ROIs (Slicer's first label colours).
const QColor kPalette[] = {QColor(128, 174, 128), QColor(241, 214, 145), QColor(177, 122, 101),
                           QColor(111, 184, 210), QColor(216, 101, 79),  QColor(221, 130, 101),
                           QColor(144, 238, 144), QColor(192, 104, 88)};

}  // namespace

RasterizedRois rasterizeStructureSets(const std::vector<StructureSetInfo>& structureSets,
                                      const Geometry3D& grid, Progress& progress) {
  RasterizedRois out;
  std::vector<RtStruct> structs;
  std::size_t total = 0;
  for (const auto& s : structureSets) {
    structs.push_back(readRtStruct(s.file));
    total += structs.back().rois.size();
  }
  const bool several = structs.size() > 1;
  std::size_t done = 0;
  for (const RtStruct& rt : structs) {
    for (const RtRoi& roi : rt.rois) {
      progress.throwIfCancelled();
      RoiMask m = rasterizeRoi(roi, grid);
      QString name = QString::fromStdString(roi.name);
      if (several) name += QStringLiteral(" (%1)").arg(QString::fromStdString(rt.label));
      if (m.contours_off_grid > 0) {
        out.warnings << QObject::tr("%1: %2 contour(s) not on this series' slices")
                            .arg(name)
                            .arg(m.contours_off_grid);
      }
      const QColor colour = kPalette[out.rois.size() % std::size(kPalette)];
      out.rois.push_back({name, colour, std::make_shared<const MaskVolume>(std::move(m.mask))});
      progress.report(static_cast<double>(++done) / static_cast<double>(total));
    }
  }
  return out;
}

std::vector<StructureSetInfo> structureSetsOf(const SeriesInfo& series,
                                              const std::vector<StructureSetInfo>& all) {
  std::vector<StructureSetInfo> out;
  for (const auto& s : all) {
    if (s.referenced_series_uid == series.series_uid) out.push_back(s);
  }
  return out;
}

VolumeEntry dicomSeriesEntry(const SeriesInfo& series, const QString& folder,
                             std::shared_ptr<const Volume> volume) {
  VolumeEntry e;
  e.kind = VolumeEntry::Kind::DicomSeries;
  QString name = QString::fromStdString(series.description);
  if (name.isEmpty()) name = QString::fromStdString(series.modality) + QObject::tr(" series");
  if (!series.series_number.empty()) {
    name += QStringLiteral(" #") + QString::fromStdString(series.series_number);
  }
  if (!series.patient_id.empty()) {
    name = QString::fromStdString(series.patient_id) + QStringLiteral(" ") + name;
  }
  e.name = name;
  e.source = folder;
  e.modality = QString::fromStdString(series.modality);
  e.volume = std::move(volume);
  e.series_uid = QString::fromStdString(series.series_uid);
  e.frame_of_reference_uid = QString::fromStdString(series.frame_of_reference_uid);
  for (const DicomSlice& s : series.slices) {
    const QString f = QString::fromStdString(s.header->file.string());
    if (e.source_files.isEmpty() || e.source_files.back() != f) e.source_files << f;
  }
  return e;
}

VolumeEntry loadVolumeEntry(const QString& path, Progress& progress) {
  const std::filesystem::path file = path.toStdString();
  if (!QFileInfo(path).isDir()) {
    if (QFileInfo::exists(path) && fileKindOf(file) != FileKind::Volume) {
      throw InputError(file, "not a volume: open a NIfTI file (.nii, .nii.gz) or a DICOM folder");
    }
    VolumeEntry e;
    e.kind = VolumeEntry::Kind::File;
    e.name = QFileInfo(path).fileName();
    e.source = QFileInfo(path).absoluteFilePath();
    e.volume = std::make_shared<const Volume>(readVolume(file));
    return e;
  }
  SubProgress scanning(progress, 0.0, 0.2);
  const DicomScan scan = scanDicomFolder(file, scanning);
  const SeriesInfo* chosen = nullptr;
  for (const SeriesInfo& s : scan.series) {
    if (s.sliceCount() > 0) {
      chosen = &s;
      break;
    }
  }
  // No series at all: the folder is named, with a skipped file's reason.
  if (chosen == nullptr) (void)selectSeries(scan, "");  // throws the scanner's explanation
  if (chosen == nullptr) throw InputError(file, "no DICOM image series found");
  refuseDamagedFiles(scan);
  LoadParams params;
  params.resample_if_irregular = true;  // views and comparisons need a uniform grid
  SubProgress loading(progress, 0.2, 0.9);
  LoadedSeries loaded = loadSeries(*chosen, params, loading);
  auto volume = std::make_shared<const Volume>(std::move(loaded.volume));
  VolumeEntry e = dicomSeriesEntry(*chosen, QFileInfo(path).absoluteFilePath(), volume);
  SubProgress drawing(progress, 0.9, 1.0);
  RasterizedRois rois = rasterizeStructureSets(structureSetsOf(*chosen, scan.structure_sets),
                                               volume->geometry(), drawing);
  e.rois = std::move(rois.rois);
  return e;
}

}  // namespace harmonia
