#include <gtest/gtest.h>
#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkMatrix4x4.h>
#include <vtkNIFTIImageHeader.h>
#include <vtkNIFTIImageReader.h>
#include <vtkNIFTIImageWriter.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkUnsignedCharArray.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <vector>

#include "TestSupport.h"
#include "core/io/ImageIO.h"
#include "core/stats/Summary.h"
#include "core/util/Error.h"

using namespace harmonia;
using harmonia::test::ScratchDir;

namespace {

Volume obliqueVolume() {
  Geometry3D g;
  g.size = {6, 5, 4};
  g.spacing_mm = {0.8, 1.1, 2.5};
  g.origin_mm = {-12.5, 30.25, 101.0};
  g.direction = (Eigen::AngleAxisd(0.4, Eigen::Vector3d::UnitZ()) *
                 Eigen::AngleAxisd(0.15, Eigen::Vector3d::UnitX()))
                    .toRotationMatrix();
  Volume v(g);
  for (std::size_t i = 0; i < v.voxelCount(); ++i)
    v.data()[i] = static_cast<float>(i) * 0.5f - 7.0f;
  return v;
}

void expectSameGeometry(const Geometry3D& a, const Geometry3D& b) {
  EXPECT_EQ(a.size, b.size);
  EXPECT_LT((a.spacing_mm - b.spacing_mm).cwiseAbs().maxCoeff(), 1e-5);
  EXPECT_LT((a.origin_mm - b.origin_mm).cwiseAbs().maxCoeff(), 1e-4);
  EXPECT_LT((a.direction - b.direction).cwiseAbs().maxCoeff(), 1e-5);
}

// What VTK's NIfTI writer alone makes of `volume` (right-handed) at `path`:
// the voxels as they are, and qform = sform = our LPS geometry turned to RAS
// (x and y negated), the convention that FileHoldsRasWhileWeHoldLps checks.
template <typename ArrayT, typename T>
void writeWithVtkOnly(const VolumeT<T>& volume, const std::filesystem::path& path) {
  const Geometry3D& g = volume.geometry();
  vtkNew<vtkImageData> image;
  image->SetDimensions(g.size[0], g.size[1], g.size[2]);
  image->SetSpacing(g.spacing_mm.data());
  vtkNew<ArrayT> array;
  array->SetNumberOfTuples(static_cast<vtkIdType>(volume.voxelCount()));
  std::copy_n(volume.data(), volume.voxelCount(), array->GetPointer(0));
  image->GetPointData()->SetScalars(array);
  vtkNew<vtkMatrix4x4> matrix;
  const Eigen::Vector3d flip(-1.0, -1.0, 1.0);
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) matrix->SetElement(r, c, flip[r] * g.direction(r, c));
    matrix->SetElement(r, 3, flip[r] * g.origin_mm[r]);
  }
  vtkNew<vtkNIFTIImageWriter> writer;
  writer->SetInputData(image);
  writer->SetFileName(path.c_str());
  writer->SetQFormMatrix(matrix);
  writer->SetSFormMatrix(matrix);
  writer->Write();
  ASSERT_EQ(writer->GetErrorCode(), 0u);
}

// The first byte offset where the files differ (their shorter size when one
// is the start of the other), or -1 when they are the same.
long firstDifference(const std::filesystem::path& a, const std::filesystem::path& b) {
  const std::string x = harmonia::test::fileBytes(a), y = harmonia::test::fileBytes(b);
  const auto [ix, iy] = std::mismatch(x.begin(), x.end(), y.begin(), y.end());
  return ix == x.end() && iy == y.end() ? -1L : static_cast<long>(ix - x.begin());
}

}  // namespace

TEST(NiftiIO, RoundTripKeepsValuesAndObliqueGeometry) {
  for (const char* name : {"v.nii", "v.nii.gz"}) {
    ScratchDir dir;
    const Volume original = obliqueVolume();
    writeVolume(original, dir / name);
    const Volume back = readVolume(dir / name);
    expectSameGeometry(back.geometry(), original.geometry());
    for (std::size_t i = 0; i < original.voxelCount(); ++i) {
      ASSERT_EQ(back.data()[i], original.data()[i]) << name << " voxel " << i;
    }
    EXPECT_EQ(harmonia::test::entryCount(dir.path()), 1u);
  }
}

