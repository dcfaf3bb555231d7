#include "core/features/FeatureMap.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>

#include "core/features/Families.h"
#include "core/features/Preprocessing.h"
#include "core/util/Error.h"

namespace harmonia::features {

namespace {

constexpr const char* kTagHelp =
    "a texture feature tag is an IBSI tag whose prefix names the family (cm_ GLCM, rlm_ GLRLM, "
    "szm_ GLSZM, dzm_ GLDZM, ngt_ NGTDM, ngl_ NGLDM) and whose suffix the aggregation "
    "(_2D_avg, _2D_comb, _2_5D_avg, _2_5D_comb, _3D_avg, _3D_comb for cm_ and rlm_; _2D, _2_5D, "
    "_3D for the others), e.g. cm_contrast_3D_avg, rlm_sre_2D_comb, szm_zsnu_3D, "
    "ngt_coarseness_3D";

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void computeTexture(Family family, const GreyLevelVolume& levels, const TextureSettings& settings,
                    FeatureSet& out, Progress& progress) {
  switch (family) {
    case Family::Glcm:
      computeGlcm(levels, settings, out, progress);
      break;
    case Family::Glrlm:
      computeGlrlm(levels, settings, out, progress);
      break;
    case Family::Glszm:
      computeGlszm(levels, settings, out, progress);
      break;
    case Family::Gldzm:
      computeGldzm(levels, settings, out, progress);
      break;
    case Family::Ngtdm:
      computeNgtdm(levels, settings, out, progress);
      break;
    case Family::Ngldm:
      computeNgldm(levels, settings, out, progress);
      break;
    default:
      throw ParameterError("not a texture family");
  }
}

struct Offset {
  int di, dj, dk;
};

// Voxel offsets whose centres lie within radius_mm of the centre voxel's.
std::vector<Offset> sphereOffsets(const Eigen::Vector3d& spacing, double radius_mm,
                                  std::array<int, 3>& reach) {
  for (int a = 0; a < 3; ++a) {
    reach[a] = static_cast<int>(std::floor(radius_mm / spacing[a]));
  }
  std::vector<Offset> offsets;
  const double r2 = radius_mm * radius_mm * (1.0 + 1e-12);
  for (int dk = -reach[2]; dk <= reach[2]; ++dk) {
    for (int dj = -reach[1]; dj <= reach[1]; ++dj) {
      for (int di = -reach[0]; di <= reach[0]; ++di) {
        const double x = di * spacing[0], y = dj * spacing[1], z = dk * spacing[2];
        if (x * x + y * y + z * z <= r2) {
          offsets.push_back({di, dj, dk});
        }
      }
    }
  }
  return offsets;
}

// Fills `local` with the sphere around (ci, cj, ck) of `roi`, on the sphere's
// bounding box clipped to roi's grid. Reuses local's buffers.
void extractSphere(const GreyLevelVolume& roi, const std::vector<Offset>& offsets,
                   const std::array<int, 3>& reach, int ci, int cj, int ck,
                   GreyLevelVolume& local) {
  const std::array<int, 3> c{ci, cj, ck};
  std::array<int, 3> lo{}, hi{};
  for (int a = 0; a < 3; ++a) {
    lo[a] = std::max(c[a] - reach[a], 0);
    hi[a] = std::min(c[a] + reach[a], roi.size[a] - 1);
    local.size[a] = hi[a] - lo[a] + 1;
  }
  local.spacing_mm = roi.spacing_mm;
  local.level_count = roi.level_count;
  const std::size_t n = static_cast<std::size_t>(local.size[0]) * local.size[1] * local.size[2];
  local.levels.assign(n, 0);
  local.morphological.assign(n, 0);
  for (const Offset& o : offsets) {
    const int i = ci + o.di, j = cj + o.dj, k = ck + o.dk;
    if (i < lo[0] || j < lo[1] || k < lo[2] || i > hi[0] || j > hi[1] || k > hi[2]) {
      continue;
    }
    const std::size_t from = roi.index(i, j, k);
    const std::size_t to = local.index(i - lo[0], j - lo[1], k - lo[2]);
    local.levels[to] = roi.levels[from];
    local.morphological[to] =
        roi.morphological.empty() ? (roi.levels[from] > 0 ? 1 : 0) : roi.morphological[from];
  }
}

}  // namespace

TextureFeatureTag textureFeatureTag(const std::string& tag) {
  struct Prefix {
    const char* text;
    Family family;
    bool averaged;  // GLCM and GLRLM: _avg and _comb aggregations
  };
  static const Prefix prefixes[] = {
      {"cm_", Family::Glcm, true},    {"rlm_", Family::Glrlm, true},
      {"szm_", Family::Glszm, false}, {"dzm_", Family::Gldzm, false},
      {"ngt_", Family::Ngtdm, false}, {"ngl_", Family::Ngldm, false},
  };
  const Prefix* prefix = nullptr;
  for (const Prefix& p : prefixes) {
    if (tag.rfind(p.text, 0) == 0) {
      prefix = &p;
    }
  }
  if (prefix == nullptr) {
    throw ParameterError("'" + tag + "' is not a texture feature tag; " + kTagHelp);
  }
  TextureFeatureTag t;
  t.tag = tag;
  t.family = prefix->family;
  // Longest suffixes first: "_2_5D_avg" also ends in "_5D_avg".
  const std::vector<std::string> kinds = {"2_5D", "2D", "3D"};
  for (const std::string& kind : kinds) {
    const std::vector<std::string> suffixes =
        prefix->averaged ? std::vector<std::string>{kind + "_avg", kind + "_comb"}
                         : std::vector<std::string>{kind};
    for (const std::string& s : suffixes) {
      if (t.aggregation.empty() && endsWith(tag, "_" + s) &&
          tag.size() > s.size() + 1 + std::string(prefix->text).size()) {
        t.aggregation = s;
        t.aggregations.two_d = kind == "2D";
        t.aggregations.two_and_half_d = kind == "2_5D";
        t.aggregations.three_d = kind == "3D";
      }
    }
  }
  if (t.aggregation.empty()) {
    throw ParameterError("'" + tag + "' has no aggregation suffix its family uses; " + kTagHelp);
  }
  return t;
}

std::vector<float> featureMapOnLevels(const GreyLevelVolume& levels, const std::string& tag,
                                      double radius_mm, const TextureSettings& texture,
                                      Progress& progress) {
  if (!(radius_mm > 0.0) || !std::isfinite(radius_mm)) {
    throw ParameterError("the sphere radius must be a positive number of mm");
  }
  const TextureFeatureTag what = textureFeatureTag(tag);
  TextureSettings settings = texture;
  settings.aggregations = what.aggregations;

  std::array<int, 3> reach{};
  const std::vector<Offset> offsets = sphereOffsets(levels.spacing_mm, radius_mm, reach);
  std::vector<std::size_t> roiVoxels;
  for (std::size_t n = 0; n < levels.levels.size(); ++n) {
    if (levels.levels[n] > 0) {
      roiVoxels.push_back(n);
    }
  }
  std::vector<float> map(levels.voxelCount(), std::numeric_limits<float>::quiet_NaN());
  if (roiVoxels.empty()) {
    return map;
  }

  const auto nx = static_cast<std::size_t>(levels.size[0]);
  const auto nxy = nx * static_cast<std::size_t>(levels.size[1]);
  auto valueAt = [&](std::size_t n, GreyLevelVolume& local, bool check) -> float {
    const int k = static_cast<int>(n / nxy);
    const int j = static_cast<int>((n % nxy) / nx);
    const int i = static_cast<int>(n % nx);
    extractSphere(levels, offsets, reach, i, j, k, local);
    FeatureSet out;
    computeTexture(what.family, local, settings, out, noProgress());
    const Feature* f = out.find(tag);
    if (f == nullptr && check) {
      std::string list;
      for (const Feature& g : out.features()) {
        list += (list.empty() ? "" : ", ") + g.tag;
      }
      throw ParameterError("unknown feature tag '" + tag + "': the " + familyKey(what.family) +
                           " family with " + what.aggregation + " aggregation computes " +
                           (list.empty() ? "no feature" : list));
    }
    return f != nullptr && f->defined() ? static_cast<float>(f->value)
                                        : std::numeric_limits<float>::quiet_NaN();
  };
  progress.throwIfCancelled();
  {
    // The first voxel alone checks the tag, so a typo fails at once.
    GreyLevelVolume local;
    map[roiVoxels.front()] = valueAt(roiVoxels.front(), local, true);
  }
  tbb::enumerable_thread_specific<GreyLevelVolume> locals;
  std::atomic<std::size_t> done{1};
  const std::size_t total = roiVoxels.size();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(1, total, 32),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      progress.throwIfCancelled();
                      GreyLevelVolume& local = locals.local();
                      for (std::size_t m = range.begin(); m != range.end(); ++m) {
                        map[roiVoxels[m]] = valueAt(roiVoxels[m], local, false);
                      }
                      const std::size_t now = done.fetch_add(range.size()) + range.size();
                      progress.report(static_cast<double>(now) / static_cast<double>(total));
                    });
  progress.throwIfCancelled();
  progress.report(1.0);
  return map;
}

