// NIfTI-1 reading and writing through VTK's NIfTI reader and writer.
//
// VTK gives the voxels in "VTK data coordinates" (index * pixdim) plus a
// qform/sform matrix from those coordinates to NIfTI's RAS world; we fold the
// matrix into our LPS geometry: p_LPS = F * (M * (index * pixdim) + t) with
// F = diag(-1, -1, 1). Writing does the reverse.
//
// Reading the header and the voxels is VTK's, except in the common case of an
// uncompressed float32 file in this machine's byte order (isPlainFloat32):
// the voxels are then read straight into the Volume, in parallel, instead of
// into VTK's buffer and copied (VTK's reader reads serially, and on this
// kind of machine touching a fresh 300 MB buffer costs as much as the read).
// Likewise an uncompressed .nii is written with VTK's header and our own
// large writes of the voxels (writePlainNifti).

#include <fcntl.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <unistd.h>
#include <vtkCommand.h>
#include <vtkDataArray.h>
#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkMatrix4x4.h>
#include <vtkNIFTIImageHeader.h>
#include <vtkNIFTIImageReader.h>
#include <vtkNIFTIImageWriter.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkObjectFactoryCollection.h>
#include <vtkPointData.h>
#include <vtkUnsignedCharArray.h>
#include <zlib.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <string>

#include "core/image/MetaDataKeys.h"
#include "core/io/AtomicFile.h"
#include "core/io/ImageIO.h"
#include "core/io/TextFile.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;

const Eigen::Matrix3d kRasToLps = Eigen::Vector3d(-1.0, -1.0, 1.0).asDiagonal();

// Collects VTK error messages instead of letting VTK print them.
class ErrorCollector : public vtkCommand {
 public:
  static ErrorCollector* New() { return new ErrorCollector; }
  void Execute(vtkObject*, unsigned long, void* callData) override {
    if (callData != nullptr && message.empty()) message = static_cast<const char*>(callData);
  }
  std::string message;
};

// VTK 9.1 creates its object-factory registry on the first New() that asks
// for it (vtkObjectFactory::CreateInstance -> Init), with no lock: two threads
// reading or writing their first NIfTI at once (the CLI's manifest rows run in
// parallel) could both create it, and one copy leaked (LeakSanitizer:
// vtkObjectFactoryCollection::New). Every VTK object here is made after this
// has created the registry once (a function-local static, so once across
// threads).
void createVtkFactoryRegistryOnce() {
  [[maybe_unused]] static vtkObjectFactoryCollection* const registry =
      vtkObjectFactory::GetRegisteredFactories();
}

std::string firstLine(std::string text) {
  // VTK prefixes messages with "ERROR: In file, line N\nclass (ptr): ".
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (auto pos = text.rfind('\n'); pos != std::string::npos) text = text.substr(pos + 1);
  if (auto pos = text.find("): "); pos != std::string::npos) text = text.substr(pos + 3);
  return text;
}

Eigen::Matrix4d toEigen(vtkMatrix4x4* m) {
  Eigen::Matrix4d out;
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) out(r, c) = m->GetElement(r, c);
  }
  return out;
}

struct RawVolume {
  vtkSmartPointer<vtkImageData> image;  // null when readRaw filled `direct` itself
  Geometry3D geometry;
  double slope = 1.0;
  double intercept = 0.0;
  std::string note;
};

// Bits per voxel of the NIfTI data types VTK's reader handles; 0 for others.
int bitsOfDatatype(int datatype) {
  switch (datatype) {
    case 2:
    case 256:
      return 8;  // uint8, int8
    case 4:
    case 512:
      return 16;  // int16, uint16
    case 8:
    case 16:
    case 768:
    case 2304:
      return 32;  // int32, float32, uint32, RGBA
    case 128:
      return 24;  // RGB
    case 32:
    case 64:
    case 1024:
    case 1280:
      return 64;  // complex64, float64, int64, uint64
    case 1792:
      return 128;  // complex128
    default:
      return 0;
  }
}

