// harmonia-cli harmonization-report BEFORE.csv AFTER.csv --site COL --label COL
//   [--covariates a,b] [--categorical b] [--features LIST|REGEX] [--threshold 0.2]
//   [--only-significant] [--json | --csv OUT]
//
// The over-harmonization guard (core/combat/HarmonizationReport.h) on a cohort table before
// and after harmonization (the input and output of `combat fit`): per feature the label's
// Fisher ratio, the site's ANOVA F and largest KS distance, and the label's mixed-model
// coefficient with its 95% interval, before and after, with the flags and their reasons,
// sorted by the biology lost (largest first). The site, label and covariates are read from
// BEFORE; AFTER must have the same rows (same site labels in the same order) and the feature
// columns. A label column whose cells are all numbers is numeric, otherwise categorical.
// stdout: one summary line (N of M features flagged), then one line per flagged feature; or
// the whole report as JSON (--json); --csv writes it as a table. --only-significant counts
// drops only for features whose label coefficient was significant before (features with no
// biology to lose are then not flagged by noise).

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/cli/Cli.h"
#include "app/cli/CohortSupport.h"
#include "app/cli/FeatureInputs.h"
#include "app/cli/Json.h"
#include "core/combat/CohortTable.h"
#include "core/combat/HarmonizationReport.h"
#include "core/util/Error.h"

