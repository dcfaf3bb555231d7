// Feature maps (core/features/FeatureMap.h) against a brute-force reference:
// for every ROI voxel the test cuts the sphere out itself (on the whole grid,
// not on a cropped box), calls the family function directly with only the
// tag's aggregation, and compares with the map. Also: tag parsing, errors,
// placement of the map on the image's grid, and the cohort CSV helpers.

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/features/Families.h"
#include "core/features/FeatureMap.h"
#include "core/features/FeatureTable.h"
#include "core/util/Error.h"

using namespace harmonia;
using namespace harmonia::features;

namespace {

// A ROI shaped like an ellipsoid with random grey levels 1..levels (and a
// few morphological-only voxels, as re-segmentation leaves them).
GreyLevelVolume syntheticLevels(std::array<int, 3> size, Eigen::Vector3d spacing, int levels,
                                std::uint32_t seed) {
  GreyLevelVolume g;
  g.size = size;
  g.spacing_mm = spacing;
  g.level_count = levels;
  g.levels.assign(static_cast<std::size_t>(size[0]) * size[1] * size[2], 0);
  g.morphological.assign(g.levels.size(), 0);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> level(1, levels);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int k = 0; k < size[2]; ++k) {
    for (int j = 0; j < size[1]; ++j) {
      for (int i = 0; i < size[0]; ++i) {
        const double x = (i - (size[0] - 1) / 2.0) / (size[0] / 2.0);
        const double y = (j - (size[1] - 1) / 2.0) / (size[1] / 2.0);
        const double z = (k - (size[2] - 1) / 2.0) / (size[2] / 2.0);
        if (x * x + y * y + z * z > 1.0) {
          continue;
        }
        const std::size_t n = g.index(i, j, k);
        g.morphological[n] = 1;
        g.levels[n] = u(rng) < 0.05 ? 0 : level(rng);
      }
    }
  }
  return g;
}

void runFamily(Family f, const GreyLevelVolume& g, const TextureSettings& s, FeatureSet& out) {
  switch (f) {
    case Family::Glcm:
      computeGlcm(g, s, out, noProgress());
      break;
    case Family::Glrlm:
      computeGlrlm(g, s, out, noProgress());
      break;
    case Family::Glszm:
      computeGlszm(g, s, out, noProgress());
      break;
    case Family::Gldzm:
      computeGldzm(g, s, out, noProgress());
      break;
    case Family::Ngtdm:
      computeNgtdm(g, s, out, noProgress());
      break;
    case Family::Ngldm:
      computeNgldm(g, s, out, noProgress());
      break;
    default:
      FAIL() << "not a texture family";
  }
}

// The feature in the sphere around (ci, cj, ck), brute force: the whole grid,
// every voxel outside the sphere (by centre distance) set to 0.
double bruteForce(const GreyLevelVolume& roi, const std::string& tag, Family family,
                  TextureAggregations aggregations, double radius, int ci, int cj, int ck) {
  GreyLevelVolume g = roi;
  for (int k = 0; k < g.size[2]; ++k) {
    for (int j = 0; j < g.size[1]; ++j) {
      for (int i = 0; i < g.size[0]; ++i) {
        const double dx = (i - ci) * g.spacing_mm[0], dy = (j - cj) * g.spacing_mm[1],
                     dz = (k - ck) * g.spacing_mm[2];
        if (dx * dx + dy * dy + dz * dz <= radius * radius * (1 + 1e-12)) {
          continue;
        }
        g.levels[g.index(i, j, k)] = 0;
        g.morphological[g.index(i, j, k)] = 0;
      }
    }
  }
  TextureSettings s;
  s.aggregations = aggregations;
  FeatureSet out;
  runFamily(family, g, s, out);
  const Feature* f = out.find(tag);
  if (f == nullptr) {
    return -1e300;  // reported by the caller
  }
  return f->defined() ? f->value : std::nan("");
}

void expectMapMatchesBruteForce(const GreyLevelVolume& roi, const std::string& tag, double radius) {
  const TextureFeatureTag t = textureFeatureTag(tag);
  const std::vector<float> map =
      featureMapOnLevels(roi, tag, radius, TextureSettings{}, noProgress());
  ASSERT_EQ(map.size(), roi.voxelCount());
  int compared = 0, undefined = 0;
  for (int k = 0; k < roi.size[2]; ++k) {
    for (int j = 0; j < roi.size[1]; ++j) {
      for (int i = 0; i < roi.size[0]; ++i) {
        const std::size_t n = roi.index(i, j, k);
        if (roi.levels[n] == 0) {
          EXPECT_TRUE(std::isnan(map[n]))
              << tag << " outside the ROI at " << i << "," << j << "," << k;
          continue;
        }
        const double want = bruteForce(roi, tag, t.family, t.aggregations, radius, i, j, k);
        ASSERT_NE(want, -1e300) << tag << " is not computed by its family";
        ++compared;
        if (std::isnan(want)) {
          ++undefined;
          EXPECT_TRUE(std::isnan(map[n])) << tag << " at " << i << "," << j << "," << k;
        } else {
          // The map is float32.
          EXPECT_NEAR(map[n], want, 1e-5 * std::max(1.0, std::abs(want)))
              << tag << " at " << i << "," << j << "," << k;
        }
      }
    }
  }
  std::cout << "[feature map] " << tag << ": " << compared << " voxels compared, " << undefined
            << " undefined\n";
  EXPECT_GT(compared, 50);
}

}  // namespace

