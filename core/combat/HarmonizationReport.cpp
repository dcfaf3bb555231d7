#include "core/combat/HarmonizationReport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <type_traits>
#include <variant>

#include "core/combat/ComBatDesign.h"
#include "core/combat/GuardStatistics.h"
#include "core/util/Error.h"
#include "core/util/Numeric.h"

namespace harmonia {
namespace {

std::string shortNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * fraction);
  return buf;
}

// Everything about the label and covariates that does not depend on the feature, restricted
// to the samples with a complete label and covariates.
struct Design {
  std::vector<Eigen::Index> samples;  // complete samples, in table order
  Eigen::MatrixXd columns;            // complete samples × (label terms + covariate columns)
  std::vector<std::string> names;     // column names
  std::size_t label_terms = 0;        // the first label_terms columns are the label's
  std::vector<std::size_t> class_of;  // Fisher class of each complete sample (if class_count)
  std::size_t class_count = 0;        // 0: the Fisher ratio is not defined for this label
};

const std::string& labelName(const BiologicalLabel& label) {
  return std::visit([](const auto& l) -> const std::string& { return l.name; }, label);
}

Design makeDesign(const BiologicalLabel& label, const ComBatCovariates& covariates, std::size_t n) {
  const std::string& name = labelName(label);
  if (name.empty()) {
    throw ParameterError("harmonization report: the label has no name");
  }
  const std::size_t labelSize = std::visit([](const auto& l) { return l.values.size(); }, label);
  if (labelSize != n) {
    throw ParameterError("harmonization report: label '" + name + "' has " +
                         std::to_string(labelSize) + " values for " + std::to_string(n) +
                         " samples");
  }
  for (const auto& c : covariates.numeric) {
    if (c.name == name) {
      throw ParameterError("harmonization report: '" + name +
                           "' is both the label and a covariate");
    }
  }
  for (const auto& c : covariates.categorical) {
    if (c.name == name) {
      throw ParameterError("harmonization report: '" + name +
                           "' is both the label and a covariate");
    }
  }
  combat::makeCoding(covariates, n);  // checks sizes and names

  // Complete samples: a finite numeric value, a non-empty categorical value.
  std::vector<bool> complete(n, true);
  auto markNumeric = [&](const std::vector<double>& v) {
    for (std::size_t j = 0; j < n; ++j) {
      if (!std::isfinite(v[j])) {
        complete[j] = false;
      }
    }
  };
  auto markCategorical = [&](const std::vector<std::string>& v) {
    for (std::size_t j = 0; j < n; ++j) {
      if (v[j].empty()) {
        complete[j] = false;
      }
    }
  };
  std::visit(
      [&](const auto& l) {
        if constexpr (std::is_same_v<std::decay_t<decltype(l)>, NumericCovariate>) {
          markNumeric(l.values);
        } else {
          markCategorical(l.values);
        }
      },
      label);
  for (const auto& c : covariates.numeric) {
    markNumeric(c.values);
  }
  for (const auto& c : covariates.categorical) {
    markCategorical(c.values);
  }

  Design d;
  for (std::size_t j = 0; j < n; ++j) {
    if (complete[j]) {
      d.samples.push_back(static_cast<Eigen::Index>(j));
    }
  }
  const std::size_t m = d.samples.size();
  auto subsetNumeric = [&](const NumericCovariate& c) {
    NumericCovariate s{c.name, {}};
    for (const auto j : d.samples) {
      s.values.push_back(c.values[static_cast<std::size_t>(j)]);
    }
    return s;
  };
  auto subsetCategorical = [&](const CategoricalCovariate& c) {
    CategoricalCovariate s{c.name, {}, c.reference_level};
    for (const auto j : d.samples) {
      s.values.push_back(c.values[static_cast<std::size_t>(j)]);
    }
    return s;
  };
  ComBatCovariates labelOnly;
  ComBatCovariates rest;
  for (const auto& c : covariates.numeric) {
    rest.numeric.push_back(subsetNumeric(c));
  }
  for (const auto& c : covariates.categorical) {
    rest.categorical.push_back(subsetCategorical(c));
  }
  std::visit(
      [&](const auto& l) {
        if constexpr (std::is_same_v<std::decay_t<decltype(l)>, NumericCovariate>) {
          labelOnly.numeric.push_back(subsetNumeric(l));
        } else {
          labelOnly.categorical.push_back(subsetCategorical(l));
        }
      },
      label);
  if (m == 0) {
    throw InputError("harmonization report: no sample has a label and every covariate");
  }
  const CovariateCoding labelCoding = combat::makeCoding(labelOnly, m);
  const CovariateCoding restCoding = combat::makeCoding(rest, m);
  const Eigen::MatrixXd lx = combat::encodeCovariates(labelCoding, labelOnly, m);
  const Eigen::MatrixXd rx = combat::encodeCovariates(restCoding, rest, m);
  d.columns.resize(static_cast<Eigen::Index>(m), lx.cols() + rx.cols());
  d.columns << lx, rx;
  d.names = labelCoding.column_names;
  d.label_terms = d.names.size();
  if (d.label_terms == 0) {
    throw InputError("harmonization report: label '" + name + "' has one level only");
  }
  d.names.insert(d.names.end(), restCoding.column_names.begin(), restCoding.column_names.end());

  // Fisher classes: the levels of a categorical label; a numeric label with two values.
  if (!labelOnly.categorical.empty()) {
    const auto& levels = labelCoding.categorical.front().levels;
    d.class_count = levels.size();
    for (const auto& v : labelOnly.categorical.front().values) {
      d.class_of.push_back(
          static_cast<std::size_t>(std::find(levels.begin(), levels.end(), v) - levels.begin()));
    }
  } else {
    const auto& v = labelOnly.numeric.front().values;
    const std::set<double> distinct(v.begin(), v.end());
    if (distinct.size() < 2) {
      throw InputError("harmonization report: label '" + name + "' takes one value only");
    }
    if (distinct.size() == 2) {
      d.class_count = 2;
      for (const double x : v) {
        d.class_of.push_back(x == *distinct.begin() ? 0 : 1);
      }
    }
  }
  return d;
}

