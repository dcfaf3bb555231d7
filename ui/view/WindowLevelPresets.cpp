#include "ui/view/WindowLevelPresets.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

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
  p.lowPercentile = lowPercent;
  p.highPercentile = highPercent;
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

double ValueSample::percentile(double percent) const {
  if (sorted.empty()) return 0.0;
  const double h = std::clamp(percent, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double t = h - static_cast<double>(lo);
  return static_cast<double>(sorted[lo]) +
         t * (static_cast<double>(sorted[hi]) - static_cast<double>(sorted[lo]));
}

double ValueSample::percentRank(double value) const {
  if (sorted.empty() || std::isnan(value)) return 0.0;
  if (value <= static_cast<double>(sorted.front())) return 0.0;
  if (value >= static_cast<double>(sorted.back())) return 100.0;
  // First order statistic above value; interpolate between it and the one before.
  const auto it = std::upper_bound(sorted.begin(), sorted.end(), static_cast<float>(value));
  const auto hi = static_cast<std::size_t>(it - sorted.begin());
  const std::size_t lo = hi - 1;
  const double a = sorted[lo];
  const double b = sorted[hi];
  const double t = b > a ? (value - a) / (b - a) : 0.0;
  return 100.0 * (static_cast<double>(lo) + t) / static_cast<double>(sorted.size() - 1);
}

WindowLevel mapWindowByPercentiles(const WindowLevel& window, const ValueSample& from,
                                   const ValueSample& to) {
  if (from.empty() || to.empty()) return window;
  const double lo = to.percentile(from.percentRank(window.level - 0.5 * window.window));
  double hi = to.percentile(from.percentRank(window.level + 0.5 * window.window));
  if (!(hi > lo)) hi = lo + std::max(1e-6, 1e-6 * std::abs(lo));
  return {hi - lo, 0.5 * (lo + hi)};
}

ValueSample sampleValues(const Volume& volume, std::size_t maxSamples) {
  ValueSample sample;
  const std::size_t n = volume.voxelCount();
  if (n == 0) return sample;
  const float* v = volume.data();
  maxSamples = std::max<std::size_t>(maxSamples, 1);
  if (n <= maxSamples) {
    sample.sorted.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isfinite(v[i])) sample.sorted.push_back(v[i]);
    }
  } else {
    const std::size_t stride = n / maxSamples;  // >= 1
    sample.sorted.reserve(maxSamples);
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (std::size_t s = 0; s < maxSamples; ++s) {
      // xorshift: a cheap deterministic jitter within each stride.
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      const std::size_t i = s * stride + static_cast<std::size_t>(state % stride);
      if (std::isfinite(v[i])) sample.sorted.push_back(v[i]);
    }
  }
  std::sort(sample.sorted.begin(), sample.sorted.end());
  return sample;
}

WindowLevel resolveWindowLevel(const WindowLevelPreset& preset, const ValueSample& sample) {
  if (preset.kind == WindowLevelPreset::Kind::Fixed) return {preset.window, preset.level};
  double lo = sample.percentile(preset.lowPercentile);
  double hi = sample.percentile(preset.highPercentile);
  if (!(hi > lo)) {  // (nearly) constant between the percentiles: the full range
    lo = sample.min();
    hi = sample.max();
  }
  if (!(hi > lo)) hi = lo + 1.0;
  return {hi - lo, 0.5 * (lo + hi)};
}

}  // namespace harmonia
