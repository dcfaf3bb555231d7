#include "core/dicom/DerivedSeriesWriter.h"

#include <gdcmAttribute.h>
#include <gdcmDataSet.h>
#include <gdcmFileExplicitFilter.h>
#include <gdcmReader.h>
#include <gdcmTransferSyntax.h>
#include <gdcmUIDGenerator.h>
#include <gdcmWriter.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <limits>
#include <set>

#include "core/dicom/DerivedSeriesFolder.h"
#include "core/dicom/SuvCalculator.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Version.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;

static_assert(std::endian::native == std::endian::little,
              "Pixel Data is written in the host's byte order: little endian only");

constexpr const char* kCtImage = "1.2.840.10008.5.1.4.1.1.2";
constexpr const char* kMrImage = "1.2.840.10008.5.1.4.1.1.4";
constexpr const char* kPetImage = "1.2.840.10008.5.1.4.1.1.128";
constexpr const char* kSecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";

// ---- DS values (decimal strings of at most 16 characters) ---------------------------------

// The closest decimal string of at most 16 characters (locale-independent).
std::string decimalString(double v) {
  if (v == 0.0) return "0";
  char s[64];
  for (int precision = 16; precision >= 1; --precision) {
    const auto r = std::to_chars(s, s + sizeof s, v, std::chars_format::general, precision);
    const std::size_t n = static_cast<std::size_t>(r.ptr - s);
    if (n <= 16) return std::string(s, n);
  }
  throw ParameterError("cannot write " + std::to_string(v) + " in 16 characters");
}

