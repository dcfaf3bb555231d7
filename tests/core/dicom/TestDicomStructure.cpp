// The structural check of DICOM files done before GDCM sees them: every real
// file passes, hand-built damaged files are refused with InputError naming the
// file, and randomly damaged copies of real files never crash the readers.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "core/dicom/DicomHeader.h"
#include "core/dicom/DicomStructure.h"
#include "core/dicom/RtStruct.h"
#include "core/dicom/TagDump.h"
#include "core/util/Error.h"
#include "dicom/DicomTestSupport.h"

using namespace harmonia;
using harmonia::test::contains;
using harmonia::test::ScratchDir;

namespace {

// ---- Hand-built files ------------------------------------------------------

std::string u16le(std::uint16_t v) {
  return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)};
}
std::string u32le(std::uint32_t v) { return u16le(v & 0xFFFF) + u16le(v >> 16); }
std::string tg(std::uint16_t g, std::uint16_t e) { return u16le(g) + u16le(e); }

constexpr std::uint32_t kUndefined = 0xFFFFFFFFu;

// An explicit VR little endian element.
std::string ex(std::uint16_t g, std::uint16_t e, const char* vr, const std::string& value,
               std::uint32_t length = 0xFFFFFFFEu) {
  const std::string v(vr, 2);
  const bool longForm = v == "OB" || v == "OW" || v == "SQ" || v == "UN" || v == "UT";
  const std::uint32_t l = length == 0xFFFFFFFEu ? static_cast<std::uint32_t>(value.size()) : length;
  return tg(g, e) + v + (longForm ? u16le(0) + u32le(l) : u16le(static_cast<std::uint16_t>(l))) +
         value;
}

// An implicit VR little endian element.
std::string im(std::uint16_t g, std::uint16_t e, const std::string& value,
               std::uint32_t length = 0xFFFFFFFEu) {
  return tg(g, e) +
         u32le(length == 0xFFFFFFFEu ? static_cast<std::uint32_t>(value.size()) : length) + value;
}

std::string item(const std::string& content) {
  return tg(0xFFFE, 0xE000) + u32le(static_cast<std::uint32_t>(content.size())) + content;
}
std::string undefinedItem(const std::string& content) {
  return tg(0xFFFE, 0xE000) + u32le(kUndefined) + content + tg(0xFFFE, 0xE00D) + u32le(0);
}
std::string sequenceEnd() { return tg(0xFFFE, 0xE0DD) + u32le(0); }

const char* kImplicit = "1.2.840.10008.1.2";
const char* kExplicit = "1.2.840.10008.1.2.1";

// Preamble, 'DICM' and a File Meta Information naming `ts`, then `dataSet`.
std::string dicomFile(const std::string& ts, const std::string& dataSet) {
  std::string uid = ts;
  if (uid.size() % 2) uid += '\0';
  const std::string meta =
      ex(0x0002, 0x0001, "OB", std::string("\0\1", 2)) + ex(0x0002, 0x0010, "UI", uid);
  return std::string(128, '\0') + "DICM" +
         ex(0x0002, 0x0000, "UL", u32le(static_cast<std::uint32_t>(meta.size()))) + meta + dataSet;
}

// A small sound implicit VR data set: a few strings and a sequence of two items.
std::string soundImplicitDataSet() {
  return im(0x0008, 0x0016, std::string("1.2.840.10008.5.1.4.1.1.2\0", 26)) +
         im(0x0008, 0x0060, "CT") +
         im(0x0008, 0x1140,
            undefinedItem(im(0x0008, 0x1150, "1.23") + im(0x0008, 0x1155, "1.34")) +
                undefinedItem(im(0x0008, 0x1150, "1.45")) + sequenceEnd(),
            kUndefined) +
         im(0x0010, 0x0010, "Doe^John") + im(0x0028, 0x0010, u16le(2)) +
         im(0x0028, 0x0011, u16le(2)) + im(0x7FE0, 0x0010, std::string(8, '\0'));
}

