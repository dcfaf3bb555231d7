// ComBat fit and apply. Formulas follow neuroCombat (Jfortin1/ComBatHarmonization,
// R/neuroCombat/R/neuroCombat_helpers.R: getDataDict, getStandardizedData, getNaiveEstimators,
// getEbEstimators, getCorrectedData; R/neuroCombat/R/neuroCombatFromTraining.R), itself a
// modification of sva::ComBat (zhangyuqing/sva-devel R/ComBat.R).
#include "core/combat/ComBat.h"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <set>

#include "core/combat/ComBatDesign.h"
#include "core/combat/EmpiricalBayes.h"
#include "core/combat/NewSite.h"
#include "core/util/Error.h"
#include "core/util/Numeric.h"

namespace harmonia {

namespace {

// The harmonized values of samples under a model; `covariateEffect` is features x samples
// (X_cov B̂ per sample, or the training mean). Shared by fit and apply so that both give
// bit-identical output. neuroCombat getCorrectedData:
//   s.data = (dat − stand.mean − mod.mean) / sqrt(var.pooled)
//   out    = (s.data − γ*) / sqrt(δ*) · sqrt(var.pooled) + stand.mean + mod.mean
// and the reference site's samples are returned unchanged.
Eigen::MatrixXd harmonize(const ComBatModel& model, const Eigen::MatrixXd& data,
                          const std::vector<std::size_t>& site,
                          const Eigen::MatrixXd& covariateEffect, Progress& progress) {
  const auto ref = model.referenceIndex();
  Eigen::MatrixXd out = data;
  for (Eigen::Index f = 0; f < data.rows(); ++f) {
    if ((f & 255) == 0) progress.throwIfCancelled();
    if (!model.feature_adjusted[static_cast<std::size_t>(f)]) continue;
    const double sd = std::sqrt(model.pooled_variance[f]);
    for (Eigen::Index j = 0; j < data.cols(); ++j) {
      const double y = data(f, j);
      const std::size_t s = site[static_cast<std::size_t>(j)];
      if (std::isnan(y) || (ref && s == *ref)) continue;
      const auto si = static_cast<Eigen::Index>(s);
      const double z = (y - model.grand_mean[f] - covariateEffect(f, j)) / sd;
      const double b = (z - model.gamma_star(si, f)) / std::sqrt(model.delta_star(si, f));
      out(f, j) = b * sd + model.grand_mean[f] + covariateEffect(f, j);
    }
  }
  return out;
}

// X_cov B̂ per feature and sample (features x samples).
Eigen::MatrixXd covariateEffectOf(const ComBatModel& model, const Eigen::MatrixXd& x) {
  Eigen::MatrixXd e = Eigen::MatrixXd::Zero(model.covariate_coefficients.cols(), x.rows());
  for (Eigen::Index f = 0; f < e.rows(); ++f) {
    for (Eigen::Index j = 0; j < e.cols(); ++j) {
      double v = 0.0;
      for (Eigen::Index c = 0; c < x.cols(); ++c) v += x(j, c) * model.covariate_coefficients(c, f);
      e(f, j) = v;
    }
  }
  return e;
}

std::string siteList(const std::vector<std::string>& levels) {
  std::string s;
  for (const auto& l : levels) s += (s.empty() ? "" : ", ") + l;
  return s;
}

// Per feature: why it cannot be adjusted, from its raw values (empty when it can).
std::string unusableReason(const Eigen::MatrixXd& data, Eigen::Index f,
                           const std::vector<std::size_t>& site, const ComBatModel& m) {
  const std::size_t ns = m.siteCount();
  std::vector<int> count(ns, 0);
  std::vector<double> first(ns, kNaN);
  std::vector<bool> varies(ns, false);
  double overallFirst = kNaN;
  bool overallVaries = false;
  for (Eigen::Index j = 0; j < data.cols(); ++j) {
    const double y = data(f, j);
    if (std::isnan(y)) continue;
    if (!std::isfinite(y)) return "infinite value in sample " + std::to_string(j + 1);
    const std::size_t s = site[static_cast<std::size_t>(j)];
    if (count[s]++ == 0) first[s] = y;
    if (y != first[s]) varies[s] = true;
    if (std::isnan(overallFirst)) overallFirst = y;
    if (y != overallFirst) overallVaries = true;
  }
  if (!overallVaries) return "constant (or missing) over all samples";
  for (std::size_t s = 0; s < ns; ++s) {
    if (count[s] == 0) return "no value at site '" + m.site_levels[s] + "'";
    if (m.site_mean_only[s]) continue;  // location only: no scale to estimate at this site
    if (count[s] == 1) return "only one value at site '" + m.site_levels[s] + "'";
    if (!varies[s]) return "constant within site '" + m.site_levels[s] + "'";
  }
  return {};
}

}  // namespace

ComBatFitResult fitComBat(const Eigen::MatrixXd& data, const std::vector<std::string>& featureNames,
                          const std::vector<std::string>& sites, const ComBatCovariates& covariates,
                          const ComBatOptions& options, Progress& progress) {
  const Eigen::Index nf = data.rows();
  const Eigen::Index n = data.cols();
  if (nf < 1 || n < 2) throw ParameterError("ComBat: needs at least one feature and two samples");
  if (sites.size() != static_cast<std::size_t>(n)) {
    throw ParameterError("ComBat: " + std::to_string(sites.size()) + " site labels for " +
                         std::to_string(n) + " samples");
  }
  if (!featureNames.empty() && featureNames.size() != static_cast<std::size_t>(nf)) {
    throw ParameterError("ComBat: " + std::to_string(featureNames.size()) + " feature names for " +
                         std::to_string(nf) + " features");
  }

  ComBatFitResult result;
  ComBatModel& m = result.model;
  m.options = options;
  for (Eigen::Index f = 0; f < nf; ++f) {
    m.feature_names.push_back(featureNames.empty() ? "feature_" + std::to_string(f + 1)
                                                   : featureNames[static_cast<std::size_t>(f)]);
  }
  // Site levels sorted, as R's factor levels (getDataDict: batch <- as.factor(batch)).
  const std::set<std::string> levelSet(sites.begin(), sites.end());
  m.site_levels.assign(levelSet.begin(), levelSet.end());
  const std::size_t nSites = m.siteCount();
  if (nSites < 2) {
    throw ParameterError("ComBat: needs at least two sites; every sample is from site '" +
                         sites.front() + "'");
  }
  std::vector<std::size_t> site(sites.size());
  m.site_sample_counts.assign(nSites, 0);
  for (std::size_t j = 0; j < sites.size(); ++j) {
    site[j] = *m.siteIndex(sites[j]);
    ++m.site_sample_counts[site[j]];
  }
  std::optional<std::size_t> ref;
  if (options.reference_site) {
    ref = m.siteIndex(*options.reference_site);
    if (!ref) {
      throw ParameterError("ComBat: reference site '" + *options.reference_site +
                           "' is not among the sites (" + siteList(m.site_levels) + ")");
    }
    if (m.site_sample_counts[*ref] < 2) {
      throw ParameterError("ComBat: reference site '" + *options.reference_site +
                           "' has one sample; its variance cannot be estimated");
    }
  }
  m.site_mean_only.assign(nSites, options.mean_only);
  for (std::size_t s = 0; s < nSites; ++s) {
    if (m.site_sample_counts[s] == 1 && !options.mean_only) {
      // neuroCombat getDataDict stops here; we correct that site's location only.
      m.site_mean_only[s] = true;
      result.warnings.push_back("site '" + m.site_levels[s] +
                                "' has one sample: its scale cannot be estimated, so only its "
                                "location is corrected (mean-only for that site)");
    }
  }

  // Design [site columns | covariates]. With a reference site its column is all ones
  // (getDataDict: batchmod[, ref] <- 1), so B̂[ref] is the reference intercept.
  m.covariates = combat::makeCoding(covariates, sites.size());
  const Eigen::MatrixXd xc = combat::encodeCovariates(m.covariates, covariates, sites.size());
  const auto S = static_cast<Eigen::Index>(nSites);
  const Eigen::Index p = xc.cols();
  Eigen::MatrixXd design = Eigen::MatrixXd::Zero(n, S + p);
  for (Eigen::Index j = 0; j < n; ++j) {
    design(j, static_cast<Eigen::Index>(site[static_cast<std::size_t>(j)])) = 1.0;
    if (ref) design(j, static_cast<Eigen::Index>(*ref)) = 1.0;
  }
  design.rightCols(p) = xc;
  combat::checkDesignRank(design.leftCols(S), xc, m.covariates.column_names);

  // Which features can be adjusted.
  m.feature_adjusted.assign(static_cast<std::size_t>(nf), true);
  m.feature_note.assign(static_cast<std::size_t>(nf), {});
  for (Eigen::Index f = 0; f < nf; ++f) {
    auto reason = unusableReason(data, f, site, m);
    if (!reason.empty()) {
      m.feature_adjusted[static_cast<std::size_t>(f)] = false;
      m.feature_note[static_cast<std::size_t>(f)] = std::move(reason);
    }
  }

  // B̂ by least squares per feature (getStandardizedData .getBetaHat; with missing values the
  // rows of the missing samples are dropped, .betaNA).
  progress.report(0.0);
  Eigen::MatrixXd bHat = Eigen::MatrixXd::Constant(S + p, nf, kNaN);
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> fullQr(design);
  for (Eigen::Index f = 0; f < nf; ++f) {
    if ((f & 63) == 0) progress.throwIfCancelled();
    if (!m.feature_adjusted[static_cast<std::size_t>(f)]) continue;
    const Eigen::VectorXd y = data.row(f).transpose();
    if (!y.hasNaN()) {
      bHat.col(f) = fullQr.solve(y);
      continue;
    }
    std::vector<Eigen::Index> rows;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (!std::isnan(y[j])) rows.push_back(j);
    }
    Eigen::MatrixXd d(static_cast<Eigen::Index>(rows.size()), S + p);
    Eigen::VectorXd yy(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
      d.row(static_cast<Eigen::Index>(r)) = design.row(rows[r]);
      yy[static_cast<Eigen::Index>(r)] = y[rows[r]];
    }
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(d);
    qr.setThreshold(1e-7);
    if (qr.rank() < S + p || d.rows() <= S + p) {
      m.feature_adjusted[static_cast<std::size_t>(f)] = false;
      m.feature_note[static_cast<std::size_t>(f)] =
          "the site and covariate effects cannot be estimated from its non-missing values";
      continue;
    }
    bHat.col(f) = qr.solve(yy);
  }

