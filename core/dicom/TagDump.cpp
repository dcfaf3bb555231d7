#include "core/dicom/TagDump.h"

#include <gdcmDataSet.h>
#include <gdcmDict.h>
#include <gdcmDictEntry.h>
#include <gdcmDicts.h>
#include <gdcmGlobal.h>
#include <gdcmPrivateTag.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfFragments.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmVR.h>

#include <cstdio>
#include <cstring>
#include <set>
#include <type_traits>

#include "core/dicom/DicomHeader.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

constexpr std::uint16_t kPixelDataGroup = 0x7FE0;

// Text bytes as UTF-8: kept when they already are valid UTF-8, else read as
// Latin-1 (ISO_IR 100, the usual DICOM character set beyond ASCII).
// Control characters (line breaks in LT/ST/UT included) become spaces.
bool isValidUtf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t more = 0;
    if (c >= 0x80) {
      if ((c >> 5) == 0x6) {
        more = 1;
      } else if ((c >> 4) == 0xE) {
        more = 2;
      } else if ((c >> 3) == 0x1E) {
        more = 3;
      } else {
        return false;
      }
    }
    for (std::size_t k = 1; k <= more; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += more + 1;
  }
  return true;
}

std::string displayText(const std::string& raw) {
  std::string s;
  s.reserve(raw.size());
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    s += c < 0x20 || c == 0x7F ? ' ' : ch;
  }
  if (isValidUtf8(s)) return s;
  std::string utf8;
  utf8.reserve(s.size() * 2);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      utf8 += ch;
    } else {
      utf8 += static_cast<char>(0xC0 | (c >> 6));
      utf8 += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return utf8;
}

// Removes DICOM padding (spaces, NULs) at both ends.
std::string trimmed(const std::string& s) { return trimDicom(s); }

// Cuts `s` to about `maxChars` bytes without splitting a UTF-8 sequence.
std::string truncated(std::string s, std::size_t maxChars) {
  if (s.size() <= maxChars) return s;
  const std::size_t total = s.size();
  std::size_t cut = maxChars;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) >> 6) == 0x2) --cut;
  s.resize(cut);
  return s + "... (" + std::to_string(total) + " characters)";
}

std::string hexBytes(const char* p, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    char b[4];
    std::snprintf(b, sizeof b, "%02X", static_cast<unsigned char>(p[i]));
    if (i) s += '\\';
    s += b;
  }
  return s;
}

std::string bytesText(std::size_t n) {
  // (snprintf: g++ 12 warns falsely on "<" + std::to_string(n) at -O3.)
  char b[40];
  std::snprintf(b, sizeof b, "<%zu %s>", n, n == 1 ? "byte" : "bytes");
  return b;
}

template <class T>
T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Binary numbers of type T, '\'-separated, at most `maxNumbers` of them.
template <class T>
std::string numbersText(const char* p, std::size_t n, std::size_t maxNumbers) {
  const std::size_t count = n / sizeof(T);
  if (count * sizeof(T) != n) return bytesText(n);  // not a whole number of values
  std::string s;
  for (std::size_t i = 0; i < count && i < maxNumbers; ++i) {
    if (i) s += '\\';
    const T v = load<T>(p + i * sizeof(T));
    char b[40];
    if constexpr (std::is_same_v<T, float>) {
      std::snprintf(b, sizeof b, "%.7g", static_cast<double>(v));
    } else if constexpr (std::is_same_v<T, double>) {
      std::snprintf(b, sizeof b, "%.10g", v);
    } else if constexpr (std::is_signed_v<T>) {
      std::snprintf(b, sizeof b, "%lld", static_cast<long long>(v));
    } else {
      std::snprintf(b, sizeof b, "%llu", static_cast<unsigned long long>(v));
    }
    s += b;
  }
  if (count > maxNumbers) s += "\\... (" + std::to_string(count) + " values)";
  return s;
}

// Attribute tags (AT): pairs of 16-bit group, element.
std::string attributeTagsText(const char* p, std::size_t n, std::size_t maxNumbers) {
  if (n % 4 != 0) return bytesText(n);
  std::string s;
  for (std::size_t i = 0; i < n / 4 && i < maxNumbers; ++i) {
    char b[16];
    std::snprintf(b, sizeof b, "(%04X,%04X)", load<std::uint16_t>(p + 4 * i),
                  load<std::uint16_t>(p + 4 * i + 2));
    if (i) s += '\\';
    s += b;
  }
  if (n / 4 > maxNumbers) s += "\\... (" + std::to_string(n / 4) + " values)";
  return s;
}

