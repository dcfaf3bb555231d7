#include "ui/model/CompositeCommands.h"

#include <QCoreApplication>

#include "ui/model/CompositeSession.h"
#include "ui/model/MaskModel.h"
#include "ui/model/PasteController.h"

namespace harmonia {

MaskEditCommand::MaskEditCommand(MaskModel* mask, const QRect& rect, cv::Mat before, cv::Mat after,
                                 const QString& text)
    : QUndoCommand(text),
      mask_(mask),
      rect_(rect),
      before_(std::move(before)),
      after_(std::move(after)) {}

void MaskEditCommand::redo() {
  if (done_) {
    done_ = false;  // pushed after the edit: the pixels are already there
    return;
  }
  mask_->restoreRegion(rect_, after_);
}

void MaskEditCommand::undo() { mask_->restoreRegion(rect_, before_); }

PlacementCommand::PlacementCommand(PasteController* paste, std::optional<Placement> before,
                                   std::optional<Placement> after, const QString& text, bool nudge)
    : QUndoCommand(text), paste_(paste), before_(before), after_(after), nudge_(nudge) {}

void PlacementCommand::redo() { paste_->setPlacement(after_); }

void PlacementCommand::undo() { paste_->setPlacement(before_); }

int PlacementCommand::id() const { return nudge_ ? kNudgeCommandId : -1; }

bool PlacementCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = dynamic_cast<const PlacementCommand*>(other);
  if (next == nullptr || !next->nudge_) return false;
  after_ = next->after_;
  return true;
}

ApplyCommand::ApplyCommand(CompositeSession* session, std::shared_ptr<const Image2D> before,
                           std::shared_ptr<const Image2D> after, std::optional<Placement> placement)
    : QUndoCommand(QCoreApplication::translate("ApplyCommand", "Apply paste")),
      session_(session),
      before_(std::move(before)),
      after_(std::move(after)),
      placement_(placement) {}

void ApplyCommand::redo() { session_->replaceTarget(after_, std::nullopt); }

void ApplyCommand::undo() { session_->replaceTarget(before_, placement_); }

}  // namespace harmonia
