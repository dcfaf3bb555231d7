#include "ui/jobs/JobRunner.h"

#include <QDebug>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>

#include "ui/jobs/QueuedCall.h"

namespace harmonia {

/// One job's state, shared by the GUI thread and its worker.
struct JobRunner::Job {
  std::uint64_t id = 0;
  QString key;
  QString title;
  AtomicProgress progress;
  ErasedWork work;
  ErasedDone on_done;
  ErrorCallback on_error;

  // Written by the worker before it sets `done` (release), read after (acquire).
  std::shared_ptr<void> result;
  Outcome outcome = Outcome::Succeeded;
  QString error;
  std::atomic<bool> done{false};

  // GUI thread only.
  bool cancelled = false;  ///< cancelled or superseded: the result is unwanted
  double last_reported = -1.0;
};

JobRunner::JobRunner(QObject* parent, int maxThreads)
    : QObject(parent),
      maxThreads_(maxThreads > 0 ? maxThreads : std::max(1, QThread::idealThreadCount())) {
  pollTimer_.setInterval(50);  // ~20 Hz
  connect(&pollTimer_, &QTimer::timeout, this, &JobRunner::pollProgress);
}

JobRunner::~JobRunner() {
  pollTimer_.stop();
  for (auto& [id, job] : jobs_) {
    job->cancelled = true;
    job->progress.requestCancel();
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;  // the workers end the (cancelled) jobs left in the queue, then return
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  jobs_.clear();
}

void JobRunner::runJob(Job& job) {
  try {
    // Superseded before it even started (e.g. a burst of requests): skip it.
    job.progress.throwIfCancelled();
    job.result = job.work(job.progress);
    job.outcome = Outcome::Succeeded;
  } catch (const Cancelled&) {
    job.outcome = Outcome::Cancelled;
  } catch (const std::exception& e) {
    job.outcome = Outcome::Failed;
    job.error = QString::fromUtf8(e.what());
  } catch (...) {
    job.outcome = Outcome::Failed;
    job.error = QStringLiteral("unknown error");
  }
  job.done.store(true, std::memory_order_release);
}

void JobRunner::workerLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // stopping, and every job has been taken
    std::shared_ptr<Job> job = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    runJob(*job);
    const std::uint64_t id = job->id;
    job.reset();
    lock.lock();
    --busy_;
    completed_.push_back(id);
    lock.unlock();
    jobEnded_.notify_all();
    // A queued call with no captured data: deliverNext reads what this
    // worker wrote under mutex_ (and job->done), which TSan can follow.
    queueCall(this, [this] { deliverNext(); });
    lock.lock();
  }
}

void JobRunner::deliverNext() {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    if (completed_.empty()) return;  // already delivered by waitForAll
    id = completed_.front();
    completed_.pop_front();
  }
  finish(id);
}

JobHandle JobRunner::start(const QString& key, const QString& title, ErasedWork work,
                           ErasedDone onDone, ErrorCallback onError) {
  // A newer job with the same key makes the running one stale.
  std::vector<std::shared_ptr<Job>> stale;
  for (auto& [id, job] : jobs_) {
    if (!job->cancelled && job->key == key) {
      stale.push_back(job);
    }
  }
  for (auto& job : stale) {
    cancelJob(*job);
  }

  auto job = std::make_shared<Job>();
  job->id = nextId_++;
  job->key = key;
  job->title = title;
  job->work = std::move(work);
  job->on_done = std::move(onDone);
  job->on_error = std::move(onError);
  jobs_[job->id] = job;

  {
    // The destructor joins the workers, so `this` outlives every one of them.
    std::lock_guard lock(mutex_);
    queue_.push_back(job);
    if (static_cast<int>(queue_.size()) > idle_ &&
        static_cast<int>(workers_.size()) < maxThreads_) {
      workers_.emplace_back([this] { workerLoop(); });
    }
  }
  wake_.notify_one();

  if (!pollTimer_.isActive()) {
    pollTimer_.start();
  }
  emit jobStarted(key, title);
  emit runningCountChanged(runningCount());
  return JobHandle(key, job->id);
}