TEST(NiftiIO, FileHoldsRasWhileWeHoldLps) {
  // Independent check of the convention: the raw qform in the file must be
  // our LPS geometry with x and y negated.
  ScratchDir dir;
  const Volume original = obliqueVolume();
  writeVolume(original, dir / "v.nii");
  vtkNew<vtkNIFTIImageReader> reader;
  reader->SetFileName((dir / "v.nii").c_str());
  reader->Update();
  vtkNIFTIImageHeader* h = reader->GetNIFTIHeader();
  EXPECT_GT(h->GetQFormCode(), 0);
  const Eigen::Vector3d o = original.geometry().origin_mm;
  EXPECT_NEAR(h->GetQOffsetX(), -o.x(), 1e-4);
  EXPECT_NEAR(h->GetQOffsetY(), -o.y(), 1e-4);
  EXPECT_NEAR(h->GetQOffsetZ(), o.z(), 1e-4);
  EXPECT_NEAR(h->GetPixDim(3), 2.5, 1e-6);
}

TEST(NiftiIO, LeftHandedGridIsStoredFlippedButSamePhysically) {
  ScratchDir dir;
  Volume v = obliqueVolume();
  Eigen::Matrix3d d = v.geometry().direction;
  d.col(2) = -d.col(2);
  v.setDirection(d);
  writeVolume(v, dir / "lh.nii.gz");
  const Volume back = readVolume(dir / "lh.nii.gz");
  // Every voxel must land at the same world position with the same value.
  for (int k = 0; k < v.nz(); ++k) {
    const Eigen::Vector3d p = v.geometry().indexToWorld(Eigen::Vector3d(2, 3, k));
    const Eigen::Vector3d q = back.geometry().worldToIndex(p);
    const int kk = static_cast<int>(std::lround(q.z()));
    EXPECT_NEAR(q.x(), 2.0, 1e-4);
    EXPECT_NEAR(q.y(), 3.0, 1e-4);
    EXPECT_EQ(back.at(2, 3, kk), v.at(2, 3, k));
  }
}

TEST(NiftiIO, MasksRoundTripAsZeroOne) {
  ScratchDir dir;
  Geometry3D g;
  g.size = {3, 3, 3};
  MaskVolume m(g, 0);
  m.at(1, 1, 1) = 1;
  m.at(0, 2, 1) = 1;
  writeMask(m, dir / "m.nii.gz");
  const MaskVolume back = readMask(dir / "m.nii.gz");
  int inside = 0;
  for (auto x : back.voxels()) inside += x;
  EXPECT_EQ(inside, 2);
  EXPECT_EQ(back.at(0, 2, 1), 1);
}

TEST(NiftiIO, BadFilesGiveClearErrors) {
  ScratchDir dir;
  auto message = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  writeVolume(obliqueVolume(), dir / "full.nii");
  const auto size = harmonia::test::fileBytes(dir / "full.nii").size();
  harmonia::test::writeTruncated(dir / "full.nii", dir / "cut.nii", size - 100);
  std::string m = message([&] { readVolume(dir / "cut.nii"); });
  EXPECT_NE(m.find("cut.nii"), std::string::npos) << m;
  EXPECT_NE(m.find("truncated"), std::string::npos) << m;

  writeVolume(obliqueVolume(), dir / "full.nii.gz");
  const auto gzSize = harmonia::test::fileBytes(dir / "full.nii.gz").size();
  harmonia::test::writeTruncated(dir / "full.nii.gz", dir / "cut.nii.gz", gzSize / 2);
  m = message([&] { readVolume(dir / "cut.nii.gz"); });
  EXPECT_NE(m.find("cut.nii.gz"), std::string::npos) << m;

  { std::ofstream(dir / "junk.nii") << std::string(400, 'x'); }
  m = message([&] { readVolume(dir / "junk.nii"); });
  EXPECT_NE(m.find("not a NIfTI file"), std::string::npos) << m;
  m = message([&] { readVolume(dir / "absent.nii"); });
  EXPECT_NE(m.find("no such file"), std::string::npos) << m;
}