template <typename T>
T fieldAt(const unsigned char* bytes, std::size_t offset, bool swap) {
  std::array<unsigned char, sizeof(T)> b{};
  std::memcpy(b.data(), bytes + offset, sizeof(T));
  if (swap) std::reverse(b.begin(), b.end());
  T value;
  std::memcpy(&value, b.data(), sizeof(T));
  return value;
}

// Checks the header fields VTK's reader trusts: VTK 9.1's
// vtkNIFTIImageReader::RequestInformation crashes (SIGBUS) on wild ones
// (found by fuzz_nifti: datatype and bitpix -5141, vox_offset -5.7e26).
// NIfTI-1 (348-byte header) and NIfTI-2 (540), either byte order, gzipped or not.
void checkHeaderFields(const fs::path& path) {
  std::array<unsigned char, 540> h{};
  int got = 0;
  if (gzFile gz = gzopen(path.c_str(), "rb"); gz != nullptr) {
    got = gzread(gz, h.data(), static_cast<unsigned>(h.size()));
    gzclose(gz);
  }
  if (got < 348) throw InputError(path, "not a NIfTI file (shorter than a NIfTI-1 header)");
  const auto size1 = fieldAt<std::int32_t>(h.data(), 0, false);
  const bool swap = size1 != 348 && size1 != 540;
  const auto headerSize = fieldAt<std::int32_t>(h.data(), 0, swap);
  if (headerSize != 348 && (headerSize != 540 || got < 540)) {
    throw InputError(path, "not a NIfTI file (header size " + std::to_string(size1) + ")");
  }
  const bool v2 = headerSize == 540;
  const int datatype = fieldAt<std::int16_t>(h.data(), v2 ? 12 : 70, swap);
  const int bitpix = fieldAt<std::int16_t>(h.data(), v2 ? 14 : 72, swap);
  const int bits = bitsOfDatatype(datatype);
  if (bits == 0) throw InputError(path, "unsupported NIfTI datatype " + std::to_string(datatype));
  if (bitpix != bits) {
    throw InputError(path, "NIfTI bitpix " + std::to_string(bitpix) + " does not match datatype " +
                               std::to_string(datatype));
  }
  std::array<long long, 8> dim{};
  for (std::size_t d = 0; d < 8; ++d) {
    dim[d] = v2 ? fieldAt<std::int64_t>(h.data(), 16 + 8 * d, swap)
                : fieldAt<std::int16_t>(h.data(), 40 + 2 * d, swap);
  }
  if (dim[0] < 1 || dim[0] > 7) {
    throw InputError(path, "NIfTI dim[0] " + std::to_string(dim[0]) + " is not in 1..7");
  }
  for (long long d = 1; d <= dim[0]; ++d) {
    if (dim[static_cast<std::size_t>(d)] < 1) {
      throw InputError(path, "NIfTI dim[" + std::to_string(d) + "] is " +
                                 std::to_string(dim[static_cast<std::size_t>(d)]));
    }
  }
  const double voxOffset =
      v2 ? fieldAt<std::int64_t>(h.data(), 168, swap) : fieldAt<float>(h.data(), 108, swap);
  if (!std::isfinite(voxOffset) || voxOffset < 0 || voxOffset > 1e15) {
    throw InputError(path,
                     "NIfTI vox_offset " + std::to_string(voxOffset) + " is not a file position");
  }
}

