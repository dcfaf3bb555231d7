#pragma once
// Strict reading of the JSON files we read (feature settings, protocol
// configurations, harmonization plans, ComBat models), parsing included:
// every error names the file and the key's path
// ("'phantom.fov_mm' must be an array of 3 numbers"), unknown keys are
// refused where a reader asks (a typo must not silently fall back to a
// default), numbers must be finite. Domain readers derive from JsonReader and add their sections.
// Templated on the nlohmann JSON type (json or ordered_json); header-only.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "core/util/Error.h"

namespace harmonia {

class JsonReader {
 public:
  /// `source` names the file (or "settings") in every error.
  explicit JsonReader(std::string source) : source_(std::move(source)) {}

  /// Throws InputError "<source>: '<key>' <problem>" (no quotes when key is empty).
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw InputError(std::filesystem::path(source_),
                     key.empty() ? problem : "'" + key + "' " + problem);
  }

  /// "path.key", or "key" at the top level.
  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  /// The JSON value in `text`. Throws "<source>: not valid JSON: <the parser's
  /// message>" for a syntax error and for a number beyond a double's range.
  template <class Json>
  Json parse(const std::string& text) const {
    try {
      return Json::parse(text);
    } catch (const typename Json::exception& e) {
      fail("", std::string("not valid JSON: ") + e.what());
    }
  }

  /// `object[key]`; throws "'path.key' is missing" when `object` has no `key`.
  template <class Json>
  const Json& at(const Json& object, const std::string& path, const std::string& key) const {
    if (!object.is_object()) fail(path, "must be an object ({...})");
    const auto it = object.find(key);
    if (it == object.end()) fail(join(path, key), "is missing");
    return *it;
  }

  /// Throws unless `object` is an object whose keys are all in `known`.
  template <class Json>
  void onlyKeys(const Json& object, const std::string& path,
                std::initializer_list<const char*> known) const {
    if (!object.is_object()) fail(path, "must be an object ({...})");
    for (const auto& item : object.items()) {
      const bool ok =
          std::any_of(known.begin(), known.end(), [&](const char* k) { return item.key() == k; });
      if (!ok) {
        std::string list;
        for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
        fail(join(path, item.key()), "is not a known key (expected one of: " + list + ")");
      }
    }
  }

  template <class Json>
  bool boolean(const Json& v, const std::string& key) const {
    if (!v.is_boolean()) fail(key, "must be true or false");
    return v.template get<bool>();
  }

  /// A finite number.
  template <class Json>
  double number(const Json& v, const std::string& key) const {
    if (!v.is_number()) fail(key, "must be a number");
    const double d = v.template get<double>();
    if (!std::isfinite(d)) fail(key, "must be a finite number");
    return d;
  }

  /// A finite number > minimum (strict) or >= minimum.
  template <class Json>
  double atLeast(const Json& v, const std::string& key, double minimum, bool strict) const {
    const double d = number(v, key);
    if (strict ? !(d > minimum) : !(d >= minimum)) {
      fail(key, std::string("must be ") + (strict ? "> " : ">= ") + std::to_string(minimum));
    }
    return d;
  }

  template <class Json>
  double positive(const Json& v, const std::string& key) const {
    const double d = number(v, key);
    if (!(d > 0.0)) fail(key, "must be positive");
    return d;
  }

  /// null: absent; else a finite number.
  template <class Json>
  std::optional<double> optionalNumber(const Json& v, const std::string& key) const {
    if (v.is_null()) return std::nullopt;
    return number(v, key);
  }

  /// An integer in [minimum, maximum].
  template <class Json>
  long long integer(const Json& v, const std::string& key, long long minimum,
                    long long maximum = 1000000000LL) const {
    if (!v.is_number_integer()) fail(key, "must be an integer");
    const auto i = v.template get<long long>();
    if (i < minimum || i > maximum) {
      fail(key, "must be an integer in [" + std::to_string(minimum) + ", " +
                    std::to_string(maximum) + "]");
    }
    return i;
  }

  template <class Json>
  std::string string(const Json& v, const std::string& key) const {
    if (!v.is_string()) fail(key, "must be a string");
    return v.template get<std::string>();
  }

  /// [x, y, z], each > minimum (strict) or >= minimum.
  template <class Json>
  Eigen::Vector3d vector3(const Json& v, const std::string& key, double minimum,
                          bool strict) const {
    if (!v.is_array() || v.size() != 3) fail(key, "must be an array of 3 numbers [x, y, z]");
    Eigen::Vector3d out;
    for (int a = 0; a < 3; ++a) {
      out[a] = atLeast(v[static_cast<std::size_t>(a)], key, minimum, strict);
    }
    return out;
  }

  [[nodiscard]] const std::string& source() const { return source_; }

 private:
  std::string source_;
};

}  // namespace harmonia
