#include "core/combat/MixedModel.h"

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/combat/GuardStatistics.h"
#include "core/util/Error.h"
#include "core/util/Numeric.h"

namespace harmonia {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The REML problem reduced to its sufficient statistics. Columns of the working design D are
// [1 | covariates − their means | y − ȳ]; centring is a unit-triangular change of the fixed
// effects (so |R_X| is unchanged) plus a shift of y inside span(X) (so r² is unchanged).
class RemlProblem {
 public:
  RemlProblem(const Eigen::VectorXd& y, const Eigen::MatrixXd& covariates,
              const std::vector<std::size_t>& groupOf, std::size_t groupCount)
      : n_(y.size()), p_(covariates.cols() + 1) {
    covariateMeans_ = n_ > 0 ? Eigen::VectorXd(covariates.colwise().mean().transpose())
                             : Eigen::VectorXd::Zero(covariates.cols());
    yMean_ = n_ > 0 ? y.mean() : 0.0;
    design_.resize(n_, p_ + 1);
    design_.col(0).setOnes();
    for (Eigen::Index k = 0; k + 1 < p_; ++k) {
      design_.col(k + 1) = covariates.col(k).array() - covariateMeans_(k);
    }
    design_.col(p_) = y.array() - yMean_;

    std::vector<Eigen::Index> counts(groupCount, 0);
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(groupCount), p_ + 1);
    for (Eigen::Index i = 0; i < n_; ++i) {
      const auto g = groupOf[static_cast<std::size_t>(i)];
      ++counts[g];
      sums.row(static_cast<Eigen::Index>(g)) += design_.row(i);
    }
    std::vector<Eigen::Index> slot(groupCount, -1);
    for (std::size_t g = 0; g < groupCount; ++g) {
      if (counts[g] == 0) {
        continue;
      }
      slot[g] = static_cast<Eigen::Index>(groupSizes_.size());
      groupSizes_.push_back(static_cast<double>(counts[g]));
    }
    groupMeans_.resize(static_cast<Eigen::Index>(groupSizes_.size()), p_ + 1);
    for (std::size_t g = 0; g < groupCount; ++g) {
      if (slot[g] >= 0) {
        groupMeans_.row(slot[g]) =
            sums.row(static_cast<Eigen::Index>(g)) / static_cast<double>(counts[g]);
      }
    }
    withinDesign_.resize(n_, p_ + 1);
    for (Eigen::Index i = 0; i < n_; ++i) {
      withinDesign_.row(i) =
          design_.row(i) - groupMeans_.row(slot[groupOf[static_cast<std::size_t>(i)]]);
    }
    within_ = withinDesign_.transpose() * withinDesign_;
  }

  [[nodiscard]] Eigen::Index observations() const { return n_; }
  [[nodiscard]] Eigen::Index fixedEffects() const { return p_; }
  [[nodiscard]] std::size_t groups() const { return groupSizes_.size(); }
  [[nodiscard]] const Eigen::MatrixXd& design() const { return design_; }

  // [X y]' V_θ⁻¹ [X y] and its Cholesky factor; false when not positive definite.
  bool factor(double theta, Eigen::MatrixXd& lower, double& logDetV) const {
    Eigen::MatrixXd a = within_;
    logDetV = 0.0;
    const double t2 = theta * theta;
    for (Eigen::Index g = 0; g < groupMeans_.rows(); ++g) {
      const double ng = groupSizes_[static_cast<std::size_t>(g)];
      a.noalias() += (ng / (1.0 + ng * t2)) * groupMeans_.row(g).transpose() * groupMeans_.row(g);
      logDetV += std::log1p(ng * t2);
    }
    Eigen::LLT<Eigen::MatrixXd> llt(a);
    if (llt.info() != Eigen::Success) {
      return false;
    }
    lower = llt.matrixL();
    return true;
  }

