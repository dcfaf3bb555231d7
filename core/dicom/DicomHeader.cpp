#include "core/dicom/DicomHeader.h"

#include <gdcmDataSet.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmTrace.h>
#include <gdcmTransferSyntax.h>

#include <Eigen/Geometry>
#include <cstdlib>
#include <initializer_list>
#include <set>

#include "core/util/Error.h"

namespace harmonia {
namespace {

gdcm::Tag gdcmTag(const DicomTag& t) { return gdcm::Tag(t.group, t.element); }

// The raw bytes of a non-sequence element, or nullopt when absent.
std::optional<std::string> rawOf(const gdcm::DataSet& ds, const gdcm::Tag& t) {
  if (!ds.FindDataElement(t)) return std::nullopt;
  const gdcm::DataElement& de = ds.GetDataElement(t);
  if (de.IsEmpty()) return std::string();
  const gdcm::ByteValue* bv = de.GetByteValue();
  if (!bv) return std::nullopt;
  return std::string(bv->GetPointer(), bv->GetLength());
}

// An unsigned short (US) attribute, little endian.
int usOf(const gdcm::DataSet& ds, const DicomTag& t, int fallback) {
  const auto raw = rawOf(ds, gdcmTag(t));
  if (!raw || raw->size() < 2) return fallback;
  const auto* b = reinterpret_cast<const unsigned char*>(raw->data());
  return b[0] | (b[1] << 8);
}

// The first item of a sequence, or nullptr.
const gdcm::DataSet* firstItem(const gdcm::DataSet& ds, std::uint16_t g, std::uint16_t e,
                               gdcm::SmartPointer<gdcm::SequenceOfItems>& keep) {
  const gdcm::Tag t(g, e);
  if (!ds.FindDataElement(t)) return nullptr;
  keep = ds.GetDataElement(t).GetValueAsSQ();
  if (!keep || keep->GetNumberOfItems() < 1) return nullptr;
  return &keep->GetItem(1).GetNestedDataSet();
}

void copyStrings(const gdcm::DataSet& ds, std::initializer_list<DicomTag> tags, TagValues& out,
                 bool overwrite) {
  for (const DicomTag& t : tags) {
    if (!overwrite && out.count(t.key())) continue;
    if (auto v = rawOf(ds, gdcmTag(t))) out[t.key()] = *v;
  }
}

std::vector<double> numbersIn(const std::string& s) {
  std::vector<double> out;
  for (const std::string& part : splitDicomValues(s)) {
    const std::string p = trimDicom(part);
    if (p.empty()) continue;
    char* end = nullptr;
    const double v = std::strtod(p.c_str(), &end);
    if (end == p.c_str()) return {};
    out.push_back(v);
  }
  return out;
}

// Reads position, orientation, spacing and rescale found directly in `ds`
// (the top level, or one functional-group macro item).
void readFrameAttributes(const gdcm::DataSet& ds, FrameHeader& f) {
  if (auto v = rawOf(ds, gdcmTag(tag::ImagePositionPatient))) {
    const auto n = numbersIn(*v);
    if (n.size() == 3) f.position_mm = Eigen::Vector3d(n[0], n[1], n[2]);
  }
  if (auto v = rawOf(ds, gdcmTag(tag::ImageOrientationPatient))) {
    const auto n = numbersIn(*v);
    if (n.size() == 6) f.orientation = std::array<double, 6>{n[0], n[1], n[2], n[3], n[4], n[5]};
  }
  if (auto v = rawOf(ds, gdcmTag(tag::PixelSpacing))) {
    const auto n = numbersIn(*v);
    if (n.size() == 2) f.pixel_spacing_mm = Eigen::Vector2d(n[0], n[1]);
  }
  if (auto v = rawOf(ds, gdcmTag(tag::RescaleSlope))) {
    const auto n = numbersIn(*v);
    if (!n.empty()) {
      f.rescale_slope = n[0];
      f.has_rescale = true;
    }
  }
  if (auto v = rawOf(ds, gdcmTag(tag::RescaleIntercept))) {
    const auto n = numbersIn(*v);
    if (!n.empty()) {
      f.rescale_intercept = n[0];
      f.has_rescale = true;
    }
  }
}

// Applies one functional-groups item (shared or per-frame) to a frame, and
// lifts the MR timing attributes to the file level.
void applyFunctionalGroups(const gdcm::DataSet& groups, FrameHeader& f, TagValues& values) {
  gdcm::SmartPointer<gdcm::SequenceOfItems> keep;
  for (auto [g, e] : {std::pair<std::uint16_t, std::uint16_t>{0x0020, 0x9113},  // plane position
                      {0x0020, 0x9116},                                         // plane orientation
                      {0x0028, 0x9110},                                         // pixel measures
                      {0x0028, 0x9145}}) {  // pixel value transformation
    if (const gdcm::DataSet* item = firstItem(groups, g, e, keep)) readFrameAttributes(*item, f);
  }
  if (const gdcm::DataSet* item = firstItem(groups, 0x0020, 0x9111, keep)) {  // frame content
    if (auto v = rawOf(*item, gdcm::Tag(0x0018, 0x9074))) f.acquisition_date_time = trimDicom(*v);
  }
  if (const gdcm::DataSet* item = firstItem(groups, 0x0028, 0x9110, keep)) {
    copyStrings(*item, {tag::SliceThickness, tag::SpacingBetweenSlices}, values, false);
  }
  if (const gdcm::DataSet* item = firstItem(groups, 0x0018, 0x9112, keep)) {  // MR timing
    copyStrings(*item, {tag::RepetitionTime, tag::FlipAngle}, values, false);
  }
  if (const gdcm::DataSet* item = firstItem(groups, 0x0018, 0x9114, keep)) {  // MR echo
    copyStrings(*item, {tag::EffectiveEchoTime}, values, false);
  }
}

// A private attribute at its usual block, or at whichever block of `group`
// the private creator `creator` reserved.
std::optional<std::string> privateValue(const gdcm::DataSet& ds, std::uint16_t group,
                                        const char* creator, std::uint16_t usual) {
  for (std::uint16_t block = 0x10; block <= 0xFF; ++block) {
    const auto c = rawOf(ds, gdcm::Tag(group, block));
    if (!c) continue;
    if (trimDicom(*c) == creator) {
      auto v =
          rawOf(ds, gdcm::Tag(group, static_cast<std::uint16_t>((block << 8) | (usual & 0xFF))));
      if (v) return v;
    }
  }
  return rawOf(ds, gdcm::Tag(group, usual));
}

std::uintmax_t fileSize(const std::filesystem::path& p) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

}  // namespace

std::string trimDicom(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\0')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\0')) --e;
  return s.substr(b, e - b);
}

