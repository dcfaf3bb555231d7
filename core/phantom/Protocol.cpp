// The validation protocol (Protocol.h): scans, harmonization, feature agreement.
#include "core/phantom/Protocol.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "core/features/Extractor.h"
#include "core/harmonize/ResolutionStandardization.h"
#include "core/harmonize/ZScore.h"
#include "core/image/RoiShapes.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

using Eigen::Vector3d;
namespace ft = harmonia::features;

// The body's semi axes, as makePhantom draws it (DigitalPhantom.cpp).
Vector3d bodySemiAxes(const PhantomParams& p) {
  return p.fov_mm.cwiseProduct(Vector3d(0.44, 0.34, 0.45));
}

// FWHM of the Gaussian with a box of width w's variance, w^2 / 12.
double boxFwhm(double w) { return std::sqrt(8.0 * std::log(2.0) / 12.0) * w; }

// The scanner's resolution: its PSF combined with the box average over its voxel.
Vector3d effectiveFwhm(const ScannerParams& s) {
  const Vector3d extent(s.spacing_mm.x(), s.spacing_mm.y(), s.slice_thickness_mm);
  Vector3d f;
  for (int a = 0; a < 3; ++a) f[a] = std::hypot(s.psf_fwhm_mm[a], boxFwhm(extent[a]));
  return f;
}

ft::FeatureSettings featureSettings(int bins) {
  ft::FeatureSettings s;
  s.name = "protocol";
  s.families = {ft::Family::IntensityHistogram,
                ft::Family::IntensityVolumeHistogram,
                ft::Family::Glcm,
                ft::Family::Glrlm,
                ft::Family::Glszm,
                ft::Family::Gldzm,
                ft::Family::Ngtdm,
                ft::Family::Ngldm};
  s.interpolation.enabled = false;
  s.discretisation.method = ft::DiscretisationMethod::FixedBinNumber;
  s.discretisation.bin_count = bins;
  s.ivh.discretisation.method = ft::DiscretisationMethod::FixedBinNumber;
  s.ivh.discretisation.bin_count = bins;
  s.diagnostics = false;
  return s;
}

MaskVolume roiMask(const Geometry3D& grid, const ProtocolConfig& config) {
  const Vector3d half = config.roi_fraction * bodySemiAxes(config.phantom);
  return boxMask(grid, Vector3d::Zero(), half);
}

// Features of every image in its ROI.
std::vector<ft::FeatureSet> extractAll(const std::vector<Volume>& images,
                                       const std::vector<MaskVolume>& masks,
                                       const ft::FeatureSettings& settings, Progress& progress) {
  std::vector<ft::FeatureSet> out;
  const double n = static_cast<double>(images.size());
  for (std::size_t s = 0; s < images.size(); ++s) {
    SubProgress sub(progress, s / n, (s + 1) / n);
    out.push_back(ft::extractFeatures(images[s], masks[s], settings, sub));
  }
  return out;
}

// Max over scanner pairs of each feature's relative difference; nullopt when
// the feature is undefined for some scanner.
std::map<std::string, double> pairwise(const std::vector<ft::FeatureSet>& sets,
                                       std::set<std::string>& undefined) {
  std::map<std::string, double> out;
  for (const ft::Feature& f : sets.front().features()) {
    bool ok = f.defined();
    double worst = 0.0;
    for (std::size_t a = 0; a < sets.size() && ok; ++a) {
      const ft::Feature* fa = sets[a].find(f.tag);
      if (fa == nullptr || !fa->defined()) {
        ok = false;
        break;
      }
      for (std::size_t b = a + 1; b < sets.size(); ++b) {
        const ft::Feature* fb = sets[b].find(f.tag);
        if (fb == nullptr || !fb->defined()) {
          ok = false;
          break;
        }
        worst = std::max(worst, relativeDifference(fa->value, fb->value));
      }
    }
    if (ok) {
      out[f.tag] = worst;
    } else {
      undefined.insert(f.tag);
    }
  }
  return out;
}

