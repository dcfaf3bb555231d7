#include "core/dicom/SeriesDetails.h"

#include <algorithm>
#include <cmath>

#include "core/dicom/SeriesLoader.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

constexpr const char* kAbsent = "(absent)";

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string s;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!s.empty()) s += separator;
    s += p;
  }
  return s;
}

// Multi-valued text ("A\B") as "A, B", each value trimmed.
std::string listText(const std::string& value) {
  std::vector<std::string> parts;
  for (const std::string& p : splitDicomValues(value)) parts.push_back(trimDicom(p));
  return joined(parts, ", ");
}

std::string withUnit(const std::string& number, const char* unit) {
  return *unit ? number + " " + unit : number;
}

// "a" when every value is the same, else "min ... max (varies per slice)".
std::string rangeText(const std::vector<double>& values) {
  if (values.empty()) return kAbsent;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (*lo == *hi) return formatNumber(*lo);
  return formatNumber(*lo) + " ... " + formatNumber(*hi) + " (varies per slice)";
}

// Collects the attributes of one section.
class Section {
 public:
  Section(std::vector<KeyAttribute>& out, const DicomHeader& header, std::string name,
          bool listAbsent)
      : out_(out), h_(header), name_(std::move(name)), listAbsent_(listAbsent) {}

  // A number (or several, "a x b") with a unit.
  void number(const char* label, const DicomTag& t, const char* unit) {
    const std::vector<double> v = h_.numbers(t);
    std::vector<std::string> parts;
    parts.reserve(v.size());
    for (double x : v) parts.push_back(formatNumber(x));
    put(label, parts.empty() ? "" : withUnit(joined(parts, " x "), unit), t.label());
  }
  // Text as stored (multi-values joined with ", ").
  void text(const char* label, const DicomTag& t) { put(label, listText(h_.text(t)), t.label()); }
  // A value worked out by the caller.
  void put(const std::string& label, const std::string& value, const std::string& source) {
    if (value.empty() && !listAbsent_) return;
    KeyAttribute a;
    a.section = name_;
    a.name = label;
    a.present = !value.empty();
    a.value = a.present ? value : kAbsent;
    a.source = source;
    out_.push_back(std::move(a));
  }

 private:
  std::vector<KeyAttribute>& out_;
  const DicomHeader& h_;
  std::string name_;
  bool listAbsent_;
};

std::string secondsText(const std::optional<double>& s) {
  if (!s) return "";
  return formatNumber(*s) + " s (" + formatNumber(*s / 60.0, 4) + " min)";
}

}  // namespace

std::string formatDicomTime(const std::string& tm) {
  std::string t = trimDicom(tm);
  const std::size_t digits = t.find_first_not_of("0123456789");
  const std::size_t n = digits == std::string::npos ? t.size() : digits;
  if (n != 6 || (digits != std::string::npos && t[digits] != '.')) return t;
  return t.substr(0, 2) + ":" + t.substr(2, 2) + ":" + t.substr(4);
}

std::string formatDicomDateTime(const std::string& dt) {
  std::string t = trimDicom(dt);
  if (t.size() < 14 || t.find_first_not_of("0123456789") < 14) return t;
  return formatDicomDate(t.substr(0, 8)) + " " + formatDicomTime(t.substr(8));
}

