#pragma once
// Structural check of a DICOM file, done without GDCM before GDCM sees it.
//
// Debian's GDCM is built with assertions and calls abort() on some damaged
// files (an item tag where a data element is expected, a length that runs past
// its item, ...) instead of reporting an error. checkDicomStructure walks the
// file the way a DICOM parser does and refuses, with an InputError naming the
// file and the problem, everything that would make GDCM misbehave:
//
// - the preamble and 'DICM' marker (or, without them, a plausible data set at
//   the start, read as GDCM guesses it: explicit VR only when the file starts
//   with a group 0008 element and a VR);
// - the File Meta Information: explicit VR little endian elements of group
//   0002, a sound group length, a Transfer Syntax UID GDCM knows;
// - the data set in the transfer syntax's encoding (implicit VR little
//   endian, explicit VR little or big endian; a deflated data set is inflated
//   with zlib first): every element header complete, every VR valid (explicit
//   VR), every defined length inside the file and inside its item or sequence,
//   undefined lengths only where DICOM allows them (SQ, UN, Pixel Data);
// - sequences hold only items and end with a sequence delimiter when of
//   undefined length; items hold data elements and end with an item delimiter
//   when of undefined length; item and delimiter tags never stand where a data
//   element is expected; nesting is at most kMaxDicomNesting deep;
// - values GDCM may later parse as sequences (implicit VR or UN values that
//   start with an item tag, or whose tag the DICOM dictionary calls a
//   sequence) do parse as implicit VR sequences;
// - inside items (where GDCM adds up lengths and asserts that they are even):
//   even lengths and no duplicate tags;
// - encapsulated Pixel Data: an offset table and fragments, all items of even
//   defined length, then a sequence delimiter;
// - a few byte patterns that trigger GDCM's vendor workarounds (which then
//   misread the rest of the file) are refused too.
//
// For the whole file (WholeFile, before gdcm::ImageReader or a full
// gdcm::Reader read), also what the image reader asserts on beyond the
// structure: Pixel Data twice at the top level, Pixel Data sent as UN in an
// encapsulated transfer syntax that does not hold fragments, Image Pixel
// Module attributes (0028,0002/0010/0011/0100-0103) that are not one US
// value (Samples per Pixel 1, 3 or 4; Bits Allocated at most 64), an explicit
// VR that contradicts the dictionary in the image groups (0008, 0018, 0020,
// 0028, 3002, 50xx, 60xx), and a Recognition Code (0008,0010) that is not
// ACR-NEMA. Encapsulated Pixel Data (the top-level fragments) then goes
// through checkEncapsulatedPixelData (CodecCheck.h): the JPEG, JPEG-LS, JPEG
// 2000 and RLE stream headers must agree with Rows, Columns, Bits Allocated /
// Stored and Samples per Pixel, frames must map to fragments, and RLE
// segments must decode to the right size. Damage inside the entropy-coded data
// of JPEG, JPEG-LS and JPEG 2000 streams is left to the codecs.
//
// Tags out of order are accepted (GDCM sorts them); so are odd lengths at the
// top level, non-zero delimiter lengths and a File Meta group length that
// disagrees with the group, which GDCM tolerates.
//
// The work is linear in the number of elements (each byte of the file is
// walked at most once), the recursion depth is bounded, and nothing past the
// end of the file is ever read. GDCM's copy of the DICOM dictionary is looked
// up (for sequence and VR checks); GDCM never parses the file here.

#include <filesystem>
#include <string_view>

namespace harmonia {

/// How much of the file checkDicomStructure walks.
enum class DicomExtent {
  /// Up to the top-level Pixel Data header (what a header read hands GDCM).
  UntilPixelData,
  /// The whole file, encapsulated Pixel Data fragments included, and what
  /// gdcm::ImageReader needs (see above).
  WholeFile,
};

/// Sequences nested deeper than this are refused.
inline constexpr int kMaxDicomNesting = 64;

/// Walks `file` (see above). Throws InputError naming the file and the problem
/// when its structure is damaged, or when it cannot be read.
void checkDicomStructure(const std::filesystem::path& file,
                         DicomExtent extent = DicomExtent::WholeFile);

/// The same on a file's bytes held in memory; `file` only names them in errors.
void checkDicomStructure(const std::filesystem::path& file, std::string_view bytes,
                         DicomExtent extent = DicomExtent::WholeFile);

}  // namespace harmonia
