#pragma once
// A cohort table read for the Features workspace: one row per scan, one column per feature,
// plus site, covariate and label columns (the output of `harmonia-cli features --manifest`).
// Text cells as read (features::parseCsv); which columns are numbers is decided here.
//
// Provisional: the CLI's cohort-table reader (core/combat) will replace this.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace harmonia {

/// A CSV table of text cells with a header.
struct CohortCsvTable {
  std::string source;                          ///< file name, for messages
  std::vector<std::string> header;             ///< column names
  std::vector<std::vector<std::string>> rows;  ///< one per scan, header.size() cells each

  /// Index of a column, or nullopt.
  [[nodiscard]] std::optional<std::size_t> column(const std::string& name) const;
  /// True when every non-empty cell of the column is a number and at least one is.
  [[nodiscard]] bool isNumeric(std::size_t column) const;
  /// The column's cells as numbers; empty cells and "NA"/"NaN" are NaN. Throws InputError
  /// naming the column, the row (1-based, header excluded) and the cell for any other text.
  [[nodiscard]] std::vector<double> numbers(std::size_t column) const;
  /// The column's cells as text.
  [[nodiscard]] std::vector<std::string> cells(std::size_t column) const;
};

/// Parses a number as written in tables ("" / "NA" / "NaN" / "nan" → NaN); nullopt for text.
std::optional<double> parseTableNumber(const std::string& cell);

/// Reads a cohort table. Throws InputError naming the file when it cannot be read, is empty,
/// has duplicate or empty column names, or a row whose cell count differs from the header's.
CohortCsvTable readCohortCsvTable(const std::string& path);

}  // namespace harmonia
