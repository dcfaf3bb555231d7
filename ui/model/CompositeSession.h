#pragma once
// The Composite workspace's model: the target photograph, the source to paste
// from, and the undo stack that mask edits and placements will use.

#include <QObject>
#include <QUndoStack>
#include <array>
#include <optional>

#include "core/stats/Histogram.h"
#include "ui/model/Document.h"

namespace harmonia {

class JobRunner;

/// Target and source images of a composite, with per-channel histograms of the target.
class CompositeSession : public QObject {
  Q_OBJECT

 public:
  /// Histograms are computed through `runner` (not owned).
  explicit CompositeSession(JobRunner* runner, QObject* parent = nullptr);

  /// The image pasted into.
  [[nodiscard]] Document* target() const { return target_; }
  /// The image pasted from.
  [[nodiscard]] Document* source() const { return source_; }
  /// Undo stack for edits of this composite.
  [[nodiscard]] QUndoStack* undoStack() const { return undo_; }
  /// Per-channel histograms of the target (empty when none is loaded).
  [[nodiscard]] const std::vector<Histogram>& targetHistograms() const { return targetHistograms_; }
  /// Per-channel histograms of the source.
  [[nodiscard]] const std::vector<Histogram>& sourceHistograms() const { return sourceHistograms_; }

 signals:
  /// New histograms are available.
  void histogramsChanged();

 private:
  void recompute(Document* document, std::vector<Histogram>* out, const QString& key);

  JobRunner* runner_;
  Document* target_;
  Document* source_;
  QUndoStack* undo_;
  std::vector<Histogram> targetHistograms_;
  std::vector<Histogram> sourceHistograms_;
};

}  // namespace harmonia
