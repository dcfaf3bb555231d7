// harmonia-cli combat fit TABLE.csv --site COL [--covariates a,b] [--categorical b]
//   [--ref-site S] [--mean-only] [--non-parametric | --no-eb] [--fit-where COL=VALUE]
//   [--features LIST|REGEX] [--new-sites] --model MODEL.json -o HARMONIZED.csv [--json]
// harmonia-cli combat apply --model MODEL.json TABLE.csv -o HARMONIZED.csv [--site COL]
//   [--new-sites] [--json]
//
// The table is a cohort CSV (core/combat/CohortTable.h), one row per scan. `fit` fits ComBat
// (core/combat/ComBat.h) on the rows (or, with --fit-where, on the rows whose column equals the
// value) and writes the model and the harmonized table, every row (with --fit-where the model
// is applied to all rows: fit on controls, apply to everyone). `apply` harmonizes a table with
// a saved model: its features, site column and covariates are the model's; sites the model does
// not know are refused unless --new-sites (core/combat/NewSite.h). Warnings (unadjusted
// features, single-scan sites, new sites) go to stderr and into the --json output. The inputs
// are never written: an output naming an input is refused.

#include <algorithm>
#include <iostream>
#include <set>

#include "app/cli/Cli.h"
#include "app/cli/CohortSupport.h"
#include "app/cli/Json.h"
#include "core/combat/CohortTable.h"
#include "core/combat/ComBat.h"
#include "core/combat/ComBatModel.h"
#include "core/util/Error.h"

namespace harmonia::cli {

namespace {

constexpr const char* kFitUsage =
    "harmonia-cli combat fit TABLE.csv --site COL [--covariates a,b] [--categorical b] "
    "[--ref-site S] [--mean-only] [--non-parametric | --no-eb] [--fit-where COL=VALUE] "
    "[--features LIST|REGEX] [--new-sites] --model MODEL.json -o HARMONIZED.csv [--json]";
constexpr const char* kApplyUsage =
    "harmonia-cli combat apply --model MODEL.json TABLE.csv -o HARMONIZED.csv [--site COL] "
    "[--new-sites] [--json]";

void printWarnings(const std::vector<std::string>& warnings, Streams io) {
  for (const auto& w : warnings) {
    io.err << "warning: " << w << "\n";
  }
}

// Refuses sites that the model does not know (unless new sites are allowed), naming the first.
void checkSites(const ComBatModel& model, const std::vector<std::string>& sites,
                const CohortTable& table, const std::filesystem::path& modelFile, bool newSites) {
  if (newSites) {
    return;
  }
  std::string known;
  for (const auto& s : model.site_levels) {
    if (!known.empty()) {
      known += ", ";
    }
    known += s;
  }
  for (std::size_t r = 0; r < sites.size(); ++r) {
    if (!model.siteIndex(sites[r])) {
      throw InputError(table.source, "row " + std::to_string(r + 1) + ": site '" + sites[r] +
                                         "' is not in the model " + modelFile.string() +
                                         " (its sites: " + known +
                                         "); give --new-sites to harmonize it as a new site");
    }
  }
}

Json sitesJson(const ComBatModel& model) {
  Json::Array a;
  for (std::size_t s = 0; s < model.siteCount(); ++s) {
    Json j = Json::object();
    j.set("site", model.site_levels[s]).set("samples", std::uint64_t{model.site_sample_counts[s]});
    j.set("meanOnly", static_cast<bool>(model.site_mean_only[s]));
    a.push_back(j);
  }
  return a;
}

std::size_t adjustedCount(const ComBatModel& model) {
  return static_cast<std::size_t>(
      std::count(model.feature_adjusted.begin(), model.feature_adjusted.end(), true));
}

int runFit(const Arguments& args, Streams io) {
  if (args.positionals().size() != 2) {
    throw UsageError{std::string("expected one table\nusage: ") + kFitUsage};
  }
  for (const char* required : {"--site", "--model", "-o"}) {
    if (args.value(required).empty()) {
      throw UsageError{std::string(required) + " is required\nusage: " + kFitUsage};
    }
  }
  if (args.flag("--non-parametric") && args.flag("--no-eb")) {
    throw UsageError{"give --non-parametric or --no-eb, not both"};
  }
  const std::filesystem::path tableFile = args.positionals()[1];
  const std::filesystem::path modelFile = args.value("--model");
  const std::filesystem::path outFile = args.value("-o");
  refuseOverwritingInputs(outFile, {tableFile});
  refuseOverwritingInputs(modelFile, {tableFile});
  if (modelFile == outFile) {
    throw UsageError{"--model and -o name the same file"};
  }

  const CohortTable table = readCohortTable(tableFile);
  const std::string siteColumn = args.value("--site");
  const auto sites = siteLabels(table, table.column(siteColumn, "site (--site)"));
  const auto categorical = splitNames(args.value("--categorical"));
  const auto covNames = covariateNames(splitNames(args.value("--covariates")), categorical);
  std::vector<std::string> excluded = covNames;
  excluded.push_back(siteColumn);

  // --fit-where COL=VALUE: the rows the model is fitted on.
  std::vector<std::size_t> fitRows;
  std::string whereColumn;
  std::string whereValue;
  if (args.has("--fit-where")) {
    const std::string where = args.value("--fit-where");
    const auto eq = where.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError{"--fit-where needs COL=VALUE, got '" + where + "'"};
    }
    whereColumn = where.substr(0, eq);
    whereValue = where.substr(eq + 1);
    const std::size_t c = table.column(whereColumn, "--fit-where");
    excluded.push_back(whereColumn);
    for (std::size_t r = 0; r < table.rowCount(); ++r) {
      if (table.rows[r][c] == whereValue) {
        fitRows.push_back(r);
      }
    }
    if (fitRows.empty()) {
      throw InputError(tableFile, "no row has " + whereColumn + " = '" + whereValue + "'");
    }
  }

