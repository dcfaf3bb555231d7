#include "ui/workspaces/phantom/PhantomRoiPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/model/PhantomSession.h"

namespace harmonia {

namespace {

QDoubleSpinBox* mmBox(double lo, double hi, const QString& special = {}) {
  auto* s = new QDoubleSpinBox;
  s->setRange(lo, hi);
  s->setDecimals(1);
  s->setSingleStep(0.5);
  s->setSuffix(QStringLiteral(" mm"));
  s->setKeyboardTracking(false);
  if (!special.isEmpty()) s->setSpecialValueText(special);
  return s;
}

QWidget* row(std::initializer_list<QWidget*> widgets) {
  auto* w = new QWidget;
  auto* h = new QHBoxLayout(w);
  h->setContentsMargins(0, 0, 0, 0);
  h->setSpacing(2);
  for (QWidget* x : widgets) h->addWidget(x);
  return w;
}

}  // namespace

PhantomRoiPanel::PhantomRoiPanel(PhantomSession* session,
                                 std::function<Eigen::Vector3d()> crosshair, QWidget* parent)
    : QWidget(parent),
      session_(session),
      crosshair_(std::move(crosshair)),
      roi_(new QComboBox),
      roiState_(new QLabel),
      method_(new QComboBox),
      diameter_(mmBox(0.0, 200.0, tr("fit"))),
      roiRadius_(mmBox(0.0, 200.0, tr("auto"))),
      ratio_(new QDoubleSpinBox),
      measureAll_(new QPushButton(tr("Measure all"))),
      follow_(new QPushButton(tr("Drag"))) {
  for (int a = 0; a < 3; ++a) {
    centre_[a] = mmBox(-1000.0, 1000.0);
    halfSize_[a] = mmBox(0.5, 500.0);
  }
  method_->addItems({tr("Edge"), tr("Sphere"), tr("Point")});
  ratio_->setRange(0.1, 100.0);
  ratio_->setDecimals(2);
  ratio_->setKeyboardTracking(false);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  auto* place = new QGroupBox(tr("ROI placement"));
  auto* placeForm = new QFormLayout(place);
  placeForm->addRow(tr("ROI"), roi_);
  placeForm->addRow(tr("Centre x y z"), row({centre_[0], centre_[1], centre_[2]}));
  auto* toCrosshair = new QPushButton(tr("To crosshair"));
  toCrosshair->setToolTip(tr("Moves the ROI to the crosshair (click in a view first)"));
  auto* detect = new QPushButton(tr("Auto-detect"));
  detect->setToolTip(
      tr("Leaves the PSF object's and the NEMA spheres' centres to detection when measuring"));
  follow_->setCheckable(true);
  follow_->setToolTip(tr("While on, the ROI follows the crosshair: drag in a view to move it"));
  placeForm->addRow(row({toCrosshair, follow_, detect}));
  roiState_->setWordWrap(true);
  roiState_->setText(
      tr("Drag on: the ROI follows the crosshair. Alt+arrows in a view move it by 1 mm "
         "(Shift: 10 mm)."));
  placeForm->addRow(roiState_);
  layout->addWidget(place);

  auto* psf = new QGroupBox(tr("Resolution (PSF)"));
  auto* psfForm = new QFormLayout(psf);
  psfForm->addRow(tr("Method"), method_);
  psfForm->addRow(tr("Sphere diameter"), diameter_);
  psfForm->addRow(tr("Analysis radius"), roiRadius_);
  layout->addWidget(psf);

  auto* noise = new QGroupBox(tr("Uniform region (noise)"));
  auto* noiseForm = new QFormLayout(noise);
  noiseForm->addRow(tr("Half size x y z"), row({halfSize_[0], halfSize_[1], halfSize_[2]}));
  layout->addWidget(noise);

  auto* nema = new QGroupBox(tr("NEMA recovery"));
  auto* nemaForm = new QFormLayout(nema);
  nemaForm->addRow(tr("Sphere : background"), ratio_);
  layout->addWidget(nema);

  auto* buttons = new QGridLayout;
  auto* res = new QPushButton(tr("Measure resolution"));
  auto* noiseButton = new QPushButton(tr("Measure noise"));
  auto* rec = new QPushButton(tr("Measure recovery"));
  auto* values = new QPushButton(tr("Measure values"));
  buttons->addWidget(res, 0, 0);
  buttons->addWidget(noiseButton, 0, 1);
  buttons->addWidget(rec, 1, 0);
  buttons->addWidget(values, 1, 1);
  buttons->addWidget(measureAll_, 2, 0, 1, 2);
  layout->addLayout(buttons);
  layout->addStretch(1);

  const auto both = [this](PhantomSession::Measurement m) {
    for (int i = 0; i < PhantomSession::kScanners; ++i) session_->measure(m, i);
  };
  connect(res, &QPushButton::clicked, this, [both] { both(PhantomSession::Measurement::Psf); });
  connect(noiseButton, &QPushButton::clicked, this,
          [both] { both(PhantomSession::Measurement::Noise); });
  connect(rec, &QPushButton::clicked, this, [both] { both(PhantomSession::Measurement::Nema); });
  connect(values, &QPushButton::clicked, this,
          [both] { both(PhantomSession::Measurement::Values); });
  connect(measureAll_, &QPushButton::clicked, session_, &PhantomSession::measureAll);
  connect(detect, &QPushButton::clicked, session_, &PhantomSession::autoDetectRois);
  connect(toCrosshair, &QPushButton::clicked, this,
          [this] { session_->setRoiCentre(selectedRoi(), crosshair_()); });
  connect(roi_, &QComboBox::currentIndexChanged, this, &PhantomRoiPanel::showRoi);
  for (int a = 0; a < 3; ++a) {
    connect(centre_[a], &QDoubleSpinBox::valueChanged, this, &PhantomRoiPanel::applyCentre);
    connect(halfSize_[a], &QDoubleSpinBox::valueChanged, this, &PhantomRoiPanel::applyParams);
  }
  for (QDoubleSpinBox* s : {diameter_, roiRadius_, ratio_}) {
    connect(s, &QDoubleSpinBox::valueChanged, this, &PhantomRoiPanel::applyParams);
  }
  connect(method_, &QComboBox::currentIndexChanged, this, &PhantomRoiPanel::applyParams);
  connect(session_, &PhantomSession::roisChanged, this, [this] {
    listRois();
    showParams();
    showRoi();
  });
  listRois();
  showParams();
  showRoi();
}

bool PhantomRoiPanel::followsCrosshair() const { return follow_->isChecked(); }

void PhantomRoiPanel::listRois() {
  QStringList names;
  for (int r = 0; r < session_->roiCount(); ++r) names << session_->roiName(r);
  QStringList shown;
  for (int r = 0; r < roi_->count(); ++r) shown << roi_->itemText(r);
  if (names == shown) return;
  const QSignalBlocker block(roi_);
  const int current = roi_->currentIndex();
  roi_->clear();
  roi_->addItems(names);
  roi_->setCurrentIndex(std::clamp(current, 0, static_cast<int>(names.size()) - 1));
}

int PhantomRoiPanel::selectedRoi() const { return std::max(0, roi_->currentIndex()); }

void PhantomRoiPanel::showRoi() {
  updating_ = true;
  const auto m = session_->roiMarker(selectedRoi(), 0);
  for (int a = 0; a < 3; ++a) {
    centre_[a]->setEnabled(m.has_value());
    if (m) centre_[a]->setValue(m->centre_mm[a]);
  }
  updating_ = false;
}

void PhantomRoiPanel::showParams() {
  updating_ = true;
  const PsfParams& p = session_->psfParams();
  method_->setCurrentIndex(static_cast<int>(p.method));
  diameter_->setValue(p.sphere_diameter_mm.value_or(0.0));
  roiRadius_->setValue(p.roi_radius_mm);
  for (int a = 0; a < 3; ++a) halfSize_[a]->setValue(session_->noiseParams().half_size_mm[a]);
  ratio_->setValue(session_->nemaParams().activity_ratio.value_or(4.0));
  updating_ = false;
}

void PhantomRoiPanel::applyCentre() {
  if (updating_) return;
  session_->setRoiCentre(selectedRoi(), Eigen::Vector3d(centre_[0]->value(), centre_[1]->value(),
                                                        centre_[2]->value()));
}

void PhantomRoiPanel::applyParams() {
  if (updating_) return;
  updating_ = true;
  session_->setPsfMethod(static_cast<PsfMethod>(method_->currentIndex()));
  updating_ = false;
  PsfParams p = session_->psfParams();
  p.sphere_diameter_mm.reset();
  if (diameter_->value() > 0.0) p.sphere_diameter_mm = diameter_->value();
  p.roi_radius_mm = roiRadius_->value();
  NoiseParams n = session_->noiseParams();
  for (int a = 0; a < 3; ++a) n.half_size_mm[a] = halfSize_[a]->value();
  NemaParams e = session_->nemaParams();
  e.activity_ratio = ratio_->value();
  updating_ = true;  // the session's roisChanged must not echo into these boxes mid-edit
  session_->setPsfParams(p);
  session_->setNoiseParams(n);
  session_->setNemaParams(e);
  updating_ = false;
}

}  // namespace harmonia
