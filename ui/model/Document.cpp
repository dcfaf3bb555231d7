#include "ui/model/Document.h"

#include <algorithm>

namespace harmonia {

Document::Document(QString role, QObject* parent) : QObject(parent), role_(std::move(role)) {}

void Document::setEntry(std::shared_ptr<const VolumeEntry> entry) {
  if (!entry || !entry->volume) {
    clear();
    return;
  }
  image_.reset();
  name_ = entry->name;
  source_ = entry->source;
  entry_ = std::move(entry);
  emit changed();
}

void Document::setVolume(std::shared_ptr<const harmonia::Volume> volume, const QString& name,
                         const QString& source) {
  VolumeEntry entry;
  entry.name = name;
  entry.source = source;
  entry.volume = std::move(volume);
  setEntry(std::make_shared<const VolumeEntry>(std::move(entry)));
}

void Document::setImage(std::shared_ptr<const Image2D> image, const QString& name,
                        const QString& source) {
  image_ = std::move(image);
  entry_.reset();
  name_ = name;
  source_ = source;
  emit changed();
}

void Document::clear() {
  entry_.reset();
  image_.reset();
  name_.clear();
  source_.clear();
  emit changed();
}

Document::Kind Document::kind() const {
  if (entry_) return Kind::Volume;
  if (image_) return Kind::Image;
  return Kind::Empty;
}

QString Document::summary() const {
  if (entry_) {
    const Volume& volume = *entry_->volume;
    const Geometry3D& g = volume.geometry();
    return QStringLiteral("%1 x %2 x %3 voxels, %4 x %5 x %6 mm%7")
        .arg(g.size[0])
        .arg(g.size[1])
        .arg(g.size[2])
        .arg(g.spacing_mm.x(), 0, 'g', 4)
        .arg(g.spacing_mm.y(), 0, 'g', 4)
        .arg(g.spacing_mm.z(), 0, 'g', 4)
        .arg((entry_->modality.isEmpty() ? QString() : QStringLiteral(", ") + entry_->modality) +
             QStringLiteral(", ") + entry_->unitLabel());
  }
  if (image_) {
    static const char* const layouts[5] = {"", "grey", "grey + alpha", "RGB", "RGBA"};
    return QStringLiteral("%1 x %2 pixels, %3, %4")
        .arg(image_->width())
        .arg(image_->height())
        .arg(QString::fromLatin1(layouts[std::clamp(image_->channels(), 0, 4)]))
        .arg(QString::fromLatin1(toString(image_->sampleType())));
  }
  return tr("empty");
}

}  // namespace harmonia
