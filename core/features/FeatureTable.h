#pragma once
// Feature tables as CSV (core/io/Csv.h): one extraction (one row per feature)
// and a cohort (one row per scan, one column per feature tag). Numbers are written with 12
// significant digits. An undefined feature (NaN with a reason, see FeatureSet.h) is an EMPTY cell,
// which pandas, R and spreadsheets read as missing; the reason is in the CLI's --json output.

#include <string>
#include <utility>
#include <vector>

#include "core/features/FeatureSet.h"
#include "core/io/Csv.h"

namespace harmonia::features {

/// The header of a single-extraction table.
inline constexpr const char* kFeatureCsvHeader = "tag,family,aggregation,value";

/// A feature value as written in tables: 12 significant digits, "" when not finite.
std::string formatFeatureValue(double value);

/// One extraction as CSV: the header kFeatureCsvHeader, then one row per
/// feature in the set's order (diagnostics included); undefined values empty.
std::string featureSetCsv(const FeatureSet& features);

/// One scan of a cohort table.
struct CohortRow {
  /// Leading columns (name, cell): the manifest's copied columns, then
  /// metadata such as the scanner model. Missing names give empty cells.
  std::vector<std::pair<std::string, std::string>> leading;
  FeatureSet features;
};

/// A cohort table as CSV: the leading columns (in order of first appearance
/// over the rows), then one column per feature tag (in order of first
/// appearance, so every row has the same columns); a feature that a scan
/// lacks or has undefined is an empty cell. A leading column whose name is
/// also a feature tag keeps the leading value and the tag's column is left out.
std::string cohortCsv(const std::vector<CohortRow>& rows);

}  // namespace harmonia::features