FeatureMap computeFeatureMap(const Volume& image, const MaskVolume& mask,
                             const FeatureSettings& settings, const std::string& tag,
                             double radius_mm, Progress& progress) {
  const TextureFeatureTag what = textureFeatureTag(tag);  // fail before the work
  if (!(radius_mm > 0.0) || !std::isfinite(radius_mm)) {
    throw ParameterError("the sphere radius must be a positive number of mm");
  }
  SubProgress prepProgress(progress, 0.0, 0.05);
  const PreparedRoi roi = prepareRoi(image, mask, settings, prepProgress);
  SubProgress mapProgress(progress, 0.05, 1.0);
  const std::vector<float> values =
      featureMapOnLevels(roi.grey_levels, tag, radius_mm, settings.texture, mapProgress);

  FeatureMap result;
  result.family = familyKey(what.family);
  for (std::size_t n = 0; n < values.size(); ++n) {
    if (roi.grey_levels.levels[n] > 0) {
      ++result.roi_voxels;
      if (std::isnan(values[n])) {
        ++result.undefined_voxels;
      }
    }
  }
  Geometry3D local = roi.image.geometry();
  local.size = roi.grey_levels.size;
  result.on_image_grid = !settings.interpolation.enabled;
  if (!result.on_image_grid) {
    result.map = Volume(local, std::numeric_limits<float>::quiet_NaN());
    std::copy(values.begin(), values.end(), result.map.data());
    return result;
  }
  // Same spacing and axes as the image: the cropped grid is a sub-box of the
  // image's grid, found by physical position.
  result.map = Volume(image.geometry(), std::numeric_limits<float>::quiet_NaN());
  const Eigen::Vector3d start = image.geometry().worldToIndex(local.origin_mm);
  const std::array<int, 3> offset{static_cast<int>(std::lround(start[0])),
                                  static_cast<int>(std::lround(start[1])),
                                  static_cast<int>(std::lround(start[2]))};
  for (int k = 0; k < local.size[2]; ++k) {
    for (int j = 0; j < local.size[1]; ++j) {
      for (int i = 0; i < local.size[0]; ++i) {
        const int ii = i + offset[0], jj = j + offset[1], kk = k + offset[2];
        if (!image.geometry().contains(ii, jj, kk)) {
          continue;
        }
        result.map.at(ii, jj, kk) = values[roi.grey_levels.index(i, j, k)];
      }
    }
  }
  return result;
}

}  // namespace harmonia::features
