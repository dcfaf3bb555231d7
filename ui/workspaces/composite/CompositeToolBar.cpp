#include "ui/workspaces/composite/CompositeToolBar.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <cmath>

namespace harmonia {

CompositeToolBar::CompositeToolBar(QWidget* shortcutScope, QWidget* parent)
    : QToolBar(tr("Composite"), parent),
      radius_(new QSpinBox(this)),
      mode_(new QComboBox(this)),
      feather_(new QDoubleSpinBox(this)) {
  setObjectName(QStringLiteral("compositeTools"));
  setToolButtonStyle(Qt::ToolButtonTextOnly);
  setIconSize(QSize(16, 16));
  QWidget* s = shortcutScope;

  add(Action::OpenTarget, tr("Open Target..."), tr("Open the image to paste into"), {}, s);
  add(Action::OpenSource, tr("Open Source..."), tr("Open the image to paste from"), {}, s);
  addSeparator();

  auto* tools = new QActionGroup(this);
  const struct {
    Action action;
    QString text;
    QString tip;
    QKeySequence key;
  } toolDefs[3] = {
      {Action::Brush, tr("Brush"), tr("Paint the mask on the source (B); [ and ] size the brush"),
       QKeySequence(Qt::Key_B)},
      {Action::Eraser, tr("Eraser"), tr("Erase the mask on the source (E)"),
       QKeySequence(Qt::Key_E)},
      {Action::Lasso, tr("Lasso"),
       tr("Drag a freehand outline, or click polygon corners and double-click to close (L).\n"
          "Shift adds to the mask, Ctrl subtracts from it."),
       QKeySequence(Qt::Key_L)},
  };
  for (const auto& def : toolDefs) {
    QAction* a = add(def.action, def.text, def.tip, def.key, s);
    a->setCheckable(true);
    tools->addAction(a);
  }
  action(Action::Brush)->setChecked(true);
  connect(tools, &QActionGroup::triggered, this, [this] { emit toolChosen(tool()); });

  addWidget(new QLabel(tr(" Radius "), this));
  radius_->setRange(1, 1000);
  radius_->setValue(20);
  radius_->setSuffix(tr(" px"));
  radius_->setToolTip(tr("Brush radius in source pixels ([ and ] on the canvas)"));
  addWidget(radius_);
  connect(radius_, &QSpinBox::valueChanged, this, [this](int r) { emit radiusChosen(r); });

  add(Action::LoadMask, tr("Load Mask..."), tr("Load a mask image (white: paste)"), {}, s);
  add(Action::InvertMask, tr("Invert"), tr("Invert the mask (Ctrl+I)"),
      QKeySequence(Qt::CTRL | Qt::Key_I), s);
  add(Action::ClearMask, tr("Clear"), tr("Clear the mask (Ctrl+Shift+A)"),
      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), s);
  addSeparator();

  addWidget(new QLabel(tr(" Mode "), this));
  mode_->addItem(tr("Normal"), static_cast<int>(BlendMode::Normal));
  mode_->addItem(tr("Mixed"), static_cast<int>(BlendMode::Mixed));
  mode_->addItem(tr("Monochrome"), static_cast<int>(BlendMode::Monochrome));
  mode_->addItem(tr("Alpha"), static_cast<int>(BlendMode::Alpha));
  mode_->setToolTip(
      tr("Normal: seamless clone (source gradients)\nMixed: the stronger of source and target "
         "gradients (keeps target texture)\nMonochrome: source luminance detail in target "
         "colours\nAlpha: plain paste with a feathered edge"));
  addWidget(mode_);
  addWidget(new QLabel(tr(" Feather "), this));
  feather_->setRange(0.0, 500.0);
  feather_->setDecimals(1);
  feather_->setSuffix(tr(" px"));
  feather_->setValue(8.0);
  feather_->setToolTip(tr("Alpha mode: width of the soft edge inside the mask"));
  feather_->setEnabled(false);
  addWidget(feather_);
  auto changed = [this] {
    feather_->setEnabled(params().mode == BlendMode::Alpha);
    emit paramsChosen(params());
  };
  connect(mode_, &QComboBox::currentIndexChanged, this, changed);
  connect(feather_, &QDoubleSpinBox::valueChanged, this, changed);

  QAction* preview =
      add(Action::Preview, tr("Preview"), tr("Show the blended paste (P toggles before/after)"),
          QKeySequence(Qt::Key_P), s);
  preview->setCheckable(true);
  preview->setChecked(true);
  addSeparator();
  add(Action::ZoomIn, tr("Zoom In"), tr("Zoom in (wheel, Ctrl+wheel or +)"), {}, s);
  add(Action::ZoomOut, tr("Zoom Out"), tr("Zoom out (wheel, Ctrl+wheel or -)"), {}, s);
  add(Action::ZoomFit, tr("Fit"), tr("Fit the images in their views (R on a view)"), {}, s);
  addSeparator();
  add(Action::Apply, tr("Apply"),
      tr("Make the composite the target (Ctrl+Return); the inputs on disk are untouched"),
      QKeySequence(Qt::CTRL | Qt::Key_Return), s);
  add(Action::Export, tr("Export..."), tr("Save the composite as PNG or TIFF (Ctrl+E)"), {}, s);
}

QAction* CompositeToolBar::add(Action which, const QString& text, const QString& tip,
                               const QKeySequence& key, QWidget* scope) {
  auto* a = new QAction(text, this);
  a->setToolTip(tip);
  if (!key.isEmpty()) {
    a->setShortcut(key);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    scope->addAction(a);  // the shortcut works wherever focus is in the workspace
  }
  addAction(a);
  actions_[static_cast<int>(which)] = a;
  return a;
}

QAction* CompositeToolBar::action(Action which) const { return actions_[static_cast<int>(which)]; }

MaskPainter::Tool CompositeToolBar::tool() const {
  if (action(Action::Eraser)->isChecked()) return MaskPainter::Tool::Eraser;
  if (action(Action::Lasso)->isChecked()) return MaskPainter::Tool::Lasso;
  return MaskPainter::Tool::Brush;
}

void CompositeToolBar::setRadius(double radius) {
  const QSignalBlocker block(radius_);
  radius_->setValue(static_cast<int>(std::lround(radius)));
}

CompositeParams CompositeToolBar::params() const {
  CompositeParams p;
  p.mode = static_cast<BlendMode>(mode_->currentData().toInt());
  p.feather_radius_px = feather_->value();
  return p;
}

}  // namespace harmonia
