// The validation protocol end to end with two 256^3 scans (a 256 mm phantom
// at 1 mm, two scanners on one 1 mm grid, OutputGridFourier PSF: the exact
// scenario), each stage timed; then runProtocol() as a whole. Reference
// comparison: the Fourier-domain Gaussian blur against our spatial
// gaussianBlur (3-D) and against OpenCV's cv::GaussianBlur applied slice by
// slice (in-plane only, so ours is run in-plane only for that row).

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>

#include "BenchSupport.h"
#include "core/features/Extractor.h"
#include "core/filter/FourierGaussian.h"
#include "core/filter/GaussianFilter.h"
#include "core/harmonize/ResolutionStandardization.h"
#include "core/harmonize/ZScore.h"
#include "core/image/RoiShapes.h"
#include "core/phantom/Protocol.h"

using namespace harmonia;

namespace {

double seconds(const std::function<void()>& f) { return bench::bestOf(1, f); }

}  // namespace

int main(int argc, char** argv) {
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const double roiFraction = argc > 1 ? std::atof(argv[1]) : 0.25;
  bench::printHeader("Validation protocol, two 256^3 scans (shared 1 mm grid, Fourier PSF)",
                     threads);

  ProtocolConfig config = defaultProtocolConfig();
  config.phantom.fov_mm = Eigen::Vector3d(256, 256, 256);
  config.phantom.fine_spacing_mm = 1.0;
  config.roi_fraction = roiFraction;
  config.scenarios.resize(1);  // shared-grid-exact
  for (ScannerParams& s : config.scenarios[0].scanners) {
    s.spacing_mm = Eigen::Vector3d(1, 1, 1);
    s.slice_thickness_mm = 1.0;
  }
  const auto& scanners = config.scenarios[0].scanners;

  Volume truth, a, b;
  const double tTruth = seconds([&] { truth = makePhantom(config.phantom); });
  const double tScanA = seconds([&] { a = scanPhantom(truth, scanners[0]); });
  const double tScanB = seconds([&] { b = scanPhantom(truth, scanners[1]); });
  std::printf("  scan size %d x %d x %d\n", a.nx(), a.ny(), a.nz());
  std::printf("  %-40s %9.3f s\n", "phantom (ground truth, 256^3)", tTruth);
  std::printf("  %-40s %9.3f s\n", "scan A (voxel average + Fourier PSF)", tScanA);
  std::printf("  %-40s %9.3f s\n", "scan B", tScanB);

  const std::vector<const Volume*> scans{&a, &b};
  std::vector<Eigen::Vector3d> fwhm;
  for (const ScannerParams& s : scanners) fwhm.push_back(s.psf_fwhm_mm);
  StandardizationParams params;
  params.per_axis_target = true;
  params.interpolation = config.interpolation;
  StandardizationResult fourier, spatial;
  params.kernel_method = KernelMethod::Fourier;
  const double tStdF = seconds([&] { fourier = standardizeResolution(scans, fwhm, params); });
  params.kernel_method = KernelMethod::Spatial;
  const double tStdS = seconds([&] { spatial = standardizeResolution(scans, fwhm, params); });
  std::printf("  %-40s %9.3f s\n", "standardize both, Fourier kernels", tStdF);
  std::printf("  %-40s %9.3f s\n", "standardize both, spatial kernels", tStdS);

  const Eigen::Vector3d half =
      roiFraction * config.phantom.fov_mm.cwiseProduct(Eigen::Vector3d(0.44, 0.34, 0.45));
  const MaskVolume roi = boxMask(fourier.plan.grid, Eigen::Vector3d::Zero(), half);
  std::vector<Volume> z(2);
  const double tZ = seconds([&] {
    for (int s = 0; s < 2; ++s) z[s] = zscore(fourier.volumes[s], roi).image;
  });
  std::size_t roiVoxels = 0;
  for (auto v : roi.voxels()) roiVoxels += v != 0;
  std::printf("  %-40s %9.3f s\n", "z-score both", tZ);

  features::FeatureSettings settings;
  settings.families = {features::Family::Glcm,  features::Family::Glrlm, features::Family::Glszm,
                       features::Family::Gldzm, features::Family::Ngtdm, features::Family::Ngldm};
  settings.discretisation.bin_count = config.bin_number;
  settings.diagnostics = false;
  const double tFeat = seconds([&] {
    for (int s = 0; s < 2; ++s) features::extractFeatures(z[s], roi, settings, noProgress());
  });
  std::printf("  %-40s %9.3f s  (ROI %zu voxels)\n", "texture features, both scanners", tFeat,
              roiVoxels);

  ProtocolResult result;
  const double tAll = seconds([&] { result = runProtocol(config); });
  std::printf("  %-40s %9.3f s  (max rel. diff before %.3g, after %.3g, spatial %.3g)\n",
              "runProtocol, end to end", tAll, result.scenarios[0].max_rel_diff_before,
              result.scenarios[0].max_rel_diff_after,
              result.scenarios[0].max_rel_diff_after_spatial);

  // Reference comparison: one 3 x 3 x 4 mm FWHM blur of a 256^3 scan.
  const Eigen::Vector3d f3(3.0, 3.0, 4.0);
  Volume out;
  const double tF3 = bench::bestOf(3, [&] { out = gaussianBlurFourier(a, f3); });
  GaussianParams gp;
  gp.sigma_mm = f3 / (2.0 * std::sqrt(2.0 * std::log(2.0)));
  const double tS3 = bench::bestOf(3, [&] { out = gaussianBlur(a, gp); });
  std::printf("\n  3-D blur of a 256^3 scan, FWHM (3, 3, 4) mm\n");
  bench::printResult("ours, Fourier (float64, periodic)", tF3, "ours, spatial (float32, mirror)",
                     tS3);
  // In-plane only, against OpenCV slice by slice (BORDER_REFLECT_101 = our mirror).
  const Eigen::Vector3d f2(3.0, 3.0, 0.0);
  const double tF2 = bench::bestOf(3, [&] { out = gaussianBlurFourier(a, f2); });
  const double sigma = gp.sigma_mm.x();
  const int radius = gaussianKernelRadius(sigma, 4.0);
  Volume cvOut(a.geometry());
  const double tCv = bench::bestOf(3, [&] {
    tbb::parallel_for(0, a.nz(), [&](int k) {
      const cv::Mat in(a.ny(), a.nx(), CV_32F, const_cast<float*>(a.slice(k)));
      cv::Mat dst(a.ny(), a.nx(), CV_32F, cvOut.slice(k));
      cv::GaussianBlur(in, dst, cv::Size(2 * radius + 1, 2 * radius + 1), sigma, sigma,
                       cv::BORDER_REFLECT_101);
    });
  });
  std::printf("\n  in-plane blur of a 256^3 scan, FWHM 3 mm, every slice\n");
  bench::printResult("ours, Fourier (float64, periodic)", tF2, "OpenCV GaussianBlur per slice",
                     tCv);
  return 0;
}
