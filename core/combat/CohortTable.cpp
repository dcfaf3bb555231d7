#include "core/combat/CohortTable.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#include "core/io/AtomicFile.h"
#include "core/io/Csv.h"
#include "core/io/TextFile.h"
#include "core/util/Error.h"

namespace harmonia {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) {
    return {};
  }
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// The first columns of a table, for messages: a feature table has hundreds of
// columns, with the site and covariates (copied from the manifest) first.
std::string columnList(const std::vector<std::string>& header) {
  constexpr std::size_t kShown = 12;
  std::string s;
  for (std::size_t i = 0; i < header.size() && i < kShown; ++i) {
    if (!s.empty()) {
      s += ", ";
    }
    s += header[i];
  }
  if (header.size() > kShown) {
    s += ", ... and " + std::to_string(header.size() - kShown) + " more";
  }
  return s;
}

std::vector<std::string> splitList(const std::string& spec) {
  std::vector<std::string> items;
  std::stringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    items.push_back(trim(item));
  }
  return items;
}

// Row numbers in messages count data rows from 1 (the header is row 0).
[[noreturn]] void notANumber(const CohortTable& t, std::size_t row, std::size_t column) {
  throw InputError(t.source, "row " + std::to_string(row + 1) + ", column '" + t.header[column] +
                                 "': '" + t.rows[row][column] + "' is not a number");
}

// True when the column's non-missing cells are all numbers (at least one). A column that is
// mostly numbers with a few other cells is a feature column with bad cells: refused, naming
// the first, rather than silently copied through unharmonized.
bool isNumericColumn(const CohortTable& t, std::size_t c) {
  std::size_t numbers = 0;
  std::size_t others = 0;
  std::size_t firstOther = 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto v = parseCohortNumber(t.rows[r][c]);
    if (!v) {
      if (others++ == 0) {
        firstOther = r;
      }
    } else if (!std::isnan(*v)) {
      ++numbers;
    }
  }
  if (others > 0 && numbers > others) {
    throw InputError(t.source, "row " + std::to_string(firstOther + 1) + ", column '" +
                                   t.header[c] + "': '" + t.rows[firstOther][c] +
                                   "' is not a number, in a column of numbers (fix the cell, or "
                                   "pick the feature columns with --features)");
  }
  return others == 0 && numbers > 0;
}

}  // namespace

std::optional<std::size_t> CohortTable::findColumn(const std::string& name) const {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(it - header.begin());
}

std::size_t CohortTable::column(const std::string& name, const std::string& role) const {
  const auto c = findColumn(name);
  if (!c) {
    throw InputError(source, "no " + role + " column '" + name +
                                 "' (the columns are: " + columnList(header) + ")");
  }
  return *c;
}

std::vector<std::string> CohortTable::strings(std::size_t column) const {
  std::vector<std::string> v;
  v.reserve(rows.size());
  for (const auto& row : rows) {
    v.push_back(row[column]);
  }
  return v;
}

std::vector<double> CohortTable::numbers(std::size_t column) const {
  std::vector<double> v;
  v.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto x = parseCohortNumber(rows[r][column]);
    if (!x) {
      notANumber(*this, r, column);
    }
    v.push_back(*x);
  }
  return v;
}

bool CohortTable::isNumeric(std::size_t column) const {
  bool any = false;
  for (const auto& row : rows) {
    const auto x = parseCohortNumber(row[column]);
    if (!x) {
      return false;
    }
    any = any || !std::isnan(*x);
  }
  return any;
}

const std::vector<std::string>& cohortMetadataColumns() {
  // FeatureManifest.cpp: the manifest's path columns and the DICOM metadata it adds.
  static const std::vector<std::string> names = {
      "image",           "mask",  "roi",    "series",
      "manufacturer",    "model", "kernel", "slice_thickness_mm",
      "pixel_spacing_mm"};
  return names;
}

CohortTable readCohortTable(const std::filesystem::path& file) {
  const std::string text = readTextFile(file, "CSV table");
  if (text.find('\0') != std::string::npos) {
    throw InputError(file, "not a CSV table (binary content)");
  }
  auto cells = parseCsv(text, file.string());
  if (cells.empty()) {
    throw InputError(file, "the table is empty (expected a header row)");
  }
  CohortTable t;
  t.source = file;
  for (const auto& name : cells.front()) {
    t.header.push_back(trim(name));
  }
  std::set<std::string> seen;
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    if (t.header[c].empty()) {
      throw InputError(file, "column " + std::to_string(c + 1) + " has no name in the header");
    }
    if (!seen.insert(t.header[c]).second) {
      throw InputError(file, "the header names column '" + t.header[c] + "' twice");
    }
  }
  for (std::size_t r = 1; r < cells.size(); ++r) {
    if (cells[r].size() != t.header.size()) {
      throw InputError(file, "row " + std::to_string(r) + " has " +
                                 std::to_string(cells[r].size()) + " cells, the header " +
                                 std::to_string(t.header.size()));
    }
    t.rows.push_back(std::move(cells[r]));
  }
  if (t.rows.empty()) {
    throw InputError(file, "the table has a header but no rows");
  }
  return t;
}

