#pragma once
// Runs long work off the GUI thread and hands results back on it.
//
// Each job runs on one of the runner's own worker threads (std::thread, at
// most maxThreads, started as jobs need them) with a harmonia::AtomicProgress
// of its own. A GUI-thread timer polls the progress at about 20 Hz and emits
// progressChanged. Results come back on the GUI thread: onDone(result) on
// success, onError(message) when the work threw.
//
// Jobs have a key ("histogram:before", "harmonize"). Starting a job with the
// key of a running one cancels the old job: it is stale, and its onDone is
// never called. Cancelled jobs end quietly (harmonia::Cancelled is swallowed;
// neither onDone nor onError runs). The destructor cancels every job and
// waits for the worker threads to return.
//
// Threads hand jobs and results over only through std::mutex, std::atomic
// and a queued call that carries no data (deliverNext, posted with queueCall,
// which shows ThreadSanitizer the order Qt's event queue gives), all of which
// TSan can follow; the runner's tests run under TSan (harmonia_tsan_ui_tests).
// Qt's own thread pool hands data over inside Debian's Qt, which is not built
// with TSan, and was reported as racing there.
//
// Usage:
//   runner.run(QStringLiteral("histogram"), tr("Histogram"),
//              [vol](harmonia::Progress& p) { return computeHistogram(*vol, nullptr, {}, p); },
//              [this](harmonia::Histogram h) { histogramWidget->setHistogram(0, h, "before"); },
//              [this](const QString& error) { showError(error); });

#include <QObject>
#include <QString>
#include <QTimer>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/job/Progress.h"

namespace harmonia {

/// Identifies one started job (a key can be reused by later jobs).
class JobHandle {
 public:
  JobHandle() = default;
  /// True for a handle returned by JobRunner::run.
  [[nodiscard]] bool isValid() const { return id_ != 0; }
  /// The job's key.
  [[nodiscard]] const QString& key() const { return key_; }
  /// Unique id of the job within its runner (never 0 for a valid handle).
  [[nodiscard]] std::uint64_t id() const { return id_; }

 private:
  friend class JobRunner;
  JobHandle(QString key, std::uint64_t id) : key_(std::move(key)), id_(id) {}
  QString key_;
  std::uint64_t id_ = 0;
};

/// Runs keyed jobs on worker threads and reports progress on the GUI thread.
class JobRunner : public QObject {
  Q_OBJECT

 public:
  /// How a job ended.
  enum class Outcome { Succeeded, Cancelled, Failed };
  Q_ENUM(Outcome)

  /// A job that has not finished yet, for display.
  struct JobInfo {
    QString key;
    QString title;
    double fraction = 0.0;  ///< latest reported progress in [0, 1]
  };

  using ErrorCallback = std::function<void(const QString& error)>;

  /// Creates a runner with up to `maxThreads` worker threads of its own (0: one per core).
  explicit JobRunner(QObject* parent = nullptr, int maxThreads = 0);
  /// Cancels every job and waits for the worker threads to return.
  ~JobRunner() override;
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  /// Runs work(progress) on a worker thread; onDone(result) runs on the GUI thread
  /// unless the job is cancelled or superseded by a job with the same key.
  /// An exception other than Cancelled reaches onError with its message.
  /// Work returning void takes an onDone with no argument.
  template <class Work, class Done>
  JobHandle run(const QString& key, const QString& title, Work work, Done onDone,
                const ErrorCallback& onError = {});

  /// Cancels the running job with this key (its onDone will not run).
  void cancel(const QString& key);
  /// Cancels exactly this job if it is still running.
  void cancel(const JobHandle& handle);
  /// Cancels every running job.
  void cancelAll();
  /// True while a job with this key runs and its result is still wanted.
  [[nodiscard]] bool isRunning(const QString& key) const;
  /// True while this job runs and its result is still wanted.
  [[nodiscard]] bool isRunning(const JobHandle& handle) const;
  /// Number of jobs running whose results are still wanted.
  [[nodiscard]] int runningCount() const;
  /// The running jobs (not cancelled), oldest first.
  [[nodiscard]] std::vector<JobInfo> runningJobs() const;
  /// Blocks until every worker (cancelled ones included) has returned, then
  /// delivers the pending callbacks. Returns false on timeout (ms; -1: none).
  bool waitForAll(int timeoutMs = -1);

 signals:
  /// A job started.
  void jobStarted(const QString& key, const QString& title);
  /// A running job's progress (polled at about 20 Hz; only changes are sent).
  void progressChanged(const QString& key, const QString& title, double fraction);
  /// A job ended (after its onDone/onError ran). Superseded jobs end Cancelled.
  void jobFinished(const QString& key, harmonia::JobRunner::Outcome outcome);
  /// The number of running (wanted) jobs changed.
  void runningCountChanged(int count);

 private:
  using ErasedWork = std::function<std::shared_ptr<void>(Progress&)>;
  using ErasedDone = std::function<void(std::shared_ptr<void>)>;
  struct Job;

  JobHandle start(const QString& key, const QString& title, ErasedWork work, ErasedDone onDone,
                  ErrorCallback onError);
  void finish(std::uint64_t id);
  void finishCompleted();
  /// Delivers the oldest job a worker reported done (queued from the worker).
  void deliverNext();
  void cancelJob(Job& job);
  void pollProgress();
  void workerLoop();
  static void runJob(Job& job);

  int maxThreads_;
  std::mutex mutex_;                  ///< guards queue_, completed_, busy_, idle_ and stopping_
  std::condition_variable wake_;      ///< a job was queued, or the runner stops
  std::condition_variable jobEnded_;  ///< a worker finished a job
  std::deque<std::shared_ptr<Job>> queue_;  ///< started, not yet taken by a worker
  std::deque<std::uint64_t> completed_;     ///< done, in the order the workers ended them
  int busy_ = 0;                            ///< workers running a job
  int idle_ = 0;                            ///< workers waiting for one
  bool stopping_ = false;
  std::vector<std::thread> workers_;  ///< GUI thread only
  QTimer pollTimer_;
  std::map<std::uint64_t, std::shared_ptr<Job>> jobs_;  ///< started, not yet finished
  std::uint64_t nextId_ = 1;
};

template <class Work, class Done>
JobHandle JobRunner::run(const QString& key, const QString& title, Work work, Done onDone,
                         const ErrorCallback& onError) {
  using R = std::invoke_result_t<Work&, Progress&>;
  if constexpr (std::is_void_v<R>) {
    return start(
        key, title,
        [w = std::move(work)](Progress& p) mutable -> std::shared_ptr<void> {
          w(p);
          return nullptr;
        },
        [d = std::move(onDone)](const std::shared_ptr<void>&) mutable { d(); }, onError);
  } else {
    // The result travels in a shared_ptr so move-only and large results are
    // moved, never copied, into onDone.
    return start(
        key, title,
        [w = std::move(work)](Progress& p) mutable -> std::shared_ptr<void> {
          return std::make_shared<R>(w(p));
        },
        [d = std::move(onDone)](std::shared_ptr<void> r) mutable {
          d(std::move(*std::static_pointer_cast<R>(r)));
        },
        onError);
  }
}

}  // namespace harmonia
