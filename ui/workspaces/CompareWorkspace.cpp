#include "ui/workspaces/CompareWorkspace.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QSplitter>
#include <QVBoxLayout>

#include "ui/model/CompareSession.h"
#include "ui/model/HarmonizeController.h"
#include "ui/widgets/HistogramWidget.h"
#include "ui/workspaces/HarmonizePanel.h"
#include "ui/workspaces/StudyPanel.h"

namespace harmonia {

CompareWorkspace::CompareWorkspace(CompareSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      histogram_(new HistogramWidget(this)),
      link_(new QCheckBox(tr("Link views"), this)),
      controller_(new HarmonizeController(session, session->runner(), this)),
      harmonize_(nullptr) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* vertical = new QSplitter(Qt::Vertical, this);
  auto* horizontal = new QSplitter(Qt::Horizontal, vertical);
  for (int i = 0; i < 2; ++i) {
    panels_[i] = new StudyPanel(session_->study(i), horizontal);
    horizontal->addWidget(panels_[i]);
  }
  vertical->addWidget(horizontal);
  auto* bottom = new QWidget(vertical);
  auto* bottomLayout = new QVBoxLayout(bottom);
  bottomLayout->setContentsMargins(0, 0, 0, 0);
  auto* options = new QHBoxLayout;
  link_->setChecked(true);
  link_->setToolTip(tr("Crosshair (in mm), orientation and window/level follow between the views"));
  options->addWidget(link_);
  options->addStretch(1);
  bottomLayout->addLayout(options);
  histogram_->setMinimumHeight(150);
  bottomLayout->addWidget(histogram_, 1);
  vertical->addWidget(bottom);
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 1);
  auto* outer = new QSplitter(Qt::Horizontal, this);
  outer->addWidget(vertical);
  harmonize_ = new HarmonizePanel(
      controller_, [this](int study) { return panels_[study]->view()->crosshair(); }, outer);
  harmonize_->setMinimumWidth(330);
  outer->addWidget(harmonize_);
  outer->setStretchFactor(0, 4);
  outer->setStretchFactor(1, 1);
  layout->addWidget(outer);
  connect(session_->study(0), &Document::changed, harmonize_, &HarmonizePanel::fillFwhmFromStudies);
  connect(session_->study(1), &Document::changed, harmonize_, &HarmonizePanel::fillFwhmFromStudies);

  connect(session_, &CompareSession::histogramsChanged, this, &CompareWorkspace::showHistograms);
  linkViews();
}

bool CompareWorkspace::linked() const { return link_->isChecked(); }

void CompareWorkspace::setLinked(bool linked) { link_->setChecked(linked); }

void CompareWorkspace::linkViews() {
  for (int i = 0; i < 2; ++i) {
    SliceView* from = panels_[i]->view();
    SliceView* to = panels_[1 - i]->view();
    // World positions (mm), not indices: the studies have different grids.
    connect(from, &SliceView::crosshairMoved, to, [this, to](const Eigen::Vector3d& world) {
      if (linked() && to->volume()) to->setCrosshair(world);
    });
    connect(from, &SliceView::windowLevelChanged, to, [this, to](double window, double level) {
      if (linked() && to->volume()) to->setWindowLevel(window, level);
    });
  }
}

void CompareWorkspace::showHistograms() {
  histogram_->clear();
  for (int i = 0; i < 2; ++i) {
    const auto& h = session_->histogram(i);
    if (!h) continue;
    const Document* d = session_->study(i);
    histogram_->setHistogram(i, *h, d->role() + QStringLiteral(": ") + d->name());
  }
}

}  // namespace harmonia