// True when every byte is printable ASCII (padding NULs and spaces allowed):
// a value of unknown VR that is most likely text.
bool looksLikeText(const char* p, std::size_t n) {
  if (n == 0) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c == 0 && i + 2 >= n) continue;
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

using VRType = gdcm::VR::VRType;

std::size_t byteLength(const gdcm::DataElement& de) {
  const gdcm::ByteValue* bv = de.GetByteValue();
  return bv ? static_cast<std::size_t>(static_cast<std::uint32_t>(bv->GetLength())) : 0;
}

// True when a value kept as bytes starts with an item tag (FFFE,E000), little endian.
bool startsWithItem(const gdcm::DataElement& de) {
  const gdcm::ByteValue* bv = de.GetByteValue();
  if (!bv || !bv->GetPointer() || byteLength(de) < 8) return false;
  const auto* b = reinterpret_cast<const unsigned char*>(bv->GetPointer());
  return b[0] == 0xFE && b[1] == 0xFF && b[2] == 0x00 && b[3] == 0xE0;
}

bool isTextVr(VRType vr) {
  return vr == gdcm::VR::AE || vr == gdcm::VR::AS || vr == gdcm::VR::CS || vr == gdcm::VR::DA ||
         vr == gdcm::VR::DS || vr == gdcm::VR::DT || vr == gdcm::VR::IS || vr == gdcm::VR::LO ||
         vr == gdcm::VR::LT || vr == gdcm::VR::PN || vr == gdcm::VR::SH || vr == gdcm::VR::ST ||
         vr == gdcm::VR::TM || vr == gdcm::VR::UC || vr == gdcm::VR::UI || vr == gdcm::VR::UR ||
         vr == gdcm::VR::UT;
}

// A single, named VR (GetVRString also names combinations such as "US or SS").
std::string vrName(VRType vr) {
  if (vr == gdcm::VR::INVALID || vr == gdcm::VR::VR_END) return "";
  const char* s = gdcm::VR::GetVRString(vr);
  return s && std::strlen(s) == 2 ? s : "";
}

class Dumper {
 public:
  Dumper(const TagDumpOptions& options, bool signedPixels)
      : options_(options),
        signedPixels_(signedPixels),
        dicts_(gdcm::Global::GetInstance().GetDicts()) {}

  // Appends every element of `ds` at `depth` (and its sequences' items deeper).
  void dataSet(const gdcm::DataSet& ds, int depth) {
    for (const gdcm::DataElement& de : ds.GetDES()) {
      if (full()) return;
      if (depth == 0 && de.GetTag().GetGroup() == kPixelDataGroup) continue;
      element(de, ds, depth);
    }
  }

  std::vector<TagEntry> take() {
    if (stopped_) {
      TagEntry note;
      note.name = "(the list stops after " + std::to_string(options_.max_entries) + " entries)";
      out_.push_back(std::move(note));
    }
    return std::move(out_);
  }

 private:
  bool full() {
    if (out_.size() >= options_.max_entries) stopped_ = true;
    return stopped_;
  }

  // The private creator of private element `t` in `ds` (its (gggg,00xx) value).
  static std::string creatorOf(const gdcm::DataSet& ds, const gdcm::Tag& t) {
    const std::uint16_t block = t.GetElement() >> 8;
    if (block < 0x10) return "";
    const gdcm::Tag c(t.GetGroup(), block);
    if (!ds.FindDataElement(c)) return "";
    const gdcm::ByteValue* bv = ds.GetDataElement(c).GetByteValue();
    if (!bv || !bv->GetPointer()) return "";
    return trimmed(displayText(std::string(bv->GetPointer(), bv->GetLength())));
  }