void JobRunner::finish(std::uint64_t id) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) {
    return;  // already delivered by waitForAll
  }
  std::shared_ptr<Job> job = it->second;
  if (!job->done.load(std::memory_order_acquire)) {
    return;
  }
  jobs_.erase(it);
  if (jobs_.empty()) {
    pollTimer_.stop();
  }

  const bool wanted = !job->cancelled;
  const Outcome outcome = wanted ? job->outcome : Outcome::Cancelled;
  if (outcome == Outcome::Succeeded) {
    job->progress.report(1.0);
    if (job->on_done) {
      try {
        job->on_done(std::move(job->result));
      } catch (const std::exception& e) {
        // Exceptions must not cross the event loop; report and carry on.
        qCritical("JobRunner: onDone of job '%s' threw: %s", qPrintable(job->key), e.what());
      }
    }
  } else if (outcome == Outcome::Failed) {
    if (job->on_error) {
      job->on_error(job->error);
    } else {
      qWarning("JobRunner: job '%s' failed: %s", qPrintable(job->key), qPrintable(job->error));
    }
  }
  job->result.reset();
  emit jobFinished(job->key, outcome);
  if (wanted) {
    emit runningCountChanged(runningCount());
  }
}

void JobRunner::finishCompleted() {
  std::vector<std::uint64_t> completed;
  for (const auto& [id, job] : jobs_) {
    if (job->done.load(std::memory_order_acquire)) {
      completed.push_back(id);
    }
  }
  for (std::uint64_t id : completed) {
    finish(id);
  }
}

void JobRunner::cancelJob(Job& job) {
  if (job.cancelled) {
    return;
  }
  job.cancelled = true;
  job.progress.requestCancel();
  emit runningCountChanged(runningCount());
}

void JobRunner::cancel(const QString& key) {
  std::vector<std::shared_ptr<Job>> matching;
  for (auto& [id, job] : jobs_) {
    if (!job->cancelled && job->key == key) {
      matching.push_back(job);
    }
  }
  for (auto& job : matching) {
    cancelJob(*job);
  }
}

void JobRunner::cancel(const JobHandle& handle) {
  auto it = jobs_.find(handle.id());
  if (it != jobs_.end()) {
    std::shared_ptr<Job> job = it->second;
    cancelJob(*job);
  }
}

void JobRunner::cancelAll() {
  std::vector<std::shared_ptr<Job>> all;
  for (auto& [id, job] : jobs_) {
    all.push_back(job);
  }
  for (auto& job : all) {
    cancelJob(*job);
  }
}

bool JobRunner::isRunning(const QString& key) const {
  for (const auto& [id, job] : jobs_) {
    if (!job->cancelled && job->key == key) {
      return true;
    }
  }
  return false;
}

bool JobRunner::isRunning(const JobHandle& handle) const {
  auto it = jobs_.find(handle.id());
  return it != jobs_.end() && !it->second->cancelled;
}

int JobRunner::runningCount() const {
  int n = 0;
  for (const auto& [id, job] : jobs_) {
    n += job->cancelled ? 0 : 1;
  }
  return n;
}

std::vector<JobRunner::JobInfo> JobRunner::runningJobs() const {
  std::vector<JobInfo> out;
  for (const auto& [id, job] : jobs_) {
    if (!job->cancelled) {
      out.push_back({job->key, job->title, job->progress.fraction()});
    }
  }
  return out;
}

bool JobRunner::waitForAll(int timeoutMs) {
  bool finished = true;
  {
    std::unique_lock lock(mutex_);
    const auto allEnded = [this] { return queue_.empty() && busy_ == 0; };
    if (timeoutMs < 0) {
      jobEnded_.wait(lock, allEnded);
    } else {
      finished = jobEnded_.wait_for(lock, std::chrono::milliseconds(timeoutMs), allEnded);
    }
  }
  finishCompleted();
  return finished;
}

void JobRunner::pollProgress() {
  std::vector<std::shared_ptr<Job>> changed;
  for (auto& [id, job] : jobs_) {
    if (job->cancelled) {
      continue;
    }
    const double f = job->progress.fraction();
    if (f != job->last_reported) {
      job->last_reported = f;
      changed.push_back(job);
    }
  }
  for (auto& job : changed) {
    emit progressChanged(job->key, job->title, job->last_reported);
  }
}

}  // namespace harmonia
