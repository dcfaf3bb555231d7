#pragma once
// Helpers of the over-harmonization guard tests: the lme4 reference data of tests/data/combat
// (made by make_lme4_reference.R) as plain tables.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "core/io/Csv.h"

namespace harmonia::test {

/// tests/data/combat of this repository.
inline std::filesystem::path guardDataDir() {
  return std::filesystem::path(HARMONIA_TEST_DATA) / "combat";
}

/// A CSV without quoting: header names and rows of cells.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  [[nodiscard]] std::size_t column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) {
        return i;
      }
    }
    throw std::runtime_error("no column " + name);
  }
};

/// Reads a CSV with core/io/Csv's parser (one CSV parser for the whole tree;
/// a test-only copy named like IbsiTestSupport.h's splitter broke the
/// one-definition rule and misread the IBSI tables under AddressSanitizer).
inline CsvTable readCsv(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<std::vector<std::string>> rows = parseCsv(text.str(), file.string());
  CsvTable t;
  if (rows.empty()) return t;
  t.header = std::move(rows.front());
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() == 1 && rows[r][0].empty()) continue;  // blank line
    if (rows[r].size() != t.header.size()) {
      throw std::runtime_error("ragged line " + std::to_string(r + 1) + " in " + file.string());
    }
    t.rows.push_back(std::move(rows[r]));
  }
  return t;
}

inline double parseNumber(const std::string& s) {
  return s == "NA" ? std::numeric_limits<double>::quiet_NaN() : std::stod(s);
}

/// One data set of lme4_data.csv.
struct Lme4DataSet {
  std::vector<std::string> site;
  std::vector<std::string> label;  ///< as written (numbers for A, B; levels for C)
  std::vector<double> age;         ///< NaN for C
  std::vector<double> y;
};

inline Lme4DataSet readLme4Data(const std::string& dataset) {
  const auto t = readCsv(guardDataDir() / "lme4_data.csv");
  const auto cd = t.column("dataset");
  const auto cs = t.column("site");
  const auto cl = t.column("label");
  const auto ca = t.column("age");
  const auto cy = t.column("y");
  Lme4DataSet d;
  for (const auto& r : t.rows) {
    if (r[cd] != dataset) {
      continue;
    }
    d.site.push_back(r[cs]);
    d.label.push_back(r[cl]);
    d.age.push_back(parseNumber(r[ca]));
    d.y.push_back(parseNumber(r[cy]));
  }
  if (d.y.empty()) {
    throw std::runtime_error("no data set " + dataset);
  }
  return d;
}

/// lme4_reference.csv as (dataset, source, quantity, term) -> value.
using Lme4Reference =
    std::map<std::tuple<std::string, std::string, std::string, std::string>, double>;

inline Lme4Reference readLme4Reference() {
  const auto t = readCsv(guardDataDir() / "lme4_reference.csv");
  Lme4Reference ref;
  const auto cd = t.column("dataset");
  const auto cs = t.column("source");
  const auto cq = t.column("quantity");
  const auto ct = t.column("term");
  const auto cv = t.column("value");
  for (const auto& r : t.rows) {
    ref[{r[cd], r[cs], r[cq], r[ct]}] = parseNumber(r[cv]);
  }
  return ref;
}

inline double lookup(const Lme4Reference& ref, const std::string& dataset,
                     const std::string& source, const std::string& quantity,
                     const std::string& term) {
  const auto it = ref.find({dataset, source, quantity, term});
  if (it == ref.end()) {
    throw std::runtime_error("no reference " + dataset + "/" + source + "/" + quantity + "/" +
                             term);
  }
  return it->second;
}

/// Group indices of labels in sorted label order, and the sorted labels.
inline std::vector<std::size_t> groupIndices(const std::vector<std::string>& labels,
                                             std::vector<std::string>* levels = nullptr) {
  const std::set<std::string> s(labels.begin(), labels.end());
  const std::vector<std::string> sorted(s.begin(), s.end());
  std::vector<std::size_t> idx;
  for (const auto& l : labels) {
    idx.push_back(static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), l) -
                                           sorted.begin()));
  }
  if (levels) {
    *levels = sorted;
  }
  return idx;
}

/// |a − b| / |b|, or |a − b| when b = 0.
inline double relativeDifference(double a, double b) {
  return b == 0.0 ? std::abs(a - b) : std::abs(a - b) / std::abs(b);
}

}  // namespace harmonia::test
