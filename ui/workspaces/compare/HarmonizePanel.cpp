#include "ui/workspaces/compare/HarmonizePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <tuple>

#include "core/measure/HarmonizationPlan.h"
#include "ui/model/CompareSession.h"
#include "ui/model/HarmonizeController.h"
#include "ui/model/StudyExporter.h"
#include "ui/widgets/HistogramWidget.h"

namespace harmonia {

namespace {

/// Settings key of the folder the last export went to.
const QString kExportDirSetting = QStringLiteral("compare/exportDir");

QDoubleSpinBox* fwhmBox(QWidget* parent) {
  auto* box = new QDoubleSpinBox(parent);
  box->setRange(0.0, 100.0);
  box->setDecimals(2);
  box->setSingleStep(0.1);
  box->setSuffix(QStringLiteral(" mm"));
  return box;
}

QWidget* row(QWidget* parent, QWidget* const* widgets, int n) {
  auto* w = new QWidget(parent);
  auto* l = new QHBoxLayout(w);
  l->setContentsMargins(0, 0, 0, 0);
  for (int i = 0; i < n; ++i) l->addWidget(widgets[i]);
  return w;
}

}  // namespace

HarmonizePanel::HarmonizePanel(HarmonizeController* controller,
                               std::function<Eigen::Vector3d(int)> crosshair, QWidget* parent)
    : QWidget(parent),
      controller_(controller),
      crosshair_(std::move(crosshair)),
      study_(new QComboBox(this)),
      operation_(new QComboBox(this)),
      pages_(new QStackedWidget(this)),
      run_(new QPushButton(tr("Run"), this)),
      revert_(new QPushButton(tr("Revert"), this)),
      export_(new QPushButton(tr("Export..."), this)),
      exportMenu_(new QMenu(export_)),
      status_(new QLabel(this)),
      histogram_(new HistogramWidget(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* title = new QLabel(tr("<b>Harmonize</b>"), this);
  layout->addWidget(title);
  auto* form = new QFormLayout;
  form->setRowWrapPolicy(QFormLayout::WrapLongRows);
  study_->addItems({tr("Study A"), tr("Study B")});
  study_->setToolTip(tr("The study to change; the other one is the reference"));
  operation_->addItems({tr("Match resolution (kernel)"), tr("Resample to a common grid"),
                        tr("Match histogram to the other study"), tr("Z-score in a region")});
  form->addRow(tr("Change"), study_);
  form->addRow(tr("Operation"), operation_);
  layout->addLayout(form);
  pages_->addWidget(makeKernelPage());
  pages_->addWidget(makeResamplePage());
  pages_->addWidget(makeHistogramPage());
  pages_->addWidget(makeZScorePage());
  layout->addWidget(pages_);
  auto* buttons = new QHBoxLayout;
  run_->setDefault(true);
  buttons->addWidget(run_);
  buttons->addWidget(revert_);
  exportNifti_ = exportMenu_->addAction(tr("As NIfTI..."), this, &HarmonizePanel::exportAsNifti);
  exportDicom_ =
      exportMenu_->addAction(tr("As DICOM series..."), this, &HarmonizePanel::exportAsDicom);
  export_->setMenu(exportMenu_);
  export_->setToolTip(
      tr("Write the study as shown (B moved by its offset) to a NIfTI file, or as a derived "
         "DICOM series beside its source series"));
  buttons->addWidget(export_);
  layout->addLayout(buttons);
  layout->addWidget(makePlanBox());
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);
  histogram_->setMinimumHeight(140);
  histogram_->setToolTip(tr("The changed study's histogram before (grey) and after (colour)"));
  layout->addWidget(histogram_, 1);

  connect(operation_, &QComboBox::currentIndexChanged, pages_, &QStackedWidget::setCurrentIndex);
  connect(study_, &QComboBox::currentIndexChanged, this, [this] {
    fillFwhmFromStudies();
    revert_->setEnabled(controller_->canRevert(study_->currentIndex()));
  });
  connect(run_, &QPushButton::clicked, this, &HarmonizePanel::runOperation);
  connect(revert_, &QPushButton::clicked, this,
          [this] { controller_->revert(study_->currentIndex()); });
  connect(controller_, &HarmonizeController::revertChanged, this,
          [this] { revert_->setEnabled(controller_->canRevert(study_->currentIndex())); });
  connect(controller_, &HarmonizeController::histogramsChanged, this,
          &HarmonizePanel::showHistograms);
  connect(controller_, &HarmonizeController::finished, status_, &QLabel::setText);
  connect(exportMenu_, &QMenu::aboutToShow, this, &HarmonizePanel::updateExportActions);
  connect(controller_->exporter(), &StudyExporter::exported, status_, &QLabel::setText);
  connect(controller_->exporter(), &StudyExporter::failed, status_, &QLabel::setText);
  connect(controller_, &HarmonizeController::failed, this,
          [this](const QString& message) { status_->setText(tr("Not done: %1").arg(message)); });
  connect(controller_, &HarmonizeController::planChanged, this, &HarmonizePanel::showPlan);
  revert_->setEnabled(false);
  updateExportActions();
  showPlan();
}

QWidget* HarmonizePanel::makePlanBox() {
  auto* box = new QGroupBox(tr("Harmonization plan"), this);
  auto* form = new QFormLayout(box);
  form->setRowWrapPolicy(QFormLayout::WrapLongRows);
  planOpen_ = new QPushButton(tr("Apply plan..."), box);
  planOpen_->setToolTip(
      tr("Load a plan made from phantom measurements (harmonia-cli measure plan) and harmonize "
         "both studies with it"));
  planInfo_ = new QLabel(box);
  planInfo_->setWordWrap(true);
  form->addRow(planOpen_);
  form->addRow(planInfo_);
  const QString roles[2] = {tr("Study A scanned on"), tr("Study B scanned on")};
  for (int s = 0; s < 2; ++s) {
    planScanner_[s] = new QComboBox(box);
    form->addRow(roles[s], planScanner_[s]);
  }
  planApply_ = new QPushButton(tr("Apply to A and B"), box);
  planApply_->setToolTip(
      tr("Blur each study to the plan's target resolution, resample it onto the plan's grid and "
         "apply its intensity step (z-scores over the whole image); both become new volumes"));
  form->addRow(planApply_);
  connect(planOpen_, &QPushButton::clicked, this, &HarmonizePanel::choosePlanFile);
  connect(planApply_, &QPushButton::clicked, this, &HarmonizePanel::applyPlan);
  return box;
}

void HarmonizePanel::showPlan() {
  const QStringList scanners = controller_->planScanners();
  for (int s = 0; s < 2; ++s) {
    const QString current = planScanner_[s]->currentText();
    planScanner_[s]->clear();
    planScanner_[s]->addItems(scanners);
    const int keep = scanners.indexOf(current);
    planScanner_[s]->setCurrentIndex(keep >= 0 ? keep : std::min<int>(s, scanners.size() - 1));
    planScanner_[s]->setEnabled(!scanners.isEmpty());
  }
  planApply_->setEnabled(!scanners.isEmpty());
  const HarmonizationPlan* plan = controller_->plan();
  if (!plan) {
    planInfo_->setText(tr("No plan loaded"));
    return;
  }
  planInfo_->setText(tr("%1: target FWHM %2 x %3 x %4 mm, %5 mm grid, intensity %6")
                         .arg(QFileInfo(controller_->planPath()).fileName())
                         .arg(plan->target_fwhm_mm.x(), 0, 'g', 4)
                         .arg(plan->target_fwhm_mm.y(), 0, 'g', 4)
                         .arg(plan->target_fwhm_mm.z(), 0, 'g', 4)
                         .arg(plan->spacing_mm, 0, 'g', 4)
                         .arg(QString::fromLatin1(toString(plan->intensity))));
}

void HarmonizePanel::choosePlanFile() {
  QSettings settings;
  const QString dir =
      settings.value(QStringLiteral("compare/planDir"), QDir::homePath()).toString();
  const QString path = QFileDialog::getOpenFileName(this, tr("Harmonization plan"), dir,
                                                    tr("Harmonization plan (*.json)"));
  if (path.isEmpty()) return;
  settings.setValue(QStringLiteral("compare/planDir"), QFileInfo(path).absolutePath());
  loadPlanFile(path);
}

bool HarmonizePanel::loadPlanFile(const QString& path) {
  // Both studies get a fresh choice: A the plan's first scanner, B its second.
  for (auto* box : planScanner_) box->clear();
  if (!controller_->loadPlan(path)) {
    showPlan();
    return false;
  }
  status_->setText(tr("Plan loaded: pick the scanners of Study A and Study B, then apply"));
  return true;
}

void HarmonizePanel::applyPlan() {
  status_->setText(tr("Running..."));
  controller_->applyPlan(planScanner_[0]->currentText(), planScanner_[1]->currentText());
}

QWidget* HarmonizePanel::makeKernelPage() {
  auto* page = new QWidget(this);
  auto* form = new QFormLayout(page);
  form->setContentsMargins(0, 0, 0, 0);
  form->setRowWrapPolicy(QFormLayout::WrapAllRows);
  for (int a = 0; a < 3; ++a) {
    fromFwhm_[a] = fwhmBox(page);
    toFwhm_[a] = fwhmBox(page);
  }
  QWidget* const from[3] = {fromFwhm_[0], fromFwhm_[1], fromFwhm_[2]};
  QWidget* const to[3] = {toFwhm_[0], toFwhm_[1], toFwhm_[2]};
  form->addRow(tr("From FWHM x, y, z"), row(page, from, 3));
  form->addRow(tr("To FWHM x, y, z"), row(page, to, 3));
  auto* fill = new QPushButton(tr("Match the blurrier study"), page);
  fill->setToolTip(
      tr("From: this study's resolution. To: the coarser of both studies on each axis"));
  connect(fill, &QPushButton::clicked, this, &HarmonizePanel::fillFwhmFromStudies);
  form->addRow(QString(), fill);
  fwhmHint_ = new QLabel(page);
  fwhmHint_->setWordWrap(true);
  fwhmHint_->setVisible(false);
  form->addRow(fwhmHint_);
  auto* help = new QLabel(
      tr("Resolution is the full width at half maximum of the scanner's point-spread function, "
         "per axis, in mm. The study is blurred by sqrt(to² − from²) on each axis. Only blurring "
         "is possible: a target sharper than the study is refused, since sharpening amplifies "
         "noise "
         "without bound."),
      page);
  help->setWordWrap(true);
  help->setStyleSheet(QStringLiteral("color: palette(mid);"));
  form->addRow(help);
  return page;
}

QWidget* HarmonizePanel::makeResamplePage() {
  auto* page = new QWidget(this);
  auto* form = new QFormLayout(page);
  form->setContentsMargins(0, 0, 0, 0);
  grid_ = new QComboBox(page);
  grid_->addItems({tr("Isotropic spacing"), tr("The other study's grid")});
  spacing_ = new QDoubleSpinBox(page);
  spacing_->setRange(0.1, 20.0);
  spacing_->setValue(1.0);
  spacing_->setSuffix(QStringLiteral(" mm"));
  interpolation_ = new QComboBox(page);
  interpolation_->addItems({tr("Nearest"), tr("Linear"), tr("Cubic B-spline")});
  interpolation_->setCurrentIndex(1);
  form->addRow(tr("Grid"), grid_);
  form->addRow(tr("Spacing"), spacing_);
  form->addRow(tr("Interpolation"), interpolation_);
  connect(grid_, &QComboBox::currentIndexChanged, spacing_,
          [this](int i) { spacing_->setEnabled(i == 0); });
  return page;
}

QWidget* HarmonizePanel::makeHistogramPage() {
  auto* page = new QWidget(this);
  auto* form = new QFormLayout(page);
  form->setContentsMargins(0, 0, 0, 0);
  method_ = new QComboBox(page);
  method_->addItems({tr("Full quantile mapping"), tr("Landmarks (Nyúl–Udupa)")});
  form->addRow(tr("Method"), method_);
  return page;
}

QWidget* HarmonizePanel::makeZScorePage() {
  auto* page = new QWidget(this);
  auto* form = new QFormLayout(page);
  form->setContentsMargins(0, 0, 0, 0);
  roiRadius_ = new QDoubleSpinBox(page);
  roiRadius_->setRange(1.0, 200.0);
  roiRadius_->setValue(20.0);
  roiRadius_->setSuffix(QStringLiteral(" mm"));
  robust_ = new QCheckBox(tr("Robust (median and IQR)"), page);
  form->addRow(tr("ROI radius"), roiRadius_);
  form->addRow(QString(), robust_);
  auto* help = new QLabel(tr("The region is a sphere around the study's crosshair."), page);
  help->setStyleSheet(QStringLiteral("color: palette(mid);"));
  help->setWordWrap(true);
  form->addRow(help);
  return page;
}

void HarmonizePanel::setOperation(int index) { operation_->setCurrentIndex(index); }

void HarmonizePanel::setStudy(int study) { study_->setCurrentIndex(study); }

void HarmonizePanel::fillFwhmFromStudies() {
  const int s = study_->currentIndex();
  const auto mine = controller_->recordedFwhm(s);
  const auto other = controller_->recordedFwhm(1 - s);
  const bool loaded = !controller_->session()->study(s)->isEmpty();
  // DICOM does not record a scanner's resolution: the user types it.
  fwhmHint_->setText(loaded && !mine
                         ? tr("%1's resolution is not recorded: type it").arg(study_->currentText())
                         : QString());
  fwhmHint_->setVisible(!fwhmHint_->text().isEmpty());
  updateExportActions();
  if (!mine) return;
  const Eigen::Vector3d to = other ? mine->cwiseMax(*other) : *mine;
  for (int a = 0; a < 3; ++a) {
    fromFwhm_[a]->setValue((*mine)[a]);
    toFwhm_[a]->setValue(to[a]);
  }
}

void HarmonizePanel::setFwhm(const Eigen::Vector3d& from_mm, const Eigen::Vector3d& to_mm) {
  for (int a = 0; a < 3; ++a) {
    fromFwhm_[a]->setValue(from_mm[a]);
    toFwhm_[a]->setValue(to_mm[a]);
  }
}

std::pair<Eigen::Vector3d, Eigen::Vector3d> HarmonizePanel::fwhm() const {
  std::pair<Eigen::Vector3d, Eigen::Vector3d> f;
  for (int a = 0; a < 3; ++a) {
    f.first[a] = fromFwhm_[a]->value();
    f.second[a] = toFwhm_[a]->value();
  }
  return f;
}

void HarmonizePanel::runOperation() {
  HarmonizeRequest r;
  r.study = study_->currentIndex();
  r.operation = static_cast<HarmonizeRequest::Operation>(operation_->currentIndex());
  std::tie(r.kernel.from_fwhm_mm, r.kernel.to_fwhm_mm) = fwhm();
  r.like_reference = grid_->currentIndex() == 1;
  r.spacing_mm = spacing_->value();
  const Interpolation interpolations[3] = {Interpolation::Nearest, Interpolation::Linear,
                                           Interpolation::CubicBSpline};
  r.resampling.interpolation = interpolations[interpolation_->currentIndex()];
  r.histogram.method =
      method_->currentIndex() == 0 ? HistogramMatchMethod::Full : HistogramMatchMethod::Landmarks;
  r.zscore.robust = robust_->isChecked();
  r.roi_radius_mm = roiRadius_->value();
  if (crosshair_) r.roi_centre_mm = crosshair_(r.study);
  status_->setText(tr("Running..."));
  controller_->run(r);
}

QString HarmonizePanel::statusText() const { return status_->text(); }

QString HarmonizePanel::fwhmHint() const { return fwhmHint_->text(); }

void HarmonizePanel::updateExportActions() {
  const int s = study_->currentIndex();
  const StudyExporter* exporter = controller_->exporter();
  exportNifti_->setEnabled(exporter->canExport(s, StudyExporter::Format::Nifti));
  exportDicom_->setEnabled(exporter->canExport(s, StudyExporter::Format::DicomSeries));
  exportDicom_->setToolTip(exportDicom_->isEnabled()
                               ? tr("A derived series of the study's DICOM source series")
                               : tr("The study does not come from a DICOM series"));
}

void HarmonizePanel::exportAsNifti() {
  const int s = study_->currentIndex();
  QSettings settings;
  const QString dir = settings.value(kExportDirSetting, QDir::homePath()).toString();
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export %1 as NIfTI").arg(study_->currentText()),
      QDir(dir).filePath(controller_->exporter()->suggestedFileName(s)),
      tr("NIfTI (*.nii.gz *.nii)"));
  if (path.isEmpty()) return;
  settings.setValue(kExportDirSetting, QFileInfo(path).absolutePath());
  status_->setText(tr("Exporting..."));
  controller_->exporter()->exportStudy(s, StudyExporter::Format::Nifti, path);
}

void HarmonizePanel::exportAsDicom() {
  const int s = study_->currentIndex();
  QSettings settings;
  const QString dir = settings.value(kExportDirSetting, QDir::homePath()).toString();
  const QString folder = QFileDialog::getExistingDirectory(
      this,
      tr("Export %1 as a DICOM series: a new, empty folder outside the source series' folder")
          .arg(study_->currentText()),
      dir);
  if (folder.isEmpty()) return;
  settings.setValue(kExportDirSetting, QFileInfo(folder).absolutePath());
  status_->setText(tr("Exporting..."));
  controller_->exporter()->exportStudy(s, StudyExporter::Format::DicomSeries, folder);
}

void HarmonizePanel::showHistograms() {
  histogram_->clear();
  if (controller_->before()) {
    histogram_->setHistogram(0, *controller_->before(), tr("before"), QColor(150, 150, 150));
  }
  if (controller_->after()) {
    histogram_->setHistogram(1, *controller_->after(), tr("after"),
                             HistogramWidget::defaultColour(controller_->histogramStudy()));
  }
}

}  // namespace harmonia