namespace harmonia::cli {

namespace {

constexpr const char* kReportUsage =
    "harmonia-cli harmonization-report BEFORE.csv AFTER.csv --site COL --label COL "
    "[--covariates a,b] [--categorical b] [--features LIST|REGEX] [--threshold 0.2] "
    "[--only-significant] [--json | --csv OUT]";

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json measuresJson(const GuardMeasures& m) {
  Json j = Json::object();
  j.set("fisherRatio", number(m.fisher_ratio)).set("siteF", number(m.site_f));
  j.set("siteP", number(m.site_p)).set("ksMax", number(m.ks_max)).set("ksMean", number(m.ks_mean));
  j.set("modelFitted", m.model_fitted);
  Json::Array coefs;
  for (const auto& c : m.coefficients) {
    Json cj = Json::object();
    cj.set("term", c.term).set("estimate", number(c.estimate));
    cj.set("standardError", number(c.standard_error));
    cj.set("ciLower", number(c.ci_lower)).set("ciUpper", number(c.ci_upper));
    cj.set("p", number(c.p));
    coefs.push_back(cj);
  }
  j.set("coefficients", coefs).set("notes", jsonStrings(m.notes));
  return j;
}

}  // namespace

int runHarmonizationReport(const Arguments& args, Streams io) {
  args.expectPositionals(2, kReportUsage);
  for (const char* required : {"--site", "--label"}) {
    if (args.value(required).empty()) {
      throw UsageError{std::string(required) + " is required\nusage: " + kReportUsage};
    }
  }
  if (args.flag("--json") && args.has("--csv")) {
    throw UsageError{"give --json or --csv, not both"};
  }
  HarmonizationReportOptions options;
  if (args.has("--threshold")) {
    const auto t = parseCohortNumber(args.value("--threshold"));
    if (!t || !(*t > 0.0) || !(*t < 1.0)) {
      throw UsageError{"--threshold must be a number between 0 and 1, got '" +
                       args.value("--threshold") + "'"};
    }
    options.drop_threshold = *t;
  }
  options.only_where_significant_before = args.flag("--only-significant");
  const std::filesystem::path beforeFile = args.positionals()[0];
  const std::filesystem::path afterFile = args.positionals()[1];
  const std::filesystem::path csvFile = args.value("--csv");
  if (args.has("--csv")) {
    refuseOverwritingInputs(csvFile, {beforeFile, afterFile});
  }

  const CohortTable before = readCohortTable(beforeFile);
  const CohortTable after = readCohortTable(afterFile);
  const std::string siteColumn = args.value("--site");
  const std::string labelColumn = args.value("--label");
  const auto sites = siteLabels(before, before.column(siteColumn, "site (--site)"));
  const std::size_t labelIndex = before.column(labelColumn, "label (--label)");
  if (after.rowCount() != before.rowCount()) {
    throw InputError(afterFile, "has " + std::to_string(after.rowCount()) + " rows, " +
                                    beforeFile.string() + " " + std::to_string(before.rowCount()));
  }
  if (const auto c = after.findColumn(siteColumn); c && after.strings(*c) != sites) {
    throw InputError(afterFile, "its site column differs from " + beforeFile.string() +
                                    "'s (the rows must be the same scans in the same order)");
  }

  const auto categorical = splitNames(args.value("--categorical"));
  const auto covNames = covariateNames(splitNames(args.value("--covariates")), categorical);
  std::vector<std::string> excluded = covNames;
  excluded.push_back(siteColumn);
  excluded.push_back(labelColumn);
  const auto columns = selectFeatureColumns(before, args.value("--features"), excluded);
  std::vector<std::string> names;
  std::vector<std::size_t> afterColumns;
  for (const auto c : columns) {
    names.push_back(before.header[c]);
    afterColumns.push_back(after.column(before.header[c], "feature"));
  }
  const Eigen::MatrixXd x0 = featureMatrix(before, columns);
  const Eigen::MatrixXd x1 = featureMatrix(after, afterColumns);

  BiologicalLabel label;
  bool numericLabel = true;
  for (const auto& row : before.rows) {
    numericLabel = numericLabel && parseCohortNumber(row[labelIndex]);
  }
  if (numericLabel) {
    label = NumericCovariate{labelColumn, before.numbers(labelIndex)};
  } else {
    label = CategoricalCovariate{labelColumn, before.strings(labelIndex), std::nullopt};
  }
  const ComBatCovariates cov = tableCovariates(before, covNames, categorical);
  HarmonizationReport report;
  try {
    report = makeHarmonizationReport(x0, x1, names, sites, label, cov, options);
  } catch (const ParameterError& e) {
    throw InputError(beforeFile, e.what());
  }

  if (args.has("--csv")) {
    writeTextAtomically(csvFile, harmonizationReportCsv(report));
  }
  const std::string summary = "harmonization-report: " + std::to_string(report.flagged_count) +
                              " of " + std::to_string(report.features.size()) +
                              " features flagged (label '" + labelColumn + "', threshold " +
                              formatRoundTrip(options.drop_threshold) + ")";
  if (args.flag("--json")) {
    Json::Array items;
    for (const auto i : report.orderByBiologyLost()) {
      const FeatureGuard& g = report.features[i];
      Json j = Json::object();
      j.set("feature", g.feature).set("samples", std::uint64_t{g.samples_used});
      j.set("before", measuresJson(g.before)).set("after", measuresJson(g.after));
      j.set("fisherChange", number(g.fisher_change));
      Json::Array changes;
      for (const double c : g.coefficient_change) {
        changes.push_back(number(c));
      }
      j.set("coefficientChange", changes).set("biologyLost", number(g.biology_lost));
      j.set("flagged", g.flagged).set("reasons", jsonStrings(g.flag_reasons));
      items.push_back(j);
    }
    Json j = Json::object();
    j.set("command", "harmonization-report").set("before", beforeFile.string());
    j.set("after", afterFile.string()).set("label", labelColumn);
    j.set("labelTerms", jsonStrings(report.label_terms))
        .set("sites", jsonStrings(report.site_levels));
    j.set("covariates", jsonStrings(covNames)).set("threshold", options.drop_threshold);
    j.set("onlySignificant", options.only_where_significant_before);
    j.set("featureCount", std::uint64_t{report.features.size()});
    j.set("flaggedCount", std::uint64_t{report.flagged_count});
    j.set("excludedSamples", std::uint64_t{report.excluded_samples});
    j.set("summary", summary).set("features", Json(items));
    io.out << j.dump() << "\n";
    return kSuccess;
  }
  io.out << summary << "\n";
  for (const auto i : report.orderByBiologyLost()) {
    const FeatureGuard& g = report.features[i];
    if (g.flagged) {
      io.out << "  " << g.feature << ": " << flagReasonsText(g) << "\n";
    }
  }
  if (args.has("--csv")) {
    io.out << "wrote " << csvFile.string() << "\n";
  }
  return kSuccess;
}

}  // namespace harmonia::cli
