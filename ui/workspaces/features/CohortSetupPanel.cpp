#include "ui/workspaces/features/CohortSetupPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/model/HarmonizationSession.h"
#include "ui/widgets/ElidedLabel.h"

namespace harmonia {

namespace {
const QString kNone = QStringLiteral("(none)");
}

CohortSetupPanel::CohortSetupPanel(HarmonizationSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      file_(new ElidedLabel),
      site_(new QComboBox),
      label_(new QComboBox),
      covariates_(new QTableWidget(0, 3)),
      fitWhere_(new QLineEdit),
      method_(new QComboBox),
      meanOnly_(new QCheckBox(tr("Mean only (location, no scale)"))),
      reference_(new QComboBox),
      threshold_(new QDoubleSpinBox),
      onlySignificant_(new QCheckBox(tr("Only where the label was significant"))),
      run_(new QPushButton(tr("&Run ComBat"))),
      cancel_(new QPushButton(tr("Cancel"))),
      progress_(new QProgressBar),
      message_(new QLabel) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* open = new QPushButton(tr("&Open Feature Table..."));
  open->setToolTip(
      tr("A CSV with one row per scan, one column per feature, and site, covariate "
         "and label columns (e.g. from harmonia-cli features --manifest)"));
  connect(open, &QPushButton::clicked, this, &CohortSetupPanel::openRequested);
  layout->addWidget(open);
  layout->addWidget(file_);

  auto* columns = new QGroupBox(tr("Columns"));
  auto* form = new QFormLayout(columns);
  form->addRow(tr("Site:"), site_);
  label_->setToolTip(tr("The biology the over-harmonization guard checks (e.g. disease)"));
  form->addRow(tr("Label:"), label_);
  covariates_->setHorizontalHeaderLabels({tr("Protect"), tr("Categorical"), tr("Ignore")});
  covariates_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  covariates_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  covariates_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  covariates_->verticalHeader()->hide();
  covariates_->setMinimumHeight(80);
  covariates_->setToolTip(
      tr("Protect: covariates whose effects ComBat keeps. Ignore: numeric "
         "columns that are not features (copied through)."));
  form->addRow(covariates_);
  fitWhere_->setPlaceholderText(tr("COLUMN=VALUE, e.g. diagnosis=control"));
  fitWhere_->setToolTip(tr("Fit on these scans only, then harmonize every scan"));
  form->addRow(tr("Fit where:"), fitWhere_);
  layout->addWidget(columns);

  auto* options = new QGroupBox(tr("ComBat"));
  auto* oform = new QFormLayout(options);
  method_->addItems({tr("Parametric EB"), tr("Non-parametric EB"), tr("No EB")});
  oform->addRow(tr("Method:"), method_);
  oform->addRow(meanOnly_);
  oform->addRow(tr("Reference site:"), reference_);
  layout->addWidget(options);

  auto* guard = new QGroupBox(tr("Over-harmonization guard"));
  auto* gform = new QFormLayout(guard);
  threshold_->setRange(1.0, 100.0);
  threshold_->setDecimals(0);
  threshold_->setSuffix(QStringLiteral(" %"));
  threshold_->setToolTip(
      tr("Flag a feature when the label's Fisher ratio or mixed-model "
         "coefficient drops by more than this"));
  gform->addRow(tr("Flag a drop over:"), threshold_);
  onlySignificant_->setToolTip(
      tr("Count drops only for features whose label coefficient was "
         "significant before harmonization"));
  gform->addRow(onlySignificant_);
  layout->addWidget(guard);

  auto* runRow = new QHBoxLayout;
  runRow->addWidget(run_);
  runRow->addWidget(cancel_);
  layout->addLayout(runRow);
  progress_->setRange(0, 1000);
  progress_->setTextVisible(false);
  progress_->setMaximumHeight(10);
  layout->addWidget(progress_);
  message_->setWordWrap(true);
  message_->setObjectName(QStringLiteral("cohortMessage"));
  layout->addWidget(message_);

  auto* exportBox = new QGroupBox(tr("Export"));
  auto* erow = new QHBoxLayout(exportBox);
  const QString names[3] = {tr("Table..."), tr("Model..."), tr("Report...")};
  const QString tips[3] = {tr("The harmonized feature table (CSV)"),
                           tr("The fitted ComBat model (JSON), to apply to new scans"),
                           tr("The over-harmonization guard's report (CSV)")};
  for (int i = 0; i < 3; ++i) {
    exports_[i] = new QPushButton(names[i]);
    exports_[i]->setToolTip(tips[i]);
    erow->addWidget(exports_[i]);
    connect(exports_[i], &QPushButton::clicked, this, [this, i] { emit exportRequested(i); });
  }
  layout->addWidget(exportBox);
  layout->addStretch(1);

  connect(site_, &QComboBox::currentTextChanged, this, [this](const QString& text) {
    session_->setSiteColumn(text == kNone ? QString() : text);
  });
  connect(label_, &QComboBox::currentTextChanged, this, [this](const QString& text) {
    session_->setLabelColumn(text == kNone ? QString() : text);
  });
  connect(covariates_, &QTableWidget::itemChanged, this, &CohortSetupPanel::forwardCovariates);
  connect(fitWhere_, &QLineEdit::editingFinished, this,
          [this] { session_->setFitWhere(fitWhere_->text().trimmed()); });
  connect(method_, &QComboBox::currentIndexChanged, this, &CohortSetupPanel::forwardOptions);
  connect(meanOnly_, &QCheckBox::toggled, this, &CohortSetupPanel::forwardOptions);
  connect(reference_, &QComboBox::currentIndexChanged, this, &CohortSetupPanel::forwardOptions);
  connect(threshold_, &QDoubleSpinBox::valueChanged, this, &CohortSetupPanel::forwardGuard);
  connect(onlySignificant_, &QCheckBox::toggled, this, &CohortSetupPanel::forwardGuard);
  connect(run_, &QPushButton::clicked, this, [this] {
    session_->setFitWhere(fitWhere_->text().trimmed());
    session_->run();
  });
  connect(cancel_, &QPushButton::clicked, session_, &HarmonizationSession::cancel);
  connect(session_, &HarmonizationSession::tableChanged, this, &CohortSetupPanel::showTable);
  connect(session_, &HarmonizationSession::settingsChanged, this, &CohortSetupPanel::showSettings);
  connect(session_, &HarmonizationSession::messageChanged, message_, &QLabel::setText);
  connect(session_, &HarmonizationSession::progressChanged, this,
          [this](double f) { progress_->setValue(static_cast<int>(f * 1000.0)); });
  connect(session_, &HarmonizationSession::runningChanged, this, [this](bool running) {
    cancel_->setEnabled(running);
    if (!running) {
      progress_->setValue(0);
    }
  });
  connect(session_, &HarmonizationSession::resultChanged, this, [this] {
    for (QPushButton* b : exports_) {
      b->setEnabled(session_->result() != nullptr);
    }
    exports_[2]->setEnabled(session_->result() && session_->result()->report);
  });
  cancel_->setEnabled(false);
  for (QPushButton* b : exports_) {
    b->setEnabled(false);
  }
  showTable();
}

void CohortSetupPanel::showTable() {
  const QSignalBlocker b1(site_), b2(label_), b3(covariates_);
  file_->setText(session_->hasTable() ? session_->path() : tr("No table open"));
  const QStringList columns = session_->columns();
  site_->clear();
  site_->addItem(kNone);
  site_->addItems(columns);
  label_->clear();
  label_->addItem(kNone);
  label_->addItems(columns);
  covariates_->setRowCount(static_cast<int>(columns.size()));
  for (int r = 0; r < columns.size(); ++r) {
    auto* protect = new QTableWidgetItem(columns[r]);
    protect->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    protect->setCheckState(Qt::Unchecked);
    auto* categorical = new QTableWidgetItem;
    categorical->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    categorical->setCheckState(session_->isNumericColumn(columns[r]) ? Qt::Unchecked : Qt::Checked);
    auto* ignore = new QTableWidgetItem;
    ignore->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    ignore->setCheckState(Qt::Unchecked);
    covariates_->setItem(r, 0, protect);
    covariates_->setItem(r, 1, categorical);
    covariates_->setItem(r, 2, ignore);
  }
  covariates_->resizeRowsToContents();
  showSettings();
}

void CohortSetupPanel::showSettings() {
  const HarmonizationSettings& s = session_->settings();
  const QSignalBlocker b1(site_), b2(label_), b3(covariates_), b4(fitWhere_), b5(method_),
      b6(meanOnly_), b7(reference_), b8(threshold_), b9(onlySignificant_);
  threshold_->setValue(100.0 * s.guard.drop_threshold);
  onlySignificant_->setChecked(s.guard.only_where_significant_before);
  site_->setCurrentText(s.site_column.isEmpty() ? kNone : s.site_column);
  label_->setCurrentText(s.label_column.isEmpty() ? kNone : s.label_column);
  for (int r = 0; r < covariates_->rowCount(); ++r) {
    const QString name = covariates_->item(r, 0)->text();
    covariates_->item(r, 0)->setCheckState(s.covariates.contains(name) ? Qt::Checked
                                                                       : Qt::Unchecked);
    if (s.covariates.contains(name)) {
      covariates_->item(r, 1)->setCheckState(s.categorical.contains(name) ? Qt::Checked
                                                                          : Qt::Unchecked);
    }
    covariates_->item(r, 2)->setCheckState(s.ignored.contains(name) ? Qt::Checked : Qt::Unchecked);
    covariates_->setRowHidden(r, name == s.site_column);
  }
  if (fitWhere_->text().trimmed() != s.fit_where) {
    fitWhere_->setText(s.fit_where);
  }
  method_->setCurrentIndex(static_cast<int>(s.combat.empirical_bayes));
  meanOnly_->setChecked(s.combat.mean_only);
  reference_->clear();
  reference_->addItem(kNone);
  if (!s.site_column.isEmpty()) {
    reference_->addItems(session_->levels(s.site_column));
  }
  reference_->setCurrentText(
      s.combat.reference_site ? QString::fromStdString(*s.combat.reference_site) : kNone);
}

void CohortSetupPanel::forwardCovariates() {
  QStringList covariates, categorical, ignored;
  for (int r = 0; r < covariates_->rowCount(); ++r) {
    if (covariates_->item(r, 2)->checkState() == Qt::Checked) {
      ignored << covariates_->item(r, 0)->text();
    }
    if (covariates_->item(r, 0)->checkState() != Qt::Checked) {
      continue;
    }
    const QString name = covariates_->item(r, 0)->text();
    covariates << name;
    if (covariates_->item(r, 1)->checkState() == Qt::Checked) {
      categorical << name;
    }
  }
  session_->setIgnoredColumns(ignored);
  session_->setCovariates(covariates, categorical);
}

void CohortSetupPanel::forwardGuard() {
  HarmonizationReportOptions o = session_->settings().guard;
  o.drop_threshold = threshold_->value() / 100.0;
  o.only_where_significant_before = onlySignificant_->isChecked();
  session_->setGuardOptions(o);
}

void CohortSetupPanel::forwardOptions() {
  ComBatOptions o;
  o.empirical_bayes = static_cast<EmpiricalBayes>(method_->currentIndex());
  o.mean_only = meanOnly_->isChecked();
  if (reference_->currentIndex() > 0) {
    o.reference_site = reference_->currentText().toStdString();
  }
  session_->setComBatOptions(o);
}

}  // namespace harmonia