  // Grand mean: Σ n_s/n B̂_s, or B̂_ref (getStandardizedData `grand.mean`).
  m.grand_mean = Eigen::VectorXd::Zero(nf);
  for (Eigen::Index f = 0; f < nf; ++f) {
    if (ref) {
      m.grand_mean[f] = bHat(static_cast<Eigen::Index>(*ref), f);
      continue;
    }
    double g = 0.0;
    for (Eigen::Index s = 0; s < S; ++s) {
      g += static_cast<double>(m.site_sample_counts[static_cast<std::size_t>(s)]) /
           static_cast<double>(n) * bHat(s, f);
    }
    m.grand_mean[f] = g;
  }
  m.site_coefficients = bHat.topRows(S);
  m.covariate_coefficients = bHat.bottomRows(p);
  const Eigen::MatrixXd covEffect = covariateEffectOf(m, xc);
  m.mean_covariate_effect = Eigen::VectorXd::Zero(nf);
  for (Eigen::Index f = 0; f < nf; ++f) m.mean_covariate_effect[f] = covEffect.row(f).mean();

  // Pooled variance: mean squared residual of the full fit over all samples, or over the
  // reference site's (getStandardizedData: rowVars(dat − t(design %*% B.hat)) / (n/(n−1))).
  m.pooled_variance = Eigen::VectorXd::Constant(nf, kNaN);
  for (Eigen::Index f = 0; f < nf; ++f) {
    if (!m.feature_adjusted[static_cast<std::size_t>(f)]) continue;
    std::vector<double> r;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (std::isnan(data(f, j))) continue;
      if (ref && site[static_cast<std::size_t>(j)] != *ref) continue;
      r.push_back(data(f, j) - design.row(j).dot(bHat.col(f)));
    }
    double mean = 0.0;
    for (const double v : r) mean += v;
    mean /= static_cast<double>(r.size());
    double ss = 0.0;
    for (const double v : r) ss += (v - mean) * (v - mean);
    const double var = ss / static_cast<double>(r.size());
    if (!(var > 0.0) || !std::isfinite(var)) {
      m.feature_adjusted[static_cast<std::size_t>(f)] = false;
      m.feature_note[static_cast<std::size_t>(f)] =
          "no residual variance after fitting the site and covariate effects";
      continue;
    }
    m.pooled_variance[f] = var;
  }

  // Standardised data, features x samples.
  Eigen::MatrixXd z = Eigen::MatrixXd::Constant(nf, n, kNaN);
  for (Eigen::Index f = 0; f < nf; ++f) {
    if (!m.feature_adjusted[static_cast<std::size_t>(f)]) continue;
    for (Eigen::Index j = 0; j < n; ++j) {
      z(f, j) = (data(f, j) - m.grand_mean[f] - covEffect(f, j)) / std::sqrt(m.pooled_variance[f]);
    }
  }

  // Naive estimates (getNaiveEstimators): γ̂ = per-site mean of z (with a reference site the
  // least-squares coefficients of its design: γ̂_ref = mean_ref, γ̂_s = mean_s − mean_ref),
  // δ̂² = per-site variance (n−1) of z, or 1 for a mean-only site.
  std::vector<std::vector<Eigen::Index>> members(nSites);
  for (Eigen::Index j = 0; j < n; ++j) members[site[static_cast<std::size_t>(j)]].push_back(j);
  m.gamma_hat = Eigen::MatrixXd::Zero(S, nf);
  m.delta_hat = Eigen::MatrixXd::Ones(S, nf);
  std::vector<bool> use = m.feature_adjusted;
  for (Eigen::Index f = 0; f < nf; ++f) {
    if (!use[static_cast<std::size_t>(f)]) continue;
    for (Eigen::Index s = 0; s < S; ++s) {
      double sum = 0.0;
      int cnt = 0;
      for (const auto j : members[static_cast<std::size_t>(s)]) {
        if (!std::isnan(z(f, j))) {
          sum += z(f, j);
          ++cnt;
        }
      }
      const double mean = sum / cnt;
      m.gamma_hat(s, f) = mean;
      if (m.site_mean_only[static_cast<std::size_t>(s)]) continue;
      double ss = 0.0;
      for (const auto j : members[static_cast<std::size_t>(s)]) {
        if (!std::isnan(z(f, j))) ss += (z(f, j) - mean) * (z(f, j) - mean);
      }
      m.delta_hat(s, f) = ss / (cnt - 1);
    }
    if (ref) {
      for (Eigen::Index s = 0; s < S; ++s) {
        if (s != static_cast<Eigen::Index>(*ref)) {
          m.gamma_hat(s, f) -= m.gamma_hat(static_cast<Eigen::Index>(*ref), f);
        }
      }
    }
  }

  // Final estimates per site (getEbEstimators / getNonEbEstimators).
  m.gamma_star = Eigen::MatrixXd::Zero(S, nf);
  m.delta_star = Eigen::MatrixXd::Ones(S, nf);
  m.gamma_bar = m.tau2 = m.prior_a = m.prior_b = Eigen::VectorXd::Constant(S, kNaN);
  const auto usedCount = std::count(use.begin(), use.end(), true);
  EmpiricalBayes eb = options.empirical_bayes;
  if (eb != EmpiricalBayes::None && usedCount < 2) {
    eb = EmpiricalBayes::None;
    result.warnings.push_back(
        "fewer than two features can be adjusted: no empirical Bayes (plain location/scale)");
  }
  for (Eigen::Index s = 0; s < S; ++s) {
    progress.report(0.2 + 0.8 * static_cast<double>(s) / static_cast<double>(S));
    // The reference site keeps γ* = 0, δ* = 1 (getEbEstimators: temp$gamma.star[ref, ] <- 0).
    if (ref && s == static_cast<Eigen::Index>(*ref)) continue;
    const bool meanOnly = m.site_mean_only[static_cast<std::size_t>(s)];
    const Eigen::VectorXd gHat = m.gamma_hat.row(s).transpose();
    const Eigen::VectorXd dHat = m.delta_hat.row(s).transpose();
    combat::SiteEstimate est;
    if (eb == EmpiricalBayes::None) {
      est.gamma_star = gHat;
      est.delta_star = dHat;
    } else {
      const auto priors = combat::estimatePriors(gHat, dHat, use, !meanOnly);
      m.gamma_bar[s] = priors.gamma_bar;
      m.tau2[s] = priors.tau2;
      m.prior_a[s] = priors.a;
      m.prior_b[s] = priors.b;
      Eigen::MatrixXd zs(nf,
                         static_cast<Eigen::Index>(members[static_cast<std::size_t>(s)].size()));
      for (Eigen::Index k = 0; k < zs.cols(); ++k) {
        zs.col(k) = z.col(members[static_cast<std::size_t>(s)][static_cast<std::size_t>(k)]);
      }
      SubProgress sub(progress, 0.2 + 0.8 * static_cast<double>(s) / static_cast<double>(S),
                      0.2 + 0.8 * static_cast<double>(s + 1) / static_cast<double>(S));
      if (eb == EmpiricalBayes::NonParametric) {
        est = combat::nonParametric(zs, gHat, dHat, use, sub);
      } else if (meanOnly) {
        est = combat::parametricMeanOnly(gHat, priors, use);
      } else {
        est = combat::parametricIterative(zs, gHat, dHat, priors, use, sub);
      }
      if (!est.converged) {
        result.warnings.push_back("site '" + m.site_levels[static_cast<std::size_t>(s)] +
                                  "': the parametric empirical Bayes iteration did not converge");
      }
    }
    for (Eigen::Index f = 0; f < nf; ++f) {
      if (!use[static_cast<std::size_t>(f)]) continue;
      m.gamma_star(s, f) = est.gamma_star[f];
      m.delta_star(s, f) = meanOnly ? 1.0 : est.delta_star[f];
    }
  }

  for (Eigen::Index f = 0; f < nf; ++f) {
    if (!m.feature_adjusted[static_cast<std::size_t>(f)]) {
      result.warnings.push_back(
          "feature '" + m.feature_names[static_cast<std::size_t>(f)] +
          "' left unadjusted: " + m.feature_note[static_cast<std::size_t>(f)]);
    }
  }
  result.harmonized = harmonize(m, data, site, covEffect, progress);
  progress.report(1.0);
  return result;
}