// The guard's measures of one feature's values (already restricted to usable samples).
GuardMeasures measure(const std::vector<double>& values, const std::vector<std::size_t>& siteOf,
                      std::size_t siteCount, const std::vector<std::size_t>& classOf,
                      const Design& design, const Eigen::MatrixXd& columns) {
  GuardMeasures m;
  if (design.class_count == 0) {
    m.fisher_ratio = kNaN;
    m.notes.push_back("Fisher ratio: not defined for a numeric label with more than two values");
  } else {
    const auto fisher = guard::fisherRatio(values, classOf, design.class_count);
    m.fisher_ratio = fisher.ratio;
    if (!fisher.reason.empty()) {
      m.notes.push_back("Fisher ratio: " + fisher.reason);
    }
  }
  const auto anova = guard::oneWayAnova(values, siteOf, siteCount);
  m.site_f = anova.f;
  m.site_p = anova.p;
  if (!anova.reason.empty()) {
    m.notes.push_back("site ANOVA: " + anova.reason);
  }
  const auto ks = guard::ksPairs(values, siteOf, siteCount);
  m.ks_max = ks.max;
  m.ks_mean = ks.mean;
  if (ks.pairs == 0) {
    m.notes.push_back("KS distance: fewer than 2 sites with values");
  }

  const Eigen::Map<const Eigen::VectorXd> y(values.data(),
                                            static_cast<Eigen::Index>(values.size()));
  const auto fit = fitRandomIntercept(y, columns, design.names, siteOf, siteCount);
  m.model_fitted = fit.fitted;
  if (!fit.fitted) {
    m.site_variance = m.residual_variance = kNaN;
    m.notes.push_back("mixed model: " + fit.reason);
    return m;
  }
  m.site_variance = fit.group_variance;
  m.residual_variance = fit.residual_variance;
  for (std::size_t t = 0; t < design.label_terms; ++t) {
    const auto& e = fit.fixed_effects[t + 1];
    m.coefficients.push_back({e.term, e.estimate, e.standard_error, e.ci_lower, e.ci_upper, e.p});
  }
  return m;
}

