// RT Structure Sets rasterised onto their series' grids.

#include <gtest/gtest.h>

#include <cstdio>

#include "TestSupport.h"
#include "core/dicom/RtStruct.h"
#include "core/dicom/SeriesLoader.h"
#include "core/image/MaskOnGrid.h"
#include "core/io/ImageIO.h"
#include "core/stats/Summary.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

std::size_t countOf(const MaskVolume& m) {
  std::size_t n = 0;
  for (auto v : m.voxels()) n += v != 0;
  return n;
}

}  // namespace

TEST(RtStruct, IbsiPhantomMaskMatchesTheNiftiMask) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto root = data / "ibsi" / "ct_phantom";
  const DicomScan scan = scanDicomFolder(root / "dicom" / "image");
  const Geometry3D& grid = scan.series.front().geometry.grid;
  const RtStruct rs = readRtStruct(root / "dicom" / "mask" / "DCM_RS_00060.dcm");
  EXPECT_EQ(rs.referenced_series_uid, scan.series.front().series_uid);
  const RoiMask roi = rasterizeRoi(rs.roi("GTV-1"), grid);
  EXPECT_EQ(roi.contours_off_grid, 0);
  const MaskVolume nifti = maskOnGrid(readMask(root / "nifti" / "mask" / "mask.nii.gz"), grid);
  const std::size_t ours = countOf(roi.mask);
  const std::size_t reference = countOf(nifti);
  std::size_t both = 0;
  for (std::size_t i = 0; i < nifti.voxelCount(); ++i)
    both += nifti.data()[i] && roi.mask.data()[i];
  std::printf("  IBSI GTV-1: %zu voxels from the RTSTRUCT, %zu in the NIfTI mask, %zu in both\n",
              ours, reference, both);
  EXPECT_EQ(ours, reference);
  EXPECT_EQ(both, reference);
}

TEST(RtStruct, StsMasksLandOnTheTumour) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  for (const char* patient : {"STS_001", "STS_002", "STS_003"}) {
    for (const char* modality : {"CT", "PET", "MR_T1"}) {
      SCOPED_TRACE(std::string(patient) + " " + modality);
      const auto folder = data / "sts" / patient / modality;
      const LoadedSeries s = loadDicomFolder(folder / "image");
      const RtStruct rs = readRtStruct(folder / "mask" / "RS.dcm");
      ASSERT_EQ(rs.rois.size(), 1u);
      const RoiMask roi = rasterizeRoi(rs.roi(""), s.volume.geometry());
      EXPECT_EQ(roi.contours_off_grid, 0);
      const std::size_t n = countOf(roi.mask);
      EXPECT_GT(n, 100u);
      const ValueSummary inside = summarizeValues(s.volume, &roi.mask);
      const ValueSummary all = summarizeValues(s.volume);
      if (std::string(modality) == "CT") {
        // Soft-tissue tumour: neither air nor bone on average.
        EXPECT_GT(inside.mean, -100.0);
        EXPECT_LT(inside.mean, 150.0);
      }
      if (std::string(modality) == "PET") {
        EXPECT_GT(inside.mean, all.mean);
      }
      EXPECT_EQ(inside.count, n);
    }
  }
}

TEST(RtStruct, UnknownRoiNamesTheChoices) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const RtStruct rs =
      readRtStruct(data / "ibsi" / "ct_phantom" / "dicom" / "mask" / "DCM_RS_00060.dcm");
  try {
    (void)rs.roi("liver");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("GTV-1"), std::string::npos);
  }
  EXPECT_THROW(
      (void)readRtStruct(data / "ibsi" / "ct_phantom" / "dicom" / "image" / "DCM_IMG_00000.dcm"),
      InputError);
}
