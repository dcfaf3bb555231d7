#include "ui/view/WindowLevelPresets.h"

#include <algorithm>
#include <cmath>

namespace harmonia {

namespace {

WindowLevelPreset fixed(const char* name, double window, double level, const char* modality,
                        bool inverted = false) {
  WindowLevelPreset p;
  p.name = QString::fromUtf8(name);
  p.kind = WindowLevelPreset::Kind::Fixed;
  p.window = window;
  p.level = level;
  p.inverted = inverted;
  p.modality = QString::fromLatin1(modality);
  return p;
}

WindowLevelPreset percentileWindow(const char* name, double lowPercent, double highPercent) {
  WindowLevelPreset p;
  p.name = QString::fromUtf8(name);
  p.kind = WindowLevelPreset::Kind::Percentile;
  p.low_percentile = lowPercent;
  p.high_percentile = highPercent;
  return p;
}

std::vector<WindowLevelPreset> makePresets() {
  return {
      // CT, in HU. Brain, lung, bone and abdomen are 3D Slicer 5's window/level
      // presets, Modules/Loadable/Volumes/Resources/VolumeDisplayPresets.json
      // (Slicer/Slicer commit 116344a9): CT-Bone 1000/400, CT-Brain 100/50,
      // CT-Abdomen 350/40, CT-Lung 1400/-500 (older Slicer versions and some
      // textbooks use 1800/400 for bone and 1500/-600 for lung; we follow Slicer 5).
      // Slicer has no soft-tissue slice preset; 400/40 is the common radiology
      // soft-tissue window (e.g. Radiopaedia, "Windowing (CT)").
      fixed("CT-Soft tissue", 400.0, 40.0, "CT"),
      fixed("CT-Abdomen", 350.0, 40.0, "CT"),
      fixed("CT-Brain", 100.0, 50.0, "CT"),
      fixed("CT-Lung", 1400.0, -500.0, "CT"),
      fixed("CT-Bone", 1000.0, 400.0, "CT"),
      // PET, in SUV (g/ml): the window spans 0..5 or 0..10, black on white by tradition.
      fixed("PET SUV 0-5", 5.0, 2.5, "PT", true),
      fixed("PET SUV 0-10", 10.0, 5.0, "PT", true),
      // MR (and anything without an absolute scale): from the data.
      percentileWindow("Auto (1-99 %)", 1.0, 99.0),
  };
}

}  // namespace

const std::vector<WindowLevelPreset>& windowLevelPresets() {
  static const std::vector<WindowLevelPreset> presets = makePresets();
  return presets;
}

QStringList windowLevelPresetNames() {
  QStringList names;
  for (const WindowLevelPreset& p : windowLevelPresets()) names << p.name;
  return names;
}

const WindowLevelPreset* findWindowLevelPreset(const QString& name) {
  for (const WindowLevelPreset& p : windowLevelPresets()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

QString modalityFamily(const QString& modality) {
  const QString m = modality.trimmed().toUpper();
  if (m == QLatin1String("CT")) return QStringLiteral("CT");
  if (m == QLatin1String("PT") || m == QLatin1String("PET")) return QStringLiteral("PT");
  if (m == QLatin1String("MR") || m == QLatin1String("MRI")) return QStringLiteral("MR");
  return {};
}

QString defaultWindowLevelPresetName(const QString& modality) {
  const QString family = modalityFamily(modality);
  if (family == QLatin1String("CT")) return QStringLiteral("CT-Soft tissue");
  if (family == QLatin1String("PT")) return QStringLiteral("PET SUV 0-5");
  return QStringLiteral("Auto (1-99 %)");
}

WindowLevel mapWindowByPercentiles(const WindowLevel& window, const ValueSample& from,
                                   const ValueSample& to) {
  if (from.empty() || to.empty()) return window;
  const double lo = to.percentile(from.percentRank(window.level - 0.5 * window.window));
  double hi = to.percentile(from.percentRank(window.level + 0.5 * window.window));
  if (!(hi > lo)) hi = lo + std::max(1e-6, 1e-6 * std::abs(lo));
  return {hi - lo, 0.5 * (lo + hi)};
}

WindowLevel resolveWindowLevel(const WindowLevelPreset& preset, const ValueSample& sample) {
  if (preset.kind == WindowLevelPreset::Kind::Fixed) return {preset.window, preset.level};
  double lo = sample.percentile(preset.low_percentile);
  double hi = sample.percentile(preset.high_percentile);
  if (!(hi > lo)) {  // (nearly) constant between the percentiles: the full range
    lo = sample.min();
    hi = sample.max();
  }
  if (!(hi > lo)) hi = lo + 1.0;
  return {hi - lo, 0.5 * (lo + hi)};
}

}  // namespace harmonia
