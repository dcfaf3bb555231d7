#pragma once
// IBSI 1 reference values and the digital phantom, for the feature tests.
//
// The reference tables (../shared/data/ibsi/reference/*.csv, columns dataset,
// family, feature, consensus, reference value, tolerance, ..., tag) are the
// IBSI consensus values. Tests that need them skip with a clear message when
// ../shared/data is absent.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/features/FeatureSet.h"
#include "core/features/PreparedRoi.h"
#include "core/io/ImageIO.h"

namespace harmonia::test {

inline std::filesystem::path ibsiDataDir() {
  return std::filesystem::path(HARMONIA_SHARED_DATA) / "ibsi";
}

/// Skips the test when the IBSI data is absent.
#define HARMONIA_REQUIRE_IBSI_DATA()                                               \
  do {                                                                             \
    if (!std::filesystem::exists(::harmonia::test::ibsiDataDir() / "reference"))   \
      GTEST_SKIP() << "IBSI data not found at " << ::harmonia::test::ibsiDataDir() \
                   << " (../shared/data is absent in this checkout)";              \
  } while (0)

struct IbsiReference {
  std::string tag;
  std::string family;  ///< the table's family column, e.g. "Morphology"
  double value = 0.0;
  double tolerance = 0.0;
  std::string published;  ///< the reference value as printed in the table
};

/// Half a unit in the last printed digit of a published value ("0.698" ->
/// 0.0005, "556" -> 0.5, "1.53e+03" -> 5, "6000" -> 5). IBSI publishes values
/// whose tolerance is 0 rounded to 3 significant digits, so a value agrees
/// with such a reference when it rounds to it.
inline double halfLastDigit(const std::string& published) {
  std::string mantissa = published;
  int exponent = 0;
  const auto e = published.find_first_of("eE");
  if (e != std::string::npos) {
    mantissa = published.substr(0, e);
    exponent = std::atoi(published.c_str() + e + 1);
  }
  const auto dot = mantissa.find('.');
  int lastDigitPower = 0;
  if (dot != std::string::npos) {
    lastDigitPower = -static_cast<int>(mantissa.size() - dot - 1);
  } else {
    // An integer: trailing zeros beyond 3 significant digits are not significant.
    int digits = 0;
    int trailingZeros = 0;
    for (char c : mantissa) {
      if (c < '0' || c > '9') continue;
      ++digits;
      trailingZeros = c == '0' ? trailingZeros + 1 : 0;
    }
    lastDigitPower = std::min(trailingZeros, std::max(0, digits - 3));
  }
  return 0.5 * std::pow(10.0, lastDigitPower + exponent);
}

/// Splits one CSV line, honouring double quotes.
inline std::vector<std::string> splitCsvLine(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.push_back(cell);
      cell.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  cells.push_back(cell);
  return cells;
}

/// The rows of a reference table that have a numeric reference value.
/// `name` is "digital_phantom", "config_A" or "config_C".
inline std::vector<IbsiReference> readIbsiReference(const std::string& name) {
  const auto path = ibsiDataDir() / "reference" / ("ibsi_1_reference_values_" + name + ".csv");
  std::ifstream in(path);
  std::vector<IbsiReference> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto cells = splitCsvLine(line);
    if (cells.size() < 10) continue;
    char* end = nullptr;
    const double value = std::strtod(cells[4].c_str(), &end);
    if (cells[4].empty() || end == cells[4].c_str()) continue;  // no reference value
    IbsiReference r;
    r.family = cells[1];
    r.value = value;
    r.tolerance = std::strtod(cells[5].c_str(), nullptr);
    r.tag = cells.back();
    r.published = cells[4];
    rows.push_back(r);
  }
  return rows;
}

/// Compares every reference whose tag starts with one of `prefixes` (all when
/// empty) with `features`. Prints the count within tolerance and lists every
/// feature outside it or missing; returns the number outside or missing.
inline int compareWithIbsi(const features::FeatureSet& features,
                           const std::vector<IbsiReference>& references,
                           const std::vector<std::string>& prefixes, const std::string& label) {
  int checked = 0;
  int bad = 0;
  std::ostringstream report;
  for (const IbsiReference& r : references) {
    if (!prefixes.empty() &&
        std::none_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& p) { return r.tag.rfind(p, 0) == 0; }))
      continue;
    ++checked;
    const features::Feature* f = features.find(r.tag);
    if (f == nullptr) {
      ++bad;
      report << "  " << r.tag << ": missing (reference " << r.value << ")\n";
      continue;
    }
    // IBSI: a value is within tolerance when |ours - reference| <= tolerance.
    // A zero tolerance means the value is exact up to the published rounding
    // (3 significant digits).
    const double slack = r.tolerance > 0.0 ? r.tolerance + 1e-9 * std::max(1.0, std::abs(r.value))
                                           : halfLastDigit(r.published) * (1.0 + 1e-9);
    if (!f->defined() || !(std::abs(f->value - r.value) <= slack)) {
      ++bad;
      report << "  " << r.tag << ": " << (f->defined() ? std::to_string(f->value) : f->reason)
             << " vs reference " << r.value << " +/- " << r.tolerance << "\n";
    }
  }
  std::cout << "[IBSI " << label << "] " << (checked - bad) << " of " << checked
            << " features within tolerance\n"
            << report.str();
  return bad + (checked == 0 ? 1 : 0);
}