// The voxel data a header declares must fit in the file: an uncompressed
// .nii must hold it, and a .nii.gz cannot inflate to more than 1032 times its
// size (deflate's largest ratio: a 258-byte match in two bits, RFC 1951
// section 3.2.5). Checked before VTK allocates the data: a .nii.gz of a few
// hundred bytes declaring 14 TB made VTK's allocation throw std::bad_alloc
// through its pipeline and end the program (found by fuzz_nifti_gz).
void checkDeclaredSize(const fs::path& path, vtkNIFTIImageHeader* header) {
  constexpr double kMaxDeflateRatio = 1032.0;
  double nvox = 1;
  for (int d = 1; d <= header->GetDim(0) && d < 8; ++d) {
    nvox *= static_cast<double>(std::max<long long>(header->GetDim(d), 1));
  }
  const double need =
      static_cast<double>(header->GetVoxOffset()) + nvox * header->GetBitPix() / 8.0;
  std::error_code ec;
  const std::uintmax_t have = fs::file_size(path, ec);
  if (ec) return;
  if (path.filename().string().ends_with(".gz")) {
    if (need > kMaxDeflateRatio * static_cast<double>(have)) {
      char text[160];
      std::snprintf(text, sizeof text,
                    "corrupt .nii.gz: the header declares %.4g bytes of voxels, more than a gzip "
                    "file of %ju bytes can hold (at most %.0f times its size)",
                    need, have, kMaxDeflateRatio);
      throw InputError(path, text);
    }
  } else if (static_cast<double>(have) < need) {
    char text[160];
    std::snprintf(text, sizeof text, "truncated NIfTI: %ju bytes, header needs %.0f", have, need);
    throw InputError(path, text);
  }
}

// True when the voxels of `path` (header read by `reader`) can be read from
// the file as they are: uncompressed .nii, float32 in this machine's byte
// order, one 3-D volume, and no slice reversal by VTK (qfac = 1). That is the
// common case, and the files we write.
bool isPlainFloat32(const fs::path& path, vtkNIFTIImageReader* reader) {
  vtkNIFTIImageHeader* header = reader->GetNIFTIHeader();
  if (!path.filename().string().ends_with(".nii") || header->GetDataType() != 16 ||
      header->GetBitPix() != 32 || reader->GetQFac() != 1.0 ||
      reader->GetNumberOfScalarComponents() != 1 || header->GetDim(0) > 4 ||
      (header->GetDim(0) == 4 && header->GetDim(4) > 1)) {
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  std::int32_t sizeofHdr = 0;
  in.read(reinterpret_cast<char*>(&sizeofHdr), sizeof sizeofHdr);
  return in && sizeofHdr == 348;
}

// Reads n float32 voxels at `offset` of `path` into `out`, in parallel parts
// (the copy and the first touch of the pages are most of the time).
void readFloat32Voxels(const fs::path& path, std::int64_t offset, float* out, std::size_t n) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path, "cannot open for reading (permission denied?)");
  const std::size_t bytes = n * sizeof(float);
  constexpr std::size_t kPart = std::size_t{16} << 20;
  std::atomic<bool> ok{true};
  tbb::parallel_for(std::size_t{0}, (bytes + kPart - 1) / kPart, [&](std::size_t part) {
    char* dst = reinterpret_cast<char*>(out) + part * kPart;
    std::size_t left = std::min(kPart, bytes - part * kPart);
    auto at = static_cast<off_t>(offset + static_cast<std::int64_t>(part * kPart));
    while (left > 0 && ok) {
      const ssize_t got = ::pread(fd, dst, left, at);
      if (got <= 0) {
        ok = false;
        break;
      }
      dst += got;
      at += got;
      left -= static_cast<std::size_t>(got);
    }
  });
  ::close(fd);
  if (!ok) throw InputError(path, "cannot read NIfTI data: corrupt or truncated data");
}

