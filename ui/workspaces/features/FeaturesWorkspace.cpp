#include "ui/workspaces/features/FeaturesWorkspace.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/model/GuardTableModel.h"
#include "ui/model/HarmonizationSession.h"
#include "ui/widgets/PcaScatterChart.h"
#include "ui/widgets/SiteBoxPlotChart.h"
#include "ui/widgets/SiteEffectChart.h"
#include "ui/workspaces/features/CohortSetupPanel.h"

namespace harmonia {

FeaturesWorkspace::FeaturesWorkspace(HarmonizationSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      setup_(new CohortSetupPanel(session)),
      tabs_(new QTabWidget),
      feature_(new QComboBox),
      siteEffect_(new SiteEffectChart),
      guardModel_(new GuardTableModel(session, this)),
      guardView_(new QTableView) {
  auto* scroll = new QScrollArea;
  scroll->setWidget(setup_);
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(280);
  scroll->setMaximumWidth(380);

  auto* boxPage = new QWidget;
  auto* boxLayout = new QVBoxLayout(boxPage);
  boxLayout->setContentsMargins(2, 2, 2, 2);
  auto* featureRow = new QHBoxLayout;
  featureRow->addWidget(new QLabel(tr("Feature:")));
  feature_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  feature_->setMinimumContentsLength(24);
  featureRow->addWidget(feature_);
  featureRow->addStretch(1);
  boxLayout->addLayout(featureRow);
  auto* boxCharts = new QHBoxLayout;
  for (auto*& b : boxes_) {
    b = new SiteBoxPlotChart;
    boxCharts->addWidget(b);
  }
  boxLayout->addLayout(boxCharts, 1);
  auto* pcaPage = new QWidget;
  auto* pcaLayout = new QHBoxLayout(pcaPage);
  pcaLayout->setContentsMargins(2, 2, 2, 2);
  for (auto*& p : pca_) {
    p = new PcaScatterChart;
    pcaLayout->addWidget(p);
  }
  tabs_->addTab(boxPage, tr("Site box plots"));
  tabs_->addTab(pcaPage, tr("PCA by site"));
  tabs_->addTab(siteEffect_, tr("Site effect"));

  guardView_->setModel(guardModel_);
  guardView_->setSelectionBehavior(QAbstractItemView::SelectRows);
  guardView_->setSelectionMode(QAbstractItemView::SingleSelection);
  guardView_->verticalHeader()->hide();
  guardView_->horizontalHeader()->setStretchLastSection(true);
  guardView_->setWordWrap(false);
  guardView_->setToolTip(
      tr("Features sorted by how much of the label's effect harmonization "
         "removed; red rows are flagged (hover for the reasons)"));

  auto* right = new QSplitter(Qt::Vertical);
  right->addWidget(tabs_);
  right->addWidget(guardView_);
  right->setStretchFactor(0, 3);
  right->setStretchFactor(1, 2);
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(scroll);
  split->addWidget(right);
  split->setStretchFactor(1, 1);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  connect(setup_, &CohortSetupPanel::openRequested, this, &FeaturesWorkspace::showOpenDialog);
  connect(setup_, &CohortSetupPanel::exportRequested, this, &FeaturesWorkspace::showExportDialog);
  connect(session_, &HarmonizationSession::resultChanged, this, &FeaturesWorkspace::showResult);
  connect(session_, &HarmonizationSession::selectedFeatureChanged, this,
          &FeaturesWorkspace::showFeature);
  connect(session_, &HarmonizationSession::messageChanged, this, &FeaturesWorkspace::statusMessage);
  connect(feature_, &QComboBox::currentIndexChanged, session_,
          &HarmonizationSession::setSelectedFeature);
  connect(guardView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) {
              session_->setSelectedFeature(guardModel_->featureAt(current.row()));
            }
          });
  showResult();
}

