// New sites at apply time; see NewSite.h for the method and its sources. The per-site steps
// repeat fitComBat's (ComBat.cpp: naive estimates, priors, EB) on the fixed standardisation.
#include "core/combat/NewSite.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/combat/ComBatDesign.h"
#include "core/combat/EmpiricalBayes.h"
#include "core/util/Error.h"
#include "core/util/Numeric.h"

namespace harmonia::combat {

namespace {

template <typename Matrix>
void appendRow(Matrix& m, double fill) {
  m.conservativeResize(m.rows() + 1, Eigen::NoChange);
  m.row(m.rows() - 1).setConstant(fill);
}

void appendEntry(Eigen::VectorXd& v, double value) {
  v.conservativeResize(v.size() + 1);
  v[v.size() - 1] = value;
}

}  // namespace

NewSiteModel addNewSites(const ComBatModel& model, const Eigen::MatrixXd& data,
                         const std::vector<std::string>& sites, const ComBatCovariates& covariates,
                         const ComBatApplyOptions& options) {
  const Eigen::Index nf = data.rows();
  if (static_cast<std::size_t>(nf) != model.featureCount()) {
    throw ParameterError("ComBat apply: the data have " + std::to_string(nf) +
                         " features, the model " + std::to_string(model.featureCount()));
  }
  if (sites.size() != static_cast<std::size_t>(data.cols())) {
    throw ParameterError("ComBat apply: " + std::to_string(sites.size()) + " site labels for " +
                         std::to_string(data.cols()) + " samples");
  }
  NewSiteModel result{model, {}, {}};
  std::set<std::string> unknown;
  for (const auto& s : sites) {
    if (!model.siteIndex(s)) {
      unknown.insert(s);
    }
  }
  if (unknown.empty()) {
    return result;
  }
  result.new_sites.assign(unknown.begin(), unknown.end());

  // The covariate effect x_j' β̂_f of every sample, as applyComBat computes it.
  Eigen::MatrixXd covEffect;
  if (covariates.empty() && model.covariates.columnCount() > 0) {
    if (!options.impute_missing_covariates) {
      throw ParameterError(
          "ComBat apply: the model was fitted with covariates; give them, or "
          "allow imputing their training mean");
    }
    covEffect = model.mean_covariate_effect.replicate(1, data.cols());
  } else {
    const Eigen::MatrixXd x = encodeCovariates(model.covariates, covariates, sites.size());
    covEffect = Eigen::MatrixXd::Zero(nf, data.cols());
    for (Eigen::Index f = 0; f < nf; ++f) {
      for (Eigen::Index j = 0; j < data.cols(); ++j) {
        double v = 0.0;
        for (Eigen::Index c = 0; c < x.cols(); ++c) {
          v += x(j, c) * model.covariate_coefficients(c, f);
        }
        covEffect(f, j) = v;
      }
    }
  }

  ComBatModel& m = result.model;
  const auto ref = model.referenceIndex();
  for (const auto& label : result.new_sites) {
    std::vector<Eigen::Index> members;
    for (std::size_t j = 0; j < sites.size(); ++j) {
      if (sites[j] == label) {
        members.push_back(static_cast<Eigen::Index>(j));
      }
    }
    const auto ns = static_cast<Eigen::Index>(members.size());
    const bool meanOnly = model.options.mean_only || ns == 1;
    if (ns == 1 && !model.options.mean_only) {
      result.warnings.push_back("new site '" + label +
                                "' has one sample: its scale cannot be estimated, so only its "
                                "location is corrected (mean-only for that site)");
    }

    // Standardised data of this site (getStandardizedData with the model's estimates).
    Eigen::MatrixXd z = Eigen::MatrixXd::Constant(nf, ns, kNaN);
    for (Eigen::Index f = 0; f < nf; ++f) {
      if (!model.feature_adjusted[static_cast<std::size_t>(f)]) {
        continue;
      }
      for (Eigen::Index k = 0; k < ns; ++k) {
        const Eigen::Index j = members[static_cast<std::size_t>(k)];
        z(f, k) = (data(f, j) - model.grand_mean[f] - covEffect(f, j)) /
                  std::sqrt(model.pooled_variance[f]);
      }
    }

    // Naive estimates (getNaiveEstimators), and which features this site can adjust.
    Eigen::VectorXd gHat = Eigen::VectorXd::Zero(nf);
    Eigen::VectorXd dHat = Eigen::VectorXd::Ones(nf);
    std::vector<bool> use = model.feature_adjusted;
    std::size_t skipped = 0;
    for (Eigen::Index f = 0; f < nf; ++f) {
      if (!use[static_cast<std::size_t>(f)]) {
        continue;
      }
      double sum = 0.0;
      int cnt = 0;
      for (Eigen::Index k = 0; k < ns; ++k) {
        if (!std::isnan(z(f, k))) {
          sum += z(f, k);
          ++cnt;
        }
      }
      const double mean = sum / cnt;
      double ss = 0.0;
      for (Eigen::Index k = 0; k < ns; ++k) {
        if (!std::isnan(z(f, k))) {
          ss += (z(f, k) - mean) * (z(f, k) - mean);
        }
      }
      const bool noScale = !meanOnly && (cnt < 2 || !(ss > 0.0) || !std::isfinite(ss));
      if (cnt == 0 || !std::isfinite(mean) || noScale) {
        use[static_cast<std::size_t>(f)] = false;
        ++skipped;
        continue;
      }
      gHat[f] = ref ? mean - model.gamma_hat(static_cast<Eigen::Index>(*ref), f) : mean;
      if (!meanOnly) {
        dHat[f] = ss / (cnt - 1);
      }
    }
    if (skipped > 0) {
      result.warnings.push_back("new site '" + label + "': " + std::to_string(skipped) +
                                " feature(s) left unchanged (no value at that site, one value, "
                                "or constant within it)");
    }

    // Empirical Bayes as the model was fitted (fitComBat's per-site step).
    EmpiricalBayes eb = model.options.empirical_bayes;
    if (eb != EmpiricalBayes::None && std::count(use.begin(), use.end(), true) < 2) {
      eb = EmpiricalBayes::None;
      result.warnings.push_back("new site '" + label +
                                "': fewer than two features can be adjusted: no empirical "
                                "Bayes (plain location/scale)");
    }
    SitePriors priors{kNaN, kNaN, kNaN, kNaN};
    SiteEstimate est;
    if (eb == EmpiricalBayes::None) {
      est.gamma_star = gHat;
      est.delta_star = dHat;
    } else {
      priors = estimatePriors(gHat, dHat, use, !meanOnly);
      if (eb == EmpiricalBayes::NonParametric) {
        est = nonParametric(z, gHat, dHat, use, noProgress());
      } else if (meanOnly) {
        est = parametricMeanOnly(gHat, priors, use);
      } else {
        est = parametricIterative(z, gHat, dHat, priors, use, noProgress());
      }
      if (!est.converged) {
        result.warnings.push_back("new site '" + label +
                                  "': the parametric empirical Bayes iteration did not converge");
      }
    }

    m.site_levels.push_back(label);
    m.site_sample_counts.push_back(members.size());
    m.site_mean_only.push_back(meanOnly);
    appendRow(m.site_coefficients, kNaN);
    appendRow(m.gamma_hat, 0.0);
    appendRow(m.delta_hat, 1.0);
    appendRow(m.gamma_star, 0.0);
    appendRow(m.delta_star, 1.0);
    const Eigen::Index s = m.gamma_hat.rows() - 1;
    for (Eigen::Index f = 0; f < nf; ++f) {
      if (!use[static_cast<std::size_t>(f)]) {
        continue;
      }
      m.gamma_hat(s, f) = gHat[f];
      m.delta_hat(s, f) = dHat[f];
      m.gamma_star(s, f) = est.gamma_star[f];
      m.delta_star(s, f) = meanOnly ? 1.0 : est.delta_star[f];
    }
    appendEntry(m.gamma_bar, priors.gamma_bar);
    appendEntry(m.tau2, priors.tau2);
    appendEntry(m.prior_a, priors.a);
    appendEntry(m.prior_b, priors.b);
  }
  return result;
}

}  // namespace harmonia::combat
