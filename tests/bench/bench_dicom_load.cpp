// Loading a synthetic 512x512x500 CT series (int16, written with GDCM to /tmp,
// uncompressed and JPEG-LS lossless): Harmonia's scan + parallel load against
// a plain single-threaded gdcm::ImageReader loop and vtkDICOMImageReader,
// measured in the same run. Also the time until the first slice is ready
// (progressive display). The series is deleted at the end.
//
// Usage: bench_dicom_load [repeats] [slices]   (HARMONIA_BENCH_THREADS limits threads)

#include <gdcmImage.h>
#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageReader.h>
#include <gdcmImageWriter.h>
#include <gdcmReader.h>
#include <gdcmUIDGenerator.h>
#include <gdcmWriter.h>
#include <unistd.h>
#include <vtkDICOMImageReader.h>
#include <vtkImageData.h>
#include <vtkSmartPointer.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "BenchSupport.h"
#include "core/dicom/DicomScanner.h"
#include "core/dicom/SeriesLoader.h"

using namespace harmonia;
namespace fs = std::filesystem;

namespace {

constexpr int kSize = 512;

// Removes the benchmark's folder however main() ends.
struct TempFolder {
  fs::path path;
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::vector<std::int16_t> slicePixels(int k) {
  std::vector<std::int16_t> p(static_cast<std::size_t>(kSize) * kSize);
  for (int j = 0; j < kSize; ++j) {
    for (int i = 0; i < kSize; ++i) {
      const double r2 = (i - 256.0) * (i - 256.0) + (j - 256.0) * (j - 256.0);
      const double body = r2 < 200.0 * 200.0 ? 1040.0 : 24.0;  // stored = HU + 1024
      const double noise = 40.0 * bench::hashUnit(static_cast<std::uint64_t>(k) * kSize * kSize +
                                                  static_cast<std::uint64_t>(j) * kSize + i);
      p[static_cast<std::size_t>(j) * kSize + i] = static_cast<std::int16_t>(body + noise);
    }
  }
  return p;
}

void writeSlice(const fs::path& file, int k, const std::string& seriesUid,
                const std::string& studyUid, bool jpegls) {
  gdcm::ImageWriter w;
  gdcm::Image& image = w.GetImage();
  image.SetNumberOfDimensions(2);
  image.SetDimension(0, kSize);
  image.SetDimension(1, kSize);
  image.SetPixelFormat(gdcm::PixelFormat(gdcm::PixelFormat::INT16));
  image.SetPhotometricInterpretation(gdcm::PhotometricInterpretation::MONOCHROME2);
  image.SetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
  image.SetSpacing(0, 0.7);
  image.SetSpacing(1, 0.7);
  image.SetIntercept(-1024.0);
  image.SetSlope(1.0);
  const auto pixels = slicePixels(k);
  gdcm::DataElement pd(gdcm::Tag(0x7fe0, 0x0010));
  pd.SetByteValue(reinterpret_cast<const char*>(pixels.data()),
                  static_cast<std::uint32_t>(pixels.size() * 2));
  image.SetDataElement(pd);
  gdcm::DataSet& ds = w.GetFile().GetDataSet();
  auto put = [&](std::uint16_t g, std::uint16_t e, std::string v, bool uid = false) {
    if (v.size() % 2) v += uid ? '\0' : ' ';
    gdcm::DataElement de(gdcm::Tag(g, e));
    de.SetByteValue(v.data(), static_cast<std::uint32_t>(v.size()));
    ds.Replace(de);
  };
  gdcm::UIDGenerator uid;
  put(0x0008, 0x0016, "1.2.840.10008.5.1.4.1.1.2", true);
  put(0x0008, 0x0018, uid.Generate(), true);
  put(0x0008, 0x0060, "CT");
  put(0x0020, 0x000D, studyUid, true);
  put(0x0020, 0x000E, seriesUid, true);
  put(0x0020, 0x0013, std::to_string(k + 1));
  put(0x0020, 0x0037, "1\\0\\0\\0\\1\\0");
  if (jpegls) {
    gdcm::ImageChangeTransferSyntax change;
    change.SetTransferSyntax(gdcm::TransferSyntax::JPEGLSLossless);
    change.SetInput(image);
    if (!change.Change()) throw std::runtime_error("JPEG-LS compression failed");
    w.SetImage(change.GetOutput());
  }
  w.SetFileName(file.string().c_str());
  if (!w.Write()) throw std::runtime_error("cannot write " + file.string());
  // ImageWriter drops a 2-D image's z: write the position afterwards.
  gdcm::Reader r;
  r.SetFileName(file.string().c_str());
  if (!r.Read()) throw std::runtime_error("cannot read back " + file.string());
  gdcm::DataSet& back = r.GetFile().GetDataSet();
  std::string ipp = "-179.2\\-179.2\\" + std::to_string(k * 1.25);
  if (ipp.size() % 2) ipp += ' ';
  gdcm::DataElement de(gdcm::Tag(0x0020, 0x0032));
  de.SetByteValue(ipp.data(), static_cast<std::uint32_t>(ipp.size()));
  back.Replace(de);
  gdcm::Writer fix;
  fix.SetFile(r.GetFile());
  fix.SetFileName(file.string().c_str());
  if (!fix.Write()) throw std::runtime_error("cannot write " + file.string());
}

void writeSeries(const fs::path& folder, int slices, bool jpegls) {
  fs::create_directories(folder);
  gdcm::UIDGenerator uid;
  const std::string series = uid.Generate();
  const std::string study = uid.Generate();
  tbb::parallel_for(0, slices, [&](int k) {
    char name[32];
    std::snprintf(name, sizeof name, "IM%05d.dcm", (k * 7919) % slices);  // names unordered
    writeSlice(folder / name, k, series, study, jpegls);
  });
}

// The plain single-threaded GDCM loop: read and decode every file, rescale to float.
std::vector<float> gdcmLoop(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(folder)) files.push_back(e.path());
  std::vector<float> volume(files.size() * kSize * kSize);
  std::vector<char> buffer;
  for (std::size_t f = 0; f < files.size(); ++f) {
    gdcm::ImageReader reader;
    reader.SetFileName(files[f].string().c_str());
    if (!reader.Read()) throw std::runtime_error("gdcm cannot read " + files[f].string());
    const gdcm::Image& image = reader.GetImage();
    buffer.resize(image.GetBufferLength());
    image.GetBuffer(buffer.data());
    const auto* p = reinterpret_cast<const std::int16_t*>(buffer.data());
    const double slope = image.GetSlope();
    const double intercept = image.GetIntercept();
    float* dst = volume.data() + f * kSize * kSize;
    for (int i = 0; i < kSize * kSize; ++i) dst[i] = static_cast<float>(p[i] * slope + intercept);
  }
  return volume;
}

struct OurTiming {
  double total = 0.0;
  double first_slice = 0.0;
  double sum = 0.0;
};

OurTiming harmoniaLoad(const fs::path& folder) {
  OurTiming t;
  const auto t0 = std::chrono::steady_clock::now();
  std::atomic<bool> first{false};
  const DicomScan scan = scanDicomFolder(folder);
  SeriesLoader loader(selectSeries(scan, ""));
  const LoadedSeries s = loader.load(noProgress(), [&](int, const float*) {
    if (!first.exchange(true)) {
      t.first_slice = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
  });
  t.total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (float v : s.volume.voxels()) t.sum += v;
  return t;
}

double sumOf(const std::vector<float>& v) {
  double s = 0.0;
  for (float x : v) s += x;
  return s;
}

void compare(const char* what, const fs::path& folder, int repeats, bool withVtk) {
  std::printf("\n  %s\n", what);
  OurTiming best;
  best.total = 1e300;
  best.first_slice = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const OurTiming t = harmoniaLoad(folder);
    best.total = std::min(best.total, t.total);
    best.first_slice = std::min(best.first_slice, t.first_slice);
    best.sum = t.sum;
  }
  std::vector<float> ref;
  const double tGdcm = bench::bestOf(std::max(1, repeats - 1), [&] { ref = gdcmLoop(folder); });
  const double refSum = sumOf(ref);
  std::printf("  harmonia first slice ready          %9.4f s\n", best.first_slice);
  std::printf("  value sums: harmonia %.6g, gdcm loop %.6g (%s)\n", best.sum, refSum,
              std::abs(best.sum - refSum) <= 1e-6 * std::abs(refSum) ? "same" : "DIFFERENT");
  bench::printResult("harmonia scan + load (parallel)", best.total,
                     "gdcm::ImageReader loop (1 thread)", tGdcm);
  if (withVtk) {
    auto reader = vtkSmartPointer<vtkDICOMImageReader>::New();
    reader->SetDirectoryName(folder.string().c_str());
    const double tVtk = bench::bestOf(std::max(1, repeats - 1), [&] {
      reader->Modified();
      reader->Update();
    });
    bench::printResult("harmonia scan + load (parallel)", best.total, "vtkDICOMImageReader", tVtk);
  } else {
    std::printf("  vtkDICOMImageReader: n/a (it cannot decode JPEG-LS)\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  const int slices = argc > 2 ? std::max(2, std::atoi(argv[2])) : 500;
  silenceGdcm();
  TempFolder tmp{fs::temp_directory_path() / ("harmonia-bench-dicom-" + std::to_string(getpid()))};
  char what[200];
  std::snprintf(what, sizeof what,
                "Loading a %dx%dx%d int16 CT series (warm page cache), best of %d", kSize, kSize,
                slices, repeats);
  bench::printHeader(what, threads);
  const auto w0 = std::chrono::steady_clock::now();
  writeSeries(tmp.path / "raw", slices, false);
  writeSeries(tmp.path / "jpegls", slices, true);
  std::printf("  (writing both series took %.1f s)\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count());
  compare("uncompressed (Explicit VR Little Endian)", tmp.path / "raw", repeats, true);
  compare("JPEG-LS lossless", tmp.path / "jpegls", repeats, false);
  return 0;
}
