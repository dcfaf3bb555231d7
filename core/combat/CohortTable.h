#pragma once
// A cohort table as ComBat reads and writes it: a CSV with a header row and one row per scan
// (the output of `harmonia-cli features --manifest`), holding feature columns, the site,
// covariate and label columns, and other columns (identifiers, paths, scanner metadata) that
// are copied through unchanged.
//
// Cells: RFC 4180 CSV read with parseCsv. In a numeric column an empty cell, "NA",
// "NaN", "nan" or "N/A" is missing (NaN); anything else must be a number (std::from_chars
// syntax, surrounding blanks allowed). Harmonized values are written as the shortest text that
// reads back to the same double (std::to_chars), and a missing value keeps its original cell.

#include <Eigen/Core>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace harmonia {

/// A cohort CSV: header and cells as read (rows × columns, every row the header's width).
struct CohortTable {
  std::filesystem::path source;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  [[nodiscard]] std::size_t rowCount() const { return rows.size(); }
  /// Index of a column, or nullopt.
  [[nodiscard]] std::optional<std::size_t> findColumn(const std::string& name) const;
  /// Index of a column; throws InputError naming the file and listing the columns when absent.
  /// `role` says what the column was asked for (e.g. "site").
  [[nodiscard]] std::size_t column(const std::string& name, const std::string& role) const;
  /// The cells of a column, in row order.
  [[nodiscard]] std::vector<std::string> strings(std::size_t column) const;
  /// The values of a numeric column (NaN for missing cells); throws InputError naming the file,
  /// row and column at the first cell that is not a number.
  [[nodiscard]] std::vector<double> numbers(std::size_t column) const;
  /// True when every non-missing cell of the column is a number (parseCohortNumber) and at
  /// least one cell is not missing; never throws.
  [[nodiscard]] bool isNumeric(std::size_t column) const;
};

/// Columns that `features --manifest` writes besides the features (paths and scanner metadata);
/// never picked as features by default.
const std::vector<std::string>& cohortMetadataColumns();

/// Reads a cohort CSV. Throws InputError naming the file for a missing or unreadable file, no
/// header, an empty or duplicate column name, no data row, or a row whose cell count differs
/// from the header's (naming the row).
CohortTable readCohortTable(const std::filesystem::path& file);

/// Parses a numeric cell: NaN for a missing cell, nullopt when it is not a number.
std::optional<double> parseCohortNumber(const std::string& cell);

/// The shortest text that reads back to `value` ("" when NaN).
std::string formatRoundTrip(double value);

/// Picks the feature columns. `spec` empty: every column that is not in `excluded` nor a
/// metadata column (cohortMetadataColumns) and whose non-missing cells are all numbers (at
/// least one); a column of mostly numbers with some other cells is refused, naming the first
/// such cell. Otherwise, when every comma-separated item of `spec` names a column, those
/// columns in the given order; else `spec` is an ECMAScript regular expression that must match
/// the whole column name, and the matching columns not in `excluded`, in table order. Throws
/// InputError naming the file when nothing is picked, a listed column is excluded, or (for an
/// explicit spec) a picked column holds a non-number; ParameterError for a bad expression.
std::vector<std::size_t> selectFeatureColumns(const CohortTable& table, const std::string& spec,
                                              const std::vector<std::string>& excluded);

/// The values of `columns` as features × rows (NaN for missing cells). Throws InputError naming
/// the file, row and column at the first non-number.
Eigen::MatrixXd featureMatrix(const CohortTable& table, const std::vector<std::size_t>& columns);

/// Writes `table` to `file` atomically (core/io/AtomicFile.h) with the cells of `columns`
/// replaced by `values` (features × rows, as featureMatrix): every other column, the column
/// order and the row order unchanged; a NaN value keeps the original cell.
void writeCohortTable(const CohortTable& table, const std::vector<std::size_t>& columns,
                      const Eigen::MatrixXd& values, const std::filesystem::path& file);

}  // namespace harmonia
