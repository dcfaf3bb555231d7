#pragma once
// The Compare workspace's model: two studies side by side and the overlaid
// histograms of their values, recomputed in a worker whenever a study changes.

#include <QObject>
#include <optional>

#include "core/stats/Histogram.h"
#include "ui/model/Document.h"

namespace harmonia {

class JobRunner;
class VolumeLibrary;

/// Two studies ("Study A", "Study B") and their histograms on a common range.
class CompareSession : public QObject {
  Q_OBJECT

 public:
  /// Histograms are computed through `runner` (not owned).
  explicit CompareSession(JobRunner* runner, QObject* parent = nullptr);

  /// Study A (left) or B (right).
  [[nodiscard]] Document* study(int index) const { return studies_[index]; }
  /// The latest histogram of study `index`, when computed.
  [[nodiscard]] const std::optional<Histogram>& histogram(int index) const {
    return histograms_[index];
  }
  /// The library where results (harmonized studies) are added; may be null.
  [[nodiscard]] VolumeLibrary* library() const { return library_; }
  /// Sets the library (not owned). A study showing an entry that the library
  /// replaces (its ROIs were drawn, it was reloaded) shows the new one.
  void setLibrary(VolumeLibrary* library);
  /// The runner its jobs use.
  [[nodiscard]] JobRunner* runner() const { return runner_; }
  /// Number of histogram bins (default 256).
  void setHistogramBins(int bins);

 signals:
  /// New histograms are available (either may be absent when its study is empty).
  void histogramsChanged();

 private:
  void recomputeHistograms();

  JobRunner* runner_;
  VolumeLibrary* library_ = nullptr;
  Document* studies_[2];
  std::optional<Histogram> histograms_[2];
  int bins_ = 256;
};

}  // namespace harmonia
