#pragma once
// Window/level presets for slice views, the ones radiologists know from
// 3D Slicer, and the cheap value sample that "percentile auto" presets use.
//
// A preset is either fixed (window and level in data units: HU for CT, SUV
// for PET) or a percentile window computed from the displayed volume
// (1st..99th percentile for MR, whose raw values have no absolute scale).
// Percentiles come from a deterministic subsample of at most a few hundred
// thousand voxels (ValueSample, core/stats/Sampling.h), so computing them on
// the GUI thread costs milliseconds even for a 100-million-voxel volume.

#include <QString>
#include <QStringList>
#include <vector>

#include "core/stats/Sampling.h"

namespace harmonia {

/// One window/level preset.
struct WindowLevelPreset {
  /// How the window is chosen.
  enum class Kind {
    Fixed,       ///< `window` and `level` in data units
    Percentile,  ///< [low_percentile, high_percentile] of the volume's values
  };

  QString name;                   ///< shown in the preset combo, unique
  Kind kind = Kind::Fixed;        ///< fixed values or percentiles of the data
  double window = 1.0;            ///< Fixed: window width, data units (> 0)
  double level = 0.0;             ///< Fixed: window centre, data units
  double low_percentile = 1.0;    ///< Percentile: lower end of the window, percent (0..100)
  double high_percentile = 99.0;  ///< Percentile: upper end of the window, percent (0..100)
  bool inverted = false;          ///< shown black on white (PET's tradition)
  QString modality;               ///< modality it is meant for ("CT", "PT"); empty: any
};

/// Every preset, in the order a preset combo lists them.
[[nodiscard]] const std::vector<WindowLevelPreset>& windowLevelPresets();
/// The names of windowLevelPresets(), in order.
[[nodiscard]] QStringList windowLevelPresetNames();
/// The preset called `name`, or null.
[[nodiscard]] const WindowLevelPreset* findWindowLevelPreset(const QString& name);
/// The modality family of a DICOM modality string: "CT", "PT" (also for
/// "PET"), "MR" (also "MRI"), or "" for anything else. Case and spaces ignored.
[[nodiscard]] QString modalityFamily(const QString& modality);
/// Name of the preset a study of `modality` opens with: CT soft tissue for
/// CT, SUV 0-5 (inverted) for PET, the 1st..99th percentile window otherwise.
[[nodiscard]] QString defaultWindowLevelPresetName(const QString& modality);

/// Window (width) and level (centre), data units.
struct WindowLevel {
  double window = 1.0;
  double level = 0.5;
};

/// The window of study `to` that shows the same percentiles as `window` does
/// on study `from`: each end of the window is mapped through from's percent
/// rank and to's percentile. Links window/level across intensity scales (two
/// MR vendors, a gain difference): the same anatomy gets the same grey.
[[nodiscard]] WindowLevel mapWindowByPercentiles(const WindowLevel& window, const ValueSample& from,
                                                 const ValueSample& to);

/// The window/level `preset` gives for data whose values `sample` represents
/// (a Fixed preset ignores the sample). A percentile window that would be
/// empty (constant data) falls back to the sample's full range, or width 1.
[[nodiscard]] WindowLevel resolveWindowLevel(const WindowLevelPreset& preset,
                                             const ValueSample& sample);

}  // namespace harmonia
