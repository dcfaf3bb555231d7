// PhantomSession (the Phantom workspace's model): a scanner parameter change
// regenerates that scanner's scan on the new grid (size = field of view /
// spacing, computed here) and leaves the other alone; measurements land in the
// model and agree with the virtual scanner's known PSF and noise; a loaded
// NIfTI replaces a generated scan; ROIs move and return to auto-detection;
// the results export as CSV and JSON that parse back to the model's numbers.

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cmath>

#include "UiTestSupport.h"
#include "core/io/Csv.h"
#include "core/io/ImageIO.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/Document.h"
#include "ui/model/PhantomResults.h"
#include "ui/model/PhantomSession.h"

namespace harmonia {
namespace {

using test::waitUntil;

/// The edge phantom's field of view (core/phantom/PhysicsPhantoms.h default), mm.
const Eigen::Vector3d kEdgeFov{160.0, 100.0, 80.0};

class PhantomSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    session_.setDebounceMs(0);
    session_.setFineSpacing(1.0);  // small truth: fast tests
  }
  void TearDown() override { runner_.cancelAll(); }
  /// Processes events until every job and debounced scan of the session is done.
  bool settle() {
    return waitUntil([this] { return !session_.isBusy(); }, 60000);
  }

  JobRunner runner_;
  PhantomSession session_{&runner_};
};

TEST_F(PhantomSessionTest, ParameterChangeRegeneratesThatScanOnItsNewGrid) {
  session_.generate();
  ASSERT_TRUE(settle());
  for (int i = 0; i < 2; ++i) {
    const auto v = session_.scan(i)->volume();
    ASSERT_NE(v, nullptr) << session_.message().toStdString();
    const ScannerParams& p = session_.scanner(i);
    for (int a = 0; a < 3; ++a) {
      EXPECT_DOUBLE_EQ(v->geometry().spacing_mm[a], p.spacing_mm[a]);
      EXPECT_EQ(v->geometry().size[a],
                static_cast<int>(std::lround(kEdgeFov[a] / p.spacing_mm[a])));
    }
    EXPECT_FALSE(session_.isLoaded(i));
  }
  const auto before = session_.scan(1)->volume();
  ScannerParams a = session_.scanner(0);
  a.spacing_mm = {2.0, 2.5, 4.0};
  a.slice_thickness_mm = 4.0;
  int changes = 0;
  QObject::connect(&session_, &PhantomSession::scanChanged,
                   [&changes](int i) { changes += i == 0; });
  session_.setScanner(0, a);
  ASSERT_TRUE(settle());
  EXPECT_EQ(changes, 1);
  const auto v = session_.scan(0)->volume();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->geometry().size, (std::array<int, 3>{80, 40, 20}));
  EXPECT_DOUBLE_EQ(v->geometry().spacing_mm.y(), 2.5);
  EXPECT_EQ(session_.scan(1)->volume(), before);  // B untouched
}

TEST_F(PhantomSessionTest, EditsWithinTheDebounceMakeOneScan) {
  session_.generate();
  ASSERT_TRUE(settle());
  session_.setDebounceMs(3600 * 1000);  // never fires during the test
  int changes = 0;
  QObject::connect(&session_, &PhantomSession::scanChanged, [&changes](int) { ++changes; });
  for (double s : {1.25, 1.5, 2.0}) {
    ScannerParams a = session_.scanner(0);
    a.spacing_mm.x() = s;
    session_.setScanner(0, a);
  }
  EXPECT_TRUE(session_.isBusy());  // waiting for the debounce
  EXPECT_EQ(changes, 0);
  session_.generate();  // the debounce's timeout, now
  ASSERT_TRUE(settle());
  EXPECT_EQ(changes, 2);  // both scanners once each, A with its last spacing
  EXPECT_DOUBLE_EQ(session_.scan(0)->volume()->geometry().spacing_mm.x(), 2.0);
}