  const auto columns = selectFeatureColumns(table, args.value("--features"), excluded);
  std::vector<std::string> featureNames;
  featureNames.reserve(columns.size());
  for (const auto c : columns) {
    featureNames.push_back(table.header[c]);
  }
  const Eigen::MatrixXd data = featureMatrix(table, columns);

  ComBatOptions options;
  if (args.flag("--non-parametric")) {
    options.empirical_bayes = EmpiricalBayes::NonParametric;
  }
  if (args.flag("--no-eb")) {
    options.empirical_bayes = EmpiricalBayes::None;
  }
  options.mean_only = args.flag("--mean-only");
  if (args.has("--ref-site")) {
    options.reference_site = args.value("--ref-site");
  }

  const ComBatCovariates allCov = tableCovariates(table, covNames, categorical);
  ComBatFitResult fit;
  ComBatApplyResult applied;
  std::vector<std::string> warnings;
  try {
    if (fitRows.empty()) {
      fit = fitComBat(data, featureNames, sites, allCov, options);
    } else {
      Eigen::MatrixXd sub(data.rows(), static_cast<Eigen::Index>(fitRows.size()));
      std::vector<std::string> subSites;
      for (std::size_t k = 0; k < fitRows.size(); ++k) {
        sub.col(static_cast<Eigen::Index>(k)) = data.col(static_cast<Eigen::Index>(fitRows[k]));
        subSites.push_back(sites[fitRows[k]]);
      }
      fit = fitComBat(sub, featureNames, subSites,
                      tableCovariates(table, covNames, categorical, fitRows), options);
    }
  } catch (const ParameterError& e) {
    throw InputError(tableFile, e.what());
  }
  fit.model.site_column = siteColumn;
  warnings = fit.warnings;
  Eigen::MatrixXd harmonized = fit.harmonized;
  if (!fitRows.empty()) {
    checkSites(fit.model, sites, table, modelFile, args.flag("--new-sites"));
    ComBatApplyOptions applyOptions;
    applyOptions.estimate_new_sites = args.flag("--new-sites");
    applied = applyComBat(fit.model, data, sites, allCov, applyOptions);
    warnings.insert(warnings.end(), applied.warnings.begin(), applied.warnings.end());
    harmonized = applied.harmonized;
  }
  saveComBatModel(fit.model, modelFile);
  writeCohortTable(table, columns, harmonized, outFile);
  printWarnings(warnings, io);

  const std::size_t adjusted = adjustedCount(fit.model);
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("command", "combat fit").set("table", tableFile.string());
    j.set("model", modelFile.string()).set("output", outFile.string());
    j.set("method", empiricalBayesName(options.empirical_bayes)).set("meanOnly", options.mean_only);
    j.set("referenceSite", options.reference_site ? Json(*options.reference_site) : Json(nullptr));
    j.set("siteColumn", siteColumn).set("covariates", jsonStrings(covNames));
    j.set("rows", std::uint64_t{table.rowCount()});
    j.set("fitRows", std::uint64_t{fitRows.empty() ? table.rowCount() : fitRows.size()});
    if (!fitRows.empty()) {
      j.set("fitWhere", whereColumn + "=" + whereValue);
    }
    j.set("features", std::uint64_t{columns.size()});
    j.set("adjustedFeatures", std::uint64_t{adjusted});
    j.set("sites", sitesJson(fit.model)).set("warnings", jsonStrings(warnings));
    io.out << j.dump() << "\n";
  } else {
    io.out << "combat fit: " << adjusted << " of " << columns.size() << " features harmonized over "
           << fit.model.siteCount() << " sites, fitted on "
           << (fitRows.empty() ? table.rowCount() : fitRows.size()) << " of " << table.rowCount()
           << " rows (" << empiricalBayesName(options.empirical_bayes)
           << (options.mean_only ? ", mean-only" : "") << "); wrote " << outFile.string() << " and "
           << modelFile.string() << "\n";
  }
  return kSuccess;
}

