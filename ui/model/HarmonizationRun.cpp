#include "ui/model/HarmonizationRun.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/combat/CohortTable.h"
#include "core/combat/GuardStatistics.h"
#include "core/stats/Quantiles.h"
#include "core/util/Error.h"

namespace harmonia {

namespace {

std::string str(const QString& s) { return s.toStdString(); }

// Most non-empty cells of the column are numbers (a feature column with a stray text cell,
// which featureMatrix then names; a column of identifiers or labels is mostly text).
bool looksNumeric(const CohortTable& table, std::size_t column) {
  std::size_t numbers = 0;
  std::size_t texts = 0;
  for (const auto& row : table.rows) {
    const std::string& cell = row[column];
    if (cell.find_first_not_of(" \t") == std::string::npos) {
      continue;
    }
    const auto v = parseCohortNumber(cell);
    if (!v) {
      ++texts;
    } else if (!std::isnan(*v)) {
      ++numbers;
    }
  }
  return numbers > texts;
}

std::size_t requireColumn(const CohortTable& table, const QString& name, const char* role) {
  const auto c = table.findColumn(str(name));
  if (!c) {
    throw InputError(std::string("the ") + role + " column '" + str(name) +
                     "' is not in the table");
  }
  return *c;
}

// Values of a column restricted to some scans.
template <class T>
std::vector<T> subset(const std::vector<T>& values, const std::vector<std::size_t>& scans) {
  std::vector<T> out;
  out.reserve(scans.size());
  for (std::size_t j : scans) {
    out.push_back(values[j]);
  }
  return out;
}

ComBatCovariates subsetCovariates(const ComBatCovariates& all,
                                  const std::vector<std::size_t>& scans) {
  ComBatCovariates out = all;
  for (auto& c : out.numeric) {
    c.values = subset(c.values, scans);
  }
  for (auto& c : out.categorical) {
    c.values = subset(c.values, scans);
  }
  return out;
}

std::vector<double> siteF(const Eigen::MatrixXd& values, const std::vector<std::size_t>& siteOf,
                          std::size_t siteCount) {
  std::vector<double> out;
  for (Eigen::Index f = 0; f < values.rows(); ++f) {
    std::vector<double> v;
    std::vector<std::size_t> g;
    for (Eigen::Index j = 0; j < values.cols(); ++j) {
      if (!std::isfinite(values(f, j))) {
        continue;
      }
      v.push_back(values(f, j));
      g.push_back(siteOf[static_cast<std::size_t>(j)]);
    }
    out.push_back(guard::oneWayAnova(v, g, siteCount).f);
  }
  return out;
}

}  // namespace

std::vector<std::size_t> featureColumnsOf(const CohortTable& table,
                                          const HarmonizationSettings& settings) {
  std::set<std::string> named = {str(settings.site_column), str(settings.label_column)};
  // The manifest's paths and scanner metadata are never features (as in the CLI).
  named.insert(cohortMetadataColumns().begin(), cohortMetadataColumns().end());
  for (const QString& c : settings.covariates) {
    named.insert(str(c));
  }
  for (const QString& c : settings.ignored) {
    named.insert(str(c));
  }
  const auto eq = settings.fit_where.indexOf(QLatin1Char('='));
  if (eq > 0) {
    named.insert(str(settings.fit_where.left(eq).trimmed()));
  }
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    if (named.count(table.header[c]) == 0 && looksNumeric(table, c)) {
      out.push_back(c);
    }
  }
  return out;
}

