#include "core/combat/GuardStatistics.h"

#include <math.h>  // lgamma_r (POSIX)
#include <algorithm>
#include <cmath>

#include "core/util/Error.h"
#include "core/util/Numeric.h"

namespace harmonia::guard {
namespace {

// The continued fraction of I_x(a, b) without its prefactor (Abramowitz & Stegun 26.5.8):
//   1 / (1 + d1 / (1 + d2 / (1 + ...))),
//   d_{2m+1} = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),   d_{2m} = m(b−m) x / ((a+2m−1)(a+2m)).
// Evaluated front to back by the modified Lentz method: the value is the running product of
// C_j D_j, where C and D are the ratios of successive numerators and denominators, with
// zeros replaced by a tiny number; it stops when a factor is 1 to machine precision.
double betaContinuedFraction(double x, double a, double b) {
  constexpr double tiny = 1e-300;
  constexpr double eps = 1e-16;
  constexpr int maxTerms = 20000;
  // Term 1 (numerator 1, denominator 1) starts the product at f = 1.
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);  // denominator after d1
  if (std::abs(d) < tiny) {
    d = tiny;
  }
  d = 1.0 / d;
  double f = d;
  for (int m = 1; m <= maxTerms; ++m) {
    const double dm = static_cast<double>(m);
    // Even term d_{2m}.
    const double even = dm * (b - dm) * x / ((a + 2.0 * dm - 1.0) * (a + 2.0 * dm));
    d = 1.0 + even * d;
    if (std::abs(d) < tiny) {
      d = tiny;
    }
    c = 1.0 + even / c;
    if (std::abs(c) < tiny) {
      c = tiny;
    }
    d = 1.0 / d;
    f *= d * c;
    // Odd term d_{2m+1}.
    const double odd = -(a + dm) * (a + b + dm) * x / ((a + 2.0 * dm) * (a + 2.0 * dm + 1.0));
    d = 1.0 + odd * d;
    if (std::abs(d) < tiny) {
      d = tiny;
    }
    c = 1.0 + odd / c;
    if (std::abs(c) < tiny) {
      c = tiny;
    }
    d = 1.0 / d;
    const double delta = d * c;
    f *= delta;
    if (std::abs(delta - 1.0) < eps) {
      return f;
    }
  }
  return f;  // not reached for the parameters of a guard (a, b < 1e6); best estimate
}

// log Γ(x) for x > 0. Not std::lgamma: C and POSIX have it store the sign of
// Γ(x) in the global `signgam`, so two threads computing a guard at once (a
// harmonization run superseding another) raced on it (ThreadSanitizer, in
// HarmonizationSessionTest.ANewRunSupersedesTheRunningOne). lgamma_r returns
// the sign through its argument instead.
double logGamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

// log of x^a (1−x)^b / (a B(a, b)).
double logPrefactor(double x, double a, double b) {
  return a * std::log(x) + b * std::log1p(-x) - std::log(a) -
         (logGamma(a) + logGamma(b) - logGamma(a + b));
}

double meanOf(const std::vector<double>& v) {
  double s = 0.0;
  for (const double x : v) {
    s += x;
  }
  return s / static_cast<double>(v.size());
}

}  // namespace

double regularizedIncompleteBeta(double x, double a, double b) {
  if (!(a > 0.0) || !(b > 0.0) || !std::isfinite(a) || !std::isfinite(b)) {
    throw ParameterError("incomplete beta: a and b must be positive and finite");
  }
  if (!(x >= 0.0 && x <= 1.0)) {
    throw ParameterError("incomplete beta: x must be in [0, 1]");
  }
  if (x == 0.0) {
    return 0.0;
  }
  if (x == 1.0) {
    return 1.0;
  }
  // The fraction converges fast for x < (a+1)/(a+b+2); beyond, use I_x(a,b) = 1 − I_{1−x}(b,a).
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return std::exp(logPrefactor(x, a, b)) * betaContinuedFraction(x, a, b);
  }
  return 1.0 - std::exp(logPrefactor(1.0 - x, b, a)) * betaContinuedFraction(1.0 - x, b, a);
}

double fUpperTail(double f, double d1, double d2) {
  if (!(d1 > 0.0) || !(d2 > 0.0)) {
    throw ParameterError("F distribution: degrees of freedom <= 0");
  }
  if (std::isnan(f)) {
    return kNaN;
  }
  if (f <= 0.0) {
    return 1.0;
  }
  if (std::isinf(f)) {
    return 0.0;
  }
  return regularizedIncompleteBeta(d2 / (d2 + d1 * f), d2 / 2.0, d1 / 2.0);
}

double normalTwoSidedP(double z) { return std::erfc(std::abs(z) / std::sqrt(2.0)); }