ComBatApplyResult applyComBat(const ComBatModel& model, const Eigen::MatrixXd& data,
                              const std::vector<std::string>& sites,
                              const ComBatCovariates& covariates, const ComBatApplyOptions& options,
                              Progress& progress) {
  if (static_cast<std::size_t>(data.rows()) != model.featureCount()) {
    throw ParameterError("ComBat apply: the data have " + std::to_string(data.rows()) +
                         " features, the model " + std::to_string(model.featureCount()));
  }
  if (sites.size() != static_cast<std::size_t>(data.cols())) {
    throw ParameterError("ComBat apply: " + std::to_string(sites.size()) + " site labels for " +
                         std::to_string(data.cols()) + " samples");
  }
  if (options.estimate_new_sites) {
    auto extended = combat::addNewSites(model, data, sites, covariates, options);
    if (!extended.new_sites.empty()) {
      ComBatApplyOptions known = options;
      known.estimate_new_sites = false;
      auto result = applyComBat(extended.model, data, sites, covariates, known, progress);
      result.warnings.insert(result.warnings.begin(), extended.warnings.begin(),
                             extended.warnings.end());
      return result;
    }
  }
  ComBatApplyResult result;
  std::vector<std::size_t> site(sites.size());
  for (std::size_t j = 0; j < sites.size(); ++j) {
    const auto s = model.siteIndex(sites[j]);
    if (!s) {
      throw InputError("ComBat apply: site '" + sites[j] + "' (sample " + std::to_string(j + 1) +
                       ") is not in the model (its sites: " + siteList(model.site_levels) + ")");
    }
    site[j] = *s;
  }
  Eigen::MatrixXd covEffect;
  if (covariates.empty() && model.covariates.columnCount() > 0) {
    if (!options.impute_missing_covariates) {
      throw ParameterError(
          "ComBat apply: the model was fitted with covariates; give them, or "
          "allow imputing their training mean");
    }
    // neuroCombatFromTraining: stand.mean + rowMeans(mod.mean) when mod is NULL.
    covEffect = model.mean_covariate_effect.replicate(1, data.cols());
    result.warnings.push_back(
        "covariates not given: their mean effect over the training samples is used");
  } else {
    const Eigen::MatrixXd xc = combat::encodeCovariates(model.covariates, covariates, sites.size());
    covEffect = covariateEffectOf(model, xc);
  }
  result.harmonized = harmonize(model, data, site, covEffect, progress);
  return result;
}

}  // namespace harmonia