HarmonizationInput prepareHarmonization(const CohortTable& table,
                                        const HarmonizationSettings& settings) {
  if (table.header.empty()) {
    throw InputError("open a feature table first");
  }
  if (settings.site_column.isEmpty()) {
    throw InputError("choose the site column");
  }
  HarmonizationInput in;
  in.settings = settings;
  const std::size_t siteCol = requireColumn(table, settings.site_column, "site");
  in.sites = table.strings(siteCol);
  for (std::size_t j = 0; j < in.sites.size(); ++j) {
    if (in.sites[j].empty()) {
      throw InputError("scan " + std::to_string(j + 1) + " has no site (column '" +
                       str(settings.site_column) + "' is empty there)");
    }
  }
  if (std::set<std::string>(in.sites.begin(), in.sites.end()).size() < 2) {
    throw InputError("column '" + str(settings.site_column) +
                     "' has only one site: ComBat needs at least two");
  }
  if (settings.label_column == settings.site_column) {
    throw InputError("the label column cannot be the site column");
  }
  // A protected label is allowed (the guard then shows that nothing was lost).
  if (settings.covariates.contains(settings.site_column)) {
    throw InputError("the site column cannot be a covariate");
  }
  in.feature_columns = featureColumnsOf(table, settings);
  if (in.feature_columns.empty()) {
    throw InputError(
        "the table has no feature column (a column of numbers not chosen as site, "
        "label or covariate)");
  }
  for (const std::size_t c : in.feature_columns) {
    in.feature_names.push_back(table.header[c]);
  }
  in.data = featureMatrix(table, in.feature_columns);  // names the first text cell
  for (const QString& name : settings.covariates) {
    const std::size_t c = requireColumn(table, name, "covariate");
    if (settings.categorical.contains(name)) {
      in.covariates.categorical.push_back({str(name), table.strings(c), std::nullopt});
    } else {
      try {
        in.covariates.numeric.push_back({str(name), table.numbers(c)});
      } catch (const InputError& e) {
        throw InputError(e.problem() + " (mark covariate '" + str(name) + "' categorical)");
      }
    }
  }
  if (!settings.label_column.isEmpty()) {
    const std::size_t c = requireColumn(table, settings.label_column, "label");
    std::set<double> distinct;
    bool numeric = table.isNumeric(c);
    if (numeric) {
      for (double v : table.numbers(c)) {
        if (std::isfinite(v)) {
          distinct.insert(v);
        }
      }
    }
    if (numeric && distinct.size() > 2) {
      in.label = NumericCovariate{str(settings.label_column), table.numbers(c)};
    } else {
      in.label = CategoricalCovariate{str(settings.label_column), table.strings(c), std::nullopt};
    }
  }
  if (!settings.fit_where.trimmed().isEmpty()) {
    const QString cond = settings.fit_where.trimmed();
    const auto eq = cond.indexOf(QLatin1Char('='));
    if (eq <= 0) {
      throw InputError("fit-where must read COLUMN=VALUE, not '" + str(cond) + "'");
    }
    const QString col = cond.left(eq).trimmed();
    const std::string value = str(cond.mid(eq + 1).trimmed());
    const std::size_t c = requireColumn(table, col, "fit-where");
    for (std::size_t j = 0; j < table.rows.size(); ++j) {
      if (table.rows[j][c] == value) {
        in.fit_scans.push_back(j);
      }
    }
    if (in.fit_scans.empty()) {
      throw InputError("no scan has " + str(col) + " = '" + value + "' to fit on");
    }
  } else {
    for (std::size_t j = 0; j < table.rows.size(); ++j) {
      in.fit_scans.push_back(j);
    }
  }
  return in;
}

