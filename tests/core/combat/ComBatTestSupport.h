#pragma once
// Helpers of the ComBat tests: the neuroCombat test table and a small synthetic cohort.

#include <Eigen/Core>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/combat/ComBat.h"

namespace harmonia::test {

/// Reads a numeric CSV with a header line (neuroCombat's write.csv output); "NA" is NaN.
/// Returns rows x columns as in the file; throws std::runtime_error when unreadable.
inline Eigen::MatrixXd readNumericCsv(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ','))
      row.push_back(cell == "NA" ? std::numeric_limits<double>::quiet_NaN() : std::stod(cell));
    rows.push_back(std::move(row));
  }
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()),
                    rows.empty() ? 0 : static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != static_cast<std::size_t>(m.cols()))
      throw std::runtime_error("ragged CSV " + file.string());
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r][c];
  }
  return m;
}

/// Sites of the neuroCombat test table: batch = 1,1,1,1,1,2,2,2,2,2.
inline std::vector<std::string> referenceSites() {
  return {"1", "1", "1", "1", "1", "2", "2", "2", "2", "2"};
}

/// The covariate ~pheno of the neuroCombat tests: 1 for samples 1,3,5,7,9, else 0.
inline ComBatCovariates referencePheno(const std::vector<std::size_t>& columns = {}) {
  std::vector<double> pheno{1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
  NumericCovariate c{"pheno", {}};
  if (columns.empty()) {
    c.values = pheno;
  } else {
    for (const auto j : columns) c.values.push_back(pheno[j]);
  }
  ComBatCovariates cov;
  cov.numeric.push_back(c);
  return cov;
}

/// Largest |a − b| treating NaN == NaN as equal and NaN vs number as infinite.
inline double maxAbsDiff(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return std::numeric_limits<double>::infinity();
  double m = 0.0;
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double x = a.data()[i];
    const double y = b.data()[i];
    if (std::isnan(x) && std::isnan(y)) continue;
    if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<double>::infinity();
    m = std::max(m, std::abs(x - y));
  }
  return m;
}

/// True when both matrices hold the same bits (NaN equal to NaN).
inline bool bitIdentical(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double x = a.data()[i];
    const double y = b.data()[i];
    if (std::isnan(x) && std::isnan(y)) continue;
    if (x != y) return false;
  }
  return true;
}

/// A synthetic cohort: `features` x (sites x perSite) samples with site shifts and scales,
/// a numeric age and a categorical sex. Deterministic.
struct Cohort {
  Eigen::MatrixXd data;
  std::vector<std::string> sites;
  ComBatCovariates covariates;
};

inline Cohort makeCohort(int features, int sites, int perSite, unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  Cohort c;
  const int n = sites * perSite;
  c.data.resize(features, n);
  NumericCovariate age{"age", {}};
  CategoricalCovariate sex{"sex", {}, std::nullopt};
  for (int j = 0; j < n; ++j) {
    const int s = j / perSite;
    c.sites.push_back("site" + std::string(1, static_cast<char>('A' + s)));
    age.values.push_back(40.0 + (j * 7 % 23));
    sex.values.push_back(j % 3 == 0 ? "F" : "M");
  }
  for (int f = 0; f < features; ++f)
    for (int j = 0; j < n; ++j) {
      const int s = j / perSite;
      c.data(f, j) = 10.0 + f + 0.05 * age.values[static_cast<std::size_t>(j)] +
                     (sex.values[static_cast<std::size_t>(j)] == "F" ? 0.7 : 0.0) + 0.8 * s +
                     (1.0 + 0.3 * s) * noise(rng);
    }
  c.covariates.numeric.push_back(age);
  c.covariates.categorical.push_back(sex);
  return c;
}

}  // namespace harmonia::test
