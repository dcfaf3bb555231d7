#include "core/dicom/CtRescale.h"

#include <algorithm>

namespace harmonia {
namespace {

// Fills the per-slice slope/intercept and summarises their ranges.
void applyRescale(const std::vector<DicomSlice>& slices, ValueConversion& c, bool& anyMissing) {
  anyMissing = false;
  double sMin = 1e300;
  double sMax = -1e300;
  double iMin = 1e300;
  double iMax = -1e300;
  for (const DicomSlice& s : slices) {
    const FrameHeader& f = s.frameHeader();
    if (!f.has_rescale) anyMissing = true;
    c.slice_scale.push_back(f.rescale_slope);
    c.slice_offset.push_back(f.rescale_intercept);
    sMin = std::min(sMin, f.rescale_slope);
    sMax = std::max(sMax, f.rescale_slope);
    iMin = std::min(iMin, f.rescale_intercept);
    iMax = std::max(iMax, f.rescale_intercept);
  }
  if (slices.empty()) return;
  const auto range = [](double a, double b) {
    return a == b ? formatNumber(a) : formatNumber(a) + " to " + formatNumber(b) + " (per slice)";
  };
  c.add("Rescale Slope", range(sMin, sMax), tag::RescaleSlope.label());
  c.add("Rescale Intercept", range(iMin, iMax), tag::RescaleIntercept.label());
}

}  // namespace

ValueConversion hounsfieldConversion(const std::vector<DicomSlice>& slices) {
  ValueConversion c;
  c.units = "HU";
  c.method = "CT: HU = Rescale Slope x stored value + Rescale Intercept, per slice";
  bool missing = false;
  applyRescale(slices, c, missing);
  if (missing) {
    c.warnings.push_back(
        "some slices have no Rescale Slope/Intercept: their stored values are "
        "taken as HU (slope 1, intercept 0)");
  }
  if (!slices.empty()) {
    const std::string type = slices.front().header->text(tag::RescaleType);
    if (!type.empty() && type != "HU") {
      c.warnings.push_back("Rescale Type (0028,1054) is '" + type + "', not HU");
    }
  }
  return c;
}

ValueConversion modalityRescale(const std::vector<DicomSlice>& slices, const std::string& units) {
  ValueConversion c;
  c.units = units;
  c.method = "stored value x Rescale Slope + Rescale Intercept when present (no physical unit)";
  bool missing = false;
  applyRescale(slices, c, missing);
  return c;
}

}  // namespace harmonia
