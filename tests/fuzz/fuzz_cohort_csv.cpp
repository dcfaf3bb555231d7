// CSV: the RFC 4180 parser (core/io/Csv.cpp) and the cohort tables that
// `harmonia-cli combat` and the Features workspace read (feature tables
// written by `features --manifest`): header, rows, feature column choice,
// numbers.
#include "FuzzSupport.h"
#include "core/combat/CohortTable.h"
#include "core/io/Csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace harmonia;
  const std::string text(fuzz::asText(data, size));
  fuzz::expectCleanResult([&] { parseCsv(text, "fuzz.csv"); });
  const auto file = fuzz::scratchFile("fuzz.csv", text);
  fuzz::expectCleanResult([&] {
    const CohortTable table = readCohortTable(file);
    for (const auto& row : table.rows) {
      for (const auto& cell : row) parseCohortNumber(cell);
    }
    const auto columns = selectFeatureColumns(table, "", {});
    featureMatrix(table, columns);
  });
  return 0;
}
