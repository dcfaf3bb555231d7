#pragma once
// One way to write a 3-vector (mm, FWHM, offsets) in messages and descriptions.

#include <Eigen/Core>
#include <QString>

namespace harmonia {

/// "x, y, z" with QString::number's `format` ('g' or 'f') and `precision`.
inline QString vectorText(const Eigen::Vector3d& v, char format = 'g', int precision = 3) {
  return QStringLiteral("%1, %2, %3")
      .arg(v.x(), 0, format, precision)
      .arg(v.y(), 0, format, precision)
      .arg(v.z(), 0, format, precision);
}

}  // namespace harmonia
