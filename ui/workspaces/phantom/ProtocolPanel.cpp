#include "ui/workspaces/phantom/ProtocolPanel.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/util/Error.h"
#include "ui/model/PhantomSession.h"

namespace harmonia {

namespace {

QTableWidget* table(const QStringList& headers) {
  auto* t = new QTableWidget(0, static_cast<int>(headers.size()));
  t->setHorizontalHeaderLabels(headers);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->setSelectionMode(QAbstractItemView::SingleSelection);
  t->verticalHeader()->setVisible(false);
  t->horizontalHeader()->setStretchLastSection(true);
  t->setAlternatingRowColors(true);
  return t;
}

/// A number shown in scientific notation that sorts by value, not by text.
class NumberItem : public QTableWidgetItem {
 public:
  using QTableWidgetItem::QTableWidgetItem;
  bool operator<(const QTableWidgetItem& other) const override {
    return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
  }
};

QTableWidgetItem* numberItem(double v) {
  auto* item = new NumberItem(QString::number(v, 'e', 2));
  item->setData(Qt::UserRole, v);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

/// After/before as "÷N" (how many times smaller the difference became).
QTableWidgetItem* gainItem(double before, double after) {
  const QString text = after > 0 ? QStringLiteral("÷%1").arg(before / after, 0, 'g', 3)
                                 : (before > 0 ? QStringLiteral("exact") : QStringLiteral("-"));
  auto* item = new QTableWidgetItem(text);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

ProtocolPanel::ProtocolPanel(PhantomSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      includeWorkspace_(new QCheckBox(tr("Add scanners A and B as a scenario"))),
      configLabel_(new QLabel(tr("Default configuration"))),
      scenarios_(table({tr("Scenario"), tr("Max rel. diff. before"), tr("after (Fourier)"),
                        tr("after (spatial)"), tr("Max image diff. after"), tr("Reduction")})),
      families_(
          table({tr("Family"), tr("Before"), tr("After"), tr("After (spatial)"), tr("Reduction")})),
      features_(
          table({tr("Feature"), tr("Family"), tr("Before"), tr("After"), tr("After (spatial)")})) {
  auto* run = new QPushButton(tr("Run protocol"));
  auto* load = new QPushButton(tr("Load configuration..."));
  auto* bar = new QHBoxLayout;
  bar->addWidget(run);
  bar->addWidget(load);
  bar->addWidget(includeWorkspace_);
  bar->addWidget(configLabel_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addLayout(bar);
  // Scenarios across the top; the selected one's families and features below.
  auto* details = new QSplitter(Qt::Horizontal);
  details->addWidget(families_);
  details->addWidget(features_);
  details->setStretchFactor(0, 2);
  details->setStretchFactor(1, 3);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(scenarios_);
  split->addWidget(details);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);
  features_->setSortingEnabled(true);

  connect(run, &QPushButton::clicked, this, [this] {
    session_->setProtocolIncludesWorkspaceScanners(includeWorkspace_->isChecked());
    session_->runProtocol();
  });
  connect(load, &QPushButton::clicked, this, &ProtocolPanel::loadConfig);
  connect(session_, &PhantomSession::protocolChanged, this, &ProtocolPanel::showResult);
  connect(scenarios_, &QTableWidget::currentCellChanged, this,
          [this](int row) { showScenario(row); });
  showResult();
}

void ProtocolPanel::loadConfig() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Protocol configuration"), {},
                                                    tr("JSON (*.json);;All files (*)"));
  if (path.isEmpty()) return;
  try {
    session_->setProtocolConfig(readProtocolConfig(path.toStdString()));
    configLabel_->setText(path);
  } catch (const std::exception& e) {
    configLabel_->setText(QString::fromStdString(e.what()));
  }
}

void ProtocolPanel::showResult() {
  const auto& result = session_->protocolResult();
  scenarios_->setRowCount(0);
  families_->setRowCount(0);
  features_->setRowCount(0);
  if (!result) return;
  scenarios_->setRowCount(static_cast<int>(result->scenarios.size()));
  for (int r = 0; r < scenarios_->rowCount(); ++r) {
    const ScenarioResult& s = result->scenarios[static_cast<std::size_t>(r)];
    scenarios_->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(s.name)));
    scenarios_->setItem(r, 1, numberItem(s.max_rel_diff_before));
    scenarios_->setItem(r, 2, numberItem(s.max_rel_diff_after));
    scenarios_->setItem(r, 3, numberItem(s.max_rel_diff_after_spatial));
    scenarios_->setItem(r, 4, numberItem(s.max_image_diff_after));
    scenarios_->setItem(r, 5, gainItem(s.max_rel_diff_before, s.max_rel_diff_after));
    QString notes;
    for (const std::string& n : s.notes) notes += QString::fromStdString(n) + QLatin1Char('\n');
    scenarios_->item(r, 0)->setToolTip(notes.trimmed());
  }
  scenarios_->resizeColumnsToContents();
  scenarios_->selectRow(0);
  showScenario(0);
}

void ProtocolPanel::showScenario(int row) {
  const auto& result = session_->protocolResult();
  families_->setRowCount(0);
  features_->setRowCount(0);
  if (!result || row < 0 || row >= static_cast<int>(result->scenarios.size())) return;
  const ScenarioResult& s = result->scenarios[static_cast<std::size_t>(row)];
  families_->setRowCount(static_cast<int>(s.families.size()));
  for (int r = 0; r < families_->rowCount(); ++r) {
    const FamilyAgreement& f = s.families[static_cast<std::size_t>(r)];
    families_->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(f.family)));
    families_->setItem(r, 1, numberItem(f.max_rel_diff_before));
    families_->setItem(r, 2, numberItem(f.max_rel_diff_after));
    families_->setItem(r, 3, numberItem(f.max_rel_diff_after_spatial));
    families_->setItem(r, 4, gainItem(f.max_rel_diff_before, f.max_rel_diff_after));
  }
  families_->resizeColumnsToContents();
  features_->setSortingEnabled(false);
  features_->setRowCount(static_cast<int>(s.features.size()));
  for (int r = 0; r < features_->rowCount(); ++r) {
    const FeatureAgreement& f = s.features[static_cast<std::size_t>(r)];
    features_->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(f.tag)));
    features_->setItem(r, 1, new QTableWidgetItem(QString::fromStdString(f.family)));
    features_->setItem(r, 2, numberItem(f.before));
    features_->setItem(r, 3, numberItem(f.after));
    features_->setItem(r, 4, numberItem(f.after_spatial));
  }
  features_->setSortingEnabled(true);
  features_->sortItems(3, Qt::DescendingOrder);  // the worst agreement after harmonization first
  features_->resizeColumnsToContents();
}

}  // namespace harmonia
