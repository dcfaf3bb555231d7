#include "core/dicom/DicomStructure.h"

#include <gdcmDict.h>
#include <gdcmDicts.h>
#include <gdcmGlobal.h>
#include <gdcmTransferSyntax.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/dicom/CodecCheck.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

constexpr std::uint32_t kUndefinedLength = 0xFFFFFFFFu;
constexpr std::uint32_t kItem = 0xFFFEE000u;
constexpr std::uint32_t kItemDelimiter = 0xFFFEE00Du;
constexpr std::uint32_t kSequenceDelimiter = 0xFFFEE0DDu;
constexpr std::uint32_t kPixelData = 0x7FE00010u;
// A deflated data set is inflated in memory; larger ones are refused.
constexpr std::uint64_t kMaxInflated = std::uint64_t{1} << 30;

std::string tagText(std::uint32_t tag) {
  char s[16];
  std::snprintf(s, sizeof s, "(%04X,%04X)", static_cast<unsigned>(tag >> 16),
                static_cast<unsigned>(tag & 0xFFFF));
  return s;
}

bool isValidVr(const char* vr) {
  static constexpr const char* kVrs[] = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL",
                                         "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW",
                                         "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC",
                                         "UI", "UL", "UN", "UR", "US", "UT", "UV"};
  return std::any_of(std::begin(kVrs), std::end(kVrs),
                     [&](const char* v) { return v[0] == vr[0] && v[1] == vr[1]; });
}

// VRs whose explicit-VR header has two reserved bytes and a 32-bit length.
bool isLongVr(const char* vr) {
  static constexpr const char* kLong[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ",
                                          "SV", "UC", "UN", "UR", "UT", "UV"};
  return std::any_of(std::begin(kLong), std::end(kLong),
                     [&](const char* v) { return v[0] == vr[0] && v[1] == vr[1]; });
}

bool vrIs(const char* vr, const char* name) { return vr[0] == name[0] && vr[1] == name[1]; }

// "'AB'" or the bytes in hexadecimal when they are not printable.
std::string vrText(const char* vr) {
  const auto printable = [](char c) { return c >= 0x20 && c < 0x7F; };
  if (printable(vr[0]) && printable(vr[1])) return std::string("'") + vr[0] + vr[1] + "'";
  char s[16];
  std::snprintf(s, sizeof s, "0x%02X%02X", static_cast<unsigned char>(vr[0]),
                static_cast<unsigned char>(vr[1]));
  return s;
}

// True for public tags the DICOM dictionary (GDCM's copy) says are sequences:
// GDCM and our readers ask for those as sequences, and GDCM aborts when an
// implicit-VR value asked for does not parse as one. A look-up, no parsing.
bool isDictionarySequence(std::uint32_t tag) {
  const auto group = static_cast<std::uint16_t>(tag >> 16);
  const auto element = static_cast<std::uint16_t>(tag & 0xFFFF);
  if ((group & 1) != 0 || element == 0x0000) return false;
  static const gdcm::Dict& dict = gdcm::Global::GetInstance().GetDicts().GetPublicDict();
  return dict.GetDictEntry(gdcm::Tag(group, element)).GetVR() == gdcm::VR::SQ;
}

// False when an explicit VR contradicts the dictionary for the attributes
// gdcm::ImageReader reads with gdcm::Attribute (which asserts that they agree):
// the image groups (0008, 0018, 0020, 0028, RT image 3002, curves 50xx,
// overlays 60xx). UN agrees with everything.
bool isCompatibleWithDictionary(std::uint32_t tag, const char* vr) {
  auto group = static_cast<std::uint16_t>(tag >> 16);
  const auto element = static_cast<std::uint16_t>(tag & 0xFFFF);
  if ((group & 0xFF00) == 0x5000 || (group & 0xFF00) == 0x6000) {
    group = static_cast<std::uint16_t>(group & 0xFF00);  // repeating groups
  } else if (group != 0x0008 && group != 0x0018 && group != 0x0020 && group != 0x0028 &&
             group != 0x3002) {
    return true;
  }
  if ((group & 1) != 0 || element == 0x0000 || vrIs(vr, "UN")) return true;
  static const gdcm::Dict& dict = gdcm::Global::GetInstance().GetDicts().GetPublicDict();
  const auto expected =
      static_cast<long long>(dict.GetDictEntry(gdcm::Tag(group, element)).GetVR());
  if (expected == gdcm::VR::INVALID) return true;
  const auto found = static_cast<long long>(gdcm::VR::GetVRTypeFromFile(vr));
  return (expected & found) != 0;
}