FisherResult fisherRatio(const std::vector<double>& values, const std::vector<std::size_t>& classOf,
                         std::size_t classCount) {
  if (values.size() != classOf.size()) {
    throw ParameterError("Fisher ratio: size mismatch");
  }
  std::vector<std::vector<double>> classes(classCount);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (classOf[i] >= classCount) {
      throw ParameterError("Fisher ratio: class index out of range");
    }
    classes[classOf[i]].push_back(values[i]);
  }
  std::vector<double> means;
  std::vector<double> variances;
  for (const auto& c : classes) {
    if (c.size() < 2) {
      continue;
    }
    const double m = meanOf(c);
    double ss = 0.0;
    for (const double x : c) {
      ss += (x - m) * (x - m);
    }
    means.push_back(m);
    variances.push_back(ss / static_cast<double>(c.size() - 1));
  }
  FisherResult r;
  r.used_classes = means.size();
  if (means.size() < 2) {
    r.ratio = kNaN;
    r.reason = "fewer than 2 label classes with 2 or more values";
    return r;
  }
  const double grand = meanOf(means);
  double between = 0.0;
  for (const double m : means) {
    between += (m - grand) * (m - grand);
  }
  between /= static_cast<double>(means.size() - 1);
  const double within = meanOf(variances);
  if (!(within > 0.0)) {
    r.ratio = kNaN;
    r.reason = "no variation within the label classes";
    return r;
  }
  r.ratio = between / within;
  return r;
}

AnovaResult oneWayAnova(const std::vector<double>& values, const std::vector<std::size_t>& groupOf,
                        std::size_t groupCount) {
  if (values.size() != groupOf.size()) {
    throw ParameterError("ANOVA: size mismatch");
  }
  std::vector<double> sums(groupCount, 0.0);
  std::vector<std::size_t> counts(groupCount, 0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (groupOf[i] >= groupCount) {
      throw ParameterError("ANOVA: group index out of range");
    }
    sums[groupOf[i]] += values[i];
    ++counts[groupOf[i]];
  }
  AnovaResult r;
  std::size_t k = 0;
  std::vector<double> means(groupCount, 0.0);
  for (std::size_t g = 0; g < groupCount; ++g) {
    if (counts[g] == 0) {
      continue;
    }
    ++k;
    means[g] = sums[g] / static_cast<double>(counts[g]);
  }
  const std::size_t n = values.size();
  if (k < 2 || n <= k) {
    r.f = r.p = kNaN;
    r.reason = k < 2 ? "fewer than 2 sites with values" : "no more values than sites";
    return r;
  }
  const double grand = meanOf(values);
  double ssBetween = 0.0;
  for (std::size_t g = 0; g < groupCount; ++g) {
    if (counts[g] > 0) {
      ssBetween += static_cast<double>(counts[g]) * (means[g] - grand) * (means[g] - grand);
    }
  }
  double ssWithin = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double e = values[i] - means[groupOf[i]];
    ssWithin += e * e;
  }
  r.df_between = static_cast<double>(k - 1);
  r.df_within = static_cast<double>(n - k);
  if (!(ssWithin > 0.0)) {
    r.f = r.p = kNaN;
    r.reason = "no variation within the sites";
    return r;
  }
  r.f = (ssBetween / r.df_between) / (ssWithin / r.df_within);
  r.p = fUpperTail(r.f, r.df_between, r.df_within);
  return r;
}

double ksDistance(std::vector<double> a, std::vector<double> b) {
  if (a.empty() || b.empty()) {
    return kNaN;
  }
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double na = static_cast<double>(a.size());
  const double nb = static_cast<double>(b.size());
  std::size_t i = 0;
  std::size_t j = 0;
  double d = 0.0;
  // Walk the pooled sorted values; at each distinct value step over all its copies in both
  // samples, then compare the two empirical CDFs there. Once one sample is exhausted the
  // difference can only shrink, so the walk stops.
  while (i < a.size() && j < b.size()) {
    const double v = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == v) {
      ++i;
    }
    while (j < b.size() && b[j] == v) {
      ++j;
    }
    d = std::max(d, std::abs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
  }
  return d;
}

KsSummary ksPairs(const std::vector<double>& values, const std::vector<std::size_t>& groupOf,
                  std::size_t groupCount) {
  if (values.size() != groupOf.size()) {
    throw ParameterError("KS: size mismatch");
  }
  std::vector<std::vector<double>> groups(groupCount);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (groupOf[i] >= groupCount) {
      throw ParameterError("KS: group index out of range");
    }
    groups[groupOf[i]].push_back(values[i]);
  }
  KsSummary s;
  double sum = 0.0;
  for (std::size_t g = 0; g < groupCount; ++g) {
    for (std::size_t h = g + 1; h < groupCount; ++h) {
      if (groups[g].empty() || groups[h].empty()) {
        continue;
      }
      const double d = ksDistance(groups[g], groups[h]);
      s.max = std::max(s.max, d);
      sum += d;
      ++s.pairs;
    }
  }
  if (s.pairs == 0) {
    s.max = s.mean = kNaN;
  } else {
    s.mean = sum / static_cast<double>(s.pairs);
  }
  return s;
}

}  // namespace harmonia::guard
