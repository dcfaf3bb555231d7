#pragma once
// The text a SliceView (SliceView.h) shows about what lies under the
// crosshair, and its scale bar's label.

#include <QString>

#include "ui/model/SliceViewModel.h"

namespace harmonia {

/// The crosshair readout, e.g. "x 12.3 y -4.0 z 50.0 mm | [64, 70, 25] | 43.2 HU"
/// ("" when `info` is not valid): world millimetres with one decimal, the
/// voxel index, the value(s) (formatReadoutValue(); up to four channels in
/// parentheses) or "outside", and the units (" (arbitrary)" for a volume
/// without units).
[[nodiscard]] QString formatReadout(const SliceViewModel::CursorInfo& info);

/// A value as the readout shows it: integers as integers (16-bit data, HU),
/// large values with one decimal, small ones with four significant digits
/// (SUV 2.345, 0.01234).
[[nodiscard]] QString formatReadoutValue(double v);

/// The scale bar's label for a bar `length_mm` long ("50 mm", "0.5 mm").
[[nodiscard]] QString scaleBarLabel(double length_mm);

}  // namespace harmonia
