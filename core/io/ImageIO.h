#pragma once
// Reading and writing images and volumes.
//
// 2-D: PNG, JPEG, TIFF (8 and 16 bit, gray/RGB/RGBA) through OpenCV; TIFF
// also takes float32. 3-D: NIfTI-1 (.nii, .nii.gz) through VTK's NIfTI
// reader/writer (VTK is already a dependency, handles gzip, qform/sform and
// scl_slope/scl_inter; niftilib would add a package for nothing). NIfTI's RAS
// world is converted to our LPS convention (see Geometry.h) and back.
//
// Every failure is an InputError whose message names the file and the
// problem. Writes are atomic: a temporary file in the same folder, renamed
// over the destination only when complete.

#include <cstdint>
#include <filesystem>
#include <variant>
#include <vector>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"

namespace harmonia {

/// What a file holds, judged from its name.
enum class FileKind { Image2D, Volume, Unknown };

/// The kind of file `path` names, from its extension (.png .jpg .jpeg .tif
/// .tiff are 2-D; .nii .nii.gz are volumes).
FileKind fileKindOf(const std::filesystem::path& path);

/// The largest 2-D image the readers decode: 2 GiB of samples once decoded
/// (e.g. 26000 x 26000 RGB 8-bit) and 2^32 pixels. A file whose header declares
/// more is refused before decoding (such headers are mostly corrupt ones).
inline constexpr std::uint64_t kMax2DDecodedBytes = std::uint64_t{1} << 31;
inline constexpr std::uint64_t kMax2DPixels = std::uint64_t{1} << 32;

/// Reads a PNG, JPEG or TIFF image (RGB order, original bit depth).
Image2D readImage2D(const std::filesystem::path& path);
/// Decodes a PNG, JPEG or TIFF held in memory; `name` labels errors.
Image2D decodeImage2D(const std::vector<unsigned char>& bytes, const std::filesystem::path& name);
/// Writes a PNG (8/16-bit), JPEG (8-bit) or TIFF (8/16-bit, float32; uncompressed) image
/// atomically.
void writeImage2D(const Image2D& image, const std::filesystem::path& path);

/// Reads a NIfTI volume as float values (scl_slope/scl_inter applied), LPS geometry.
Volume readVolume(const std::filesystem::path& path);
/// Reads a NIfTI mask: voxels != 0 become 1.
MaskVolume readMask(const std::filesystem::path& path);
/// Writes a NIfTI volume (float32), geometry as qform and sform, atomically.
void writeVolume(const Volume& volume, const std::filesystem::path& path);
/// Writes a NIfTI mask (uint8), atomically.
void writeMask(const MaskVolume& mask, const std::filesystem::path& path);

/// Any image Harmonia reads.
using AnyImage = std::variant<Image2D, Volume>;
/// Reads a 2-D image or a volume, by file kind.
AnyImage readAny(const std::filesystem::path& path);
/// Writes a 2-D image or a volume; the extension must suit the data.
void writeAny(const AnyImage& image, const std::filesystem::path& path);

}  // namespace harmonia
