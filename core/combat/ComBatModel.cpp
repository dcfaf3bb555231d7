#include "core/combat/ComBatModel.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/io/AtomicFile.h"
#include "core/io/JsonReader.h"
#include "core/io/TextFile.h"
#include "core/util/Error.h"

namespace harmonia {

namespace {

constexpr const char* kFormat = "harmonia-combat-model";
constexpr int kVersion = 1;
using nlohmann::json;

// nlohmann writes doubles in their shortest round-trip form; non-finite ones as null.
json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json vectorJson(const Eigen::VectorXd& v) {
  json a = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(number(v[i]));
  return a;
}

json matrixJson(const Eigen::MatrixXd& m) {  // array of rows
  json a = json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) a.push_back(vectorJson(m.row(r).transpose()));
  return a;
}

/// JsonReader with the model's arrays. A model stores a non-finite estimate
/// as null (nlohmann cannot write NaN), so `num` reads null back as NaN.
class Reader : public JsonReader {
 public:
  using JsonReader::fail;
  using JsonReader::JsonReader;

  /// "<file>: <problem>".
  [[noreturn]] void fail(const std::string& problem) const { JsonReader::fail("", problem); }

  double num(const json& v, const std::string& key) const {
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number()) fail(key, "holds a non-number");
    return v.get<double>();
  }
  Eigen::VectorXd vec(const json& j, const char* key, std::size_t size) const {
    const json& a = at(j, "", key);
    if (!a.is_array() || a.size() != size) {
      fail(key, "should be an array of " + std::to_string(size));
    }
    Eigen::VectorXd v(static_cast<Eigen::Index>(size));
    for (std::size_t i = 0; i < size; ++i) v[static_cast<Eigen::Index>(i)] = num(a[i], key);
    return v;
  }
  Eigen::MatrixXd mat(const json& j, const char* key, std::size_t rows, std::size_t cols) const {
    const json& a = at(j, "", key);
    if (!a.is_array() || a.size() != rows) {
      fail(key, "should have " + std::to_string(rows) + " rows");
    }
    Eigen::MatrixXd m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    for (std::size_t r = 0; r < rows; ++r) {
      if (!a[r].is_array() || a[r].size() != cols) {
        fail(key, "rows should have " + std::to_string(cols) + " values");
      }
      for (std::size_t c = 0; c < cols; ++c) {
        m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = num(a[r][c], key);
      }
    }
    return m;
  }
  template <typename T>
  std::vector<T> list(const json& j, const std::string& path, const char* key) const {
    const json& a = at(j, path, key);
    if (!a.is_array()) fail(join(path, key), "should be an array");
    try {
      return a.get<std::vector<T>>();
    } catch (const json::exception&) {
      fail(join(path, key), "has values of the wrong type");
    }
  }
};

}  // namespace

std::optional<std::size_t> ComBatModel::siteIndex(const std::string& site) const {
  const auto it = std::find(siteLevels.begin(), siteLevels.end(), site);
  if (it == siteLevels.end()) return std::nullopt;
  return static_cast<std::size_t>(it - siteLevels.begin());
}

std::optional<std::size_t> ComBatModel::referenceIndex() const {
  if (!options.referenceSite) return std::nullopt;
  return siteIndex(*options.referenceSite);
}

void saveComBatModel(const ComBatModel& model, const std::filesystem::path& file) {
  json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["options"] = {{"empiricalBayes", empiricalBayesName(model.options.empiricalBayes)},
                  {"meanOnly", model.options.meanOnly},
                  {"referenceSite", model.options.referenceSite ? json(*model.options.referenceSite)
                                                                : json(nullptr)}};
  j["features"] = model.featureNames;
  j["sites"] = model.siteLevels;
  if (!model.siteColumn.empty()) j["siteColumn"] = model.siteColumn;
  j["siteSampleCounts"] = model.siteSampleCounts;
  json cats = json::array();
  for (const auto& c : model.covariates.categorical) {
    cats.push_back({{"name", c.name}, {"levels", c.levels}, {"referenceLevel", c.referenceLevel}});
  }
  j["covariates"] = {{"numeric", model.covariates.numericNames},
                     {"categorical", cats},
                     {"columns", model.covariates.columnNames}};
  j["grandMean"] = vectorJson(model.grandMean);
  j["siteCoefficients"] = matrixJson(model.siteCoefficients);
  j["covariateCoefficients"] = matrixJson(model.covariateCoefficients);
  j["meanCovariateEffect"] = vectorJson(model.meanCovariateEffect);
  j["pooledVariance"] = vectorJson(model.pooledVariance);
  j["gammaHat"] = matrixJson(model.gammaHat);
  j["deltaHat"] = matrixJson(model.deltaHat);
  j["gammaStar"] = matrixJson(model.gammaStar);
  j["deltaStar"] = matrixJson(model.deltaStar);
  j["gammaBar"] = vectorJson(model.gammaBar);
  j["tau2"] = vectorJson(model.tau2);
  j["priorA"] = vectorJson(model.priorA);
  j["priorB"] = vectorJson(model.priorB);
  j["siteMeanOnly"] = model.siteMeanOnly;
  j["featureAdjusted"] = model.featureAdjusted;
  j["featureNote"] = model.featureNote;
  const std::string text = j.dump(1);
  writeAtomically(file, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    out << text << '\n';
    out.close();
    if (!out) throw InputError(tmp, "cannot write the ComBat model");
  });
}

