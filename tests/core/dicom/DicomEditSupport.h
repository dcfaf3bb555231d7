#pragma once
// Edited copies of real DICOM files for tests: read a file with GDCM, read or
// replace attributes (at the top level or in the first item of the
// Radiopharmaceutical Information Sequence), write the copy elsewhere. The
// shared reference objects are never modified: copies go to a scratch folder.

#include <gdcmDataSet.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmWriter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dicom/DicomTestSupport.h"

namespace harmonia::test {

/// The text of an attribute of `ds` without its padding; nullopt when absent.
inline std::optional<std::string> attributeText(const gdcm::DataSet& ds, const gdcm::Tag& t) {
  if (!ds.FindDataElement(t)) return std::nullopt;
  const gdcm::DataElement& de = ds.GetDataElement(t);
  const gdcm::ByteValue* bv = de.GetByteValue();
  if (!bv) return std::nullopt;
  std::string s(bv->GetPointer(), bv->GetLength());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

/// The text of an attribute in the first item of the Radiopharmaceutical
/// Information Sequence (0054,0016); nullopt when absent.
inline std::optional<std::string> radiopharmaceuticalText(const gdcm::DataSet& ds,
                                                          const gdcm::Tag& t) {
  const gdcm::Tag rp(0x0054, 0x0016);
  if (!ds.FindDataElement(rp)) return std::nullopt;
  const gdcm::SmartPointer<gdcm::SequenceOfItems> sq = ds.GetDataElement(rp).GetValueAsSQ();
  if (!sq || sq->GetNumberOfItems() == 0) return std::nullopt;
  return attributeText(sq->GetItem(1).GetNestedDataSet(), t);
}

/// An attribute (top level, else in the radiopharmaceutical item) as a number;
/// throws when absent (the reference objects have it).
inline double attributeNumber(const gdcm::DataSet& ds, const gdcm::Tag& t) {
  auto s = attributeText(ds, t);
  if (!s) s = radiopharmaceuticalText(ds, t);
  if (!s) throw std::runtime_error("attribute missing in the reference object");
  return std::stod(*s);
}

/// Seconds since midnight of a DICOM TM value "HHMMSS[.ffffff]".
inline double secondsOfDay(const std::string& tm) {
  if (tm.size() < 6) throw std::runtime_error("bad TM value '" + tm + "'");
  return std::stod(tm.substr(0, 2)) * 3600.0 + std::stod(tm.substr(2, 2)) * 60.0 +
         std::stod(tm.substr(4));
}

/// A DICOM TM value "HHMMSS.ffffff" for seconds since midnight.
inline std::string timeOfDay(double s) {
  const int h = static_cast<int>(s / 3600.0);
  const int m = static_cast<int>((s - h * 3600.0) / 60.0);
  const double sec = s - h * 3600.0 - m * 60.0;
  char text[32];
  std::snprintf(text, sizeof text, "%02d%02d%09.6f", h, m, sec);
  return text;
}

/// A DS value with ten significant digits (DS holds at most 16 characters).
inline std::string decimalString(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%.10g", v);
  return s;
}

/// Reads `from`, lets `edit` change its data set, writes the result to `to`.
inline void editedCopy(const std::filesystem::path& from, const std::filesystem::path& to,
                       const std::function<void(gdcm::DataSet&)>& edit) {
  gdcm::Reader r;
  r.SetFileName(from.string().c_str());
  if (!r.Read()) throw std::runtime_error("cannot read " + from.string());
  edit(r.GetFile().GetDataSet());
  gdcm::Writer w;
  w.SetFile(r.GetFile());
  w.SetFileName(to.string().c_str());
  if (!w.Write()) throw std::runtime_error("cannot write " + to.string());
}

/// The .dcm files of a folder, sorted by name.
inline std::vector<std::filesystem::path> dicomFilesIn(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(folder)) {
    if (e.path().extension() == ".dcm") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace harmonia::test
