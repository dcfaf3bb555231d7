#pragma once
// Every data element of one DICOM file, as text: what a metadata panel lists.
//
// The file is checked first (checkDicomFile: GDCM must never see garbage),
// then read with GDCM up to the top-level Pixel Data, which is never loaded.
// Names and keywords come from GDCM's public dictionary; private elements are
// named from GDCM's private dictionary through their private creator. Values
// are decoded by VR (the file's explicit VR, else the dictionary's): text as
// text (Latin-1 converted to UTF-8), binary numbers as numbers, other binary
// values as "<N bytes>". Sequences are followed: each item comes after its
// sequence one level deeper (an "Item k of n" entry), and the item's elements
// follow the item one level deeper again (as gdcmdump indents them).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace harmonia {

/// One data element (or sequence item) of a file.
struct TagEntry {
  std::uint16_t group = 0;
  std::uint16_t element = 0;
  std::string keyword;  ///< dictionary keyword ("RescaleSlope"); "" when unknown
  std::string name;     ///< dictionary name ("Rescale Slope"), or "Item 2 of 5", or "Unknown"
  std::string vr;       ///< two letters ("DS", "SQ"); "" for sequence items
  std::string value;    ///< display text (see the file comment); "" when empty
  std::string private_creator;  ///< for private elements: their creator ("" when none found)
  std::size_t length = 0;       ///< value length in bytes (0 for sequences and items)
  int depth = 0;                ///< 0 at the top level; items +1, their elements +2

  /// True for elements of odd groups (private).
  [[nodiscard]] bool isPrivate() const { return (group & 1) != 0; }
  /// "(GGGG,EEEE)" with upper-case hexadecimal digits.
  [[nodiscard]] std::string tagText() const;
  /// True for a sequence item marker (FFFE,E000).
  [[nodiscard]] bool isItem() const { return group == 0xFFFE && element == 0xE000; }
};

/// Limits that keep dumps of huge files (structure sets, enhanced objects) small.
struct TagDumpOptions {
  /// Longer values are cut and end with "... (N characters)".
  std::size_t max_value_chars = 256;
  /// Numeric multi-values show at most this many numbers, then "... (N values)".
  std::size_t max_numbers = 32;
  /// The dump stops after this many entries and ends with a note saying so.
  std::size_t max_entries = 20000;
  /// Include the File Meta Information (group 0002) first.
  bool include_meta_information = true;
};

/// Reads every data element of `file` before its top-level Pixel Data.
/// Throws InputError naming the file and the problem when it is not a
/// readable DICOM file.
std::vector<TagEntry> dumpTags(const std::filesystem::path& file,
                               const TagDumpOptions& options = {});

/// The first top-level entry with this group and element, or nullptr.
const TagEntry* findTag(const std::vector<TagEntry>& entries, std::uint16_t group,
                        std::uint16_t element);

}  // namespace harmonia