ComBatModel loadComBatModel(const std::filesystem::path& file) {
  const Reader r(file.string());
  const json j = r.parse<json>(readTextFile(file, "ComBat model"));
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat) {
    r.fail(std::string("not a harmonia ComBat model (\"format\" should be \"") + kFormat + "\")");
  }
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != kVersion) {
    r.fail("unsupported ComBat model version " +
           (j.contains("version") ? j["version"].dump() : std::string("(none)")) +
           " (this program reads version " + std::to_string(kVersion) + ")");
  }
  ComBatModel m;
  const json& o = r.at(j, "", "options");
  const json& eb = r.at(o, "options", "empiricalBayes");
  if (eb == "parametric") {
    m.options.empiricalBayes = EmpiricalBayes::Parametric;
  } else if (eb == "nonparametric") {
    m.options.empiricalBayes = EmpiricalBayes::NonParametric;
  } else if (eb == "none") {
    m.options.empiricalBayes = EmpiricalBayes::None;
  } else {
    r.fail("options.empiricalBayes", "is unknown: " + eb.dump());
  }
  m.options.meanOnly = r.boolean(r.at(o, "options", "meanOnly"), "options.meanOnly");
  const json& refSite = r.at(o, "options", "referenceSite");
  if (refSite.is_string()) m.options.referenceSite = refSite.get<std::string>();
  m.featureNames = r.list<std::string>(j, "", "features");
  m.siteLevels = r.list<std::string>(j, "", "sites");
  if (j.contains("siteColumn")) {
    m.siteColumn = r.string(j["siteColumn"], "siteColumn");
  }
  m.siteSampleCounts = r.list<std::size_t>(j, "", "siteSampleCounts");
  const json& cov = r.at(j, "", "covariates");
  m.covariates.numericNames = r.list<std::string>(cov, "covariates", "numeric");
  m.covariates.columnNames = r.list<std::string>(cov, "covariates", "columns");
  const json& cats = r.at(cov, "covariates", "categorical");
  if (!cats.is_array()) r.fail("covariates.categorical", "should be an array");
  for (const auto& c : cats) {
    CategoricalCoding cc;
    const json& name = r.at(c, "covariates.categorical", "name");
    const json& ref = r.at(c, "covariates.categorical", "referenceLevel");
    if (!name.is_string() || !ref.is_string()) r.fail("a categorical covariate lacks its name");
    cc.name = name.get<std::string>();
    cc.referenceLevel = ref.get<std::string>();
    cc.levels = r.list<std::string>(c, "covariates.categorical", "levels");
    m.covariates.categorical.push_back(std::move(cc));
  }
  std::size_t expectedColumns = m.covariates.numericNames.size();
  for (const auto& c : m.covariates.categorical) {
    expectedColumns += c.levels.empty() ? 0 : c.levels.size() - 1;
  }
  if (expectedColumns != m.covariates.columnNames.size()) {
    r.fail("the covariate columns do not match the covariates");
  }
  const std::size_t nf = m.featureNames.size();
  const std::size_t ns = m.siteLevels.size();
  const std::size_t p = m.covariates.columnNames.size();
  if (nf == 0 || ns < 2 || m.siteSampleCounts.size() != ns) {
    r.fail("needs features, at least two sites and their sample counts");
  }
  if (m.options.referenceSite && !m.referenceIndex()) {
    r.fail("reference site '" + *m.options.referenceSite + "' is not among the sites");
  }
  m.grandMean = r.vec(j, "grandMean", nf);
  m.siteCoefficients = r.mat(j, "siteCoefficients", ns, nf);
  m.covariateCoefficients = r.mat(j, "covariateCoefficients", p, nf);
  m.meanCovariateEffect = r.vec(j, "meanCovariateEffect", nf);
  m.pooledVariance = r.vec(j, "pooledVariance", nf);
  m.gammaHat = r.mat(j, "gammaHat", ns, nf);
  m.deltaHat = r.mat(j, "deltaHat", ns, nf);
  m.gammaStar = r.mat(j, "gammaStar", ns, nf);
  m.deltaStar = r.mat(j, "deltaStar", ns, nf);
  m.gammaBar = r.vec(j, "gammaBar", ns);
  m.tau2 = r.vec(j, "tau2", ns);
  m.priorA = r.vec(j, "priorA", ns);
  m.priorB = r.vec(j, "priorB", ns);
  m.siteMeanOnly = r.list<bool>(j, "", "siteMeanOnly");
  m.featureAdjusted = r.list<bool>(j, "", "featureAdjusted");
  m.featureNote = r.list<std::string>(j, "", "featureNote");
  if (m.siteMeanOnly.size() != ns || m.featureAdjusted.size() != nf || m.featureNote.size() != nf) {
    r.fail("per-site or per-feature flags have the wrong length");
  }
  for (std::size_t f = 0; f < nf; ++f) {
    if (!m.featureAdjusted[f]) continue;
    const auto fi = static_cast<Eigen::Index>(f);
    if (!std::isfinite(m.grandMean[fi]) || !(m.pooledVariance[fi] > 0.0) ||
        !m.gammaStar.col(fi).allFinite() || !m.deltaStar.col(fi).allFinite() ||
        !(m.deltaStar.col(fi).array() > 0.0).all() ||
        !m.covariateCoefficients.col(fi).allFinite()) {
      r.fail("feature '" + m.featureNames[f] + "' is marked adjusted but has invalid estimates");
    }
  }
  return m;
}

const char* empiricalBayesName(EmpiricalBayes eb) {
  switch (eb) {
    case EmpiricalBayes::Parametric:
      return "parametric";
    case EmpiricalBayes::NonParametric:
      return "nonparametric";
    case EmpiricalBayes::None:
      return "none";
  }
  return "parametric";
}

}  // namespace harmonia