std::string formatDicomDate(const std::string& da) {
  std::string d = trimDicom(da);
  const bool digits =
      d.size() == 8 && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return d;
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

SeriesOverview overviewOf(const SeriesInfo& series) {
  SeriesOverview o;
  o.scanner = joined({series.manufacturer, series.model}, " ");
  if (series.slices.empty()) return o;
  const DicomHeader& h = *series.slices.front().header;
  o.kernel = listText(h.text(tag::ConvolutionKernel));
  if (const auto t = h.number(tag::SliceThickness)) o.slice_thickness = formatNumber(*t, 4) + " mm";
  if (const auto& ps = series.slices.front().frameHeader().pixel_spacing_mm) {
    const std::string rows = formatNumber((*ps)[0], 4);
    const std::string columns = formatNumber((*ps)[1], 4);
    o.pixel_spacing = rows == columns ? rows + " mm" : rows + " x " + columns + " mm";
  }
  o.images = std::to_string(series.sliceCount());
  if (series.file_count == 1 && series.sliceCount() > 1) {
    o.images = "1 file, " + o.images + " frames";
  }
  std::string date = series.series_date;
  if (trimDicom(date).empty()) date = h.text(tag::StudyDate);
  if (trimDicom(date).empty()) date = h.text(tag::AcquisitionDate);
  o.date = formatDicomDate(date);
  return o;
}

std::vector<KeyAttribute> harmonizationAttributes(const SeriesInfo& series) {
  std::vector<KeyAttribute> out;
  if (series.slices.empty()) return out;
  const DicomHeader& h = *series.slices.front().header;
  const std::string& modality = series.modality;

  Section scanner(out, h, "Scanner", true);
  scanner.text("Modality", tag::Modality);
  scanner.text("Manufacturer", tag::Manufacturer);
  scanner.text("Model", tag::ManufacturerModelName);

  Section geometry(out, h, "Geometry", true);
  const auto& ps = series.slices.front().frameHeader().pixel_spacing_mm;
  geometry.put("Pixel spacing",
               ps ? formatNumber((*ps)[0]) + " x " + formatNumber((*ps)[1]) +
                        " mm (between rows x between columns)"
                  : "",
               tag::PixelSpacing.label());
  geometry.number("Slice thickness", tag::SliceThickness, "mm");
  Section optionalGeometry(out, h, "Geometry", false);
  optionalGeometry.number("Spacing between slices", tag::SpacingBetweenSlices, "mm");
  if (series.sliceCount() > 1) {
    geometry.put("Slice spacing (measured)",
                 formatNumber(series.geometry.median_gap_mm) + " mm" +
                     (series.geometry.uniform_spacing ? "" : " median, not uniform"),
                 "Image Position (Patient) (0020,0032) of the sorted slices");
  }
  geometry.put("Image size",
               std::to_string(h.columns) + " x " + std::to_string(h.rows) + " x " +
                   std::to_string(series.sliceCount()),
               "Columns x Rows x slices");

  Section values(out, h, "Values", true);
  std::vector<double> slopes;
  std::vector<double> intercepts;
  bool anyRescale = false;
  for (const DicomSlice& s : series.slices) {
    slopes.push_back(s.frameHeader().rescale_slope);
    intercepts.push_back(s.frameHeader().rescale_intercept);
    anyRescale |= s.frameHeader().has_rescale;
  }
  values.put("Rescale slope", anyRescale ? rangeText(slopes) : "", tag::RescaleSlope.label());
  values.put("Rescale intercept", anyRescale ? rangeText(intercepts) : "",
             tag::RescaleIntercept.label());
  Section optionalValues(out, h, "Values", false);
  optionalValues.text("Rescale type", tag::RescaleType);
  if (modality != "PT") optionalValues.text("Units", tag::Units);

  // A modality's own section lists every attribute; other modalities'
  // sections are left out (a CT's patient weight is no SUV input), except for
  // modalities Harmonia has no section for, which get whatever is present.
  const bool otherModality = modality != "CT" && modality != "PT" && modality != "MR";
  std::vector<KeyAttribute> skipped;
  const auto sectionOut = [&](bool own) -> std::vector<KeyAttribute>& {
    return own || otherModality ? out : skipped;
  };

  Section ct(sectionOut(modality == "CT"), h, "CT", modality == "CT");
  ct.text("Reconstruction kernel", tag::ConvolutionKernel);
  ct.number("Tube voltage", tag::KVP, "kV");

  Section pet(sectionOut(modality == "PT"), h, "PET / SUV", modality == "PT");
  pet.text("Units", tag::Units);
  pet.text("SUV type", tag::SuvType);
  pet.text("Decay correction", tag::DecayCorrection);
  pet.number("Injected dose", tag::RadionuclideTotalDose, "Bq");
  pet.put("Half-life", secondsText(h.number(tag::RadionuclideHalfLife)),
          tag::RadionuclideHalfLife.label());
  pet.text("Radionuclide", tag::RadionuclideCodeSequence);
  const auto time = [&](const char* label, const DicomTag& t) {
    pet.put(label, formatDicomTime(h.text(t)), t.label());
  };
  time("Injection time", tag::RadiopharmaceuticalStartTime);
  pet.put("Injection date and time",
          formatDicomDateTime(h.text(tag::RadiopharmaceuticalStartDateTime)),
          tag::RadiopharmaceuticalStartDateTime.label());
  pet.put("Series date", formatDicomDate(h.text(tag::SeriesDate)), tag::SeriesDate.label());
  time("Series time", tag::SeriesTime);
  time("Acquisition time", tag::AcquisitionTime);
  pet.number("Patient weight", tag::PatientWeight, "kg");
  pet.number("Patient height", tag::PatientSize, "m");
  pet.text("Patient sex", tag::PatientSex);
  pet.number("Decay factor", tag::DecayFactor, "");
  Section philips(sectionOut(modality == "PT"), h, "PET / SUV", false);
  philips.number("Philips SUV scale factor", tag::PhilipsSuvScaleFactor, "");
  philips.number("Philips activity scale factor", tag::PhilipsActivityScaleFactor, "Bq/ml");

  Section mr(sectionOut(modality == "MR"), h, "MR", modality == "MR");
  const MrParameters p = readMrParameters(h);
  const auto ms = [](const std::optional<double>& v) {
    return v ? formatNumber(*v) + " ms" : std::string();
  };
  mr.put("Repetition time (TR)", ms(p.repetition_time_ms), tag::RepetitionTime.label());
  mr.put("Echo time (TE)", ms(p.echo_time_ms), tag::EchoTime.label());
  mr.put("Inversion time (TI)", ms(p.inversion_time_ms), tag::InversionTime.label());
  mr.put("Flip angle", p.flip_angle_deg ? formatNumber(*p.flip_angle_deg) + " deg" : "",
         tag::FlipAngle.label());
  mr.put("Field strength", p.field_strength_t ? formatNumber(*p.field_strength_t) + " T" : "",
         tag::MagneticFieldStrength.label());
  mr.put("Scanning sequence", listText(p.scanning_sequence), tag::ScanningSequence.label());
  mr.put("Sequence variant", listText(p.sequence_variant), tag::SequenceVariant.label());
  mr.put("Sequence name", p.sequence_name, tag::SequenceName.label());
  mr.put("Acquisition type", p.acquisition_type, tag::MrAcquisitionType.label());
  return out;
}

SeriesDetails describeSeries(const SeriesInfo& series, Progress& progress) {
  SeriesDetails d;
  d.series_id = series.id;
  d.key_attributes = harmonizationAttributes(series);
  progress.throwIfCancelled();
  if (series.slices.empty()) {
    d.tags_error = "the series has no slices";
    d.conversion_error = d.tags_error;
    return d;
  }
  d.first_file = series.slices.front().header->file;
  try {
    d.tags = dumpTags(d.first_file);
  } catch (const InputError& e) {
    d.tags_error = e.what();
  }
  progress.report(0.5);
  progress.throwIfCancelled();
  try {
    d.conversion = SeriesLoader(series).conversion();
  } catch (const InputError& e) {
    d.conversion_error = e.what();
  }
  progress.report(1.0);
  return d;
}

}  // namespace harmonia
