#include "core/features/FeatureTable.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "core/util/Error.h"

namespace harmonia::features {

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

std::string formatFeatureValue(double value) {
  if (!std::isfinite(value)) {
    return "";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", value);
  return buf;
}

std::string featureSetCsv(const FeatureSet& features) {
  std::string out = kFeatureCsvHeader;
  out += '\n';
  for (const Feature& f : features.features()) {
    out += csvCell(f.tag);
    out += ',';
    out += csvCell(f.family);
    out += ',';
    out += csvCell(f.aggregation);
    out += ',';
    if (f.defined()) {
      out += formatFeatureValue(f.value);
    }
    out += '\n';
  }
  return out;
}

namespace {

// Appends one cell to a CSV line, with a comma before every cell but the first.
void appendCell(std::string& line, bool& first, const std::string& text) {
  if (!first) {
    line += ',';
  }
  line += text;
  first = false;
}

}  // namespace

std::string cohortCsv(const std::vector<CohortRow>& rows) {
  std::vector<std::string> leading;
  std::unordered_set<std::string> leadingSeen;
  for (const CohortRow& r : rows) {
    for (const auto& entry : r.leading) {
      if (leadingSeen.insert(entry.first).second) {
        leading.push_back(entry.first);
      }
    }
  }
  std::vector<std::string> tags;
  std::unordered_set<std::string> tagSeen;
  for (const CohortRow& r : rows) {
    for (const Feature& f : r.features.features()) {
      if (leadingSeen.count(f.tag) == 0 && tagSeen.insert(f.tag).second) {
        tags.push_back(f.tag);
      }
    }
  }
  std::string out;
  bool first = true;
  for (const std::string& name : leading) {
    appendCell(out, first, csvCell(name));
  }
  for (const std::string& tag : tags) {
    appendCell(out, first, csvCell(tag));
  }
  out += '\n';
  const std::string empty;
  for (const CohortRow& r : rows) {
    std::unordered_map<std::string, const std::string*> cells;
    for (const auto& entry : r.leading) {
      cells.emplace(entry.first, &entry.second);
    }
    std::unordered_map<std::string, const Feature*> values;
    for (const Feature& f : r.features.features()) {
      values.emplace(f.tag, &f);
    }
    first = true;
    for (const std::string& name : leading) {
      const auto it = cells.find(name);
      appendCell(out, first, it == cells.end() ? empty : csvCell(*it->second));
    }
    for (const std::string& tag : tags) {
      const auto it = values.find(tag);
      const bool defined = it != values.end() && it->second->defined();
      appendCell(out, first, defined ? formatFeatureValue(it->second->value) : empty);
    }
    out += '\n';
  }
  return out;
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

}  // namespace harmonia::features