std::filesystem::path write(const ScratchDir& dir, const std::string& name,
                            const std::string& bytes) {
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

// The problem checkDicomStructure reports for `bytes` written as `name`, or
// "(accepted)"; also checks that the error names the file.
// With `inHeader` false only the whole-file check sees the damage (in the
// top-level Pixel Data, or what the image decoder needs): header reads
// (readDicomHeader, dumpTags) do not reach it.
std::string problemWith(const ScratchDir& dir, const std::string& name, const std::string& bytes,
                        bool inHeader = true) {
  const auto path = write(dir, name, bytes);
  try {
    checkDicomStructure(path);
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    EXPECT_EQ(e.file(), path);
    EXPECT_THROW(checkDicomFile(path, DicomExtent::WholeFile), InputError) << name;
    if (inHeader) {
      // The readers refuse it the same way, before GDCM sees it.
      EXPECT_THROW((void)readDicomHeader(path), InputError) << name;
      EXPECT_THROW((void)dumpTags(path), InputError) << name;
    } else {
      EXPECT_NO_THROW(checkDicomFile(path, DicomExtent::UntilPixelData)) << name;
    }
    return e.problem();
  }
  return "(accepted)";
}

// Every file of ../shared/data that is DICOM ('DICM' at byte 128, or *.dcm).
std::vector<std::filesystem::path> realDicomFiles(const std::filesystem::path& data) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(data)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    char head[132] = {};
    in.read(head, sizeof head);
    if (e.path().extension() == ".dcm" ||
        (in.gcount() == 132 && std::string(head + 128, 4) == "DICM")) {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

// ---- (a) Real files ---------------------------------------------------------

TEST(DicomStructure, EveryRealFileOfTheSharedDataPasses) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto files = realDicomFiles(data);
  EXPECT_GE(files.size(), 690u);  // ibsi, sts (CT, PET, MR, RTSTRUCT), suv_dro
  for (const auto& f : files) {
    EXPECT_NO_THROW(checkDicomStructure(f, DicomExtent::WholeFile)) << f;
    EXPECT_NO_THROW(checkDicomStructure(f, DicomExtent::UntilPixelData)) << f;
  }
}

TEST(DicomStructure, CopiesWrittenByGdcmconvInOtherTransferSyntaxesPass) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  if (!std::filesystem::exists("/usr/bin/gdcmconv")) GTEST_SKIP() << "gdcmconv not installed";
  ScratchDir dir;
  const std::vector<std::filesystem::path> sources{
      data / "sts" / "STS_001" / "CT" / "image" / "000000.dcm",           // implicit VR
      data / "suv_dro" / "DRO_0_0" / "PT" / "pet_dro_0_0_slice_000.dcm",  // explicit VR
      data / "suv_dro" / "DRO_0_0" / "RS" / "RS_dro_0_0.dcm",             // RTSTRUCT
      data / "ibsi" / "digital_phantom" / "dicom_deprecated" / "mask" / "mask.deprecated"};
  const std::vector<std::string> options{"-X",
                                         "-M",
                                         "--deflated",
                                         "--j2k",
                                         "--jpegls",
                                         "--rle",
                                         "--jpeg",
                                         "--generate-icon",
                                         "--generate-icon -M"};
  int converted = 0;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    for (std::size_t o = 0; o < options.size(); ++o) {
      const auto out = dir / ("copy" + std::to_string(s) + "_" + std::to_string(o) + ".dcm");
      const std::string cmd = "/usr/bin/gdcmconv " + options[o] + " '" + sources[s].string() +
                              "' '" + out.string() + "' >/dev/null 2>&1";
      // Not every conversion applies (no pixels to compress in a structure set).
      if (std::system(cmd.c_str()) != 0 || !std::filesystem::exists(out)) continue;
      ++converted;
      SCOPED_TRACE(cmd);
      EXPECT_NO_THROW(checkDicomStructure(out, DicomExtent::WholeFile));
      EXPECT_NO_THROW(checkDicomFile(out, DicomExtent::UntilPixelData));
      try {
        (void)dumpTags(out);
      } catch (const InputError& e) {
        // GDCM's own ReadUpToTag fails on some deflated files: not refused by the check.
        EXPECT_NE(e.problem().find("GDCM could not parse it"), std::string::npos) << e.what();
      }
    }
  }
  EXPECT_GE(converted, 25);

  // A deflated copy cut short: refused (its data set is inflated and walked).
  const auto deflated = dir / "copy1_2.dcm";
  ASSERT_TRUE(std::filesystem::exists(deflated));
  const auto cut = dir / "deflated_cut.dcm";
  test::writeTruncated(deflated, cut, std::filesystem::file_size(deflated) * 2 / 3);
  try {
    checkDicomStructure(cut);
    ADD_FAILURE() << "a truncated deflated file must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(e.problem().find("truncated"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)readDicomHeader(cut), InputError);
}