// The bytes being checked: a file read through a window, or bytes in memory.
class Bytes {
 public:
  explicit Bytes(std::string_view memory) : memory_(memory), size_(memory.size()) {}
  Bytes(const std::filesystem::path& file, std::uint64_t size)
      : file_(&file), in_(file, std::ios::binary), size_(size) {
    if (!in_) throw InputError(file, "cannot open the file");
  }

  [[nodiscard]] std::uint64_t size() const { return size_; }

  // The `n` (at most 16) bytes at `pos`; the caller has checked pos + n <= size().
  const unsigned char* at(std::uint64_t pos, std::size_t n) {
    if (file_ == nullptr) return reinterpret_cast<const unsigned char*>(memory_.data()) + pos;
    if (pos < windowStart_ || pos + n > windowStart_ + window_.size()) fill(pos);
    return window_.data() + (pos - windowStart_);
  }

  // `n` bytes from `pos` (pos + n <= size()).
  std::string slice(std::uint64_t pos, std::uint64_t n) {
    if (file_ == nullptr) return std::string(memory_.substr(pos, n));
    std::string out(static_cast<std::size_t>(n), '\0');
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(pos));
    if (!in_.read(out.data(), static_cast<std::streamsize>(n))) {
      throw InputError(*file_, "cannot read the file");
    }
    return out;
  }

 private:
  void fill(std::uint64_t pos) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kWindow, size_ - pos));
    window_.resize(n);
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(pos));
    if (!in_.read(reinterpret_cast<char*>(window_.data()), static_cast<std::streamsize>(n))) {
      throw InputError(*file_, "cannot read the file (it changed while being read?)");
    }
    windowStart_ = pos;
  }

  static constexpr std::uint64_t kWindow = 64 * 1024;
  std::string_view memory_;
  const std::filesystem::path* file_ = nullptr;
  std::ifstream in_;
  std::vector<unsigned char> window_;
  std::uint64_t windowStart_ = 0;
  std::uint64_t size_ = 0;
};

struct Encoding {
  bool explicit_vr = true;
  bool big_endian = false;
};

constexpr Encoding kImplicitLittle{false, false};

class Walker {
 public:
  Walker(const std::filesystem::path& file, Bytes& bytes, DicomExtent extent, std::string where)
      : file_(file), bytes_(bytes), extent_(extent), where_(std::move(where)) {}

  // A whole file: preamble, File Meta Information, data set.
  void file() {
    const std::uint64_t size = bytes_.size();
    std::uint64_t pos = 0;
    if (size >= 132 && std::memcmp(bytes_.at(128, 4), "DICM", 4) == 0) {
      pos = 132;
    } else if (!plausibleStart()) {
      fail("not a DICOM file (no 'DICM' marker at byte 128, no data set at the start)");
    }
    Encoding enc;
    bool deflated = false;
    if (size - pos >= 4 && u16(pos, false) == 0x0002) {
      std::string uid;
      pos = metaInformation(pos, uid);
      if (size - pos < 8) fail("truncated: no data set after the File Meta Information");
      deflated = transferSyntax(uid, enc);
    } else {
      if (size - pos < 8) fail("truncated: no data set after the 'DICM' marker");
      enc = guessEncoding(pos);
    }
    if (deflated) {
      const std::string inflated = inflateDataSet(pos);
      Bytes memory(inflated);
      Walker inner(file_, memory, extent_, " (in the inflated data set)");
      (void)inner.dataSet(0, memory.size(), false, enc, 0);
      return;
    }
    (void)dataSet(pos, size, false, enc, 0);
    if (extent_ == DicomExtent::WholeFile && encapsulated_ && seenPixelData_) {
      if (!pixelsFound_) {
        fail("Pixel Data (7FE0,0010) is not encapsulated, which transfer syntax " +
             pixels_.transfer_syntax + " requires");
      }
      // The compressed streams, before a codec sees them (CodecCheck.h).
      checkEncapsulatedPixelData(file_, pixels_, [this](std::uint64_t at, std::uint64_t n) {
        return bytes_.slice(at, n);
      });
    }
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(file_, problem + where_);
  }

