#pragma once
// Progress reporting and cancellation for long-running algorithms.
//
// Every long algorithm takes a `Progress&`. It calls report() now and then and
// throwIfCancelled() often enough that a cancel is honoured within ~100 ms.
// Cancellation unwinds with `Cancelled`; algorithms build their result in local
// storage and only return it at the end, so a cancelled job leaves no output.

#include <atomic>
#include <stdexcept>
#include <string>

namespace harmonia {

/// Thrown by Progress::throwIfCancelled(); means "stop, the user asked".
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

/// The interface every long algorithm reports through.
class Progress {
 public:
  virtual ~Progress() = default;
  /// Reports the fraction done, in [0, 1]. Cheap; may be called from any thread.
  virtual void report(double fraction) = 0;
  /// True once the user asked to stop. Cheap; may be called from any thread.
  [[nodiscard]] virtual bool cancelRequested() const = 0;
  /// Throws Cancelled when a cancel was requested.
  void throwIfCancelled() const {
    if (cancelRequested()) throw Cancelled();
  }
};

/// A Progress that ignores reports and is never cancelled.
class NullProgress final : public Progress {
 public:
  void report(double) override {}
  [[nodiscard]] bool cancelRequested() const override { return false; }
};

/// Returns a shared NullProgress for callers that do not track progress.
Progress& noProgress();

/// Thread-safe Progress holding the latest fraction and a cancel flag; what a
/// job runner polls from the GUI thread.
class AtomicProgress final : public Progress {
 public:
  void report(double fraction) override { fraction_.store(fraction, std::memory_order_relaxed); }
  [[nodiscard]] bool cancelRequested() const override {
    return cancel_.load(std::memory_order_relaxed);
  }
  /// Asks the algorithm to stop at its next check.
  void requestCancel() { cancel_.store(true, std::memory_order_relaxed); }
  /// The latest reported fraction.
  [[nodiscard]] double fraction() const { return fraction_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> fraction_{0.0};
  std::atomic<bool> cancel_{false};
};

/// Maps a sub-step's [0, 1] onto [begin, end] of a parent Progress, so a
/// pipeline of steps reports one monotone fraction.
class SubProgress final : public Progress {
 public:
  SubProgress(Progress& parent, double begin, double end)
      : parent_(parent), begin_(begin), end_(end) {}
  void report(double fraction) override { parent_.report(begin_ + (end_ - begin_) * fraction); }
  [[nodiscard]] bool cancelRequested() const override { return parent_.cancelRequested(); }

 private:
  Progress& parent_;
  double begin_;
  double end_;
};

}  // namespace harmonia
