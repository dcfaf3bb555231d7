// 3-D Gaussian blur of a 512x512x300 float32 volume, sigma (1.2, 1.2, 0.6)
// voxels, kernel radius ceil(4 sigma) = (5, 5, 3): Harmonia's fused separable
// filter against VTK's vtkImageGaussianSmooth with the same sigma, radius and
// thread count, measured in the same run. Also prints the largest difference
// between the two away from the border (VTK clips the kernel at the border,
// we mirror, so only the interior is comparable).

#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkImageGaussianSmooth.h>
#include <vtkPointData.h>
#include <vtkSmartPointer.h>

#include <cmath>
#include <cstdio>

#include "BenchSupport.h"
#include "core/filter/GaussianFilter.h"
#include "ui/view/VtkBridge.h"

using namespace harmonia;

int main(int argc, char** argv) {
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 5;
  Geometry3D g;
  g.size = {512, 512, 300};
  g.spacing_mm = {1.0, 1.0, 1.0};
  const Volume input = bench::texturedVolume(g);
  const double sigma[3] = {1.2, 1.2, 0.6};
  const double truncate = 4.0;
  bench::printHeader("3-D Gaussian blur, 512x512x300 float32, sigma (1.2, 1.2, 0.6) voxels",
                     threads);

  GaussianParams params;
  params.sigma_mm = {sigma[0], sigma[1], sigma[2]};
  params.truncate_sigmas = truncate;
  Volume ours;
  const double tOurs = bench::bestOf(repeats, [&] { ours = gaussianBlur(input, params); });

  vtkSmartPointer<vtkImageData> vtkInput = toVtkImage(input);
  auto smooth = vtkSmartPointer<vtkImageGaussianSmooth>::New();
  smooth->SetInputData(vtkInput);
  smooth->SetDimensionality(3);
  smooth->SetStandardDeviations(sigma[0], sigma[1], sigma[2]);
  int radius[3];
  for (int a = 0; a < 3; ++a) {
    radius[a] = gaussianKernelRadius(sigma[a], truncate);
    // VTK's radius is int(sigma * factor): aim at the middle of the integer.
  }
  smooth->SetRadiusFactors((radius[0] + 0.5) / sigma[0], (radius[1] + 0.5) / sigma[1],
                           (radius[2] + 0.5) / sigma[2]);
  smooth->SetNumberOfThreads(threads);
  const double tVtk = bench::bestOf(std::max(1, repeats / 2), [&] {
    smooth->Modified();
    smooth->Update();
  });
  std::printf("  kernel radius (%d, %d, %d) voxels, truncation at 4 sigma\n", radius[0], radius[1],
              radius[2]);
  const float* ref = static_cast<const float*>(smooth->GetOutput()->GetScalarPointer());
  double maxDiff = 0.0;
  for (int k = radius[2]; k < g.size[2] - radius[2]; k += 7) {
    for (int j = radius[1]; j < g.size[1] - radius[1]; ++j) {
      for (int i = radius[0]; i < g.size[0] - radius[0]; ++i) {
        const std::size_t idx = ours.index(i, j, k);
        maxDiff = std::max(maxDiff, static_cast<double>(std::abs(ours.data()[idx] - ref[idx])));
      }
    }
  }
  std::printf("  interior max |ours - VTK| = %.3g (values ~0..1000)\n", maxDiff);
  bench::printResult("harmonia gaussianBlur", tOurs, "vtkImageGaussianSmooth", tVtk);
  return 0;
}
