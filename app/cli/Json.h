#pragma once
// A small JSON writer for the CLI's --json output (objects, arrays, numbers,
// strings, booleans), with correct string escaping and no dependencies.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace harmonia::cli {

/// A JSON value. Objects keep insertion order.
class Json {
 public:
  using Object = std::vector<std::pair<std::string, Json>>;
  using Array = std::vector<Json>;

  Json() : value_(nullptr) {}
  Json(std::nullptr_t) : value_(nullptr) {}
  Json(bool b) : value_(b) {}
  Json(int v) : value_(static_cast<double>(v)) {}
  Json(std::int64_t v) : value_(static_cast<double>(v)) {}
  Json(std::uint64_t v) : value_(static_cast<double>(v)) {}
  Json(double v) : value_(v) {}
  Json(const char* s) : value_(std::string(s)) {}
  Json(std::string s) : value_(std::move(s)) {}
  Json(Array a) : value_(std::make_shared<Array>(std::move(a))) {}
  Json(Object o) : value_(std::make_shared<Object>(std::move(o))) {}

  /// An empty object to fill with set().
  static Json object() { return Json(Object{}); }
  /// Adds or replaces `key` in an object.
  Json& set(const std::string& key, Json value);
  /// Serialises with two-space indentation.
  [[nodiscard]] std::string dump(int indent = 0) const;

 private:
  std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<Array>,
               std::shared_ptr<Object>>
      value_;
};

/// Quotes and escapes a string for JSON.
std::string jsonQuote(const std::string& s);

/// Wall-clock seconds a command spends reading its inputs, computing and
/// writing its outputs, for the "timings" object of its --json report. The
/// clock starts at construction; each mark adds the time since the previous
/// mark to one phase, so a command marks the end of each step:
///   PhaseTimes times;  read...; times.markRead();  solve...; times.markCompute();
class PhaseTimes {
 public:
  PhaseTimes() : last_(Clock::now()) {}
  void markRead() { read_s_ += lap(); }
  void markCompute() { compute_s_ += lap(); }
  void markWrite() { write_s_ += lap(); }
  /// {"read_s", "compute_s", "write_s"}.
  [[nodiscard]] Json json() const;
  /// Sets "timings" in a --json report.
  void addTo(Json& report) const { report.set("timings", json()); }

 private:
  using Clock = std::chrono::steady_clock;
  double lap();
  Clock::time_point last_;
  double read_s_ = 0.0;
  double compute_s_ = 0.0;
  double write_s_ = 0.0;
};

}  // namespace harmonia::cli