double maxImageDifference(const std::vector<Volume>& images, const MaskVolume* roi = nullptr) {
  double worst = 0.0;
  for (std::size_t a = 0; a < images.size(); ++a) {
    for (std::size_t b = a + 1; b < images.size(); ++b) {
      const auto va = images[a].voxels();
      const auto vb = images[b].voxels();
      for (std::size_t v = 0; v < va.size(); ++v) {
        if (roi != nullptr && roi->data()[v] == 0) continue;
        worst = std::max(worst, std::abs(static_cast<double>(va[v]) - vb[v]));
      }
    }
  }
  return worst;
}

// ROI voxels whose FBN grey level (over each image's own ROI range) differs
// between some pair of images on one grid.
std::size_t greyLevelFlips(const std::vector<Volume>& images, const MaskVolume& roi, int bins) {
  std::vector<std::vector<int>> levels;
  for (const Volume& v : images) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t n = 0; n < v.voxelCount(); ++n) {
      if (roi.data()[n] == 0) continue;
      lo = std::min(lo, static_cast<double>(v.data()[n]));
      hi = std::max(hi, static_cast<double>(v.data()[n]));
    }
    std::vector<int> l;
    for (std::size_t n = 0; n < v.voxelCount(); ++n) {
      if (roi.data()[n] == 0) continue;
      const double x = v.data()[n];
      l.push_back(
          hi > lo
              ? std::clamp(static_cast<int>(std::floor(bins * (x - lo) / (hi - lo))) + 1, 1, bins)
              : 1);
    }
    levels.push_back(std::move(l));
  }
  std::size_t flips = 0;
  for (std::size_t n = 0; n < levels.front().size(); ++n) {
    for (std::size_t s = 1; s < levels.size(); ++s) {
      if (levels[s][n] != levels[0][n]) {
        ++flips;
        break;
      }
    }
  }
  return flips;
}

struct Harmonized {
  std::vector<Volume> images;
  StandardizationPlan plan;
};

// The largest voxel extent per axis over the scanners (slice thickness along z).
Vector3d largestExtent(const ProtocolScenario& scenario, double common_spacing_mm) {
  Vector3d e = Vector3d::Constant(common_spacing_mm);
  for (const ScannerParams& s : scenario.scanners) {
    e = e.cwiseMax(Vector3d(s.spacing_mm.x(), s.spacing_mm.y(), s.slice_thickness_mm));
    e = e.cwiseMax(s.spacing_mm);
  }
  return e;
}

Harmonized harmonize(const std::vector<Volume>& scans, const std::vector<Vector3d>& fwhm,
                     const ProtocolConfig& config, const Vector3d& floor, KernelMethod method,
                     Progress& progress) {
  std::vector<const Volume*> ptrs;
  ptrs.reserve(scans.size());
  for (const Volume& v : scans) ptrs.push_back(&v);
  StandardizationParams params;
  if (config.common_spacing_mm > 0.0) params.spacing_mm = config.common_spacing_mm;
  params.interpolation = config.interpolation;
  params.per_axis_target = true;
  params.kernel_method = method;
  params.min_target_fwhm_mm = floor;
  SubProgress standardizeProgress(progress, 0.0, 0.8);
  StandardizationResult standardized =
      standardizeResolution(ptrs, fwhm, params, standardizeProgress);
  const MaskVolume roi = roiMask(standardized.plan.grid, config);
  Harmonized out;
  out.plan = standardized.plan;
  for (Volume& v : standardized.volumes) out.images.push_back(zscore(v, roi).image);
  progress.report(1.0);
  return out;
}

void validate(const ProtocolConfig& config) {
  if (config.scenarios.empty()) throw ParameterError("protocol: no scenarios");
  if (config.bin_number < 2) throw ParameterError("protocol: bin_number must be >= 2");
  if (!(config.common_spacing_mm >= 0.0) || !std::isfinite(config.common_spacing_mm)) {
    throw ParameterError("protocol: common_spacing_mm must be >= 0 (0: the coarsest)");
  }
  if (!(config.min_target_fwhm_voxels >= 0.0) || !std::isfinite(config.min_target_fwhm_voxels)) {
    throw ParameterError("protocol: min_target_fwhm_voxels must be >= 0");
  }
  if (!(config.roi_fraction > 0.0 && config.roi_fraction < 1.0)) {
    throw ParameterError("protocol: roi_fraction must be in (0, 1)");
  }
  for (const ProtocolScenario& s : config.scenarios) {
    if (s.scanners.size() < 2) {
      throw ParameterError("protocol: scenario '" + s.name + "' needs at least two scanners");
    }
  }
}

