#pragma once
// A document: one loaded image or volume, its name and where it came from.
//
// Documents are the slots the workspaces display ("Study A", "Target"). A
// volume slot shows an entry of the VolumeLibrary (VolumeLibrary.h): the
// volume with its modality, units and ROIs. They hold immutable data
// (shared_ptr<const ...>): an operation makes a new entry and swaps it in,
// so views and worker jobs can keep the old one alive safely.

#include <QObject>
#include <QString>
#include <memory>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"
#include "ui/model/VolumeLibrary.h"

namespace harmonia {

/// One loaded 2-D image or 3-D volume.
class Document : public QObject {
  Q_OBJECT

 public:
  /// What the document holds.
  enum class Kind { Empty, Image, Volume };

  /// Creates an empty document with a role name such as "Study A" or "Target".
  explicit Document(QString role, QObject* parent = nullptr);

  /// Shows a library entry (a volume with its metadata and ROIs).
  void setEntry(std::shared_ptr<const VolumeEntry> entry);
  /// Replaces the content with a volume that is in no library (an entry of
  /// kind File with id 0). `name` is shown to the user, `source` is the file
  /// or description it came from.
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
  [[nodiscard]] std::shared_ptr<const harmonia::Volume> volume() const {
    return entry_ ? entry_->volume : nullptr;
  }
  /// The library entry shown (null for 2-D images and when empty).
  [[nodiscard]] const std::shared_ptr<const VolumeEntry>& entry() const { return entry_; }
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
  std::shared_ptr<const VolumeEntry> entry_;
  std::shared_ptr<const Image2D> image_;
};

}  // namespace harmonia
