#include "ui/model/VolumeLibrary.h"

#include <QFileInfo>

namespace harmonia {

QString VolumeEntry::unitLabel() const {
  if (volume && !volume->units().empty()) return QString::fromStdString(volume->units());
  return QStringLiteral("arbitrary");
}

VolumeLibrary::VolumeLibrary(QObject* parent) : QObject(parent) {}

int VolumeLibrary::indexOf(int id) const {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i]->id == id) return static_cast<int>(i);
  }
  return -1;
}

std::shared_ptr<const VolumeEntry> VolumeLibrary::add(VolumeEntry entry) {
  std::shared_ptr<const VolumeEntry> existing;
  if (entry.kind == VolumeEntry::Kind::DicomSeries || entry.kind == VolumeEntry::Kind::File) {
    existing = find(entry.source, entry.series_uid);
  }
  if (existing) {
    entry.id = existing->id;
    auto shared = std::make_shared<const VolumeEntry>(std::move(entry));
    entries_[static_cast<std::size_t>(indexOf(shared->id))] = shared;
    emit entryChanged(shared->id);
    return shared;
  }
  entry.id = nextId_++;
  auto shared = std::make_shared<const VolumeEntry>(std::move(entry));
  entries_.push_back(shared);
  emit entryAdded(shared->id);
  return shared;
}

void VolumeLibrary::setRois(int id, std::vector<Roi> rois) {
  const int i = indexOf(id);
  if (i < 0) return;
  auto copy = std::make_shared<VolumeEntry>(*entries_[static_cast<std::size_t>(i)]);
  copy->rois = std::move(rois);
  entries_[static_cast<std::size_t>(i)] = std::move(copy);
  emit entryChanged(id);
}

void VolumeLibrary::remove(int id) {
  const int i = indexOf(id);
  if (i < 0) return;
  entries_.erase(entries_.begin() + i);
  emit entryRemoved(id);
}

std::shared_ptr<const VolumeEntry> VolumeLibrary::entry(int id) const {
  const int i = indexOf(id);
  return i < 0 ? nullptr : entries_[static_cast<std::size_t>(i)];
}

std::shared_ptr<const VolumeEntry> VolumeLibrary::find(const QString& source,
                                                       const QString& seriesUid) const {
  if (source.isEmpty() && seriesUid.isEmpty()) return nullptr;
  const QString path = QFileInfo(source).absoluteFilePath();
  for (const auto& e : entries_) {
    if (e->kind != VolumeEntry::Kind::DicomSeries && e->kind != VolumeEntry::Kind::File) continue;
    if (!seriesUid.isEmpty()) {
      if (e->series_uid == seriesUid) return e;
      continue;
    }
    if (e->series_uid.isEmpty() && QFileInfo(e->source).absoluteFilePath() == path) return e;
  }
  return nullptr;
}

}  // namespace harmonia
