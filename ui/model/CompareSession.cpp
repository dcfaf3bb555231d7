#include "ui/model/CompareSession.h"

#include <algorithm>

#include "ui/jobs/JobRunner.h"
#include "ui/model/VolumeLibrary.h"

namespace harmonia {

CompareSession::CompareSession(JobRunner* runner, QObject* parent)
    : QObject(parent), runner_(runner) {
  studies_[0] = new Document(tr("Study A"), this);
  studies_[1] = new Document(tr("Study B"), this);
  for (Document* d : studies_) {
    connect(d, &Document::changed, this, &CompareSession::recomputeHistograms);
  }
}

void CompareSession::setLibrary(VolumeLibrary* library) {
  if (library_ != nullptr) disconnect(library_, nullptr, this, nullptr);
  library_ = library;
  if (library_ == nullptr) return;
  connect(library_, &VolumeLibrary::entryChanged, this, [this](int id) {
    for (Document* d : studies_) {
      if (d->entry() && d->entry()->id == id) d->setEntry(library_->entry(id));
    }
  });
}

void CompareSession::setHistogramBins(int bins) {
  bins_ = std::max(2, bins);
  recomputeHistograms();
}

void CompareSession::recomputeHistograms() {
  struct Result {
    std::optional<Histogram> h[2];
  };
  const std::shared_ptr<const Volume> volumes[2] = {studies_[0]->volume(), studies_[1]->volume()};
  const int bins = bins_;
  // Same key: a newer request cancels a running one (stale inputs).
  runner_->run(
      QStringLiteral("compare/histograms"), tr("Computing histograms"),
      [volumes, bins](Progress& progress) {
        // One common range so the two histograms can be overlaid bin for bin.
        double lo = 0.0;
        double hi = 0.0;
        bool any = false;
        for (const auto& v : volumes) {
          if (!v) continue;
          const ValueStats s = computeStats(*v);
          if (s.count == 0) continue;
          lo = any ? std::min(lo, s.min) : s.min;
          hi = any ? std::max(hi, s.max) : s.max;
          any = true;
          progress.throwIfCancelled();
        }
        Result r;
        if (!any) return r;
        HistogramParams params;
        params.bins = bins;
        params.range = std::make_pair(lo, hi > lo ? hi : lo + 1.0);
        for (int i = 0; i < 2; ++i) {
          if (!volumes[i]) continue;
          SubProgress sub(progress, 0.5 * i, 0.5 * (i + 1));
          r.h[i] = computeHistogram(*volumes[i], nullptr, params, sub);
        }
        return r;
      },
      [this](Result r) {
        histograms_[0] = std::move(r.h[0]);
        histograms_[1] = std::move(r.h[1]);
        emit histogramsChanged();
      });
}

}  // namespace harmonia