void FeaturesWorkspace::showResult() {
  const auto& r = session_->result();
  {
    const QSignalBlocker block(feature_);
    feature_->clear();
    if (r) {
      for (const std::string& name : r->feature_names) {
        feature_->addItem(QString::fromStdString(name));
      }
    }
  }
  guardView_->resizeColumnsToContents();
  for (int c = 0; c < GuardTableModel::Reasons; ++c) {
    guardView_->setColumnWidth(c, std::min(guardView_->columnWidth(c), 220));
  }
  if (!r) {
    pca_[0]->clear(tr("PCA before"));
    pca_[1]->clear(tr("PCA after"));
    siteEffect_->setSiteEffects(tr("Site effect"), {}, {}, {});
  } else {
    QStringList names;
    std::vector<double> before, after;
    const std::vector<int> order = session_->featuresBySiteEffect();
    for (std::size_t k = 0; k < order.size() && k < std::size_t{kSiteEffectBars}; ++k) {
      const auto f = static_cast<std::size_t>(order[k]);
      names << QString::fromStdString(r->feature_names[f]);
      before.push_back(r->site_f_before[f]);
      after.push_back(r->site_f_after[f]);
    }
    siteEffect_->setSiteEffects(
        order.size() > std::size_t{kSiteEffectBars}
            ? tr("Site effect: the %1 features with the largest F before (of %2)")
                  .arg(kSiteEffectBars)
                  .arg(order.size())
            : tr("Site effect per feature"),
        names, before, after);
    const auto n = r->feature_names.size();
    pca_[0]->setScores(tr("Before: PCA of %1 standardized features").arg(n), r->pca_before,
                       r->site_of, r->site_levels);
    pca_[1]->setScores(tr("After ComBat: PCA of %1 standardized features").arg(n), r->pca_after,
                       r->site_of, r->site_levels);
  }
  showFeature(session_->selectedFeature());
}

void FeaturesWorkspace::showFeature(int feature) {
  const auto& r = session_->result();
  {
    const QSignalBlocker block(feature_);
    feature_->setCurrentIndex(feature);
  }
  const int row = guardModel_->rowOf(feature);
  if (row >= 0 && guardView_->currentIndex().row() != row) {
    const QSignalBlocker block(guardView_->selectionModel());
    guardView_->selectRow(row);
    guardView_->scrollTo(guardModel_->index(row, 0));
  }
  if (!r || feature < 0) {
    const QString hint = session_->hasTable() ? tr("choose the site column and run ComBat")
                                              : tr("open a feature table (one row per scan)");
    boxes_[0]->setBoxes(tr("Before: %1").arg(hint), {}, 0.0, 1.0);
    boxes_[1]->setBoxes(tr("After ComBat"), {}, 0.0, 1.0);
    return;
  }
  const auto before = session_->siteBoxes(feature, false);
  const auto after = session_->siteBoxes(feature, true);
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const auto* boxes : {&before, &after}) {
    for (const SiteBox& b : *boxes) {
      if (b.count == 0) {
        continue;
      }
      lo = std::min(lo, b.lower_extreme);
      hi = std::max(hi, b.upper_extreme);
    }
  }
  const auto f = static_cast<std::size_t>(feature);
  const auto fText = [](double v) {
    return std::isfinite(v) ? QString::number(v, 'f', 1) : QStringLiteral("–");
  };
  const QString name = QString::fromStdString(r->feature_names[f]);
  boxes_[0]->setBoxes(tr("%1 before (site F %2)").arg(name, fText(r->site_f_before[f])), before, lo,
                      hi);
  boxes_[1]->setBoxes(tr("%1 after (site F %2)").arg(name, fText(r->site_f_after[f])), after, lo,
                      hi);
}

void FeaturesWorkspace::showOpenDialog() {
  QSettings settings;
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open feature table"), settings.value(QStringLiteral("cohortDir")).toString(),
      tr("Feature tables (*.csv);;All files (*)"));
  if (path.isEmpty()) {
    return;
  }
  settings.setValue(QStringLiteral("cohortDir"), QFileInfo(path).absolutePath());
  session_->open(path);
}

void FeaturesWorkspace::showExportDialog(int what) {
  const QString base = QFileInfo(session_->path()).completeBaseName();
  const QString dir = QFileInfo(session_->path()).absolutePath();
  const QString names[3] = {base + QStringLiteral("_harmonized.csv"),
                            base + QStringLiteral("_combat_model.json"),
                            base + QStringLiteral("_guard_report.csv")};
  const QString filters[3] = {tr("CSV (*.csv)"), tr("JSON (*.json)"), tr("CSV (*.csv)")};
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export"), dir + QLatin1Char('/') + names[what], filters[what]);
  if (path.isEmpty()) {
    return;
  }
  if (what == 0) {
    session_->exportHarmonized(path);
  }
  if (what == 1) {
    session_->exportModel(path);
  }
  if (what == 2) {
    session_->exportReport(path);
  }
}

}  // namespace harmonia
