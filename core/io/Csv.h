#pragma once
// CSV cells and tables (RFC 4180): comma-separated, a cell holding a comma, a
// double quote or a line break is quoted and its quotes doubled; lines end in
// "\n". Shared by the feature tables, the cohort tables and the reports.

#include <string>
#include <vector>

namespace harmonia {

/// A cell quoted when it has to be.
std::string csvCell(const std::string& text);

/// Parses CSV text (RFC 4180: quoted cells, doubled quotes, CRLF or LF line
/// ends, a UTF-8 byte-order mark ignored). Blank lines are skipped. Throws
/// InputError naming `source` for an unterminated quote.
std::vector<std::vector<std::string>> parseCsv(const std::string& text, const std::string& source);

}  // namespace harmonia
