#include "core/dicom/DicomScanner.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/dicom/RtStruct.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

using HeaderPtr = std::shared_ptr<const DicomHeader>;

// Why a readable DICOM file cannot be part of an image series, or "".
std::string notAnImage(const DicomHeader& h) {
  if (!h.has_pixel_data) {
    std::string what = h.text(tag::Modality);
    if (h.file.filename() == "DICOMDIR") return "DICOMDIR (a media directory, not an image)";
    return "no Pixel Data (7FE0,0010)" +
           (what.empty() ? std::string() : " (Modality " + what + ")");
  }
  if (h.rows <= 0 || h.columns <= 0) return "no Rows (0028,0010) / Columns (0028,0011)";
  if (h.bits_allocated <= 0) return "no Bits Allocated (0028,0100)";
  if (!h.value(tag::SeriesInstanceUid)) return "no Series Instance UID (0020,000E)";
  return {};
}

long long rounded(double v, double step) { return std::llround(v / step); }

// The split key of a slice: what must be equal within one volume.
std::string volumeKey(const DicomHeader& h, const FrameHeader& f) {
  std::ostringstream key;
  key << h.rows << 'x' << h.columns;
  if (f.orientation) {
    for (double v : *f.orientation) key << ',' << rounded(v, 1e-3);
  }
  if (f.pixel_spacing_mm) {
    key << '|' << rounded((*f.pixel_spacing_mm)[0], 1e-3) << ','
        << rounded((*f.pixel_spacing_mm)[1], 1e-3);
  }
  key << "|e" << h.text(tag::EchoNumbers);
  return key.str();
}

std::string describeKeyDifference(const std::vector<DicomSlice>& a,
                                  const std::vector<DicomSlice>& b) {
  const DicomHeader& x = *a.front().header;
  const DicomHeader& y = *b.front().header;
  if (x.rows != y.rows || x.columns != y.columns) return "image size differs";
  if (x.text(tag::EchoNumbers) != y.text(tag::EchoNumbers)) return "echo number differs";
  if (a.front().frameHeader().orientation != b.front().frameHeader().orientation) {
    return "orientation differs";
  }
  return "pixel spacing differs";
}

SlicePlacement placementOf(const DicomSlice& s) {
  const DicomHeader& h = *s.header;
  const FrameHeader& f = s.frameHeader();
  SlicePlacement p;
  p.rows = h.rows;
  p.columns = h.columns;
  if (f.orientation) p.orientation = *f.orientation;
  if (f.pixel_spacing_mm) p.pixel_spacing_mm = *f.pixel_spacing_mm;
  p.has_position = f.position_mm.has_value();
  if (f.position_mm) p.position_mm = *f.position_mm;
  p.instance_number = static_cast<int>(h.number(tag::InstanceNumber).value_or(0)) * 10000 + s.frame;
  p.slice_thickness_mm = h.number(tag::SliceThickness).value_or(0.0);
  return p;
}

// Splits slices at one position into separate volumes by Acquisition Number
// when that makes every position unique.
std::vector<std::vector<DicomSlice>> splitByAcquisition(std::vector<DicomSlice> slices) {
  std::set<std::string> positions;
  bool duplicates = false;
  for (const DicomSlice& s : slices) {
    const auto& p = s.frameHeader().position_mm;
    if (!p) continue;
    std::ostringstream key;
    key << rounded((*p)[0], 1e-3) << ',' << rounded((*p)[1], 1e-3) << ',' << rounded((*p)[2], 1e-3);
    if (!positions.insert(key.str()).second) duplicates = true;
  }
  if (!duplicates) return {std::move(slices)};
  std::map<std::string, std::vector<DicomSlice>> byAcq;
  for (DicomSlice& s : slices) byAcq[s.header->text(tag::AcquisitionNumber)].push_back(s);
  if (byAcq.size() < 2) return {std::move(slices)};
  std::vector<std::vector<DicomSlice>> parts;
  parts.reserve(byAcq.size());
  for (auto& [acq, part] : byAcq) parts.push_back(std::move(part));
  return parts;
}

