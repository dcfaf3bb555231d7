#pragma once
// Shared by `combat` and `harmonization-report`: column lists, covariates read from a cohort
// table, and the check that an output never replaces an input.

#include <filesystem>
#include <string>
#include <vector>

#include "app/cli/Json.h"
#include "core/combat/CohortTable.h"
#include "core/combat/ComBat.h"

namespace harmonia::cli {

/// "a,b,c" → {"a","b","c"} (blanks trimmed, empty items dropped).
std::vector<std::string> splitNames(const std::string& list);

/// The site labels of a table: every cell of `column` must be non-empty (InputError naming the
/// file and row otherwise).
std::vector<std::string> siteLabels(const CohortTable& table, std::size_t column);

/// The names of --covariates and --categorical, covariates first, without repeats.
std::vector<std::string> covariateNames(const std::vector<std::string>& covariates,
                                        const std::vector<std::string>& categorical);

/// Covariates from table columns: the `categorical` names as categorical covariates (no empty
/// cell), every other name as numeric (every cell a number). Rows restricted to `rows` when
/// not empty. Throws InputError naming the file, row and column.
ComBatCovariates tableCovariates(const CohortTable& table, const std::vector<std::string>& names,
                                 const std::vector<std::string>& categorical,
                                 const std::vector<std::size_t>& rows = {});

/// Throws UsageError when `output` is the same file as one of `inputs`.
void refuseOverwritingInputs(const std::filesystem::path& output,
                             const std::vector<std::filesystem::path>& inputs);

/// A list of strings as a JSON array.
Json jsonStrings(const std::vector<std::string>& items);

}  // namespace harmonia::cli
