// harmonia-cli features and feature-map, run as the real executable: the IBSI
// digital phantom's CSV and JSON against the IBSI reference values, undefined
// features with their reasons, clear errors for bad inputs, cohort manifests
// (a failing row skipped, or fatal with --strict; the STS patients when the
// shared data is there), and a feature map against a brute-force sphere.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "CliTestSupport.h"
#include "TestSupport.h"
#include "core/dicom/RtStruct.h"
#include "core/dicom/SeriesLoader.h"
#include "core/features/Families.h"
#include "core/io/ImageIO.h"
#include "features/IbsiTestSupport.h"

using harmonia::test::ScratchDir;
using namespace harmonia;

using harmonia::test::Result;
using harmonia::test::runCli;

namespace {

std::filesystem::path phantomImage() {
  return harmonia::test::ibsiDataDir() / "digital_phantom" / "nifti" / "image" / "phantom.nii.gz";
}
std::filesystem::path phantomMask() {
  return harmonia::test::ibsiDataDir() / "digital_phantom" / "nifti" / "mask" / "mask.nii.gz";
}

std::vector<std::vector<std::string>> readCsv(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    rows.push_back(harmonia::test::splitCsvLine(line));
  }
  return rows;
}

// The features of a `tag,family,aggregation,value` table (empty value: undefined).
features::FeatureSet featureSetOf(const std::vector<std::vector<std::string>>& rows) {
  features::FeatureSet set;
  for (std::size_t n = 1; n < rows.size(); ++n) {
    const auto& r = rows[n];
    if (r.size() != 4) {
      continue;
    }
    if (r[3].empty()) {
      set.addUndefined(r[0], r[1], r[2], "empty in the CSV");
    } else {
      set.add(r[0], r[1], r[2], std::stod(r[3]));
    }
  }
  return set;
}

