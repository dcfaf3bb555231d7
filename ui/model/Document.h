#pragma once
// A document: one loaded image or volume, its name and where it came from.
//
// Documents are the model the workspaces display. They hold immutable data
// (shared_ptr<const ...>): an operation makes a new volume and swaps it in,
// so views and worker jobs can keep the old one alive safely.

#include <QObject>
#include <QString>
#include <memory>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"

namespace harmonia {

/// One loaded 2-D image or 3-D volume.
class Document : public QObject {
  Q_OBJECT

 public:
  /// What the document holds.
  enum class Kind { Empty, Image, Volume };

  /// Creates an empty document with a role name such as "Study A" or "Target".
  explicit Document(QString role, QObject* parent = nullptr);

  /// Replaces the content with a volume. `name` is shown to the user,
  /// `source` is the file or description it came from.
  void setVolume(std::shared_ptr<const harmonia::Volume> volume, const QString& name,
                 const QString& source);
  /// Replaces the content with a 2-D image.
  void setImage(std::shared_ptr<const Image2D> image, const QString& name, const QString& source);
  /// Empties the document.
  void clear();

  /// What the document holds.
  [[nodiscard]] Kind kind() const;
  /// True when nothing is loaded.
  [[nodiscard]] bool isEmpty() const { return kind() == Kind::Empty; }
  /// The volume, or null.
  [[nodiscard]] const std::shared_ptr<const harmonia::Volume>& volume() const { return volume_; }
  /// The 2-D image, or null.
  [[nodiscard]] const std::shared_ptr<const Image2D>& image() const { return image_; }
  /// The role this document plays in its workspace ("Study A", "Target"...).
  [[nodiscard]] const QString& role() const { return role_; }
  /// The name shown to the user (file name, scanner name...).
  [[nodiscard]] const QString& name() const { return name_; }
  /// Where the content came from (a path, or a description for generated data).
  [[nodiscard]] const QString& source() const { return source_; }
  /// A one-line summary: size, spacing, units.
  [[nodiscard]] QString summary() const;

 signals:
  /// The content was replaced or cleared.
  void changed();

 private:
  QString role_;
  QString name_;
  QString source_;
  std::shared_ptr<const harmonia::Volume> volume_;
  std::shared_ptr<const Image2D> image_;
};

}  // namespace harmonia
