#pragma once
// Check of encapsulated (compressed) Pixel Data, done without GDCM before
// GDCM's codecs decode it.
//
// Debian's GDCM (built with assertions) aborts, or corrupts memory, when a
// compressed stream disagrees with the data set (Rows/Columns/Bits
// Allocated/Samples per Pixel) or when its headers are malformed: an
// assertion in Bitmap::TryJPEGLSCodec when the JPEG-LS frame is smaller than
// Rows x Columns, assertions in the JPEG codecs' header readers, heap
// corruption in JPEG 2000 decoding when the code stream is larger than the
// image, segfaults and assertions in the RLE decoder. checkEncapsulatedPixelData
// refuses such streams with an InputError naming the file and the problem.
//
// Frames: GDCM decodes a single-frame image from all its fragments joined, and
// a multi-frame image one fragment per frame (JPEG-LS, RLE and JPEG 2000
// refuse other layouts, the JPEG codec guesses). Multi-frame images whose
// fragment count differs from Number of Frames are refused. A basic offset
// table, when present, has one 32-bit entry per frame, starts at 0, increases
// and points inside the fragments.
//
// Per transfer syntax, for each frame:
// - JPEG (1.2.840.10008.1.2.4.50-.70): SOI, then marker segments (each
//   inside the frame, DHT and DQT tables well formed) up to the first SOFn and
//   on to SOS; SOF precision 8, 12 or 16 (lossy, 16 as GDCM writes it) or
//   2..16 (lossless), held in Bits Allocated (ceil(P/8) == Bits Allocated / 8,
//   P >= Bits Stored; P == 8 for 1-bit images, as GDCM writes them), height ==
//   Rows, width == Columns, components == Samples per Pixel (1 or 3);
// - JPEG-LS (.80/.81): SOI, marker segments up to SOF55 with the same checks
//   (precision 2..16), an EOI at the end of the frame (GDCM asserts on it);
// - JPEG 2000 (.90-.93): SOC then SIZ: Xsiz-XOsiz == Columns, Ysiz-YOsiz ==
//   Rows, Csiz == Samples per Pixel, no sub-sampling, sane tiles, component
//   precision 1..16, at most Bits Allocated and at least Bits Stored; main
//   header marker segments inside the frame up to the first SOT;
// - RLE (.5): the 64-byte header: 1..15 segments, == Samples per Pixel x Bits
//   Allocated / 8, offsets from 64 increasing and inside the frame; every
//   segment decodes (PackBits) to exactly Rows x Columns bytes without reading
//   past the frame.
// Damage inside the entropy-coded data itself (JPEG scans, JPEG-LS and JPEG
// 2000 code blocks) is not looked at: the codecs report it as a decoding
// failure.
//
// checkDicomStructure(file, DicomExtent::WholeFile) (DicomStructure.h) calls
// this on every file with encapsulated Pixel Data, from the fragment positions
// its walk found: the file is read once.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace harmonia {

/// A Pixel Data item (offset table or fragment): where its value lies in the file.
struct PixelFragment {
  std::uint64_t offset = 0;  ///< first byte of the value
  std::uint32_t length = 0;  ///< bytes
};

/// What the check needs from a file with encapsulated Pixel Data (top level).
struct EncapsulatedPixelData {
  std::string transfer_syntax;  ///< UID
  // Image Pixel Module values; -1 when absent.
  int rows = -1;
  int columns = -1;
  int bits_allocated = -1;
  int bits_stored = -1;
  int samples_per_pixel = -1;
  std::string number_of_frames;  ///< (0028,0008) as written, empty when absent
  PixelFragment offset_table;    ///< the basic offset table (length 0: none)
  std::vector<PixelFragment> fragments;
};

/// Returns `n` bytes of the file from `pos` (the caller's fragments lie inside it).
using PixelByteReader = std::function<std::string(std::uint64_t pos, std::uint64_t n)>;

/// True for transfer syntaxes whose Pixel Data is encapsulated and that this check knows.
bool isCheckedEncapsulatedTransferSyntax(const std::string& uid);

/// Checks `pixels` (see above). Throws InputError naming `file` and the problem.
/// Linear in the size of the Pixel Data; reads one frame at a time.
void checkEncapsulatedPixelData(const std::filesystem::path& file,
                                const EncapsulatedPixelData& pixels, const PixelByteReader& read);

}  // namespace harmonia
