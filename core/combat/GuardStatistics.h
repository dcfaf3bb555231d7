#pragma once
// Statistics of the over-harmonization guard (core/combat/HarmonizationReport.h): the
// regularized incomplete beta function and the F and normal tails built on it, the Fisher
// discriminant ratio of a label, the one-way ANOVA of site and two-sample Kolmogorov–Smirnov
// distances. Plain functions on value vectors; no missing values here (callers drop them).

#include <cstddef>
#include <string>
#include <vector>

namespace harmonia::guard {

/// Regularized incomplete beta I_x(a, b) = B(x; a, b) / B(a, b), for a, b > 0 and x in [0, 1]
/// (R `pbeta(x, a, b)`). Evaluated by the continued fraction of Abramowitz & Stegun 26.5.8 with
/// the modified Lentz algorithm (Lentz 1976; Thompson & Barnett 1986), using the symmetry
/// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly (x > (a+1)/(a+b+2)).
/// Relative accuracy ~1e-14. Throws ParameterError outside the domain.
double regularizedIncompleteBeta(double x, double a, double b);

/// Upper tail P(F > f) of the F distribution with (d1, d2) degrees of freedom (R `pf(f, d1, d2,
/// lower.tail = FALSE)`): I_{d2/(d2 + d1 f)}(d2/2, d1/2). f ≤ 0 gives 1.
double fUpperTail(double f, double d1, double d2);

/// Two-sided normal p-value 2 (1 − Φ(|z|)) = erfc(|z| / √2).
double normalTwoSidedP(double z);

/// The 0.975 quantile of the standard normal (R `qnorm(0.975)`), for 95% Wald intervals.
inline constexpr double kNormalQuantile975 = 1.959963984540054;

/// The Fisher discriminant ratio of classes of values.
/// Definition (ours, unweighted by class size): the unbiased variance of the class means over
/// the mean of the unbiased class variances,
///   FDR = [ 1/(K−1) Σ_k (μ_k − μ̄)² ] / [ 1/K Σ_k σ_k² ],   μ̄ = 1/K Σ_k μ_k,
/// which for K = 2 is the classical (μ1 − μ2)² / (σ1² + σ2²) (Fisher 1936; Duda, Hart & Stork,
/// Pattern Classification, 2nd ed., §3.8). Classes with fewer than two values are ignored.
struct FisherResult {
  double ratio = 0.0;  ///< NaN when not defined (see reason)
  std::size_t used_classes = 0;
  std::string reason;  ///< why ratio is NaN (fewer than 2 classes, zero within variance)
};
/// `classOf[i]` is the class index (0..classCount−1) of `values[i]`.
FisherResult fisherRatio(const std::vector<double>& values, const std::vector<std::size_t>& classOf,
                         std::size_t classCount);

/// One-way ANOVA with equal variances (R `oneway.test(y ~ g, var.equal = TRUE)`, the F test of
/// `anova(lm(y ~ g))`): F = [Σ n_g (ȳ_g − ȳ)² / (k−1)] / [Σ Σ (y − ȳ_g)² / (N−k)] over the k
/// groups with values, p = P(F_{k−1, N−k} > F).
struct AnovaResult {
  double f = 0.0;  ///< NaN when not defined (see reason)
  double p = 0.0;
  double df_between = 0.0;
  double df_within = 0.0;
  std::string reason;
};
AnovaResult oneWayAnova(const std::vector<double>& values, const std::vector<std::size_t>& groupOf,
                        std::size_t groupCount);

/// Two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) − F_b(x)| of the empirical CDFs
/// (R `ks.test(a, b)$statistic`); ties are handled by stepping over all equal values at once.
/// Empty input gives NaN.
double ksDistance(std::vector<double> a, std::vector<double> b);

/// Max and mean of the KS distance over every pair of groups with at least one value.
struct KsSummary {
  double max = 0.0;  ///< NaN when fewer than two groups have values
  double mean = 0.0;
  std::size_t pairs = 0;
};
KsSummary ksPairs(const std::vector<double>& values, const std::vector<std::size_t>& groupOf,
                  std::size_t groupCount);

}  // namespace harmonia::guard