// ---- (b) Hand-built damaged files ---------------------------------------------

TEST(DicomStructure, AcceptsSoundHandBuiltFiles) {
  ScratchDir dir;
  EXPECT_EQ(problemWith(dir, "implicit.dcm", dicomFile(kImplicit, soundImplicitDataSet())),
            "(accepted)");
  const std::string explicitSet =
      ex(0x0008, 0x0060, "CS", "CT") +
      ex(0x0008, 0x1140, "SQ", item(ex(0x0008, 0x1150, "UI", "1.23")) + sequenceEnd(), kUndefined) +
      ex(0x0010, 0x0010, "PN", "Doe^John") +
      ex(0x7FE0, 0x0010, "OB", item("") + item("abcd") + sequenceEnd(), kUndefined);
  EXPECT_EQ(problemWith(dir, "explicit.dcm", dicomFile(kExplicit, explicitSet)), "(accepted)");
  // Explicit VR big endian: tags, lengths (and items) in big endian.
  const auto be16 = [](std::uint16_t v) {
    return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xFF)};
  };
  const auto be = [&](std::uint16_t g, std::uint16_t e, const char* vr, const std::string& v) {
    return be16(g) + be16(e) + std::string(vr, 2) + be16(static_cast<std::uint16_t>(v.size())) + v;
  };
  const std::string bigContent = be(0x0008, 0x1150, "UI", "1.23");
  const std::string bigItem = be16(0xFFFE) + be16(0xE000) + be16(0) +
                              be16(static_cast<std::uint16_t>(bigContent.size())) + bigContent;
  const std::string bigSequence = be16(0x0008) + be16(0x1140) + "SQ" + be16(0) + be16(0) +
                                  be16(static_cast<std::uint16_t>(bigItem.size())) + bigItem;
  const std::string bigEndian = be(0x0008, 0x0060, "CS", "CT") + bigSequence +
                                be(0x0028, 0x0010, "US", be16(1)) +
                                be(0x0028, 0x0011, "US", be16(1));
  EXPECT_EQ(problemWith(dir, "big.dcm", dicomFile("1.2.840.10008.1.2.2", bigEndian)), "(accepted)");
  EXPECT_NO_THROW((void)readDicomHeader(dir / "big.dcm"));
  EXPECT_TRUE(contains(
      problemWith(dir, "big_cut.dcm",
                  dicomFile("1.2.840.10008.1.2.2", bigEndian.substr(0, bigEndian.size() - 1))),
      "truncated"));
  // Out-of-order tags at the top level: GDCM sorts them, so they are accepted.
  EXPECT_EQ(
      problemWith(dir, "unordered.dcm",
                  dicomFile(kImplicit, im(0x0010, 0x0010, "Doe^John") + im(0x0008, 0x0060, "CT"))),
      "(accepted)");
}

TEST(DicomStructure, RefusesAnItemTagWhereADataElementIsExpected) {
  ScratchDir dir;
  // At the top level (GDCM: assertion TagField != itemStartItem).
  const std::string top = im(0x0008, 0x0060, "CT") + item(im(0x0010, 0x0010, "Doe^John"));
  EXPECT_TRUE(contains(problemWith(dir, "item_top.dcm", dicomFile(kImplicit, top)),
                       "item tag (FFFE,E000)"));
  // Inside an item.
  const std::string nested = im(
      0x0008, 0x1140, undefinedItem(item(im(0x0008, 0x1150, "1.23"))) + sequenceEnd(), kUndefined);
  EXPECT_TRUE(contains(problemWith(dir, "item_nested.dcm", dicomFile(kImplicit, nested)),
                       "where a data element is expected"));
  // A sequence delimiter closing an item of undefined length.
  const std::string unclosed =
      im(0x0008, 0x1140,
         tg(0xFFFE, 0xE000) + u32le(kUndefined) + im(0x0008, 0x1150, "1.23") + sequenceEnd(),
         kUndefined) +
      im(0x0010, 0x0010, "Doe^John");
  EXPECT_TRUE(contains(problemWith(dir, "item_unclosed.dcm", dicomFile(kImplicit, unclosed)),
                       "sequence delimiter (FFFE,E0DD)"));
}