ScenarioResult runScenario(const Volume& truth, const ProtocolScenario& scenario,
                           const ProtocolConfig& config, Progress& progress) {
  ScenarioResult r;
  r.name = scenario.name;
  const double n = static_cast<double>(scenario.scanners.size());
  std::vector<Vector3d> fwhm;
  for (std::size_t s = 0; s < scenario.scanners.size(); ++s) {
    SubProgress scanProgress(progress, 0.3 * s / n, 0.3 * (s + 1) / n);
    r.scans.push_back(scanPhantom(truth, scenario.scanners[s], scanProgress));
    fwhm.push_back(effectiveFwhm(scenario.scanners[s]));
  }
  const Vector3d floor =
      config.min_target_fwhm_voxels * largestExtent(scenario, config.common_spacing_mm);
  SubProgress fourierProgress(progress, 0.3, 0.45);
  Harmonized fourier =
      harmonize(r.scans, fwhm, config, floor, KernelMethod::Fourier, fourierProgress);
  SubProgress spatialProgress(progress, 0.45, 0.6);
  Harmonized spatial =
      harmonize(r.scans, fwhm, config, floor, KernelMethod::Spatial, spatialProgress);
  r.target_fwhm_mm = fourier.plan.target_fwhm_per_axis_mm;
  r.common_spacing_mm = fourier.plan.spacing_mm;
  r.max_image_diff_after = maxImageDifference(fourier.images);
  r.max_image_diff_after_spatial = maxImageDifference(spatial.images);

  const ft::FeatureSettings settings = featureSettings(config.bin_number);
  std::vector<MaskVolume> scanMasks, commonMasks;
  for (const Volume& v : r.scans) scanMasks.push_back(roiMask(v.geometry(), config));
  const MaskVolume common = roiMask(fourier.plan.grid, config);
  r.max_image_diff_after_roi = maxImageDifference(fourier.images, &common);
  commonMasks.assign(r.scans.size(), common);
  SubProgress p1(progress, 0.6, 0.73), p2(progress, 0.73, 0.86), p3(progress, 0.86, 1.0);
  const auto before = extractAll(r.scans, scanMasks, settings, p1);
  const auto after = extractAll(fourier.images, commonMasks, settings, p2);
  const auto afterSpatial = extractAll(spatial.images, commonMasks, settings, p3);

  std::set<std::string> undefined;
  const auto dBefore = pairwise(before, undefined);
  const auto dAfter = pairwise(after, undefined);
  const auto dSpatial = pairwise(afterSpatial, undefined);
  std::map<std::string, std::size_t> familyIndex;
  for (const ft::Feature& f : before.front().features()) {
    if (undefined.count(f.tag) != 0) continue;
    FeatureAgreement a{f.tag, f.family, dBefore.at(f.tag), dAfter.at(f.tag), dSpatial.at(f.tag)};
    r.features.push_back(a);
    auto [it, added] = familyIndex.emplace(f.family, r.families.size());
    if (added) r.families.push_back(FamilyAgreement{f.family, 0, 0, 0});
    FamilyAgreement& fam = r.families[it->second];
    fam.max_rel_diff_before = std::max(fam.max_rel_diff_before, a.before);
    fam.max_rel_diff_after = std::max(fam.max_rel_diff_after, a.after);
    fam.max_rel_diff_after_spatial = std::max(fam.max_rel_diff_after_spatial, a.after_spatial);
    r.max_rel_diff_before = std::max(r.max_rel_diff_before, a.before);
    r.max_rel_diff_after = std::max(r.max_rel_diff_after, a.after);
    r.max_rel_diff_after_spatial = std::max(r.max_rel_diff_after_spatial, a.after_spatial);
  }
  if (!undefined.empty()) {
    std::string list;
    for (const std::string& t : undefined) list += (list.empty() ? "" : ", ") + t;
    r.notes.push_back("skipped (undefined for some scanner): " + list);
  }
  std::size_t roiVoxels = 0;
  for (std::uint8_t m : common.voxels()) roiVoxels += m != 0 ? 1 : 0;
  const std::size_t flips = greyLevelFlips(fourier.images, common, config.bin_number);
  r.notes.push_back(std::to_string(flips) + " of " + std::to_string(roiVoxels) +
                    " ROI voxels fall in different grey levels between scanners after "
                    "harmonization");
  std::ostringstream s;
  s << "target FWHM per axis " << r.target_fwhm_mm.x() << ", " << r.target_fwhm_mm.y() << ", "
    << r.target_fwhm_mm.z() << " mm (PSF with each voxel's box average); common grid "
    << r.common_spacing_mm << " mm";
  r.notes.push_back(s.str());
  r.harmonized = std::move(fourier.images);
  progress.report(1.0);
  return r;
}

}  // namespace

