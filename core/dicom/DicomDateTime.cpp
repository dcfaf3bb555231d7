#include "core/dicom/DicomDateTime.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace harmonia {
namespace {

constexpr double kDay = 86400.0;

std::string trimmed(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && (std::isspace(static_cast<unsigned char>(s[b])) || s[b] == '\0')) ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(s[e - 1])) || s[e - 1] == '\0')) --e;
  return s.substr(b, e - b);
}

bool allDigits(const std::string& s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
long daysFromCivil(long y, long m, long d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civilFromDays(long z, long& y, long& m, long& d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y = yoe + era * 400 + (m <= 2);
}

}  // namespace

std::optional<double> parseDicomDate(const std::string& da) {
  std::string s;
  for (char c : trimmed(da)) {
    if (c != '.' && c != '-') s += c;
  }
  if (s.size() != 8 || !allDigits(s)) return std::nullopt;
  const long y = std::atol(s.substr(0, 4).c_str());
  const long m = std::atol(s.substr(4, 2).c_str());
  const long d = std::atol(s.substr(6, 2).c_str());
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return static_cast<double>(daysFromCivil(y, m, d)) * kDay;
}

std::optional<double> parseDicomTime(const std::string& tm) {
  std::string s;
  for (char c : trimmed(tm)) {
    if (c != ':') s += c;
  }
  const std::size_t dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  if (whole.size() < 2 || whole.size() > 6 || whole.size() % 2 != 0 || !allDigits(whole)) {
    return std::nullopt;
  }
  double fraction = 0.0;
  if (dot != std::string::npos) {
    const std::string f = s.substr(dot + 1);
    if (!f.empty()) {
      if (!allDigits(f)) return std::nullopt;
      fraction = std::atof(("0." + f).c_str());
    }
  }
  const int h = std::atoi(whole.substr(0, 2).c_str());
  const int mi = whole.size() >= 4 ? std::atoi(whole.substr(2, 2).c_str()) : 0;
  const int se = whole.size() >= 6 ? std::atoi(whole.substr(4, 2).c_str()) : 0;
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  return h * 3600.0 + mi * 60.0 + se + fraction;
}

std::optional<double> parseDicomDateTime(const std::string& dt) {
  std::string s = trimmed(dt);
  if (const auto z = s.find_first_of("+-"); z != std::string::npos) s = s.substr(0, z);
  if (s.size() < 8) return std::nullopt;
  const auto date = parseDicomDate(s.substr(0, 8));
  if (!date) return std::nullopt;
  if (s.size() == 8) return date;
  const auto time = parseDicomTime(s.substr(8));
  if (!time) return std::nullopt;
  return *date + *time;
}

std::optional<double> combineDateTime(const std::string& da, const std::string& tm) {
  const auto d = parseDicomDate(da);
  const auto t = parseDicomTime(tm);
  if (!d || !t) return std::nullopt;
  return *d + *t;
}

std::string formatDateTime(double seconds) {
  const double dayCount = std::floor(seconds / kDay);
  long y = 0;
  long m = 0;
  long d = 0;
  civilFromDays(static_cast<long>(dayCount), y, m, d);
  char date[64];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d ", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return date + formatTime(seconds - dayCount * kDay);
}

std::string formatTime(double seconds) {
  double t = std::fmod(seconds, kDay);
  if (t < 0) t += kDay;
  const int h = static_cast<int>(t / 3600.0);
  const int m = static_cast<int>((t - h * 3600.0) / 60.0);
  const double s = t - h * 3600.0 - m * 60.0;
  char out[32];
  std::snprintf(out, sizeof out, "%02d:%02d:%06.3f", h, m, s);
  return out;
}

}  // namespace harmonia
