#include "core/features/FeatureTable.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "core/util/Error.h"

namespace harmonia::features {

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

}  // namespace harmonia::features
