// The volume library: one entry per loaded volume, replaced (not duplicated)
// when the same series or file comes again, ROIs updated in place, and
// documents showing an entry follow its replacement.

#include <gtest/gtest.h>

#include "ui/model/Document.h"
#include "ui/model/VolumeLibrary.h"

using namespace harmonia;

namespace {

VolumeEntry seriesEntry(const QString& uid, float fill) {
  Geometry3D g;
  g.size = {4, 3, 2};
  VolumeEntry e;
  e.kind = VolumeEntry::Kind::DicomSeries;
  e.name = QStringLiteral("CT ") + uid;
  e.source = QStringLiteral("/data/") + uid;
  e.modality = QStringLiteral("CT");
  e.series_uid = uid;
  auto v = std::make_shared<Volume>(g, fill);
  v->setUnits("HU");
  e.volume = v;
  return e;
}

}  // namespace

TEST(VolumeLibrary, GivesEachEntryItsOwnIdAndFindsItBySource) {
  VolumeLibrary library;
  int added = 0;
  QObject::connect(&library, &VolumeLibrary::entryAdded, [&added] { ++added; });
  const auto a = library.add(seriesEntry(QStringLiteral("1.2.3"), 1.0f));
  const auto b = library.add(seriesEntry(QStringLiteral("1.2.4"), 2.0f));
  EXPECT_NE(a->id, 0);
  EXPECT_NE(a->id, b->id);
  EXPECT_EQ(added, 2);
  EXPECT_EQ(library.entries().size(), 2u);
  EXPECT_EQ(library.entry(b->id), b);
  EXPECT_EQ(library.find(QString(), QStringLiteral("1.2.3")), a);
  EXPECT_EQ(library.find(QString(), QStringLiteral("9.9")), nullptr);
  EXPECT_EQ(a->unitLabel(), "HU");
}

TEST(VolumeLibrary, TheSameSeriesAgainReplacesItsEntryUnderTheSameId) {
  VolumeLibrary library;
  const auto first = library.add(seriesEntry(QStringLiteral("1.2.3"), 1.0f));
  int changed = 0;
  QObject::connect(&library, &VolumeLibrary::entryChanged, [&changed] { ++changed; });
  const auto again = library.add(seriesEntry(QStringLiteral("1.2.3"), 5.0f));
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(library.entries().size(), 1u);
  EXPECT_EQ(changed, 1);
  EXPECT_EQ(library.entry(first->id)->volume->at(0, 0, 0), 5.0f);
  // The holder of the old entry keeps a valid copy.
  EXPECT_EQ(first->volume->at(0, 0, 0), 1.0f);
}

TEST(VolumeLibrary, DerivedEntriesAreNeverMerged) {
  VolumeLibrary library;
  auto e = seriesEntry(QStringLiteral("1.2.3"), 1.0f);
  const auto original = library.add(e);
  e.kind = VolumeEntry::Kind::Derived;
  e.derived_from = original->id;
  const auto derived = library.add(e);
  EXPECT_NE(derived->id, original->id);
  EXPECT_EQ(library.entries().size(), 2u);
}

TEST(VolumeLibrary, DocumentsFollowAnEntryWhoseRoisArrive) {
  VolumeLibrary library;
  const auto entry = library.add(seriesEntry(QStringLiteral("1.2.3"), 1.0f));
  Document doc(QStringLiteral("Study A"));
  doc.setEntry(entry);
  EXPECT_EQ(doc.kind(), Document::Kind::Volume);
  EXPECT_EQ(doc.name(), entry->name);
  EXPECT_TRUE(doc.summary().contains(QStringLiteral("CT, HU"))) << doc.summary().toStdString();
  auto mask = std::make_shared<MaskVolume>(entry->volume->geometry(), 1);
  library.setRois(entry->id, {{QStringLiteral("GTV"), QColor(255, 0, 0), mask}});
  ASSERT_EQ(library.entry(entry->id)->rois.size(), 1u);
  EXPECT_EQ(library.entry(entry->id)->volume, entry->volume);  // same voxels, no copy
  library.remove(entry->id);
  EXPECT_EQ(library.entry(entry->id), nullptr);
  EXPECT_EQ(doc.entry(), entry);  // a holder keeps what it shows
}

TEST(VolumeLibrary, AVolumeWithoutUnitsSaysArbitrary) {
  VolumeEntry e;
  e.volume = std::make_shared<Volume>(Geometry3D{}, 0.0f);
  EXPECT_EQ(e.unitLabel(), "arbitrary");
}
