#include "ui/model/RecentFiles.h"

#include <QFileInfo>
#include <QSettings>

namespace harmonia {

namespace {
const char* const kKey = "recentFiles";
}

RecentFiles::RecentFiles(int capacity, QObject* parent) : QObject(parent), capacity_(capacity) {}

QStringList RecentFiles::files() const {
  QStringList out;
  for (const QString& f : QSettings().value(kKey).toStringList()) {
    if (QFileInfo::exists(f)) out << f;
  }
  return out;
}

void RecentFiles::add(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  QStringList list = QSettings().value(kKey).toStringList();
  list.removeAll(absolute);
  list.prepend(absolute);
  while (list.size() > capacity_) list.removeLast();
  QSettings().setValue(kKey, list);
  emit changed();
}

void RecentFiles::clear() {
  QSettings().remove(kKey);
  emit changed();
}

}  // namespace harmonia