TEST(NiftiIO, ReadsIbsiDigitalPhantom) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto folder = data / "ibsi" / "digital_phantom" / "nifti";
  std::filesystem::path image, mask;
  for (const auto& e : std::filesystem::recursive_directory_iterator(folder)) {
    const std::string name = e.path().filename().string();
    if (name.find(".nii") == std::string::npos) continue;
    (name.find("mask") != std::string::npos ? mask : image) = e.path();
  }
  ASSERT_FALSE(image.empty());
  ASSERT_FALSE(mask.empty());
  const Volume v = readVolume(image);
  const MaskVolume m = readMask(mask);
  // README: 5x4x4 voxels of 2 mm, values 1,3,4,6,9; mask of 74 voxels, 592 mm3.
  std::array<int, 3> sorted = v.geometry().size;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::array<int, 3>{4, 4, 5}));
  EXPECT_NEAR(v.geometry().spacing_mm.minCoeff(), 2.0, 1e-6);
  EXPECT_NEAR(v.geometry().spacing_mm.maxCoeff(), 2.0, 1e-6);
  for (float x : v.voxels()) {
    EXPECT_TRUE(x == 1 || x == 3 || x == 4 || x == 6 || x == 9) << x;
  }
  ASSERT_TRUE(m.geometry().sameGrid(v.geometry()));
  const ValueSummary s = summarizeValues(v, &m, SummaryDetail::Moments);
  EXPECT_EQ(s.count, 74u);
  EXPECT_NEAR(s.count * 8.0, 592.0, 1e-9);
}

TEST(NiftiIO, ScaleSlopeAndInterceptApplyToPlainFloatFiles) {
  // A plain float32 .nii is read without VTK's buffer; scl_slope and
  // scl_inter (header bytes 112 and 116) must still apply: value = 2 v + 1.
  ScratchDir dir;
  const Volume original = obliqueVolume();
  writeVolume(original, dir / "v.nii");
  {
    std::fstream file(dir / "v.nii", std::ios::in | std::ios::out | std::ios::binary);
    const float scale[2] = {2.0f, 1.0f};
    file.seekp(112);
    file.write(reinterpret_cast<const char*>(scale), sizeof scale);
    ASSERT_TRUE(file.good());
  }
  const Volume back = readVolume(dir / "v.nii");
  expectSameGeometry(back.geometry(), original.geometry());
  for (std::size_t i = 0; i < original.voxelCount(); ++i) {
    ASSERT_EQ(back.data()[i], 2.0f * original.data()[i] + 1.0f) << "voxel " << i;
  }
}

TEST(NiftiIO, PlainNiftiIsByteForByteWhatVtksWriterMakes) {
  // writeVolume and writeMask write an uncompressed .nii's voxels themselves
  // after a header VTK wrote for a tiny image; the file must be the one VTK's
  // writer makes of the whole volume, for any shape (axes of size 1 change
  // the header's dim[0]).
  for (const std::array<int, 3>& size :
       std::vector<std::array<int, 3>>{{6, 5, 4}, {7, 1, 3}, {5, 4, 1}, {1, 1, 1}, {1, 9, 2}}) {
    SCOPED_TRACE(testing::Message() << size[0] << "x" << size[1] << "x" << size[2]);
    ScratchDir dir;
    Volume volume = obliqueVolume();
    Geometry3D g = volume.geometry();
    g.size = size;
    volume = Volume(g);
    MaskVolume mask(g);
    for (std::size_t i = 0; i < volume.voxelCount(); ++i) {
      volume.data()[i] = static_cast<float>(i) * 0.25f - 3.0f;
      mask.data()[i] = static_cast<std::uint8_t>(i % 3 == 0);
    }
    writeVolume(volume, dir / "ours.nii");
    writeWithVtkOnly<vtkFloatArray>(volume, dir / "vtk.nii");
    writeMask(mask, dir / "ours_mask.nii");
    writeWithVtkOnly<vtkUnsignedCharArray>(mask, dir / "vtk_mask.nii");
    EXPECT_EQ(std::filesystem::file_size(dir / "ours.nii"), 352 + 4 * volume.voxelCount());
    EXPECT_EQ(firstDifference(dir / "ours.nii", dir / "vtk.nii"), -1);
    EXPECT_EQ(firstDifference(dir / "ours_mask.nii", dir / "vtk_mask.nii"), -1);
    EXPECT_EQ(harmonia::test::entryCount(dir.path()), 4u);
  }
}
