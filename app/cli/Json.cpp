#include "app/cli/Json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

namespace harmonia::cli {

using Ordered = nlohmann::ordered_json;

Json::Json() : value_(std::make_shared<Ordered>(nullptr)) {}
Json::Json(std::nullptr_t) : Json() {}
Json::Json(bool b) : value_(std::make_shared<Ordered>(b)) {}
Json::Json(int v) : value_(std::make_shared<Ordered>(v)) {}
Json::Json(std::int64_t v) : value_(std::make_shared<Ordered>(v)) {}
Json::Json(std::uint64_t v) : value_(std::make_shared<Ordered>(v)) {}
Json::Json(double v) : value_(std::make_shared<Ordered>(v)) {}
Json::Json(const char* s) : value_(std::make_shared<Ordered>(s)) {}
Json::Json(std::string s) : value_(std::make_shared<Ordered>(std::move(s))) {}
Json::Json(const Array& a) : value_(std::make_shared<Ordered>(Ordered::array())) {
  for (const Json& v : a) value_->push_back(*v.value_);
}

Json Json::object() {
  Json j;
  *j.value_ = Ordered::object();
  return j;
}

Json& Json::set(const std::string& key, const Json& value) {
  if (!value_->is_object()) throw std::logic_error("Json::set on a non-object");
  (*value_)[key] = *value.value_;
  return *this;
}

Json& Json::set(const std::string& key, Json&& value) {
  if (value.value_.use_count() > 1) return set(key, std::as_const(value));
  if (!value_->is_object()) throw std::logic_error("Json::set on a non-object");
  (*value_)[key] = std::move(*value.value_);
  return *this;
}

namespace {

void write(const Ordered& v, int indent, std::string& out) {
  switch (v.type()) {
    case Ordered::value_t::number_float: {
      const double d = v.get<double>();
      if (!std::isfinite(d)) {
        out += "null";  // JSON has no NaN or infinity
      } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.10g", d);
        out += buf;
      }
      return;
    }
    case Ordered::value_t::array: {
      if (v.empty()) {
        out += "[]";
        return;
      }
      const bool flat = std::none_of(
          v.begin(), v.end(), [](const Ordered& e) { return e.is_array() || e.is_object(); });
      const std::string pad(indent + 2, ' ');
      out += "[";
      for (std::size_t i = 0; i < v.size(); ++i) {
        out += i == 0 ? "" : ",";
        if (flat) {
          out += i == 0 ? "" : " ";
        } else {
          out += '\n';
          out += pad;
        }
        write(v[i], indent + 2, out);
      }
      if (!flat) {
        out += '\n';
        out.append(static_cast<std::size_t>(indent), ' ');
      }
      out += ']';
      return;
    }
    case Ordered::value_t::object: {
      if (v.empty()) {
        out += "{}";
        return;
      }
      const std::string pad(indent + 2, ' ');
      out += "{";
      bool first = true;
      for (const auto& [key, value] : v.items()) {
        out += first ? "\n" : ",\n";
        out += pad;
        write(Ordered(key), indent + 2, out);
        out += ": ";
        write(value, indent + 2, out);
        first = false;
      }
      out += '\n';
      out.append(static_cast<std::size_t>(indent), ' ');
      out += '}';
      return;
    }
    default:
      // Strings (escaped; bytes that are not UTF-8, such as a Latin-1 file
      // name, become U+FFFD), integers, booleans and null as nlohmann writes them.
      out += v.dump(-1, ' ', false, Ordered::error_handler_t::replace);
  }
}

}  // namespace

std::string Json::dump(int indent) const {
  std::string out;
  write(*value_, indent, out);
  return out;
}

double PhaseTimes::lap() {
  const Clock::time_point now = Clock::now();
  const double seconds = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  return seconds;
}

Json PhaseTimes::json() const {
  Json j = Json::object();
  j.set("read_s", read_s_).set("compute_s", compute_s_).set("write_s", write_s_);
  return j;
}

}  // namespace harmonia::cli
