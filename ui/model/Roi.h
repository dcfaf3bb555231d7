#pragma once
// A region of interest on a volume's grid: one type for every workspace (the
// ROIs of an RTSTRUCT rasterised onto a series, drawn in the Studies viewer,
// carried by a library entry into Compare).

#include <QColor>
#include <QString>
#include <memory>

#include "core/image/Volume.h"

namespace harmonia {

/// A named, coloured mask on a volume's grid.
struct Roi {
  QString name;                            ///< shown in legends and tables
  QColor color;                            ///< outline and (translucent) fill colour
  std::shared_ptr<const MaskVolume> mask;  ///< on the volume's grid (same geometry)
};

}  // namespace harmonia
