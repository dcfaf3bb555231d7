#include "core/combat/ComBatDesign.h"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <set>

#include "core/util/Error.h"

namespace harmonia::combat {

namespace {

Eigen::Index rankOf(const Eigen::MatrixXd& m) {
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(m);
  // Relative threshold of R's qr() (tol = 1e-07) on column-scaled problems.
  qr.setThreshold(1e-7);
  return qr.rank();
}

}  // namespace

CovariateCoding makeCoding(const ComBatCovariates& covariates, std::size_t sampleCount) {
  CovariateCoding coding;
  std::set<std::string> names;
  auto addName = [&](const std::string& name) {
    if (name.empty()) throw ParameterError("ComBat: a covariate has no name");
    if (!names.insert(name).second) {
      throw ParameterError("ComBat: covariate '" + name + "' is given twice");
    }
  };
  for (const auto& c : covariates.numeric) {
    addName(c.name);
    if (c.values.size() != sampleCount) {
      throw ParameterError("ComBat: covariate '" + c.name + "' has " +
                           std::to_string(c.values.size()) + " values for " +
                           std::to_string(sampleCount) + " samples");
    }
    coding.numeric_names.push_back(c.name);
    coding.column_names.push_back(c.name);
  }
  for (const auto& c : covariates.categorical) {
    addName(c.name);
    if (c.values.size() != sampleCount) {
      throw ParameterError("ComBat: covariate '" + c.name + "' has " +
                           std::to_string(c.values.size()) + " values for " +
                           std::to_string(sampleCount) + " samples");
    }
    CategoricalCoding cc;
    cc.name = c.name;
    const std::set<std::string> levels(c.values.begin(), c.values.end());
    cc.levels.assign(levels.begin(), levels.end());
    if (c.reference_level) {
      if (!levels.contains(*c.reference_level)) {
        throw ParameterError("ComBat: reference level '" + *c.reference_level + "' of covariate '" +
                             c.name + "' does not occur");
      }
      cc.reference_level = *c.reference_level;
    } else {
      cc.reference_level = cc.levels.front();
    }
    for (const auto& level : cc.levels) {
      if (level != cc.reference_level) coding.column_names.push_back(c.name + "=" + level);
    }
    coding.categorical.push_back(std::move(cc));
  }
  return coding;
}

Eigen::MatrixXd encodeCovariates(const CovariateCoding& coding, const ComBatCovariates& covariates,
                                 std::size_t sampleCount) {
  if (covariates.numeric.size() != coding.numeric_names.size() ||
      covariates.categorical.size() != coding.categorical.size()) {
    throw ParameterError("ComBat: the covariates do not match the model's (" +
                         std::to_string(coding.numeric_names.size()) + " numeric, " +
                         std::to_string(coding.categorical.size()) + " categorical expected)");
  }
  const auto n = static_cast<Eigen::Index>(sampleCount);
  Eigen::MatrixXd x(n, static_cast<Eigen::Index>(coding.columnCount()));
  Eigen::Index col = 0;
  for (std::size_t k = 0; k < coding.numeric_names.size(); ++k) {
    const auto& c = covariates.numeric[k];
    if (c.name != coding.numeric_names[k]) {
      throw ParameterError("ComBat: numeric covariate '" + c.name +
                           "' given where the model has '" + coding.numeric_names[k] + "'");
    }
    if (c.values.size() != sampleCount) {
      throw ParameterError("ComBat: covariate '" + c.name + "' has " +
                           std::to_string(c.values.size()) + " values for " +
                           std::to_string(sampleCount) + " samples");
    }
    for (Eigen::Index j = 0; j < n; ++j) {
      const double v = c.values[static_cast<std::size_t>(j)];
      if (!std::isfinite(v)) {
        throw InputError("ComBat: covariate '" + c.name + "' is missing or not finite for sample " +
                         std::to_string(j + 1));
      }
      x(j, col) = v;
    }
    ++col;
  }
  for (std::size_t k = 0; k < coding.categorical.size(); ++k) {
    const auto& cc = coding.categorical[k];
    const auto& c = covariates.categorical[k];
    if (c.name != cc.name) {
      throw ParameterError("ComBat: categorical covariate '" + c.name +
                           "' given where the model has '" + cc.name + "'");
    }
    if (c.values.size() != sampleCount) {
      throw ParameterError("ComBat: covariate '" + c.name + "' has " +
                           std::to_string(c.values.size()) + " values for " +
                           std::to_string(sampleCount) + " samples");
    }
    for (Eigen::Index j = 0; j < n; ++j) {
      const auto& v = c.values[static_cast<std::size_t>(j)];
      if (std::find(cc.levels.begin(), cc.levels.end(), v) == cc.levels.end()) {
        throw InputError("ComBat: covariate '" + c.name + "' has level '" + v + "' (sample " +
                         std::to_string(j + 1) + ") that the model does not know");
      }
    }
    for (const auto& level : cc.levels) {
      if (level == cc.reference_level) continue;
      for (Eigen::Index j = 0; j < n; ++j) {
        x(j, col) = c.values[static_cast<std::size_t>(j)] == level ? 1.0 : 0.0;
      }
      ++col;
    }
  }
  return x;
}

void checkDesignRank(const Eigen::MatrixXd& siteDesign, const Eigen::MatrixXd& covariateDesign,
                     const std::vector<std::string>& columnNames) {
  // neuroCombat_helpers.R .checkDesign refuses a rank-deficient design; we add the covariate
  // columns one by one to name the first one that adds no rank.
  const Eigen::Index n = siteDesign.rows();
  const Eigen::Index s = siteDesign.cols();
  Eigen::MatrixXd d(n, s + covariateDesign.cols());
  d.leftCols(s) = siteDesign;
  Eigen::Index rank = rankOf(siteDesign);
  for (Eigen::Index c = 0; c < covariateDesign.cols(); ++c) {
    d.col(s + c) = covariateDesign.col(c);
    const Eigen::Index r = rankOf(d.leftCols(s + c + 1));
    if (r > rank) {
      rank = r;
      continue;
    }
    const auto& name = columnNames[static_cast<std::size_t>(c)];
    Eigen::MatrixXd siteOnly(n, s + 1);
    siteOnly.leftCols(s) = siteDesign;
    siteOnly.col(s) = covariateDesign.col(c);
    if (rankOf(siteOnly) <= rankOf(siteDesign)) {
      throw ParameterError("ComBat: covariate '" + name +
                           "' is collinear with site (it is constant within every site); remove "
                           "it or harmonize without it");
    }
    throw ParameterError("ComBat: covariate '" + name +
                         "' is collinear with site and the covariates before it; remove it");
  }
  if (n <= d.cols()) {
    throw ParameterError("ComBat: " + std::to_string(n) + " samples are too few for " +
                         std::to_string(d.cols()) + " site and covariate columns");
  }
}

}  // namespace harmonia::combat
