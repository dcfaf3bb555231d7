#include "core/harmonize/KernelMatching.h"

#include <cmath>
#include <sstream>

#include "core/filter/FourierGaussian.h"
#include "core/filter/GaussianFilter.h"
#include "core/util/Error.h"

namespace harmonia {

const char* toString(KernelMethod method) {
  return method == KernelMethod::Fourier ? "fourier" : "spatial";
}

std::optional<KernelMethod> parseKernelMethod(const std::string& name) {
  if (name == "spatial") return KernelMethod::Spatial;
  if (name == "fourier") return KernelMethod::Fourier;
  return std::nullopt;
}

Eigen::Vector3d extraFwhm_mm(const Eigen::Vector3d& from_fwhm_mm, const Eigen::Vector3d& to_fwhm_mm,
                             int axes, double tolerance_mm) {
  Eigen::Vector3d extra = Eigen::Vector3d::Zero();
  for (int a = 0; a < axes; ++a) {
    const double from = from_fwhm_mm[a];
    const double to = to_fwhm_mm[a];
    if (!std::isfinite(from) || !std::isfinite(to) || from < 0.0 || to < 0.0) {
      throw ParameterError("FWHM values must be finite and >= 0 mm");
    }
    if (to < from - tolerance_mm) {
      std::ostringstream s;
      s << "cannot sharpen: the target FWHM " << to << " mm on axis "
        << "xyz"[a] << " is sharper than the source's " << from
        << " mm; sharpening (deconvolution) is ill-posed, so blur the sharper image to the "
           "blurrier one instead";
      throw ParameterError(s.str());
    }
    extra[a] = std::sqrt(std::max(0.0, to * to - from * from));
  }
  return extra;
}

KernelMatchPlan planKernelMatch(const KernelMatchParams& params, const Eigen::Vector3d& spacing_mm,
                                int axes) {
  if (!(params.truncate_sigmas > 0.0)) throw ParameterError("truncate_sigmas must be > 0");
  KernelMatchPlan plan;
  plan.extra_fwhm_mm =
      extraFwhm_mm(params.from_fwhm_mm, params.to_fwhm_mm, axes, params.tolerance_mm);
  for (int a = 0; a < axes; ++a) {
    if (!(spacing_mm[a] > 0.0)) throw ParameterError("spacing must be > 0 mm");
    plan.sigma_mm[a] = fwhmToSigma(plan.extra_fwhm_mm[a]);
    plan.sigma_voxels[a] = plan.sigma_mm[a] / spacing_mm[a];
    plan.radius_voxels[a] = plan.sigma_voxels[a] > 0.0
                                ? gaussianKernelRadius(plan.sigma_voxels[a], params.truncate_sigmas)
                                : 0;
  }
  return plan;
}

Volume matchKernel(const Volume& input, const KernelMatchParams& params, Progress& progress) {
  const KernelMatchPlan plan = planKernelMatch(params, input.geometry().spacing_mm, 3);
  if (params.method == KernelMethod::Fourier) {
    return gaussianBlurFourier(input, plan.extra_fwhm_mm, progress);
  }
  GaussianParams blur;
  blur.sigma_mm = plan.sigma_mm;
  blur.truncate_sigmas = params.truncate_sigmas;
  return gaussianBlur(input, blur, progress);
}

Image2D matchKernel(const Image2D& input, const KernelMatchParams& params, Progress& progress) {
  if (params.method == KernelMethod::Fourier) {
    throw ParameterError("kernel matching of 2-D images: only the spatial method is available");
  }
  const Eigen::Vector3d spacing(input.spacing_mm()[0], input.spacing_mm()[1], 1.0);
  const KernelMatchPlan plan = planKernelMatch(params, spacing, 2);
  GaussianParams2D blur;
  blur.sigma_mm = plan.sigma_mm.head<2>();
  blur.truncate_sigmas = params.truncate_sigmas;
  return gaussianBlur(input, blur, progress);
}

}  // namespace harmonia