  static std::string byteText(std::uint64_t pos) { return " at byte " + std::to_string(pos); }

  std::uint16_t u16(std::uint64_t pos, bool bigEndian) {
    const unsigned char* b = bytes_.at(pos, 2);
    return static_cast<std::uint16_t>(bigEndian ? (b[0] << 8) | b[1] : b[0] | (b[1] << 8));
  }
  std::uint32_t u32(std::uint64_t pos, bool bigEndian) {
    const std::uint32_t a = u16(pos, bigEndian);
    const std::uint32_t b = u16(pos + 2, bigEndian);
    return bigEndian ? (a << 16) | b : a | (b << 16);
  }
  // A tag is two 16-bit numbers, each in the data set's byte order.
  std::uint32_t tagAt(std::uint64_t pos, bool bigEndian) {
    return (static_cast<std::uint32_t>(u16(pos, bigEndian)) << 16) | u16(pos + 2, bigEndian);
  }

  // Without a preamble: a data set (or File Meta Information) that starts like one.
  bool plausibleStart() {
    const std::uint64_t size = bytes_.size();
    if (size < 8) return false;
    const std::uint16_t group = u16(0, false);
    const bool plausibleGroup = group == 0x0002 || group == 0x0008 || group == 0x0010 ||
                                group == 0x0018 || group == 0x0020 || group == 0x0028;
    const auto* vr = reinterpret_cast<const char*>(bytes_.at(4, 2));
    return plausibleGroup && (isValidVr(vr) || u32(4, false) < size);
  }

  // GDCM's guess for a data set without File Meta Information: explicit VR
  // only when it starts with a group 0008 element followed by a VR.
  Encoding guessEncoding(std::uint64_t pos) {
    const std::uint16_t group = u16(pos, false);
    if (group == 0x0800) fail("big endian data set without File Meta Information (not supported)");
    const auto* vr = reinterpret_cast<const char*>(bytes_.at(pos + 4, 2));
    if (group == 0x0008 && isValidVr(vr)) return Encoding{true, false};
    return kImplicitLittle;
  }

  // Walks the File Meta Information (group 0002, explicit VR little endian) and
  // returns the position after it; `uid` receives the Transfer Syntax UID.
  std::uint64_t metaInformation(std::uint64_t pos, std::string& uid) {
    const std::uint64_t size = bytes_.size();
    while (size - pos >= 4 && u16(pos, false) == 0x0002) {
      const std::uint32_t tag = tagAt(pos, false);
      if (size - pos < 8) fail("truncated: the file ends inside its File Meta Information");
      const auto* vr = reinterpret_cast<const char*>(bytes_.at(pos + 4, 2));
      if (!isValidVr(vr)) {
        fail("damaged File Meta Information: " + tagText(tag) + byteText(pos) +
             " has no valid VR (" + vrText(vr) + ")");
      }
      const bool longForm = isLongVr(vr);
      if (longForm && size - pos < 12) {
        fail("truncated: the file ends inside its File Meta Information");
      }
      const std::uint32_t length = longForm ? u32(pos + 8, false) : u16(pos + 6, false);
      const std::uint64_t value = pos + (longForm ? 12 : 8);
      if (length == kUndefinedLength || vrIs(vr, "SQ")) {
        fail("damaged File Meta Information: " + tagText(tag) +
             " is a sequence or has an undefined length");
      }
      if (length > size - value) fail("truncated: the file ends inside its File Meta Information");
      if (tag == 0x00020000) {
        if (!vrIs(vr, "UL") || length != 4) {
          fail("damaged File Meta Information: its group length (0002,0000) is not a 4-byte UL");
        }
        // Its value is not checked: GDCM ignores it, and so do many writers.
      } else if (tag == 0x00020010) {
        const std::string raw = bytes_.slice(value, std::min<std::uint32_t>(length, 256));
        uid = raw.substr(0, raw.find('\0'));
        while (!uid.empty() && uid.back() == ' ') uid.pop_back();
      }
      pos = value + length;
    }
    return pos;
  }

