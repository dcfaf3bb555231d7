// Listing every data element of a file: dictionary names, decoded values,
// sequences with depth, private creators, and bad files refused with
// InputError (never a crash).

#include <gtest/gtest.h>

#include <fstream>

#include "TestSupport.h"
#include "core/dicom/DicomHeader.h"
#include "core/dicom/TagDump.h"
#include "core/util/Error.h"
#include "dicom/DicomTestSupport.h"

using namespace harmonia;
using harmonia::test::ScratchDir;

namespace {

// The top-level entry (gggg,eeee); fails the test when absent.
const TagEntry& top(const std::vector<TagEntry>& entries, std::uint16_t g, std::uint16_t e) {
  const TagEntry* t = findTag(entries, g, e);
  if (!t) {
    TagEntry wanted;
    wanted.group = g;
    wanted.element = e;
    ADD_FAILURE() << "no top-level entry " << wanted.tagText();
    static const TagEntry none;
    return none;
  }
  return *t;
}

}  // namespace

TEST(TagDump, ListsAnImplicitVrCtFileWithDictionaryNamesAndValues) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto file = data / "sts" / "STS_001" / "CT" / "image" / "000000.dcm";
  const std::vector<TagEntry> tags = dumpTags(file);
  const DicomHeader header = readDicomHeader(file);

  const TagEntry& modality = top(tags, 0x0008, 0x0060);
  EXPECT_EQ(modality.keyword, "Modality");
  EXPECT_EQ(modality.vr, "CS");  // implicit VR file: the VR comes from the dictionary
  EXPECT_EQ(modality.value, "CT");

  const TagEntry& slope = top(tags, 0x0028, 0x1053);
  EXPECT_EQ(slope.keyword, "RescaleSlope");
  EXPECT_EQ(slope.name, "Rescale Slope");
  EXPECT_EQ(slope.vr, "DS");
  EXPECT_DOUBLE_EQ(std::stod(slope.value), header.frames[0].rescale_slope);
  EXPECT_DOUBLE_EQ(std::stod(slope.value), 1.0);
  const TagEntry& intercept = top(tags, 0x0028, 0x1052);
  EXPECT_EQ(intercept.keyword, "RescaleIntercept");
  EXPECT_DOUBLE_EQ(std::stod(intercept.value), header.frames[0].rescale_intercept);

  const TagEntry& spacing = top(tags, 0x0028, 0x0030);
  EXPECT_EQ(spacing.keyword, "PixelSpacing");
  EXPECT_EQ(spacing.value, "0.97656200000000\\0.97656200000000");  // padding trimmed
  EXPECT_EQ(top(tags, 0x0018, 0x1210).value, "SOFT");              // Convolution Kernel

  // Binary numbers are decoded: Rows (US) as the header reader sees it.
  const TagEntry& rows = top(tags, 0x0028, 0x0010);
  EXPECT_EQ(rows.vr, "US");
  EXPECT_EQ(rows.value, std::to_string(header.rows));

  // File Meta Information first, pixel data never.
  EXPECT_EQ(tags.front().group, 0x0002);
  EXPECT_EQ(top(tags, 0x0002, 0x0010).value, "1.2.840.10008.1.2");
  EXPECT_EQ(findTag(tags, 0x7FE0, 0x0010), nullptr);

  // De-identification Method Code Sequence: items one level down, their
  // elements two levels down, right after the sequence.
  const auto seq = std::find_if(tags.begin(), tags.end(), [](const TagEntry& e) {
    return e.group == 0x0012 && e.element == 0x0064;
  });
  ASSERT_NE(seq, tags.end());
  EXPECT_EQ(seq->vr, "SQ");
  EXPECT_EQ(seq->value, "7 items");
  const auto item = seq + 1;
  ASSERT_NE(item, tags.end());
  EXPECT_TRUE(item->isItem());
  EXPECT_EQ(item->depth, 1);
  EXPECT_EQ(item->name, "Item 1 of 7");
  const auto code = item + 1;
  EXPECT_EQ(code->depth, 2);
  EXPECT_EQ(code->keyword, "CodeValue");
  EXPECT_EQ(code->value, "113100");
}

