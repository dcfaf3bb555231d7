#pragma once
// Colour and opacity transfer functions for the 3-D view (VolumeRenderView).
//
// CT presets are in HU and come from 3D Slicer's volume rendering presets
// (Modules/Loadable/VolumeRendering/Resources/presets.xml): CT-Bone,
// CT-Soft-Tissue, CT-Lung and CT-MIP, points copied as they are. Presets for
// data without an absolute scale (MIP, PET, MR) give their points as
// fractions of a data range [lo, hi] that the caller picks from the volume's
// percentiles, and are mapped onto it with resolved().

#include <QString>
#include <QStringList>
#include <array>
#include <vector>

namespace harmonia {

/// One 3-D rendering preset: how values become colour and opacity.
struct VolumeRenderPreset {
  /// How samples along a ray are combined.
  enum class Blend {
    Composite,         ///< front-to-back compositing (opacity, optional shading)
    MaximumIntensity,  ///< the largest value along the ray (MIP)
  };
  /// What the x of the transfer function points is.
  enum class Scale {
    Absolute,   ///< data units (HU)
    DataRange,  ///< 0..1 across a data range chosen by the caller
  };

  QString name;                                ///< shown in the preset combo, unique
  Blend blend = Blend::Composite;              ///< compositing or MIP
  Scale scale = Scale::Absolute;               ///< units of the points' x
  std::vector<std::array<double, 2>> opacity;  ///< (x, opacity 0..1), x ascending
  std::vector<std::array<double, 4>> colour;   ///< (x, r, g, b 0..1), x ascending
  bool shade = false;                          ///< Phong shading from the gradient
  double ambient = 0.2;                        ///< shading: ambient coefficient
  double diffuse = 1.0;                        ///< shading: diffuse coefficient
  double specular = 0.0;                       ///< shading: specular coefficient
  double specular_power = 1.0;                 ///< shading: specular exponent
  QString modality;                            ///< modality it is meant for; empty: any

  /// A copy whose points are in data units: DataRange points mapped onto
  /// [lo, hi] (hi > lo, else hi = lo + 1); Absolute presets are returned as they are.
  [[nodiscard]] VolumeRenderPreset resolved(double lo, double hi) const;
};

/// Every 3-D preset, in the order a preset combo lists them.
[[nodiscard]] const std::vector<VolumeRenderPreset>& volumeRenderPresets();
/// The names of volumeRenderPresets(), in order.
[[nodiscard]] QStringList volumeRenderPresetNames();
/// The preset called `name`, or null.
[[nodiscard]] const VolumeRenderPreset* findVolumeRenderPreset(const QString& name);
/// Name of the 3-D preset a study of `modality` opens with: CT-Bone for CT,
/// the hot-iron MIP for PET, MR default for MR, the grey MIP otherwise.
[[nodiscard]] QString defaultVolumeRenderPresetName(const QString& modality);

/// Data-range percentiles (percent) the DataRange presets are mapped onto.
inline constexpr double kVolumeRangeLowPercentile = 1.0;
inline constexpr double kVolumeRangeHighPercentile = 99.9;

}  // namespace harmonia
