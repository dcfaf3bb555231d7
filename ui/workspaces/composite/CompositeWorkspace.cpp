#include "ui/workspaces/composite/CompositeWorkspace.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/model/CompositeSession.h"
#include "ui/model/MaskModel.h"
#include "ui/model/PasteController.h"
#include "ui/widgets/HistogramWidget.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/workspaces/composite/CompositeToolBar.h"
#include "ui/workspaces/composite/MaskPainter.h"
#include "ui/workspaces/composite/PasteDragger.h"

namespace harmonia {

namespace {

const QColor kRgb[3] = {QColor(220, 50, 47), QColor(64, 160, 43), QColor(38, 110, 220)};
const char* const kChannelNames[3] = {"R", "G", "B"};

const char* const kExportFilters[4] = {"PNG, 8-bit (*.png)", "PNG, 16-bit (*.png)",
                                       "TIFF, 8-bit (*.tif *.tiff)", "TIFF, 16-bit (*.tif *.tiff)"};

QString solverName(SolverKind kind) { return QString::fromLatin1(toString(kind)); }

QString modeName(BlendMode mode) {
  QString name = QString::fromLatin1(toString(mode));
  name[0] = name[0].toUpper();
  return name;
}

}  // namespace

CompositeWorkspace::CompositeWorkspace(CompositeSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      toolBar_(new CompositeToolBar(this, this)),
      histogram_(new HistogramWidget(this)),
      readout_(new QLabel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(2);
  layout->addWidget(toolBar_);
  auto* vertical = new QSplitter(Qt::Vertical, this);
  auto* horizontal = new QSplitter(Qt::Horizontal, vertical);
  panels_[0] = new ImagePanel(session_->target(), horizontal);
  panels_[1] = new ImagePanel(session_->source(), horizontal);
  horizontal->addWidget(panels_[0]);
  horizontal->addWidget(panels_[1]);
  horizontal->setStretchFactor(0, 3);
  horizontal->setStretchFactor(1, 2);
  vertical->addWidget(horizontal);

  auto* bottom = new QWidget(vertical);
  auto* bottomLayout = new QVBoxLayout(bottom);
  bottomLayout->setContentsMargins(0, 0, 0, 0);
  bottomLayout->setSpacing(2);
  histogram_->setMinimumHeight(150);
  // Photographs often hold large flat areas (a black background): a log count
  // axis keeps the rest of the histogram readable.
  histogram_->setLogScale(true);
  bottomLayout->addWidget(histogram_, 1);
  readout_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont mono = readout_->font();
  mono.setStyleHint(QFont::Monospace);
  mono.setFamily(QStringLiteral("monospace"));
  readout_->setFont(mono);
  bottomLayout->addWidget(readout_);
  vertical->addWidget(bottom);
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 1);
  layout->addWidget(vertical, 1);

  // The tools are created after the panels, so on a new image the panels
  // show it before the tools lay their overlays over it.
  dragger_ = new PasteDragger(panels_[0]->view(), session_, this);
  painter_ = new MaskPainter(panels_[1]->view(), session_, this);
  panels_[0]->setToolTip(
      tr("Drag to move the paste; arrow keys nudge it (Shift: 10 px).\n"
         "Wheel zooms, Space+drag or middle drag pans."));

  PasteController* paste = session_->paste();
  connect(session_, &CompositeSession::histogramsChanged, this,
          &CompositeWorkspace::showHistograms);
  connect(paste, &PasteController::previewChanged, this, [this] {
    showHistograms();
    showReadout();
  });
  connect(paste, &PasteController::placementChanged, this, &CompositeWorkspace::showReadout);
  connect(paste, &PasteController::solveFailed, this,
          [this](const QString& error) { readout_->setText(tr("Blend failed: %1").arg(error)); });
  connect(session_->mask(), &MaskModel::edited, this, &CompositeWorkspace::showReadout);
  connect(session_, &CompositeSession::errorOccurred, this, &CompositeWorkspace::errorOccurred);
  connect(session_, &CompositeSession::exportFinished, this,
          [this](const QString& path, bool ok, const QString& message) {
            if (ok) {
              emit statusMessage(tr("Exported the composite to %1").arg(path));
            } else {
              emit errorOccurred(tr("Export to %1 failed: %2").arg(path, message));
            }
          });
  connectToolBar();
  showReadout();
}

CompositeWorkspace::~CompositeWorkspace() {
  // The tools' overlays live in the views' render windows: remove them while
  // the views still exist (QWidget deletes the panels before other children).
  delete dragger_;
  delete painter_;
}

void CompositeWorkspace::connectToolBar() {
  using A = CompositeToolBar::Action;
  CompositeToolBar* bar = toolBar_;
  connect(bar->action(A::OpenTarget), &QAction::triggered, this, [this] { chooseFile(true); });
  connect(bar->action(A::OpenSource), &QAction::triggered, this, [this] { chooseFile(false); });
  connect(bar, &CompositeToolBar::toolChosen, painter_, &MaskPainter::setTool);
  connect(bar, &CompositeToolBar::radiusChosen, painter_, &MaskPainter::setRadius);
  connect(painter_, &MaskPainter::radiusChanged, bar, &CompositeToolBar::setRadius);
  bar->setRadius(painter_->radius());
  connect(bar->action(A::LoadMask), &QAction::triggered, this,
          &CompositeWorkspace::showLoadMaskDialog);
  connect(bar->action(A::InvertMask), &QAction::triggered, session_->mask(), &MaskModel::invert);
  connect(bar->action(A::ClearMask), &QAction::triggered, session_->mask(), &MaskModel::clear);
  connect(bar, &CompositeToolBar::paramsChosen, session_, &CompositeSession::setBlendParams);
  connect(bar->action(A::Preview), &QAction::toggled, dragger_, &PasteDragger::setPreviewVisible);
  connect(bar->action(A::ZoomIn), &QAction::triggered, this, [this] { zoomBy(1.25); });
  connect(bar->action(A::ZoomOut), &QAction::triggered, this, [this] { zoomBy(0.8); });
  connect(bar->action(A::ZoomFit), &QAction::triggered, this, [this] {
    for (ImagePanel* p : panels_) p->view()->resetCamera();
  });
  connect(bar->action(A::Apply), &QAction::triggered, session_, &CompositeSession::apply);
  connect(bar->action(A::Export), &QAction::triggered, this, &CompositeWorkspace::showExportDialog);
}

void CompositeWorkspace::zoomBy(double factor) {
  for (ImagePanel* p : panels_) p->view()->setZoom(p->view()->zoom() * factor);
}

void CompositeWorkspace::chooseFile(bool target) {
  QSettings settings;
  const QString path = QFileDialog::getOpenFileName(
      this, target ? tr("Open the target image") : tr("Open the source image"),
      settings.value(QStringLiteral("lastDir")).toString(),
      tr("Images (*.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"));
  if (path.isEmpty()) return;
  settings.setValue(QStringLiteral("lastDir"), QFileInfo(path).absolutePath());
  emit openRequested(path, target ? session_->target() : session_->source());
}

void CompositeWorkspace::showLoadMaskDialog() {
  if (!session_->source()->image()) {
    emit errorOccurred(tr("Open a source image before loading its mask."));
    return;
  }
  QSettings settings;
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Load a mask for the source"), settings.value(QStringLiteral("lastDir")).toString(),
      tr("Images (*.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"));
  if (path.isEmpty()) return;
  session_->loadMaskFile(path);
}

