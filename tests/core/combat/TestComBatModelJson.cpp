// The ComBat model's JSON form: save -> load -> apply is bit-identical to the fit, and files
// that are not a version-1 harmonia ComBat model are refused naming the file.
#include <gtest/gtest.h>

#include <fstream>

#include "TestSupport.h"
#include "combat/ComBatTestSupport.h"
#include "core/combat/ComBat.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

void writeText(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ComBatModelJson, RoundTripAppliesBitIdentically) {
  test::ScratchDir dir;
  auto c = test::makeCohort(25, 3, 6);
  c.data(4, 2) = std::nan("");
  c.data.row(9).setConstant(1.0);  // unadjusted feature: NaN estimates become null
  for (auto eb : {EmpiricalBayes::Parametric, EmpiricalBayes::NonParametric, EmpiricalBayes::None})
    for (bool ref : {false, true}) {
      ComBatOptions o;
      o.empirical_bayes = eb;
      if (ref) o.reference_site = "siteC";
      const auto fit = fitComBat(c.data, {}, c.sites, c.covariates, o);
      const auto file = dir / "model.json";
      saveComBatModel(fit.model, file);
      const auto loaded = loadComBatModel(file);
      EXPECT_EQ(loaded.feature_names, fit.model.feature_names);
      EXPECT_EQ(loaded.site_levels, fit.model.site_levels);
      EXPECT_EQ(loaded.covariates.column_names, fit.model.covariates.column_names);
      EXPECT_EQ(loaded.options.reference_site, o.reference_site);
      EXPECT_TRUE(test::bitIdentical(loaded.gamma_star, fit.model.gamma_star));
      EXPECT_TRUE(test::bitIdentical(loaded.delta_star, fit.model.delta_star));
      EXPECT_TRUE(test::bitIdentical(loaded.pooled_variance, fit.model.pooled_variance));
      EXPECT_TRUE(test::bitIdentical(loaded.site_coefficients, fit.model.site_coefficients));
      EXPECT_TRUE(
          test::bitIdentical(loaded.covariate_coefficients, fit.model.covariate_coefficients));
      EXPECT_TRUE(test::bitIdentical(loaded.prior_a, fit.model.prior_a));
      const auto applied = applyComBat(loaded, c.data, c.sites, c.covariates);
      EXPECT_TRUE(test::bitIdentical(applied.harmonized, fit.harmonized));
      EXPECT_EQ(test::entryCount(dir.path()), 1u);  // no temporary file left
    }
}

TEST(ComBatModelJson, RefusesOtherFormatsAndVersions) {
  test::ScratchDir dir;
  const auto c = test::makeCohort(6, 2, 5);
  const auto fit = fitComBat(c.data, {}, c.sites, {}, {});
  const auto good = dir / "good.json";
  saveComBatModel(fit.model, good);
  const std::string text = test::fileBytes(good);
  ASSERT_NE(text.find("\"format\": \"harmonia-combat-model\""), std::string::npos);
  ASSERT_NE(text.find("\"version\": 1"), std::string::npos);

  auto expectRefused = [&](const std::string& name, const std::string& content,
                           const std::string& problem) {
    const auto file = dir / name;
    writeText(file, content);
    try {
      loadComBatModel(file);
      ADD_FAILURE() << name << " was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), file);
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
      EXPECT_NE(e.problem().find(problem), std::string::npos) << e.problem();
    }
  };
  expectRefused("v2.json", replaced(text, "\"version\": 1", "\"version\": 2"),
                "unsupported ComBat model version 2");
  expectRefused("other.json",
                replaced(text, "\"harmonia-combat-model\"", "\"harmonia-something-else\""),
                "not a harmonia ComBat model");
  expectRefused("broken.json", text.substr(0, text.size() / 2), "not valid JSON");
  expectRefused("short.json", replaced(text, "\"pooledVariance\"", "\"pooledVarianceX\""),
                "'pooledVariance' is missing");
  EXPECT_THROW(loadComBatModel(dir / "absent.json"), InputError);
}

}  // namespace
}  // namespace harmonia
