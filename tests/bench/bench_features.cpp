// Radiomic features on a CT-sized volume: a 512x512x300 CT (0.7 x 0.7 x 1 mm)
// imaged from the digital phantom by the virtual scanner (core/phantom), a
// spherical ROI of ~100,000 voxels, 32 bins (fixed bin number), every family
// and every aggregation.
//
// Prints (1) the whole IBSI set (extractFeatures: processing chain + every
// family in parallel), (2) each family alone on the prepared ROI, (3) where
// ITK was found at configure time (HARMONIA_BENCH_WITH_ITK), ITK's
// ScalarImageToTextureFeaturesFilter (GLCM, 13 directions, every feature it
// has) and ScalarImageToRunLengthFeaturesFilter (GLRLM, 13 directions) on the
// same ROI and 32 bins, timed in the same run, with the ratio ITK / ours per
// family; ITK is given the image cropped to the ROI's box, as we crop too.
// (4) a feature map (cm_contrast_3D_avg, sphere of 5 mm) over a ~200,000-voxel
// ROI. Asserts nothing about time.
//
// Usage: bench_features [repeats] [--no-map]

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "BenchSupport.h"
#include "core/features/Extractor.h"
#include "core/features/Families.h"
#include "core/features/FeatureMap.h"
#include "core/features/Preprocessing.h"
#include "core/phantom/DigitalPhantom.h"

#ifdef HARMONIA_BENCH_WITH_ITK
#include <itkImage.h>
#include <itkImageRegionIterator.h>
#include <itkMultiThreaderBase.h>
#include <itkScalarImageToRunLengthFeaturesFilter.h>
#include <itkScalarImageToTextureFeaturesFilter.h>
#endif

using namespace harmonia;
using namespace harmonia::features;

namespace {

// A sphere of `voxels` voxels (about) at the grid's centre.
MaskVolume sphereMask(const Geometry3D& g, double voxels) {
  const double volume = voxels * g.spacing_mm.prod();
  const double r = std::cbrt(3.0 * volume / (4.0 * M_PI));
  MaskVolume m(g, 0);
  const Eigen::Vector3d c(0.5 * (g.size[0] - 1), 0.5 * (g.size[1] - 1), 0.5 * (g.size[2] - 1));
  for (int k = 0; k < g.size[2]; ++k) {
    for (int j = 0; j < g.size[1]; ++j) {
      for (int i = 0; i < g.size[0]; ++i) {
        const Eigen::Vector3d d((i - c[0]) * g.spacing_mm[0], (j - c[1]) * g.spacing_mm[1],
                                (k - c[2]) * g.spacing_mm[2]);
        if (d.squaredNorm() <= r * r) {
          m.at(i, j, k) = 1;
        }
      }
    }
  }
  return m;
}

std::size_t count(const MaskVolume& m) {
  std::size_t n = 0;
  for (auto v : m.voxels()) {
    n += v != 0;
  }
  return n;
}

#ifdef HARMONIA_BENCH_WITH_ITK
using ItkImage = itk::Image<float, 3>;

// The image and mask cropped to the mask's bounding box (plus one voxel).
struct ItkInputs {
  ItkImage::Pointer image;
  ItkImage::Pointer mask;
  float min = 0.0f, max = 0.0f;
};

ItkInputs itkInputs(const Volume& v, const MaskVolume& m) {
  std::array<int, 3> lo{v.nx(), v.ny(), v.nz()}, hi{-1, -1, -1};
  float mn = INFINITY, mx = -INFINITY;
  for (int k = 0; k < v.nz(); ++k) {
    for (int j = 0; j < v.ny(); ++j) {
      for (int i = 0; i < v.nx(); ++i) {
        if (m.at(i, j, k) == 0) {
          continue;
        }
        const std::array<int, 3> p{i, j, k};
        for (int a = 0; a < 3; ++a) {
          lo[a] = std::min(lo[a], p[a]);
          hi[a] = std::max(hi[a], p[a]);
        }
        mn = std::min(mn, v.at(i, j, k));
        mx = std::max(mx, v.at(i, j, k));
      }
    }
  }
  std::array<int, 3> size{};
  for (int a = 0; a < 3; ++a) {
    lo[a] = std::max(lo[a] - 1, 0);
    hi[a] = std::min(hi[a] + 1, v.geometry().size[a] - 1);
    size[a] = hi[a] - lo[a] + 1;
  }
  ItkInputs in;
  in.min = mn;
  in.max = mx;
  for (int which = 0; which < 2; ++which) {
    auto image = ItkImage::New();
    ItkImage::RegionType region;
    region.SetSize({static_cast<itk::SizeValueType>(size[0]),
                    static_cast<itk::SizeValueType>(size[1]),
                    static_cast<itk::SizeValueType>(size[2])});
    image->SetRegions(region);
    const double spacing[3] = {v.geometry().spacing_mm[0], v.geometry().spacing_mm[1],
                               v.geometry().spacing_mm[2]};
    image->SetSpacing(spacing);
    image->Allocate();
    float* out = image->GetBufferPointer();
    for (int k = 0; k < size[2]; ++k) {
      for (int j = 0; j < size[1]; ++j) {
        for (int i = 0; i < size[0]; ++i) {
          const int x = i + lo[0], y = j + lo[1], z = k + lo[2];
          *out++ = which == 0 ? v.at(x, y, z) : (m.at(x, y, z) != 0 ? 1.0f : 0.0f);
        }
      }
    }
    (which == 0 ? in.image : in.mask) = image;
  }
  return in;
}

double itkGlcm(const ItkInputs& in) {
  using Filter = itk::Statistics::ScalarImageToTextureFeaturesFilter<ItkImage>;
  auto filter = Filter::New();
  filter->SetInput(in.image);
  filter->SetMaskImage(in.mask);
  filter->SetInsidePixelValue(1.0f);
  filter->SetNumberOfBinsPerAxis(32);
  filter->SetPixelValueMinMax(in.min, in.max);
  filter->SetFastCalculations(false);  // every direction's matrix (as IBSI's 3D_avg)
  auto requested = Filter::FeatureNameVector::New();
  using Feature = itk::Statistics::HistogramToTextureFeaturesFilterEnums::TextureFeature;
  for (Feature f : {Feature::Energy, Feature::Entropy, Feature::Correlation,
                    Feature::InverseDifferenceMoment, Feature::Inertia, Feature::ClusterShade,
                    Feature::ClusterProminence, Feature::HaralickCorrelation}) {
    requested->push_back(static_cast<int>(f));
  }
  filter->SetRequestedFeatures(requested);
  filter->Update();
  return filter->GetFeatureMeans()->front();
}

double itkGlrlm(const ItkInputs& in, double maxDistance) {
  using Filter = itk::Statistics::ScalarImageToRunLengthFeaturesFilter<ItkImage>;
  auto filter = Filter::New();
  filter->SetInput(in.image);
  filter->SetMaskImage(in.mask);
  filter->SetInsidePixelValue(1.0f);
  filter->SetNumberOfBinsPerAxis(32);
  filter->SetPixelValueMinMax(in.min, in.max);
  filter->SetDistanceValueMinMax(0.0, maxDistance);
  filter->SetFastCalculations(false);
  filter->Update();
  return filter->GetFeatureMeans()->front();
}
#endif

}  // namespace