double parseDecimal(const std::string& s) {
  double v = 0.0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// The value as it reads back from its decimal string.
double asWritten(double v) { return parseDecimal(decimalString(v)); }

// The smallest value >= v that a decimal string holds exactly as written.
double asWrittenAtLeast(double v) {
  double w = asWritten(v);
  for (double nudge = 1e-15; w < v; nudge *= 10.0) w = asWritten(v * (1.0 + nudge));
  return w;
}

std::string decimals(std::initializer_list<double> values) {
  std::string s;
  for (double v : values) {
    if (!s.empty()) s += '\\';
    s += decimalString(v);
  }
  return s;
}

// ---- Data elements -------------------------------------------------------------------------

void put(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, gdcm::VR vr,
         std::string value) {
  if (value.size() % 2) value += vr == gdcm::VR::UI ? '\0' : ' ';
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(vr);
  de.SetByteValue(value.data(), static_cast<std::uint32_t>(value.size()));
  ds.Replace(de);
}

void putUS(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, std::uint16_t value) {
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(gdcm::VR::US);
  const char bytes[2] = {static_cast<char>(value & 0xFF), static_cast<char>(value >> 8)};
  de.SetByteValue(bytes, 2);
  ds.Replace(de);
}

std::optional<std::string> textOf(const gdcm::DataSet& ds, std::uint16_t group,
                                  std::uint16_t element) {
  const gdcm::Tag t(group, element);
  if (!ds.FindDataElement(t)) return std::nullopt;
  const gdcm::ByteValue* bv = ds.GetDataElement(t).GetByteValue();
  if (!bv) return std::nullopt;
  const std::string v = trimDicom(std::string(bv->GetPointer(), bv->GetLength()));
  if (v.empty()) return std::nullopt;
  return v;
}

// Attributes of the template that would be wrong in a derived slice, or are rewritten.
bool keptFromTemplate(const gdcm::Tag& t) {
  const std::uint16_t g = t.GetGroup();
  const std::uint16_t e = t.GetElement();
  if (g % 2 == 1) return false;   // private: their meaning (and validity now) is unknown
  if (e == 0x0000) return false;  // group lengths (retired, recomputed if at all)
  if (g == 0x0002 || g == 0x7FE0 || g == 0x5200 || g == 0xFFFA || g == 0x4FFE) return false;
  if (g >= 0x5000 && g <= 0x50FF) return false;  // curves
  if (g >= 0x6000 && g <= 0x60FF) return false;  // overlays drawn on the source pixels
  if ((g == 0x0008 || g == 0x0020) && e >= 0x9000) return false;  // multi-frame, dimensions
  if (g == 0x0028) {
    // Image Pixel, Modality LUT, VOI LUT, padding...: all rewritten, except these.
    return e == 0x0051     // Corrected Image
           || e == 0x0300  // Quality Control Image
           || e == 0x0301  // Burned In Annotation
           || e == 0x2110  // Lossy Image Compression: once lossy, always flagged
           || e == 0x2112 || e == 0x2114;
  }
  static const std::set<std::pair<std::uint16_t, std::uint16_t>> dropped = {
      {0x0008, 0x0008},  // Image Type
      {0x0008, 0x0012},  // Instance Creation Date
      {0x0008, 0x0013},  // Instance Creation Time
      {0x0008, 0x0014},  // Instance Creator UID
      {0x0008, 0x0016},  // SOP Class UID
      {0x0008, 0x0018},  // SOP Instance UID
      {0x0008, 0x0021},  // Series Date
      {0x0008, 0x0023},  // Content Date
      {0x0008, 0x0031},  // Series Time
      {0x0008, 0x0033},  // Content Time
      {0x0008, 0x103E},  // Series Description
      {0x0008, 0x1140},  // Referenced Image Sequence (the source slice's localizers)
      {0x0008, 0x2111},  // Derivation Description
      {0x0008, 0x2112},  // Source Image Sequence (the template's own sources)
      {0x0018, 0x0050},  // Slice Thickness
      {0x0018, 0x0088},  // Spacing Between Slices
      {0x0018, 0x1120},  // Gantry/Detector Tilt: the slice positions carry the geometry
      {0x0020, 0x000E},  // Series Instance UID
      {0x0020, 0x0011},  // Series Number
      {0x0020, 0x0013},  // Instance Number
      {0x0020, 0x0020},  // Patient Orientation (of the source grid)
      {0x0020, 0x0032},  // Image Position (Patient)
      {0x0020, 0x0037},  // Image Orientation (Patient)
      {0x0020, 0x1002},  // Images in Acquisition
      {0x0020, 0x1041},  // Slice Location (the template slice's)
      {0x0020, 0x4000},  // Image Comments (about the template slice)
      {0x0054, 0x0081},  // Number of Slices
      {0x0054, 0x1001},  // Units
      {0x0054, 0x1006},  // SUV Type
      {0x0054, 0x1330},  // Image Index
      {0x0088, 0x0200},  // Icon Image Sequence
      {0x0400, 0x0561},  // Original Attributes Sequence (the template's history)
  };
  return !dropped.count({g, e});
}

// The template's data set without Pixel Data, every element with an explicit VR.
gdcm::DataSet readTemplate(const fs::path& file) {
  checkDicomFile(file, DicomExtent::UntilPixelData);  // GDCM aborts on some damaged files
  gdcm::Reader reader;
  reader.SetFileName(file.string().c_str());
  const std::set<gdcm::Tag> skip{gdcm::Tag(0x7FE0, 0x0010)};
  if (!reader.ReadUpToTag(gdcm::Tag(0x7FE0, 0x0010), skip)) {
    throw InputError(file, "cannot read the template header (GDCM could not parse it)");
  }
  const gdcm::TransferSyntax ts = reader.GetFile().GetHeader().GetDataSetTransferSyntax();
  if (ts.IsImplicit()) {
    gdcm::FileExplicitFilter filter;
    filter.SetFile(reader.GetFile());
    if (!filter.Change()) {
      throw InputError(file, "cannot give the template's attributes explicit VRs");
    }
    return filter.GetFile().GetDataSet();
  }
  return reader.GetFile().GetDataSet();
}

// ---- Choices -------------------------------------------------------------------------------

std::string sopClassFor(const std::string& source) {
  static const std::set<std::string> ct = {kCtImage, "1.2.840.10008.5.1.4.1.1.2.1",
                                           "1.2.840.10008.5.1.4.1.1.2.2"};
  static const std::set<std::string> mr = {kMrImage, "1.2.840.10008.5.1.4.1.1.4.1",
                                           "1.2.840.10008.5.1.4.1.1.4.4"};
  static const std::set<std::string> pet = {kPetImage, "1.2.840.10008.5.1.4.1.1.130",
                                            "1.2.840.10008.5.1.4.1.1.128.1"};
  if (ct.count(source)) return kCtImage;
  if (mr.count(source)) return kMrImage;
  if (pet.count(source)) return kPetImage;
  return kSecondaryCapture;
}

// Units (0054,1001) and SUV Type (0054,1006) of PET values in `units`.
std::optional<std::pair<std::string, std::string>> petUnitsFor(const std::string& units) {
  const std::pair<SuvType, const char*> types[] = {
      {SuvType::BodyWeight, "BW"},
      {SuvType::LeanBodyMassJames, "LBMJAMES128"},
      {SuvType::LeanBodyMassJanmahasatian, "LBMJANMA"},
      {SuvType::BodySurfaceArea, "BSA"},
      {SuvType::IdealBodyWeight, "IBW"},
  };
  for (const auto& [type, name] : types) {
    if (suvUnits(type) == units) {
      return std::make_pair(std::string(type == SuvType::BodySurfaceArea ? "CM2ML" : "GML"),
                            std::string(name));
    }
  }
  return std::nullopt;
}

struct ValueRange {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  std::size_t non_finite = 0;
  bool integers = true;
};

ValueRange rangeOf(const Volume& v) {
  ValueRange r;
  for (float x : v.voxels()) {
    if (!std::isfinite(x)) {
      ++r.non_finite;
      continue;
    }
    r.lo = std::min(r.lo, static_cast<double>(x));
    r.hi = std::max(r.hi, static_cast<double>(x));
    if (r.integers && x != std::nearbyint(x)) r.integers = false;
  }
  return r;
}

void checkDirection(const Eigen::Matrix3d& d) {
  const Eigen::Vector3d r = d.col(0);
  const Eigen::Vector3d c = d.col(1);
  if (std::abs(r.norm() - 1.0) > 1e-4 || std::abs(c.norm() - 1.0) > 1e-4 ||
      std::abs(r.dot(c)) > 1e-4) {
    throw InputError(
        "the volume's row and column directions are not orthonormal: DICOM slices cannot hold "
        "this grid (resample it first)");
  }
  if (std::abs(d.col(2).normalized().dot(r.cross(c))) < 1e-3) {
    throw InputError("the volume's slice direction lies in the slice plane: not a stack of slices");
  }
}

// ---- Series-level attributes ---------------------------------------------------------------

struct Now {
  std::string date;  // YYYYMMDD
  std::string time;  // HHMMSS
};

Now now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&t, &local);
  char d[16];
  char h[16];
  std::strftime(d, sizeof d, "%Y%m%d", &local);
  std::strftime(h, sizeof h, "%H%M%S", &local);
  return {d, h};
}