void compare(FeatureGuard& g, std::size_t labelTerms, const std::string& label,
             const HarmonizationReportOptions& o) {
  const auto& b = g.before;
  const auto& a = g.after;
  auto lost = [](double change) { return std::isnan(change) ? kNaN : -change; };
  g.fisher_change =
      (std::isfinite(b.fisher_ratio) && std::isfinite(a.fisher_ratio) && b.fisher_ratio > 0.0)
          ? (a.fisher_ratio - b.fisher_ratio) / b.fisher_ratio
          : kNaN;
  g.coefficient_change.assign(labelTerms, kNaN);
  bool significantBefore = false;
  if (b.model_fitted) {
    for (std::size_t t = 0; t < labelTerms; ++t) {
      significantBefore = significantBefore || b.coefficients[t].p < o.alpha;
    }
  }
  if (b.model_fitted && a.model_fitted) {
    for (std::size_t t = 0; t < labelTerms; ++t) {
      const double before = std::abs(b.coefficients[t].estimate);
      if (before > 0.0) {
        g.coefficient_change[t] = (std::abs(a.coefficients[t].estimate) - before) / before;
      }
    }
  }
  g.biology_lost = lost(g.fisher_change);
  for (const double c : g.coefficient_change) {
    if (!std::isnan(c) && !(lost(c) <= g.biology_lost)) {
      g.biology_lost = lost(c);
    }
  }

  const bool dropsCount = !o.only_where_significant_before || significantBefore;
  if (dropsCount && lost(g.fisher_change) > o.drop_threshold) {
    g.flag_reasons.push_back("Fisher ratio of '" + label + "' fell by " +
                             percent(lost(g.fisher_change)) + " (" + shortNumber(b.fisher_ratio) +
                             " -> " + shortNumber(a.fisher_ratio) + ")");
  }
  if (b.model_fitted && !a.model_fitted) {
    std::string why;
    for (const auto& n : a.notes) {
      if (n.rfind("mixed model: ", 0) == 0) {
        why = n.substr(13);
      }
    }
    g.flag_reasons.push_back("the mixed model was fitted before but not after harmonization (" +
                             why + ")");
  }
  if (b.model_fitted && a.model_fitted) {
    for (std::size_t t = 0; t < labelTerms; ++t) {
      const auto& cb = b.coefficients[t];
      const auto& ca = a.coefficients[t];
      if (dropsCount && lost(g.coefficient_change[t]) > o.drop_threshold) {
        g.flag_reasons.push_back(
            "|coefficient| of '" + cb.term + "' fell by " + percent(lost(g.coefficient_change[t])) +
            " (" + shortNumber(cb.estimate) + " -> " + shortNumber(ca.estimate) + ")");
      }
      if (cb.p < o.alpha && !(ca.p < o.alpha)) {
        g.flag_reasons.push_back("'" + cb.term + "' lost significance (p " + shortNumber(cb.p) +
                                 " -> " + shortNumber(ca.p) + ")");
      }
      if (cb.p < o.alpha && (cb.estimate > 0.0) != (ca.estimate > 0.0) && ca.estimate != 0.0) {
        g.flag_reasons.push_back("'" + cb.term + "' changed sign (" + shortNumber(cb.estimate) +
                                 " -> " + shortNumber(ca.estimate) + ")");
      }
    }
  }
  g.flagged = !g.flag_reasons.empty();
}

}  // namespace

std::vector<std::size_t> HarmonizationReport::orderByBiologyLost() const {
  std::vector<std::size_t> order(features.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    const double a = features[i].biology_lost;
    const double b = features[j].biology_lost;
    if (std::isnan(a)) {
      return false;
    }
    if (std::isnan(b)) {
      return true;
    }
    return a > b;
  });
  return order;
}

