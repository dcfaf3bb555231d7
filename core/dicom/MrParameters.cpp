#include "core/dicom/MrParameters.h"

#include "core/dicom/ValueConversion.h"

namespace harmonia {

MrParameters readMrParameters(const DicomHeader& h) {
  MrParameters p;
  p.repetition_time_ms = h.number(tag::RepetitionTime);
  p.echo_time_ms = h.number(tag::EchoTime);
  if (!p.echo_time_ms) p.echo_time_ms = h.number(tag::EffectiveEchoTime);
  p.inversion_time_ms = h.number(tag::InversionTime);
  p.flip_angle_deg = h.number(tag::FlipAngle);
  p.field_strength_t = h.number(tag::MagneticFieldStrength);
  // Some old files store the field strength in gauss.
  if (p.field_strength_t && *p.field_strength_t > 100) *p.field_strength_t /= 10000.0;
  p.scanning_sequence = h.text(tag::ScanningSequence);
  p.sequence_variant = h.text(tag::SequenceVariant);
  p.sequence_name = h.text(tag::SequenceName);
  if (p.sequence_name.empty()) p.sequence_name = h.text(tag::PulseSequenceName);
  p.acquisition_type = h.text(tag::MrAcquisitionType);
  p.manufacturer = h.text(tag::Manufacturer);
  p.model = h.text(tag::ManufacturerModelName);
  return p;
}

void MrParameters::addTo(MetaData& m) const {
  const auto put = [&](const char* key, const std::optional<double>& v) {
    if (v) m[key] = formatNumber(*v);
  };
  put("mr.TR_ms", repetition_time_ms);
  put("mr.TE_ms", echo_time_ms);
  put("mr.TI_ms", inversion_time_ms);
  put("mr.flip_deg", flip_angle_deg);
  put("mr.field_T", field_strength_t);
  if (!scanning_sequence.empty()) m["mr.scanning_sequence"] = scanning_sequence;
  if (!sequence_variant.empty()) m["mr.sequence_variant"] = sequence_variant;
  if (!sequence_name.empty()) m["mr.sequence_name"] = sequence_name;
  if (!acquisition_type.empty()) m["mr.acquisition_type"] = acquisition_type;
}

}  // namespace harmonia
