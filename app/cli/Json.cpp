#include "app/cli/Json.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace harmonia::cli {

std::string jsonQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

Json& Json::set(const std::string& key, Json value) {
  auto* obj = std::get_if<std::shared_ptr<Object>>(&value_);
  if (obj == nullptr) throw std::logic_error("Json::set on a non-object");
  for (auto& [k, v] : **obj) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  (*obj)->emplace_back(key, std::move(value));
  return *this;
}

std::string Json::dump(int indent) const {
  const std::string pad(indent + 2, ' ');
  const std::string closePad(indent, ' ');
  if (std::holds_alternative<std::nullptr_t>(value_)) return "null";
  if (const bool* b = std::get_if<bool>(&value_)) return *b ? "true" : "false";
  if (const double* d = std::get_if<double>(&value_)) {
    if (!std::isfinite(*d)) return "null";  // JSON has no NaN or infinity
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", *d);
    return buf;
  }
  if (const auto* s = std::get_if<std::string>(&value_)) return jsonQuote(*s);
  if (const auto* a = std::get_if<std::shared_ptr<Array>>(&value_)) {
    if ((*a)->empty()) return "[]";
    std::string out = "[";
    bool scalarOnly = true;
    for (const auto& v : **a) {
      scalarOnly = scalarOnly && !std::holds_alternative<std::shared_ptr<Array>>(v.value_) &&
                   !std::holds_alternative<std::shared_ptr<Object>>(v.value_);
    }
    for (std::size_t i = 0; i < (*a)->size(); ++i) {
      out += (i ? "," : "");
      out += scalarOnly ? (i ? " " : "") : "\n" + pad;
      out += (**a)[i].dump(indent + 2);
    }
    return out + (scalarOnly ? "]" : "\n" + closePad + "]");
  }
  const auto& o = *std::get<std::shared_ptr<Object>>(value_);
  if (o.empty()) return "{}";
  std::string out = "{";
  for (std::size_t i = 0; i < o.size(); ++i) {
    out += (i ? ",\n" : "\n") + pad + jsonQuote(o[i].first) + ": " + o[i].second.dump(indent + 2);
  }
  return out + "\n" + closePad + "}";
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
