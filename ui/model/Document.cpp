#include "ui/model/Document.h"

#include <algorithm>

namespace harmonia {

Document::Document(QString role, QObject* parent) : QObject(parent), role_(std::move(role)) {}

void Document::setVolume(std::shared_ptr<const harmonia::Volume> volume, const QString& name,
                         const QString& source) {
  volume_ = std::move(volume);
  image_.reset();
  name_ = name;
  source_ = source;
  emit changed();
}

void Document::setImage(std::shared_ptr<const Image2D> image, const QString& name,
                        const QString& source) {
  image_ = std::move(image);
  volume_.reset();
  name_ = name;
  source_ = source;
  emit changed();
}

void Document::clear() {
  volume_.reset();
  image_.reset();
  name_.clear();
  source_.clear();
  emit changed();
}

Document::Kind Document::kind() const {
  if (volume_) return Kind::Volume;
  if (image_) return Kind::Image;
  return Kind::Empty;
}

QString Document::summary() const {
  if (volume_) {
    const Geometry3D& g = volume_->geometry();
    return QStringLiteral("%1 x %2 x %3 voxels, %4 x %5 x %6 mm%7")
        .arg(g.size[0])
        .arg(g.size[1])
        .arg(g.size[2])
        .arg(g.spacing_mm.x(), 0, 'g', 4)
        .arg(g.spacing_mm.y(), 0, 'g', 4)
        .arg(g.spacing_mm.z(), 0, 'g', 4)
        .arg(volume_->units().empty()
                 ? QString()
                 : QStringLiteral(", ") + QString::fromStdString(volume_->units()));
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