RawVolume readRaw(const fs::path& path, Volume* direct = nullptr) {
  requireRegularFile(path, "NIfTI file");
  std::error_code ec;
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw InputError(path, "cannot open for reading (permission denied?)");
    if (fs::file_size(path, ec) == 0) throw InputError(path, "file is empty");
  }
  checkHeaderFields(path);
  createVtkFactoryRegistryOnce();
  vtkNew<vtkNIFTIImageReader> reader;
  vtkNew<ErrorCollector> errors;
  reader->AddObserver(vtkCommand::ErrorEvent, errors);
  reader->AddObserver(vtkCommand::WarningEvent, errors);
  if (reader->CanReadFile(path.c_str()) == 0) {
    throw InputError(path, "not a NIfTI-1 file (bad header)");
  }
  reader->SetFileName(path.c_str());
  reader->UpdateInformation();
  if (!errors->message.empty() || reader->GetErrorCode() != 0) {
    throw InputError(path, "cannot read NIfTI header: " + firstLine(errors->message));
  }
  // VTK also reads Analyze 7.5 headers, which have no magic: a .nii file
  // without NIfTI's "n+1"/"n+2" (or a .hdr pair's "ni1"/"ni2") has a wrong header.
  const std::string magic = reader->GetNIFTIHeader()->GetMagic();
  if (magic != "n+1" && magic != "ni1" && magic != "n+2" && magic != "ni2") {
    throw InputError(path, "not a NIfTI file (bad header: no \"n+1\" magic)");
  }
  checkDeclaredSize(path, reader->GetNIFTIHeader());
  if (reader->GetNumberOfScalarComponents() != 1) {
    throw InputError(path, "NIfTI has " + std::to_string(reader->GetNumberOfScalarComponents()) +
                               " components per voxel; only scalar volumes are supported");
  }
  RawVolume raw;
  // The grid as VTK's output will have it (the reader's information pass sets it).
  const int* extent = reader->GetDataExtent();
  const double* spacing = reader->GetDataSpacing();
  const double* origin = reader->GetDataOrigin();
  raw.geometry.size = {extent[1] - extent[0] + 1, extent[3] - extent[2] + 1,
                       extent[5] - extent[4] + 1};

  vtkNIFTIImageHeader* header = reader->GetNIFTIHeader();
  vtkMatrix4x4* matrix = nullptr;
  if (header->GetSFormCode() > 0 && reader->GetSFormMatrix() != nullptr) {
    matrix = reader->GetSFormMatrix();
  } else if (header->GetQFormCode() > 0 && reader->GetQFormMatrix() != nullptr) {
    matrix = reader->GetQFormMatrix();
  }
  Eigen::Matrix3d linear = Eigen::Matrix3d::Identity();
  Eigen::Vector3d offset = Eigen::Vector3d::Zero();
  if (matrix != nullptr) {
    const Eigen::Matrix4d m = toEigen(matrix);
    linear = m.topLeftCorner<3, 3>();
    offset = m.topRightCorner<3, 1>();
  } else {
    raw.note = "no qform/sform: geometry from pixdim only";
    linear = kRasToLps;  // Analyze-style data: keep index axes as they are in LPS
  }
  const Eigen::Vector3d s(spacing[0], spacing[1], spacing[2]);
  const Eigen::Vector3d o(origin[0], origin[1], origin[2]);
  // Column c of F*M*diag(s) is the world step of index axis c.
  const Eigen::Matrix3d steps = kRasToLps * linear * s.asDiagonal();
  for (int c = 0; c < 3; ++c) {
    const double length = steps.col(c).norm();
    if (!(length > 0.0) || !std::isfinite(length)) {
      throw InputError(path, "degenerate orientation matrix (axis " + std::to_string(c) + ")");
    }
    raw.geometry.spacing_mm[c] = length;
    raw.geometry.direction.col(c) = steps.col(c) / length;
  }
  raw.geometry.origin_mm = kRasToLps * (linear * o + offset);
  raw.slope = reader->GetRescaleSlope();
  raw.intercept = reader->GetRescaleIntercept();
  if (raw.slope == 0.0 || !std::isfinite(raw.slope)) {
    raw.slope = 1.0;
    raw.intercept = 0.0;
  }
  if (reader->GetTimeDimension() > 1) {
    raw.note = "4-D NIfTI: only the first of " + std::to_string(reader->GetTimeDimension()) +
               " volumes was read";
  }
  if (direct != nullptr && isPlainFloat32(path, reader)) {
    *direct = Volume(raw.geometry, kUninitialized);
    readFloat32Voxels(path, reader->GetNIFTIHeader()->GetVoxOffset(), direct->data(),
                      direct->voxelCount());
    return raw;
  }
  reader->Update();
  vtkImageData* image = reader->GetOutput();
  if (!errors->message.empty() || reader->GetErrorCode() != 0 || image == nullptr ||
      image->GetPointData()->GetScalars() == nullptr) {
    std::string why =
        errors->message.empty() ? "corrupt or truncated data" : firstLine(errors->message);
    throw InputError(path, "cannot read NIfTI data: " + why);
  }
  if (image->GetNumberOfScalarComponents() != 1) {
    throw InputError(path, "NIfTI has " + std::to_string(image->GetNumberOfScalarComponents()) +
                               " components per voxel; only scalar volumes are supported");
  }
  raw.image = image;
  return raw;
}

