#pragma once
// Undo commands of the Composite workspace: mask edits, placements of the
// paste, and applying the paste to the target.
//
// Commands are pushed after the change was made (a brush stroke, a drag), so
// their first redo() re-applies a state that is already there: harmless,
// because each redo() sets a state rather than applying a difference.

#include <QRect>
#include <QUndoCommand>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <optional>

#include "core/blend/PoissonProblem.h"
#include "core/image/Image2D.h"

namespace harmonia {

class CompositeSession;
class MaskModel;
class PasteController;

/// Ids for QUndoCommand::mergeWith.
enum CompositeCommandId { kNudgeCommandId = 4201 };

/// A finished mask edit: the touched rectangle before and after.
class MaskEditCommand : public QUndoCommand {
 public:
  /// `before` and `after` are the pixels of `rect` (CV_8U).
  MaskEditCommand(MaskModel* mask, const QRect& rect, cv::Mat before, cv::Mat after,
                  const QString& text);
  /// Restores the pixels after the edit.
  void redo() override;
  /// Restores the pixels before the edit.
  void undo() override;

 private:
  MaskModel* mask_;
  QRect rect_;
  cv::Mat before_;
  cv::Mat after_;
  bool done_ = true;  ///< the edit is already applied when the command is pushed
};

/// The paste moved (drag, nudge, placed or removed).
class PlacementCommand : public QUndoCommand {
 public:
  /// Moves from `before` to `after`; `nudge` commands merge with the next nudge.
  PlacementCommand(PasteController* paste, std::optional<Placement> before,
                   std::optional<Placement> after, const QString& text, bool nudge = false);
  /// Sets the placement after the move.
  void redo() override;
  /// Sets the placement before the move.
  void undo() override;
  /// kNudgeCommandId for nudges (they merge), -1 otherwise.
  [[nodiscard]] int id() const override;
  /// Merges a following nudge into this one.
  bool mergeWith(const QUndoCommand* other) override;

 private:
  PasteController* paste_;
  std::optional<Placement> before_;
  std::optional<Placement> after_;
  bool nudge_;
};

/// The paste was applied: the target became the composite.
class ApplyCommand : public QUndoCommand {
 public:
  /// Replaces `before` by `after` as the target; undo restores the paste at `placement`.
  ApplyCommand(CompositeSession* session, std::shared_ptr<const Image2D> before,
               std::shared_ptr<const Image2D> after, std::optional<Placement> placement);
  /// Makes the composite the target and removes the floating paste.
  void redo() override;
  /// Restores the original target and the paste.
  void undo() override;

 private:
  CompositeSession* session_;
  std::shared_ptr<const Image2D> before_;
  std::shared_ptr<const Image2D> after_;
  std::optional<Placement> placement_;
};

}  // namespace harmonia