int runApply(const Arguments& args, Streams io) {
  if (args.positionals().size() != 2) {
    throw UsageError{std::string("expected one table\nusage: ") + kApplyUsage};
  }
  for (const char* required : {"--model", "-o"}) {
    if (args.value(required).empty()) {
      throw UsageError{std::string(required) + " is required\nusage: " + kApplyUsage};
    }
  }
  for (const char* fitOnly : {"--covariates", "--categorical", "--ref-site", "--mean-only",
                              "--non-parametric", "--no-eb", "--fit-where", "--features"}) {
    if (args.has(fitOnly)) {
      throw UsageError{
          std::string(fitOnly) +
          " applies to 'combat fit' only (apply uses the model's)\nusage: " + kApplyUsage};
    }
  }
  const std::filesystem::path tableFile = args.positionals()[1];
  const std::filesystem::path modelFile = args.value("--model");
  const std::filesystem::path outFile = args.value("-o");
  refuseOverwritingInputs(outFile, {tableFile, modelFile});

  const ComBatModel model = loadComBatModel(modelFile);
  const std::string siteColumn = args.value("--site", model.site_column);
  if (siteColumn.empty()) {
    throw UsageError{"the model does not name its site column; give --site COL"};
  }
  const CohortTable table = readCohortTable(tableFile);
  const auto sites = siteLabels(table, table.column(siteColumn, "site"));
  std::vector<std::size_t> columns;
  for (const auto& name : model.feature_names) {
    const auto c = table.findColumn(name);
    if (!c) {
      throw InputError(tableFile,
                       "no column '" + name + "', a feature of the model " + modelFile.string());
    }
    columns.push_back(*c);
  }
  std::vector<std::string> categorical;
  for (const auto& cat : model.covariates.categorical) {
    categorical.push_back(cat.name);
  }
  const auto covNames = covariateNames(model.covariates.numeric_names, categorical);
  const ComBatCovariates cov = tableCovariates(table, covNames, categorical);
  checkSites(model, sites, table, modelFile, args.flag("--new-sites"));
  const Eigen::MatrixXd data = featureMatrix(table, columns);

  ComBatApplyOptions options;
  options.estimate_new_sites = args.flag("--new-sites");
  ComBatApplyResult result;
  try {
    result = applyComBat(model, data, sites, cov, options);
  } catch (const ParameterError& e) {
    throw InputError(tableFile, e.what());
  }
  writeCohortTable(table, columns, result.harmonized, outFile);
  printWarnings(result.warnings, io);

  std::set<std::string> newSites;
  for (const auto& s : sites) {
    if (!model.siteIndex(s)) {
      newSites.insert(s);
    }
  }
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("command", "combat apply").set("table", tableFile.string());
    j.set("model", modelFile.string()).set("output", outFile.string());
    j.set("rows", std::uint64_t{table.rowCount()});
    j.set("features", std::uint64_t{columns.size()});
    j.set("newSites", jsonStrings({newSites.begin(), newSites.end()}));
    j.set("warnings", jsonStrings(result.warnings));
    io.out << j.dump() << "\n";
  } else {
    io.out << "combat apply: harmonized " << columns.size() << " features of " << table.rowCount()
           << " rows with " << modelFile.string();
    if (!newSites.empty()) {
      io.out << " (" << newSites.size() << " new site(s) estimated)";
    }
    io.out << "; wrote " << outFile.string() << "\n";
  }
  return kSuccess;
}

}  // namespace

int runCombat(const Arguments& args, Streams io) {
  const std::string sub = args.positionals().empty() ? "" : args.positionals()[0];
  if (sub == "fit") {
    return runFit(args, io);
  }
  if (sub == "apply") {
    return runApply(args, io);
  }
  throw UsageError{std::string("give 'fit' or 'apply'\nusage: ") + kFitUsage + "\n       " +
                   kApplyUsage};
}

}  // namespace harmonia::cli
