// The DICOM commands of the real harmonia-cli executable: scan, inspect and
// convert of a DICOM folder; exit codes, one clear line on failure, inputs
// unchanged, nothing written on failure.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

#include "CliTestSupport.h"
#include "TestSupport.h"
#include "core/dicom/SeriesLoader.h"
#include "core/io/ImageIO.h"

using harmonia::test::fileBytes;
using harmonia::test::jsonNumber;
using harmonia::test::ScratchDir;

using harmonia::test::Result;
using harmonia::test::runCli;

namespace {

using harmonia::test::folderBytes;
using harmonia::test::lineCount;

}  // namespace

TEST(CliDicom, ScanListsSeriesStructureSetsAndSkippedFiles) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  Result r = runCli(dir, {"scan", (data / "ibsi" / "ct_phantom" / "dicom").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("60 slices of 204 x 201"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("'GTV-1'"), std::string::npos) << r.out;
  r = runCli(dir, {"scan", (data / "ibsi" / "ct_phantom" / "dicom").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(jsonNumber(r.out, "slices"), 60.0) << r.out;
  EXPECT_EQ(jsonNumber(r.out, "files_examined"), 61.0);

  const auto mixed = dir / "mixed";
  std::filesystem::create_directory(mixed);
  std::filesystem::copy_file(data / "ibsi" / "ct_phantom" / "dicom" / "image" / "DCM_IMG_00000.dcm",
                             mixed / "a.dcm");
  std::ofstream(mixed / "garbage.dcm") << "definitely not DICOM, just some bytes......";
  r = runCli(dir, {"scan", mixed.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("garbage.dcm: not a DICOM file"), std::string::npos) << r.out;

  r = runCli(dir, {"scan", (dir / "nowhere").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lineCount(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("nowhere: no such folder"), std::string::npos) << r.err;
  EXPECT_EQ(runCli(dir, {"scan"}).code, 2);
}

TEST(CliDicom, InspectSuvDroInsideNiftiMask) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  const auto dro = data / "suv_dro" / "DRO_3_0";
  const Result r = runCli(dir, {"inspect", (dro / "PT").string(), "--mask",
                                (dro / "mask" / "DRO_mask.nii.gz").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("SUVbw g/ml"), std::string::npos);
  EXPECT_NE(r.out.find("taken as MBq"), std::string::npos) << r.out;
  EXPECT_NEAR(jsonNumber(r.out, "min"), 0.20, 0.001);
  EXPECT_NEAR(jsonNumber(r.out, "median"), 1.00, 0.005);
  EXPECT_NEAR(jsonNumber(r.out, "max"), 4.00, 0.02);
  const Result text = runCli(dir, {"inspect", (dro / "PT").string()});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("Decayed dose"), std::string::npos) << text.out;
}

TEST(CliDicom, InspectWithRtstructAndNiftiMasksAgree) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  const auto root = data / "ibsi" / "ct_phantom";
  const Result rt = runCli(
      dir, {"inspect", (root / "dicom" / "image").string(), "--mask",
            (root / "dicom" / "mask" / "DCM_RS_00060.dcm").string(), "--roi", "GTV-1", "--json"});
  ASSERT_EQ(rt.code, 0) << rt.err;
  const Result nii = runCli(dir, {"inspect", (root / "dicom" / "image").string(), "--mask",
                                  (root / "nifti" / "mask" / "mask.nii.gz").string(), "--json"});
  ASSERT_EQ(nii.code, 0) << nii.err;
  EXPECT_GT(jsonNumber(rt.out, "count"), 1000.0);
  EXPECT_EQ(jsonNumber(rt.out, "count"), jsonNumber(nii.out, "count"));
  EXPECT_NEAR(jsonNumber(rt.out, "mean"), jsonNumber(nii.out, "mean"), 1e-6);
  const Result bad =
      runCli(dir, {"inspect", (root / "dicom" / "image").string(), "--mask",
                   (root / "dicom" / "mask" / "DCM_RS_00060.dcm").string(), "--roi", "liver"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("no ROI named 'liver'"), std::string::npos) << bad.err;
  EXPECT_EQ(runCli(dir, {"inspect", (root / "dicom" / "image").string(), "--roi", "GTV-1"}).code,
            2);
}

TEST(CliDicom, RefusesPetWithoutDoseAndMixedFoldersClearly) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  // A PET slice whose Radionuclide Total Dose value is blanked (same length, spaces).
  const auto nodose = dir / "nodose";
  std::filesystem::create_directory(nodose);
  std::string bytes = fileBytes(data / "suv_dro" / "DRO_0_0" / "PT" / "pet_dro_0_0_slice_000.dcm");
  const auto at = bytes.find("368080000.0 ");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 12, std::string(12, ' '));
  std::ofstream(nodose / "pet.dcm", std::ios::binary) << bytes;
  const auto petOut = dir / "pet.nii.gz";
  Result pet = runCli(dir, {"convert", nodose.string(), petOut.string()});
  EXPECT_EQ(pet.code, 1);
  EXPECT_EQ(lineCount(pet.err), 1u) << pet.err;
  EXPECT_NE(pet.err.find("pet.dcm: Radionuclide Total Dose (0018,1074) is missing"),
            std::string::npos)
      << pet.err;
  EXPECT_FALSE(std::filesystem::exists(petOut));
  EXPECT_EQ(harmonia::test::entryCount(nodose), 1u);

  const auto mixed = dir / "mixed";
  std::filesystem::create_directory(mixed);
  std::filesystem::copy_file(data / "ibsi" / "ct_phantom" / "dicom" / "image" / "DCM_IMG_00000.dcm",
                             mixed / "ct.dcm");
  std::filesystem::copy_file(data / "suv_dro" / "DRO_0_0" / "PT" / "pet_dro_0_0_slice_000.dcm",
                             mixed / "pet.dcm");
  std::ofstream(mixed / "readme.txt") << "notes";
  const std::string before = folderBytes(mixed);
  const auto out = dir / "out.nii.gz";
  Result r = runCli(dir, {"inspect", mixed.string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lineCount(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("several series"), std::string::npos) << r.err;
  r = runCli(dir, {"convert", mixed.string(), out.string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_FALSE(std::filesystem::exists(out));
  r = runCli(dir, {"inspect", mixed.string(), "--series", "1.2.3.4"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no series '1.2.3.4'"), std::string::npos) << r.err;
  EXPECT_EQ(folderBytes(mixed), before);
}

TEST(CliDicom, ConvertWritesTheConvertedVolumeWithGeometry) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  ScratchDir dir;
  const auto in = data / "sts" / "STS_002" / "PET" / "image";
  const auto out = dir / "pet.nii.gz";
  const Result r = runCli(dir, {"convert", in.string(), out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const harmonia::Volume v = harmonia::readVolume(out);
  EXPECT_EQ(v.nz(), 48);
  const harmonia::LoadedSeries loaded = harmonia::loadDicomFolder(in);
  EXPECT_TRUE(v.geometry().sameGrid(loaded.volume.geometry(), 1e-3));
  const Result info = runCli(dir, {"inspect", in.string(), "--json"});
  ASSERT_EQ(info.code, 0) << info.err;
  double maxValue = 0.0;
  for (float x : v.voxels()) maxValue = std::max(maxValue, static_cast<double>(x));
  EXPECT_NEAR(maxValue, jsonNumber(info.out, "max"), 1e-3 * maxValue);
}
