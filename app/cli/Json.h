#pragma once
// The CLI's --json reports: a builder over nlohmann::ordered_json (the JSON
// library the rest of the tree reads and writes with), and the layout the
// reports are printed in (two-space indentation, arrays of numbers on one
// line, ten significant digits, null for NaN and infinity).

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace harmonia::cli {

/// A JSON value. Objects keep insertion order. Copies of a Json share one
/// value; set() stores a copy of the value it is given.
class Json {
 public:
  using Array = std::vector<Json>;

  Json();
  Json(std::nullptr_t);
  Json(bool b);
  Json(int v);
  Json(std::int64_t v);
  Json(std::uint64_t v);
  Json(double v);
  Json(const char* s);
  Json(std::string s);
  Json(const Array& a);

  /// An empty object to fill with set().
  static Json object();
  /// Adds or replaces `key` in an object, with a copy of `value` (moved from
  /// a temporary that shares it with no other Json).
  Json& set(const std::string& key, const Json& value);
  Json& set(const std::string& key, Json&& value);
  /// Serialises in the reports' layout; `indent` is the column of the value.
  [[nodiscard]] std::string dump(int indent = 0) const;

 private:
  std::shared_ptr<nlohmann::ordered_json> value_;
};

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