  // r²(∞): the residual sum of squares with fixed site intercepts (y and the covariates
  // centred within sites, least squares by rank-revealing QR).
  [[nodiscard]] double withinResidual2() const {
    const Eigen::VectorXd y = withinDesign_.col(p_);
    if (p_ == 1) {
      return y.squaredNorm();
    }
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(withinDesign_.middleCols(1, p_ - 1));
    qr.setThreshold(1e-7);
    return (y - withinDesign_.middleCols(1, p_ - 1) * qr.solve(y)).squaredNorm();
  }

  // d_R(θ); +inf where the factorisation fails.
  [[nodiscard]] double criterion(double theta) const {
    Eigen::MatrixXd lower;
    double logDetV = 0.0;
    if (!factor(theta, lower, logDetV)) {
      return kInf;
    }
    const double r2 = lower(p_, p_) * lower(p_, p_);
    if (!(r2 > 0.0)) {
      return kInf;
    }
    double logDetX = 0.0;
    for (Eigen::Index i = 0; i < p_; ++i) {
      logDetX += 2.0 * std::log(lower(i, i));
    }
    const double df = static_cast<double>(n_ - p_);
    return logDetV + logDetX + df * (1.0 + std::log(2.0 * std::numbers::pi * r2 / df));
  }

  // β̂ and Cov(β̂) at θ in the original (uncentred) parametrisation; σ̂² through `sigma2`.
  void solve(double theta, Eigen::VectorXd& beta, Eigen::MatrixXd& cov, double& sigma2) const {
    Eigen::MatrixXd lower;
    double logDetV = 0.0;
    factor(theta, lower, logDetV);
    const Eigen::MatrixXd lxx = lower.topLeftCorner(p_, p_);
    const Eigen::VectorXd lyx = lower.block(p_, 0, 1, p_).transpose();
    const Eigen::VectorXd betaC = lxx.transpose().triangularView<Eigen::Upper>().solve(lyx);
    const Eigen::MatrixXd lxxInv =
        lxx.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(p_, p_));
    sigma2 = lower(p_, p_) * lower(p_, p_) / static_cast<double>(n_ - p_);
    const Eigen::MatrixXd covC = sigma2 * (lxxInv.transpose() * lxxInv);
    // Back to the original parametrisation: β0 = β0c + ȳ − Σ x̄_k β_k, slopes unchanged.
    Eigen::MatrixXd m = Eigen::MatrixXd::Identity(p_, p_);
    for (Eigen::Index k = 1; k < p_; ++k) {
      m(0, k) = -covariateMeans_(k - 1);
    }
    beta = m * betaC;
    beta(0) += yMean_;
    cov = m * covC * m.transpose();
  }

 private:
  Eigen::Index n_;
  Eigen::Index p_;
  Eigen::VectorXd covariateMeans_;
  double yMean_ = 0.0;
  Eigen::MatrixXd design_;
  std::vector<double> groupSizes_;
  Eigen::MatrixXd groupMeans_;
  Eigen::MatrixXd withinDesign_;
  Eigen::MatrixXd within_;
};