// NIfTI writers need a proper rotation (det > 0); a left-handed grid is
// stored with its k axis reversed. Right-handed grids (the usual case) are
// written as they are, without a copy.
template <typename T>
std::optional<VolumeT<T>> flippedIfLeftHanded(const VolumeT<T>& volume) {
  const Geometry3D& g = volume.geometry();
  if (g.direction.determinant() > 0.0) return std::nullopt;
  VolumeT<T> flipped(g, kUninitialized);
  const std::size_t sliceSize = static_cast<std::size_t>(g.size[0]) * g.size[1];
  for (int k = 0; k < g.size[2]; ++k) {
    std::copy_n(volume.slice(g.size[2] - 1 - k), sliceSize, flipped.slice(k));
  }
  Eigen::Matrix3d dir = g.direction;
  dir.col(2) = -dir.col(2);
  flipped.setOrigin(g.indexToWorld(Eigen::Vector3d(0, 0, g.size[2] - 1)));
  flipped.setDirection(dir);
  flipped.setUnits(volume.units());
  flipped.metadata() = volume.metadata();
  return flipped;
}

// VTK's NIfTI writer writes `image` with `matrix` as qform and sform to `file`
// (errors name `path`, the file the user asked for).
void writeWithVtk(vtkImageData* image, vtkMatrix4x4* matrix, const fs::path& file,
                  const fs::path& path) {
  vtkNew<vtkNIFTIImageWriter> writer;
  vtkNew<ErrorCollector> errors;
  writer->AddObserver(vtkCommand::ErrorEvent, errors);
  writer->SetInputData(image);
  writer->SetFileName(file.c_str());
  writer->SetQFormMatrix(matrix);
  writer->SetSFormMatrix(matrix);
  writer->Write();
  if (!errors->message.empty() || writer->GetErrorCode() != 0) {
    throw InputError(path, "cannot write NIfTI: " + firstLine(errors->message));
  }
}

// Writes `n` bytes at `offset` of the open file `fd`, in large parts.
void writeAll(int fd, const char* data, std::size_t n, off_t offset, const fs::path& path) {
  constexpr std::size_t kPart = std::size_t{64} << 20;
  while (n > 0) {
    const ssize_t put = ::pwrite(fd, data, std::min(n, kPart), offset);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      throw InputError(path, std::string("cannot write NIfTI: ") +
                                 (put < 0 ? std::strerror(errno) : "nothing written"));
    }
    data += put;
    offset += put;
    n -= static_cast<std::size_t>(put);
  }
}