TEST(FeatureMapTag, ReadsFamilyAndAggregation) {
  TextureFeatureTag t = textureFeatureTag("cm_contrast_3D_avg");
  EXPECT_EQ(t.family, Family::Glcm);
  EXPECT_EQ(t.aggregation, "3D_avg");
  EXPECT_TRUE(t.aggregations.three_d);
  EXPECT_FALSE(t.aggregations.two_d || t.aggregations.two_and_half_d);
  t = textureFeatureTag("rlm_sre_2_5D_comb");
  EXPECT_EQ(t.family, Family::Glrlm);
  EXPECT_EQ(t.aggregation, "2_5D_comb");
  EXPECT_TRUE(t.aggregations.two_and_half_d);
  t = textureFeatureTag("szm_sze_2D");
  EXPECT_EQ(t.family, Family::Glszm);
  EXPECT_TRUE(t.aggregations.two_d);
  EXPECT_EQ(textureFeatureTag("dzm_glnu_norm_2_5D").aggregation, "2_5D");
  EXPECT_EQ(textureFeatureTag("ngt_coarseness_3D").family, Family::Ngtdm);
  EXPECT_EQ(textureFeatureTag("ngl_lde_3D").family, Family::Ngldm);
  for (const char* bad : {"stat_mean", "cm_contrast", "cm_contrast_3D", "szm_sze_3D_avg", "cm__3D",
                          "", "cm_3D_avg"}) {
    EXPECT_THROW(textureFeatureTag(bad), ParameterError) << bad;
  }
  try {
    textureFeatureTag("glcm_contrast");
    FAIL();
  } catch (const ParameterError& e) {
    EXPECT_NE(std::string(e.what()).find("cm_contrast_3D_avg"), std::string::npos) << e.what();
  }
}

TEST(FeatureMap, RejectsUnknownTagsAndBadRadius) {
  const GreyLevelVolume roi = syntheticLevels({6, 6, 4}, {1.0, 1.0, 1.0}, 3, 1);
  // A well-formed tag the family does not compute: the message lists the tags it does.
  EXPECT_THROW(featureMapOnLevels(roi, "cm_nonsense_3D_avg", 2.0, {}, noProgress()),
               ParameterError);
  EXPECT_THROW(featureMapOnLevels(roi, "cm_contrast_3D_avg", 0.0, {}, noProgress()),
               ParameterError);
  EXPECT_THROW(featureMapOnLevels(roi, "cm_contrast_3D_avg", -1.0, {}, noProgress()),
               ParameterError);
}

TEST(FeatureMap, GlcmContrastMatchesBruteForceEveryVoxel) {
  expectMapMatchesBruteForce(syntheticLevels({11, 9, 7}, {1.0, 1.0, 1.0}, 4, 3),
                             "cm_contrast_3D_avg", 2.5);
}

TEST(FeatureMap, AnisotropicSpacingAndTwoDAggregationsMatchBruteForce) {
  // 2 mm slices: the sphere spans fewer slices than columns.
  const GreyLevelVolume roi = syntheticLevels({10, 9, 6}, {0.8, 0.8, 2.0}, 5, 4);
  expectMapMatchesBruteForce(roi, "rlm_sre_2D_avg", 2.1);
  expectMapMatchesBruteForce(roi, "szm_sze_2_5D", 2.1);
}

TEST(FeatureMap, ZoneAndNeighbourhoodFamiliesMatchBruteForce) {
  const GreyLevelVolume roi = syntheticLevels({9, 8, 6}, {1.0, 1.0, 1.0}, 3, 5);
  expectMapMatchesBruteForce(roi, "dzm_sde_3D", 2.0);
  expectMapMatchesBruteForce(roi, "ngt_coarseness_3D", 2.0);
  expectMapMatchesBruteForce(roi, "ngl_lde_3D", 2.0);
}

TEST(FeatureMap, OneGreyLevelIsUndefinedNotZero) {
  GreyLevelVolume roi = syntheticLevels({7, 7, 5}, {1.0, 1.0, 1.0}, 1, 6);
  const std::vector<float> map = featureMapOnLevels(roi, "cm_corr_3D_avg", 2.0, {}, noProgress());
  for (std::size_t n = 0; n < map.size(); ++n) {
    if (roi.levels[n] > 0) {
      EXPECT_TRUE(std::isnan(map[n])) << n << ": " << map[n];
    }
  }
}

