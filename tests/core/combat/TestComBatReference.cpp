// ComBat against the neuroCombat R reference outputs (../shared/data/combat/reference_r):
// every file must agree to 1e-9. The table is 200 features (rows) x 10 samples (columns).
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "TestSupport.h"
#include "combat/ComBatTestSupport.h"
#include "core/combat/ComBat.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

constexpr double kTolerance = 1e-9;

std::filesystem::path combatDir(const std::filesystem::path& shared) { return shared / "combat"; }

// The reference files: testdata_combat_{parametric|nonparametric}_{adjusted|unadjusted}
// [_noeb][_meanonly][_batchref]_r.csv, plus one with the typo "meanonl".
std::vector<std::string> referenceFiles() {
  std::vector<std::string> names;
  for (const char* eb : {"parametric", "nonparametric"})
    for (const char* adj : {"adjusted", "unadjusted"})
      for (const char* noeb : {"", "_noeb"})
        for (const char* meanOnly : {"", "_meanonly"})
          for (const char* ref : {"", "_batchref"})
            names.push_back(std::string("testdata_combat_") + eb + "_" + adj + noeb + meanOnly +
                            ref + "_r.csv");
  names.emplace_back("testdata_combat_nonparametric_unadjusted_meanonl_batchref_r.csv");
  return names;
}

bool has(const std::string& name, const std::string& part) {
  return name.find(part) != std::string::npos;
}

// The options a file name encodes (../shared/data/README.md).
struct Scenario {
  ComBatOptions options;
  bool adjusted = false;
};

Scenario scenarioOf(const std::string& name) {
  Scenario s;
  s.adjusted = has(name, "_adjusted");
  if (has(name, "_noeb"))
    s.options.empirical_bayes = EmpiricalBayes::None;
  else if (has(name, "_nonparametric"))
    s.options.empirical_bayes = EmpiricalBayes::NonParametric;
  else
    s.options.empirical_bayes = EmpiricalBayes::Parametric;
  s.options.mean_only = has(name, "_meanonl");  // also the typo'd "_meanonl_"
  if (has(name, "_batchref")) s.options.reference_site = "1";
  return s;
}

class ComBatReference : public ::testing::TestWithParam<std::string> {};

TEST_P(ComBatReference, MatchesNeuroCombatR) {
  HARMONIA_REQUIRE_SHARED_DATA(shared);
  const auto dir = combatDir(shared);
  const auto file = dir / "reference_r" / GetParam();
  ASSERT_TRUE(std::filesystem::exists(file)) << file;
  const Eigen::MatrixXd data = test::readNumericCsv(dir / "testdata.csv");
  const Eigen::MatrixXd expected = test::readNumericCsv(file);
  ASSERT_EQ(data.rows(), 200);
  ASSERT_EQ(data.cols(), 10);
  const Scenario s = scenarioOf(GetParam());
  const auto fit = fitComBat(data, {}, test::referenceSites(),
                             s.adjusted ? test::referencePheno() : ComBatCovariates{}, s.options);
  const double diff = test::maxAbsDiff(fit.harmonized, expected);
  std::printf("[ComBat] %-70s max |diff| = %.3g\n", GetParam().c_str(), diff);
  EXPECT_LE(diff, kTolerance) << GetParam();
  EXPECT_TRUE(fit.warnings.empty());
}

INSTANTIATE_TEST_SUITE_P(ComBatR, ComBatReference, ::testing::ValuesIn(referenceFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param.substr(16);  // after "testdata_combat_"
                           n = n.substr(0, n.size() - 6);          // before "_r.csv"
                           for (auto& ch : n)
                             if (ch == '_') ch = 'X';
                           return n;
                         });

// Every reference file in the folder is one of the parameterised cases (or the train/test one).
TEST(ComBatReferenceFiles, AllCovered) {
  HARMONIA_REQUIRE_SHARED_DATA(shared);
  const auto names = referenceFiles();
  const std::set<std::string> known(names.begin(), names.end());
  int count = 0;
  for (const auto& e : std::filesystem::directory_iterator(combatDir(shared) / "reference_r")) {
    const auto name = e.path().filename().string();
    if (name == "training_test_scenario2_r.csv") continue;
    EXPECT_TRUE(known.contains(name)) << "reference file not tested: " << name;
    ++count;
  }
  EXPECT_EQ(count, 33);
}

// neuroCombat Testing/norm_r_training.R, scenario 2: fit with ~pheno on all 10 samples, then
// neuroCombatFromTraining on samples 1, 2, 6, 7 without covariates (their training mean
// effect is imputed).
TEST(ComBatReferenceTraining, Scenario2FitThenApplyWithoutCovariates) {
  HARMONIA_REQUIRE_SHARED_DATA(shared);
  const auto dir = combatDir(shared);
  const Eigen::MatrixXd data = test::readNumericCsv(dir / "testdata.csv");
  const Eigen::MatrixXd expected =
      test::readNumericCsv(dir / "reference_r" / "training_test_scenario2_r.csv");
  const auto fit = fitComBat(data, {}, test::referenceSites(), test::referencePheno(), {});
  const std::vector<Eigen::Index> cols{0, 1, 5, 6};
  Eigen::MatrixXd subset(data.rows(), 4);
  std::vector<std::string> sites;
  for (std::size_t k = 0; k < cols.size(); ++k) {
    subset.col(static_cast<Eigen::Index>(k)) = data.col(cols[k]);
    sites.push_back(test::referenceSites()[static_cast<std::size_t>(cols[k])]);
  }
  EXPECT_THROW(applyComBat(fit.model, subset, sites, {}), ParameterError);
  ComBatApplyOptions opt;
  opt.impute_missing_covariates = true;
  const auto applied = applyComBat(fit.model, subset, sites, {}, opt);
  const double diff = test::maxAbsDiff(applied.harmonized, expected);
  std::printf("[ComBat] %-70s max |diff| = %.3g\n", "training_test_scenario2_r.csv", diff);
  EXPECT_LE(diff, kTolerance);
  EXPECT_EQ(applied.warnings.size(), 1u);

  // With the covariates given, the training samples come out as in the fit, bit for bit.
  const auto exact = applyComBat(fit.model, subset, sites, test::referencePheno({0, 1, 5, 6}));
  Eigen::MatrixXd fitted(data.rows(), 4);
  for (std::size_t k = 0; k < cols.size(); ++k)
    fitted.col(static_cast<Eigen::Index>(k)) = fit.harmonized.col(cols[k]);
  EXPECT_TRUE(test::bitIdentical(exact.harmonized, fitted));
}

}  // namespace
}  // namespace harmonia
