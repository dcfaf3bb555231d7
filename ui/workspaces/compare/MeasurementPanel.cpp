#include "ui/workspaces/compare/MeasurementPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "ui/model/CompareMeasurements.h"
#include "ui/model/CompareSession.h"

namespace harmonia {
namespace {

// Region list: the shapes first, then each study's ROIs (data: study * 10000 + index).
enum RegionItem { SphereItem = -1, BoxItem = -2, WholeItem = -3 };

QString number(double v) {
  if (!std::isfinite(v)) return QStringLiteral("–");
  return QString::number(v, 'g', 6);
}

}  // namespace

MeasurementPanel::MeasurementPanel(CompareMeasurements* measurements, CompareSession* session,
                                   std::function<Eigen::Vector3d()> crosshair, QWidget* parent)
    : QWidget(parent),
      measurements_(measurements),
      session_(session),
      crosshair_(std::move(crosshair)),
      region_(new QComboBox(this)),
      size_(new QDoubleSpinBox(this)),
      table_(new QTableWidget(8, 3, this)),
      status_(new QLabel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* row = new QHBoxLayout;
  row->addWidget(new QLabel(tr("Region"), this));
  region_->setToolTip(
      tr("Where both studies are measured: a shape at the crosshair (placed on "
         "each study by position, through B's offset) or an RTSTRUCT ROI"));
  row->addWidget(region_, 1);
  size_->setRange(0.5, 500.0);
  size_->setValue(10.0);
  size_->setSuffix(tr(" mm"));
  size_->setToolTip(tr("Sphere radius, or half the box's side"));
  row->addWidget(size_);
  auto* place = new QPushButton(tr("At crosshair"), this);
  place->setToolTip(tr("Centre the sphere or box on Study A's crosshair"));
  row->addWidget(place);
  layout->addLayout(row);
  table_->setVerticalHeaderLabels(
      {tr("N"), tr("Mean"), tr("SD"), tr("Median"), tr("P5"), tr("P95"), tr("Min"), tr("Max")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  layout->addWidget(table_, 1);
  status_->setWordWrap(true);
  layout->addWidget(status_);

  connect(region_, &QComboBox::activated, this, &MeasurementPanel::apply);
  connect(size_, &QDoubleSpinBox::valueChanged, this, &MeasurementPanel::apply);
  connect(place, &QPushButton::clicked, this, &MeasurementPanel::placeAtCrosshair);
  connect(measurements_, &CompareMeasurements::resultChanged, this, &MeasurementPanel::showResult);
  for (int i = 0; i < 2; ++i) {
    connect(session_->study(i), &Document::changed, this, &MeasurementPanel::rebuildRegions);
  }
  rebuildRegions();
  showResult();
}

QStringList MeasurementPanel::regionNames() const {
  QStringList names;
  for (int i = 0; i < region_->count(); ++i) names << region_->itemText(i);
  return names;
}

void MeasurementPanel::rebuildRegions() {
  const QVariant current = region_->currentData();
  region_->clear();
  region_->addItem(tr("Sphere at the crosshair"), SphereItem);
  region_->addItem(tr("Box at the crosshair"), BoxItem);
  region_->addItem(tr("Whole image"), WholeItem);
  for (int s = 0; s < 2; ++s) {
    const auto entry = session_->study(s)->entry();
    if (!entry) continue;
    for (std::size_t r = 0; r < entry->rois.size(); ++r) {
      region_->addItem(QStringLiteral("%1 (%2)").arg(entry->rois[r].name,
                                                     s == 0 ? tr("ROI of A") : tr("ROI of B")),
                       s * 10000 + static_cast<int>(r));
    }
  }
  const int index = region_->findData(current);
  region_->setCurrentIndex(index >= 0 ? index : 0);
}

void MeasurementPanel::chooseRegion(int index) {
  region_->setCurrentIndex(index);
  apply();
}

void MeasurementPanel::placeAtCrosshair() {
  MeasurementRegion r = measurements_->region();
  r.centre_mm = crosshair_();
  measurements_->setRegion(r);
  apply();
}

void MeasurementPanel::apply() {
  MeasurementRegion r = measurements_->region();
  const int item = region_->currentData().toInt();
  size_->setEnabled(item == SphereItem || item == BoxItem);
  if (item == SphereItem || item == BoxItem) {
    r.kind = item == SphereItem ? MeasurementRegion::Kind::Sphere : MeasurementRegion::Kind::Box;
    r.radius_mm = size_->value();
    r.half_size_mm = Eigen::Vector3d::Constant(size_->value());
    if (measurements_->region().kind != r.kind &&
        measurements_->region().kind != MeasurementRegion::Kind::Sphere &&
        measurements_->region().kind != MeasurementRegion::Kind::Box) {
      r.centre_mm = crosshair_();
    }
  } else if (item == WholeItem) {
    r.kind = MeasurementRegion::Kind::Whole;
  } else {
    r.kind = MeasurementRegion::Kind::StudyRoi;
    r.roi_study = item / 10000;
    r.roi_index = item % 10000;
  }
  measurements_->setRegion(r);
}

void MeasurementPanel::showResult() {
  const auto& result = measurements_->result();
  for (int c = 0; c < 3; ++c) {
    for (int r = 0; r < 8; ++r) table_->setItem(r, c, new QTableWidgetItem);
  }
  if (!result) {
    table_->setHorizontalHeaderLabels({tr("A"), tr("B"), tr("A − B")});
    status_->setText(tr("Load two studies, then choose a region."));
    return;
  }
  const auto header = [&](int s) {
    const QString name = s == 0 ? tr("A") : tr("B");
    return result->units[s].isEmpty() ? name
                                      : QStringLiteral("%1 (%2)").arg(name, result->units[s]);
  };
  table_->setHorizontalHeaderLabels({header(0), header(1), tr("A − B")});
  const auto values = [](const ValueSummary& st) {
    return std::array<double, 8>{
        static_cast<double>(st.count), st.mean, st.sd, st.median, st.p5, st.p95, st.min, st.max};
  };
  for (int s = 0; s < 2; ++s) {
    if (!result->stats[s]) continue;
    const auto v = values(*result->stats[s]);
    for (int r = 0; r < 8; ++r) table_->item(r, s)->setText(number(v[static_cast<std::size_t>(r)]));
  }
  if (result->stats[0] && result->stats[1]) {
    const auto a = values(*result->stats[0]);
    const auto b = values(*result->stats[1]);
    for (int r = 1; r < 8; ++r) {
      table_->item(r, 2)->setText(
          number(a[static_cast<std::size_t>(r)] - b[static_cast<std::size_t>(r)]));
    }
  }
  QString text = result->region;
  for (int s = 0; s < 2; ++s) {
    if (!result->errors[s].isEmpty()) {
      text += QStringLiteral("\n") + (s == 0 ? tr("A: ") : tr("B: ")) + result->errors[s];
    }
  }
  status_->setText(text);
}

}  // namespace harmonia
