#include "core/dicom/RtStruct.h"

#include <gdcmDataSet.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfItems.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "core/dicom/DicomHeader.h"
#include "core/util/AsciiCase.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

std::string stringOf(const gdcm::DataSet& ds, std::uint16_t g, std::uint16_t e) {
  const gdcm::Tag t(g, e);
  if (!ds.FindDataElement(t)) return {};
  const gdcm::ByteValue* bv = ds.GetDataElement(t).GetByteValue();
  return bv ? trimDicom(std::string(bv->GetPointer(), bv->GetLength())) : std::string();
}

gdcm::SmartPointer<gdcm::SequenceOfItems> sequenceOf(const gdcm::DataSet& ds, std::uint16_t g,
                                                     std::uint16_t e) {
  const gdcm::Tag t(g, e);
  if (!ds.FindDataElement(t)) return nullptr;
  return ds.GetDataElement(t).GetValueAsSQ();
}

// Finds the first Series Instance UID nested in the referenced frame of reference sequence.
void findReferencedSeries(const gdcm::DataSet& ds, RtStruct& rs) {
  const auto frames = sequenceOf(ds, 0x3006, 0x0010);
  if (!frames) return;
  for (gdcm::SequenceOfItems::SizeType i = 1; i <= frames->GetNumberOfItems(); ++i) {
    const gdcm::DataSet& fr = frames->GetItem(i).GetNestedDataSet();
    if (rs.frame_of_reference_uid.empty()) rs.frame_of_reference_uid = stringOf(fr, 0x0020, 0x0052);
    const auto studies = sequenceOf(fr, 0x3006, 0x0012);
    if (!studies) continue;
    for (gdcm::SequenceOfItems::SizeType s = 1; s <= studies->GetNumberOfItems(); ++s) {
      const auto series = sequenceOf(studies->GetItem(s).GetNestedDataSet(), 0x3006, 0x0014);
      if (!series || series->GetNumberOfItems() < 1) continue;
      rs.referenced_series_uid = stringOf(series->GetItem(1).GetNestedDataSet(), 0x0020, 0x000E);
      if (!rs.referenced_series_uid.empty()) return;
    }
  }
}

}  // namespace

std::vector<std::string> RtStruct::roiNames() const {
  std::vector<std::string> names;
  for (const RtRoi& r : rois) names.push_back(r.name);
  return names;
}

const RtRoi& RtStruct::roi(const std::string& name) const {
  if (name.empty() && rois.size() == 1) return rois.front();
  for (const RtRoi& r : rois) {
    if (r.name == name) return r;
  }
  for (const RtRoi& r : rois) {
    if (!name.empty() && asciiLower(r.name) == asciiLower(name)) return r;
  }
  std::string list;
  for (const RtRoi& r : rois) {
    if (!list.empty()) list += ", ";
    list += "'";
    list += r.name;
    list += "'";
  }
  if (rois.empty()) throw InputError(file, "the structure set holds no ROI");
  throw InputError(file, (name.empty() ? std::string("several ROIs; choose one of: ")
                                       : "no ROI named '" + name + "'; ROIs: ") +
                             list);
}

