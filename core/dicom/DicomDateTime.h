#pragma once
// DICOM dates (DA), times (TM) and date-times (DT) as seconds on one clock.
//
// Times are seconds since 1970-01-01 00:00 in the scanner's local time (the
// clock every DICOM time of one study is written in). A DT's UTC offset
// suffix ("+0100") is ignored on purpose: the other attributes it is compared
// with (Series Time, Acquisition Time) carry no offset.

#include <optional>
#include <string>

namespace harmonia {

/// Seconds since 1970-01-01 of a DA "YYYYMMDD" (also "YYYY.MM.DD"); nullopt when invalid.
std::optional<double> parseDicomDate(const std::string& da);
/// Seconds since midnight of a TM "HHMMSS.FFFFFF" (also "HHMM", "HH", "HH:MM:SS").
std::optional<double> parseDicomTime(const std::string& tm);
/// Seconds since 1970-01-01 of a DT "YYYYMMDDHHMMSS.FFFFFF[&ZZXX]"; nullopt when invalid.
std::optional<double> parseDicomDateTime(const std::string& dt);
/// Date + time; nullopt unless both parse.
std::optional<double> combineDateTime(const std::string& da, const std::string& tm);
/// "YYYY-MM-DD HH:MM:SS.fff" of seconds since 1970 (for explanations).
std::string formatDateTime(double seconds);
/// "HH:MM:SS.fff" of seconds since midnight (or of a date-time, modulo one day).
std::string formatTime(double seconds);

}  // namespace harmonia