SeriesInfo makeSeries(std::vector<DicomSlice> slices) {
  SeriesInfo s;
  const DicomHeader& h = *slices.front().header;
  s.series_uid = h.text(tag::SeriesInstanceUid);
  s.id = s.series_uid;
  s.modality = h.text(tag::Modality);
  s.description = h.text(tag::SeriesDescription);
  s.series_number = h.text(tag::SeriesNumber);
  s.manufacturer = h.text(tag::Manufacturer);
  s.model = h.text(tag::ManufacturerModelName);
  s.patient_name = h.text(tag::PatientName);
  s.patient_id = h.text(tag::PatientId);
  s.study_uid = h.text(tag::StudyInstanceUid);
  s.study_description = h.text(tag::StudyDescription);
  s.series_date = h.text(tag::SeriesDate);
  s.frame_of_reference_uid = h.text(tag::FrameOfReferenceUid);
  s.transfer_syntax_uid = h.text(tag::TransferSyntaxUid);
  std::set<const DicomHeader*> files;
  std::vector<SlicePlacement> placements;
  for (const DicomSlice& sl : slices) {
    files.insert(sl.header.get());
    placements.push_back(placementOf(sl));
  }
  s.file_count = files.size();
  s.geometry = computeSeriesGeometry(placements);
  for (std::size_t k = 0; k < s.geometry.order.size(); ++k) {
    s.slices.push_back(slices[s.geometry.order[k]]);
  }
  return s;
}

std::vector<std::filesystem::path> listFiles(const std::filesystem::path& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    throw InputError(folder,
                     std::filesystem::exists(folder, ec) ? "not a folder" : "no such folder");
  }
  std::vector<std::filesystem::path> files;
  std::filesystem::recursive_directory_iterator it(
      folder, std::filesystem::directory_options::skip_permission_denied, ec);
  if (ec) throw InputError(folder, "cannot list the folder: " + ec.message());
  for (const auto end = std::filesystem::recursive_directory_iterator(); it != end;
       it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<SeriesInfo> groupIntoSeries(const std::vector<HeaderPtr>& headers,
                                        std::vector<SkippedFile>& skipped) {
  // Series UID -> volume key -> slices, in first-seen order of keys.
  std::map<std::string, std::vector<std::pair<std::string, std::vector<DicomSlice>>>> groups;
  for (const HeaderPtr& h : headers) {
    if (const std::string why = notAnImage(*h); !why.empty()) {
      skipped.push_back({h->file, why});
      continue;
    }
    auto& keys = groups[h->text(tag::SeriesInstanceUid)];
    for (int f = 0; f < static_cast<int>(h->frames.size()); ++f) {
      const std::string key = volumeKey(*h, h->frames[static_cast<std::size_t>(f)]);
      auto it =
          std::find_if(keys.begin(), keys.end(), [&](const auto& k) { return k.first == key; });
      if (it == keys.end()) {
        keys.emplace_back(key, std::vector<DicomSlice>{});
        it = keys.end() - 1;
      }
      it->second.push_back(DicomSlice{h, f});
    }
  }
  std::vector<SeriesInfo> out;
  for (auto& [uid, keys] : groups) {
    std::vector<std::pair<std::string, std::vector<DicomSlice>>> parts;
    for (auto& [key, slices] : keys) {
      auto split = splitByAcquisition(std::move(slices));
      const bool byAcq = split.size() > 1;
      for (auto& part : split) {
        parts.emplace_back(byAcq ? "acquisition number differs" : "", std::move(part));
      }
    }
    std::vector<std::string> reasons(parts.size());
    for (std::size_t p = 0; p < parts.size() && parts.size() > 1; ++p) {
      reasons[p] = !parts[p].first.empty()
                       ? parts[p].first
                       : describeKeyDifference(parts[p].second, parts[p == 0 ? 1 : 0].second);
    }
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const std::vector<DicomSlice>& slices = parts[p].second;
      try {
        SeriesInfo s = makeSeries(slices);
        if (parts.size() > 1) {
          s.id = uid + ".part" + std::to_string(p + 1);
          s.split_reason = reasons[p];
        }
        out.push_back(std::move(s));
      } catch (const InputError& e) {
        for (const DicomSlice& sl : slices) skipped.push_back({sl.header->file, e.problem()});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const SeriesInfo& a, const SeriesInfo& b) {
    const auto na = std::atof(a.series_number.c_str());
    const auto nb = std::atof(b.series_number.c_str());
    return std::tie(a.patient_id, a.study_uid, na, a.id) <
           std::tie(b.patient_id, b.study_uid, nb, b.id);
  });
  return out;
}

DicomScan scanDicomFiles(const std::vector<std::filesystem::path>& files, Progress& progress) {
  DicomScan scan;
  scan.files_examined = files.size();
  std::vector<HeaderPtr> headers(files.size());
  std::vector<std::string> errors(files.size());
  std::atomic<std::size_t> done{0};
  tbb::parallel_for(std::size_t{0}, files.size(), [&](std::size_t i) {
    progress.throwIfCancelled();
    try {
      headers[i] = std::make_shared<DicomHeader>(readDicomHeader(files[i]));
    } catch (const InputError& e) {
      errors[i] = e.problem();
    } catch (const std::exception& e) {
      errors[i] = std::string("unreadable: ") + e.what();
    }
    const std::size_t n = ++done;
    if (n % 16 == 0 || n == files.size()) progress.report(0.95 * n / files.size());
  });
  std::vector<HeaderPtr> images;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!headers[i]) {
      scan.skipped.push_back({files[i], errors[i]});
    } else if (headers[i]->isRtStruct()) {
      try {
        const RtStruct rs = readRtStruct(files[i]);
        scan.structure_sets.push_back({files[i], rs.label, rs.referenced_series_uid,
                                       rs.frame_of_reference_uid, rs.roiNames()});
      } catch (const InputError& e) {
        scan.skipped.push_back({files[i], e.problem()});
      }
    } else {
      images.push_back(std::move(headers[i]));
    }
  }
  progress.throwIfCancelled();
  scan.series = groupIntoSeries(images, scan.skipped);
  progress.report(1.0);
  return scan;
}