TEST_F(PhantomSessionTest, MeasurementsAgreeWithTheVirtualScanner) {
  ScannerParams a = session_.scanner(0);
  // A PSF wide against the truth's own sampling: that (a 1 mm box and trilinear
  // interpolation, variance about h^2/6 = 0.17 mm^2) widens a 4 mm FWHM (variance
  // 2.89 mm^2) by under 3%; 6% allows for the fit's own error on the edge.
  a.psf_fwhm_mm = {4.0, 4.0, 5.0};
  a.noise_sigma = 8.0;
  session_.setScanner(0, a);
  session_.generate();
  ASSERT_TRUE(settle());
  session_.measure(PhantomSession::Measurement::Psf, 0);
  session_.measure(PhantomSession::Measurement::Noise, 0);
  ASSERT_TRUE(settle());
  const PhantomScanResults& r = session_.results(0);
  ASSERT_TRUE(r.psf.has_value()) << session_.message().toStdString();
  ASSERT_TRUE(r.noise.has_value()) << session_.message().toStdString();
  EXPECT_FALSE(session_.results(1).psf.has_value());
  for (int ax = 0; ax < 2; ++ax) {
    ASSERT_TRUE(r.psf->axes[static_cast<std::size_t>(ax)].measured);
    EXPECT_NEAR(r.psf->axes[static_cast<std::size_t>(ax)].fwhm_mm, 4.0, 0.06 * 4.0) << ax;
    EXPECT_FALSE(r.psf->axes[static_cast<std::size_t>(ax)].esf.x.empty());
    EXPECT_FALSE(r.psf->axes[static_cast<std::size_t>(ax)].mtf.x.empty());
  }
  // The uniform region lies inside the cube (value 1000, gain 1, offset 0): the
  // noise SD is the scanner's sigma; ~3000 voxels give SD to about 1.3% (1 s.e.).
  EXPECT_NEAR(r.noise->stats.mean, 1000.0, 2.0);
  EXPECT_NEAR(r.noise->stats.sd, 8.0, 0.05 * 8.0);

  // A new scan drops the old scan's results.
  a.noise_seed = 99;
  session_.setScanner(0, a);
  ASSERT_TRUE(settle());
  EXPECT_FALSE(session_.results(0).psf.has_value());
}

TEST_F(PhantomSessionTest, SphereMethodMeasuresTheEdgePhantomsSphere) {
  ScannerParams a = session_.scanner(0);
  a.psf_fwhm_mm = {4.0, 4.0, 5.0};  // wide against the 1 mm truth sampling (see above)
  a.noise_sigma = 0.0;
  session_.setScanner(0, a);
  session_.setPsfMethod(PsfMethod::Sphere);
  // The edge phantom's sphere: 24 mm at (40, 0, 0) (PhysicsPhantoms.h defaults).
  ASSERT_TRUE(session_.psfParams().centre_mm.has_value());
  EXPECT_EQ(*session_.psfParams().centre_mm, Eigen::Vector3d(40.0, 0.0, 0.0));
  EXPECT_EQ(session_.psfParams().sphere_diameter_mm.value_or(0.0), 24.0);
  const auto marker = session_.roiMarker(PhantomSession::PsfObject, 0);
  ASSERT_TRUE(marker.has_value());
  EXPECT_DOUBLE_EQ(marker->half_size_mm.x(), 12.0);
  session_.generate();
  ASSERT_TRUE(settle());
  session_.measure(PhantomSession::Measurement::Psf, 0);
  ASSERT_TRUE(settle());
  const auto& psf = session_.results(0).psf;
  ASSERT_TRUE(psf.has_value()) << session_.message().toStdString();
  EXPECT_EQ(psf->method, PsfMethod::Sphere);
  for (int ax = 0; ax < 3; ++ax) {
    EXPECT_NEAR(psf->axes[static_cast<std::size_t>(ax)].fwhm_mm, a.psf_fwhm_mm[ax],
                0.06 * a.psf_fwhm_mm[ax])
        << ax;
  }
  EXPECT_NEAR(psf->centre_mm.x(), 40.0, 0.5);
}

