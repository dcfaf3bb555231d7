#pragma once
// The recently opened files, most recent first, kept in QSettings.

#include <QObject>
#include <QStringList>

namespace harmonia {

/// Most-recently-used file list persisted under the settings key "recentFiles".
class RecentFiles : public QObject {
  Q_OBJECT

 public:
  /// Keeps at most `capacity` entries.
  explicit RecentFiles(int capacity = 10, QObject* parent = nullptr);
  /// The files, most recent first (missing files are dropped when read).
  [[nodiscard]] QStringList files() const;
  /// Moves or adds `path` to the front and saves.
  void add(const QString& path);
  /// Forgets every entry.
  void clear();

 signals:
  /// The list changed.
  void changed();

 private:
  int capacity_;
};

}  // namespace harmonia
