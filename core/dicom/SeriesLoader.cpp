#include "core/dicom/SeriesLoader.h"

#include <gdcmImage.h>
#include <gdcmImageReader.h>
#include <gdcmPixelFormat.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "core/dicom/CtRescale.h"
#include "core/image/MetaDataKeys.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// The frames of one file and the volume slice each goes to.
struct FileJob {
  const DicomHeader* header = nullptr;
  std::vector<std::pair<int, int>> frame_to_slice;  // (frame, k)
  int first_slice = 0;
};

enum class Scalar { U8, I8, U16, I16, U32, I32, F32, F64 };

template <typename T>
void convertFrame(const char* src, float* dst, std::size_t n, double scale, double offset,
                  int bitsStored, bool maskBits) {
  const float s = static_cast<float>(scale);
  const float o = static_cast<float>(offset);
  T v;
  if constexpr (std::is_integral_v<T>) {
    if (maskBits && bitsStored > 0 && bitsStored < static_cast<int>(8 * sizeof(T))) {
      // Only Bits Stored bits are pixel; the rest may hold overlays. Sign-extend signed data.
      using U = std::make_unsigned_t<T>;
      const U mask = static_cast<U>((U(1) << bitsStored) - 1);
      const int shift = static_cast<int>(8 * sizeof(T)) - bitsStored;
      for (std::size_t i = 0; i < n; ++i) {
        std::memcpy(&v, src + i * sizeof(T), sizeof(T));
        U u = static_cast<U>(static_cast<U>(v) & mask);
        T x;
        if constexpr (std::is_signed_v<T>) {
          x = static_cast<T>(static_cast<T>(static_cast<U>(u << shift)) >> shift);
        } else {
          x = static_cast<T>(u);
        }
        dst[i] = static_cast<float>(x) * s + o;
      }
      return;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::memcpy(&v, src + i * sizeof(T), sizeof(T));
    dst[i] = static_cast<float>(v) * s + o;
  }
}

void convertAny(Scalar type, const char* src, float* dst, std::size_t n, double scale,
                double offset, int bitsStored) {
  switch (type) {
    case Scalar::U8:
      return convertFrame<std::uint8_t>(src, dst, n, scale, offset, bitsStored, true);
    case Scalar::I8:
      return convertFrame<std::int8_t>(src, dst, n, scale, offset, bitsStored, true);
    case Scalar::U16:
      return convertFrame<std::uint16_t>(src, dst, n, scale, offset, bitsStored, true);
    case Scalar::I16:
      return convertFrame<std::int16_t>(src, dst, n, scale, offset, bitsStored, true);
    case Scalar::U32:
      return convertFrame<std::uint32_t>(src, dst, n, scale, offset, bitsStored, true);
    case Scalar::I32:
      return convertFrame<std::int32_t>(src, dst, n, scale, offset, bitsStored, true);
    case Scalar::F32:
      return convertFrame<float>(src, dst, n, scale, offset, 0, false);
    case Scalar::F64:
      return convertFrame<double>(src, dst, n, scale, offset, 0, false);
  }
}

std::optional<Scalar> scalarOf(int bitsAllocated, int pixelRepresentation) {
  const bool s = pixelRepresentation == 1;
  switch (bitsAllocated) {
    case 8:
      return s ? Scalar::I8 : Scalar::U8;
    case 16:
      return s ? Scalar::I16 : Scalar::U16;
    case 32:
      return s ? Scalar::I32 : Scalar::U32;
    default:
      return std::nullopt;
  }
}

std::optional<Scalar> scalarOf(const gdcm::PixelFormat& pf) {
  switch (pf.GetScalarType()) {
    case gdcm::PixelFormat::UINT8:
      return Scalar::U8;
    case gdcm::PixelFormat::INT8:
      return Scalar::I8;
    case gdcm::PixelFormat::UINT16:
      return Scalar::U16;
    case gdcm::PixelFormat::INT16:
      return Scalar::I16;
    case gdcm::PixelFormat::UINT32:
      return Scalar::U32;
    case gdcm::PixelFormat::INT32:
      return Scalar::I32;
    case gdcm::PixelFormat::FLOAT32:
      return Scalar::F32;
    case gdcm::PixelFormat::FLOAT64:
      return Scalar::F64;
    default:
      return std::nullopt;
  }
}

int bytesOf(Scalar t) {
  switch (t) {
    case Scalar::U8:
    case Scalar::I8:
      return 1;
    case Scalar::U16:
    case Scalar::I16:
      return 2;
    case Scalar::U32:
    case Scalar::I32:
    case Scalar::F32:
      return 4;
    case Scalar::F64:
      return 8;
  }
  return 1;
}

// Reads uncompressed frames straight from the file; false when it cannot.
bool readNative(const DicomHeader& h, Scalar type, std::vector<char>& buffer) {
  const std::size_t bytes = static_cast<std::size_t>(h.rows) * h.columns * h.number_of_frames *
                            static_cast<std::size_t>(bytesOf(type));
  buffer.resize(bytes);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(h.file.c_str(), "rb"), &std::fclose);
  if (!f) return false;
  if (std::fseek(f.get(), static_cast<long>(h.pixel_data_offset), SEEK_SET) != 0) return false;
  return std::fread(buffer.data(), 1, bytes, f.get()) == bytes;
}

