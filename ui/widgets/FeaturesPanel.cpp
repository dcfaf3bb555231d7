#include "ui/widgets/FeaturesPanel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardItemModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <cmath>
#include <map>

#include "ui/model/FeaturesModel.h"

namespace harmonia {

namespace {

constexpr int kFileItem = -1;  // settings combo: "Settings file..."

// Family order of the tree: IBSI order, diagnostics last.
int familyOrder(const QString& key) {
  static const QStringList keys = {QStringLiteral("morphology"),
                                   QStringLiteral("local_intensity"),
                                   QStringLiteral("intensity_statistics"),
                                   QStringLiteral("intensity_histogram"),
                                   QStringLiteral("intensity_volume_histogram"),
                                   QStringLiteral("glcm"),
                                   QStringLiteral("glrlm"),
                                   QStringLiteral("glszm"),
                                   QStringLiteral("gldzm"),
                                   QStringLiteral("ngtdm"),
                                   QStringLiteral("ngldm"),
                                   QStringLiteral("diagnostics")};
  const auto i = keys.indexOf(key);
  return i < 0 ? static_cast<int>(keys.size()) : static_cast<int>(i);
}

QString number(double v) { return QString::number(v, 'g', 6); }

// A value cell: the number, or "undefined" with its reason.
QStandardItem* valueItem(const std::optional<features::Feature>& f) {
  auto* item = new QStandardItem;
  if (!f) return item;
  if (f->defined()) {
    item->setText(number(f->value));
    item->setToolTip(QString::number(f->value, 'g', 17));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  } else {
    const QString reason = QString::fromStdString(f->reason);
    item->setText(FeaturesPanel::tr("undefined: %1").arg(reason));
    item->setToolTip(FeaturesPanel::tr("Undefined for this ROI: %1").arg(reason));
    item->setForeground(QColor(120, 120, 120));
  }
  return item;
}

QComboBox* compactCombo(QWidget* parent) {
  auto* combo = new QComboBox(parent);
  // Long ROI names must not widen the workspace (every workspace fits 1280x800).
  combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  combo->setMinimumContentsLength(8);
  return combo;
}

}  // namespace

FeaturesPanel::FeaturesPanel(FeaturesModel* model, QWidget* parent)
    : QWidget(parent),
      model_(model),
      settings_(compactCombo(this)),
      roiLabel_{new QLabel(tr("ROI A"), this), new QLabel(tr("ROI B"), this)},
      roi_{compactCombo(this), compactCombo(this)},
      compute_(new QToolButton(this)),
      cancel_(new QPushButton(tr("Cancel"), this)),
      progress_(new QProgressBar(this)),
      search_(new QLineEdit(this)),
      export_(new QPushButton(tr("Export CSV..."), this)),
      tree_(new QTreeView(this)),
      items_(new QStandardItemModel(this)),
      status_(new QLabel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);

  for (const QString& name : FeaturesModel::presetNames()) {
    settings_->addItem(tr("IBSI %1").arg(name), name);
  }
  settings_->addItem(tr("Settings file..."), kFileItem);
  settings_->setToolTip(
      tr("IBSI 1 benchmark configuration (phantom: no processing; A, B: 2-D; C, D, E: 3-D with "
         "2 mm voxels), or a JSON settings file"));
  for (int i = 0; i < 2; ++i) {
    roi_[i]->setToolTip(tr("The region whose features are computed"));
  }
  compute_->setText(tr("Compute"));
  compute_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  compute_->setToolTip(tr("Compute the features of the chosen ROI (both studies in Compare)"));
  computeMenu_ = new QMenu(compute_);
  computeMenu_->addAction(tr("Study A only"), this,
                          [this] { model_->compute(FeaturesModel::Target::A); });
  computeMenu_->addAction(tr("Study B only"), this,
                          [this] { model_->compute(FeaturesModel::Target::B); });
  progress_->setRange(0, 1000);
  progress_->setTextVisible(false);
  progress_->setMaximumWidth(120);

