// JobRunner: cancellation, superseding by key, errors, results on the GUI
// thread. No timing thresholds: waits are generous and only check that work
// stopped and what was (not) delivered.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QThread>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "UiTestSupport.h"
#include "ui/jobs/JobRunner.h"
#include "ui/jobs/JobStatusWidget.h"

namespace harmonia {
namespace {

using test::kWaitMs;

/// Work that runs until cancelled, like a well-behaved algorithm.
struct LoopUntilCancelled {
  std::shared_ptr<std::atomic<bool>> started = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<bool>> saw_cancel = std::make_shared<std::atomic<bool>>(false);

  int operator()(Progress& progress) const {
    started->store(true);
    for (;;) {
      progress.report(0.5);
      if (progress.cancelRequested()) {
        saw_cancel->store(true);
      }
      progress.throwIfCancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
};

bool waitStarted(const LoopUntilCancelled& work) {
  return test::waitUntil([&] { return work.started->load(); }, kWaitMs);
}

TEST(JobRunner, DeliversTheResultOnTheGuiThread) {
  JobRunner runner;
  int result = 0;
  QThread* doneThread = nullptr;
  QThread* workThread = nullptr;
  int finished = 0;
  JobRunner::Outcome outcome = JobRunner::Outcome::Failed;
  QObject::connect(&runner, &JobRunner::jobFinished, [&](const QString&, JobRunner::Outcome o) {
    ++finished;
    outcome = o;
  });
  const JobHandle handle = runner.run(
      QStringLiteral("answer"), QStringLiteral("Answer"),
      [&](Progress& p) {
        workThread = QThread::currentThread();
        p.report(0.5);
        return 42;
      },
      [&](int r) {
        result = r;
        doneThread = QThread::currentThread();
      });
  EXPECT_TRUE(handle.isValid());
  EXPECT_EQ(handle.key(), QStringLiteral("answer"));
  ASSERT_TRUE(runner.waitForAll(kWaitMs));
  EXPECT_EQ(result, 42);
  EXPECT_EQ(doneThread, QCoreApplication::instance()->thread());
  EXPECT_NE(workThread, QCoreApplication::instance()->thread());
  EXPECT_EQ(finished, 1);
  EXPECT_EQ(outcome, JobRunner::Outcome::Succeeded);
  EXPECT_FALSE(runner.isRunning(QStringLiteral("answer")));
  EXPECT_EQ(runner.runningCount(), 0);

  // The same through the event loop (no waitForAll), with a void job.
  bool voidDone = false;
  runner.run(
      QStringLiteral("void"), QStringLiteral("Void"), [](Progress&) {}, [&] { voidDone = true; });
  EXPECT_TRUE(test::waitUntil([&] { return voidDone; }, kWaitMs));
}

TEST(JobRunner, CancelStopsTheWorkAndDropsTheResult) {
  JobRunner runner;
  LoopUntilCancelled work;
  bool done = false;
  bool error = false;
  runner.run(
      QStringLiteral("loop"), QStringLiteral("Loop"), work, [&](int) { done = true; },
      [&](const QString&) { error = true; });
  ASSERT_TRUE(waitStarted(work));
  EXPECT_TRUE(runner.isRunning(QStringLiteral("loop")));
  EXPECT_EQ(runner.runningCount(), 1);

  runner.cancel(QStringLiteral("loop"));
  EXPECT_FALSE(runner.isRunning(QStringLiteral("loop")));
  EXPECT_EQ(runner.runningCount(), 0);
  ASSERT_TRUE(runner.waitForAll(kWaitMs)) << "the cancelled job did not stop";
  EXPECT_TRUE(work.saw_cancel->load());
  QCoreApplication::processEvents();
  EXPECT_FALSE(done);
  EXPECT_FALSE(error);  // Cancelled is not an error
}

TEST(JobRunner, ProgressIsPolledOnTheGuiThread) {
  JobRunner runner;
  LoopUntilCancelled work;
  double last = -1.0;
  QString title;
  QObject::connect(&runner, &JobRunner::progressChanged,
                   [&](const QString&, const QString& t, double f) {
                     last = f;
                     title = t;
                   });
  runner.run(QStringLiteral("loop"), QStringLiteral("Looping"), work, [](int) {});
  EXPECT_TRUE(test::waitUntil([&] { return last == 0.5; }, kWaitMs));
  EXPECT_EQ(title, QStringLiteral("Looping"));
  ASSERT_EQ(runner.runningJobs().size(), 1U);
  EXPECT_DOUBLE_EQ(runner.runningJobs()[0].fraction, 0.5);
  runner.cancelAll();
  EXPECT_TRUE(runner.waitForAll(kWaitMs));
}

TEST(JobRunner, ANewJobWithTheSameKeySupersedesTheOldOne) {
  JobRunner runner;
  LoopUntilCancelled stale;
  std::vector<int> results;
  runner.run(QStringLiteral("hist"), QStringLiteral("Histogram"), stale,
             [&](int r) { results.push_back(r); });
  ASSERT_TRUE(waitStarted(stale));
  runner.run(
      QStringLiteral("hist"), QStringLiteral("Histogram"), [](Progress&) { return 2; },
      [&](int r) { results.push_back(r); });
  EXPECT_EQ(runner.runningCount(), 1);
  ASSERT_TRUE(runner.waitForAll(kWaitMs));
  EXPECT_TRUE(stale.saw_cancel->load());
  EXPECT_EQ(results, std::vector<int>{2});

  // A job that finished but whose result was not delivered yet is dropped too.
  std::atomic<bool> returned{false};
  runner.run(
      QStringLiteral("late"), QStringLiteral("Late"),
      [&](Progress&) {
        returned = true;
        return 7;
      },
      [&](int r) { results.push_back(r); });
  while (!returned) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  runner.cancel(QStringLiteral("late"));
  ASSERT_TRUE(runner.waitForAll(kWaitMs));
  QCoreApplication::processEvents();
  EXPECT_EQ(results, std::vector<int>{2});
}

TEST(JobRunner, ExceptionsReachOnError) {
  JobRunner runner;
  QString message;
  bool done = false;
  runner.run(
      QStringLiteral("boom"), QStringLiteral("Boom"),
      [](Progress&) -> int { throw std::runtime_error("boom: bad input"); },
      [&](int) { done = true; }, [&](const QString& e) { message = e; });
  ASSERT_TRUE(runner.waitForAll(kWaitMs));
  EXPECT_EQ(message, QStringLiteral("boom: bad input"));
  EXPECT_FALSE(done);
}

TEST(JobRunner, DestructorCancelsAndWaits) {
  LoopUntilCancelled work;
  bool done = false;
  {
    JobRunner runner;
    runner.run(QStringLiteral("loop"), QStringLiteral("Loop"), work, [&](int) { done = true; });
    ASSERT_TRUE(waitStarted(work));
  }
  EXPECT_TRUE(work.saw_cancel->load());  // the worker returned before the runner died
  QCoreApplication::processEvents();
  EXPECT_FALSE(done);
}

TEST(JobStatusWidget, ShowsTheRunningJobAndCancelsIt) {
  JobRunner runner;
  JobStatusWidget status(&runner);
  EXPECT_TRUE(status.isHidden());
  LoopUntilCancelled work;
  runner.run(QStringLiteral("harmonize"), QStringLiteral("Harmonizing"), work, [](int) {});
  EXPECT_FALSE(status.isHidden());
  EXPECT_EQ(status.shownKey(), QStringLiteral("harmonize"));
  EXPECT_EQ(status.titleText(), QStringLiteral("Harmonizing"));
  EXPECT_TRUE(test::waitUntil([&] { return status.progressValue() == 500; }, kWaitMs));

  status.cancelShown();
  EXPECT_FALSE(runner.isRunning(QStringLiteral("harmonize")));
  EXPECT_TRUE(status.isHidden());
  EXPECT_TRUE(runner.waitForAll(kWaitMs));
}

}  // namespace
}  // namespace harmonia