  // Fills name, keyword and the dictionary VR of `e` (without Dicts::GetDictEntry:
  // it asserts on some inputs and writes a shared static entry).
  VRType describe(TagEntry& e, const gdcm::Tag& t, const gdcm::DataSet& ds) {
    if (t.GetElement() == 0x0000) {
      e.name = t.GetGroup() == 0x0002 ? "File Meta Information Group Length" : "Group Length";
      e.keyword = t.GetGroup() == 0x0002 ? "FileMetaInformationGroupLength" : "GroupLength";
      return gdcm::VR::UL;
    }
    if (t.IsPrivate()) {
      if (t.GetElement() >= 0x0010 && t.GetElement() <= 0x00FF) {
        e.name = "Private Creator";
        e.keyword = "PrivateCreator";
        return gdcm::VR::LO;
      }
      e.private_creator = creatorOf(ds, t);
      if (!e.private_creator.empty()) {
        const gdcm::PrivateTag pt(t.GetGroup(), static_cast<std::uint16_t>(t.GetElement() & 0xFF),
                                  e.private_creator.c_str());
        const gdcm::DictEntry& entry = dicts_.GetPrivateDict().GetDictEntry(pt);
        if (entry.GetVR() != gdcm::VR::INVALID && entry.GetName() && *entry.GetName()) {
          e.name = entry.GetName();
          e.keyword = entry.GetKeyword() ? entry.GetKeyword() : "";
          return entry.GetVR();
        }
      }
      e.name = "Private element";
      return gdcm::VR::INVALID;
    }
    const gdcm::DictEntry& entry = dicts_.GetPublicDict().GetDictEntry(t);
    if (entry.GetVR() == gdcm::VR::INVALID || !entry.GetName() || !*entry.GetName()) {
      e.name = "Unknown";
      return gdcm::VR::INVALID;
    }
    e.name = entry.GetName();
    e.keyword = entry.GetKeyword() ? entry.GetKeyword() : "";
    return entry.GetVR();
  }

  // The VR to decode with: the file's explicit VR, else the dictionary's
  // (ambiguous dictionary VRs resolved as far as the file allows).
  VRType resolve(VRType fileVr, VRType dictVr, std::size_t length) const {
    if (fileVr != gdcm::VR::INVALID && fileVr != gdcm::VR::UN && vrName(fileVr).size() == 2) {
      return fileVr;
    }
    if (dictVr == gdcm::VR::US_SS || dictVr == gdcm::VR::US_SS_OW) {
      if (dictVr == gdcm::VR::US_SS_OW && length > 2) return gdcm::VR::OW;
      return signedPixels_ ? gdcm::VR::SS : gdcm::VR::US;
    }
    if (dictVr == gdcm::VR::OB_OW || dictVr == gdcm::VR::US_OW) return gdcm::VR::OW;
    if (vrName(dictVr).size() == 2) return dictVr;
    return fileVr == gdcm::VR::UN ? gdcm::VR::UN : gdcm::VR::INVALID;
  }

  std::string valueText(VRType vr, const char* p, std::size_t n) const {
    if (n == 0 || !p) return "";
    const std::size_t maxN = options_.max_numbers;
    switch (vr) {
      case gdcm::VR::US:
        return numbersText<std::uint16_t>(p, n, maxN);
      case gdcm::VR::SS:
        return numbersText<std::int16_t>(p, n, maxN);
      case gdcm::VR::UL:
        return numbersText<std::uint32_t>(p, n, maxN);
      case gdcm::VR::SL:
        return numbersText<std::int32_t>(p, n, maxN);
      case gdcm::VR::UV:
        return numbersText<std::uint64_t>(p, n, maxN);
      case gdcm::VR::SV:
        return numbersText<std::int64_t>(p, n, maxN);
      case gdcm::VR::FL:
        return numbersText<float>(p, n, maxN);
      case gdcm::VR::FD:
        return numbersText<double>(p, n, maxN);
      case gdcm::VR::AT:
        return attributeTagsText(p, n, maxN);
      default:
        break;
    }
    if (isTextVr(vr) || (vr == gdcm::VR::INVALID && looksLikeText(p, n))) {
      std::string raw(p, n);
      // Leading spaces are significant in LT, ST and UT only.
      if (vr == gdcm::VR::LT || vr == gdcm::VR::ST || vr == gdcm::VR::UT) {
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\0')) raw.pop_back();
      } else {
        raw = trimmed(raw);
      }
      return truncated(displayText(raw), options_.max_value_chars);
    }
    if (n <= 8) return hexBytes(p, n);  // short binary values (versions, flags)
    return bytesText(n);
  }