  auto* top = new QHBoxLayout;
  top->addWidget(settings_, 1);
  for (int i = 0; i < 2; ++i) {
    top->addWidget(roiLabel_[i]);
    top->addWidget(roi_[i], 1);
  }
  top->addWidget(compute_);
  top->addWidget(progress_);
  top->addWidget(cancel_);
  layout->addLayout(top);

  search_->setPlaceholderText(tr("Filter: tag or family (glcm, stat_mean, 3D...)"));
  search_->setClearButtonEnabled(true);
  export_->setToolTip(tr("Save every feature as CSV: tag, family, aggregation, values, A − B"));
  auto* second = new QHBoxLayout;
  second->addWidget(search_, 1);
  second->addWidget(export_);
  layout->addLayout(second);

  tree_->setModel(items_);
  tree_->setUniformRowHeights(true);
  tree_->setAlternatingRowColors(true);
  tree_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  tree_->setMinimumHeight(60);
  layout->addWidget(tree_, 1);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);

  connect(settings_, &QComboBox::activated, this, &FeaturesPanel::chooseSettings);
  for (int i = 0; i < 2; ++i) {
    connect(roi_[i], &QComboBox::activated, this,
            [this, i](int index) { model_->setRoi(i, roi_[i]->itemData(index).toInt()); });
  }
  connect(compute_, &QToolButton::clicked, this,
          [this] { model_->compute(FeaturesModel::Target::Both); });
  connect(cancel_, &QPushButton::clicked, model_, &FeaturesModel::cancel);
  connect(search_, &QLineEdit::textChanged, model_, &FeaturesModel::setFilter);
  connect(export_, &QPushButton::clicked, this, &FeaturesPanel::showExportDialog);
  connect(model_, &FeaturesModel::studiesChanged, this, &FeaturesPanel::rebuildRois);
  connect(model_, &FeaturesModel::settingsChanged, this, &FeaturesPanel::showSettings);
  connect(model_, &FeaturesModel::resultsChanged, this, &FeaturesPanel::showRows);
  connect(model_, &FeaturesModel::filterChanged, this, &FeaturesPanel::showRows);
  connect(model_, &FeaturesModel::messageChanged, this,
          [this] { status_->setText(model_->message()); });
  connect(model_, &FeaturesModel::runningChanged, this, &FeaturesPanel::showRunning);
  connect(model_, &FeaturesModel::progressChanged, this, [this](double fraction) {
    progress_->setValue(static_cast<int>(std::lround(1000.0 * fraction)));
  });

  rebuildRois();
  showSettings();
  showRows();
  showRunning(model_->isRunning());
  status_->setText(model_->message());
}

int FeaturesPanel::featureRowCount() const {
  int n = 0;
  for (int r = 0; r < items_->rowCount(); ++r) n += items_->item(r)->rowCount();
  return n;
}

void FeaturesPanel::showExportDialog() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export features"), QStringLiteral("features.csv"), tr("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  try {
    model_->exportCsv(path);
    status_->setText(tr("Saved %1").arg(path));
  } catch (const std::exception& e) {
    status_->setText(QString::fromStdString(e.what()));
  }
}

void FeaturesPanel::rebuildRois() {
  const bool two = model_->studyCount() == 2;
  for (int i = 0; i < 2; ++i) {
    roi_[i]->clear();
    for (std::size_t r = 0; r < model_->rois(i).size(); ++r) {
      roi_[i]->addItem(model_->rois(i)[r].name, static_cast<int>(r));
    }
    if (roi_[i]->count() == 0) roi_[i]->addItem(tr("(no ROI)"), -1);
    const int current = roi_[i]->findData(model_->roiIndex(i));
    roi_[i]->setCurrentIndex(current >= 0 ? current : 0);
    roi_[i]->setEnabled(!model_->rois(i).empty());
    roi_[i]->setToolTip(
        tr("The region whose features are computed: %1").arg(roi_[i]->currentText()));
  }
  roiLabel_[0]->setText(two ? tr("ROI A") : tr("ROI"));
  roiLabel_[1]->setVisible(two);
  roi_[1]->setVisible(two);
  compute_->setMenu(two ? computeMenu_ : nullptr);
  compute_->setPopupMode(two ? QToolButton::MenuButtonPopup : QToolButton::DelayedPopup);
  showRows();
}