DicomScan scanDicomFolder(const std::filesystem::path& folder, Progress& progress) {
  DicomScan scan = scanDicomFiles(listFiles(folder), progress);
  scan.folder = folder;
  return scan;
}

const SkippedFile* firstDamagedFile(const DicomScan& scan) {
  for (const SkippedFile& f : scan.skipped) {
    // The reasons readDicomHeader gives for a file that is DICOM but damaged.
    if (f.reason.rfind("truncated", 0) == 0 || f.reason.rfind("empty or unreadable", 0) == 0 ||
        f.reason.rfind("unreadable", 0) == 0) {
      return &f;
    }
  }
  return nullptr;
}

void refuseDamagedFiles(const DicomScan& scan) {
  if (const SkippedFile* f = firstDamagedFile(scan)) {
    throw InputError(f->file, f->reason + " (the series would be missing this file)");
  }
}

const SeriesInfo& selectSeries(const DicomScan& scan, const std::string& id) {
  if (id.empty() && scan.series.size() == 1) return scan.series.front();
  for (const SeriesInfo& s : scan.series) {
    if (s.id == id) return s;
  }
  std::vector<const SeriesInfo*> byUid;
  for (const SeriesInfo& s : scan.series) {
    if (s.series_uid == id) byUid.push_back(&s);
  }
  if (byUid.size() == 1) return *byUid.front();
  const std::filesystem::path where = scan.folder.empty() ? "DICOM files" : scan.folder;
  if (scan.series.empty()) {
    std::string problem =
        "no DICOM image series found (" + std::to_string(scan.files_examined) + " files examined";
    if (!scan.skipped.empty()) {
      problem += "; e.g. " + scan.skipped.front().file.filename().string() + ": " +
                 scan.skipped.front().reason;
    }
    throw InputError(where, problem + ")");
  }
  std::string list;
  for (const SeriesInfo& s : scan.series) {
    if (!list.empty()) list += ", ";
    list += s.id;
    list += " (" + s.modality + ", " + std::to_string(s.sliceCount()) + " slices)";
  }
  throw InputError(where, (id.empty() ? std::string("several series; choose one with --series: ")
                                      : "no series '" + id + "'; series: ") +
                              list);
}

}  // namespace harmonia
