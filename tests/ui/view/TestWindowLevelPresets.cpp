// Window/level presets and 3-D presets: the table, modality defaults, the
// percentile sample. Pure logic: no display needed.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ui/view/VolumeRenderPresets.h"
#include "ui/view/WindowLevelPresets.h"

namespace harmonia {
namespace {

void expectFixed(const char* name, double window, double level, bool inverted) {
  const WindowLevelPreset* p = findWindowLevelPreset(QString::fromUtf8(name));
  ASSERT_NE(p, nullptr) << name;
  EXPECT_EQ(p->kind, WindowLevelPreset::Kind::Fixed) << name;
  EXPECT_DOUBLE_EQ(p->window, window) << name;
  EXPECT_DOUBLE_EQ(p->level, level) << name;
  EXPECT_EQ(p->inverted, inverted) << name;
}

TEST(WindowLevelPresets, HoldSlicerCtValuesAndSuvWindows) {
  // 3D Slicer 5, VolumeDisplayPresets.json; soft tissue is the radiology standard.
  expectFixed("CT-Brain", 100.0, 50.0, false);
  expectFixed("CT-Lung", 1400.0, -500.0, false);
  expectFixed("CT-Bone", 1000.0, 400.0, false);
  expectFixed("CT-Abdomen", 350.0, 40.0, false);
  expectFixed("CT-Soft tissue", 400.0, 40.0, false);
  // SUV 0..5 and 0..10: window = upper end, level = half of it; black on white.
  expectFixed("PET SUV 0-5", 5.0, 2.5, true);
  expectFixed("PET SUV 0-10", 10.0, 5.0, true);

  const WindowLevelPreset* autoPreset = findWindowLevelPreset(QStringLiteral("Auto (1-99 %)"));
  ASSERT_NE(autoPreset, nullptr);
  EXPECT_EQ(autoPreset->kind, WindowLevelPreset::Kind::Percentile);
  EXPECT_DOUBLE_EQ(autoPreset->low_percentile, 1.0);
  EXPECT_DOUBLE_EQ(autoPreset->high_percentile, 99.0);

  EXPECT_EQ(findWindowLevelPreset(QStringLiteral("no such preset")), nullptr);
  QStringList names = windowLevelPresetNames();
  EXPECT_EQ(names.size(), static_cast<qsizetype>(windowLevelPresets().size()));
  EXPECT_EQ(names.removeDuplicates(), 0);
}

TEST(WindowLevelPresets, DefaultFollowsTheModality) {
  EXPECT_EQ(defaultWindowLevelPresetName(QStringLiteral("CT")), QStringLiteral("CT-Soft tissue"));
  EXPECT_EQ(defaultWindowLevelPresetName(QStringLiteral(" ct ")), QStringLiteral("CT-Soft tissue"));
  EXPECT_EQ(defaultWindowLevelPresetName(QStringLiteral("PT")), QStringLiteral("PET SUV 0-5"));
  EXPECT_EQ(defaultWindowLevelPresetName(QStringLiteral("PET")), QStringLiteral("PET SUV 0-5"));
  EXPECT_EQ(defaultWindowLevelPresetName(QStringLiteral("MR")), QStringLiteral("Auto (1-99 %)"));
  EXPECT_EQ(defaultWindowLevelPresetName(QStringLiteral("US")), QStringLiteral("Auto (1-99 %)"));
  EXPECT_EQ(defaultWindowLevelPresetName(QString()), QStringLiteral("Auto (1-99 %)"));
  // Every default names a preset that exists.
  for (const char* m : {"CT", "PT", "MR", "OT"}) {
    EXPECT_NE(findWindowLevelPreset(defaultWindowLevelPresetName(QString::fromLatin1(m))), nullptr);
    EXPECT_NE(findVolumeRenderPreset(defaultVolumeRenderPresetName(QString::fromLatin1(m))),
              nullptr);
  }
  EXPECT_EQ(modalityFamily(QStringLiteral("mri")), QStringLiteral("MR"));
  EXPECT_EQ(modalityFamily(QStringLiteral("SEG")), QString());
}

/// Volume whose voxels hold 0, 1, ..., n - 1 in a shuffled-looking order.
Volume rampVolume(int nx, int ny, int nz) {
  Geometry3D g;
  g.size = {nx, ny, nz};
  Volume v(g);
  const std::size_t n = v.voxelCount();
  for (std::size_t i = 0; i < n; ++i) {
    v.data()[i] = static_cast<float>((i * 7919U) % n);  // 7919 is prime: a permutation
  }
  return v;
}

TEST(WindowLevelPresets, PercentilesOfASmallVolumeAreExact) {
  Volume v = rampVolume(10, 10, 10);                      // values 0..999, each once
  v.data()[5] = std::numeric_limits<float>::quiet_NaN();  // skipped
  const ValueSample s = sampleValues(v);
  ASSERT_EQ(s.sorted.size(), 999U);
  EXPECT_TRUE(std::is_sorted(s.sorted.begin(), s.sorted.end()));
  // Linear between order statistics (numpy's default), on 999 values.
  const double h = 0.01 * 998.0;
  const double lo = s.sorted[9] + (h - 9.0) * (s.sorted[10] - s.sorted[9]);
  EXPECT_DOUBLE_EQ(s.percentile(1.0), lo);
  EXPECT_DOUBLE_EQ(s.percentile(0.0), s.min());
  EXPECT_DOUBLE_EQ(s.percentile(100.0), s.max());

  const WindowLevel wl =
      resolveWindowLevel(*findWindowLevelPreset(QStringLiteral("Auto (1-99 %)")), s);
  EXPECT_NEAR(wl.level - 0.5 * wl.window, s.percentile(1.0), 1e-9);
  EXPECT_NEAR(wl.level + 0.5 * wl.window, s.percentile(99.0), 1e-9);
  // Fixed presets ignore the data.
  const WindowLevel bone = resolveWindowLevel(*findWindowLevelPreset(QStringLiteral("CT-Bone")), s);
  EXPECT_DOUBLE_EQ(bone.window, 1000.0);
  EXPECT_DOUBLE_EQ(bone.level, 400.0);
}

TEST(WindowLevelPresets, SubsampleOfALargeVolumeEstimatesPercentiles) {
  // 64^3 = 262144 values 0..n-1 (a uniform distribution), sampled 4096 times:
  // the 1st and 99th percentiles of the sample lie within 1 % of the range of
  // the exact ones (binomial sd of the rank is 0.16 % of n; 1 % is 6 sd).
  const Volume v = rampVolume(64, 64, 64);
  const double n = static_cast<double>(v.voxelCount());
  const ValueSample s = sampleValues(v, 4096);
  EXPECT_EQ(s.sorted.size(), 4096U);
  EXPECT_NEAR(s.percentile(1.0), 0.01 * (n - 1), 0.01 * n);
  EXPECT_NEAR(s.percentile(99.0), 0.99 * (n - 1), 0.01 * n);
  // Deterministic: the same sample twice.
  EXPECT_EQ(sampleValues(v, 4096).sorted, s.sorted);
}

TEST(WindowLevelPresets, ConstantDataGetsAUsableWindow) {
  Geometry3D g;
  g.size = {4, 4, 4};
  const Volume v(g, -1000.0f);
  const WindowLevel wl =
      resolveWindowLevel(*findWindowLevelPreset(QStringLiteral("Auto (1-99 %)")), sampleValues(v));
  EXPECT_GT(wl.window, 0.0);
  EXPECT_NEAR(wl.level - 0.5 * wl.window, -1000.0, 1e-9);
  Volume empty;
  EXPECT_TRUE(sampleValues(empty).empty());
}

TEST(VolumeRenderPresets, CtPointsAreSlicersAndRangePresetsScale) {
  const VolumeRenderPreset* bone = findVolumeRenderPreset(QStringLiteral("CT-Bone"));
  ASSERT_NE(bone, nullptr);
  EXPECT_EQ(bone->scale, VolumeRenderPreset::Scale::Absolute);
  ASSERT_EQ(bone->opacity.size(), 4U);
  EXPECT_DOUBLE_EQ(bone->opacity[2][0], 641.385);  // Slicer's presets.xml
  EXPECT_DOUBLE_EQ(bone->opacity[2][1], 0.715686);
  EXPECT_TRUE(bone->shade);
  // Absolute presets do not move.
  EXPECT_DOUBLE_EQ(bone->resolved(0.0, 1.0).opacity[2][0], 641.385);

  for (const char* name :
       {"CT-Soft tissue", "CT-Lung/air", "MIP", "PET hot iron MIP", "MR default"}) {
    EXPECT_NE(findVolumeRenderPreset(QString::fromUtf8(name)), nullptr) << name;
  }
  const VolumeRenderPreset* pet = findVolumeRenderPreset(QStringLiteral("PET hot iron MIP"));
  ASSERT_NE(pet, nullptr);
  EXPECT_EQ(pet->blend, VolumeRenderPreset::Blend::MaximumIntensity);
  const VolumeRenderPreset r = pet->resolved(0.0, 10.0);
  EXPECT_EQ(r.scale, VolumeRenderPreset::Scale::Absolute);
  EXPECT_DOUBLE_EQ(r.opacity.front()[0], 0.0);
  EXPECT_DOUBLE_EQ(r.opacity.back()[0], 10.0);
  EXPECT_DOUBLE_EQ(r.colour[1][0], 3.5);
  for (const VolumeRenderPreset& p : volumeRenderPresets()) {
    for (std::size_t i = 1; i < p.opacity.size(); ++i) {
      EXPECT_LT(p.opacity[i - 1][0], p.opacity[i][0]) << p.name.toStdString();
    }
    for (std::size_t i = 1; i < p.colour.size(); ++i) {
      EXPECT_LT(p.colour[i - 1][0], p.colour[i][0]) << p.name.toStdString();
    }
  }
  EXPECT_EQ(defaultVolumeRenderPresetName(QStringLiteral("CT")), QStringLiteral("CT-Bone"));
  EXPECT_EQ(defaultVolumeRenderPresetName(QStringLiteral("PT")),
            QStringLiteral("PET hot iron MIP"));
  EXPECT_EQ(defaultVolumeRenderPresetName(QStringLiteral("MR")), QStringLiteral("MR default"));
  EXPECT_EQ(defaultVolumeRenderPresetName(QStringLiteral("XA")), QStringLiteral("MIP"));
}

TEST(WindowLevelPresets, PercentRankInvertsPercentileAndMapsWindowsAcrossAGain) {
  ValueSample a;
  for (int i = 0; i <= 100; ++i) a.sorted.push_back(static_cast<float>(i));  // 0..100
  EXPECT_DOUBLE_EQ(a.percentRank(25.0), 25.0);
  EXPECT_DOUBLE_EQ(a.percentRank(25.5), 25.5);
  EXPECT_DOUBLE_EQ(a.percentRank(-3.0), 0.0);
  EXPECT_DOUBLE_EQ(a.percentRank(300.0), 100.0);
  for (double p : {0.0, 12.5, 50.0, 99.0}) EXPECT_NEAR(a.percentRank(a.percentile(p)), p, 1e-9);
  // B = 3 A + 40: the window 20..60 of A is 100..220 of B.
  ValueSample b;
  for (float v : a.sorted) b.sorted.push_back(3.0f * v + 40.0f);
  const WindowLevel mapped = mapWindowByPercentiles({40.0, 40.0}, a, b);
  EXPECT_NEAR(mapped.window, 120.0, 1e-9);
  EXPECT_NEAR(mapped.level, 160.0, 1e-9);
  // Without a sample there is nothing to match: the window is kept.
  const WindowLevel kept = mapWindowByPercentiles({40.0, 40.0}, ValueSample{}, b);
  EXPECT_DOUBLE_EQ(kept.window, 40.0);
}

}  // namespace
}  // namespace harmonia