// An uncompressed .nii: VTK writes the header, from an image of 2 voxels
// (or 1) along each axis with the volume's geometry, so that every field but
// dim[1..3] is VTK's; then dim[1..3] get the volume's size and the voxels are
// written after the header in a few large writes. VTK's writer copies them
// through zlib's 4 KB buffer (76,800 write calls for a 300 MB volume).
// Byte for byte the file is the one VTK's writer makes (TestNiftiIO).
template <typename ArrayT, typename T>
void writePlainNifti(const VolumeT<T>& volume, vtkMatrix4x4* matrix, const fs::path& tmp,
                     const fs::path& path) {
  const Geometry3D& g = volume.geometry();
  std::array<std::int16_t, 3> tiny{};
  for (int a = 0; a < 3; ++a) tiny[a] = g.size[a] > 1 ? 2 : 1;
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetDimensions(tiny[0], tiny[1], tiny[2]);
  image->SetSpacing(g.spacing_mm.data());
  auto array = vtkSmartPointer<ArrayT>::New();
  array->SetNumberOfTuples(tiny[0] * tiny[1] * tiny[2]);
  array->FillValue(0);
  image->GetPointData()->SetScalars(array);
  writeWithVtk(image, matrix, tmp, path);

  // NIfTI-1 header offsets (nifti1.h): sizeof_hdr 0, dim 40, vox_offset 108.
  const int fd = ::open(tmp.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) throw InputError(path, std::string("cannot write NIfTI: ") + std::strerror(errno));
  try {
    std::array<char, 348> header{};
    if (::pread(fd, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size())) {
      throw InputError(path, "cannot write NIfTI: VTK's header could not be read back");
    }
    std::int32_t sizeofHdr = 0;
    std::array<std::int16_t, 3> dims{};
    float voxOffset = 0.0f;
    std::memcpy(&sizeofHdr, header.data(), sizeof sizeofHdr);
    std::memcpy(dims.data(), header.data() + 42, sizeof dims);
    std::memcpy(&voxOffset, header.data() + 108, sizeof voxOffset);
    if (sizeofHdr != 348 || dims != tiny || !(voxOffset >= 348.0f && voxOffset <= 4096.0f)) {
      throw InputError(path, "cannot write NIfTI: VTK's header is not the NIfTI-1 expected");
    }
    for (int a = 0; a < 3; ++a) dims[a] = static_cast<std::int16_t>(g.size[a]);
    std::memcpy(header.data() + 42, dims.data(), sizeof dims);
    const auto offset = static_cast<off_t>(voxOffset);
    writeAll(fd, header.data(), header.size(), 0, path);
    if (::ftruncate(fd, offset) != 0) {
      throw InputError(path, std::string("cannot write NIfTI: ") + std::strerror(errno));
    }
    writeAll(fd, reinterpret_cast<const char*>(volume.data()), volume.voxelCount() * sizeof(T),
             offset, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) {
    throw InputError(path, std::string("cannot write NIfTI: ") + std::strerror(errno));
  }
}

template <typename ArrayT, typename T>
void writeNifti(const VolumeT<T>& input, const fs::path& path) {
  const std::string name = path.filename().string();
  if (!(name.ends_with(".nii") || name.ends_with(".nii.gz"))) {
    throw InputError(path, "volumes are written as .nii or .nii.gz");
  }
  if (input.empty()) throw InputError(path, "cannot write an empty volume");
  const std::optional<VolumeT<T>> flipped = flippedIfLeftHanded(input);
  const VolumeT<T>& volume = flipped ? *flipped : input;
  const Geometry3D& g = volume.geometry();
  createVtkFactoryRegistryOnce();

  const Eigen::Matrix3d rotation = kRasToLps * g.direction;  // F^-1 == F
  const Eigen::Vector3d offset = kRasToLps * g.origin_mm;
  vtkNew<vtkMatrix4x4> matrix;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) matrix->SetElement(r, c, rotation(r, c));
    matrix->SetElement(r, 3, offset[r]);
  }
  // NIfTI-1 sizes are 16-bit: larger volumes are left to VTK's writer.
  const bool plain = name.ends_with(".nii") && *std::max_element(g.size.begin(), g.size.end()) <=
                                                   std::numeric_limits<std::int16_t>::max();
  writeAtomically(path, [&](const fs::path& tmp) {
    if (plain) return writePlainNifti<ArrayT>(volume, matrix, tmp, path);
    auto image = vtkSmartPointer<vtkImageData>::New();
    image->SetDimensions(g.size[0], g.size[1], g.size[2]);
    image->SetSpacing(g.spacing_mm.data());
    image->SetOrigin(0.0, 0.0, 0.0);
    auto array = vtkSmartPointer<ArrayT>::New();
    array->SetNumberOfComponents(1);
    array->SetArray(const_cast<T*>(volume.data()), static_cast<vtkIdType>(volume.voxelCount()), 1);
    image->GetPointData()->SetScalars(array);
    writeWithVtk(image, matrix, tmp, path);
  });
}

