#pragma once
// Cohort feature tables for the Features workspace tests: a made-up cohort whose disease
// label is confounded with site (4 sites × 30 scans, 10 features, the first 5 carrying a
// disease effect), and the neuroCombat test data (../shared/data/combat/testdata.csv)
// transposed into a cohort table. Values are written with 17 significant digits so the
// table reads back to exactly the doubles generated here.

#include <Eigen/Core>
#include <QApplication>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ui/jobs/JobRunner.h"

namespace harmonia::test {

/// A cohort as the tests know it.
struct TestCohort {
  Eigen::MatrixXd data;  ///< features × scans
  std::vector<std::string> feature_names;
  std::vector<std::string> sites;
  std::vector<std::string> disease;
  std::vector<double> age;
};

inline std::string exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// Writes `c` as a cohort CSV: scan,site,disease,age,<features...>.
inline void writeCohortCsv(const TestCohort& c, const std::filesystem::path& file) {
  std::ofstream out(file);
  out << "scan,site,disease,age";
  for (const auto& f : c.feature_names) out << "," << f;
  out << "\n";
  for (std::size_t j = 0; j < c.sites.size(); ++j) {
    out << "scan" << j << "," << c.sites[j] << "," << c.disease[j] << "," << exact(c.age[j]);
    for (Eigen::Index f = 0; f < c.data.rows(); ++f) {
      out << "," << exact(c.data(f, static_cast<Eigen::Index>(j)));
    }
    out << "\n";
  }
}

/// The confounded cohort: site shares of patients 0.9, 0.73, 0.27, 0.1; site shifts and scales.
inline TestCohort makeConfoundedCohort() {
  TestCohort c;
  const int perSite = 30;
  const int patients[4] = {27, 22, 8, 3};
  const double shift[4] = {1.0, -1.0, -1.0, 1.0};
  const double scale[4] = {1.0, 1.3, 0.8, 1.5};
  const int features = 10;
  std::mt19937 rng(20261203);
  // Box–Muller from mt19937 (whose output the standard fixes): the same on every library.
  const auto normal = [&rng] {
    const double u1 = (static_cast<double>(rng()) + 1.0) / 4294967297.0;
    const double u2 = static_cast<double>(rng()) / 4294967296.0;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.141592653589793 * u2);
  };
  const int n = 4 * perSite;
  c.data.resize(features, n);
  for (int f = 0; f < features; ++f) c.feature_names.push_back("feat_" + std::to_string(f));
  for (int j = 0; j < n; ++j) {
    const int s = j / perSite;
    c.sites.push_back(std::string("site") + static_cast<char>('A' + s));
    c.disease.push_back(j % perSite < patients[s] ? "patient" : "control");
    c.age.push_back(45.0 + (j * 7 % 31));
  }
  for (int f = 0; f < features; ++f) {
    for (int j = 0; j < n; ++j) {
      const int s = j / perSite;
      const double effect = f < 5 ? 1.5 + 0.1 * f : 0.0;
      c.data(f, j) = 20.0 + 2.0 * f +
                     (c.disease[static_cast<std::size_t>(j)] == "patient" ? effect : 0.0) +
                     0.02 * c.age[static_cast<std::size_t>(j)] + shift[s] * (1.0 + 0.1 * f) +
                     scale[s] * normal();
    }
  }
  return c;
}

/// The neuroCombat test data (features × samples in the file) as a cohort, or an empty
/// cohort when the shared data is absent. batch = 1,1,1,1,1,2,2,2,2,2 (sites "1", "2");
/// pheno ("disease" here) = 1 for samples 1,3,5,7,9, else 2; age = the sample number.
inline TestCohort readNeuroCombatCohort() {
  TestCohort c;
  std::ifstream in(std::filesystem::path(HARMONIA_SHARED_DATA) / "combat" / "testdata.csv");
  if (!in) return c;
  std::string line;
  std::getline(in, line);  // V1..V10
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) row.push_back(std::stod(cell));
    rows.push_back(row);
  }
  const auto samples = static_cast<Eigen::Index>(rows.front().size());
  c.data.resize(static_cast<Eigen::Index>(rows.size()), samples);
  for (std::size_t f = 0; f < rows.size(); ++f) {
    c.feature_names.push_back("f" + std::to_string(f + 1));
    for (Eigen::Index j = 0; j < samples; ++j) {
      c.data(static_cast<Eigen::Index>(f), j) = rows[f][static_cast<std::size_t>(j)];
    }
  }
  for (Eigen::Index j = 0; j < samples; ++j) {
    c.sites.push_back(j < 5 ? "1" : "2");
    c.disease.push_back(j % 2 == 0 ? "1" : "2");
    c.age.push_back(static_cast<double>(j + 1));
  }
  return c;
}

/// Waits for the runner's jobs and delivers their results.
inline bool finishCohortJobs(JobRunner& runner, int timeoutMs = 120000) {
  const bool ok = runner.waitForAll(timeoutMs);
  QApplication::processEvents();
  QApplication::processEvents();
  return ok;
}

/// Per-site quartiles computed here, independently of the session: the sorted values and
/// R's type-7 quantile (linear interpolation between the order statistics at (n − 1) q).
inline double quantile7(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1.0) * q;
  const double lo = std::floor(h);
  const auto i = static_cast<std::size_t>(lo);
  return i + 1 < v.size() ? v[i] + (h - lo) * (v[i + 1] - v[i]) : v[i];
}

}  // namespace harmonia::test