int run(int argc, char** argv) {
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  int repeats = 3;
  bool map = true;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--no-map") == 0) {
      map = false;
    } else {
      repeats = std::max(1, std::atoi(argv[a]));
    }
  }
  bench::printHeader(
      "IBSI features: 512x512x300 CT (0.7x0.7x1 mm), ~100,000-voxel ROI, 32 bins (FBN), every "
      "family and aggregation",
      threads);

  // The CT: the phantom imaged at 0.7 x 0.7 x 1 mm, intensities rounded (HU).
  const auto t0 = std::chrono::steady_clock::now();
  PhantomParams phantom;
  phantom.fov_mm = {358.4, 358.4, 300.0};
  phantom.fine_spacing_mm = 1.4;  // 256 x 256 x 214: scans to exactly 512 x 512 x 300
  ScannerParams scanner;
  scanner.spacing_mm = {0.7, 0.7, 1.0};
  scanner.slice_thickness_mm = 1.0;
  scanner.psf_fwhm_mm = {1.0, 1.0, 1.5};
  scanner.noise_sigma = 15.0;
  Volume ct = scanPhantom(makePhantom(phantom), scanner);
  for (float& v : ct.voxels()) {
    v = std::round(v);
  }
  std::printf("  CT %d x %d x %d made in %.1f s\n", ct.nx(), ct.ny(), ct.nz(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  const MaskVolume roiMask = sphereMask(ct.geometry(), 100000.0);
  std::printf("  ROI: %zu voxels\n", count(roiMask));

  FeatureSettings settings;  // every family, every aggregation, FBN 32, no interpolation
  settings.name = "bench";
  settings.discretisation = {DiscretisationMethod::FixedBinNumber, 32, 25.0, std::nullopt};
  settings.ivh.discretisation = {DiscretisationMethod::FixedBinSize, 0, 2.5, std::nullopt};

  // (1) The whole set.
  FeatureSet all;
  const double tAll =
      bench::bestOf(repeats, [&] { all = extractFeatures(ct, roiMask, settings, noProgress()); });
  std::printf("  (1) whole IBSI set: %zu features in %.3f s (best of %d)\n", all.size(), tAll,
              repeats);

  // (2) Each family alone on the prepared ROI.
  PreparedRoi roi;
  const double tPrep =
      bench::bestOf(repeats, [&] { roi = prepareRoi(ct, roiMask, settings, noProgress()); });
  std::printf("  (2) per family (each alone, the family's own parallelism only)\n");
  std::printf("      %-28s %8.4f s\n", "processing chain", tPrep);
  double tGlcm = 0.0, tGlrlm = 0.0;
  for (int i = 0; i < kFamilyCount; ++i) {
    const auto f = static_cast<Family>(i);
    std::size_t n = 0;
    const double t = bench::bestOf(repeats, [&] {
      FeatureSet out;
      computeFamily(f, roi, settings, out, noProgress());
      n = out.size();
    });
    std::printf("      %-28s %8.4f s  (%zu features)\n", familyKey(f), t, n);
    if (f == Family::Glcm) {
      tGlcm = t;
    }
    if (f == Family::Glrlm) {
      tGlrlm = t;
    }
  }
  FeatureSettings only3D = settings;
  only3D.texture.aggregations = {false, false, true};
  const double tGlcm3D = bench::bestOf(repeats, [&] {
    FeatureSet out;
    computeGlcm(roi.grey_levels, only3D.texture, out, noProgress());
  });
  const double tGlrlm3D = bench::bestOf(repeats, [&] {
    FeatureSet out;
    computeGlrlm(roi.grey_levels, only3D.texture, out, noProgress());
  });
  std::printf("      %-28s %8.4f s\n      %-28s %8.4f s\n", "glcm (3D aggregations only)", tGlcm3D,
              "glrlm (3D aggregations only)", tGlrlm3D);

#ifdef HARMONIA_BENCH_WITH_ITK
  // (3) ITK on the same ROI and bins.
  {
    itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(threads);
    const ItkInputs in = itkInputs(ct, roiMask);
    const auto size = in.image->GetLargestPossibleRegion().GetSize();
    std::printf(
        "  (3) ITK 5 on the ROI's box (%lu x %lu x %lu), 32 bins over [%g, %g], 13 "
        "directions\n",
        size[0], size[1], size[2], in.min, in.max);
    const int itkRepeats = std::max(1, repeats / 2);
    double sink = 0.0;
    const double tItkGlcm = bench::bestOf(itkRepeats, [&] { sink += itkGlcm(in); });
    const double maxRun =
        std::sqrt(double(size[0] * size[0] + size[1] * size[1] + size[2] * size[2]));
    const double tItkGlrlm = bench::bestOf(itkRepeats, [&] { sink += itkGlrlm(in, maxRun); });
    auto ratio = [](const char* family, double ours, double ours3D, double itk) {
      std::printf(
          "  %-6s ours %.4f s (every aggregation), %.4f s (3D only); ITK %.4f s\n"
          "         speed-up (ITK / ours): %.2fx (every aggregation), %.2fx (3D only)\n",
          family, ours, ours3D, itk, itk / ours, itk / ours3D);
    };
    ratio("GLCM", tGlcm, tGlcm3D, tItkGlcm);
    ratio("GLRLM", tGlrlm, tGlrlm3D, tItkGlrlm);
    if (sink == 12345.678) {
      std::printf(" ");  // keeps the results alive
    }
  }
#else
  std::printf("  (3) ITK comparison skipped: ITK was not found when this was configured\n");
  (void)tGlcm;
  (void)tGlrlm;
#endif

  // (4) A feature map over ~200,000 voxels, sphere of 5 mm.
  if (map) {
    const MaskVolume bigMask = sphereMask(ct.geometry(), 200000.0);
    FeatureMap result;
    const auto m0 = std::chrono::steady_clock::now();
    result = computeFeatureMap(ct, bigMask, settings, "cm_contrast_3D_avg", 5.0, noProgress());
    const double tMap =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m0).count();
    std::printf(
        "  (4) feature map cm_contrast_3D_avg, sphere 5 mm: %zu ROI voxels (%zu "
        "undefined) in %.2f s (%.1f us per voxel per thread)\n",
        result.roi_voxels, result.undefined_voxels, tMap,
        1e6 * tMap * threads / std::max<double>(1.0, static_cast<double>(result.roi_voxels)));
  }
  std::printf("  load average %.2f at end\n", bench::loadAverage());
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "bench_features: %s\n", e.what());
    return 1;
  }
}
