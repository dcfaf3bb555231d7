#pragma once
// The Composite workspace's tool bar: open target/source, the mask tools and
// brush radius, mask commands, blend mode and feather, preview toggle, zoom,
// apply and export. It only shows state and forwards intent: the workspace
// connects its actions and signals to the model.

#include <QToolBar>

#include "core/blend/Compositor.h"
#include "ui/workspaces/composite/MaskPainter.h"

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace harmonia {

/// Tool bar of the Composite workspace.
class CompositeToolBar : public QToolBar {
  Q_OBJECT

 public:
  /// Every action of the bar.
  enum class Action {
    OpenTarget,
    OpenSource,
    Brush,
    Eraser,
    Lasso,
    LoadMask,
    InvertMask,
    ClearMask,
    Preview,
    ZoomIn,
    ZoomOut,
    ZoomFit,
    Apply,
    Export
  };

  /// Creates the bar; shortcuts act while focus is inside `shortcutScope`.
  explicit CompositeToolBar(QWidget* shortcutScope, QWidget* parent = nullptr);

  /// One of the bar's actions.
  [[nodiscard]] QAction* action(Action which) const;
  /// The selected mask tool.
  [[nodiscard]] MaskPainter::Tool tool() const;
  /// Shows `radius` (source pixels) in the radius box without emitting.
  void setRadius(double radius);
  /// The blend mode and feather chosen.
  [[nodiscard]] CompositeParams params() const;
  /// The blend mode box (for tests).
  [[nodiscard]] QComboBox* modeBox() const { return mode_; }

 signals:
  /// The user chose a mask tool.
  void toolChosen(harmonia::MaskPainter::Tool tool);
  /// The user changed the brush radius (source pixels).
  void radiusChosen(double radius);
  /// The user changed blend mode or feather.
  void paramsChosen(const harmonia::CompositeParams& params);

 private:
  QAction* add(Action which, const QString& text, const QString& tip, const QKeySequence& key,
               QWidget* scope);

  QAction* actions_[14] = {};
  QSpinBox* radius_;
  QComboBox* mode_;
  QDoubleSpinBox* feather_;
};

}  // namespace harmonia