// Exit code `code`, nothing on stdout, and `what` on stderr's first line.
void expectFailure(const Result& r, int code, const std::string& what) {
  EXPECT_EQ(r.code, code) << r.err;
  const std::string first = r.err.substr(0, r.err.find('\n'));
  EXPECT_NE(first.find(what), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

// A small volume of whole grey levels 1..levels (random), with a box mask.
void writeSynthetic(const ScratchDir& dir, int levels, std::uint32_t seed) {
  Geometry3D g;
  g.size = {12, 11, 7};
  g.spacing_mm = {1.0, 1.0, 1.0};
  g.origin_mm = {-5.0, 2.0, 10.0};
  Volume v(g, 0.0f);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> level(1, levels);
  for (float& x : v.voxels()) {
    x = static_cast<float>(level(rng));
  }
  MaskVolume m(g, 0);
  for (int k = 1; k < 6; ++k) {
    for (int j = 2; j < 9; ++j) {
      for (int i = 2; i < 10; ++i) {
        m.at(i, j, k) = 1;
      }
    }
  }
  writeVolume(v, dir / "img.nii.gz");
  writeMask(m, dir / "mask.nii.gz");
}

}  // namespace

TEST(CliFeatures, PhantomCsvHasTheHeaderAndIbsiValues) {
  HARMONIA_REQUIRE_IBSI_DATA();
  ScratchDir dir;
  const auto csv = dir / "phantom.csv";
  const Result r =
      runCli(dir, {"features", phantomImage().string(), "--mask", phantomMask().string(), "--ibsi",
                   "phantom", "--csv", csv.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto rows = readCsv(csv);
  ASSERT_GT(rows.size(), 100u);
  EXPECT_EQ(rows.front(), (std::vector<std::string>{"tag", "family", "aggregation", "value"}));
  const auto refs = harmonia::test::readIbsiReference("digital_phantom");
  const features::FeatureSet set = featureSetOf(rows);
  // What the CLI adds is checked on features whose families have their own
  // tests (the IBSI rule of compareWithIbsi: tolerance, or the published
  // rounding); the whole table is compared for information.
  EXPECT_EQ(harmonia::test::compareWithIbsi(
                set, refs, {"stat_mean", "stat_max", "stat_median", "morph_vol_approx"},
                "CLI digital phantom, checked"),
            0);
  harmonia::test::compareWithIbsi(set, refs, {}, "CLI digital phantom, every feature");
  // Every row has four cells; a value is a number or empty (undefined).
  for (std::size_t n = 1; n < rows.size(); ++n) {
    ASSERT_EQ(rows[n].size(), 4u) << n;
    if (!rows[n][3].empty()) {
      EXPECT_TRUE(std::isfinite(std::stod(rows[n][3]))) << rows[n][0];
    }
  }

  // The CSV on stdout without --csv: the same table.
  const Result out = runCli(dir, {"features", phantomImage().string(), "--mask",
                                  phantomMask().string(), "--ibsi", "phantom"});
  ASSERT_EQ(out.code, 0) << out.err;
  EXPECT_EQ(out.out, harmonia::test::fileBytes(csv));
}

TEST(CliFeatures, JsonGivesNullAndAReasonForUndefinedFeatures) {
  ScratchDir dir;
  // One grey level in the ROI: IBSI leaves several texture features undefined.
  writeSynthetic(dir, 1, 1);
  const Result r = runCli(dir, {"features", (dir / "img.nii.gz").string(), "--mask",
                                (dir / "mask.nii.gz").string(), "--ibsi", "phantom", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::regex entry(
      "\\{\\s*\"tag\": \"([^\"]+)\",\\s*\"family\": \"[^\"]*\",\\s*\"aggregation\": "
      "\"[^\"]*\",\\s*\"value\": (null|[-+0-9.eE]+)(,\\s*\"reason\": \"([^\"]*)\")?\\s*\\}");
  int defined = 0, undefined = 0;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), entry);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    if (m[2] == "null") {
      ++undefined;
      EXPECT_TRUE(m[3].matched && !m[4].str().empty()) << m[1] << " is null without a reason";
    } else {
      ++defined;
      EXPECT_FALSE(m[3].matched) << m[1] << " has a value and a reason";
    }
  }
  EXPECT_GT(undefined, 0) << r.out.substr(0, 2000);
  EXPECT_GT(defined, 0);
  EXPECT_EQ(static_cast<double>(defined + undefined), harmonia::test::jsonNumber(r.out, "count"));
  EXPECT_EQ(static_cast<double>(undefined), harmonia::test::jsonNumber(r.out, "undefined"));
  EXPECT_NE(r.out.find("\"tag\": \"stat_mean\""), std::string::npos);

  // A one-voxel ROI: computed, with undefined features and their reasons.
  {
    MaskVolume one(readMask(dir / "mask.nii.gz").geometry(), 0);
    one.at(5, 5, 3) = 1;
    writeMask(one, dir / "one.nii.gz");
  }
  const Result single = runCli(dir, {"features", (dir / "img.nii.gz").string(), "--mask",
                                     (dir / "one.nii.gz").string(), "--ibsi", "phantom", "--json"});
  ASSERT_EQ(single.code, 0) << single.err;
  const std::regex nullWithReason("\"value\": null,\\s*\"reason\": \"[^\"]+\"");
  const auto nulls = static_cast<double>(
      std::distance(std::sregex_iterator(single.out.begin(), single.out.end(), nullWithReason),
                    std::sregex_iterator()));
  EXPECT_GT(nulls, 0.0);
  EXPECT_EQ(nulls, harmonia::test::jsonNumber(single.out, "undefined"));
}

TEST(CliFeatures, BadInputsGiveClearErrors) {
  ScratchDir dir;
  writeSynthetic(dir, 4, 2);
  const std::string img = (dir / "img.nii.gz").string(), mask = (dir / "mask.nii.gz").string();
  // An empty mask.
  {
    MaskVolume empty(readMask(mask).geometry(), 0);
    writeMask(empty, dir / "empty.nii.gz");
  }
  expectFailure(runCli(dir, {"features", img, "--mask", (dir / "empty.nii.gz").string(), "--ibsi",
                             "phantom"}),
                1, "empty.nii.gz: the mask is empty");
  // A mask that lies outside the image.
  {
    MaskVolume far = readMask(mask);
    far.setOrigin({500.0, 500.0, 500.0});
    writeMask(far, dir / "far.nii.gz");
  }
  expectFailure(
      runCli(dir, {"features", img, "--mask", (dir / "far.nii.gz").string(), "--ibsi", "phantom"}),
      1, "outside the image");
  // A missing image, a missing mask.
  expectFailure(runCli(dir, {"features", (dir / "nope.nii.gz").string(), "--mask", mask, "--ibsi",
                             "phantom"}),
                1, "nope.nii.gz: no such file");
  expectFailure(runCli(dir, {"features", img, "--mask", (dir / "nomask.nii.gz").string(), "--ibsi",
                             "phantom"}),
                1, "nomask.nii.gz: no such file");
  // NaN inside the ROI.
  {
    Volume v = readVolume(img);
    v.at(5, 5, 3) = std::nanf("");
    writeVolume(v, dir / "nan.nii.gz");
  }
  expectFailure(
      runCli(dir, {"features", (dir / "nan.nii.gz").string(), "--mask", mask, "--ibsi", "phantom"}),
      1, "nan.nii.gz: 1 voxels inside the ROI are NaN");
  // An unknown configuration lists the presets; no configuration at all.
  expectFailure(
      runCli(dir, {"features", img, "--mask", mask, "--ibsi", "F"}), 2,
      "unknown IBSI configuration 'F' for --ibsi (expected one of phantom, A, B, C, D, E)");
  expectFailure(runCli(dir, {"features", img, "--mask", mask}), 2, "--config FILE or --ibsi NAME");
  // A ROI name for a NIfTI image.
  expectFailure(runCli(dir, {"features", img, "--roi", "GTV", "--ibsi", "A"}), 1,
                "needs a DICOM folder holding an RTSTRUCT");
  EXPECT_EQ(harmonia::test::entryCount(dir.path()), 5u);  // nothing written
}

TEST(CliFeatures, UnknownRtstructRoiListsTheRois) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto ct = data / "sts" / "STS_001" / "CT";
  if (!std::filesystem::exists(ct)) {
    GTEST_SKIP() << ct << " absent";
  }
  ScratchDir dir;
  expectFailure(runCli(dir, {"features", ct.string(), "--roi", "Liver", "--ibsi", "A"}), 1,
                "no ROI named 'Liver' in its RTSTRUCT; ROIs: 'GTV_Mass_CT'");
}

TEST(CliFeatures, ManifestSkipsAFailingRowUnlessStrict) {
  HARMONIA_REQUIRE_IBSI_DATA();
  ScratchDir dir;
  writeSynthetic(dir, 4, 3);
  // Relative paths are relative to the manifest's folder.
  {
    std::ofstream m(dir / "cohort.csv");
    m << "id,image,mask,site\n"
      << "phantom," << phantomImage().string() << "," << phantomMask().string() << ",\"a, b\"\n"
      << "missing,absent.nii.gz,mask.nii.gz,c\n"
      << "synthetic,img.nii.gz,mask.nii.gz,d\n";
  }
  const auto out = dir / "features.csv";
  Result r = runCli(dir, {"features", "--manifest", (dir / "cohort.csv").string(), "--ibsi",
                          "phantom", "-o", out.string(), "--jobs", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("[1/3]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[3/3]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing failed: " + (dir / "absent.nii.gz").string() + ": no such file"),
            std::string::npos)
      << r.err;
  const auto rows = readCsv(out);
  ASSERT_EQ(rows.size(), 3u);  // header, phantom, synthetic (in manifest order)
  ASSERT_GE(rows[0].size(), 5u);
  EXPECT_EQ((std::vector<std::string>(rows[0].begin(), rows[0].begin() + 4)),
            (std::vector<std::string>{"id", "image", "mask", "site"}));
  EXPECT_EQ(rows[1][0], "phantom");
  EXPECT_EQ(rows[1][3], "a, b");
  EXPECT_EQ(rows[2][0], "synthetic");
  for (const auto& row : rows) {
    EXPECT_EQ(row.size(), rows[0].size());
  }
  // The phantom's stat_mean column holds its IBSI value.
  const auto refs = harmonia::test::readIbsiReference("digital_phantom");
  const auto col = std::find(rows[0].begin(), rows[0].end(), "stat_mean") - rows[0].begin();
  ASSERT_LT(static_cast<std::size_t>(col), rows[0].size());
  features::FeatureSet phantomMean;
  phantomMean.add("stat_mean", "intensity_statistics", "",
                  std::stod(rows[1][static_cast<std::size_t>(col)]));
  EXPECT_EQ(harmonia::test::compareWithIbsi(phantomMean, refs, {"stat_mean"}, "manifest"), 0);
  // No DICOM input: no DICOM columns.
  EXPECT_EQ(std::find(rows[0].begin(), rows[0].end(), "manufacturer"), rows[0].end());

  // --json: the summary, with the failing row (the manifest's line 3).
  r = runCli(dir, {"features", "--manifest", (dir / "cohort.csv").string(), "--ibsi", "phantom",
                   "-o", out.string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(harmonia::test::jsonNumber(r.out, "scans"), 3.0) << r.out;
  EXPECT_EQ(harmonia::test::jsonNumber(r.out, "written"), 2.0) << r.out;
  EXPECT_EQ(harmonia::test::jsonNumber(r.out, "row"), 3.0) << r.out;

  std::filesystem::remove(out);
  r = runCli(dir, {"features", "--manifest", (dir / "cohort.csv").string(), "--ibsi", "phantom",
                   "-o", out.string(), "--strict"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("--strict"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));

  // Every row failing is an error too, and a manifest without an image column.
  {
    std::ofstream m(dir / "bad.csv");
    m << "id,image,mask\nx,absent.nii.gz,mask.nii.gz\n";
    std::ofstream h(dir / "noimage.csv");
    h << "id,scan,mask\nx,img.nii.gz,mask.nii.gz\n";
  }
  r = runCli(dir, {"features", "--manifest", (dir / "bad.csv").string(), "--ibsi", "phantom", "-o",
                   out.string()});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  expectFailure(runCli(dir, {"features", "--manifest", (dir / "noimage.csv").string(), "--ibsi",
                             "phantom", "-o", out.string()}),
                1, "no 'image' column");
}

TEST(CliFeatures, StsManifestWithRtstructRoisAndDicomColumns) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto sts = data / "sts";
  if (!std::filesystem::exists(sts / "STS_003" / "CT")) {
    GTEST_SKIP() << sts << " absent";
  }
  ScratchDir dir;
  {
    std::ofstream m(dir / "sts.csv");
    m << "patient,image,roi,label\n";
    for (int p = 1; p <= 3; ++p) {
      m << "STS_00" << p << "," << (sts / ("STS_00" + std::to_string(p)) / "CT").string()
        << ",GTV_Mass_CT," << p % 2 << "\n";
    }
  }
  const auto out = dir / "sts_features.csv";
  const Result r = runCli(dir, {"features", "--manifest", (dir / "sts.csv").string(), "--ibsi", "A",
                                "-o", out.string(), "--jobs", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto rows = readCsv(out);
  ASSERT_EQ(rows.size(), 4u) << r.err;
  const auto& header = rows[0];
  auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<std::size_t>(it - header.begin());
  };
  EXPECT_EQ(header[0], "patient");
  EXPECT_EQ(header[3], "label");
  const std::size_t thickness = column("slice_thickness_mm"), spacing = column("pixel_spacing_mm");
  const std::size_t manufacturer = column("manufacturer"), mean = column("stat_mean");
  column("model");
  column("kernel");
  for (int p = 1; p <= 3; ++p) {
    const auto& row = rows[static_cast<std::size_t>(p)];
    ASSERT_EQ(row.size(), header.size());
    EXPECT_EQ(row[0], "STS_00" + std::to_string(p));
    EXPECT_NEAR(std::stod(row[thickness]), 3.27, 1e-6);
    EXPECT_NEAR(std::stod(row[spacing]), 0.9766, 1e-3);
    EXPECT_NE(row[manufacturer].find("GE"), std::string::npos);
    // Configuration A: no interpolation, re-segmentation to [-500, 400] HU
    // (IBSI docs/05_Reference_data_sets.rst); stat_mean is then the mean HU
    // of the ROI voxels in that range, computed here from the series and the
    // rasterised RTSTRUCT.
    const auto folder = sts / ("STS_00" + std::to_string(p)) / "CT";
    LoadParams params;
    params.resample_if_irregular = true;
    const Volume v = loadDicomFolder(folder / "image", "", params).volume;
    const RtStruct rs = readRtStruct(folder / "mask" / "RS.dcm");
    const MaskVolume m = rasterizeRoi(rs.roi("GTV_Mass_CT"), v.geometry()).mask;
    double sum = 0.0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < v.voxelCount(); ++i) {
      if (m.data()[i] != 0 && v.data()[i] >= -500.0f && v.data()[i] <= 400.0f) {
        sum += v.data()[i];
        ++n;
      }
    }
    ASSERT_GT(n, 0u);
    EXPECT_NEAR(std::stod(row[mean]), sum / static_cast<double>(n), 1e-6 * std::abs(sum / n))
        << row[0];
  }
}

TEST(CliFeatureMap, MapMatchesABruteForceSphereOnTheImageGrid) {
  ScratchDir dir;
  writeSynthetic(dir, 4, 5);
  const auto out = dir / "map.nii.gz";
  const Result r = runCli(dir, {"feature-map", (dir / "img.nii.gz").string(), "--mask",
                                (dir / "mask.nii.gz").string(), "--ibsi", "phantom", "--feature",
                                "cm_contrast_3D_avg", "--radius-mm", "2", "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const Volume img = readVolume(dir / "img.nii.gz");
  const MaskVolume mask = readMask(dir / "mask.nii.gz");
  const Volume map = readVolume(out);
  ASSERT_TRUE(map.geometry().sameGrid(img.geometry()));
  // The brute force: the whole grid, levels outside the sphere and the ROI set to 0.
  features::TextureSettings s;
  s.aggregations = {false, false, true};
  int compared = 0;
  for (int k = 0; k < img.nz(); ++k) {
    for (int j = 0; j < img.ny(); ++j) {
      for (int i = 0; i < img.nx(); ++i) {
        if (mask.at(i, j, k) == 0) {
          EXPECT_TRUE(std::isnan(map.at(i, j, k)));
          continue;
        }
        if ((i + j + k) % 3 != 0) {
          continue;  // a third of the voxels is enough here
        }
        features::GreyLevelVolume g;
        g.size = img.geometry().size;
        g.spacing_mm = img.geometry().spacing_mm;
        g.levels.assign(img.voxelCount(), 0);
        g.morphological.assign(img.voxelCount(), 0);
        for (int kk = 0; kk < img.nz(); ++kk) {
          for (int jj = 0; jj < img.ny(); ++jj) {
            for (int ii = 0; ii < img.nx(); ++ii) {
              const int d2 = (ii - i) * (ii - i) + (jj - j) * (jj - j) + (kk - k) * (kk - k);
              if (mask.at(ii, jj, kk) == 0 || d2 > 4) {
                continue;
              }
              g.levels[g.index(ii, jj, kk)] = static_cast<std::int32_t>(img.at(ii, jj, kk));
              g.morphological[g.index(ii, jj, kk)] = 1;
            }
          }
        }
        for (std::size_t n = 0; n < img.voxelCount(); ++n) {
          if (mask.data()[n] != 0) {
            g.level_count = std::max(g.level_count, static_cast<int>(img.data()[n]));
          }
        }
        features::FeatureSet fs;
        features::computeGlcm(g, s, fs, noProgress());
        const double want = fs.value("cm_contrast_3D_avg");
        EXPECT_NEAR(map.at(i, j, k), want, 1e-5 * std::max(1.0, std::abs(want)));
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 50);

  // A tag that is not a texture feature: usage error explaining how tags look.
  expectFailure(runCli(dir, {"feature-map", (dir / "img.nii.gz").string(), "--mask",
                             (dir / "mask.nii.gz").string(), "--ibsi", "phantom", "--feature",
                             "stat_mean", "--radius-mm", "2", "-o", (dir / "m2.nii.gz").string()}),
                2, "cm_contrast_3D_avg");
  EXPECT_FALSE(std::filesystem::exists(dir / "m2.nii.gz"));
}

TEST(CliFeatures, SettingsFileChoosesTheFamiliesAndABadOneIsNamed) {
  ScratchDir dir;
  writeSynthetic(dir, 4, 6);
  {
    std::ofstream c(dir / "stats.json");
    c << R"({"preset": "phantom", "families": ["intensity_statistics"]})";
    std::ofstream bad(dir / "typo.json");
    bad << R"({"preset": "phantom", "famillies": ["glcm"]})";
  }
  const Result r = runCli(
      dir, {"features", (dir / "img.nii.gz").string(), "--mask", (dir / "mask.nii.gz").string(),
            "--config", (dir / "stats.json").string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"tag\": \"stat_mean\""), std::string::npos);
  EXPECT_EQ(r.out.find("\"tag\": \"cm_"), std::string::npos);
  EXPECT_EQ(r.out.find("\"tag\": \"morph_volume\""), std::string::npos);
  // stat_mean is the mean of the ROI's values (no processing in this preset).
  const Volume v = readVolume(dir / "img.nii.gz");
  const MaskVolume m = readMask(dir / "mask.nii.gz");
  double sum = 0.0;
  int n = 0;
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    if (m.data()[i] != 0) {
      sum += v.data()[i];
      ++n;
    }
  }
  const std::smatch found = [&] {
    std::smatch s;
    std::regex_search(r.out, s, std::regex("\"tag\": \"stat_mean\"[^}]*\"value\": ([-+0-9.eE]+)"));
    return s;
  }();
  ASSERT_FALSE(found.empty()) << r.out.substr(0, 1000);
  EXPECT_NEAR(std::stod(found[1]), sum / n, 1e-9);

  expectFailure(
      runCli(dir, {"features", (dir / "img.nii.gz").string(), "--mask",
                   (dir / "mask.nii.gz").string(), "--config", (dir / "typo.json").string()}),
      1, "typo.json");
  expectFailure(runCli(dir, {"features", (dir / "img.nii.gz").string(), "--mask",
                             (dir / "mask.nii.gz").string(), "--config",
                             (dir / "stats.json").string(), "--ibsi", "A"}),
                2, "--config FILE or --ibsi NAME");
}

TEST(CliFeatures, CtPhantomConfigurationsAAndCThroughTheCli) {
  HARMONIA_REQUIRE_IBSI_DATA();
  ScratchDir dir;
  const auto ct = harmonia::test::ibsiDataDir() / "ct_phantom" / "nifti";
  for (const std::string config : {"A", "C"}) {
    const auto csv = dir / ("ct_" + config + ".csv");
    const Result r = runCli(
        dir, {"features", (ct / "image" / "phantom.nii.gz").string(), "--mask",
              (ct / "mask" / "mask.nii.gz").string(), "--ibsi", config, "--csv", csv.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const features::FeatureSet set = featureSetOf(readCsv(csv));
    const auto refs = harmonia::test::readIbsiReference("config_" + config);
    // Every reference value of the configuration, through the CLI's CSV
    // (12 significant digits).
    EXPECT_EQ(harmonia::test::compareWithIbsi(set, refs, {}, "CLI CT phantom " + config), 0);
  }
}
