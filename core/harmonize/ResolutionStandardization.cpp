#include "core/harmonize/ResolutionStandardization.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/harmonize/KernelMatching.h"
#include "core/util/Error.h"

namespace harmonia {

StandardizationPlan planStandardization(std::span<const Geometry3D> grids,
                                        std::span<const Eigen::Vector3d> fwhm_mm,
                                        const StandardizationParams& params) {
  if (grids.empty()) throw ParameterError("standardization needs at least one study");
  if (grids.size() != fwhm_mm.size()) {
    throw ParameterError("standardization needs one FWHM per study (" +
                         std::to_string(grids.size()) + " studies, " +
                         std::to_string(fwhm_mm.size()) + " FWHM)");
  }
  if (params.reference_study >= grids.size()) {
    throw ParameterError("reference_study is out of range");
  }
  StandardizationPlan plan;
  Eigen::Vector3d worst = Eigen::Vector3d::Zero();
  double coarsest = 0.0;
  for (std::size_t s = 0; s < grids.size(); ++s) {
    for (int a = 0; a < 3; ++a) {
      if (!(fwhm_mm[s][a] >= 0.0) || !std::isfinite(fwhm_mm[s][a])) {
        throw ParameterError("FWHM values must be finite and >= 0 mm");
      }
      plan.target_fwhm_mm = std::max(plan.target_fwhm_mm, fwhm_mm[s][a]);
      worst[a] = std::max(worst[a], fwhm_mm[s][a]);
      coarsest = std::max(coarsest, grids[s].spacing_mm[a]);
    }
  }
  plan.spacing_mm = params.spacing_mm.value_or(coarsest);
  plan.grid = isotropicGrid(grids[params.reference_study], plan.spacing_mm);
  plan.target_fwhm_per_axis_mm =
      params.per_axis_target ? worst : Eigen::Vector3d::Constant(plan.target_fwhm_mm);
  for (int a = 0; a < 3; ++a) {
    const double floor = params.min_target_fwhm_mm[a];
    if (!std::isfinite(floor) || floor < 0.0) {
      throw ParameterError("min_target_fwhm_mm must be finite and >= 0 mm");
    }
    plan.target_fwhm_per_axis_mm[a] = std::max(plan.target_fwhm_per_axis_mm[a], floor);
  }
  if (!params.per_axis_target) {
    plan.target_fwhm_per_axis_mm.setConstant(plan.target_fwhm_per_axis_mm.maxCoeff());
  }
  plan.target_fwhm_mm = plan.target_fwhm_per_axis_mm.maxCoeff();
  const Eigen::Vector3d target = plan.target_fwhm_per_axis_mm;
  for (const Eigen::Vector3d& f : fwhm_mm) plan.extra_fwhm_mm.push_back(extraFwhm_mm(f, target));
  return plan;
}

StandardizationResult standardizeResolution(std::span<const Volume* const> studies,
                                            std::span<const Eigen::Vector3d> fwhm_mm,
                                            const StandardizationParams& params,
                                            Progress& progress) {
  std::vector<Geometry3D> grids;
  for (const Volume* v : studies) {
    if (v == nullptr || v->empty()) throw ParameterError("standardization: empty study");
    grids.push_back(v->geometry());
  }
  StandardizationResult result;
  result.plan = planStandardization(grids, fwhm_mm, params);
  const double n = static_cast<double>(studies.size());
  for (std::size_t s = 0; s < studies.size(); ++s) {
    KernelMatchParams blur;
    blur.from_fwhm_mm = fwhm_mm[s];
    blur.to_fwhm_mm = result.plan.target_fwhm_per_axis_mm;
    blur.truncate_sigmas = params.truncate_sigmas;
    blur.method = params.kernel_method;
    SubProgress blurProgress(progress, s / n, (s + 0.6) / n);
    const Volume blurred = matchKernel(*studies[s], blur, blurProgress);
    SubProgress resampleProgress(progress, (s + 0.6) / n, (s + 1) / n);
    result.volumes.push_back(resample(
        blurred, result.plan.grid, {params.interpolation, params.outside_value}, resampleProgress));
  }
  progress.report(1.0);
  return result;
}

}  // namespace harmonia