std::string imageType(const gdcm::DataSet& tpl, bool pet) {
  std::string type = pet ? "DERIVED\\PRIMARY" : "DERIVED\\SECONDARY";
  if (const auto old = textOf(tpl, 0x0008, 0x0008)) {
    const auto values = splitDicomValues(*old);
    for (std::size_t i = 2; i < values.size(); ++i) type += "\\" + trimDicom(values[i]);
  }
  return type;
}

std::string truncated(std::string s, std::size_t n) {
  if (s.size() > n) s.resize(n);
  return s;
}

std::string fileNameFor(int k, int count) {
  std::string number = std::to_string(k + 1);
  const std::size_t width = std::max<std::size_t>(4, std::to_string(count).size());
  return "slice_" + std::string(width - std::min(width, number.size()), '0') + number + ".dcm";
}

}  // namespace

PixelEncoding chooseEncoding(double lo, double hi, bool integerValued, bool zeroIntercept) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) {
    throw ParameterError("chooseEncoding: needs finite lo <= hi");
  }
  PixelEncoding e;
  if (integerValued) {
    if (zeroIntercept && lo >= 0 && hi <= 65535) {
      e.pixel_signed = false;
      return e;
    }
    if (lo >= -32768 && hi <= 32767) return e;
    if (!zeroIntercept && hi - lo <= 65535 && std::abs(lo) < 1e15) {
      e.intercept = lo + 32768.0;  // an integer: stored exactly in a DS
      return e;
    }
  }
  if (zeroIntercept) {
    if (lo >= 0) {
      e.pixel_signed = false;
      e.slope = hi > 0 ? asWrittenAtLeast(hi / 65535.0) : 1.0;
    } else {
      e.slope = asWrittenAtLeast(std::max(-lo / 32768.0, hi / 32767.0));
    }
    return e;
  }
  if (hi == lo) {
    e.intercept = asWritten(lo);
    return e;
  }
  e.slope = asWrittenAtLeast((hi - lo) / 65535.0);
  e.intercept = asWritten(lo + 32768.0 * e.slope);
  return e;
}