TEST(FeatureMap, CancelStopsTheMap) {
  AtomicProgress progress;
  progress.requestCancel();
  const GreyLevelVolume roi = syntheticLevels({9, 9, 9}, {1.0, 1.0, 1.0}, 4, 7);
  EXPECT_THROW(featureMapOnLevels(roi, "cm_contrast_3D_avg", 2.0, {}, progress), Cancelled);
}

TEST(FeatureMap, WholeChainPutsTheMapOnTheImageGrid) {
  // The IBSI "phantom" configuration keeps the image's values as grey levels
  // (no interpolation, no discretisation), so the brute force can read them
  // straight from the image.
  Geometry3D geo;
  geo.size = {14, 12, 8};
  geo.spacing_mm = {1.0, 1.0, 1.5};
  geo.origin_mm = {-20.0, 7.0, 3.0};
  Volume image(geo, 0.0f);
  MaskVolume mask(geo, 0);
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> level(1, 4);
  for (std::size_t n = 0; n < image.voxelCount(); ++n) {
    image.data()[n] = static_cast<float>(level(rng));
  }
  for (int k = 2; k < 6; ++k) {
    for (int j = 3; j < 9; ++j) {
      for (int i = 4; i < 11; ++i) {
        mask.at(i, j, k) = 1;
      }
    }
  }
  const FeatureSettings settings = ibsiPreset("phantom");
  const FeatureMap result =
      computeFeatureMap(image, mask, settings, "cm_contrast_3D_avg", 2.0, noProgress());
  ASSERT_TRUE(result.on_image_grid);
  ASSERT_TRUE(result.map.geometry().sameGrid(geo));
  EXPECT_EQ(result.roi_voxels, 7u * 6u * 4u);
  EXPECT_EQ(result.family, "glcm");

  GreyLevelVolume whole;
  whole.size = geo.size;
  whole.spacing_mm = geo.spacing_mm;
  whole.levels.assign(image.voxelCount(), 0);
  whole.morphological.assign(image.voxelCount(), 0);
  for (std::size_t n = 0; n < image.voxelCount(); ++n) {
    if (mask.data()[n] == 0) {
      continue;
    }
    whole.levels[n] = static_cast<std::int32_t>(image.data()[n]);
    whole.morphological[n] = 1;
    whole.level_count = std::max(whole.level_count, whole.levels[n]);
  }
  const TextureFeatureTag t = textureFeatureTag("cm_contrast_3D_avg");
  for (int k = 0; k < geo.size[2]; ++k) {
    for (int j = 0; j < geo.size[1]; ++j) {
      for (int i = 0; i < geo.size[0]; ++i) {
        const float got = result.map.at(i, j, k);
        if (mask.at(i, j, k) == 0) {
          EXPECT_TRUE(std::isnan(got)) << i << "," << j << "," << k;
          continue;
        }
        const double want =
            bruteForce(whole, "cm_contrast_3D_avg", t.family, t.aggregations, 2.0, i, j, k);
        EXPECT_NEAR(got, want, 1e-5 * std::max(1.0, std::abs(want))) << i << "," << j << "," << k;
      }
    }
  }
}

TEST(FeatureTable, CsvOfOneSetAndOfACohort) {
  FeatureSet a;
  a.add("stat_mean", "intensity_statistics", "", 1.5);
  a.addUndefined("cm_corr_3D_avg", "glcm", "3D_avg", "one grey level");
  FeatureSet b;
  b.add("stat_mean", "intensity_statistics", "", -2.0);
  b.add("ngt_coarseness_3D", "ngtdm", "3D", 0.25);
  EXPECT_EQ(featureSetCsv(a),
            "tag,family,aggregation,value\nstat_mean,intensity_statistics,,1.5\n"
            "cm_corr_3D_avg,glcm,3D_avg,\n");
  const std::string cohort =
      cohortCsv({{{{"id", "p1"}, {"site", "x, y"}}, a}, {{{"id", "p\"2"}, {"model", "M"}}, b}});
  EXPECT_EQ(cohort,
            "id,site,model,stat_mean,cm_corr_3D_avg,ngt_coarseness_3D\n"
            "p1,\"x, y\",,1.5,,\n"
            "\"p\"\"2\",,M,-2,,0.25\n");
}

TEST(FeatureTable, ParsesCsvWithQuotesAndLineEnds) {
  const auto rows =
      parseCsv("\xEF\xBB\xBFid,image\r\n\"a,b\",\"x\"\"y\"\r\n\nlast,\"two\nlines\"", "m");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "image"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"a,b", "x\"y"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"last", "two\nlines"}));
  EXPECT_EQ(parseCsv("a,,\n", "m").front(), (std::vector<std::string>{"a", "", ""}));
  EXPECT_THROW(parseCsv("a,\"open\n", "m"), InputError);
}