void CompositeWorkspace::showExportDialog() {
  if (!session_->target()->image()) {
    emit errorOccurred(tr("There is no target image to export."));
    return;
  }
  QSettings settings;
  const QFileInfo target(session_->target()->source());
  const QString dir = target.exists() ? target.absolutePath()
                                      : settings.value(QStringLiteral("lastDir")).toString();
  const QString base = QFileInfo(session_->target()->name()).completeBaseName().section(' ', 0, 0);
  const bool sixteen = session_->target()->image()->sampleType() == SampleType::UInt16;
  QStringList filters;
  for (const char* f : kExportFilters) filters << tr(f);
  QString selected = filters[sixteen ? 1 : 0];
  QString path = QFileDialog::getSaveFileName(
      this, tr("Export the composite"),
      QDir(dir).filePath((base.isEmpty() ? QStringLiteral("composite") : base + "-composite") +
                         QStringLiteral(".png")),
      filters.join(QStringLiteral(";;")), &selected);
  if (path.isEmpty()) return;
  const int index = std::max<int>(0, static_cast<int>(filters.indexOf(selected)));
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix != QLatin1String("png") && suffix != QLatin1String("tif") &&
      suffix != QLatin1String("tiff")) {
    path += index < 2 ? QStringLiteral(".png") : QStringLiteral(".tif");
  }
  settings.setValue(QStringLiteral("lastDir"), QFileInfo(path).absolutePath());
  const auto depth = (index % 2 == 1) ? CompositeSession::ExportDepth::Bits16
                                      : CompositeSession::ExportDepth::Bits8;
  QString error;
  if (!session_->exportComposite(path, depth, &error)) emit errorOccurred(error);
}