TEST_F(PhantomSessionTest, InsertValuesFitTheScannersGainAndOffset) {
  session_.generate();
  ASSERT_TRUE(settle());
  ASSERT_EQ(session_.inserts().size(), 3u);  // cube, sphere, background of the edge phantom
  for (int i = 0; i < 2; ++i) session_.measure(PhantomSession::Measurement::Values, i);
  ASSERT_TRUE(settle());
  for (int i = 0; i < 2; ++i) {
    const auto& v = session_.results(i).values;
    ASSERT_TRUE(v.has_value()) << session_.message().toStdString();
    ASSERT_TRUE(v->has_fit);
    // The inserts lie in uniform material at least 3 PSF sigmas from any edge, so
    // measured = gain x nominal + offset up to noise (sigma 8 over >= 400 voxels:
    // 0.4 per mean, spread over a nominal range of 1000).
    const ScannerParams& p = session_.scanner(i);
    EXPECT_NEAR(v->fit.slope, p.gain_alpha, 0.005) << i;
    EXPECT_NEAR(v->fit.intercept, p.offset_beta, 1.5) << i;
  }
  // Inserts are ROIs: they move like the others and are drawn where they are.
  const int insert = PhantomSession::Insert0 + 2;
  EXPECT_EQ(session_.roiCount(), PhantomSession::Insert0 + 3);
  session_.setRoiCentre(insert, Eigen::Vector3d(0.0, -35.0, 0.0));
  EXPECT_EQ(session_.inserts()[2].centre_mm, Eigen::Vector3d(0.0, -35.0, 0.0));
  const auto m = session_.roiMarker(insert, 1);
  ASSERT_TRUE(m.has_value());
  EXPECT_DOUBLE_EQ(m->half_size_mm.x(), session_.inserts()[2].radius_mm);
}

TEST_F(PhantomSessionTest, NemaRecoveryGrowsWithSphereSize) {
  session_.setKind(PhantomKind::Nema);
  ASSERT_TRUE(settle());
  session_.measure(PhantomSession::Measurement::Nema, 0);
  ASSERT_TRUE(settle());
  const auto& nema = session_.results(0).nema;
  ASSERT_TRUE(nema.has_value()) << session_.message().toStdString();
  ASSERT_EQ(nema->spheres.size(), 6u);
  // Partial volume: the smaller the sphere, the less of its activity a blurred
  // scan recovers (RCmean rises with the diameter; 0.01 allows for the noise).
  for (std::size_t k = 1; k < 6; ++k) {
    EXPECT_GT(nema->spheres[k].rc_mean, nema->spheres[k - 1].rc_mean - 0.01) << k;
  }
  EXPECT_GT(nema->spheres[5].rc_mean, nema->spheres[0].rc_mean);
  // Auto-detected centres are drawn where the phantom's spheres are (ring of 57.2 mm).
  for (int s = 0; s < 6; ++s) {
    const auto m = session_.roiMarker(PhantomSession::NemaSphere0 + s, 0);
    ASSERT_TRUE(m.has_value());
    EXPECT_TRUE(m->detected);
    EXPECT_NEAR(std::hypot(m->centre_mm.x(), m->centre_mm.y()), 57.2, 2.0) << s;
  }
}

TEST_F(PhantomSessionTest, RoisMoveByCoordinatesAndReturnToAutoDetection) {
  session_.setKind(PhantomKind::Nema);
  session_.autoDetectRois();
  EXPECT_FALSE(session_.roiMarker(PhantomSession::NemaSphere0, 0).has_value());
  const Eigen::Vector3d p(10.0, -20.0, 3.0);
  session_.setRoiCentre(PhantomSession::NemaSphere0 + 3, p);
  ASSERT_EQ(session_.nemaParams().sphere_centres_mm.size(), 6u);
  EXPECT_EQ(session_.nemaParams().sphere_centres_mm[3], p);
  session_.nudgeRoi(PhantomSession::NemaSphere0 + 3, Eigen::Vector3d(1.0, 0.0, 0.0));
  EXPECT_EQ(session_.nemaParams().sphere_centres_mm[3], p + Eigen::Vector3d(1.0, 0.0, 0.0));
  session_.setRoiCentre(PhantomSession::PsfObject, p);
  EXPECT_EQ(*session_.psfParams().centre_mm, p);
  session_.autoDetectRois();
  EXPECT_TRUE(session_.nemaParams().sphere_centres_mm.empty());
  EXPECT_FALSE(session_.psfParams().centre_mm.has_value());
  ASSERT_TRUE(settle());
}

