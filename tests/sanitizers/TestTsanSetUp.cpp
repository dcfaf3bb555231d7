// The ThreadSanitizer set-up itself (tsan preset only, in harmonia_tsan_tests):
// with tsan_tbb_bridge.cpp in place, TSan stays quiet on what oneTBB
// synchronises (results read after a loop, a loop ended by an exception,
// parallel_sort's recycled task memory) and still reports a real race inside
// a loop body. Each case runs in a child process (a death test) and exits;
// TSan makes the exit status 66 when it reported anything.

#include <gtest/gtest.h>

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace harmonia {
namespace {

constexpr int kTsanExitCode = 66;  // TSan's default exitcode= when it reported a race
constexpr int kSize = 1 << 20;

// Each element written by one task, all read by the caller afterwards.
[[noreturn]] void disjointWritesThenRead() {
  std::vector<double> out(kSize, 0.0);
  tbb::parallel_for(tbb::blocked_range<int>(0, kSize), [&](const tbb::blocked_range<int>& r) {
    for (int i = r.begin(); i != r.end(); ++i) out[i] = 0.5 * i;
  });
  double sum = 0.0;
  for (double v : out) sum += v;
  std::exit(sum > 0.0 ? 0 : 1);
}

// A loop body throws; the caller then reuses what the tasks wrote.
[[noreturn]] void exceptionThenReuse() {
  std::vector<double> out(kSize, 0.0);
  try {
    tbb::parallel_for(tbb::blocked_range<int>(0, kSize), [&](const tbb::blocked_range<int>& r) {
      for (int i = r.begin(); i != r.end(); ++i) out[i] = 1.0;
      if (r.end() > kSize / 2) throw std::runtime_error("stop");
    });
  } catch (const std::runtime_error&) {
  }
  std::fill(out.begin(), out.end(), 2.0);
  std::exit(out.front() == 2.0 ? 0 : 1);
}

// parallel_sort splits into many short-lived tasks whose memory libtbb recycles.
[[noreturn]] void sortTwice() {
  std::mt19937 random(7);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  for (int round = 0; round < 2; ++round) {
    std::vector<float> values(kSize);
    for (float& v : values) v = uniform(random);
    tbb::parallel_sort(values.begin(), values.end());
    if (!std::is_sorted(values.begin(), values.end())) std::exit(1);
  }
  std::exit(0);
}

// Two iterations add to one plain variable, each on its own thread: a data
// race. TSan sees it only if the two really run on two threads, so the loop
// runs in an arena of two threads even on a one-core machine (where oneTBB
// starts no worker by default; the global_control lets the arena have its
// worker), and each iteration, after its write, waits (at most 60 s) until the
// other has started; the relaxed counter it waits on orders nothing.
[[noreturn]] void racyLoop() {
  tbb::global_control allowTwo(tbb::global_control::max_allowed_parallelism, 2);
  tbb::task_arena twoThreads(2);
  long total = 0;
  std::atomic<int> started{0};
  twoThreads.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<int>(0, 2, 1),
        [&](const tbb::blocked_range<int>& r) {
          for (int i = r.begin(); i != r.end(); ++i) total += i + 1;
          started.fetch_add(1, std::memory_order_relaxed);
          const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
          while (started.load(std::memory_order_relaxed) < 2 &&
                 std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
        },
        tbb::simple_partitioner());
  });
  std::exit(total > 0 ? 0 : 1);
}

class ThreadSanitizerSetUp : public ::testing::Test {
 protected:
  void SetUp() override {
    // A fresh process for each case: forking a process that runs TBB's
    // worker threads is not safe.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
  }
};

TEST_F(ThreadSanitizerSetUp, QuietOnResultsReadAfterALoop) {
  EXPECT_EXIT(disjointWritesThenRead(), ::testing::ExitedWithCode(0), "");
}

TEST_F(ThreadSanitizerSetUp, QuietOnALoopEndedByAnException) {
  EXPECT_EXIT(exceptionThenReuse(), ::testing::ExitedWithCode(0), "");
}

TEST_F(ThreadSanitizerSetUp, QuietOnTheTaskMemoryTbbRecycles) {
  EXPECT_EXIT(sortTwice(), ::testing::ExitedWithCode(0), "");
}

TEST_F(ThreadSanitizerSetUp, ReportsARaceInsideALoopBody) {
  EXPECT_EXIT(racyLoop(), ::testing::ExitedWithCode(kTsanExitCode), "data race");
}

}  // namespace
}  // namespace harmonia
