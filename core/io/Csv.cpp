#include "core/io/Csv.h"

#include "core/util/Error.h"

namespace harmonia {

std::string csvCell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') {
      quoted += '"';
    }
    quoted += c;
  }
  return quoted + "\"";
}

std::vector<std::vector<std::string>> parseCsv(const std::string& text, const std::string& source) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  bool cellStarted = false;  // the row has content (a blank line has none)
  std::size_t i = 0;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
    i = 3;  // UTF-8 byte-order mark
  }
  int line = 1;
  int quoteLine = 0;
  auto endRow = [&] {
    if (cellStarted || !row.empty()) {
      row.push_back(cell);
      rows.push_back(std::move(row));
    }
    row.clear();
    cell.clear();
    cellStarted = false;
  };
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') {
          ++line;
        }
        cell += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        quoted = true;
        quoteLine = line;
        cellStarted = true;
        break;
      case ',':
        row.push_back(cell);
        cell.clear();
        cellStarted = true;
        break;
      case '\r':
        break;
      case '\n':
        endRow();
        ++line;
        break;
      default:
        cell += c;
        cellStarted = true;
    }
  }
  if (quoted) {
    throw InputError(
        source, "a quoted cell opened on line " + std::to_string(quoteLine) + " is never closed");
  }
  endRow();
  return rows;
}

}  // namespace harmonia
