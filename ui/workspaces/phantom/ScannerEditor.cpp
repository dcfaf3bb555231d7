#include "ui/workspaces/phantom/ScannerEditor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>

namespace harmonia {

namespace {

QDoubleSpinBox* spin(double lo, double hi, double step, int decimals, const QString& suffix) {
  auto* s = new QDoubleSpinBox;
  s->setRange(lo, hi);
  s->setSingleStep(step);
  s->setDecimals(decimals);
  s->setSuffix(suffix);
  s->setKeyboardTracking(false);  // one edit per value typed, not per keystroke
  return s;
}

QWidget* row3(QDoubleSpinBox* const boxes[3]) {
  auto* w = new QWidget;
  auto* h = new QHBoxLayout(w);
  h->setContentsMargins(0, 0, 0, 0);
  h->setSpacing(2);
  for (int a = 0; a < 3; ++a) h->addWidget(boxes[a]);
  return w;
}

}  // namespace

ScannerEditor::ScannerEditor(const QString& title, QWidget* parent)
    : QGroupBox(title, parent),
      name_(new QLineEdit),
      gain_(spin(0.01, 100.0, 0.01, 3, {})),
      offset_(spin(-10000.0, 10000.0, 1.0, 2, {})),
      thickness_(spin(0.1, 50.0, 0.5, 2, QStringLiteral(" mm"))),
      noise_(spin(0.0, 10000.0, 0.5, 3, {})),
      seed_(new QSpinBox),
      psfModel_(new QComboBox) {
  const char* axes[3] = {"x", "y", "z"};
  for (int a = 0; a < 3; ++a) {
    fwhm_[a] = spin(0.0, 50.0, 0.5, 2, {});
    spacing_[a] = spin(0.1, 20.0, 0.25, 2, {});
    fwhm_[a]->setToolTip(tr("PSF FWHM along %1 (mm)").arg(QLatin1String(axes[a])));
    spacing_[a]->setToolTip(tr("Voxel spacing along %1 (mm)").arg(QLatin1String(axes[a])));
  }
  psfModel_->addItem(tr("Spatial, on the fine grid"), static_cast<int>(PsfModel::FineGridSpatial));
  psfModel_->addItem(tr("Fourier, on the output grid"),
                     static_cast<int>(PsfModel::OutputGridFourier));
  psfModel_->setToolTip(
      tr("Where the PSF is applied: a sampled Gaussian on the truth's fine grid before voxel "
         "averaging, or its transfer function on the output grid after it (composes exactly "
         "with Fourier kernel matching)"));
  seed_->setRange(0, 1000000);
  seed_->setKeyboardTracking(false);
  auto* form = new QFormLayout(this);
  form->setContentsMargins(6, 6, 6, 6);
  form->setVerticalSpacing(3);
  form->addRow(tr("Name"), name_);
  form->addRow(tr("Gain α"), gain_);
  form->addRow(tr("Offset β"), offset_);
  form->addRow(tr("PSF FWHM x y z (mm)"), row3(fwhm_));
  form->addRow(tr("Spacing x y z (mm)"), row3(spacing_));
  form->addRow(tr("Slice thickness"), thickness_);
  form->addRow(tr("Noise σ"), noise_);
  form->addRow(tr("Noise seed"), seed_);
  form->addRow(tr("PSF model"), psfModel_);
  connect(name_, &QLineEdit::editingFinished, this, &ScannerEditor::emitEdited);
  for (QDoubleSpinBox* s : {gain_, offset_, thickness_, noise_, fwhm_[0], fwhm_[1], fwhm_[2],
                            spacing_[0], spacing_[1], spacing_[2]}) {
    connect(s, &QDoubleSpinBox::valueChanged, this, &ScannerEditor::emitEdited);
  }
  connect(seed_, &QSpinBox::valueChanged, this, &ScannerEditor::emitEdited);
  connect(psfModel_, &QComboBox::currentIndexChanged, this, &ScannerEditor::emitEdited);
}

void ScannerEditor::setParams(const ScannerParams& p) {
  updating_ = true;
  shown_ = p;
  name_->setText(QString::fromStdString(p.name));
  gain_->setValue(p.gain_alpha);
  offset_->setValue(p.offset_beta);
  for (int a = 0; a < 3; ++a) {
    fwhm_[a]->setValue(p.psf_fwhm_mm[a]);
    spacing_[a]->setValue(p.spacing_mm[a]);
  }
  thickness_->setValue(p.slice_thickness_mm);
  noise_->setValue(p.noise_sigma);
  seed_->setValue(static_cast<int>(p.noise_seed));
  psfModel_->setCurrentIndex(psfModel_->findData(static_cast<int>(p.psf_model)));
  updating_ = false;
}

ScannerParams ScannerEditor::params() const {
  ScannerParams p = shown_;
  p.name = name_->text().toStdString();
  p.gain_alpha = gain_->value();
  p.offset_beta = offset_->value();
  for (int a = 0; a < 3; ++a) {
    p.psf_fwhm_mm[a] = fwhm_[a]->value();
    p.spacing_mm[a] = spacing_[a]->value();
  }
  p.slice_thickness_mm = thickness_->value();
  p.noise_sigma = noise_->value();
  p.noise_seed = static_cast<std::uint32_t>(seed_->value());
  p.psf_model = static_cast<PsfModel>(psfModel_->currentData().toInt());
  return p;
}

void ScannerEditor::emitEdited() {
  if (!updating_) emit edited(params());
}

}  // namespace harmonia