  // Sets `enc` from the Transfer Syntax UID; true for a deflated data set.
  bool transferSyntax(const std::string& uid, Encoding& enc) {
    if (uid.empty()) fail("damaged File Meta Information: no Transfer Syntax UID (0002,0010)");
    const gdcm::TransferSyntax::TSType type = gdcm::TransferSyntax::GetTSType(uid.c_str());
    if (type == gdcm::TransferSyntax::TS_END) fail("unknown transfer syntax '" + uid + "'");
    if (uid == "1.2.840.10008.1.2") {
      enc = kImplicitLittle;
      return false;
    }
    if (uid == "1.2.840.10008.1.2.2") {
      enc = Encoding{true, true};
      return false;
    }
    enc = Encoding{true, false};
    if (uid == "1.2.840.10008.1.2.1.99") return true;
    const gdcm::TransferSyntax ts(type);
    if (ts.GetNegociatedType() != gdcm::TransferSyntax::Explicit ||
        ts.GetSwapCode() != gdcm::SwapCode::LittleEndian) {
      fail("unsupported transfer syntax '" + uid + "'");
    }
    encapsulated_ = ts.IsEncapsulated();
    pixels_.transfer_syntax = uid;
    return false;
  }

  std::string inflateDataSet(std::uint64_t pos) {
    if (bytes_.size() - pos > kMaxInflated) {
      fail("the deflated data set is larger than 1 GiB (refused)");
    }
    const std::string compressed = bytes_.slice(pos, bytes_.size() - pos);
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) fail("cannot inflate the deflated data set");
    std::string out;
    std::vector<char> chunk(256 * 1024);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    int status = Z_OK;
    while (status == Z_OK) {
      zs.next_out = reinterpret_cast<Bytef*>(chunk.data());
      zs.avail_out = static_cast<uInt>(chunk.size());
      status = inflate(&zs, Z_NO_FLUSH);
      out.append(chunk.data(), chunk.size() - zs.avail_out);
      if (out.size() > kMaxInflated) {
        inflateEnd(&zs);
        fail("the deflated data set inflates to more than 1 GiB (refused)");
      }
      if (status == Z_BUF_ERROR) break;
    }
    const std::string message = zs.msg ? zs.msg : "";
    inflateEnd(&zs);
    if (status == Z_BUF_ERROR) fail("truncated: the deflated data set ends early");
    if (status != Z_STREAM_END) {
      fail("damaged deflated data set" + (message.empty() ? "" : " (zlib: " + message + ")"));
    }
    return out;
  }

  // Walks data elements from `pos`: until exactly `limit`, or (`delimited`, an
  // item of undefined length) until its item delimiter, within `limit`.
  // Returns the position after the data set (after the delimiter).
  std::uint64_t dataSet(std::uint64_t pos, std::uint64_t limit, bool delimited, Encoding enc,
                        int depth) {
    const bool nested = depth > 0;
    std::vector<std::uint32_t> tags;  // nested data sets only: duplicates are refused
    std::set<std::uint32_t> sorted;   // filled once tags come out of order
    while (true) {
      if (!delimited && pos == limit) return pos;
      const std::uint64_t left = limit - pos;
      if (!nested && left < 4) return limit;  // GDCM ignores up to 3 stray bytes at the end
      if (left < 8) {
        if (delimited) fail(endsWithout(limit, "an item of undefined length", "item delimiter"));
        fail(truncatedHeader(pos, limit, "data element"));
      }
      const std::uint32_t tag = tagAt(pos, enc.big_endian);
      if ((tag >> 16) == 0xFFFE) {
        if (tag == kItemDelimiter && delimited) return pos + 8;
        fail(misplaced(tag, pos, "a data element"));
      }
      char vr[2] = {0, 0};
      std::uint32_t length = 0;
      std::uint64_t header = 8;
      if (enc.explicit_vr) {
        std::memcpy(vr, bytes_.at(pos + 4, 2), 2);
        if (!isValidVr(vr)) fail(tagText(tag) + byteText(pos) + ": invalid VR " + vrText(vr));
        if (isLongVr(vr)) {
          if (left < 12) fail(truncatedHeader(pos, limit, "data element"));
          length = u32(pos + 8, enc.big_endian);
          header = 12;
        } else {
          length = u16(pos + 6, enc.big_endian);
        }
      } else {
        length = u32(pos + 4, enc.big_endian);
      }
      checkWorkarounds(tag, vr, length, enc, pos);
      if (extent_ == DicomExtent::WholeFile) checkForImageReader(tag, vr, length, pos, enc, nested);
      if (nested) {
        if (length != kUndefinedLength && length % 2 != 0) {
          fail(tagText(tag) + byteText(pos) + " inside a sequence item has an odd length (" +
               std::to_string(length) + ")");
        }
        checkDuplicate(tag, pos, tags, sorted);
      }
      const std::uint64_t value = pos + header;
      const bool lastOfHeader =
          !nested && extent_ == DicomExtent::UntilPixelData && tag >= kPixelData;
      if (length == kUndefinedLength) {
        // A header read stops right after the Pixel Data header.
        if (lastOfHeader && tag == kPixelData) return value;
        pos = undefinedLengthValue(tag, vr, value, limit, enc, depth);
      } else {
        if (length > limit - value) {
          if (limit == bytes_.size()) {
            fail("truncated: " + tagText(tag) + byteText(pos) + " needs " + std::to_string(length) +
                 " bytes but only " + std::to_string(limit - value) + " remain in the file");
          }
          fail(tagText(tag) + byteText(pos) + ": its length (" + std::to_string(length) +
               ") runs past the end of its item or sequence");
        }
        if (!(lastOfHeader && tag == kPixelData)) {
          definedLengthValue(tag, vr, value, length, enc, depth);
        }
        pos = value + length;
      }
      if (lastOfHeader) return pos;
    }
  }

  // The value of an element of undefined length: a sequence, or encapsulated Pixel Data.
  std::uint64_t undefinedLengthValue(std::uint32_t tag, const char* vr, std::uint64_t value,
                                     std::uint64_t limit, Encoding enc, int depth) {
    if (tag == kPixelData) {
      if (enc.explicit_vr && !vrIs(vr, "OB") && !vrIs(vr, "OW")) {
        fail("Pixel Data (7FE0,0010) of undefined length has VR " + vrText(vr) +
             " (encapsulated Pixel Data must be OB or OW)");
      }
      return fragments(value, limit, enc, depth == 0);
    }
    if (!enc.explicit_vr || vrIs(vr, "SQ")) return sequence(tag, value, limit, true, enc, depth);
    // CP-246: a sequence sent as UN is encoded in implicit VR.
    if (vrIs(vr, "UN")) {
      return sequence(tag, value, limit, true, Encoding{false, enc.big_endian}, depth);
    }
    fail(tagText(tag) + byteText(value) + " has an undefined length, which VR " + vrText(vr) +
         " does not allow");
  }

  // The value of an element of defined length: sequences are walked.
  void definedLengthValue(std::uint32_t tag, const char* vr, std::uint64_t value,
                          std::uint32_t length, Encoding enc, int depth) {
    if (enc.explicit_vr && vrIs(vr, "SQ")) {
      if (tag == kPixelData) fail("Pixel Data (7FE0,0010) has VR SQ");
      (void)sequence(tag, value, value + length, false, enc, depth);
      return;
    }
    // GDCM keeps implicit-VR and UN values as bytes, and parses them as
    // implicit VR little endian sequences when asked (GetValueAsSQ) -- where a
    // value that does not parse makes it abort.
    if (tag == kPixelData) {
      // GDCM reads Pixel Data sent as UN in an encapsulated transfer syntax as fragments.
      if (encapsulated_ && enc.explicit_vr && vrIs(vr, "UN")) {
        (void)fragments(value, value + length, enc, depth == 0);
      }
      return;
    }
    if (length == 0 || (enc.explicit_vr && !vrIs(vr, "UN"))) return;
    if (length >= 4 && tagAt(value, false) == kItem) {
      (void)sequence(tag, value, value + length, false, kImplicitLittle, depth);
      return;
    }
    if (isDictionarySequence(tag)) {
      fail(tagText(tag) + byteText(value - 8) +
           " is a sequence but its value does not start with an item (FFFE,E000)");
    }
  }

  // Items of a sequence, each a nested data set.
  std::uint64_t sequence(std::uint32_t owner, std::uint64_t pos, std::uint64_t limit,
                         bool delimited, Encoding enc, int depth) {
    if (depth + 1 > kMaxDicomNesting) {
      fail("sequences nested more than " + std::to_string(kMaxDicomNesting) + " deep (" +
           tagText(owner) + byteText(pos) + ")");
    }
    const std::string name = "sequence " + tagText(owner);
    while (true) {
      if (!delimited && pos == limit) return pos;
      if (limit - pos < 8) {
        if (delimited) fail(endsWithout(limit, name, "sequence delimiter"));
        fail(truncatedHeader(pos, limit, "item of " + name));
      }
      const std::uint32_t tag = tagAt(pos, enc.big_endian);
      const std::uint32_t length = u32(pos + 4, enc.big_endian);
      if (tag == kItem) {
        if (length == kUndefinedLength) {
          pos = dataSet(pos + 8, limit, true, enc, depth + 1);
          continue;
        }
        if (length > limit - pos - 8) {
          fail(limit == bytes_.size()
                   ? "truncated: an item of " + name + byteText(pos) + " needs " +
                         std::to_string(length) + " bytes but only " +
                         std::to_string(limit - pos - 8) + " remain in the file"
                   : "an item of " + name + byteText(pos) + " (length " + std::to_string(length) +
                         ") runs past the end of its sequence");
        }
        if (length % 2 != 0) {
          fail("an item of " + name + byteText(pos) + " has an odd length (" +
               std::to_string(length) + ")");
        }
        (void)dataSet(pos + 8, pos + 8 + length, false, enc, depth + 1);
        pos += 8 + length;
      } else if (tag == kSequenceDelimiter) {
        if (delimited) return pos + 8;
        // GDCM skips a stray empty delimiter in a sequence of defined length.
        if (length != 0) {
          fail("a sequence delimiter" + byteText(pos) + " inside " + name + " has a length");
        }
        pos += 8;
      } else {
        fail(misplaced(tag, pos, "an item (FFFE,E000) of " + name));
      }
    }
  }

  // Encapsulated Pixel Data: the offset table and the fragments, each an item
  // of even defined length, then a sequence delimiter.
  // At the top level (`record`), their positions are kept for the codec check.
  std::uint64_t fragments(std::uint64_t pos, std::uint64_t limit, Encoding enc, bool record) {
    bool first = true;
    if (record) {
      pixelsFound_ = true;
      pixels_.fragments.clear();
    }
    while (true) {
      if (limit - pos < 8) {
        fail(endsWithout(limit, "encapsulated Pixel Data (7FE0,0010)", "sequence delimiter"));
      }
      const std::uint32_t tag = tagAt(pos, enc.big_endian);
      const std::uint32_t length = u32(pos + 4, enc.big_endian);
      if (tag == kItem) {
        if (length == kUndefinedLength) {
          fail("a Pixel Data fragment" + byteText(pos) + " has an undefined length");
        }
        if (length > limit - pos - 8) {
          fail((limit == bytes_.size() ? "truncated: a Pixel Data fragment"
                                       : "a Pixel Data fragment") +
               byteText(pos) + " needs " + std::to_string(length) + " bytes but only " +
               std::to_string(limit - pos - 8) + " remain");
        }
        if (length % 2 != 0) {
          fail("a Pixel Data fragment" + byteText(pos) + " has an odd length (" +
               std::to_string(length) + ")");
        }
        if (record) {
          if (first) {
            pixels_.offset_table = PixelFragment{pos + 8, length};
          } else {
            pixels_.fragments.push_back(PixelFragment{pos + 8, length});
          }
        }
        pos += 8 + length;
      } else if (tag == kSequenceDelimiter && !first) {
        if (length != 0) {
          fail("the Pixel Data sequence delimiter" + byteText(pos) + " has a length");
        }
        return pos + 8;
      } else {
        fail(misplaced(tag, pos,
                       first ? "the offset table item (FFFE,E000) of encapsulated Pixel Data"
                             : "a Pixel Data fragment item (FFFE,E000)"));
      }
      first = false;
    }
  }

  // Byte patterns that trigger GDCM's vendor workarounds, after which it
  // misreads the rest of the file (and may abort).
  void checkWorkarounds(std::uint32_t tag, const char* vr, std::uint32_t length, Encoding enc,
                        std::uint64_t pos) {
    const auto refuse = [&] {
      fail(tagText(tag) + byteText(pos) + " with length " + std::to_string(length) +
           " (a pattern GDCM misreads)");
    };
    if (enc.explicit_vr) {
      if (tag == 0x00FF4AA5) refuse();
      if ((tag >> 16) == 0x0009 && vrIs(vr, "UL") && length == 6) refuse();
    } else {
      if (length == 13 && tag != 0x00080070 && tag != 0x00080080) refuse();
      if (tag == 0x031E0324 && length == 0x031F031C) refuse();
    }
  }

  // What gdcm::ImageReader reads at the top level beyond the structure, where
  // it asserts on (or crashes with) values it does not expect.
  void checkForImageReader(std::uint32_t tag, const char* vr, std::uint32_t length,
                           std::uint64_t pos, Encoding enc, bool nested) {
    if (enc.explicit_vr && !isCompatibleWithDictionary(tag, vr)) {
      fail(tagText(tag) + byteText(pos) + " has VR " + vrText(vr) +
           ", which its dictionary VR does not allow");
    }
    if (tag == kPixelData && !nested) {
      // GDCM keeps the first one only: the decoder would read the wrong one.
      if (seenPixelData_) fail("Pixel Data (7FE0,0010) appears twice (again" + byteText(pos) + ")");
      seenPixelData_ = true;
      return;
    }
    if (tag == 0x00280008 && !nested && length != kUndefinedLength && length <= 64 &&
        length <= bytes_.size() - pos) {
      // Number of Frames (IS), for the codec check; its header is checked by the caller.
      const std::uint64_t at = pos + (enc.explicit_vr && isLongVr(vr) ? 12 : 8);
      if (at <= bytes_.size() && length <= bytes_.size() - at) {
        pixels_.number_of_frames = bytes_.slice(at, length);
      }
    }
    const bool recognitionCode = tag == 0x00080010;
    const bool pixelModule = tag == 0x00280002 || tag == 0x00280010 || tag == 0x00280011 ||
                             tag == 0x00280100 || tag == 0x00280101 || tag == 0x00280102 ||
                             tag == 0x00280103;
    if (!recognitionCode && !pixelModule) return;
    const std::uint64_t value = pos + (enc.explicit_vr && isLongVr(vr) ? 12 : 8);
    if (length == kUndefinedLength) fail(tagText(tag) + byteText(pos) + " has an undefined length");
    if (length > bytes_.size() - value) return;  // reported as truncated by the caller
    if (recognitionCode) {
      // (Retired) Recognition Code: GDCM asserts that it names ACR-NEMA.
      if (length == 0) return;
      const std::string v = bytes_.slice(value, std::min<std::uint32_t>(length, 8));
      if (v.rfind("ACR-NEMA", 0) != 0 && v.rfind("ACRNEMA", 0) != 0 &&
          v.rfind("MIPS 2.0", 0) != 0) {
        fail("Recognition Code (0008,0010)" + byteText(pos) + " is not 'ACR-NEMA'");
      }
      return;
    }
    if (enc.explicit_vr && !vrIs(vr, "US") && !vrIs(vr, "UN")) {
      fail(tagText(tag) + byteText(pos) + " has VR " + vrText(vr) +
           " (an image attribute, must be US)");
    }
    if (length != 2) {
      fail(tagText(tag) + byteText(pos) + " has length " + std::to_string(length) +
           " (an image attribute, one US value of 2 bytes)");
    }
    const std::uint16_t v = u16(value, enc.big_endian);
    if (!nested) {
      const int iv = static_cast<int>(v);
      switch (tag) {
        case 0x00280002:
          pixels_.samples_per_pixel = iv;
          break;
        case 0x00280010:
          pixels_.rows = iv;
          break;
        case 0x00280011:
          pixels_.columns = iv;
          break;
        case 0x00280100:
          pixels_.bits_allocated = iv;
          break;
        case 0x00280101:
          pixels_.bits_stored = iv;
          break;
        default:
          break;
      }
    }
    if (tag == 0x00280002 && v != 1 && v != 3 && v != 4) {
      fail("Samples per Pixel (0028,0002) is " + std::to_string(v) + " (must be 1, 3 or 4)");
    }
    if (tag == 0x00280100 && v > 64 && v != 0x00FF && v != 0x0FFF && v != 0xFFFF) {
      fail("Bits Allocated (0028,0100) is " + std::to_string(v) + " (at most 64)");
    }
  }

  // Refuses a tag already seen in this (nested) data set: GDCM keeps one copy,
  // and the item's length no longer adds up.
  void checkDuplicate(std::uint32_t tag, std::uint64_t pos, std::vector<std::uint32_t>& tags,
                      std::set<std::uint32_t>& sorted) {
    bool duplicate = false;
    if (!sorted.empty()) {
      duplicate = !sorted.insert(tag).second;
    } else if (tags.empty() || tag > tags.back()) {
      tags.push_back(tag);
    } else {
      sorted.insert(tags.begin(), tags.end());
      duplicate = !sorted.insert(tag).second;
    }
    if (duplicate) fail(tagText(tag) + byteText(pos) + " appears twice in the same sequence item");
  }

  std::string misplaced(std::uint32_t tag, std::uint64_t pos, const std::string& expected) const {
    std::string what = tagText(tag);
    if (tag == kItem) what = "an item tag " + what;
    if (tag == kItemDelimiter) what = "an item delimiter " + what;
    if (tag == kSequenceDelimiter) what = "a sequence delimiter " + what;
    return what + byteText(pos) + " where " + expected + " is expected";
  }

  std::string truncatedHeader(std::uint64_t pos, std::uint64_t limit,
                              const std::string& what) const {
    if (limit == bytes_.size()) {
      return "truncated: the file ends inside the header of a " + what + byteText(pos);
    }
    return "the header of a " + what + byteText(pos) + " runs past the end of its item or sequence";
  }

  std::string endsWithout(std::uint64_t limit, const std::string& what,
                          const std::string& delimiter) const {
    if (limit == bytes_.size()) return "truncated: " + what + " ends without its " + delimiter;
    return what + " runs past the end of the item or value holding it (no " + delimiter + ")";
  }

  const std::filesystem::path& file_;
  Bytes& bytes_;
  DicomExtent extent_;
  std::string where_;
  bool encapsulated_ = false;     // the transfer syntax encapsulates Pixel Data
  bool seenPixelData_ = false;    // the top-level Pixel Data was walked (WholeFile)
  bool pixelsFound_ = false;      // ... and it is encapsulated: pixels_ holds its fragments
  EncapsulatedPixelData pixels_;  // what the codec check needs (top level only)
};

}  // namespace

void checkDicomStructure(const std::filesystem::path& file, DicomExtent extent) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) throw InputError(file, "cannot read the file (" + ec.message() + ")");
  if (size == 0) throw InputError(file, "empty file");
  Bytes bytes(file, size);
  Walker(file, bytes, extent, "").file();
}

void checkDicomStructure(const std::filesystem::path& file, std::string_view data,
                         DicomExtent extent) {
  if (data.empty()) throw InputError(file, "empty file");
  Bytes bytes(data);
  Walker(file, bytes, extent, "").file();
}

}  // namespace harmonia