TEST_F(PhantomSessionTest, LoadedNiftiReplacesTheGeneratedScan) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  Geometry3D g;
  g.size = {12, 10, 8};
  g.spacing_mm = {0.8, 0.9, 2.5};
  Volume v(g);
  for (std::size_t k = 0; k < v.geometry().voxelCount(); ++k) v.data()[k] = static_cast<float>(k);
  const QString path = dir.filePath(QStringLiteral("scan.nii.gz"));
  writeVolume(v, path.toStdString());
  session_.loadScan(1, path);
  ASSERT_TRUE(settle());
  ASSERT_TRUE(session_.isLoaded(1)) << session_.message().toStdString();
  const auto loaded = session_.scan(1)->volume();
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->geometry().size, g.size);
  EXPECT_NEAR(loaded->geometry().spacing_mm.z(), 2.5, 1e-6);
  EXPECT_EQ(loaded->data()[100], 100.0f);
  session_.loadScan(0, dir.filePath(QStringLiteral("missing.nii")));
  ASSERT_TRUE(settle());
  EXPECT_FALSE(session_.isLoaded(0));
  EXPECT_TRUE(session_.message().contains(QStringLiteral("missing.nii")))
      << session_.message().toStdString();
}

TEST_F(PhantomSessionTest, ExportsParseBackToTheResults) {
  session_.generate();
  ASSERT_TRUE(settle());
  session_.measureAll();
  ASSERT_TRUE(settle());
  ASSERT_TRUE(session_.results(0).psf && session_.results(1).psf)
      << session_.message().toStdString();
  const std::vector<PhantomResultRow> rows = phantomResultRows(session_);
  ASSERT_FALSE(rows.empty());

  QTemporaryDir dir;
  const QString csvPath = dir.filePath(QStringLiteral("results.csv"));
  ASSERT_TRUE(session_.exportCsv(csvPath)) << session_.message().toStdString();
  QFile csvFile(csvPath);
  ASSERT_TRUE(csvFile.open(QIODevice::ReadOnly));
  const auto table = parseCsv(csvFile.readAll().toStdString(), "results.csv");
  ASSERT_EQ(table.size(), rows.size() + 1);
  EXPECT_EQ(table[0], (std::vector<std::string>{"group", "quantity", "unit", "A", "B"}));
  bool sawFwhm = false;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(table[r + 1].size(), 5u);
    EXPECT_EQ(table[r + 1][1], rows[r].quantity.toStdString());
    if (rows[r].quantity == QStringLiteral("FWHM x")) {
      sawFwhm = true;
      for (int i = 0; i < 2; ++i) {
        EXPECT_DOUBLE_EQ(std::stod(table[r + 1][3 + static_cast<std::size_t>(i)]),
                         session_.results(i).psf->axes[0].fwhm_mm);
      }
    }
  }
  EXPECT_TRUE(sawFwhm);

  const QString jsonPath = dir.filePath(QStringLiteral("results.json"));
  ASSERT_TRUE(session_.exportJson(jsonPath));
  QFile jsonFile(jsonPath);
  ASSERT_TRUE(jsonFile.open(QIODevice::ReadOnly));
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(jsonFile.readAll(), &error);
  ASSERT_EQ(error.error, QJsonParseError::NoError) << error.errorString().toStdString();
  const QJsonObject root = doc.object();
  EXPECT_EQ(root.value(QStringLiteral("phantom")).toString(), QStringLiteral("edge"));
  ASSERT_EQ(root.value(QStringLiteral("rows")).toArray().size(), static_cast<int>(rows.size()));
  const QJsonArray fwhm = root.value(QStringLiteral("scanners"))
                              .toArray()
                              .at(1)
                              .toObject()
                              .value(QStringLiteral("psf"))
                              .toObject()
                              .value(QStringLiteral("fwhm_mm"))
                              .toArray();
  ASSERT_EQ(fwhm.size(), 3);
  EXPECT_DOUBLE_EQ(fwhm.at(2).toDouble(), session_.results(1).psf->axes[2].fwhm_mm);

  // Nothing is written where the folder does not exist.
  EXPECT_FALSE(session_.exportCsv(dir.filePath(QStringLiteral("no/such/dir/r.csv"))));
  EXPECT_TRUE(session_.message().contains(QStringLiteral("r.csv")));
}

}  // namespace
}  // namespace harmonia