std::vector<std::string> splitDicomValues(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t bs = s.find('\\', start);
    parts.push_back(s.substr(start, bs == std::string::npos ? std::string::npos : bs - start));
    if (bs == std::string::npos) break;
    start = bs + 1;
  }
  return parts;
}

std::optional<std::string> DicomHeader::value(const DicomTag& t) const {
  const auto it = values.find(t.key());
  if (it == values.end()) return std::nullopt;
  std::string v = trimDicom(it->second);
  if (v.empty()) return std::nullopt;
  return v;
}

std::string DicomHeader::text(const DicomTag& t) const { return value(t).value_or(""); }

std::optional<double> DicomHeader::number(const DicomTag& t) const {
  const auto v = value(t);
  if (!v) return std::nullopt;
  const auto n = numbersIn(*v);
  if (n.empty()) return std::nullopt;
  return n[0];
}

std::vector<double> DicomHeader::numbers(const DicomTag& t) const {
  const auto v = value(t);
  return v ? numbersIn(*v) : std::vector<double>{};
}

bool DicomHeader::isRtStruct() const {
  return text(tag::Modality) == "RTSTRUCT" ||
         text(tag::SopClassUid) == "1.2.840.10008.5.1.4.1.1.481.3";
}

void silenceGdcm() {
  // GDCM prints warnings for every odd file to stderr; we report problems ourselves.
  static const bool once = [] {
    gdcm::Trace::SetDebug(false);
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetError(false);
    return true;
  }();
  (void)once;
}

void checkDicomFile(const std::filesystem::path& file, DicomExtent extent) {
  if (fileSize(file) == 0) throw InputError(file, "empty or unreadable file");
  checkDicomStructure(file, extent);
}

