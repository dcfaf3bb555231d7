#pragma once
// How stored pixel values become physical values, and the record of why.
//
// Every conversion Harmonia applies to DICOM pixels is linear per slice:
//     value = slice_scale[k] * stored + slice_offset[k]
// The record lists each input (value, unit, which attribute it came from) and
// each decision, so the UI can show how a number was made.

#include <string>
#include <vector>

namespace harmonia {

/// One input or decision of a conversion.
struct ConversionStep {
  std::string quantity;  ///< what ("Injected dose", "Reference time"...)
  std::string value;     ///< with its unit ("368.08 MBq = 3.6808e+08 Bq")
  std::string source;    ///< where it came from and why ("Radionuclide Total Dose (0018,1074)...")
};

/// A per-slice linear conversion and its explanation.
struct ValueConversion {
  std::string units;   ///< output units: "HU", "SUVbw g/ml", "" (arbitrary, e.g. MR)
  std::string method;  ///< one line: the formula applied
  std::vector<ConversionStep> steps;
  std::vector<std::string> warnings;
  std::vector<double> slice_scale;   ///< per slice k (sorted order)
  std::vector<double> slice_offset;  ///< per slice k

  /// Appends a step.
  void add(std::string quantity, std::string value, std::string source) {
    steps.push_back({std::move(quantity), std::move(value), std::move(source)});
  }
  /// Multi-line readable explanation (method, steps, warnings).
  [[nodiscard]] std::string explanation() const;
};

/// Formats a number with `digits` significant digits.
std::string formatNumber(double v, int digits = 6);

}  // namespace harmonia
