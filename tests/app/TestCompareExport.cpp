// Harmonizing Compare studies: a study replaced from outside is a new study
// for harmonization (nothing to revert to, the next run starts from it).

#include <gtest/gtest.h>

#include <QApplication>

#include "ui/jobs/JobRunner.h"
#include "ui/model/CompareSession.h"
#include "ui/model/Document.h"
#include "ui/model/HarmonizeController.h"
#include "ui/model/VolumeLibrary.h"

using namespace harmonia;

namespace {

// A textured volume (a ramp plus a checker of +-50) with a recorded resolution.
std::shared_ptr<Volume> textured(const Eigen::Vector3d& origin, const char* fwhm) {
  Geometry3D g;
  g.size = {24, 20, 12};
  g.spacing_mm = {1.0, 1.0, 2.0};
  g.origin_mm = origin;
  auto v = std::make_shared<Volume>(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i)
        v->at(i, j, k) = static_cast<float>(10 * i + 3 * j + k + ((i + j + k) % 2 ? 50 : -50));
  v->setUnits("HU");
  v->metadata()["PsfFwhm_mm"] = fwhm;
  return v;
}

VolumeEntry generatedEntry(const QString& name, std::shared_ptr<const Volume> volume) {
  VolumeEntry e;
  e.kind = VolumeEntry::Kind::Generated;
  e.name = name;
  e.source = name;
  e.volume = std::move(volume);
  return e;
}

// A model-only Compare session (no widgets): what the Harmonize panel drives.
struct Models {
  JobRunner runner;
  VolumeLibrary library;
  CompareSession session{&runner};
  HarmonizeController controller{&session, &runner};

  Models() { session.setLibrary(&library); }
  ~Models() { runner.cancelAll(); }
  void settle() {
    ASSERT_TRUE(runner.waitForAll(60000));
    QApplication::processEvents();
    ASSERT_TRUE(runner.waitForAll(60000));
  }
};

}  // namespace

TEST(CompareExport, StudyReplacedFromOutsideIsANewStudyForHarmonization) {
  Models m;
  const auto a = m.library.add(generatedEntry("A", textured({0, 0, 0}, "1,1,1")));
  const auto b = m.library.add(generatedEntry("B", textured({0, 0, 0}, "3,3,3")));
  m.session.study(0)->setEntry(a);
  m.session.study(1)->setEntry(b);
  HarmonizeRequest r;
  r.study = 0;
  r.from_fwhm_mm = {1, 1, 1};
  r.to_fwhm_mm = {3, 3, 3};
  m.controller.run(r);
  m.settle();
  const auto firstResult = m.session.study(0)->entry();
  ASSERT_EQ(firstResult->derivedFrom, a->id);
  ASSERT_TRUE(m.controller.canRevert(0));
  ASSERT_TRUE(m.controller.after());

  // The library replacing the result (ROIs drawn on it) keeps it ours: Revert stays.
  m.library.setRois(firstResult->id, {});
  EXPECT_NE(m.session.study(0)->entry(), firstResult);
  EXPECT_TRUE(m.controller.canRevert(0));

  // Another study opened into A: nothing to revert to, and its own resolution counts.
  const auto c = m.library.add(generatedEntry("C", textured({5, 0, 0}, "2,2,2")));
  m.session.study(0)->setEntry(c);
  EXPECT_FALSE(m.controller.canRevert(0));
  EXPECT_FALSE(m.controller.after());
  ASSERT_TRUE(m.controller.recordedFwhm(0));
  EXPECT_EQ(*m.controller.recordedFwhm(0), Eigen::Vector3d(2, 2, 2));

  // The next run starts from C, not from A.
  r.from_fwhm_mm = {2, 2, 2};
  m.controller.run(r);
  m.settle();
  const auto secondResult = m.session.study(0)->entry();
  EXPECT_EQ(secondResult->derivedFrom, c->id);
  EXPECT_TRUE(secondResult->volume->geometry().sameGrid(c->volume->geometry()));
  m.controller.revert(0);
  EXPECT_EQ(m.session.study(0)->entry(), c);
}