TEST(DicomStructure, RefusesASequenceWithoutDelimiter) {
  ScratchDir dir;
  const std::string set = im(0x0008, 0x0060, "CT") +
                          im(0x0008, 0x1140, undefinedItem(im(0x0008, 0x1150, "1.23")), kUndefined);
  const std::string problem = problemWith(dir, "no_delimiter.dcm", dicomFile(kImplicit, set));
  EXPECT_TRUE(contains(problem, "sequence (0008,1140) ends without its sequence delimiter"))
      << problem;
  // A non-item where the next item is expected.
  const std::string stray =
      im(0x0008, 0x1140, undefinedItem(im(0x0008, 0x1150, "1.23")) + im(0x0010, 0x0010, "Doe^John"),
         kUndefined);
  EXPECT_TRUE(contains(problemWith(dir, "stray.dcm", dicomFile(kImplicit, stray)),
                       "where an item (FFFE,E000) of sequence (0008,1140) is expected"));
}

TEST(DicomStructure, RefusesALengthPastTheEnd) {
  ScratchDir dir;
  const std::string set = im(0x0008, 0x0060, "CT") + im(0x0010, 0x0010, "Doe^John", 200);
  const std::string problem = problemWith(dir, "too_long.dcm", dicomFile(kImplicit, set));
  EXPECT_TRUE(contains(problem, "truncated: (0010,0010)")) << problem;
  // Past the end of its item (but inside the file).
  const std::string inItem =
      im(0x0008, 0x1140, item(im(0x0008, 0x1150, "1.23", 6)) + sequenceEnd(), kUndefined) +
      im(0x0010, 0x0010, "Doe^John");
  EXPECT_TRUE(contains(problemWith(dir, "past_item.dcm", dicomFile(kImplicit, inItem)),
                       "past the end of its item"));
}

TEST(DicomStructure, RefusesABadVr) {
  ScratchDir dir;
  const std::string set = ex(0x0008, 0x0060, "CS", "CT") + ex(0x0010, 0x0010, "ZZ", "Doe^John");
  const std::string problem = problemWith(dir, "bad_vr.dcm", dicomFile(kExplicit, set));
  EXPECT_TRUE(contains(problem, "(0010,0010)")) << problem;
  EXPECT_TRUE(contains(problem, "invalid VR 'ZZ'")) << problem;
  // Undefined length with a VR that does not allow it (GDCM asserts VR == UN).
  const std::string undefinedOb = ex(0x0008, 0x0060, "CS", "CT") +
                                  ex(0x0009, 0x1010, "OB", item("ab") + sequenceEnd(), kUndefined);
  EXPECT_TRUE(contains(problemWith(dir, "undefined_ob.dcm", dicomFile(kExplicit, undefinedOb)),
                       "undefined length"));
}

TEST(DicomStructure, RefusesFilesTruncatedInsideAnElement) {
  ScratchDir dir;
  const std::string whole = dicomFile(kImplicit, soundImplicitDataSet());
  // Cut in the middle of the Patient's Name value, then inside its header.
  const std::size_t name = whole.find("Doe^John");
  ASSERT_NE(name, std::string::npos);
  EXPECT_TRUE(contains(problemWith(dir, "cut_value.dcm", whole.substr(0, name + 3)), "truncated"));
  EXPECT_TRUE(contains(problemWith(dir, "cut_header.dcm", whole.substr(0, name - 3)), "truncated"));
  // Inside the sequence.
  const std::size_t inSequence = whole.find("1.34");
  EXPECT_TRUE(
      contains(problemWith(dir, "cut_sequence.dcm", whole.substr(0, inSequence)), "truncated"));
  // Inside the File Meta Information.
  EXPECT_TRUE(contains(problemWith(dir, "cut_meta.dcm", whole.substr(0, 150)), "truncated"));
}

