#include "ui/workspaces/phantom/PhantomWorkspace.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "core/image/RoiShapes.h"
#include "ui/model/Document.h"
#include "ui/model/PhantomResults.h"
#include "ui/model/PhantomSession.h"
#include "ui/view/MaskSliceOverlay.h"
#include "ui/view/SliceView.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/workspaces/phantom/PhantomPlots.h"
#include "ui/workspaces/phantom/PhantomRoiPanel.h"
#include "ui/workspaces/phantom/ProtocolPanel.h"
#include "ui/workspaces/phantom/ScannerEditor.h"

namespace harmonia {

namespace {

/// ROI colours: the PSF object, the uniform region, the spheres.
QColor roiColour(int roi) {
  if (roi == PhantomSession::PsfObject) return QColor(0xff, 0xd7, 0x00);
  if (roi == PhantomSession::NoiseRegion) return QColor(0x00, 0xe5, 0xff);
  if (roi >= PhantomSession::Insert0) return QColor(0x7c, 0xfc, 0x00);
  return QColor(0xff, 0x40, 0x81);
}

}  // namespace

PhantomWorkspace::PhantomWorkspace(PhantomSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      controls_(new QTabWidget),
      kind_(new QComboBox),
      fine_(new QDoubleSpinBox),
      plots_(new PhantomPlots(session)),
      resultsModel_(new PhantomResultsModel(session, this)),
      resultsView_(new QTableView),
      protocol_(new ProtocolPanel(session)) {
  for (int i = 0; i < PhantomSession::kScanners; ++i) {
    const auto u = static_cast<std::size_t>(i);
    panels_[u] = new ImagePanel(session_->scan(i));
    editors_[u] = new ScannerEditor(i == 0 ? tr("Scanner A") : tr("Scanner B"));
    editors_[u]->setParams(session_->scanner(i));
    roiLayers_[u] =
        std::make_unique<MaskSliceOverlay>(panels_[u]->view(), MaskSliceOverlay::kRoiLayer);
    roiLayers_[u]->setFillOpacity(0.08);  // outlines, the phantom visible inside
  }
  roiPanel_ = new PhantomRoiPanel(session_, [this] { return panels_[0]->view()->crosshair(); });

  controls_->addTab(makeScannerTab(), tr("Phantom && scanners"));
  auto* roiScroll = new QScrollArea;
  roiScroll->setWidgetResizable(true);
  roiScroll->setWidget(roiPanel_);
  controls_->addTab(roiScroll, tr("Measure"));
  controls_->setMinimumWidth(340);

  auto* views = new QSplitter(Qt::Horizontal);
  views->addWidget(panels_[0]);
  views->addWidget(panels_[1]);
  plots_->addTab(makeResultsTab(), tr("Results"));
  plots_->addTab(protocol_, tr("Protocol"));
  auto* right = new QSplitter(Qt::Vertical);
  right->addWidget(views);
  right->addWidget(plots_);
  right->setStretchFactor(0, 5);
  right->setStretchFactor(1, 4);
  auto* main = new QSplitter(Qt::Horizontal);
  main->addWidget(controls_);
  main->addWidget(right);
  main->setStretchFactor(0, 0);
  main->setStretchFactor(1, 1);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(main);

  // Linked crosshairs: both grids cover the same phantom in world millimetres.
  for (int i = 0; i < PhantomSession::kScanners; ++i) {
    SliceView* view = panels_[static_cast<std::size_t>(i)]->view();
    SliceView* other = panels_[static_cast<std::size_t>(1 - i)]->view();
    connect(view, &SliceView::crosshairMoved, other,
            [other](const Eigen::Vector3d& w) { other->setCrosshair(w); });
    connect(view, &SliceView::crosshairMoved, this, [this](const Eigen::Vector3d& w) {
      if (roiPanel_->followsCrosshair()) session_->setRoiCentre(roiPanel_->selectedRoi(), w);
    });
    connect(view, &SliceView::nudgeRequested, this,
            [this](const Eigen::Vector3d& d) { session_->nudgeRoi(roiPanel_->selectedRoi(), d); });
    connect(editors_[static_cast<std::size_t>(i)], &ScannerEditor::edited, session_,
            [this, i](const ScannerParams& p) { session_->setScanner(i, p); });
  }
  connect(session_, &PhantomSession::scannerChanged, this, [this](int i) {
    editors_[static_cast<std::size_t>(i)]->setParams(session_->scanner(i));
  });
  connect(session_, &PhantomSession::scanChanged, this, &PhantomWorkspace::refreshRois);
  connect(session_, &PhantomSession::resultsChanged, this, &PhantomWorkspace::refreshRois);
  connect(session_, &PhantomSession::roisChanged, this, [this] {
    for (int i = 0; i < PhantomSession::kScanners; ++i) refreshRois(i);
  });
  connect(session_, &PhantomSession::kindChanged, this, [this](PhantomKind k) {
    const QSignalBlocker block(kind_);
    kind_->setCurrentIndex(static_cast<int>(k));
  });
  connect(session_, &PhantomSession::messageChanged, this, &PhantomWorkspace::statusMessage);
}

PhantomWorkspace::~PhantomWorkspace() = default;

QWidget* PhantomWorkspace::makeScannerTab() {
  kind_->addItems({tr("Edge (slanted cube + sphere)"), tr("NEMA IEC body (6 spheres)"),
                   tr("Textured body (protocol)")});
  kind_->setCurrentIndex(static_cast<int>(session_->kind()));
  fine_->setRange(0.1, 5.0);
  fine_->setDecimals(2);
  fine_->setSingleStep(0.25);
  fine_->setSuffix(QStringLiteral(" mm"));
  fine_->setKeyboardTracking(false);
  fine_->setValue(session_->fineSpacing());
  fine_->setToolTip(tr("Sampling of the ground truth before the virtual scanner images it"));
  auto* generate = new QPushButton(tr("Generate"));
  auto* loadA = new QPushButton(tr("Load A..."));
  auto* loadB = new QPushButton(tr("Load B..."));
  loadA->setToolTip(tr("Scanner A's phantom scan from a NIfTI file or a DICOM folder"));
  loadB->setToolTip(tr("Scanner B's phantom scan from a NIfTI file or a DICOM folder"));

  auto* content = new QWidget;
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* form = new QFormLayout;
  form->addRow(tr("Phantom"), kind_);
  form->addRow(tr("Truth sampling"), fine_);
  layout->addLayout(form);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(generate);
  buttons->addWidget(loadA);
  buttons->addWidget(loadB);
  layout->addLayout(buttons);
  layout->addWidget(editors_[0]);
  layout->addWidget(editors_[1]);
  layout->addStretch(1);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setWidget(content);

  connect(kind_, &QComboBox::currentIndexChanged, session_,
          [this](int k) { session_->setKind(static_cast<PhantomKind>(k)); });
  connect(fine_, &QDoubleSpinBox::valueChanged, session_, &PhantomSession::setFineSpacing);
  connect(generate, &QPushButton::clicked, session_, &PhantomSession::generate);
  for (int i = 0; i < PhantomSession::kScanners; ++i) {
    auto* menu = new QMenu(this);
    menu->addAction(tr("NIfTI file..."), this, [this, i] { showLoadDialog(i, false); });
    menu->addAction(tr("DICOM folder..."), this, [this, i] { showLoadDialog(i, true); });
    (i == 0 ? loadA : loadB)->setMenu(menu);
  }
  return scroll;
}

QWidget* PhantomWorkspace::makeResultsTab() {
  resultsView_->setModel(resultsModel_);
  resultsView_->verticalHeader()->setVisible(false);
  resultsView_->horizontalHeader()->setStretchLastSection(false);
  resultsView_->setAlternatingRowColors(true);
  resultsView_->setSelectionBehavior(QAbstractItemView::SelectRows);
  connect(resultsModel_, &QAbstractItemModel::modelReset, resultsView_,
          [this] { resultsView_->resizeColumnsToContents(); });
  auto* csv = new QPushButton(tr("Export CSV..."));
  auto* json = new QPushButton(tr("Export JSON..."));
  connect(csv, &QPushButton::clicked, this, [this] { showExportDialog(false); });
  connect(json, &QPushButton::clicked, this, [this] { showExportDialog(true); });
  auto* w = new QWidget;
  auto* layout = new QVBoxLayout(w);
  layout->setContentsMargins(2, 2, 2, 2);
  auto* bar = new QHBoxLayout;
  bar->addWidget(csv);
  bar->addWidget(json);
  bar->addStretch(1);
  layout->addLayout(bar);
  layout->addWidget(resultsView_, 1);
  return w;
}

void PhantomWorkspace::showTab(Tab tab) { plots_->setCurrentIndex(static_cast<int>(tab)); }

void PhantomWorkspace::refreshRois(int i) {
  const auto u = static_cast<std::size_t>(i);
  const std::shared_ptr<const Volume> volume = session_->scan(i)->volume();
  std::vector<MaskSliceOverlay::Mask> masks;
  if (volume) {
    const bool nema = session_->kind() == PhantomKind::Nema || session_->results(i).nema;
    for (int roi = 0; roi < session_->roiCount(); ++roi) {
      const bool sphere = roi >= PhantomSession::NemaSphere0 && roi < PhantomSession::Insert0;
      if (sphere && !nema) continue;
      const auto m = session_->roiMarker(roi, i);
      if (!m) continue;
      auto mask = std::make_shared<MaskVolume>(
          m->shape == PhantomRoiMarker::Shape::Box
              ? boxMask(volume->geometry(), m->centre_mm, m->half_size_mm)
              : sphereMask(volume->geometry(), m->centre_mm, m->half_size_mm.x()));
      masks.push_back({std::move(mask), roiColour(roi), true});
    }
  }
  roiLayers_[u]->setMasks(std::move(masks));
  panels_[u]->view()->update();
}

int PhantomWorkspace::roiMaskCount(int i) const {
  return static_cast<int>(roiLayers_[static_cast<std::size_t>(i)]->masks().size());
}

void PhantomWorkspace::showExportDialog(bool json) {
  const QString path = QFileDialog::getSaveFileName(
      this, json ? tr("Export results as JSON") : tr("Export results as CSV"),
      json ? QStringLiteral("phantom-results.json") : QStringLiteral("phantom-results.csv"),
      json ? tr("JSON (*.json)") : tr("CSV (*.csv)"));
  if (path.isEmpty()) return;
  if (json) {
    session_->exportJson(path);
  } else {
    session_->exportCsv(path);
  }
}

void PhantomWorkspace::showLoadDialog(int i, bool dicomFolder) {
  const QString title = tr("Phantom scan for scanner %1").arg(QChar('A' + i));
  const QString path =
      dicomFolder ? QFileDialog::getExistingDirectory(this, title)
                  : QFileDialog::getOpenFileName(
                        this, title, {}, tr("NIfTI volumes (*.nii *.nii.gz);;All files (*)"));
  if (!path.isEmpty()) session_->loadScan(i, path);
}

}  // namespace harmonia
