#pragma once
// MR acquisition parameters: what sets MR contrast. MR values have no
// physical unit; Harmonia keeps them raw and shows these alongside.

#include <optional>
#include <string>

#include "core/dicom/DicomHeader.h"
#include "core/image/MetaData.h"

namespace harmonia {

/// Contrast-defining parameters of an MR series (absent when not in the file).
struct MrParameters {
  std::optional<double> repetition_time_ms;  ///< TR (0018,0080)
  std::optional<double> echo_time_ms;        ///< TE (0018,0081), or Effective Echo Time
  std::optional<double> inversion_time_ms;   ///< TI (0018,0082)
  std::optional<double> flip_angle_deg;      ///< (0018,1314)
  std::optional<double> field_strength_t;    ///< Magnetic Field Strength (0018,0087), tesla
  std::string scanning_sequence;             ///< SE, GR, IR, EP... (0018,0020)
  std::string sequence_variant;              ///< (0018,0021)
  std::string sequence_name;                 ///< Sequence Name or Pulse Sequence Name
  std::string acquisition_type;              ///< 2D / 3D (0018,0023)
  std::string manufacturer;
  std::string model;

  /// Adds "mr.*" keys (TR_ms, TE_ms, TI_ms, flip_deg, field_T, sequence...) to `m`.
  void addTo(MetaData& m) const;
};

/// Reads the MR parameters of a header (enhanced objects: from their functional groups).
MrParameters readMrParameters(const DicomHeader& header);

}  // namespace harmonia