TEST(DicomStructure, RefusesDeepNestingAndAcceptsReasonableNesting) {
  ScratchDir dir;
  const auto nested = [](int depth) {
    std::string inner = im(0x0008, 0x1150, "1.23");
    for (int i = 0; i < depth; ++i)
      inner = im(0x0008, 0x1140, undefinedItem(inner) + sequenceEnd(), kUndefined);
    return inner;
  };
  EXPECT_EQ(problemWith(dir, "nest_ok.dcm", dicomFile(kImplicit, nested(kMaxDicomNesting))),
            "(accepted)");
  const std::string problem =
      problemWith(dir, "nest_deep.dcm", dicomFile(kImplicit, nested(kMaxDicomNesting + 1)));
  EXPECT_TRUE(contains(problem, "nested more than 64 deep")) << problem;
  // Far deeper than the limit: refused without exhausting the stack.
  EXPECT_TRUE(contains(problemWith(dir, "nest_huge.dcm", dicomFile(kImplicit, nested(1000))),
                       "nested more than"));
}

TEST(DicomStructure, RefusesWhatGdcmWouldMisreadInsideSequences) {
  ScratchDir dir;
  // An implicit-VR sequence attribute whose value is not a sequence (GDCM aborts
  // when asked for it as a sequence).
  const std::string notSequence = im(0x0008, 0x1140, "ABCD");
  EXPECT_TRUE(contains(problemWith(dir, "not_sq.dcm", dicomFile(kImplicit, notSequence)),
                       "does not start with an item"));
  // A defined-length implicit sequence whose items do not fill it.
  const std::string shortItem =
      im(0x0008, 0x1140, item(im(0x0008, 0x1150, "1.23")) + std::string(4, '\0'));
  EXPECT_NE(problemWith(dir, "short_item.dcm", dicomFile(kImplicit, shortItem)), "(accepted)");
  // The same tag twice in one item.
  const std::string twice =
      im(0x0008, 0x1140,
         item(im(0x0008, 0x1150, "1.23") + im(0x0008, 0x1150, "1.34")) + sequenceEnd(), kUndefined);
  EXPECT_TRUE(contains(problemWith(dir, "twice.dcm", dicomFile(kImplicit, twice)), "twice"));
  // An odd length inside an item.
  const std::string odd =
      im(0x0008, 0x1140, item(im(0x0008, 0x1150, "1.2")) + sequenceEnd(), kUndefined);
  EXPECT_TRUE(contains(problemWith(dir, "odd.dcm", dicomFile(kImplicit, odd)), "odd length"));
  // Encapsulated Pixel Data without its sequence delimiter.
  const std::string pixels = ex(0x0008, 0x0060, "CS", "CT") +
                             ex(0x7FE0, 0x0010, "OB", item("") + item("abcd"), kUndefined);
  EXPECT_TRUE(contains(problemWith(dir, "fragments.dcm", dicomFile(kExplicit, pixels), false),
                       "encapsulated Pixel Data (7FE0,0010) ends without"));
}

TEST(DicomStructure, RefusesBeforeDecodingWhatGdcmsImageReaderAssertsOn) {
  // Checked for the whole file only (the decoder reads it); header reads pass.
  ScratchDir dir;
  const std::string start = ex(0x0008, 0x0060, "CS", "CT") + ex(0x0028, 0x0002, "US", u16le(1)) +
                            ex(0x0028, 0x0010, "US", u16le(2)) +
                            ex(0x0028, 0x0011, "US", u16le(2)) +
                            ex(0x0028, 0x0100, "US", u16le(16));
  const std::string pixels = ex(0x7FE0, 0x0010, "OW", std::string(8, '\0'));
  EXPECT_EQ(problemWith(dir, "image.dcm", dicomFile(kExplicit, start + pixels)), "(accepted)");
  EXPECT_TRUE(
      contains(problemWith(dir, "twice.dcm", dicomFile(kExplicit, start + pixels + pixels), false),
               "Pixel Data (7FE0,0010) appears twice"));
  const std::string bits = ex(0x0008, 0x0060, "CS", "CT") + ex(0x0028, 0x0100, "US", u16le(999));
  EXPECT_TRUE(contains(problemWith(dir, "bits.dcm", dicomFile(kExplicit, bits + pixels), false),
                       "Bits Allocated (0028,0100) is 999"));
  const std::string samples = ex(0x0008, 0x0060, "CS", "CT") + ex(0x0028, 0x0002, "US", u16le(7));
  EXPECT_TRUE(contains(problemWith(dir, "spp.dcm", dicomFile(kExplicit, samples + pixels), false),
                       "Samples per Pixel (0028,0002) is 7"));
  const std::string wrongVr = ex(0x0008, 0x0060, "CS", "CT") + ex(0x0020, 0x0037, "UI", "1\\0 ");
  EXPECT_TRUE(contains(problemWith(dir, "vr.dcm", dicomFile(kExplicit, wrongVr + pixels), false),
                       "(0020,0037)"));
  const std::string recognition =
      ex(0x0008, 0x0010, "SH", "HELLO ") + ex(0x0008, 0x0060, "CS", "CT");
  EXPECT_TRUE(
      contains(problemWith(dir, "acr.dcm", dicomFile(kExplicit, recognition + pixels), false),
               "Recognition Code"));
}