QString CompositeWorkspace::solverReadout() const { return readout_->text(); }

void CompositeWorkspace::showReadout() {
  const PasteController* paste = session_->paste();
  using A = CompositeToolBar::Action;
  toolBar_->action(A::Apply)->setEnabled(paste->isReady() && paste->placement().has_value());
  toolBar_->action(A::Export)->setEnabled(session_->target()->image() != nullptr);
  if (!session_->target()->image() || !session_->source()->image()) {
    readout_->setText(tr("Open a target and a source: tool bar, File > Open, or drop files."));
    return;
  }
  if (!paste->isReady()) {
    readout_->setText(tr("Paint a mask on the source (Brush B, Lasso L) to paste it."));
    return;
  }
  if (!paste->placement()) {
    readout_->setText(tr("Press on the target to place the paste."));
    return;
  }
  const PastePreview& preview = paste->preview();
  if (!preview.placement) {
    readout_->setText(tr("Blending..."));
    return;
  }
  const CompositeReport& r = preview.report;
  const BlendMode mode = paste->params().mode;
  QString text = modeName(mode);
  if (mode == BlendMode::Alpha) {
    text += tr(" | feather %1 px | %2 ms")
                .arg(paste->params().feather_radius_px, 0, 'g', 3)
                .arg(r.total_seconds * 1e3, 0, 'f', 1);
  } else {
    text += tr(" | %1").arg(solverName(r.solve.solver));
    if (r.solve.iterations == 1) text += tr(", 1 iteration");
    if (r.solve.iterations > 1) text += tr(", %1 iterations").arg(r.solve.iterations);
    if (r.solve.boundary_cycles > 0) {
      text += tr(" (%1 near the boundary)").arg(r.solve.boundary_cycles);
    }
    if (r.solve.warm_started) text += tr(" (warm)");
    if (!preview.final) text += tr(", preview");
    text += tr(" | residual %1 | solve %2 ms, total %3 ms")
                .arg(r.solve.relative_residual, 0, 'e', 1)
                .arg(r.solve.seconds * 1e3, 0, 'f', 1)
                .arg(r.total_seconds * 1e3, 0, 'f', 1);
  }
  text += tr(" | %1 x %2 px at (%3, %4)")
              .arg(preview.rect.width())
              .arg(preview.rect.height())
              .arg(preview.placement->x)
              .arg(preview.placement->y);
  const double rate = paste->updateRate();
  if (dragger_->dragging() && rate >= 1.0) text += tr(" | %1 updates/s").arg(rate, 0, 'f', 0);
  readout_->setText(text);
}

void CompositeWorkspace::showHistograms() {
  histogram_->clear();
  const PastePreview& preview = session_->paste()->preview();
  const bool region = preview.placement.has_value() && !preview.after.empty();
  const auto& first = region ? preview.before : session_->sourceHistograms();
  const auto& second = region ? preview.after : session_->targetHistograms();
  const QString firstName = region ? tr("Before") : tr("Source");
  const QString secondName = region ? tr("After") : tr("Target");
  auto name = [](std::size_t count, std::size_t c) {
    return count == 1 ? tr("gray") : QString::fromLatin1(kChannelNames[c]);
  };
  // The first set is drawn lighter and translucent, the second saturated on top.
  for (std::size_t c = 0; c < first.size() && c < 3; ++c) {
    QColor colour = first.size() == 1 ? QColor(160, 160, 160) : kRgb[c].lighter(150);
    colour.setAlpha(110);
    histogram_->setHistogram(static_cast<int>(c), first[c],
                             firstName + QLatin1Char(' ') + name(first.size(), c), colour);
  }
  for (std::size_t c = 0; c < second.size() && c < 3; ++c) {
    histogram_->setHistogram(static_cast<int>(3 + c), second[c],
                             secondName + QLatin1Char(' ') + name(second.size(), c),
                             second.size() == 1 ? QColor(90, 90, 90) : kRgb[c]);
  }
}

}  // namespace harmonia
