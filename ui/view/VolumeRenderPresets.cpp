#include "ui/view/VolumeRenderPresets.h"

#include "ui/view/WindowLevelPresets.h"

namespace harmonia {

namespace {

using Blend = VolumeRenderPreset::Blend;
using Scale = VolumeRenderPreset::Scale;

std::vector<VolumeRenderPreset> makePresets() {
  std::vector<VolumeRenderPreset> presets;

  // The CT points below are 3D Slicer's (presets.xml, see the header), in HU.
  VolumeRenderPreset bone;
  bone.name = QStringLiteral("CT-Bone");
  bone.opacity = {{-3024.0, 0.0}, {-16.4458, 0.0}, {641.385, 0.715686}, {3071.0, 0.705882}};
  bone.colour = {{-3024.0, 0.0, 0.0, 0.0},
                 {-16.4458, 0.729412, 0.254902, 0.301961},
                 {641.385, 0.905882, 0.815686, 0.552941},
                 {3071.0, 1.0, 1.0, 1.0}};
  bone.shade = true;
  bone.ambient = 0.1;
  bone.diffuse = 0.9;
  bone.specular = 0.2;
  bone.specular_power = 10.0;
  bone.modality = QStringLiteral("CT");
  presets.push_back(bone);

  VolumeRenderPreset soft;
  soft.name = QStringLiteral("CT-Soft tissue");
  soft.opacity = {{-2048.0, 0.0}, {-167.01, 0.0}, {-160.0, 1.0}, {240.0, 1.0}, {3661.0, 1.0}};
  soft.colour = {{-2048.0, 0.0, 0.0, 0.0},
                 {-167.01, 0.0, 0.0, 0.0},
                 {-160.0, 0.0556356, 0.0556356, 0.0556356},
                 {240.0, 1.0, 1.0, 1.0},
                 {3661.0, 1.0, 1.0, 1.0}};
  soft.modality = QStringLiteral("CT");
  presets.push_back(soft);

  VolumeRenderPreset lung;
  lung.name = QStringLiteral("CT-Lung/air");
  lung.opacity = {{-1000.0, 0.0}, {-600.0, 0.0}, {-599.0, 0.15},
                  {-400.0, 0.15}, {-399.0, 0.0}, {2952.0, 0.0}};
  lung.colour = {{-1000.0, 0.3, 0.3, 1.0},
                 {-600.0, 0.0, 0.0, 1.0},
                 {-530.0, 0.134704, 0.781726, 0.0724558},
                 {-460.0, 0.929244, 1.0, 0.109473},
                 {-400.0, 0.888889, 0.254949, 0.0240258},
                 {2952.0, 1.0, 0.3, 0.3}};
  lung.shade = true;
  lung.modality = QStringLiteral("CT");
  presets.push_back(lung);

  // Grey maximum intensity projection over the data's range: any modality.
  VolumeRenderPreset mip;
  mip.name = QStringLiteral("MIP");
  mip.blend = Blend::MaximumIntensity;
  mip.scale = Scale::DataRange;
  mip.opacity = {{0.0, 0.0}, {1.0, 1.0}};
  mip.colour = {{0.0, 0.0, 0.0, 0.0}, {1.0, 1.0, 1.0, 1.0}};
  presets.push_back(mip);

  // PET: MIP in a hot-iron colour map (black, red, yellow, white).
  VolumeRenderPreset pet;
  pet.name = QStringLiteral("PET hot iron MIP");
  pet.blend = Blend::MaximumIntensity;
  pet.scale = Scale::DataRange;
  pet.opacity = {{0.0, 0.0}, {0.05, 0.0}, {1.0, 1.0}};
  pet.colour = {
      {0.0, 0.0, 0.0, 0.0}, {0.35, 0.85, 0.1, 0.0}, {0.7, 1.0, 0.8, 0.0}, {1.0, 1.0, 1.0, 1.0}};
  pet.modality = QStringLiteral("PT");
  presets.push_back(pet);

  // Slicer's MR-Default, whose points lie on 0..1024, as fractions of the range.
  VolumeRenderPreset mr;
  mr.name = QStringLiteral("MR default");
  mr.scale = Scale::DataRange;
  const auto f = [](double x) { return x / 1024.0; };
  mr.opacity = {{f(0), 0.0},   {f(20), 0.0},    {f(40), 0.15},
                {f(120), 0.3}, {f(220), 0.375}, {f(1024), 0.5}};
  mr.colour = {{f(0), 0.0, 0.0, 0.0},
               {f(20), 0.168627, 0.0, 0.0},
               {f(40), 0.403922, 0.145098, 0.0784314},
               {f(120), 0.780392, 0.607843, 0.380392},
               {f(220), 0.847059, 0.835294, 0.788235},
               {f(1024), 1.0, 1.0, 1.0}};
  mr.shade = true;
  mr.modality = QStringLiteral("MR");
  presets.push_back(mr);
  return presets;
}

}  // namespace

VolumeRenderPreset VolumeRenderPreset::resolved(double lo, double hi) const {
  VolumeRenderPreset out = *this;
  if (scale == Scale::Absolute) return out;
  if (!(hi > lo)) hi = lo + 1.0;
  for (auto& p : out.opacity) p[0] = lo + p[0] * (hi - lo);
  for (auto& p : out.colour) p[0] = lo + p[0] * (hi - lo);
  out.scale = Scale::Absolute;
  return out;
}

const std::vector<VolumeRenderPreset>& volumeRenderPresets() {
  static const std::vector<VolumeRenderPreset> presets = makePresets();
  return presets;
}

QStringList volumeRenderPresetNames() {
  QStringList names;
  for (const VolumeRenderPreset& p : volumeRenderPresets()) names << p.name;
  return names;
}

const VolumeRenderPreset* findVolumeRenderPreset(const QString& name) {
  for (const VolumeRenderPreset& p : volumeRenderPresets()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

QString defaultVolumeRenderPresetName(const QString& modality) {
  const QString family = modalityFamily(modality);
  if (family == QLatin1String("CT")) return QStringLiteral("CT-Bone");
  if (family == QLatin1String("PT")) return QStringLiteral("PET hot iron MIP");
  if (family == QLatin1String("MR")) return QStringLiteral("MR default");
  return QStringLiteral("MIP");
}

}  // namespace harmonia