HarmonizationResult computeHarmonization(const HarmonizationInput& in, Progress& progress) {
  HarmonizationResult r;
  r.settings = in.settings;
  r.feature_names = in.feature_names;
  r.feature_columns = in.feature_columns;
  r.sites = in.sites;
  r.before = in.data;
  r.fit_scans = in.fit_scans.size();
  const bool subsetFit = in.fit_scans.size() != in.sites.size();
  {
    SubProgress sub(progress, 0.0, 0.4);
    if (!subsetFit) {
      ComBatFitResult fit =
          fitComBat(in.data, in.feature_names, in.sites, in.covariates, in.settings.combat, sub);
      r.model = std::move(fit.model);
      r.after = std::move(fit.harmonized);
      r.warnings = std::move(fit.warnings);
    } else {
      Eigen::MatrixXd fitData(in.data.rows(), static_cast<Eigen::Index>(in.fit_scans.size()));
      for (std::size_t k = 0; k < in.fit_scans.size(); ++k) {
        fitData.col(static_cast<Eigen::Index>(k)) =
            in.data.col(static_cast<Eigen::Index>(in.fit_scans[k]));
      }
      ComBatFitResult fit =
          fitComBat(fitData, in.feature_names, subset(in.sites, in.fit_scans),
                    subsetCovariates(in.covariates, in.fit_scans), in.settings.combat, sub);
      r.model = std::move(fit.model);
      r.warnings = std::move(fit.warnings);
      SubProgress apply(progress, 0.4, 0.5);
      ComBatApplyResult all = applyComBat(r.model, in.data, in.sites, in.covariates, {}, apply);
      r.after = std::move(all.harmonized);
      r.warnings.insert(r.warnings.end(), all.warnings.begin(), all.warnings.end());
    }
  }
  progress.throwIfCancelled();
  const std::set<std::string> levels(r.sites.begin(), r.sites.end());
  r.site_levels.assign(levels.begin(), levels.end());
  for (const std::string& s : r.sites) {
    r.site_of.push_back(static_cast<std::size_t>(
        std::lower_bound(r.site_levels.begin(), r.site_levels.end(), s) - r.site_levels.begin()));
  }
  if (in.label) {
    // The guard's mixed model protects the covariates ComBat protected, except the label itself.
    ComBatCovariates guarded = in.covariates;
    const std::string labelName = str(in.settings.label_column);
    std::erase_if(guarded.numeric, [&](const auto& c) { return c.name == labelName; });
    std::erase_if(guarded.categorical, [&](const auto& c) { return c.name == labelName; });
    SubProgress sub(progress, 0.5, 0.95);
    r.report = makeHarmonizationReport(r.before, r.after, r.feature_names, r.sites, *in.label,
                                       guarded, in.settings.guard, sub);
  }
  r.site_f_before = siteF(r.before, r.site_of, r.site_levels.size());
  r.site_f_after = siteF(r.after, r.site_of, r.site_levels.size());
  progress.throwIfCancelled();
  const int components = std::min<int>(2, static_cast<int>(r.before.rows()));
  r.pca_before = computePca(r.before.transpose(), components, true);
  r.pca_after = computePca(r.after.transpose(), components, true);
  progress.report(1.0);
  return r;
}

std::vector<SiteBox> siteBoxesOf(const Eigen::MatrixXd& values, int feature,
                                 const std::vector<std::string>& siteLevels,
                                 const std::vector<std::size_t>& siteOf) {
  std::vector<SiteBox> out;
  if (feature < 0 || feature >= values.rows()) {
    return out;
  }
  for (std::size_t s = 0; s < siteLevels.size(); ++s) {
    std::vector<double> v;
    for (Eigen::Index j = 0; j < values.cols(); ++j) {
      const double x = values(feature, j);
      if (siteOf[static_cast<std::size_t>(j)] == s && std::isfinite(x)) {
        v.push_back(x);
      }
    }
    SiteBox b;
    b.site = QString::fromStdString(siteLevels[s]);
    b.count = static_cast<int>(v.size());
    if (v.empty()) {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      b.lower_extreme = b.lower_quartile = b.median = b.upper_quartile = b.upper_extreme = nan;
    } else {
      std::sort(v.begin(), v.end());
      b.lower_extreme = v.front();
      b.lower_quartile = quantileOfSorted<double>(v, 0.25);
      b.median = quantileOfSorted<double>(v, 0.5);
      b.upper_quartile = quantileOfSorted<double>(v, 0.75);
      b.upper_extreme = v.back();
    }
    out.push_back(b);
  }
  return out;
}

}  // namespace harmonia
