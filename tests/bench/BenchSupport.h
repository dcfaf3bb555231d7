#pragma once
// Helpers shared by the benchmark programs: best-of-N timing, the machine's
// load, and a fast deterministic textured test volume.

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>

#include "core/image/Volume.h"

namespace harmonia::bench {

/// Best wall time in seconds of `repeats` runs of `f`.
inline double bestOf(int repeats, const std::function<void()>& f) {
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

/// The 1-minute load average, or -1 when unknown.
inline double loadAverage() {
  double load[1] = {-1.0};
  return getloadavg(load, 1) == 1 ? load[0] : -1.0;
}

/// Threads the benchmark uses: $HARMONIA_BENCH_THREADS, else all cores.
inline int benchThreads() {
  if (const char* env = std::getenv("HARMONIA_BENCH_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  return tbb::this_task_arena::max_concurrency();
}

/// Integer hash to [0, 1): deterministic "noise".
inline float hashUnit(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return static_cast<float>(x >> 40) / static_cast<float>(1 << 24);
}

/// A textured volume: smooth structures plus per-voxel noise (values ~0..1000).
inline Volume texturedVolume(const Geometry3D& g) {
  Volume v(g, kUninitialized);
  tbb::parallel_for(0, g.size[2], [&](int k) {
    for (int j = 0; j < g.size[1]; ++j) {
      float* row = v.data() + v.index(0, j, k);
      for (int i = 0; i < g.size[0]; ++i) {
        const float structure = 400.0f + 300.0f * std::sin(0.05f * i) * std::cos(0.07f * j) +
                                100.0f * std::sin(0.11f * k);
        row[i] = structure + 200.0f * hashUnit(v.index(i, j, k));
      }
    }
  });
  return v;
}

/// Prints the header line of a benchmark.
inline void printHeader(const std::string& what, int threads) {
  std::printf("%s\n  threads %d, load average %.2f at start\n", what.c_str(), threads,
              loadAverage());
}

/// Prints our time, the reference's time and the ratio.
inline void printResult(const std::string& ours, double ourSeconds, const std::string& reference,
                        double referenceSeconds) {
  std::printf("  %-34s %9.4f s\n  %-34s %9.4f s\n  speed-up (reference / ours)     %9.2fx\n",
              ours.c_str(), ourSeconds, reference.c_str(), referenceSeconds,
              referenceSeconds / ourSeconds);
  std::printf("  load average %.2f at end\n", loadAverage());
}

}  // namespace harmonia::bench