std::optional<double> parseCohortNumber(const std::string& cell) {
  const std::string s = trim(cell);
  if (s.empty() || s == "NA" || s == "NaN" || s == "nan" || s == "N/A") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const char* begin = s.data();
  if (*begin == '+') {
    ++begin;  // from_chars does not take a leading '+'
  }
  double v = 0.0;
  const auto [end, err] = std::from_chars(begin, s.data() + s.size(), v);
  if (err != std::errc() || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

std::string formatRoundTrip(double value) {
  if (std::isnan(value)) {
    return {};
  }
  char buf[64];
  const auto [end, err] = std::to_chars(buf, buf + sizeof buf, value);
  return err == std::errc() ? std::string(buf, end) : std::string();
}

std::vector<std::size_t> selectFeatureColumns(const CohortTable& table, const std::string& spec,
                                              const std::vector<std::string>& excluded) {
  const auto isExcluded = [&](const std::string& name) {
    return std::find(excluded.begin(), excluded.end(), name) != excluded.end();
  };
  std::vector<std::size_t> picked;
  if (trim(spec).empty()) {
    const auto& meta = cohortMetadataColumns();
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      const auto& name = table.header[c];
      if (isExcluded(name) || std::find(meta.begin(), meta.end(), name) != meta.end()) {
        continue;
      }
      if (isNumericColumn(table, c)) {
        picked.push_back(c);
      }
    }
    if (picked.empty()) {
      throw InputError(table.source,
                       "no numeric feature column besides the named ones (the "
                       "columns are: " +
                           columnList(table.header) + ")");
    }
    return picked;
  }
  const auto items = splitList(spec);
  const bool isList = std::all_of(items.begin(), items.end(), [&](const std::string& item) {
    return table.findColumn(item).has_value();
  });
  if (isList) {
    for (const auto& item : items) {
      if (isExcluded(item)) {
        throw InputError(table.source, "column '" + item +
                                           "' is the site, a covariate, the label or the "
                                           "--fit-where column, not a feature");
      }
      picked.push_back(*table.findColumn(item));
    }
  } else {
    std::regex re;
    try {
      re = std::regex(spec, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw ParameterError("--features '" + spec +
                           "' names no column and is not a valid regular expression (" + e.what() +
                           ")");
    }
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      if (!isExcluded(table.header[c]) && std::regex_match(table.header[c], re)) {
        picked.push_back(c);
      }
    }
    if (picked.empty()) {
      throw InputError(table.source, "--features '" + spec +
                                         "' matches no column (as a list, every name must be a "
                                         "column; as a regular expression, a whole name)");
    }
  }
  for (const auto c : picked) {
    (void)table.numbers(c);  // names the first non-number
  }
  return picked;
}

Eigen::MatrixXd featureMatrix(const CohortTable& table, const std::vector<std::size_t>& columns) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(columns.size()),
                    static_cast<Eigen::Index>(table.rowCount()));
  for (std::size_t f = 0; f < columns.size(); ++f) {
    for (std::size_t r = 0; r < table.rowCount(); ++r) {
      const auto v = parseCohortNumber(table.rows[r][columns[f]]);
      if (!v) {
        notANumber(table, r, columns[f]);
      }
      m(static_cast<Eigen::Index>(f), static_cast<Eigen::Index>(r)) = *v;
    }
  }
  return m;
}

void writeCohortTable(const CohortTable& table, const std::vector<std::size_t>& columns,
                      const Eigen::MatrixXd& values, const std::filesystem::path& file) {
  if (values.rows() != static_cast<Eigen::Index>(columns.size()) ||
      values.cols() != static_cast<Eigen::Index>(table.rowCount())) {
    throw ParameterError("writeCohortTable: values do not match the columns and rows");
  }
  std::vector<int> featureIndex(table.header.size(), -1);
  for (std::size_t f = 0; f < columns.size(); ++f) {
    featureIndex[columns[f]] = static_cast<int>(f);
  }
  std::string out;
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    if (c) {
      out += ',';
    }
    out += csvCell(table.header[c]);
  }
  out += '\n';
  for (std::size_t r = 0; r < table.rowCount(); ++r) {
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      if (c) {
        out += ',';
      }
      const int f = featureIndex[c];
      const double v = f < 0 ? 0.0 : values(f, static_cast<Eigen::Index>(r));
      out += (f < 0 || std::isnan(v)) ? csvCell(table.rows[r][c]) : formatRoundTrip(v);
    }
    out += '\n';
  }
  writeAtomically(file, [&](const std::filesystem::path& tmp) {
    std::ofstream stream(tmp, std::ios::binary);
    stream << out;
    stream.close();
    if (!stream) {
      throw InputError(file, "could not write the file (disk full or not writable?)");
    }
  });
}

}  // namespace harmonia
