#include "ui/view/SliceReadout.h"

#include <QStringList>
#include <algorithm>
#include <cmath>

namespace harmonia {
namespace {

double withoutNegativeZero(double v) { return std::abs(v) < 0.05 ? 0.0 : v; }

}  // namespace

QString formatReadoutValue(double v) {
  if (!std::isfinite(v)) {
    return QString::number(v);
  }
  if (v == std::round(v) && std::abs(v) < 1e9) {
    return QString::number(v, 'f', 0);
  }
  if (std::abs(v) >= 1000.0) {
    return QString::number(v, 'f', 1);
  }
  return QString::number(v, 'g', 4);
}

QString formatReadout(const SliceViewModel::CursorInfo& info) {
  if (!info.valid) {
    return {};
  }
  const auto mm = [](double v) { return QString::number(withoutNegativeZero(v), 'f', 1); };
  QString text;
  if (info.dimensions == 2) {
    text = QStringLiteral("x %1 y %2 mm | [%3, %4] | ")
               .arg(mm(info.world.x()), mm(info.world.y()))
               .arg(info.index[0])
               .arg(info.index[1]);
  } else {
    text = QStringLiteral("x %1 y %2 z %3 mm | [%4, %5, %6] | ")
               .arg(mm(info.world.x()), mm(info.world.y()), mm(info.world.z()))
               .arg(info.index[0])
               .arg(info.index[1])
               .arg(info.index[2]);
  }
  if (!info.inside) {
    return text + QStringLiteral("outside");
  }
  if (info.channels == 1) {
    text += formatReadoutValue(info.values[0]);
  } else {
    QStringList parts;
    for (int c = 0; c < std::min(info.channels, 4); ++c) {
      parts << formatReadoutValue(info.values[c]);
    }
    text += QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
  }
  if (!info.units.isEmpty()) {
    text += QLatin1Char(' ') + info.units;
  } else if (info.dimensions == 3) {
    text += QStringLiteral(" (arbitrary)");  // a volume without units: raw MR values, say
  }
  return text;
}

QString scaleBarLabel(double length_mm) {
  return length_mm >= 1.0 ? QStringLiteral("%1 mm").arg(length_mm)
                          : QStringLiteral("%1 mm").arg(length_mm, 0, 'g', 3);
}

}  // namespace harmonia
