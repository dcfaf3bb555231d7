#pragma once
// The inputs of the Poisson compositing benchmarks (bench_blend,
// bench_live_drag): smooth random RGB textures and an elliptical mask filling
// the patch, the same for Harmonia and cv::seamlessClone.

#include <tbb/global_control.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

namespace harmonia::bench {

/// Smooth random RGB texture: three octaves of bicubically enlarged noise.
inline cv::Mat texture(int w, int h, unsigned seed) {
  cv::RNG rng(seed);
  cv::Mat sum = cv::Mat::zeros(h, w, CV_32FC3);
  double weight = 0.5;
  for (int cell : {64, 16, 4}) {
    cv::Mat noise(std::max(2, h / cell), std::max(2, w / cell), CV_32FC3);
    rng.fill(noise, cv::RNG::UNIFORM, 0.0, 255.0);
    cv::Mat big;
    cv::resize(noise, big, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
    sum += weight * big;
    weight /= 2;
  }
  cv::Mat out;
  sum.convertTo(out, CV_8UC3, 1.0 / 0.875);
  return out;
}

/// An 8-bit mask (255 inside) holding the ellipse inscribed in w x h, 2 px in.
inline cv::Mat ellipseMask(int w, int h) {
  cv::Mat m = cv::Mat::zeros(h, w, CV_8U);
  cv::ellipse(m, cv::Point(w / 2, h / 2), cv::Size(w / 2 - 2, h / 2 - 2), 0, 0, 360, 255,
              cv::FILLED);
  return m;
}

/// Threads for both sides: argv[1], else every hardware thread. Limits TBB
/// (for the returned object's lifetime) and OpenCV to it.
struct BenchThreads {
  int count = 1;
  std::unique_ptr<tbb::global_control> limit;
};
inline BenchThreads benchThreadsFromArgs(int argc, char** argv) {
  BenchThreads t;
  t.count = argc > 1 ? std::atoi(argv[1])
                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  t.limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(t.count));
  cv::setNumThreads(t.count);
  return t;
}

}  // namespace harmonia::bench