double relativeDifference(double a, double b) {
  const double scale = std::max({std::abs(a), std::abs(b), 1e-300});
  return std::abs(a - b) / scale;
}

ProtocolConfig defaultProtocolConfig() {
  ProtocolConfig c;
  // Every scanner's grid spans the field of view exactly (96 / 0.8, 96 / 1.28,
  // 48 / 3.2 ... are whole numbers), so the coarse grids line up with the
  // common grid and the periodic domains of the Fourier blur are the same.
  c.phantom.fov_mm = Vector3d(96.0, 96.0, 48.0);
  c.phantom.fine_spacing_mm = 0.5;
  // A texture phantom: texture of +-400 (HU-like) around the inserts' range
  // (-750 to 700), so that 32 fixed bins over the ROI's range resolve the
  // texture. With the generator's default 40 the texture spans one or two bins
  // and integer-valued features (the grey-level IQR) flip between 0 and 1 with
  // a single voxel, which says nothing about harmonization.
  c.phantom.texture_amplitude = 400.0;
  ScannerParams a;
  a.name = "A";
  a.gain_alpha = 1.0;
  a.offset_beta = 0.0;
  a.psf_fwhm_mm = Vector3d(1.5, 1.5, 2.5);
  a.spacing_mm = Vector3d(1.0, 1.0, 2.0);
  a.slice_thickness_mm = 2.0;
  a.psf_model = PsfModel::OutputGridFourier;
  ScannerParams b = a;
  b.name = "B";
  b.gain_alpha = 0.85;
  b.offset_beta = 60.0;
  b.psf_fwhm_mm = Vector3d(2.5, 2.0, 3.5);
  c.scenarios.push_back({"shared-grid-exact", {a, b}});

  ScannerParams ga;
  ga.name = "A (thin slices)";
  ga.gain_alpha = 1.0;
  ga.offset_beta = 0.0;
  ga.psf_fwhm_mm = Vector3d(1.6, 1.6, 2.0);
  ga.spacing_mm = Vector3d(0.8, 0.8, 1.6);
  ga.slice_thickness_mm = 1.6;
  ScannerParams gb;
  gb.name = "B (thick slices)";
  gb.gain_alpha = 0.85;
  gb.offset_beta = 60.0;
  gb.psf_fwhm_mm = Vector3d(3.0, 3.0, 4.0);
  gb.spacing_mm = Vector3d(1.28, 1.28, 3.2);
  gb.slice_thickness_mm = 3.2;
  c.scenarios.push_back({"different-grids", {ga, gb}});
  ga.noise_sigma = 6.0;
  ga.noise_seed = 11;
  gb.noise_sigma = 4.0;
  gb.noise_seed = 23;
  c.scenarios.push_back({"different-grids-noise", {ga, gb}});
  return c;
}

ProtocolResult runProtocol(const ProtocolConfig& config, Progress& progress) {
  validate(config);
  SubProgress truthProgress(progress, 0.0, 0.1);
  const Volume truth = makePhantom(config.phantom, truthProgress);
  ProtocolResult result;
  const double n = static_cast<double>(config.scenarios.size());
  for (std::size_t s = 0; s < config.scenarios.size(); ++s) {
    SubProgress sub(progress, 0.1 + 0.9 * s / n, 0.1 + 0.9 * (s + 1) / n);
    result.scenarios.push_back(runScenario(truth, config.scenarios[s], config, sub));
  }
  progress.report(1.0);
  return result;
}

}  // namespace harmonia
