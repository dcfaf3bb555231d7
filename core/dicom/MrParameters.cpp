#include "core/dicom/MrParameters.h"

#include "core/dicom/ValueConversion.h"

namespace harmonia {

MrParameters readMrParameters(const DicomHeader& h) {
  MrParameters p;
  p.repetitionTime_ms = h.number(tag::RepetitionTime);
  p.echoTime_ms = h.number(tag::EchoTime);
  if (!p.echoTime_ms) p.echoTime_ms = h.number(tag::EffectiveEchoTime);
  p.inversionTime_ms = h.number(tag::InversionTime);
  p.flipAngle_deg = h.number(tag::FlipAngle);
  p.fieldStrength_T = h.number(tag::MagneticFieldStrength);
  // Some old files store the field strength in gauss.
  if (p.fieldStrength_T && *p.fieldStrength_T > 100) *p.fieldStrength_T /= 10000.0;
  p.scanningSequence = h.text(tag::ScanningSequence);
  p.sequenceVariant = h.text(tag::SequenceVariant);
  p.sequenceName = h.text(tag::SequenceName);
  if (p.sequenceName.empty()) p.sequenceName = h.text(tag::PulseSequenceName);
  p.acquisitionType = h.text(tag::MrAcquisitionType);
  p.manufacturer = h.text(tag::Manufacturer);
  p.model = h.text(tag::ManufacturerModelName);
  return p;
}

void MrParameters::addTo(MetaData& m) const {
  const auto put = [&](const char* key, const std::optional<double>& v) {
    if (v) m[key] = formatNumber(*v);
  };
  put("mr.TR_ms", repetitionTime_ms);
  put("mr.TE_ms", echoTime_ms);
  put("mr.TI_ms", inversionTime_ms);
  put("mr.flip_deg", flipAngle_deg);
  put("mr.field_T", fieldStrength_T);
  if (!scanningSequence.empty()) m["mr.scanning_sequence"] = scanningSequence;
  if (!sequenceVariant.empty()) m["mr.sequence_variant"] = sequenceVariant;
  if (!sequenceName.empty()) m["mr.sequence_name"] = sequenceName;
  if (!acquisitionType.empty()) m["mr.acquisition_type"] = acquisitionType;
}

}  // namespace harmonia
