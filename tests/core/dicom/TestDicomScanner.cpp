// Scanning folders: grouping into series, splitting, and bad input listed
// with reasons (never fatal, nothing written).

#include <gtest/gtest.h>

#include <fstream>

#include "TestSupport.h"
#include "core/dicom/DicomScanner.h"
#include "core/dicom/SeriesLoader.h"
#include "core/util/Error.h"
#include "dicom/DicomTestSupport.h"

using namespace harmonia;
using harmonia::test::ScratchDir;

namespace {

std::string reasonFor(const DicomScan& scan, const std::string& name) {
  for (const SkippedFile& s : scan.skipped) {
    if (s.file.filename() == name) return s.reason;
  }
  return "(not skipped)";
}

}  // namespace

TEST(DicomScanner, FindsTheIbsiPhantomSeries) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const DicomScan scan = scanDicomFolder(data / "ibsi" / "ct_phantom" / "dicom");
  ASSERT_EQ(scan.series.size(), 1u);
  EXPECT_EQ(scan.files_examined, 61u);
  const SeriesInfo& s = scan.series.front();
  EXPECT_EQ(s.modality, "CT");
  EXPECT_EQ(s.sliceCount(), 60);
  ASSERT_EQ(scan.structure_sets.size(), 1u);
  EXPECT_EQ(scan.structure_sets[0].referenced_series_uid, s.series_uid);
  EXPECT_EQ(scan.structure_sets[0].roi_names, std::vector<std::string>{"GTV-1"});
  EXPECT_TRUE(scan.skipped.empty());
}

TEST(DicomScanner, SplitsBySizeAndOrientationAndSortsByPosition) {
  ScratchDir dir;
  test::SyntheticSlice s;
  for (int i = 0; i < 4; ++i) {
    s.instance_number = i + 1;
    s.position = {0, 0, -3.0 * i};  // instance numbers run against position
    test::writeSyntheticSlice(s, dir / ("a" + std::to_string(i) + ".dcm"));
  }
  s.rows = 6;  // same series UID, another size: a localiser
  s.orientation = {0, 1, 0, 0, 0, -1};
  s.position = {0, 0, 0};
  test::writeSyntheticSlice(s, dir / "scout.dcm");
  const DicomScan scan = scanDicomFolder(dir.path());
  ASSERT_EQ(scan.series.size(), 2u)
      << (scan.skipped.empty() ? std::string("nothing skipped") : scan.skipped[0].reason);
  const SeriesInfo& axial = scan.series[0].sliceCount() == 4 ? scan.series[0] : scan.series[1];
  EXPECT_NE(axial.id, axial.series_uid);  // split: ".partN"
  EXPECT_FALSE(axial.split_reason.empty());
  EXPECT_EQ(axial.slices.front().header->file.filename(), "a3.dcm");  // lowest z first
  EXPECT_NEAR(axial.geometry.grid.spacing_mm[2], 3.0, 1e-9);
}

TEST(DicomScanner, ListsBadFilesWithReasonsAndNeverWrites) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  const auto ibsi = data / "ibsi" / "ct_phantom" / "dicom" / "image";
  for (int i = 0; i < 3; ++i) {
    const std::string name = "DCM_IMG_0000" + std::to_string(i) + ".dcm";
    std::filesystem::copy_file(ibsi / name, dir / name);
  }
  const auto sts = data / "sts" / "STS_001" / "CT" / "image";
  std::filesystem::copy_file(sts / "000000.dcm", dir / "sts0.dcm");
  std::filesystem::copy_file(sts / "000001.dcm", dir / "sts1.dcm");
  test::writeTruncated(ibsi / "DCM_IMG_00005.dcm", dir / "truncated.dcm", 3000);
  test::writeTruncated(ibsi / "DCM_IMG_00006.dcm", dir / "truncated_header.dcm", 300);
  {
    std::ofstream garbage(dir / "garbage.dcm", std::ios::binary);
    for (int i = 0; i < 4000; ++i) garbage.put(static_cast<char>((i * 7919) % 251));
    std::ofstream(dir / "notes.txt") << "not a DICOM file\n";
  }
  test::copyWithout(ibsi / "DCM_IMG_00007.dcm", dir / "nopixels.dcm", {gdcm::Tag(0x7fe0, 0x0010)});
  const auto pet = data / "suv_dro" / "DRO_0_0" / "PT" / "pet_dro_0_0_slice_000.dcm";
  std::filesystem::create_directory(dir / "pet");
  test::copyWithout(pet, dir / "pet" / "nodose.dcm", {gdcm::Tag(0x0018, 0x1074)});

  const std::size_t entries = test::entryCount(dir.path());
  const std::string before = test::fileBytes(dir / "garbage.dcm");
  const DicomScan scan = scanDicomFolder(dir.path());
  EXPECT_EQ(scan.files_examined, 11u);
  EXPECT_EQ(scan.series.size(), 3u);  // IBSI, STS CT, PET
  EXPECT_NE(reasonFor(scan, "truncated.dcm").find("truncated"), std::string::npos)
      << reasonFor(scan, "truncated.dcm");
  EXPECT_NE(reasonFor(scan, "truncated_header.dcm"), "(not skipped)");
  EXPECT_NE(reasonFor(scan, "garbage.dcm").find("not a DICOM file"), std::string::npos)
      << reasonFor(scan, "garbage.dcm");
  EXPECT_NE(reasonFor(scan, "notes.txt"), "(not skipped)");
  EXPECT_NE(reasonFor(scan, "nopixels.dcm").find("Pixel Data"), std::string::npos)
      << reasonFor(scan, "nopixels.dcm");
  EXPECT_EQ(scan.skipped.size(), 5u);

  // The PET without dose is listed, and refused with the tag and the file named.
  const auto pt = std::find_if(scan.series.begin(), scan.series.end(),
                               [](const SeriesInfo& s) { return s.modality == "PT"; });
  ASSERT_NE(pt, scan.series.end());
  try {
    (void)loadSeries(*pt);
    ADD_FAILURE() << "a PET without dose must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("Radionuclide Total Dose (0018,1074)"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("nodose.dcm"), std::string::npos) << e.what();
  }
  // Several series: selecting none names them.
  EXPECT_THROW((void)selectSeries(scan, ""), InputError);
  EXPECT_EQ(test::entryCount(dir.path()), entries);
  EXPECT_EQ(test::fileBytes(dir / "garbage.dcm"), before);
}

TEST(DicomScanner, MissingFolderIsAnInputError) {
  EXPECT_THROW((void)scanDicomFolder("/nonexistent/harmonia/dicom"), InputError);
}