// Brent's minimisation of f on [lo, hi]: golden-section steps, replaced by the minimum of the
// parabola through the three best points whenever that lies inside the bracket and moves less
// than half the step before last (Brent 1973, ch. 5). Stops when the bracket around the best
// point is within 2 (rel |x| + abs).
template <typename F>
double brentMinimize(const F& f, double lo, double hi, double& fBest) {
  constexpr double golden = 0.3819660112501051;  // (3 − √5) / 2
  constexpr double rel = 1.5e-8;                 // ≈ √ε: the attainable accuracy of a minimum
  constexpr double abs = 1e-12;
  double x = lo + golden * (hi - lo);
  double w = x;
  double v = x;
  double fx = f(x);
  double fw = fx;
  double fv = fx;
  double step = 0.0;      // the last step
  double stepPrev = 0.0;  // the step before it
  for (int iter = 0; iter < 200; ++iter) {
    const double mid = 0.5 * (lo + hi);
    const double tol1 = rel * std::abs(x) + abs;
    const double tol2 = 2.0 * tol1;
    if (std::abs(x - mid) <= tol2 - 0.5 * (hi - lo)) {
      break;
    }
    bool parabolic = false;
    if (std::abs(stepPrev) > tol1) {
      // Minimum of the parabola through (x, fx), (w, fw), (v, fv) as x + num / den.
      const double r = (x - w) * (fx - fv);
      double den = (x - v) * (fx - fw);
      double num = (x - v) * den - (x - w) * r;
      den = 2.0 * (den - r);
      if (den > 0.0) {
        num = -num;
      }
      den = std::abs(den);
      const double older = stepPrev;
      stepPrev = step;
      if (std::abs(num) < std::abs(0.5 * den * older) && num > den * (lo - x) &&
          num < den * (hi - x)) {
        step = num / den;
        const double u = x + step;
        if (u - lo < tol2 || hi - u < tol2) {
          step = std::copysign(tol1, mid - x);
        }
        parabolic = true;
      }
    }
    if (!parabolic) {
      stepPrev = (x >= mid) ? lo - x : hi - x;
      step = golden * stepPrev;
    }
    const double u = std::abs(step) >= tol1 ? x + step : x + std::copysign(tol1, step);
    const double fu = f(u);
    if (fu <= fx) {
      (u >= x ? lo : hi) = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      (u < x ? lo : hi) = u;
      if (fu <= fw || w == x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v == x || v == w) {
        v = u;
        fv = fu;
      }
    }
  }
  fBest = fx;
  return x;
}

void checkInput(const Eigen::VectorXd& y, const Eigen::MatrixXd& covariates,
                const std::vector<std::size_t>& groupOf, std::size_t groupCount) {
  if (covariates.rows() != y.size() || groupOf.size() != static_cast<std::size_t>(y.size())) {
    throw ParameterError("mixed model: y, covariates and groups differ in length");
  }
  if (!y.allFinite() || !covariates.allFinite()) {
    throw ParameterError("mixed model: non-finite input (drop missing values first)");
  }
  for (const auto g : groupOf) {
    if (g >= groupCount) {
      throw ParameterError("mixed model: group index out of range");
    }
  }
}

// The first column of [1 | centred covariates] that is (numerically) a combination of the
// ones before it, or −1. Columns are scaled to unit norm so the threshold is scale-free; the
// tolerance 1e-7 is that of R's qr() which lme4's rank check (`check.rankX`) uses.
Eigen::Index firstCollinearColumn(const Eigen::MatrixXd& design, Eigen::Index p) {
  Eigen::MatrixXd x = design.leftCols(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const double norm = x.col(j).norm();
    if (!(norm > 0.0)) {
      return j;
    }
    x.col(j) /= norm;
  }
  for (Eigen::Index j = 1; j < p; ++j) {
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x.leftCols(j + 1));
    qr.setThreshold(1e-7);
    if (qr.rank() < j + 1) {
      return j;
    }
  }
  return -1;
}

RandomInterceptFit notFitted(std::string reason) {
  RandomInterceptFit fit;
  fit.reason = std::move(reason);
  fit.theta = fit.group_variance = fit.residual_variance = fit.reml_criterion = kNaN;
  return fit;
}

}  // namespace

double remlCriterion(const Eigen::VectorXd& y, const Eigen::MatrixXd& covariates,
                     const std::vector<std::size_t>& groupOf, std::size_t groupCount,
                     double theta) {
  checkInput(y, covariates, groupOf, groupCount);
  const RemlProblem problem(y, covariates, groupOf, groupCount);
  if (problem.observations() <= problem.fixedEffects() || !(theta >= 0.0)) {
    return kNaN;
  }
  const double d = problem.criterion(theta);
  return std::isfinite(d) ? d : kNaN;
}

