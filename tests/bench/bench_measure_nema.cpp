// The phantom measurements on a PET-size volume (200x200x100 voxels of 3 mm):
// an IEC body-like phantom (warm cylinder, six hot spheres 10..37 mm at 10:1
// on the 57.2 mm ring, blurred to 6 mm FWHM, 5% noise). Prints the time of
// measureNoise (60x60x30 mm ROI, NPS, uniformity), measureValues (six
// inserts), measureNema with detection and the EARL post-filter search, and
// measureNema with given centres and no search. There is no reference
// library for these measurements, so only our times are printed.

#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>

#include "BenchSupport.h"
#include "core/filter/GaussianFilter.h"
#include "core/measure/InsertValues.h"
#include "core/measure/NemaRecovery.h"
#include "core/measure/Noise.h"

using namespace harmonia;

int main(int argc, char** argv) {
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 3;
  Geometry3D g;
  g.size = {200, 200, 100};
  g.spacing_mm = {3, 3, 3};
  g.origin_mm = {-298.5, -298.5, -148.5};
  Volume sharp(g, 0.0f);
  std::vector<Eigen::Vector3d> centres;
  for (int s = 0; s < 6; ++s) {
    const double a = s * std::numbers::pi / 3.0;
    centres.emplace_back(57.2 * std::cos(a), 57.2 * std::sin(a), 0.0);
  }
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const Eigen::Vector3d p = g.indexToWorld(Eigen::Vector3d(i, j, k));
        if (std::hypot(p[0], p[1]) > 140 || std::abs(p[2]) > 90) continue;
        float v = 1000.0f;
        for (int s = 0; s < 6; ++s)
          if ((p - centres[s]).norm() <= kNemaSphereDiameters_mm[s] / 2) v = 10000.0f;
        sharp.at(i, j, k) = v;
      }
  GaussianParams blur;
  blur.sigma_mm = Eigen::Vector3d::Constant(fwhmToSigma(6.0));
  Volume image = gaussianBlur(sharp, blur);
  std::mt19937 rng(1);
  std::normal_distribution<float> noise(0.0f, 50.0f);
  for (float& v : image.voxels()) v += noise(rng);

  bench::printHeader("Phantom measurements on 200x200x100 voxels of 3 mm (PET size)", threads);
  NoiseParams np;
  np.centre_mm = {0, 0, 60};
  np.half_size_mm = {30, 30, 15};
  const double tNoise = bench::bestOf(repeats, [&] { (void)measureNoise(image, np); });
  std::vector<InsertRoi> inserts;
  for (int s = 0; s < 6; ++s) {
    char name[16];
    std::snprintf(name, sizeof name, "sphere%d", s);
    inserts.push_back({name, centres[s], 4.0, 10000});
  }
  const double tValues = bench::bestOf(repeats, [&] { (void)measureValues(image, inserts); });
  NemaParams full;
  full.activity_ratio = 10;
  NemaResult result;
  const double tNema = bench::bestOf(repeats, [&] { result = measureNema(image, full); });
  NemaParams given = full;
  given.sphere_centres_mm = centres;
  given.suggest_filter = false;
  const double tNemaGiven = bench::bestOf(repeats, [&] { (void)measureNema(image, given); });
  std::printf("  %-52s %9.4f s\n", "measureNoise (ROI 60x60x30 mm, NPS, uniformity)", tNoise);
  std::printf("  %-52s %9.4f s\n", "measureValues (6 spheres of 4 mm)", tValues);
  std::printf("  %-52s %9.4f s\n", "measureNema (detect + EARL1/2 filter search)", tNema);
  std::printf("  %-52s %9.4f s\n", "measureNema (given centres, no search)", tNemaGiven);
  for (const NemaSphere& s : result.spheres) {
    std::printf("    %4.0f mm: RCmax %.3f RCmean %.3f RCpeak %.3f\n", s.diameter_mm, s.rc_max,
                s.rc_mean, s.rc_peak);
  }
  for (const EarlVerdict& v : result.verdicts) {
    std::printf("    %s: %s, suggested filter %.1f mm (-1: none)\n", v.standard.c_str(),
                v.pass ? "pass" : "fail", v.suggested_filter_fwhm_mm.value_or(-1.0));
  }
  std::printf("  (no reference library for these measurements)\n  load average %.2f at end\n",
              bench::loadAverage());
  return 0;
}