TEST(DicomStructure, RefusesGarbageAndUnknownTransferSyntaxes) {
  ScratchDir dir;
  std::string garbage;
  for (int i = 0; i < 4000; ++i) garbage += static_cast<char>((i * 7919) % 251);
  EXPECT_TRUE(contains(problemWith(dir, "garbage.dcm", garbage), "not a DICOM file"));
  EXPECT_TRUE(
      contains(problemWith(dir, "unknown_ts.dcm", dicomFile("1.2.3.4", soundImplicitDataSet())),
               "transfer syntax"));
  EXPECT_TRUE(contains(problemWith(dir, "empty.dcm", std::string(1, '\0')), "not a DICOM file"));
}

// ---- (c) Deterministic fuzzing ---------------------------------------------------

namespace {

struct FuzzSource {
  std::filesystem::path file;
  int copies;
  bool rt_struct;
};

}  // namespace

TEST(DicomStructure, FuzzedRealFilesNeverCrashTheReaders) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const std::vector<FuzzSource> sources{
      {data / "sts" / "STS_001" / "CT" / "image" / "000000.dcm", 200, false},
      {data / "suv_dro" / "DRO_0_0" / "PT" / "pet_dro_0_0_slice_000.dcm", 200, false},
      {data / "suv_dro" / "DRO_0_0" / "RS" / "RS_dro_0_0.dcm", 100, true}};
  int reads = 0;
  for (const FuzzSource& s : sources) reads += s.copies * (s.rt_struct ? 3 : 2);
  ScratchDir dir;
  const test::FuzzRun run = test::fuzzInChildProcess(dir.path(), [&](auto& counts,
                                                                     const auto& record) {
    std::mt19937 random(20240601u);  // fixed seed: the same copies every run
    for (std::size_t s = 0; s < sources.size(); ++s) {
      const std::string original = test::fileBytes(sources[s].file);
      if (original.size() < 200) return 4;
      const std::size_t span = std::min<std::size_t>(original.size(), 4000);
      for (int copy = 0; copy < sources[s].copies; ++copy) {
        std::string bytes = original;
        const int changes = std::uniform_int_distribution<int>(1, 20)(random);
        std::string what =
            sources[s].file.filename().string() + " copy " + std::to_string(copy) + ":";
        for (int c = 0; c < changes; ++c) {
          const std::size_t at = std::uniform_int_distribution<std::size_t>(128, span - 1)(random);
          const auto value = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random));
          bytes[at] = value;
          what +=
              " [" + std::to_string(at) + "]=" + std::to_string(static_cast<unsigned char>(value));
        }
        const auto path = dir / ("fuzz" + std::to_string(s) + ".dcm");
        std::ofstream(path, std::ios::binary | std::ios::trunc)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        record(what);
        if (!counts.attempt(what, [&] { (void)readDicomHeader(path); }) ||
            !counts.attempt(what, [&] { (void)dumpTags(path); }) ||
            (sources[s].rt_struct && !counts.attempt(what, [&] { (void)readRtStruct(path); }))) {
          return 2;
        }
      }
    }
    return 0;
  });
  ASSERT_EQ(run.failure, "");
  EXPECT_EQ(run.counts.accepted + run.counts.refused, reads);
  EXPECT_GT(run.counts.refused, 0);
  EXPECT_GT(run.counts.accepted, 0);  // most single-byte changes land in values
  std::printf("fuzzed reads: %d succeeded, %d refused with InputError, %.1f s\n",
              run.counts.accepted, run.counts.refused, run.seconds);
}