DicomHeader readDicomHeader(const std::filesystem::path& file) {
  silenceGdcm();
  // GDCM aborts on some damaged files: it only sees files whose structure is sound.
  checkDicomFile(file, DicomExtent::UntilPixelData);
  const std::uintmax_t size = fileSize(file);
  gdcm::Reader reader;
  reader.SetFileName(file.string().c_str());
  const std::set<gdcm::Tag> skip{gdcm::Tag(0x7FE0, 0x0010)};
  if (!reader.ReadUpToTag(gdcm::Tag(0x7FE0, 0x0010), skip)) {
    throw InputError(file, "not a DICOM file, or its header is damaged (GDCM could not parse it)");
  }
  const std::size_t position = reader.GetStreamCurrentPosition();
  const gdcm::TransferSyntax ts = reader.GetFile().GetHeader().GetDataSetTransferSyntax();
  const gdcm::File& f = reader.GetFile();
  const gdcm::DataSet& ds = f.GetDataSet();

  DicomHeader h;
  h.file = file;
  if (const char* uid = gdcm::TransferSyntax::GetTSString(ts)) {
    h.values[tag::TransferSyntaxUid.key()] = uid;
  }
  copyStrings(ds,
              {tag::SopClassUid,
               tag::SopInstanceUid,
               tag::StudyInstanceUid,
               tag::SeriesInstanceUid,
               tag::FrameOfReferenceUid,
               tag::Modality,
               tag::ImageType,
               tag::Manufacturer,
               tag::ManufacturerModelName,
               tag::StudyDescription,
               tag::SeriesDescription,
               tag::PatientName,
               tag::PatientId,
               tag::SeriesNumber,
               tag::AcquisitionNumber,
               tag::InstanceNumber,
               tag::EchoNumbers,
               tag::StudyDate,
               tag::SeriesDate,
               tag::AcquisitionDate,
               tag::AcquisitionDateTime,
               tag::SeriesTime,
               tag::AcquisitionTime,
               tag::NumberOfFrames,
               tag::PhotometricInterpretation,
               tag::PixelSpacing,
               tag::SliceThickness,
               tag::SpacingBetweenSlices,
               tag::GantryTilt,
               tag::ImagePositionPatient,
               tag::ImageOrientationPatient,
               tag::RescaleIntercept,
               tag::RescaleSlope,
               tag::RescaleType,
               tag::CorrectedImage,
               tag::PatientSex,
               tag::PatientSize,
               tag::PatientWeight,
               tag::ActualFrameDuration,
               tag::Units,
               tag::SuvType,
               tag::DecayCorrection,
               tag::FrameReferenceTime,
               tag::DecayFactor,
               tag::DoseCalibrationFactor,
               tag::RepetitionTime,
               tag::EchoTime,
               tag::InversionTime,
               tag::FlipAngle,
               tag::MagneticFieldStrength,
               tag::ScanningSequence,
               tag::SequenceVariant,
               tag::SequenceName,
               tag::PulseSequenceName,
               tag::ReceiveCoilName,
               tag::MrAcquisitionType,
               tag::KVP,
               tag::ConvolutionKernel},
              h.values, true);
  if (auto v = privateValue(ds, 0x0009, "GEMS_PETD_01", 0x100D)) {
    h.values[tag::GePetScanDateTime.key()] = *v;
  }
  if (auto v = privateValue(ds, 0x7053, "Philips PET Private Group", 0x1000)) {
    h.values[tag::PhilipsSuvScaleFactor.key()] = *v;
  }
  if (auto v = privateValue(ds, 0x7053, "Philips PET Private Group", 0x1009)) {
    h.values[tag::PhilipsActivityScaleFactor.key()] = *v;
  }
  gdcm::SmartPointer<gdcm::SequenceOfItems> keep;
  if (const gdcm::DataSet* rp = firstItem(ds, 0x0054, 0x0016, keep)) {
    copyStrings(*rp,
                {tag::RadiopharmaceuticalStartTime, tag::RadionuclideTotalDose,
                 tag::RadionuclideHalfLife, tag::RadiopharmaceuticalStartDateTime},
                h.values, true);
    gdcm::SmartPointer<gdcm::SequenceOfItems> keepCode;
    if (const gdcm::DataSet* code = firstItem(*rp, 0x0054, 0x0300, keepCode)) {
      h.values[tag::RadionuclideCodeSequence.key()] =
          trimDicom(rawOf(*code, gdcm::Tag(0x0008, 0x0100)).value_or("")) + "^" +
          trimDicom(rawOf(*code, gdcm::Tag(0x0008, 0x0104)).value_or(""));
    }
  }

  h.rows = usOf(ds, tag::Rows, 0);
  h.columns = usOf(ds, tag::Columns, 0);
  h.samples_per_pixel = usOf(ds, tag::SamplesPerPixel, 1);
  h.bits_allocated = usOf(ds, tag::BitsAllocated, 0);
  h.bits_stored = usOf(ds, tag::BitsStored, h.bits_allocated);
  h.pixel_representation = usOf(ds, tag::PixelRepresentation, 0);
  h.number_of_frames = std::max(1, static_cast<int>(h.number(tag::NumberOfFrames).value_or(1)));

  // Pixel Data: the reader stopped right after its tag and length when present,
  // at the end of the file otherwise.
  // (With a deflated data set the position counts inflated bytes.)
  const bool deflated = ts == gdcm::TransferSyntax::DeflatedExplicitVRLittleEndian;
  h.has_pixel_data =
      position > 0 && position != static_cast<std::size_t>(-1) && (deflated || position < size);
  if (h.has_pixel_data && !deflated) h.pixel_data_offset = position;
  h.native_little_endian = ts == gdcm::TransferSyntax::ImplicitVRLittleEndian ||
                           ts == gdcm::TransferSyntax::ExplicitVRLittleEndian;
  if (h.has_pixel_data && h.rows > 0 && h.columns > 0 && h.bits_allocated > 0 &&
      !ts.IsEncapsulated() && !deflated) {
    const std::uintmax_t needed = static_cast<std::uintmax_t>(h.rows) * h.columns *
                                  h.number_of_frames * h.samples_per_pixel * h.bits_allocated / 8;
    if (size - position < needed) {
      throw InputError(file, "truncated: Pixel Data needs " + std::to_string(needed) +
                                 " bytes but the file holds only " +
                                 std::to_string(size - position));
    }
  }

  FrameHeader top;
  readFrameAttributes(ds, top);
  const gdcm::DataSet* shared = firstItem(ds, 0x5200, 0x9229, keep);
  gdcm::SmartPointer<gdcm::SequenceOfItems> perFrame;
  if (ds.FindDataElement(gdcm::Tag(0x5200, 0x9230))) {
    perFrame = ds.GetDataElement(gdcm::Tag(0x5200, 0x9230)).GetValueAsSQ();
  }
  if (shared) applyFunctionalGroups(*shared, top, h.values);
  if (perFrame && perFrame->GetNumberOfItems() > 0) {
    for (gdcm::SequenceOfItems::SizeType i = 1; i <= perFrame->GetNumberOfItems(); ++i) {
      FrameHeader fr = top;
      applyFunctionalGroups(perFrame->GetItem(i).GetNestedDataSet(), fr, h.values);
      h.frames.push_back(fr);
    }
    h.frames.resize(static_cast<std::size_t>(h.number_of_frames), h.frames.back());
  } else {
    h.frames.assign(static_cast<std::size_t>(h.number_of_frames), top);
    // A classic multi-frame image (no functional groups) stacks its frames
    // along the slice normal, Spacing Between Slices apart.
    const auto step = h.number(tag::SpacingBetweenSlices);
    if (h.number_of_frames > 1 && step && top.position_mm && top.orientation) {
      const auto& o = *top.orientation;
      const Eigen::Vector3d normal =
          Eigen::Vector3d(o[0], o[1], o[2]).cross(Eigen::Vector3d(o[3], o[4], o[5])).normalized();
      for (int i = 0; i < h.number_of_frames; ++i) {
        h.frames[static_cast<std::size_t>(i)].position_mm = *top.position_mm + i * *step * normal;
      }
    }
  }
  return h;
}

}  // namespace harmonia
