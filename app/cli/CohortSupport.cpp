#include "app/cli/CohortSupport.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "app/cli/Cli.h"
#include "core/util/Error.h"

namespace harmonia::cli {

std::vector<std::string> splitNames(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto b = item.find_first_not_of(" \t");
    if (b == std::string::npos) {
      continue;
    }
    names.push_back(item.substr(b, item.find_last_not_of(" \t") - b + 1));
  }
  return names;
}

std::vector<std::string> siteLabels(const CohortTable& table, std::size_t column) {
  auto labels = table.strings(column);
  for (std::size_t r = 0; r < labels.size(); ++r) {
    if (labels[r].find_first_not_of(" \t") == std::string::npos) {
      throw InputError(table.source, "row " + std::to_string(r + 1) + ", column '" +
                                         table.header[column] + "': the site is empty");
    }
  }
  return labels;
}

std::vector<std::string> covariateNames(const std::vector<std::string>& covariates,
                                        const std::vector<std::string>& categorical) {
  std::vector<std::string> names;
  for (const auto* list : {&covariates, &categorical}) {
    for (const auto& n : *list) {
      if (std::find(names.begin(), names.end(), n) == names.end()) {
        names.push_back(n);
      }
    }
  }
  return names;
}

ComBatCovariates tableCovariates(const CohortTable& table, const std::vector<std::string>& names,
                                 const std::vector<std::string>& categorical,
                                 const std::vector<std::size_t>& rows) {
  std::vector<std::size_t> use = rows;
  if (use.empty()) {
    for (std::size_t r = 0; r < table.rowCount(); ++r) {
      use.push_back(r);
    }
  }
  ComBatCovariates cov;
  for (const auto& name : names) {
    const std::size_t c = table.column(name, "covariate");
    const bool isCategorical =
        std::find(categorical.begin(), categorical.end(), name) != categorical.end();
    if (isCategorical) {
      CategoricalCovariate cat{name, {}, std::nullopt};
      for (const auto r : use) {
        const std::string& cell = table.rows[r][c];
        if (cell.find_first_not_of(" \t") == std::string::npos) {
          throw InputError(table.source, "row " + std::to_string(r + 1) + ", column '" + name +
                                             "': the categorical covariate is empty");
        }
        cat.values.push_back(cell);
      }
      cov.categorical.push_back(std::move(cat));
    } else {
      NumericCovariate num{name, {}};
      const auto all = table.numbers(c);
      for (const auto r : use) {
        if (!std::isfinite(all[r])) {
          throw InputError(table.source, "row " + std::to_string(r + 1) + ", column '" + name +
                                             "': the covariate is missing (ComBat needs every "
                                             "covariate value; list it in --categorical if it "
                                             "is a category)");
        }
        num.values.push_back(all[r]);
      }
      cov.numeric.push_back(std::move(num));
    }
  }
  return cov;
}

void refuseOverwritingInputs(const std::filesystem::path& output,
                             const std::vector<std::filesystem::path>& inputs) {
  std::error_code ec;
  for (const auto& in : inputs) {
    if (std::filesystem::exists(output, ec) && std::filesystem::equivalent(output, in, ec)) {
      throw UsageError{"the output " + output.string() + " is the input " + in.string() +
                       "; write to another file"};
    }
  }
}

Json jsonStrings(const std::vector<std::string>& items) {
  Json::Array a;
  for (const auto& s : items) {
    a.emplace_back(s);
  }
  return a;
}

}  // namespace harmonia::cli