HarmonizationReport makeHarmonizationReport(
    const Eigen::MatrixXd& before, const Eigen::MatrixXd& after,
    const std::vector<std::string>& featureNames, const std::vector<std::string>& sites,
    const BiologicalLabel& label, const ComBatCovariates& covariates,
    const HarmonizationReportOptions& options, Progress& progress) {
  if (before.rows() != after.rows() || before.cols() != after.cols()) {
    throw ParameterError("harmonization report: the tables before and after differ in shape");
  }
  const auto n = static_cast<std::size_t>(before.cols());
  if (sites.size() != n) {
    throw ParameterError("harmonization report: " + std::to_string(sites.size()) +
                         " site labels for " + std::to_string(n) + " samples");
  }
  if (!featureNames.empty() && featureNames.size() != static_cast<std::size_t>(before.rows())) {
    throw ParameterError("harmonization report: " + std::to_string(featureNames.size()) +
                         " feature names for " + std::to_string(before.rows()) + " features");
  }
  if (!(options.drop_threshold >= 0.0 && options.drop_threshold <= 1.0)) {
    throw ParameterError("harmonization report: the drop threshold must be in [0, 1]");
  }
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    throw ParameterError("harmonization report: alpha must be in (0, 1)");
  }

  const Design design = makeDesign(label, covariates, n);
  HarmonizationReport report;
  report.label_name = labelName(label);
  report.label_terms.assign(design.names.begin(),
                            design.names.begin() + static_cast<std::ptrdiff_t>(design.label_terms));
  const std::set<std::string> levels(sites.begin(), sites.end());
  report.site_levels.assign(levels.begin(), levels.end());
  report.options = options;
  report.excluded_samples = n - design.samples.size();
  std::vector<std::size_t> siteOfSample(n);
  for (std::size_t j = 0; j < n; ++j) {
    siteOfSample[j] = static_cast<std::size_t>(
        std::lower_bound(report.site_levels.begin(), report.site_levels.end(), sites[j]) -
        report.site_levels.begin());
  }

  const Eigen::Index features = before.rows();
  for (Eigen::Index f = 0; f < features; ++f) {
    progress.throwIfCancelled();
    FeatureGuard g;
    g.feature = featureNames.empty() ? "feature_" + std::to_string(f + 1)
                                     : featureNames[static_cast<std::size_t>(f)];
    // The samples of this feature: complete label/covariates and finite before and after.
    std::vector<Eigen::Index> rows;
    for (std::size_t k = 0; k < design.samples.size(); ++k) {
      const Eigen::Index j = design.samples[k];
      if (std::isfinite(before(f, j)) && std::isfinite(after(f, j))) {
        rows.push_back(static_cast<Eigen::Index>(k));
      }
    }
    g.samples_used = rows.size();
    std::vector<double> vb;
    std::vector<double> va;
    std::vector<std::size_t> siteOf;
    std::vector<std::size_t> classOf;
    Eigen::MatrixXd columns(static_cast<Eigen::Index>(rows.size()), design.columns.cols());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const Eigen::Index k = rows[r];
      const Eigen::Index j = design.samples[static_cast<std::size_t>(k)];
      vb.push_back(before(f, j));
      va.push_back(after(f, j));
      siteOf.push_back(siteOfSample[static_cast<std::size_t>(j)]);
      if (design.class_count > 0) {
        classOf.push_back(design.class_of[static_cast<std::size_t>(k)]);
      }
      columns.row(static_cast<Eigen::Index>(r)) = design.columns.row(k);
    }
    const std::size_t siteCount = report.site_levels.size();
    g.before = measure(vb, siteOf, siteCount, classOf, design, columns);
    g.after = measure(va, siteOf, siteCount, classOf, design, columns);
    compare(g, design.label_terms, report.label_name, options);
    if (g.flagged) {
      ++report.flagged_count;
    }
    report.features.push_back(std::move(g));
    progress.report(static_cast<double>(f + 1) / static_cast<double>(features));
  }
  return report;
}

}  // namespace harmonia
