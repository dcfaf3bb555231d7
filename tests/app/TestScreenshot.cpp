// `harmonia --screenshot` starts the real application on its demo, renders
// and saves the window, and exits 0. The picture must show the demo: views
// that are not one flat colour.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <QColor>
#include <QImage>
#include <QSet>
#include <cmath>
#include <cstdlib>

#include "CohortTestSupport.h"
#include "TestSupport.h"
#include "UiTestSupport.h"

namespace {

int run(const std::string& args) {
  const std::string cmd = std::string("'") + HARMONIA_GUI + "' " + args + " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Distinct colours inside a rectangle, counted on a coarse grid.
int distinctColours(const QImage& image, const QRect& r) {
  QSet<QRgb> colours;
  for (int y = r.top(); y < r.bottom(); y += 3)
    for (int x = r.left(); x < r.right(); x += 3) colours.insert(image.pixel(x, y));
  return colours.size();
}

}  // namespace

class Screenshot : public ::testing::TestWithParam<const char*> {};

TEST_P(Screenshot, ShowsTheDemoInNonBlankViews) {
  if (!harmonia::test::haveGlDisplay()) GTEST_SKIP() << harmonia::test::kNoDisplay;
  harmonia::test::ScratchDir dir;
  const auto out = dir / "shot.png";
  ASSERT_EQ(run("--screenshot '" + out.string() + "' --workspace " + GetParam()), 0);
  QImage image(QString::fromStdString(out.string()));
  ASSERT_FALSE(image.isNull());
  EXPECT_EQ(image.size(), QSize(1400, 900));
  // Left and right view areas (below the toolbar, above the histogram).
  const QRect left(40, 120, 600, 400);
  const QRect right(760, 120, 600, 400);
  EXPECT_GT(distinctColours(image, left), 20) << GetParam() << ": left view looks blank";
  EXPECT_GT(distinctColours(image, right), 20) << GetParam() << ": right view looks blank";
  EXPECT_EQ(harmonia::test::entryCount(dir.path()), 1u) << "temporary files left behind";
}

INSTANTIATE_TEST_SUITE_P(Workspaces, Screenshot,
                         ::testing::Values("compare", "composite", "phantom"));

TEST(Screenshot, ShowsADicomFolderInTheStudiesWorkspace) {
  if (!harmonia::test::haveGlDisplay()) GTEST_SKIP() << harmonia::test::kNoDisplay;
  HARMONIA_REQUIRE_SHARED_DATA(data);
  harmonia::test::ScratchDir dir;
  const auto out = dir / "shot.png";
  ASSERT_EQ(run("--screenshot '" + out.string() + "' '" +
                (data / "sts" / "STS_001" / "PET").string() + "'"),
            0);
  QImage image(QString::fromStdString(out.string()));
  ASSERT_FALSE(image.isNull());
  // The viewer's four views fill the right of the window.
  const QRect axial(580, 90, 300, 300), volume(900, 90, 300, 300), coronal(580, 480, 300, 300),
      sagittal(900, 480, 300, 300);
  for (const QRect& r : {axial, volume, coronal, sagittal}) {
    EXPECT_GT(distinctColours(image, r), 20)
        << "view at " << r.x() << "," << r.y() << " looks blank";
  }
}

TEST(Screenshot, RendersTwoDicomFoldersInAComparisonMode) {
  if (!harmonia::test::haveGlDisplay()) GTEST_SKIP() << harmonia::test::kNoDisplay;
  HARMONIA_REQUIRE_SHARED_DATA(data);
  harmonia::test::ScratchDir dir;
  const auto out = dir / "shot.png";
  const std::string ct = (data / "sts" / "STS_001" / "CT").string();
  const std::string pet = (data / "sts" / "STS_001" / "PET").string();
  ASSERT_EQ(
      run("--screenshot '" + out.string() + "' --compare-mode fusion '" + ct + "' '" + pet + "'"),
      0);
  QImage image(QString::fromStdString(out.string()));
  ASSERT_FALSE(image.isNull());
  // One view holds both studies in fusion: magenta and green, so colours, not just greys.
  int coloured = 0;
  for (int y = 120; y < 520; y += 4)
    for (int x = 40; x < 1000; x += 4) {
      const QColor c = image.pixelColor(x, y);
      coloured += std::abs(c.red() - c.green()) > 30 ? 1 : 0;
    }
  EXPECT_GT(coloured, 200) << "the fusion view shows no colour";
}

TEST(Screenshot, ShowsACohortHarmonizedInTheFeaturesWorkspace) {
  if (!harmonia::test::haveGlDisplay()) GTEST_SKIP() << harmonia::test::kNoDisplay;
  harmonia::test::ScratchDir dir;
  const auto table = dir / "cohort.csv";
  harmonia::test::writeCohortCsv(harmonia::test::makeConfoundedCohort(), table);
  for (const char* view : {"box", "pca"}) {
    const auto out = dir / (std::string("cohort-") + view + ".png");
    ASSERT_EQ(run("--screenshot '" + out.string() + "' --cohort '" + table.string() +
                  "' --site site --label disease --covariates age --cohort-view " + view),
              0);
    QImage image(QString::fromStdString(out.string()));
    ASSERT_FALSE(image.isNull());
    // The two charts right of the setup panel, and the guard table below them.
    EXPECT_GT(distinctColours(image, QRect(320, 120, 500, 400)), 20) << view << ": chart blank";
    EXPECT_GT(distinctColours(image, QRect(860, 120, 500, 400)), 20) << view << ": chart blank";
  }
  // A table that cannot be read, or cannot be harmonized, fails with exit status 1.
  EXPECT_EQ(run("--screenshot '" + (dir / "x.png").string() + "' --cohort '" +
                (dir / "missing.csv").string() + "'"),
            1);
  EXPECT_EQ(run("--screenshot '" + (dir / "x.png").string() + "' --cohort '" + table.string() +
                "' --site site --label site"),
            1);
}

TEST(ScreenshotCli, BadArgumentsFailCleanly) {
  harmonia::test::ScratchDir dir;
  EXPECT_EQ(run("--workspace nowhere --screenshot '" + (dir / "x.png").string() + "'"), 2);
  EXPECT_EQ(run("--compare-mode blend --screenshot '" + (dir / "x.png").string() + "'"), 2);
  EXPECT_EQ(run("--compare onlyone --screenshot '" + (dir / "x.png").string() + "'"), 2);
  if (!harmonia::test::haveGlDisplay()) GTEST_SKIP() << harmonia::test::kNoDisplay;
  EXPECT_EQ(run("--no-demo --screenshot '" + (dir / "missing" / "x.png").string() + "'"), 1);
  EXPECT_EQ(harmonia::test::entryCount(dir.path()), 0u);
}