TEST(TagDump, FindsTheIbsiRescaleInterceptAndTheDoseInsideItsSequence) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto ct = dumpTags(data / "ibsi" / "ct_phantom" / "dicom" / "image" / "DCM_IMG_00000.dcm");
  EXPECT_EQ(top(ct, 0x0028, 0x1052).value, "-1000.0");
  EXPECT_EQ(top(ct, 0x0028, 0x0030).value, "0.97699999809265\\0.97699999809265");

  // Explicit VR PET: the dose is in Radiopharmaceutical Information Sequence.
  const auto pet = dumpTags(data / "suv_dro" / "DRO_0_0" / "PT" / "pet_dro_0_0_slice_000.dcm");
  EXPECT_EQ(top(pet, 0x0054, 0x1001).value, "BQML");
  const auto dose = std::find_if(pet.begin(), pet.end(), [](const TagEntry& e) {
    return e.group == 0x0018 && e.element == 0x1074;
  });
  ASSERT_NE(dose, pet.end());
  EXPECT_EQ(dose->depth, 2);
  EXPECT_EQ(dose->name, "Radionuclide Total Dose");
  EXPECT_EQ(dose->value, "368080000.0");
  EXPECT_EQ(findTag(pet, 0x0018, 0x1074), nullptr);  // not at the top level
}

TEST(TagDump, NamesPrivateCreatorsAndDecodesLatin1AndCutsLongValues) {
  ScratchDir dir;
  test::SyntheticSlice s;
  const std::string longText(400, 'x');
  s.extra = {{gdcm::Tag(0x0008, 0x1030), longText},                  // Study Description
             {gdcm::Tag(0x0010, 0x0010), "M\xFCller^J\xE9r\xF4me"},  // Latin-1 name
             {gdcm::Tag(0x0009, 0x0010), "GEMS_PETD_01"},            // private creator
             {gdcm::Tag(0x0009, 0x100D), "20000907111814"}};         // its scan_datetime
  test::writeSyntheticSlice(s, dir / "s.dcm");

  const auto tags = dumpTags(dir / "s.dcm");
  const TagEntry& description = top(tags, 0x0008, 0x1030);
  EXPECT_LT(description.value.size(), 300u);
  EXPECT_NE(description.value.find("(400 characters)"), std::string::npos) << description.value;
  EXPECT_EQ(top(tags, 0x0010, 0x0010).value, "M\xC3\xBCller^J\xC3\xA9r\xC3\xB4me");  // UTF-8

  const TagEntry& creator = top(tags, 0x0009, 0x0010);
  EXPECT_EQ(creator.name, "Private Creator");
  EXPECT_EQ(creator.value, "GEMS_PETD_01");
  const TagEntry& scanTime = top(tags, 0x0009, 0x100D);
  EXPECT_TRUE(scanTime.isPrivate());
  EXPECT_EQ(scanTime.private_creator, "GEMS_PETD_01");
  EXPECT_FALSE(scanTime.name.empty());
  EXPECT_EQ(scanTime.value, "20000907111814");

  TagDumpOptions few;
  few.max_entries = 5;
  const auto cut = dumpTags(dir / "s.dcm", few);
  ASSERT_EQ(cut.size(), 6u);
  EXPECT_NE(cut.back().name.find("stops after 5"), std::string::npos) << cut.back().name;
}

TEST(TagDump, RefusesFilesThatAreNotDicomWithInputErrorNamingTheFile) {
  ScratchDir dir;
  {
    std::ofstream garbage(dir / "garbage.dcm", std::ios::binary);
    for (int i = 0; i < 4000; ++i) garbage.put(static_cast<char>((i * 7919) % 251));
    std::ofstream(dir / "notes.txt") << "not a DICOM file\n";
    std::ofstream(dir / "empty.dcm");
  }
  for (const char* name : {"garbage.dcm", "notes.txt", "empty.dcm", "missing.dcm"}) {
    try {
      (void)dumpTags(dir / name);
      ADD_FAILURE() << name << " must be refused";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
      EXPECT_FALSE(e.problem().empty());
    }
  }
}

TEST(TagDump, TruncatedFilesGiveAnInputErrorOrWhatWasReadableNeverACrash) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  const auto source = data / "ibsi" / "ct_phantom" / "dicom" / "image" / "DCM_IMG_00005.dcm";
  for (std::size_t keep : {100u, 140u, 300u, 700u, 3000u}) {
    const auto cut = dir / ("cut" + std::to_string(keep) + ".dcm");
    test::writeTruncated(source, cut, keep);
    try {
      const auto tags = dumpTags(cut);
      EXPECT_FALSE(tags.empty()) << keep;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(cut.filename().string()), std::string::npos);
    }
  }
  // Cut inside the File Meta Information: refused before GDCM sees it.
  EXPECT_THROW((void)dumpTags(dir / "cut140.dcm"), InputError);
}
