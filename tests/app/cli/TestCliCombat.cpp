// harmonia-cli combat fit / apply and harmonization-report, run as the real executable.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "CliTestSupport.h"
#include "combat/ComBatTestSupport.h"
#include "core/combat/CohortTable.h"

namespace harmonia {
namespace {

using test::CliResult;
using test::ScratchDir;

// Writes a cohort CSV: leading string columns, then numeric columns (features × rows).
void writeCohort(const std::filesystem::path& file,
                 const std::vector<std::pair<std::string, std::vector<std::string>>>& leading,
                 const std::vector<std::string>& featureNames, const Eigen::MatrixXd& values) {
  std::ofstream out(file, std::ios::binary);
  std::string header;
  for (const auto& [name, cells] : leading) {
    if (!header.empty()) header += ",";
    header += name;
  }
  for (const auto& name : featureNames) {
    if (!header.empty()) header += ",";
    header += name;
  }
  out << header << "\n";
  for (Eigen::Index r = 0; r < values.cols(); ++r) {
    std::string line;
    for (const auto& [name, cells] : leading) {
      if (!line.empty()) line += ",";
      line += cells[static_cast<std::size_t>(r)];
    }
    for (Eigen::Index f = 0; f < values.rows(); ++f) {
      if (!line.empty()) line += ",";
      line += formatRoundTrip(values(f, r));
    }
    out << line << "\n";
  }
}

// The feature columns of a written table, features × rows.
Eigen::MatrixXd readFeatures(const std::filesystem::path& file, const std::string& regex) {
  const CohortTable t = readCohortTable(file);
  return featureMatrix(t, selectFeatureColumns(t, regex, {}));
}

std::vector<std::string> names(const std::string& prefix, int n) {
  std::vector<std::string> v;
  for (int i = 1; i <= n; ++i) v.push_back(prefix + std::to_string(i));
  return v;
}

std::vector<std::string> asText(const std::vector<double>& v) {
  std::vector<std::string> s;
  for (const double x : v) s.push_back(formatRoundTrip(x));
  return s;
}

// The neuroCombat test table (features × samples) as a cohort: scan, site, pheno, f1..f200.
TEST(CliCombat, FitMatchesNeuroCombatR) {
  HARMONIA_REQUIRE_SHARED_DATA(shared);
  const auto dir = shared / "combat";
  if (!std::filesystem::exists(dir / "testdata.csv"))
    GTEST_SKIP() << "no neuroCombat test data at " << dir << " (see data/README.md)";
  const Eigen::MatrixXd data = test::readNumericCsv(dir / "testdata.csv");
  const ScratchDir tmp;
  const auto table = tmp / "cohort.csv";
  writeCohort(table,
              {{"scan", names("scan", 10)},
               {"site", test::referenceSites()},
               {"pheno", asText(test::referencePheno().numeric[0].values)}},
              names("f", 200), data);
  const std::string before = test::fileBytes(table);
  for (const auto& [flag, file] : std::vector<std::pair<std::string, std::string>>{
           {"", "testdata_combat_parametric_adjusted_r.csv"},
           {"--non-parametric", "testdata_combat_nonparametric_adjusted_r.csv"}}) {
    std::vector<std::string> args = {"combat",
                                     "fit",
                                     table.string(),
                                     "--site",
                                     "site",
                                     "--covariates",
                                     "pheno",
                                     "--model",
                                     (tmp / "m.json").string(),
                                     "-o",
                                     (tmp / "out.csv").string()};
    if (!flag.empty()) args.push_back(flag);
    const CliResult r = test::runCli(tmp, args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    const Eigen::MatrixXd expected = test::readNumericCsv(dir / "reference_r" / file);
    const Eigen::MatrixXd got = readFeatures(tmp / "out.csv", "f[0-9]+");
    const double diff = test::maxAbsDiff(got, expected);
    std::printf("[combat fit %s] max |diff| vs %s = %.3g\n", flag.c_str(), file.c_str(), diff);
    EXPECT_LE(diff, 1e-9) << file;
    // Non-feature columns copied verbatim, in the same order.
    const CohortTable out = readCohortTable(tmp / "out.csv");
    EXPECT_EQ(out.header, readCohortTable(table).header);
    EXPECT_EQ(out.strings(0), names("scan", 10));
  }
  EXPECT_EQ(test::fileBytes(table), before);
}

// A synthetic cohort with an id, a site, age, sex, a group and 12 features.
std::filesystem::path syntheticCohort(const ScratchDir& tmp, const std::string& name = "c.csv") {
  const test::Cohort c = test::makeCohort(12, 3, 20);
  std::vector<std::string> ids, groups;
  for (std::size_t j = 0; j < c.sites.size(); ++j) {
    ids.push_back("subject, " + std::to_string(j));  // a comma: quoted cell
    groups.push_back(j % 2 == 0 ? "control" : "patient");
  }
  const auto file = tmp / name;
  writeCohort(file,
              {{"id", ids},
               {"site", c.sites},
               {"age", asText(c.covariates.numeric[0].values)},
               {"sex", c.covariates.categorical[0].values},
               {"group", groups}},
              names("feat_", 12), c.data);
  // Quote the ids as CSV requires.
  std::string text = test::fileBytes(file);
  std::string fixed;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    if (pos > 0) {
      const auto comma = line.find(',', line.find(',') + 1);
      line = "\"" + line.substr(0, comma) + "\"" + line.substr(comma);
    }
    fixed += line + "\n";
    pos = end + 1;
  }
  std::ofstream(file, std::ios::binary) << fixed;
  return file;
}

std::vector<std::string> fitArgs(const ScratchDir& tmp, const std::filesystem::path& table,
                                 const std::string& model, const std::string& out) {
  return {"combat",
          "fit",
          table.string(),
          "--site",
          "site",
          "--covariates",
          "age",
          "--categorical",
          "sex",
          "--model",
          (tmp / model).string(),
          "-o",
          (tmp / out).string()};
}

TEST(CliCombat, FitThenApplyReproducesAndCopiesOtherColumns) {
  const ScratchDir tmp;
  const auto table = syntheticCohort(tmp);
  auto args = fitArgs(tmp, table, "m.json", "fit.csv");
  args.push_back("--json");
  const CliResult fit = test::runCli(tmp, args);
  ASSERT_EQ(fit.code, 0) << fit.err;
  EXPECT_EQ(test::jsonNumber(fit.out, "features"), 12.0);
  EXPECT_EQ(test::jsonNumber(fit.out, "adjustedFeatures"), 12.0);
  EXPECT_NE(fit.out.find("\"warnings\": []"), std::string::npos) << fit.out;
  const CliResult apply =
      test::runCli(tmp, {"combat", "apply", "--model", (tmp / "m.json").string(), table.string(),
                         "-o", (tmp / "apply.csv").string()});
  ASSERT_EQ(apply.code, 0) << apply.err;
  EXPECT_EQ(test::fileBytes(tmp / "apply.csv"), test::fileBytes(tmp / "fit.csv"));
  const CohortTable in = readCohortTable(table);
  const CohortTable out = readCohortTable(tmp / "fit.csv");
  EXPECT_EQ(out.header, in.header);
  for (const char* col : {"id", "site", "age", "sex", "group"})
    EXPECT_EQ(out.strings(out.column(col, "")), in.strings(in.column(col, ""))) << col;
  EXPECT_GT(
      test::maxAbsDiff(readFeatures(table, "feat_.*"), readFeatures(tmp / "fit.csv", "feat_.*")),
      0.1);
}

TEST(CliCombat, FitWhereFitsOnTheMatchingRowsAndAppliesToAll) {
  const ScratchDir tmp;
  const auto table = syntheticCohort(tmp);
  auto args = fitArgs(tmp, table, "m.json", "out.csv");
  args.insert(args.end(), {"--fit-where", "group=control"});
  const CliResult r = test::runCli(tmp, args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("fitted on 30 of 60 rows"), std::string::npos) << r.out;
  const ComBatModel model = loadComBatModel(tmp / "m.json");
  EXPECT_EQ(model.site_sample_counts, (std::vector<std::size_t>{10, 10, 10}));
  EXPECT_EQ(model.site_column, "site");
  // The controls alone, fitted: the same model, the same harmonized controls.
  const CohortTable in = readCohortTable(table);
  CohortTable controls = in;
  controls.rows.clear();
  for (const auto& row : in.rows)
    if (row[4] == "control") controls.rows.push_back(row);
  const auto controlsFile = tmp / "controls.csv";
  writeCohortTable(controls, {}, Eigen::MatrixXd(0, 30), controlsFile);
  ASSERT_EQ(test::runCli(tmp, fitArgs(tmp, controlsFile, "m2.json", "c.csv")).code, 0);
  const Eigen::MatrixXd all = readFeatures(tmp / "out.csv", "feat_.*");
  const Eigen::MatrixXd ctl = readFeatures(tmp / "c.csv", "feat_.*");
  Eigen::MatrixXd allControls(12, 30);
  for (int k = 0; k < 30; ++k) allControls.col(k) = all.col(2 * k);
  EXPECT_TRUE(test::bitIdentical(allControls, ctl));
  // Patients are harmonized too.
  const Eigen::MatrixXd raw = readFeatures(table, "feat_.*");
  EXPECT_GT(std::abs(all(0, 1) - raw(0, 1)), 1e-6);
}

TEST(CliCombat, BadInputsGiveClearErrorsAndLeaveInputsAlone) {
  const ScratchDir tmp;
  const auto table = syntheticCohort(tmp);
  const std::string original = test::fileBytes(table);
  const auto expectError = [&](std::vector<std::string> args, int code, const std::string& text) {
    const CliResult r = test::runCli(tmp, args);
    EXPECT_EQ(r.code, code) << r.err;
    EXPECT_NE(r.err.find(text), std::string::npos) << "expected '" << text << "' in: " << r.err;
    EXPECT_EQ(test::fileBytes(table), original);
  };
  auto args = fitArgs(tmp, table, "m.json", "o.csv");
  args[4] = "nosuch";
  expectError(args, 1, "no site (--site) column 'nosuch'");
  const auto oneSite = tmp / "one.csv";
  {
    CohortTable t = readCohortTable(table);
    for (auto& row : t.rows) row[1] = "siteA";
    writeCohortTable(t, {}, Eigen::MatrixXd(0, 60), oneSite);
  }
  expectError(fitArgs(tmp, oneSite, "m.json", "o.csv"), 1, "at least two sites");
  const auto bad = tmp / "bad.csv";
  {
    CohortTable t = readCohortTable(table);
    t.rows[2][6] = "abc";
    writeCohortTable(t, {}, Eigen::MatrixXd(0, 60), bad);
  }
  args = fitArgs(tmp, bad, "m.json", "o.csv");
  args.insert(args.end(), {"--features", "feat_1,feat_2,feat_3"});
  expectError(args, 1, "row 3, column 'feat_2': 'abc' is not a number");
  expectError(fitArgs(tmp, bad, "m.json", "o.csv"), 1,
              "row 3, column 'feat_2': 'abc' is not a number, in a column of numbers");
  const auto ragged = tmp / "ragged.csv";
  std::ofstream(ragged) << "site,f\nA,1\nB,2,3\n";
  expectError(fitArgs(tmp, ragged, "m.json", "o.csv"), 1, "row 2 has 3 cells, the header 2");
  args = fitArgs(tmp, table, "m.json", "o.csv");
  args.back() = table.string();
  expectError(args, 2, "is the input");
  EXPECT_FALSE(std::filesystem::exists(tmp / "o.csv"));

  // Unknown site at apply: refused unless --new-sites.
  ASSERT_EQ(test::runCli(tmp, fitArgs(tmp, table, "m.json", "o.csv")).code, 0);
  const auto newSite = tmp / "new.csv";
  {
    CohortTable t = readCohortTable(table);
    for (auto& row : t.rows) row[1] = row[1] == "siteC" ? "siteZ" : row[1];
    writeCohortTable(t, {}, Eigen::MatrixXd(0, 60), newSite);
  }
  const std::string newBytes = test::fileBytes(newSite);
  const std::vector<std::string> apply = {"combat",
                                          "apply",
                                          "--model",
                                          (tmp / "m.json").string(),
                                          newSite.string(),
                                          "-o",
                                          (tmp / "a.csv").string()};
  const CliResult refused = test::runCli(tmp, apply);
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("row 41: site 'siteZ' is not in the model"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("--new-sites"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(tmp / "a.csv"));
  auto fitOption = apply;
  fitOption.insert(fitOption.end(), {"--covariates", "age"});
  const CliResult usage = test::runCli(tmp, fitOption);
  EXPECT_EQ(usage.code, 2);
  EXPECT_NE(usage.err.find("--covariates applies to 'combat fit' only"), std::string::npos);
  auto withNew = apply;
  withNew.push_back("--new-sites");
  const CliResult accepted = test::runCli(tmp, withNew);
  EXPECT_EQ(accepted.code, 0) << accepted.err;
  EXPECT_NE(accepted.out.find("1 new site(s) estimated"), std::string::npos) << accepted.out;
  EXPECT_EQ(test::fileBytes(newSite), newBytes);
  // Known sites are harmonized exactly as at fit time.
  const Eigen::MatrixXd fitted = readFeatures(tmp / "o.csv", "feat_.*");
  const Eigen::MatrixXd applied = readFeatures(tmp / "a.csv", "feat_.*");
  EXPECT_TRUE(test::bitIdentical(fitted.leftCols(40), applied.leftCols(40)));
}

// Box–Muller normals from mt19937 (the same with every standard library).
double normal(std::mt19937& rng) {
  const double u1 = (static_cast<double>(rng()) + 1.0) / 4294967297.0;
  const double u2 = static_cast<double>(rng()) / 4294967296.0;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.141592653589793 * u2);
}

// 4 sites × 40 scans, patient shares 0.95, 0.85, 0.15, 0.05 (disease confounded with site);
// features 1..8 carry a disease effect, 9..16 none (as tests/core/combat/TestHarmonizationReport).
TEST(CliCombat, ReportFlagsTheErasedLabelAndNotTheProtectedOne) {
  const ScratchDir tmp;
  const int patients[4] = {38, 34, 6, 2};
  const double shift[4] = {1.0, -1.0, -1.0, 1.0};
  const double scale[4] = {1.0, 1.3, 0.8, 1.5};
  std::mt19937 rng(20261203);
  std::vector<std::string> sites, disease, age;
  Eigen::MatrixXd data(16, 160);
  for (int j = 0; j < 160; ++j) {
    const int s = j / 40;
    sites.push_back(std::string("site") + static_cast<char>('A' + s));
    disease.push_back(j % 40 < patients[s] ? "patient" : "control");
    age.push_back(std::to_string(45 + (j * 7 % 31)));
  }
  for (int f = 0; f < 16; ++f)
    for (int j = 0; j < 160; ++j) {
      const int s = j / 40;
      const double effect = f < 8 ? 1.5 + 0.1 * f : 0.0;
      data(f, j) = 20.0 + 2.0 * f +
                   (disease[static_cast<std::size_t>(j)] == "patient" ? effect : 0) +
                   0.02 * (45 + (j * 7 % 31)) + shift[s] * (1.0 + 0.1 * f) + scale[s] * normal(rng);
    }
  const auto table = tmp / "cohort.csv";
  writeCohort(table, {{"site", sites}, {"disease", disease}, {"age", age}}, names("x", 16), data);
  const auto fit = [&](const std::string& out, bool protect) {
    std::vector<std::string> args = {"combat",
                                     "fit",
                                     table.string(),
                                     "--site",
                                     "site",
                                     "--covariates",
                                     protect ? "age,disease" : "age",
                                     "--model",
                                     (tmp / (out + ".json")).string(),
                                     "-o",
                                     (tmp / out).string()};
    if (protect) args.insert(args.end(), {"--categorical", "disease"});
    ASSERT_EQ(test::runCli(tmp, args).code, 0);
  };
  fit("erased.csv", false);
  fit("kept.csv", true);
  const auto report = [&](const std::string& after, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"harmonization-report",
                                     table.string(),
                                     (tmp / after).string(),
                                     "--site",
                                     "site",
                                     "--label",
                                     "disease",
                                     "--covariates",
                                     "age"};
    args.insert(args.end(), extra.begin(), extra.end());
    return test::runCli(tmp, args);
  };
  const CliResult erased = report("erased.csv", {"--csv", (tmp / "erased_report.csv").string()});
  ASSERT_EQ(erased.code, 0) << erased.err;
  std::printf("%s", erased.out.c_str());
  EXPECT_EQ(erased.out.rfind("harmonization-report: ", 0), 0u);
  for (int f = 1; f <= 8; ++f)
    EXPECT_NE(erased.out.find("  x" + std::to_string(f) + ": "), std::string::npos) << f;
  const CohortTable csv = readCohortTable(tmp / "erased_report.csv");
  ASSERT_EQ(csv.rowCount(), 16u);
  const auto flagged = csv.strings(csv.column("flagged", ""));
  const auto lost = csv.numbers(csv.column("biology_lost", ""));
  for (std::size_t i = 1; i < lost.size(); ++i)
    if (!std::isnan(lost[i])) {
      EXPECT_GE(lost[i - 1], lost[i]);  // sorted by biology lost
    }
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(flagged[i], "1");
  EXPECT_NE(csv.findColumn("coef_disease=patient_before"), std::nullopt);

  const CliResult strict = report("erased.csv", {"--only-significant"});
  ASSERT_EQ(strict.code, 0) << strict.err;
  for (int f = 1; f <= 8; ++f) {
    EXPECT_NE(strict.out.find("  x" + std::to_string(f) + ": "), std::string::npos) << f;
  }
  const CliResult kept = report("kept.csv", {"--json"});
  ASSERT_EQ(kept.code, 0) << kept.err;
  for (int f = 1; f <= 8; ++f) {
    const std::string key = "\"feature\": \"x" + std::to_string(f) + "\"";
    const auto at = kept.out.find(key);
    ASSERT_NE(at, std::string::npos);
    const auto flag = kept.out.find("\"flagged\": ", at);
    EXPECT_EQ(kept.out.substr(flag + 11, 5), "false") << "x" << f;
  }
  const CliResult noLabel = report("kept.csv", {"--label", "nosuch"});
  EXPECT_EQ(noLabel.code, 1);
  EXPECT_NE(noLabel.err.find("no label (--label) column 'nosuch'"), std::string::npos);
}

}  // namespace
}  // namespace harmonia
