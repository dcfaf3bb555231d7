// queueCall: calls posted from another thread run on the receiver's thread, in
// order, and are dropped with their data when the receiver goes first. Also
// in harmonia_tsan_ui_tests, where the last test is the case ThreadSanitizer
// reported before queueCall showed it Qt's hand-off: the posting thread drops
// its own reference to what the call reads as soon as it has posted.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>
#include <numeric>
#include <thread>
#include <vector>

#include "UiTestSupport.h"
#include "ui/jobs/QueuedCall.h"

namespace harmonia {
namespace {

using test::kWaitMs;

TEST(QueuedCall, RunsOnTheReceiversThreadInTheOrderPosted) {
  QObject receiver;
  std::vector<int> seen;
  bool allOnReceiversThread = true;
  constexpr int kCalls = 200;
  std::thread poster([&] {
    for (int i = 0; i < kCalls; ++i) {
      queueCall(&receiver, [&, i] {
        seen.push_back(i);
        allOnReceiversThread =
            allOnReceiversThread && QThread::currentThread() == receiver.thread();
      });
    }
  });
  poster.join();
  ASSERT_TRUE(test::waitUntil([&] { return seen.size() == kCalls; }, kWaitMs)) << seen.size();
  std::vector<int> expected(kCalls);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(allOnReceiversThread);
}

TEST(QueuedCall, IsDroppedWithWhatItHoldsWhenTheReceiverGoesFirst) {
  auto receiver = std::make_unique<QObject>();
  auto held = std::make_shared<int>(7);
  const std::weak_ptr<int> watch = held;
  bool ran = false;
  std::thread poster([&, held = std::move(held)]() mutable {
    queueCall(receiver.get(), [&ran, held] { ran = *held == 7; });
    held.reset();
  });
  poster.join();
  EXPECT_FALSE(watch.expired());  // the posted call holds it
  receiver.reset();
  EXPECT_TRUE(watch.expired());
  QCoreApplication::processEvents();
  EXPECT_FALSE(ran);
}

TEST(QueuedCall, ThePosterMayLetGoOfWhatTheCallReads) {
  // Like StudySession's slices: each call reads a buffer the posting thread
  // filled and then released; whichever thread drops the last reference frees
  // it. Under TSan this reported a race now and then before queueCall.
  QObject receiver;
  std::atomic<int> done{0};
  long long sum = 0;
  constexpr int kCalls = 300;
  constexpr int kSize = 4096;
  std::thread poster([&] {
    for (int i = 0; i < kCalls; ++i) {
      auto buffer = std::make_shared<std::vector<int>>(kSize, i);
      queueCall(&receiver, [&, buffer] {
        sum += std::accumulate(buffer->begin(), buffer->end(), 0LL);
        done.fetch_add(1);
      });
    }
  });
  // Processes the calls while the poster is still posting.
  const bool allRan = test::waitUntil([&] { return done.load() == kCalls; }, kWaitMs);
  poster.join();
  ASSERT_TRUE(allRan) << done.load();
  EXPECT_EQ(sum, static_cast<long long>(kSize) * kCalls * (kCalls - 1) / 2);
}

}  // namespace
}  // namespace harmonia
