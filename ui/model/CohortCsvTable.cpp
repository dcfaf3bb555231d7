#include "ui/model/CohortCsvTable.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "core/features/FeatureTable.h"
#include "core/util/Error.h"

namespace harmonia {

std::optional<std::size_t> CohortCsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<double> parseTableNumber(const std::string& cell) {
  std::size_t begin = cell.find_first_not_of(" \t");
  if (begin == std::string::npos) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const std::size_t end = cell.find_last_not_of(" \t");
  const std::string s = cell.substr(begin, end - begin + 1);
  if (s == "NA" || s == "NaN" || s == "nan" || s == "NAN") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  char* stop = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &stop);
  if (stop != s.c_str() + s.size() || errno == ERANGE) {
    return std::nullopt;
  }
  return v;
}

bool CohortCsvTable::isNumeric(std::size_t col) const {
  bool any = false;
  for (const auto& row : rows) {
    const auto v = parseTableNumber(row[col]);
    if (!v) {
      return false;
    }
    any = any || std::isfinite(*v);
  }
  return any;
}

std::vector<double> CohortCsvTable::numbers(std::size_t col) const {
  std::vector<double> out;
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto v = parseTableNumber(rows[r][col]);
    if (!v) {
      throw InputError(source, "column '" + header[col] + "', row " + std::to_string(r + 1) +
                                   ": '" + rows[r][col] + "' is not a number");
    }
    out.push_back(*v);
  }
  return out;
}

std::vector<std::string> CohortCsvTable::cells(std::size_t col) const {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back(row[col]);
  }
  return out;
}

CohortCsvTable readCohortCsvTable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(path, "cannot open the table");
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto lines = features::parseCsv(text.str(), path);
  if (lines.empty()) {
    throw InputError(path, "the table is empty");
  }
  CohortCsvTable t;
  t.source = path;
  t.header = std::move(lines.front());
  std::set<std::string> seen;
  for (const auto& name : t.header) {
    if (name.empty()) {
      throw InputError(path, "a column has no name");
    }
    if (!seen.insert(name).second) {
      throw InputError(path, "column '" + name + "' appears twice");
    }
  }
  for (std::size_t r = 1; r < lines.size(); ++r) {
    if (lines[r].size() != t.header.size()) {
      throw InputError(path, "row " + std::to_string(r) + " has " +
                                 std::to_string(lines[r].size()) + " cells, the header " +
                                 std::to_string(t.header.size()));
    }
    t.rows.push_back(std::move(lines[r]));
  }
  if (t.rows.empty()) {
    throw InputError(path, "the table has a header but no rows");
  }
  return t;
}

}  // namespace harmonia
