#pragma once
// The Composite workspace's model: the target photograph, the source to paste
// from, the mask drawn on the source, the live paste (PasteController), and
// the undo stack that mask edits, placements and "apply" share.

#include <QObject>
#include <QStringList>
#include <QUndoStack>
#include <array>
#include <optional>

#include "core/blend/Compositor.h"
#include "core/stats/Histogram.h"
#include "ui/model/Document.h"

namespace harmonia {

class JobRunner;
class MaskModel;
class PasteController;

/// Target and source images of a composite, the mask, the paste and their undo stack.
class CompositeSession : public QObject {
  Q_OBJECT

 public:
  /// Bit depth of an exported composite.
  enum class ExportDepth { Bits8, Bits16 };

  /// Histograms, file reads and writes run through `runner` (not owned); the
  /// paste has a worker thread of its own.
  explicit CompositeSession(JobRunner* runner, QObject* parent = nullptr);
  ~CompositeSession() override;
  CompositeSession(const CompositeSession&) = delete;
  CompositeSession& operator=(const CompositeSession&) = delete;

  /// The image pasted into.
  [[nodiscard]] Document* target() const { return target_; }
  /// The image pasted from.
  [[nodiscard]] Document* source() const { return source_; }
  /// The mask drawn on the source.
  [[nodiscard]] MaskModel* mask() const { return mask_; }
  /// The live paste: placement, mode, solved preview.
  [[nodiscard]] PasteController* paste() const { return paste_; }
  /// Undo stack for edits of this composite.
  [[nodiscard]] QUndoStack* undoStack() const { return undo_; }
  /// Per-channel histograms of the target (empty when none is loaded).
  [[nodiscard]] const std::vector<Histogram>& targetHistograms() const { return targetHistograms_; }
  /// Per-channel histograms of the source.
  [[nodiscard]] const std::vector<Histogram>& sourceHistograms() const { return sourceHistograms_; }

  /// Moves the paste as one undo step (none removes it).
  void placeAt(std::optional<Placement> at, const QString& text);
  /// Records a finished drag from `from` to the current placement as one undo step.
  void finishDrag(std::optional<Placement> from);
  /// Nudges the paste by (dx, dy) pixels; consecutive nudges are one undo step.
  void nudge(int dx, int dy);
  /// Changes blend mode, feather or solver (not an undo step: a view setting).
  void setBlendParams(const CompositeParams& params);
  /// Makes the composite the target (undoable); the paste stops floating.
  void apply();
  /// Seeds the built-in demo: an ellipse mask around the astronaut's face,
  /// pasted onto the coffee table. Not undoable.
  void seedDemoPaste();

  /// Writes the composite to a PNG or TIFF in `depth` bits, atomically, in a
  /// worker; exportFinished() reports the end. Returns false at once, with
  /// `error` set, for an unsupported extension, no target, or a path that is
  /// one of the inputs (they are never overwritten).
  bool exportComposite(const QString& path, ExportDepth depth, QString* error = nullptr);
  /// True when `path` names a file this session read (target, source or mask).
  [[nodiscard]] bool isInputFile(const QString& path) const;
  /// Loads a mask image from a file (in a worker), as one undo step.
  void loadMaskFile(const QString& path);
  /// True when no paste solve, export or read of this session is running.
  [[nodiscard]] bool isIdle() const;

  /// Replaces the target without clearing the undo stack and sets the
  /// placement (ApplyCommand only).
  void replaceTarget(std::shared_ptr<const Image2D> image, std::optional<Placement> placement);

 signals:
  /// New target/source histograms are available.
  void histogramsChanged();
  /// An export ended; `message` says what went wrong when `ok` is false.
  void exportFinished(const QString& path, bool ok, const QString& message);
  /// Something failed that the user should hear about (mask loading, apply).
  void errorOccurred(const QString& message);

 private:
  void recompute(Document* document, std::vector<Histogram>* out, const QString& key);
  void rememberInput(const QString& path);
  void updatePasteInputs();
  void onTargetChanged();
  void onSourceChanged();

  JobRunner* runner_;
  Document* target_;
  Document* source_;
  QUndoStack* undo_;
  MaskModel* mask_;
  PasteController* paste_;
  std::vector<Histogram> targetHistograms_;
  std::vector<Histogram> sourceHistograms_;
  QStringList inputs_;  ///< canonical paths of every file read
  bool replacingTarget_ = false;
  int exportsRunning_ = 0;
};

}  // namespace harmonia