// out[i] = convert(in[i]) for the first n voxels VTK read, from the stored
// sample type; in parallel, which also spreads the first touch of the pages.
template <typename Out, typename Convert>
void convertVoxels(const fs::path& path, vtkDataArray* scalars, Out* out, std::size_t n,
                   Convert convert) {
  const void* in = scalars->GetVoidPointer(0);
  auto run = [&](const auto* typed) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, std::size_t{1} << 16),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i) {
                          out[i] = convert(static_cast<double>(typed[i]));
                        }
                      });
  };
  switch (scalars->GetDataType()) {
    vtkTemplateMacro(run(static_cast<const VTK_TT*>(in)));
    default:
      throw InputError(path, "unsupported NIfTI data type");
  }
}

}  // namespace

Volume readVolume(const fs::path& path) {
  Volume volume;
  RawVolume raw = readRaw(path, &volume);
  const double slope = raw.slope;
  const double intercept = raw.intercept;
  if (raw.image == nullptr) {  // float32 voxels read straight into `volume`
    if (slope != 1.0 || intercept != 0.0) {
      float* v = volume.data();
      tbb::parallel_for(std::size_t{0}, volume.voxelCount(), [=](std::size_t i) {
        v[i] = static_cast<float>(v[i] * slope + intercept);
      });
    }
  } else {
    vtkDataArray* scalars = raw.image->GetPointData()->GetScalars();
    volume = Volume(raw.geometry, kUninitialized);
    if (static_cast<std::size_t>(scalars->GetNumberOfTuples()) != volume.voxelCount()) {
      throw InputError(path, "voxel count does not match the header dimensions");
    }
    convertVoxels(path, scalars, volume.data(), volume.voxelCount(),
                  [=](double v) { return static_cast<float>(v * slope + intercept); });
    raw.image = nullptr;  // VTK's buffer goes now, before the caller allocates more
  }
  volume.metadata()[metakey::kFormat] = "NIfTI-1";
  volume.metadata()[metakey::kSource] = path.string();
  if (!raw.note.empty()) volume.metadata()[metakey::kNote] = raw.note;
  return volume;
}

MaskVolume readMask(const fs::path& path) {
  RawVolume raw = readRaw(path);
  MaskVolume mask(raw.geometry);  // voxels VTK did not give stay 0
  vtkDataArray* scalars = raw.image->GetPointData()->GetScalars();
  const std::size_t n =
      std::min(mask.voxelCount(), static_cast<std::size_t>(scalars->GetNumberOfTuples()));
  const double slope = raw.slope;
  const double intercept = raw.intercept;
  convertVoxels(path, scalars, mask.data(), n, [=](double v) {
    const double value = v * slope + intercept;
    return static_cast<std::uint8_t>((std::isfinite(value) && value != 0.0) ? 1 : 0);
  });
  mask.metadata()[metakey::kSource] = path.string();
  return mask;
}

void writeVolume(const Volume& volume, const fs::path& path) {
  writeNifti<vtkFloatArray>(volume, path);
}

void writeMask(const MaskVolume& mask, const fs::path& path) {
  writeNifti<vtkUnsignedCharArray>(mask, path);
}

}  // namespace harmonia