RandomInterceptFit fitRandomIntercept(const Eigen::VectorXd& y, const Eigen::MatrixXd& covariates,
                                      const std::vector<std::string>& names,
                                      const std::vector<std::size_t>& groupOf,
                                      std::size_t groupCount) {
  checkInput(y, covariates, groupOf, groupCount);
  if (names.size() != static_cast<std::size_t>(covariates.cols())) {
    throw ParameterError("mixed model: one name per covariate column expected");
  }
  const RemlProblem problem(y, covariates, groupOf, groupCount);
  const Eigen::Index n = problem.observations();
  const Eigen::Index p = problem.fixedEffects();
  const std::size_t groups = problem.groups();
  if (groups < 2) {
    return notFitted("fewer than 2 sites with values");
  }
  if (n <= static_cast<Eigen::Index>(groups)) {
    return notFitted("no more values (" + std::to_string(n) + ") than sites");
  }
  if (n <= p) {
    return notFitted("no more values (" + std::to_string(n) + ") than fixed effects (" +
                     std::to_string(p) + ")");
  }
  if (const Eigen::Index j = firstCollinearColumn(problem.design(), p); j >= 0) {
    return notFitted(j == 0 ? std::string("no observations")
                            : "'" + names[static_cast<std::size_t>(j - 1)] +
                                  "' is constant or collinear with the terms before it");
  }
  const double total = problem.design().col(p).squaredNorm();
  if (!(total > 0.0)) {
    return notFitted("constant values");
  }
  // θ → ∞ is the fit with fixed site intercepts; r² there ≈ 0 means y is determined by site
  // and covariates, and the criterion has no minimum.
  if (!(problem.withinResidual2() > 1e-20 * total)) {
    return notFitted("values are fitted exactly by site and covariates");
  }

  // Grid over θ ∈ {0} ∪ {10^(k/4)}, then Brent on the bracket of the best grid point.
  std::vector<double> grid{0.0};
  for (int k = -20; k <= 24; ++k) {
    grid.push_back(std::pow(10.0, k / 4.0));
  }
  std::size_t best = 0;
  std::vector<double> values(grid.size());
  for (std::size_t i = 0; i < grid.size(); ++i) {
    values[i] = problem.criterion(grid[i]);
    if (values[i] < values[best]) {
      best = i;
    }
  }
  if (!std::isfinite(values[best])) {
    return notFitted("the REML criterion cannot be evaluated");
  }
  double theta = grid[best];
  double dev = values[best];
  if (best + 1 < grid.size()) {
    const double lo = best == 0 ? 0.0 : grid[best - 1];
    double fBrent = 0.0;
    const double t =
        brentMinimize([&](double th) { return problem.criterion(th); }, lo, grid[best + 1], fBrent);
    if (fBrent < dev) {
      theta = t;
      dev = fBrent;
    }
  }
  // A singular fit: the criterion is flat in θ² at 0, so an optimum within 1e-9 of d_R(0) is 0.
  if (values[0] <= dev + 1e-9) {
    theta = 0.0;
    dev = values[0];
  }

  RandomInterceptFit fit;
  fit.fitted = true;
  fit.theta = theta;
  fit.reml_criterion = dev;
  fit.observations = static_cast<std::size_t>(n);
  fit.groups = groups;
  Eigen::VectorXd beta;
  double sigma2 = 0.0;
  problem.solve(theta, beta, fit.covariance, sigma2);
  fit.residual_variance = sigma2;
  fit.group_variance = sigma2 * theta * theta;
  for (Eigen::Index k = 0; k < p; ++k) {
    FixedEffect e;
    e.term = k == 0 ? std::string("(Intercept)") : names[static_cast<std::size_t>(k - 1)];
    e.estimate = beta(k);
    e.standard_error = std::sqrt(fit.covariance(k, k));
    e.ci_lower = e.estimate - guard::kNormalQuantile975 * e.standard_error;
    e.ci_upper = e.estimate + guard::kNormalQuantile975 * e.standard_error;
    e.z = e.estimate / e.standard_error;
    e.p = guard::normalTwoSidedP(e.z);
    fit.fixed_effects.push_back(std::move(e));
  }
  return fit;
}

}  // namespace harmonia