// Decodes with GDCM (any transfer syntax it supports); returns the scalar type.
Scalar decodeWithGdcm(const DicomHeader& h, std::vector<char>& buffer) {
  // The whole file, encapsulated Pixel Data included: GDCM aborts on some damaged files.
  // WholeFile also checks the compressed streams against the data set before a
  // codec sees them (checkEncapsulatedPixelData, CodecCheck.h).
  checkDicomFile(h.file, DicomExtent::WholeFile);
  gdcm::ImageReader reader;
  reader.SetFileName(h.file.string().c_str());
  if (!reader.Read()) throw InputError(h.file, "cannot read the image (GDCM could not decode it)");
  const gdcm::Image& image = reader.GetImage();
  const unsigned int* dims = image.GetDimensions();
  if (static_cast<int>(dims[0]) != h.columns || static_cast<int>(dims[1]) != h.rows) {
    throw InputError(h.file, "decoded image size differs from Rows/Columns");
  }
  const auto type = scalarOf(image.GetPixelFormat());
  if (!type) throw InputError(h.file, "unsupported pixel format for quantitative values");
  if (image.GetPixelFormat().GetSamplesPerPixel() != 1) {
    throw InputError(h.file, "colour images cannot be loaded as values");
  }
  buffer.resize(image.GetBufferLength());
  if (!image.GetBuffer(buffer.data())) {
    const char* ts = gdcm::TransferSyntax::GetTSString(image.GetTransferSyntax());
    throw InputError(h.file, std::string("cannot decode Pixel Data (transfer syntax ") +
                                 (ts ? ts : "unknown") + ")");
  }
  const std::size_t needed = static_cast<std::size_t>(h.rows) * h.columns * h.number_of_frames *
                             static_cast<std::size_t>(bytesOf(*type));
  if (buffer.size() < needed) throw InputError(h.file, "Pixel Data is shorter than the image");
  return *type;
}

}  // namespace

SeriesLoader::SeriesLoader(SeriesInfo series, LoadParams params)
    : series_(std::move(series)), params_(params) {
  if (series_.slices.empty()) throw InputError("series " + series_.id + " has no slices");
  for (const DicomSlice& s : series_.slices) {
    const DicomHeader& h = *s.header;
    if (h.samples_per_pixel != 1) {
      throw InputError(h.file, "colour image (Samples per Pixel " +
                                   std::to_string(h.samples_per_pixel) +
                                   "): only grey-level images carry values");
    }
  }
  const std::string& modality = series_.modality;
  if (!params_.convert_values) {
    conversion_.units = "";
    conversion_.method = "stored values, unconverted";
    conversion_.slice_scale.assign(series_.slices.size(), 1.0);
    conversion_.slice_offset.assign(series_.slices.size(), 0.0);
  } else if (modality == "CT") {
    conversion_ = hounsfieldConversion(series_.slices);
  } else if (modality == "PT") {
    suv_ = computeSuv(series_.slices, params_.suv);
    conversion_ = suv_->conversion;
  } else {
    conversion_ = modalityRescale(series_.slices, "");
  }
}