/// The IBSI digital phantom as a PreparedRoi, built directly from its files:
/// no interpolation, no re-segmentation, its values are its grey levels
/// (IBSI: "discretisation is not required"), the whole 5x4x4 grid kept.
inline features::PreparedRoi digitalPhantomRoi() {
  features::PreparedRoi roi;
  roi.image = readVolume(ibsiDataDir() / "digital_phantom" / "nifti" / "image" / "phantom.nii.gz");
  roi.morphological_mask =
      readMask(ibsiDataDir() / "digital_phantom" / "nifti" / "mask" / "mask.nii.gz");
  for (auto& m : roi.morphological_mask.voxels()) m = m != 0 ? 1 : 0;
  roi.intensity_mask = roi.morphological_mask;
  features::GreyLevelVolume& g = roi.grey_levels;
  g.size = roi.image.geometry().size;
  g.spacing_mm = roi.image.geometry().spacing_mm;
  g.levels.resize(roi.image.voxelCount());
  g.morphological.resize(roi.image.voxelCount());
  for (std::size_t n = 0; n < g.levels.size(); ++n) {
    const bool in = roi.intensity_mask.voxels()[n] != 0;
    g.levels[n] = in ? static_cast<std::int32_t>(std::lround(roi.image.voxels()[n])) : 0;
    g.morphological[n] = in ? 1 : 0;
    g.level_count = std::max(g.level_count, g.levels[n]);
  }
  roi.bin_width = 1.0;
  roi.bin_lower_bound = 0.5;
  return roi;
}

/// The IBSI CT phantom in configuration A (theibsi/ibsi-doc
/// docs/05_Reference_data_sets.rst: no interpolation, re-segmentation to
/// [-500, 400] HU, FBS with w = 25 HU from -500 HU), built by hand so that
/// the family tests do not depend on the processing chain: cropped to the
/// mask's bounding box widened by kLocalIntensityMargin_mm, morphological
/// mask = the mask, intensity mask = the mask within [-500, 400] HU, grey
/// level floor((HU + 500) / 25) + 1.
inline features::PreparedRoi ctPhantomConfigARoi() {
  const auto dir = ibsiDataDir() / "ct_phantom" / "nifti";
  const Volume full = readVolume(dir / "image" / "phantom.nii.gz");
  const MaskVolume fullMask = readMask(dir / "mask" / "mask.nii.gz");
  const Geometry3D& geo = full.geometry();
  std::array<int, 3> lo{geo.size[0], geo.size[1], geo.size[2]}, hi{-1, -1, -1};
  for (int k = 0; k < geo.size[2]; ++k)
    for (int j = 0; j < geo.size[1]; ++j)
      for (int i = 0; i < geo.size[0]; ++i)
        if (fullMask.at(i, j, k) != 0) {
          lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
          hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
        }
  for (int a = 0; a < 3; ++a) {
    const int margin =
        static_cast<int>(std::ceil(features::kLocalIntensityMargin_mm / geo.spacing_mm[a]));
    lo[a] = std::max(0, lo[a] - margin);
    hi[a] = std::min(geo.size[a] - 1, hi[a] + margin);
  }
  Geometry3D crop = geo;
  crop.size = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
  features::PreparedRoi roi;
  roi.image = Volume(crop);
  roi.morphological_mask = MaskVolume(crop);
  roi.intensity_mask = MaskVolume(crop);
  features::GreyLevelVolume& g = roi.grey_levels;
  g.size = crop.size;
  g.spacing_mm = crop.spacing_mm;
  g.levels.assign(crop.voxelCount(), 0);
  g.morphological.assign(crop.voxelCount(), 0);
  for (int k = 0; k < crop.size[2]; ++k)
    for (int j = 0; j < crop.size[1]; ++j)
      for (int i = 0; i < crop.size[0]; ++i) {
        const std::size_t n = roi.image.index(i, j, k);
        const float x = std::nearbyint(full.at(i + lo[0], j + lo[1], k + lo[2]));
        const bool in = fullMask.at(i + lo[0], j + lo[1], k + lo[2]) != 0;
        roi.image.voxels()[n] = x;
        roi.morphological_mask.voxels()[n] = in ? 1 : 0;
        g.morphological[n] = in ? 1 : 0;
        if (!in || x < -500.0F || x > 400.0F) continue;
        roi.intensity_mask.voxels()[n] = 1;
        g.levels[n] = static_cast<std::int32_t>(std::floor((x + 500.0) / 25.0)) + 1;
        g.level_count = std::max(g.level_count, static_cast<int>(g.levels[n]));
      }
  roi.bin_width = 25.0;
  roi.bin_lower_bound = -500.0;
  return roi;
}

}  // namespace harmonia::test
