// StudySession: a DICOM series loads progressively (an empty volume of the
// right grid first, then slices, the middle one first), ends identical to a
// direct load, draws the RTSTRUCT ROIs that refer to it, reports failures,
// and a newer load supersedes an older one. Real data from ../shared/data.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QString>

#include "TestSupport.h"
#include "UiTestSupport.h"
#include "core/dicom/DicomScanner.h"
#include "core/dicom/RtStruct.h"
#include "core/dicom/SeriesLoader.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/StudySession.h"

using namespace harmonia;
using harmonia::test::waitUntil;

namespace {

const SeriesInfo* findModality(const DicomScan& scan, const std::string& modality) {
  for (const auto& s : scan.series) {
    if (s.modality == modality) return &s;
  }
  return nullptr;
}

}  // namespace

TEST(StudySession, LoadsProgressivelyToTheDirectResultAndDrawsItsRois) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const DicomScan scan = scanDicomFolder(data / "ibsi" / "ct_phantom" / "dicom");
  const SeriesInfo* ct = findModality(scan, "CT");
  ASSERT_NE(ct, nullptr);
  ASSERT_FALSE(scan.structure_sets.empty());

  JobRunner runner;
  StudySession session(&runner);
  int started = 0, loaded = 0, changed = 0;
  const Volume* shown = nullptr;   // the volume published at the start
  std::vector<std::string> order;  // what was seen, in order
  QObject::connect(&session, &StudySession::slicesChanged, [&] {
    ++changed;
    EXPECT_LE(session.slicesArrived(), 60);
  });
  QObject::connect(&session, &StudySession::loadStarted, [&] {
    ++started;
    shown = session.volume().get();
    order.emplace_back("started");
    ASSERT_TRUE(session.volume());
    EXPECT_EQ(session.volume()->nz(), 60);
    EXPECT_FALSE(session.isLoaded());
  });
  QObject::connect(&session, &StudySession::loaded, [&] {
    ++loaded;
    order.emplace_back("loaded");
  });
  session.loadSeries(*ct, scan.structure_sets);
  ASSERT_TRUE(waitUntil([&] { return loaded > 0; }, 20000));
  ASSERT_FALSE(order.empty());
  EXPECT_EQ(order.front(), "started");
  EXPECT_EQ(order.back(), "loaded");
  EXPECT_EQ(started, 1);
  // The views keep showing the same object: it took the final values in place.
  EXPECT_EQ(session.volume().get(), shown);
  EXPECT_EQ(session.slicesArrived(), 60);
  EXPECT_EQ(session.modality(), "CT");
  EXPECT_EQ(session.unit(), "HU");
  ASSERT_TRUE(session.details());
  EXPECT_EQ(session.details()->conversion.units, "HU");

  // Same voxels as loading the series directly.
  const LoadedSeries direct = loadSeries(*ct, [] {
    LoadParams p;
    p.resample_if_irregular = true;
    return p;
  }());
  ASSERT_TRUE(session.volume()->geometry().sameGrid(direct.volume.geometry()));
  for (std::size_t i = 0; i < direct.volume.voxelCount(); ++i) {
    ASSERT_EQ(session.volume()->data()[i], direct.volume.data()[i]) << i;
  }

  // The structure set's ROIs, rasterised onto the series' grid.
  ASSERT_TRUE(waitUntil([&] { return !session.rois().empty(); }, 20000));
  const RtStruct rt = readRtStruct(scan.structure_sets.front().file);
  ASSERT_EQ(session.rois().size(), rt.rois.size());
  const RoiMask expected = rasterizeRoi(rt.rois.front(), direct.volume.geometry());
  const MaskVolume& got = *session.rois().front().mask;
  ASSERT_EQ(got.voxelCount(), expected.mask.voxelCount());
  std::size_t inside = 0;
  for (std::size_t i = 0; i < got.voxelCount(); ++i) {
    ASSERT_EQ(got.data()[i], expected.mask.data()[i]);
    inside += got.data()[i] != 0;
  }
  EXPECT_GT(inside, 1000u);
  EXPECT_EQ(session.rois().front().name.toStdString(), rt.rois.front().name);
  runner.waitForAll();
}

TEST(StudySession, ANewerLoadSupersedesAndFailuresAreReported) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const DicomScan ctScan = scanDicomFolder(data / "ibsi" / "ct_phantom" / "dicom");
  const DicomScan petScan = scanDicomFolder(data / "suv_dro" / "DRO_0_0" / "PT");
  const SeriesInfo* ct = findModality(ctScan, "CT");
  const SeriesInfo* pet = findModality(petScan, "PT");
  ASSERT_TRUE(ct && pet);

  JobRunner runner;
  StudySession session(&runner);
  int loaded = 0;
  QStringList failed;
  QObject::connect(&session, &StudySession::loaded, [&] { ++loaded; });
  QObject::connect(&session, &StudySession::loadFailed, [&](const QString& e) { failed << e; });
  session.loadSeries(*ct, {});
  session.loadSeries(*pet, {});  // supersedes the CT
  ASSERT_TRUE(waitUntil([&] { return loaded > 0; }, 20000));
  runner.waitForAll();
  QCoreApplication::processEvents();
  EXPECT_EQ(loaded, 1);
  EXPECT_EQ(session.modality(), "PT");
  EXPECT_EQ(session.volume()->nz(), 20);
  EXPECT_NE(session.unit().indexOf("SUV"), -1) << session.unit().toStdString();

  // A PET series without its dose cannot be converted: a clear error, no volume.
  SeriesInfo noDose = *pet;
  std::vector<DicomSlice> slices;
  for (const DicomSlice& s : noDose.slices) {
    auto header = std::make_shared<DicomHeader>(*s.header);
    header->values.erase(tag::RadionuclideTotalDose.key());
    slices.push_back({header, s.frame});
  }
  noDose.slices = slices;
  session.loadSeries(noDose, {});
  ASSERT_TRUE(waitUntil([&] { return !failed.isEmpty(); }, 20000));
  EXPECT_NE(failed.front().indexOf("Dose"), -1) << failed.front().toStdString();
  EXPECT_FALSE(session.isLoaded());
}
