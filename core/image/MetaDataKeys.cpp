#include "core/image/MetaDataKeys.h"

#include <array>
#include <charconv>
#include <cmath>

namespace harmonia {
namespace {

std::string shortest(double value) {
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return ec == std::errc() ? std::string(buffer.data(), end) : std::string();
}

// Parses all of [first, last) as one number (spaces around it allowed).
std::optional<double> parse(const char* first, const char* last) {
  while (first < last && *first == ' ') ++first;
  while (last > first && last[-1] == ' ') --last;
  double v = 0.0;
  const auto [end, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || end != last || first == last) return std::nullopt;
  return v;
}

}  // namespace

void setNumber(MetaData& metadata, const std::string& key, double value) {
  metadata[key] = shortest(value);
}

std::optional<double> number(const MetaData& metadata, const std::string& key) {
  const auto it = metadata.find(key);
  if (it == metadata.end()) return std::nullopt;
  return parse(it->second.data(), it->second.data() + it->second.size());
}

void setVector3_mm(MetaData& metadata, const std::string& key, const Eigen::Vector3d& value_mm) {
  metadata[key] =
      shortest(value_mm.x()) + "," + shortest(value_mm.y()) + "," + shortest(value_mm.z());
}

std::optional<Eigen::Vector3d> vector3_mm(const MetaData& metadata, const std::string& key) {
  const auto it = metadata.find(key);
  if (it == metadata.end()) return std::nullopt;
  const std::string& text = it->second;
  Eigen::Vector3d v;
  std::size_t from = 0;
  for (int a = 0; a < 3; ++a) {
    const std::size_t comma = a < 2 ? text.find(',', from) : text.size();
    if (comma == std::string::npos) return std::nullopt;
    const auto x = parse(text.data() + from, text.data() + comma);
    if (!x || !std::isfinite(*x)) return std::nullopt;
    v[a] = *x;
    from = comma + 1;
  }
  return v;
}

}  // namespace harmonia