DerivedSeriesReport writeDerivedSeries(const Volume& volume, const SeriesInfo& source,
                                       const DerivedSeriesParams& params, Progress& progress) {
  silenceGdcm();
  if (params.series_description.empty()) {
    throw ParameterError("writeDerivedSeries: a series description is required");
  }
  if (source.slices.empty()) throw InputError("the source series " + source.id + " has no slices");
  if (volume.empty()) throw InputError("the volume to export as DICOM is empty");
  const Geometry3D& g = volume.geometry();
  if (g.size[0] > 65535 || g.size[1] > 65535) {
    throw InputError("slices of " + std::to_string(g.size[0]) + " x " + std::to_string(g.size[1]) +
                     " voxels do not fit DICOM's Rows/Columns (at most 65535)");
  }
  checkDirection(g.direction);
  const ValueRange range = rangeOf(volume);
  if (range.non_finite == volume.voxelCount()) {
    throw InputError("the volume to export holds no finite value (NaN only)");
  }
  const fs::path out = normalisedOutputFolder(params.output_folder);
  checkOutputFolder(params.output_folder, out, source);

  const DicomHeader& first = *source.slices.front().header;
  const std::string modality = source.modality;
  const bool pet = modality == "PT";
  DerivedSeriesReport report;
  report.folder = out;
  report.sop_class_uid = sopClassFor(first.text(tag::SopClassUid));
  report.min_value = range.lo;
  report.max_value = range.hi;
  report.non_finite_voxels = range.non_finite;
  std::optional<std::pair<std::string, std::string>> petUnits;
  std::string rescaleType;
  if (pet) {
    petUnits = petUnitsFor(volume.units());
    if (!petUnits) {
      throw InputError("PET values in units '" + volume.units() +
                       "' are not SUV: a PET series must hold SUV (write NIfTI instead)");
    }
    report.stored_units = petUnits->first + " (SUV Type " + petUnits->second + ")";
  } else if (modality == "CT") {
    rescaleType = volume.units() == "HU" ? "HU" : "US";
    report.stored_units = rescaleType == "HU" ? "HU" : "US (unspecified)";
    if (rescaleType != "HU") {
      report.warnings.push_back("values in units '" + volume.units() +
                                "' are not HU: written with Rescale Type US (unspecified)");
    }
  } else {
    rescaleType = "US";
    report.stored_units = "US (unspecified)";
  }
  report.encoding = chooseEncoding(range.lo, range.hi, range.integers, pet);
  const PixelEncoding& enc = report.encoding;
  if (range.non_finite > 0) {
    report.warnings.push_back(std::to_string(range.non_finite) +
                              " non-finite voxels written as the lowest value, " +
                              formatNumber(range.lo));
  }

  // The series-level data set, shared by every slice.
  const gdcm::DataSet tpl = readTemplate(first.file);
  gdcm::DataSet base;
  for (const gdcm::DataElement& de : tpl.GetDES()) {
    if (keptFromTemplate(de.GetTag())) base.Insert(de);
  }
  gdcm::UIDGenerator uids;
  report.series_instance_uid = uids.Generate();
  const Now created = now();
  put(base, 0x0008, 0x0008, gdcm::VR::CS, imageType(tpl, pet));
  put(base, 0x0008, 0x0012, gdcm::VR::DA, created.date);
  put(base, 0x0008, 0x0013, gdcm::VR::TM, created.time);
  put(base, 0x0008, 0x0016, gdcm::VR::UI, report.sop_class_uid);
  put(base, 0x0008, 0x0021, gdcm::VR::DA, created.date);
  put(base, 0x0008, 0x0031, gdcm::VR::TM, created.time);
  put(base, 0x0008, 0x0023, gdcm::VR::DA, created.date);
  put(base, 0x0008, 0x0033, gdcm::VR::TM, created.time);
  put(base, 0x0008, 0x0060, gdcm::VR::CS, modality);
  if (report.sop_class_uid == kSecondaryCapture) {
    put(base, 0x0008, 0x0064, gdcm::VR::CS, "WSD");  // Conversion Type: workstation
  }
  if (params.series_description.size() > 64) {
    report.warnings.push_back(
        "Series Description cut to 64 characters (the whole text is in "
        "the Derivation Description)");
  }
  put(base, 0x0008, 0x103E, gdcm::VR::LO, truncated(params.series_description, 64));
  std::string derivation = params.derivation_description.empty() ? params.series_description
                                                                 : params.derivation_description;
  derivation += ". Harmonia " + version() + ", from series " + source.series_uid;
  if (!source.description.empty()) derivation += " (" + source.description + ")";
  derivation += "; values in " + report.stored_units + ", stored as " +
                (enc.pixel_signed ? "int16" : "uint16") + " x " + decimalString(enc.slope) + " + " +
                decimalString(enc.intercept) + " (error at most " + formatNumber(enc.quantum()) +
                ")";
  if (range.non_finite > 0) {
    derivation += "; " + std::to_string(range.non_finite) + " non-finite voxels written as " +
                  formatNumber(range.lo);
  }
  put(base, 0x0008, 0x2111, gdcm::VR::ST, truncated(derivation, 1024));
  put(base, 0x0020, 0x000E, gdcm::VR::UI, report.series_instance_uid);
  if (params.series_number) {
    put(base, 0x0020, 0x0011, gdcm::VR::IS, std::to_string(*params.series_number));
  } else if (const auto n = first.number(tag::SeriesNumber)) {
    put(base, 0x0020, 0x0011, gdcm::VR::IS, std::to_string(static_cast<long long>(*n) + 1000));
  } else {
    put(base, 0x0020, 0x0011, gdcm::VR::IS, "");
  }
  const Eigen::Vector3d row = g.direction.col(0);
  const Eigen::Vector3d column = g.direction.col(1);
  const Eigen::Vector3d normal = row.cross(column).normalized();
  put(base, 0x0020, 0x0037, gdcm::VR::DS,
      decimals({row[0], row[1], row[2], column[0], column[1], column[2]}));
  // Pixel Spacing is (between rows, between columns): j's spacing first.
  put(base, 0x0028, 0x0030, gdcm::VR::DS, decimals({g.spacing_mm[1], g.spacing_mm[0]}));
  const double sliceGap = std::abs(g.spacing_mm[2] * g.direction.col(2).normalized().dot(normal));
  const auto oldThickness = first.number(tag::SliceThickness);
  const bool sameSlices = std::abs(source.geometry.grid.spacing_mm[2] - g.spacing_mm[2]) < 1e-3 &&
                          source.geometry.grid.size[2] == g.size[2];
  // The reconstructed thickness stays true while the slices are the source's.
  put(base, 0x0018, 0x0050, gdcm::VR::DS,
      decimalString(sameSlices && oldThickness ? *oldThickness : sliceGap));
  put(base, 0x0018, 0x0088, gdcm::VR::DS, decimalString(sliceGap));
  putUS(base, 0x0028, 0x0002, 1);
  put(base, 0x0028, 0x0004, gdcm::VR::CS, "MONOCHROME2");
  putUS(base, 0x0028, 0x0010, static_cast<std::uint16_t>(g.size[1]));
  putUS(base, 0x0028, 0x0011, static_cast<std::uint16_t>(g.size[0]));
  putUS(base, 0x0028, 0x0100, 16);
  putUS(base, 0x0028, 0x0101, 16);
  putUS(base, 0x0028, 0x0102, 15);
  putUS(base, 0x0028, 0x0103, enc.pixel_signed ? 1 : 0);
  put(base, 0x0028, 0x1052, gdcm::VR::DS, decimalString(enc.intercept));
  put(base, 0x0028, 0x1053, gdcm::VR::DS, decimalString(enc.slope));
  if (!rescaleType.empty()) put(base, 0x0028, 0x1054, gdcm::VR::LO, rescaleType);
  const auto oldCentre = textOf(tpl, 0x0028, 0x1050);
  const auto oldWidth = textOf(tpl, 0x0028, 0x1051);
  if (rescaleType == "HU" && oldCentre && oldWidth) {
    // Still Hounsfield units: the source's windows (brain, lung...) still apply.
    put(base, 0x0028, 0x1050, gdcm::VR::DS, *oldCentre);
    put(base, 0x0028, 0x1051, gdcm::VR::DS, *oldWidth);
    if (const auto why = textOf(tpl, 0x0028, 0x1055)) put(base, 0x0028, 0x1055, gdcm::VR::LO, *why);
  } else {
    put(base, 0x0028, 0x1050, gdcm::VR::DS, decimalString((range.lo + range.hi) / 2.0));
    put(base, 0x0028, 0x1051, gdcm::VR::DS, decimalString(std::max(range.hi - range.lo, 1.0)));
  }
  const std::string sourceTs = first.text(tag::TransferSyntaxUid);
  if (!sourceTs.empty()) {
    const gdcm::TransferSyntax ts(gdcm::TransferSyntax::GetTSType(sourceTs.c_str()));
    if (ts.IsLossy() && !ts.IsLossless()) put(base, 0x0028, 0x2110, gdcm::VR::CS, "01");
  }
  if (pet) {
    put(base, 0x0054, 0x1001, gdcm::VR::CS, petUnits->first);
    put(base, 0x0054, 0x1006, gdcm::VR::CS, petUnits->second);
    putUS(base, 0x0054, 0x0081, static_cast<std::uint16_t>(std::min(g.size[2], 65535)));
  }

  // One file per slice, into a staging folder published when complete.
  const int nx = g.size[0];
  const int ny = g.size[1];
  const int nz = g.size[2];
  const std::size_t plane = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
  const double storedMin = enc.pixel_signed ? -32768.0 : 0.0;
  const double storedMax = enc.pixel_signed ? 32767.0 : 65535.0;
  const auto storedOf = [&](double v) {
    return std::clamp(std::nearbyint((v - enc.intercept) / enc.slope), storedMin, storedMax);
  };
  const double lowest = storedOf(range.lo);
  SeriesStaging staging(out);
  std::vector<std::string> names;
  std::vector<char> pixels(plane * 2);
  for (int k = 0; k < nz; ++k) {
    progress.throwIfCancelled();
    const float* values = volume.slice(k);
    for (std::size_t i = 0; i < plane; ++i) {
      const double v = values[i];
      const double s = std::isfinite(v) ? storedOf(v) : lowest;
      if (std::isfinite(v)) {
        report.max_error = std::max(report.max_error, std::abs(enc.slope * s + enc.intercept - v));
      }
      const std::uint16_t bits = enc.pixel_signed
                                     ? static_cast<std::uint16_t>(static_cast<std::int16_t>(s))
                                     : static_cast<std::uint16_t>(s);
      pixels[2 * i] = static_cast<char>(bits & 0xFF);
      pixels[2 * i + 1] = static_cast<char>(bits >> 8);
    }
    gdcm::Writer writer;
    gdcm::File& file = writer.GetFile();
    file.GetHeader().SetDataSetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
    gdcm::DataSet& ds = file.GetDataSet();
    ds = base;
    put(ds, 0x0008, 0x0018, gdcm::VR::UI, uids.Generate());
    put(ds, 0x0020, 0x0013, gdcm::VR::IS, std::to_string(k + 1));
    const Eigen::Vector3d p = g.indexToWorld(Eigen::Vector3d(0, 0, k));
    put(ds, 0x0020, 0x0032, gdcm::VR::DS, decimals({p[0], p[1], p[2]}));
    if (pet) putUS(ds, 0x0054, 0x1330, static_cast<std::uint16_t>(std::min(k + 1, 65535)));
    gdcm::DataElement pixelData(gdcm::Tag(0x7FE0, 0x0010));
    pixelData.SetVR(gdcm::VR::OW);
    pixelData.SetByteValue(pixels.data(), static_cast<std::uint32_t>(pixels.size()));
    ds.Replace(pixelData);
    const std::string name = fileNameFor(k, nz);
    writeAtomically(staging.dir() / name, [&](const fs::path& tmp) {
      writer.SetFileName(tmp.string().c_str());
      if (!writer.Write()) throw InputError(out / name, "GDCM could not write the slice");
    });
    names.push_back(name);
    report.files.push_back(out / name);
    progress.report(0.99 * static_cast<double>(k + 1) / nz);
  }
  progress.throwIfCancelled();
  staging.publish(names);
  progress.report(1.0);
  return report;
}

DerivedSeriesReport writeDerivedSeries(const Volume& volume,
                                       const std::vector<std::filesystem::path>& sourceFiles,
                                       const DerivedSeriesParams& params, Progress& progress) {
  if (sourceFiles.empty()) throw InputError("no source files given for the derived series");
  SubProgress scanning(progress, 0.0, 0.1);
  const DicomScan scan = scanDicomFiles(sourceFiles, scanning);
  if (scan.series.size() != 1) {
    throw InputError(
        sourceFiles.front(),
        "the source files hold " + std::to_string(scan.series.size()) + " image series, not one");
  }
  SubProgress writing(progress, 0.1, 1.0);
  return writeDerivedSeries(volume, scan.series.front(), params, writing);
}

}  // namespace harmonia