void FeaturesPanel::showSettings() {
  const QString name = QString::fromStdString(model_->settings().name);
  const int preset = settings_->findData(name);
  if (preset >= 0 && model_->settingsLabel().startsWith(tr("IBSI"))) {
    settings_->setCurrentIndex(preset);
  } else {
    const int file = settings_->findData(kFileItem);
    settings_->setItemText(file, model_->settingsLabel());
    settings_->setCurrentIndex(file);
  }
  settings_->setToolTip(tr("Settings in force: %1").arg(model_->settingsLabel()));
}

void FeaturesPanel::chooseSettings(int index) {
  const int file = settings_->findData(kFileItem);
  if (index != file) {
    settings_->setItemText(file, tr("Settings file..."));
    model_->setPreset(settings_->itemData(index).toString());
    return;
  }
  const QString path = QFileDialog::getOpenFileName(this, tr("Feature settings"), QString(),
                                                    tr("Settings (*.json);;All files (*)"));
  if (path.isEmpty() || !model_->loadSettingsFile(path)) showSettings();
}

void FeaturesPanel::showRows() {
  const bool two = model_->studyCount() == 2;
  items_->clear();
  items_->setHorizontalHeaderLabels({tr("Feature (IBSI tag)"), two ? tr("A") : tr("Value"), tr("B"),
                                     tr("A − B"), tr("Rel. diff (A−B)/mean(|A|,|B|)")});
  items_->horizontalHeaderItem(RelDiffColumn)
      ->setToolTip(tr("Symmetric relative difference: (A − B) divided by the mean of |A| and "
                      "|B|; 0 when A = B"));
  std::map<int, QStandardItem*> families;
  for (const FeatureRow& row : model_->filteredRows()) {
    const int order = familyOrder(row.family);
    auto it = families.find(order);
    if (it == families.end()) {
      auto* family = new QStandardItem(FeaturesModel::familyTitle(row.family));
      QFont bold = family->font();
      bold.setBold(true);
      family->setFont(bold);
      it = families.emplace(order, family).first;
    }
    QList<QStandardItem*> cells;
    auto* tag = new QStandardItem(row.tag);
    tag->setToolTip(row.aggregation.isEmpty()
                        ? row.tag
                        : tr("%1 (aggregation %2)").arg(row.tag, row.aggregation));
    cells << tag << valueItem(row.a) << valueItem(row.b);
    if (row.diff_reason.isEmpty()) {
      auto* diff = new QStandardItem(number(row.diff));
      auto* rel = new QStandardItem(number(row.rel_diff));
      diff->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      rel->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      cells << diff << rel;
    } else {
      auto* diff = new QStandardItem;
      diff->setToolTip(row.diff_reason);
      if (row.a && row.b) {
        diff->setText(row.diff_reason);
        diff->setForeground(QColor(120, 120, 120));
      }
      cells << diff << new QStandardItem;
    }
    it->second->appendRow(cells);
  }
  for (auto& [order, family] : families) {
    family->setText(QStringLiteral("%1 (%2)").arg(family->text()).arg(family->rowCount()));
    items_->appendRow(family);
  }
  tree_->expandAll();
  tree_->setColumnHidden(BColumn, !two);
  tree_->setColumnHidden(DiffColumn, !two);
  tree_->setColumnHidden(RelDiffColumn, !two);
  // Tags take the spare width; the numbers keep narrow columns beside them.
  tree_->header()->setStretchLastSection(false);
  tree_->header()->setSectionResizeMode(QHeaderView::Interactive);
  tree_->header()->setSectionResizeMode(TagColumn, QHeaderView::Stretch);
  for (int c = AColumn; c < RelDiffColumn; ++c) tree_->setColumnWidth(c, 110);
  tree_->setColumnWidth(RelDiffColumn, 200);
  export_->setEnabled(model_->result(0).has_value() || model_->result(1).has_value());
}

void FeaturesPanel::showRunning(bool running) {
  progress_->setVisible(running);
  cancel_->setVisible(running);
  if (!running) progress_->setValue(0);
}

}  // namespace harmonia
