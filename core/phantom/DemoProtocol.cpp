#include "core/phantom/DemoProtocol.h"

namespace harmonia {

std::array<ScannerParams, 2> demoScanners() {
  ScannerParams a;
  a.name = "Site A (sharp kernel)";
  a.gain_alpha = 1.0;
  a.offset_beta = 0.0;
  a.psf_fwhm_mm = {1.6, 1.6, 2.0};
  a.spacing_mm = {0.8, 0.8, 1.5};
  a.slice_thickness_mm = 1.5;
  a.noise_sigma = 12.0;
  a.noise_seed = 11;
  ScannerParams b;
  b.name = "Site B (smooth kernel)";
  b.gain_alpha = 0.85;
  b.offset_beta = 60.0;
  b.psf_fwhm_mm = {3.6, 3.6, 5.0};
  b.spacing_mm = {1.25, 1.25, 3.0};
  b.slice_thickness_mm = 3.0;
  b.noise_sigma = 6.0;
  b.noise_seed = 23;
  return {a, b};
}

PhantomParams demoPhantom() {
  PhantomParams p;
  p.fov_mm = {160.0, 160.0, 80.0};
  p.fine_spacing_mm = 0.7;
  return p;
}

DemoStudies makeDemoStudies(Progress& progress) {
  const auto scanners = demoScanners();
  SubProgress truthProgress(progress, 0.0, 0.3);
  const Volume truth = makePhantom(demoPhantom(), truthProgress);
  SubProgress aProgress(progress, 0.3, 0.65);
  Volume a = scanPhantom(truth, scanners[0], aProgress);
  SubProgress bProgress(progress, 0.65, 1.0);
  Volume b = scanPhantom(truth, scanners[1], bProgress);
  return {std::move(a), std::move(b)};
}

}  // namespace harmonia