  void element(const gdcm::DataElement& de, const gdcm::DataSet& ds, int depth) {
    const gdcm::Tag& t = de.GetTag();
    TagEntry e;
    e.group = t.GetGroup();
    e.element = t.GetElement();
    e.depth = depth;
    const VRType dictVr = describe(e, t, ds);
    const VRType fileVr = de.GetVR();

    // (GetValue() aborts on an element without value: IsEmpty() rules that out.)
    const gdcm::SequenceOfItems* items =
        de.IsEmpty() ? nullptr : dynamic_cast<const gdcm::SequenceOfItems*>(&de.GetValue());
    gdcm::SmartPointer<gdcm::SequenceOfItems> parsed;
    const bool sequenceVr =
        fileVr == gdcm::VR::SQ || (fileVr == gdcm::VR::INVALID && dictVr == gdcm::VR::SQ);
    // Only values that start with an item are parsed: GDCM aborts on others
    // (checkDicomFile has checked that those that do parse).
    if (!items && sequenceVr && startsWithItem(de)) {
      try {
        parsed = de.GetValueAsSQ();  // a defined-length sequence GDCM kept as bytes
      } catch (const std::exception&) {
        parsed = nullptr;
      }
      items = parsed;
    }
    if (items) {
      sequence(e, *items, depth);
      return;
    }
    if (const gdcm::SequenceOfFragments* frags = de.GetSequenceOfFragments()) {
      e.vr = vrName(fileVr).empty() ? "OB" : vrName(fileVr);
      e.length = frags->ComputeByteLength();
      e.value = "<encapsulated, " + std::to_string(frags->GetNumberOfFragments()) + " fragments>";
      out_.push_back(std::move(e));
      return;
    }
    const VRType vr = resolve(fileVr, dictVr, byteLength(de));
    e.vr = vrName(vr);
    if (e.vr.empty() && fileVr == gdcm::VR::UN) e.vr = "UN";
    if (const gdcm::ByteValue* bv = de.GetByteValue()) {
      e.length = byteLength(de);
      e.value = valueText(vr, bv->GetPointer(), e.length);
    }
    out_.push_back(std::move(e));
  }

  void sequence(TagEntry& e, const gdcm::SequenceOfItems& sq, int depth) {
    const std::size_t n = sq.GetNumberOfItems();
    e.vr = "SQ";
    e.value = std::to_string(n) + (n == 1 ? " item" : " items");
    out_.push_back(std::move(e));
    for (std::size_t i = 1; i <= n; ++i) {
      if (full()) return;
      TagEntry item;
      item.group = 0xFFFE;
      item.element = 0xE000;
      item.keyword = "Item";
      item.name = "Item " + std::to_string(i) + " of " + std::to_string(n);
      item.depth = depth + 1;
      out_.push_back(std::move(item));
      dataSet(sq.GetItem(i).GetNestedDataSet(), depth + 2);
    }
  }

  const TagDumpOptions& options_;
  bool signedPixels_;
  const gdcm::Dicts& dicts_;
  std::vector<TagEntry> out_;
  bool stopped_ = false;
};

}  // namespace

std::string TagEntry::tagText() const {
  char code[16];
  std::snprintf(code, sizeof code, "(%04X,%04X)", group, element);
  return code;
}

std::vector<TagEntry> dumpTags(const std::filesystem::path& file, const TagDumpOptions& options) {
  silenceGdcm();
  // Throws InputError on what GDCM must not see (it aborts on some damaged files).
  checkDicomFile(file, DicomExtent::UntilPixelData);
  gdcm::Reader reader;
  reader.SetFileName(file.string().c_str());
  const gdcm::Tag pixelData(kPixelDataGroup, 0x0010);
  const std::set<gdcm::Tag> skip{pixelData};
  bool ok = false;
  try {
    ok = reader.ReadUpToTag(pixelData, skip);
  } catch (const std::exception&) {
    ok = false;
  }
  if (!ok) {
    throw InputError(file, "not a DICOM file, or its header is damaged (GDCM could not parse it)");
  }
  const gdcm::File& f = reader.GetFile();
  const gdcm::DataSet& ds = f.GetDataSet();
  bool signedPixels = false;
  const gdcm::Tag pixelRepresentation(0x0028, 0x0103);
  if (ds.FindDataElement(pixelRepresentation)) {
    if (const gdcm::ByteValue* bv = ds.GetDataElement(pixelRepresentation).GetByteValue()) {
      signedPixels = bv->GetLength() >= 1 && bv->GetPointer()[0] == 1;
    }
  }
  Dumper dumper(options, signedPixels);
  if (options.include_meta_information) dumper.dataSet(f.GetHeader(), 0);
  dumper.dataSet(ds, 0);
  return dumper.take();
}

const TagEntry* findTag(const std::vector<TagEntry>& entries, std::uint16_t group,
                        std::uint16_t element) {
  for (const TagEntry& e : entries) {
    if (e.depth == 0 && e.group == group && e.element == element) return &e;
  }
  return nullptr;
}

}  // namespace harmonia