LoadedSeries SeriesLoader::load(Progress& progress, const SliceReadyCallback& onSlice) {
  silenceGdcm();
  const Geometry3D& g = series_.geometry.grid;
  Volume volume(g, kUninitialized);
  const int nz = g.size[2];
  const std::size_t plane =
      static_cast<std::size_t>(g.size[0]) * static_cast<std::size_t>(g.size[1]);

  // Group slices by file, then order files: the middle slice's first, then by slice.
  std::map<const DicomHeader*, FileJob> byFile;
  for (int k = 0; k < nz; ++k) {
    const DicomSlice& s = series_.slices[static_cast<std::size_t>(k)];
    FileJob& job = byFile[s.header.get()];
    if (!job.header) {
      job.header = s.header.get();
      job.first_slice = k;
    }
    job.frame_to_slice.emplace_back(s.frame, k);
  }
  std::vector<FileJob> jobs;
  jobs.reserve(byFile.size());
  for (auto& [h, job] : byFile) jobs.push_back(std::move(job));
  std::sort(jobs.begin(), jobs.end(),
            [](const FileJob& a, const FileJob& b) { return a.first_slice < b.first_slice; });
  const int middle = firstSlice();
  const auto first = std::find_if(jobs.begin(), jobs.end(), [&](const FileJob& j) {
    return std::any_of(j.frame_to_slice.begin(), j.frame_to_slice.end(),
                       [&](const auto& fk) { return fk.second == middle; });
  });
  if (first != jobs.end()) std::rotate(jobs.begin(), first, first + 1);

  tbb::enumerable_thread_specific<std::vector<char>> buffers;
  std::atomic<std::size_t> done{0};
  auto decode = [&](const FileJob& job) {
    progress.throwIfCancelled();
    const DicomHeader& h = *job.header;
    std::vector<char>& buffer = buffers.local();
    const auto nativeType = scalarOf(h.bits_allocated, h.pixel_representation);
    Scalar type{};
    if (h.native_little_endian && h.pixel_data_offset > 0 && nativeType &&
        readNative(h, *nativeType, buffer)) {
      type = *nativeType;
    } else {
      type = decodeWithGdcm(h, buffer);
    }
    const std::size_t frameBytes = plane * static_cast<std::size_t>(bytesOf(type));
    for (const auto& [frame, k] : job.frame_to_slice) {
      float* dst = volume.slice(k);
      convertAny(type, buffer.data() + frameBytes * static_cast<std::size_t>(frame), dst, plane,
                 conversion_.slice_scale[static_cast<std::size_t>(k)],
                 conversion_.slice_offset[static_cast<std::size_t>(k)], h.bits_stored);
      if (onSlice) onSlice(k, dst);
    }
    progress.report(0.95 * static_cast<double>(++done) / static_cast<double>(jobs.size()));
  };
  if (!jobs.empty()) decode(jobs.front());
  tbb::parallel_for(std::size_t{1}, jobs.size(), [&](std::size_t i) { decode(jobs[i]); });

  LoadedSeries out;
  out.geometry = series_.geometry;
  out.conversion = conversion_;
  out.suv = suv_;
  volume.setUnits(conversion_.units);
  MetaData& m = volume.metadata();
  const DicomHeader& h = *series_.slices.front().header;
  m[metakey::kModality] = series_.modality;
  m[metakey::kSeriesUid] = series_.series_uid;
  m[metakey::kSeriesId] = series_.id;
  m[metakey::kSeriesDescription] = series_.description;
  m[metakey::kManufacturer] = series_.manufacturer;
  m[metakey::kModel] = series_.model;
  m[metakey::kPatientId] = series_.patient_id;
  m[metakey::kConversion] = conversion_.method;
  m[metakey::kWorld] = "LPS";
  if (!series_.geometry.issues.empty()) {
    std::string issues;
    for (const std::string& i : series_.geometry.issues) {
      if (!issues.empty()) issues += "; ";
      issues += i;
    }
    m[metakey::kGeometryIssues] = issues;
  }
  if (series_.modality == "MR") {
    out.mr = readMrParameters(h);
    out.mr->addTo(m);
  }
  if (params_.resample_if_irregular && !series_.geometry.regular() && nz > 1) {
    SubProgress sub(progress, 0.95, 1.0);
    out.volume = resampleToRegularGrid(volume, series_.geometry, sub);
    out.volume.metadata()[metakey::kResampled] =
        "regular grid (was: " + m[metakey::kGeometryIssues] + ")";
    out.resampled = true;
  } else {
    out.volume = std::move(volume);
  }
  progress.report(1.0);
  return out;
}

LoadedSeries loadSeries(const SeriesInfo& series, const LoadParams& params, Progress& progress) {
  return SeriesLoader(series, params).load(progress);
}

LoadedSeries loadDicomFolder(const std::filesystem::path& folder, const std::string& id,
                             const LoadParams& params, Progress& progress) {
  SubProgress scanning(progress, 0.0, 0.2);
  const DicomScan scan = scanDicomFolder(folder, scanning);
  refuseDamagedFiles(scan);
  SubProgress loading(progress, 0.2, 1.0);
  return SeriesLoader(selectSeries(scan, id), params).load(loading);
}

}  // namespace harmonia
