#include "core/measure/HarmonizationPlan.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "core/harmonize/KernelMatching.h"
#include "core/harmonize/Resample.h"
#include "core/harmonize/ZScore.h"
#include "core/image/MetaDataKeys.h"
#include "core/util/Error.h"

namespace harmonia {

namespace {

bool positiveFinite(const Eigen::Vector3d& v) { return v.allFinite() && (v.array() > 0.0).all(); }

std::string vectorText(const Eigen::Vector3d& v) {
  std::ostringstream s;
  s << v.x() << "," << v.y() << "," << v.z();
  return s.str();
}

}  // namespace

const char* toString(IntensityStep step) {
  switch (step) {
    case IntensityStep::None:
      return "none";
    case IntensityStep::ZScore:
      return "zscore";
    case IntensityStep::Linear:
      return "linear";
  }
  return "none";
}

std::optional<IntensityStep> parseIntensityStep(const std::string& name) {
  if (name == "none") return IntensityStep::None;
  if (name == "zscore") return IntensityStep::ZScore;
  if (name == "linear") return IntensityStep::Linear;
  return std::nullopt;
}

const PlanScanner* HarmonizationPlan::find(const std::string& name) const {
  const auto it = std::find_if(scanners.begin(), scanners.end(),
                               [&](const PlanScanner& s) { return s.name == name; });
  return it == scanners.end() ? nullptr : &*it;
}

HarmonizationPlan proposePlan(std::span<const ScannerMeasurement> measurements,
                              IntensityStep intensity, double spacing_mm) {
  if (measurements.empty()) throw ParameterError("a harmonization plan needs at least one scanner");
  if (!(std::isfinite(spacing_mm) && spacing_mm >= 0.0)) {
    throw ParameterError("spacing_mm must be a positive number of millimetres (0: automatic)");
  }
  std::set<std::string> names;
  for (const auto& m : measurements) {
    if (m.name.empty()) throw ParameterError("every scanner of a plan needs a name");
    if (!names.insert(m.name).second) {
      throw ParameterError("two scanners are called '" + m.name + "'; give them distinct names");
    }
    if (!positiveFinite(m.fwhm_mm)) {
      throw ParameterError("scanner '" + m.name + "': FWHM (" + vectorText(m.fwhm_mm) +
                           ") mm must be positive and finite on every axis");
    }
    if (!positiveFinite(m.spacing_mm)) {
      throw ParameterError("scanner '" + m.name + "': spacing (" + vectorText(m.spacing_mm) +
                           ") mm must be positive and finite on every axis");
    }
    if (intensity == IntensityStep::Linear) {
      if (!m.values) {
        throw ParameterError("scanner '" + m.name +
                             "' has no value linearity fit; the linear intensity step needs one");
      }
      if (!std::isfinite(m.values->slope) || !std::isfinite(m.values->intercept) ||
          m.values->slope == 0.0) {
        throw ParameterError("scanner '" + m.name +
                             "': the linearity fit's slope must be finite and not 0");
      }
    }
  }
  HarmonizationPlan plan;
  plan.version = kHarmonizationPlanVersion;
  plan.intensity = intensity;
  plan.target_fwhm_mm = measurements.front().fwhm_mm;
  double coarsest = 0.0;
  for (const auto& m : measurements) {
    plan.target_fwhm_mm = plan.target_fwhm_mm.cwiseMax(m.fwhm_mm);
    coarsest = std::max(coarsest, m.spacing_mm.maxCoeff());
  }
  plan.spacing_mm = spacing_mm > 0.0 ? spacing_mm : coarsest;
  for (const auto& m : measurements) {
    PlanScanner s;
    s.name = m.name;
    s.fwhm_mm = m.fwhm_mm;
    s.extra_fwhm_mm = extraFwhm_mm(m.fwhm_mm, plan.target_fwhm_mm);
    s.values = m.values;
    plan.scanners.push_back(std::move(s));
  }
  return plan;
}

Volume applyPlan(const Volume& study, const HarmonizationPlan& plan,
                 const std::string& scanner_name, const MaskVolume* roi, Progress& progress) {
  const PlanScanner* scanner = plan.find(scanner_name);
  if (scanner == nullptr) {
    std::string known;
    for (const auto& s : plan.scanners) known += (known.empty() ? "" : ", ") + s.name;
    throw ParameterError("the plan has no scanner '" + scanner_name + "' (it has: " + known + ")");
  }
  if (!(std::isfinite(plan.spacing_mm) && plan.spacing_mm > 0.0)) {
    throw ParameterError("the plan's spacing_mm must be positive");
  }
  if (study.empty()) throw InputError("the study to harmonize is empty");
  if (plan.intensity == IntensityStep::Linear &&
      (!scanner->values || scanner->values->slope == 0.0 ||
       !std::isfinite(scanner->values->slope))) {
    throw ParameterError("scanner '" + scanner_name +
                         "' has no usable linearity fit for the plan's linear intensity step");
  }

  // 1. Resolution: from the scanner's FWHM to the target.
  SubProgress blurProgress(progress, 0.0, 0.5);
  KernelMatchParams kernel;
  kernel.from_fwhm_mm = scanner->fwhm_mm;
  kernel.to_fwhm_mm = plan.target_fwhm_mm;
  const Volume blurred = matchKernel(study, kernel, blurProgress);

  // 2. The common isotropic grid over the study's own box.
  SubProgress resampleProgress(progress, 0.5, 0.85);
  const Geometry3D grid = isotropicGrid(study.geometry(), plan.spacing_mm);
  Volume out = resample(blurred, grid, ResampleParams{}, resampleProgress);

  // 3. Intensities.
  SubProgress intensityProgress(progress, 0.85, 1.0);
  switch (plan.intensity) {
    case IntensityStep::None:
      break;
    case IntensityStep::ZScore: {
      MaskVolume region;
      if (roi == nullptr) {
        region = MaskVolume(grid, 1);
      } else if (roi->geometry().sameGrid(grid)) {
        region = *roi;
      } else if (roi->geometry().sameGrid(study.geometry())) {
        region = resampleMask(*roi, grid, MaskInterpolation::PartialVolume);
      } else {
        throw InputError("the z-score ROI lies on neither the study's grid nor the plan's grid");
      }
      ZScoreResult z = zscore(out, region, ZScoreParams{}, intensityProgress);
      out = std::move(z.image);
      break;
    }
    case IntensityStep::Linear: {
      const double slope = scanner->values->slope, intercept = scanner->values->intercept;
      for (float& v : out.voxels()) v = static_cast<float>((v - intercept) / slope);
      break;
    }
  }
  setVector3_mm(out.metadata(), metakey::kPsfFwhm_mm, plan.target_fwhm_mm);
  progress.report(1.0);
  return out;
}

VolumeAgreement compareOnGrid(const Volume& a, const Volume& b) {
  ResampleParams params;
  params.outside_value = std::numeric_limits<float>::quiet_NaN();
  const Volume bOnA = resample(b, a.geometry(), params);
  VolumeAgreement r;
  double sum2 = 0.0;
  const auto av = a.voxels();
  const auto bv = bOnA.voxels();
  for (std::size_t i = 0; i < av.size(); ++i) {
    if (!std::isfinite(av[i]) || !std::isfinite(bv[i])) continue;
    const double d = static_cast<double>(av[i]) - static_cast<double>(bv[i]);
    sum2 += d * d;
    r.max_abs_difference = std::max(r.max_abs_difference, std::abs(d));
    ++r.voxels;
  }
  if (r.voxels == 0) throw InputError("the two volumes do not overlap");
  r.rms_difference = std::sqrt(sum2 / static_cast<double>(r.voxels));
  return r;
}

}  // namespace harmonia
