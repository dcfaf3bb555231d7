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
json jsonNumber(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json vectorJson(const Eigen::VectorXd& v) {
  json a = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(jsonNumber(v[i]));
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
  const auto it = std::find(site_levels.begin(), site_levels.end(), site);
  if (it == site_levels.end()) return std::nullopt;
  return static_cast<std::size_t>(it - site_levels.begin());
}

std::optional<std::size_t> ComBatModel::referenceIndex() const {
  if (!options.reference_site) return std::nullopt;
  return siteIndex(*options.reference_site);
}

void saveComBatModel(const ComBatModel& model, const std::filesystem::path& file) {
  json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["options"] = {
      {"empiricalBayes", empiricalBayesName(model.options.empirical_bayes)},
      {"meanOnly", model.options.mean_only},
      {"referenceSite",
       model.options.reference_site ? json(*model.options.reference_site) : json(nullptr)}};
  j["features"] = model.feature_names;
  j["sites"] = model.site_levels;
  if (!model.site_column.empty()) j["siteColumn"] = model.site_column;
  j["siteSampleCounts"] = model.site_sample_counts;
  json cats = json::array();
  for (const auto& c : model.covariates.categorical) {
    cats.push_back({{"name", c.name}, {"levels", c.levels}, {"referenceLevel", c.reference_level}});
  }
  j["covariates"] = {{"numeric", model.covariates.numeric_names},
                     {"categorical", cats},
                     {"columns", model.covariates.column_names}};
  j["grandMean"] = vectorJson(model.grand_mean);
  j["siteCoefficients"] = matrixJson(model.site_coefficients);
  j["covariateCoefficients"] = matrixJson(model.covariate_coefficients);
  j["meanCovariateEffect"] = vectorJson(model.mean_covariate_effect);
  j["pooledVariance"] = vectorJson(model.pooled_variance);
  j["gammaHat"] = matrixJson(model.gamma_hat);
  j["deltaHat"] = matrixJson(model.delta_hat);
  j["gammaStar"] = matrixJson(model.gamma_star);
  j["deltaStar"] = matrixJson(model.delta_star);
  j["gammaBar"] = vectorJson(model.gamma_bar);
  j["tau2"] = vectorJson(model.tau2);
  j["priorA"] = vectorJson(model.prior_a);
  j["priorB"] = vectorJson(model.prior_b);
  j["siteMeanOnly"] = model.site_mean_only;
  j["featureAdjusted"] = model.feature_adjusted;
  j["featureNote"] = model.feature_note;
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
    m.options.empirical_bayes = EmpiricalBayes::Parametric;
  } else if (eb == "nonparametric") {
    m.options.empirical_bayes = EmpiricalBayes::NonParametric;
  } else if (eb == "none") {
    m.options.empirical_bayes = EmpiricalBayes::None;
  } else {
    r.fail("options.empiricalBayes", "is unknown: " + eb.dump());
  }
  m.options.mean_only = r.boolean(r.at(o, "options", "meanOnly"), "options.meanOnly");
  const json& refSite = r.at(o, "options", "referenceSite");
  if (refSite.is_string()) m.options.reference_site = refSite.get<std::string>();
  m.feature_names = r.list<std::string>(j, "", "features");
  m.site_levels = r.list<std::string>(j, "", "sites");
  if (j.contains("siteColumn")) {
    m.site_column = r.string(j["siteColumn"], "siteColumn");
  }
  m.site_sample_counts = r.list<std::size_t>(j, "", "siteSampleCounts");
  const json& cov = r.at(j, "", "covariates");
  m.covariates.numeric_names = r.list<std::string>(cov, "covariates", "numeric");
  m.covariates.column_names = r.list<std::string>(cov, "covariates", "columns");
  const json& cats = r.at(cov, "covariates", "categorical");
  if (!cats.is_array()) r.fail("covariates.categorical", "should be an array");
  for (const auto& c : cats) {
    CategoricalCoding cc;
    const json& name = r.at(c, "covariates.categorical", "name");
    const json& ref = r.at(c, "covariates.categorical", "referenceLevel");
    if (!name.is_string() || !ref.is_string()) r.fail("a categorical covariate lacks its name");
    cc.name = name.get<std::string>();
    cc.reference_level = ref.get<std::string>();
    cc.levels = r.list<std::string>(c, "covariates.categorical", "levels");
    m.covariates.categorical.push_back(std::move(cc));
  }
  std::size_t expectedColumns = m.covariates.numeric_names.size();
  for (const auto& c : m.covariates.categorical) {
    expectedColumns += c.levels.empty() ? 0 : c.levels.size() - 1;
  }
  if (expectedColumns != m.covariates.column_names.size()) {
    r.fail("the covariate columns do not match the covariates");
  }
  const std::size_t nf = m.feature_names.size();
  const std::size_t ns = m.site_levels.size();
  const std::size_t p = m.covariates.column_names.size();
  if (nf == 0 || ns < 2 || m.site_sample_counts.size() != ns) {
    r.fail("needs features, at least two sites and their sample counts");
  }
  if (m.options.reference_site && !m.referenceIndex()) {
    r.fail("reference site '" + *m.options.reference_site + "' is not among the sites");
  }
  m.grand_mean = r.vec(j, "grandMean", nf);
  m.site_coefficients = r.mat(j, "siteCoefficients", ns, nf);
  m.covariate_coefficients = r.mat(j, "covariateCoefficients", p, nf);
  m.mean_covariate_effect = r.vec(j, "meanCovariateEffect", nf);
  m.pooled_variance = r.vec(j, "pooledVariance", nf);
  m.gamma_hat = r.mat(j, "gammaHat", ns, nf);
  m.delta_hat = r.mat(j, "deltaHat", ns, nf);
  m.gamma_star = r.mat(j, "gammaStar", ns, nf);
  m.delta_star = r.mat(j, "deltaStar", ns, nf);
  m.gamma_bar = r.vec(j, "gammaBar", ns);
  m.tau2 = r.vec(j, "tau2", ns);
  m.prior_a = r.vec(j, "priorA", ns);
  m.prior_b = r.vec(j, "priorB", ns);
  m.site_mean_only = r.list<bool>(j, "", "siteMeanOnly");
  m.feature_adjusted = r.list<bool>(j, "", "featureAdjusted");
  m.feature_note = r.list<std::string>(j, "", "featureNote");
  if (m.site_mean_only.size() != ns || m.feature_adjusted.size() != nf ||
      m.feature_note.size() != nf) {
    r.fail("per-site or per-feature flags have the wrong length");
  }
  for (std::size_t f = 0; f < nf; ++f) {
    if (!m.feature_adjusted[f]) continue;
    const auto fi = static_cast<Eigen::Index>(f);
    if (!std::isfinite(m.grand_mean[fi]) || !(m.pooled_variance[fi] > 0.0) ||
        !m.gamma_star.col(fi).allFinite() || !m.delta_star.col(fi).allFinite() ||
        !(m.delta_star.col(fi).array() > 0.0).all() ||
        !m.covariate_coefficients.col(fi).allFinite()) {
      r.fail("feature '" + m.feature_names[f] + "' is marked adjusted but has invalid estimates");
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