RtStruct readRtStruct(const std::filesystem::path& file) {
  silenceGdcm();
  // GDCM aborts on some damaged files: it only sees files whose structure is sound.
  checkDicomFile(file, DicomExtent::WholeFile);
  gdcm::Reader reader;
  reader.SetFileName(file.string().c_str());
  if (!reader.Read()) throw InputError(file, "not a readable DICOM file");
  const gdcm::DataSet& ds = reader.GetFile().GetDataSet();
  if (stringOf(ds, 0x0008, 0x0060) != "RTSTRUCT") {
    throw InputError(file, "not an RT Structure Set (Modality (0008,0060) is '" +
                               stringOf(ds, 0x0008, 0x0060) + "')");
  }
  RtStruct rs;
  rs.file = file;
  rs.label = stringOf(ds, 0x3006, 0x0002);
  findReferencedSeries(ds, rs);
  std::map<int, std::size_t> byNumber;
  if (const auto rois = sequenceOf(ds, 0x3006, 0x0020)) {  // Structure Set ROI Sequence
    for (gdcm::SequenceOfItems::SizeType i = 1; i <= rois->GetNumberOfItems(); ++i) {
      const gdcm::DataSet& item = rois->GetItem(i).GetNestedDataSet();
      RtRoi roi;
      roi.number = std::atoi(stringOf(item, 0x3006, 0x0022).c_str());
      roi.name = stringOf(item, 0x3006, 0x0026);
      roi.frame_of_reference_uid = stringOf(item, 0x3006, 0x0024);
      byNumber[roi.number] = rs.rois.size();
      rs.rois.push_back(std::move(roi));
    }
  }
  if (const auto contours = sequenceOf(ds, 0x3006, 0x0039)) {  // ROI Contour Sequence
    for (gdcm::SequenceOfItems::SizeType i = 1; i <= contours->GetNumberOfItems(); ++i) {
      const gdcm::DataSet& item = contours->GetItem(i).GetNestedDataSet();
      const int number = std::atoi(stringOf(item, 0x3006, 0x0084).c_str());
      const auto it = byNumber.find(number);
      if (it == byNumber.end()) continue;
      RtRoi& roi = rs.rois[it->second];
      const auto seq = sequenceOf(item, 0x3006, 0x0040);  // Contour Sequence
      if (!seq) continue;
      for (gdcm::SequenceOfItems::SizeType c = 1; c <= seq->GetNumberOfItems(); ++c) {
        const gdcm::DataSet& ci = seq->GetItem(c).GetNestedDataSet();
        RtContour contour;
        contour.geometric_type = stringOf(ci, 0x3006, 0x0042);
        const std::string data = stringOf(ci, 0x3006, 0x0050);
        std::vector<double> v;
        const char* p = data.c_str();
        while (*p) {
          char* end = nullptr;
          const double x = std::strtod(p, &end);
          if (end == p) break;
          v.push_back(x);
          p = end;
          while (*p == '\\' || *p == ' ') ++p;
        }
        if (v.size() % 3 != 0) {
          throw InputError(file, "Contour Data (3006,0050) of ROI '" + roi.name +
                                     "' does not hold x\\y\\z triples");
        }
        for (std::size_t k = 0; k + 2 < v.size(); k += 3) {
          contour.points_mm.emplace_back(v[k], v[k + 1], v[k + 2]);
        }
        roi.contours.push_back(std::move(contour));
      }
    }
  }
  return rs;
}

RoiMask rasterizeRoi(const RtRoi& roi, const Geometry3D& grid, Progress& progress) {
  RoiMask out;
  out.mask = MaskVolume(grid, 0);
  // Contours in continuous index space, grouped by slice.
  std::map<int, std::vector<std::vector<Eigen::Vector2d>>> bySlice;
  for (const RtContour& c : roi.contours) {
    if (c.geometric_type != "CLOSED_PLANAR" || c.points_mm.size() < 3) continue;
    std::vector<Eigen::Vector2d> poly;
    double kSum = 0.0;
    double kMin = 1e300;
    double kMax = -1e300;
    for (const Eigen::Vector3d& p : c.points_mm) {
      const Eigen::Vector3d ijk = grid.worldToIndex(p);
      poly.emplace_back(ijk[0], ijk[1]);
      kSum += ijk[2];
      kMin = std::min(kMin, ijk[2]);
      kMax = std::max(kMax, ijk[2]);
    }
    const int k = static_cast<int>(std::lround(kSum / static_cast<double>(poly.size())));
    if (kMax - kMin > 0.5 || std::abs(kSum / poly.size() - k) > 0.25 || k < 0 ||
        k >= grid.size[2]) {
      ++out.contours_off_grid;
      continue;
    }
    ++out.contours_used;
    bySlice[k].push_back(std::move(poly));
  }
  const int nx = grid.size[0];
  const int ny = grid.size[1];
  std::size_t done = 0;
  std::vector<double> xs;
  for (const auto& [k, polys] : bySlice) {
    progress.throwIfCancelled();
    for (int j = 0; j < ny; ++j) {
      const double y = j;
      xs.clear();
      for (const auto& poly : polys) {
        const std::size_t n = poly.size();
        for (std::size_t e = 0; e < n; ++e) {
          const Eigen::Vector2d& a = poly[e];
          const Eigen::Vector2d& b = poly[(e + 1) % n];
          // Half-open in y so a vertex on the scan line is counted once.
          if ((a.y() <= y && y < b.y()) || (b.y() <= y && y < a.y())) {
            xs.push_back(a.x() + (y - a.y()) * (b.x() - a.x()) / (b.y() - a.y()));
          }
        }
      }
      std::sort(xs.begin(), xs.end());
      for (std::size_t p = 0; p + 1 < xs.size(); p += 2) {
        const int i0 = std::max(0, static_cast<int>(std::ceil(xs[p])));
        const int i1 = std::min(nx, static_cast<int>(std::ceil(xs[p + 1])));
        for (int i = i0; i < i1; ++i) out.mask.at(i, j, k) = 1;
      }
    }
    progress.report(static_cast<double>(++done) / bySlice.size());
  }
  return out;
}

}  // namespace harmonia
