// 2-D Gaussian blur of a 4000x3000 RGB float32 image, sigma 2 pixels, kernel
// radius 8 (4 sigma), mirror ("reflect101") border on both sides: Harmonia's
// gaussianBlur(Image2D) against cv::GaussianBlur with the same kernel size,
// sigma, border and thread count, measured in the same run. Both allocate
// their result afresh in every run (page faults included on both sides).

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>

#include "BenchSupport.h"
#include "core/filter/GaussianFilter.h"

using namespace harmonia;

int main(int argc, char** argv) {
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  cv::setNumThreads(threads);
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 7;
  const double sigma = 2.0;
  const int radius = gaussianKernelRadius(sigma, 4.0);
  bench::printHeader("2-D Gaussian blur, 4000x3000 RGB float32, sigma 2 px, radius " +
                         std::to_string(radius) + " px",
                     threads);
  Image2D image(4000, 3000, 3, SampleType::Float32);
  for (int y = 0; y < image.height(); ++y) {
    float* row = image.mat().ptr<float>(y);
    for (int x = 0; x < image.width() * 3; ++x) {
      row[x] = 0.5f + 0.3f * std::sin(0.01f * x) * std::cos(0.013f * y) +
               0.2f * bench::hashUnit(static_cast<std::uint64_t>(y) * 12000 + x);
    }
  }
  GaussianParams2D params;
  params.sigma_mm = {sigma, sigma};
  Image2D ours;
  const double tOurs = bench::bestOf(repeats, [&] { ours = gaussianBlur(image, params); });
  // Both sides produce a freshly allocated result image each run.
  cv::Mat reference;
  const double tCv = bench::bestOf(repeats, [&] {
    reference = cv::Mat();
    cv::GaussianBlur(image.mat(), reference, cv::Size(2 * radius + 1, 2 * radius + 1), sigma, sigma,
                     cv::BORDER_REFLECT_101);
  });
  std::printf("  max |ours - OpenCV| = %.3g (values 0..1)\n",
              cv::norm(ours.mat(), reference, cv::NORM_INF));
  bench::printResult("harmonia gaussianBlur(Image2D)", tOurs, "cv::GaussianBlur", tCv);
  return 0;
}
