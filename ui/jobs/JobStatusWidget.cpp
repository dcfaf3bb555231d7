#include "ui/jobs/JobStatusWidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>
#include <algorithm>
#include <cmath>

#include "ui/jobs/JobRunner.h"

namespace harmonia {

namespace {
constexpr int kBarMaximum = 1000;

int barValue(double fraction) {
  return static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * kBarMaximum));
}
}  // namespace

JobStatusWidget::JobStatusWidget(JobRunner* runner, QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(6);
  title_ = new QLabel(this);
  bar_ = new QProgressBar(this);
  bar_->setRange(0, kBarMaximum);
  bar_->setTextVisible(false);
  bar_->setMaximumWidth(160);
  bar_->setMaximumHeight(14);
  cancel_ = new QToolButton(this);
  cancel_->setText(tr("Cancel"));
  cancel_->setToolTip(tr("Cancel this job"));
  cancel_->setAutoRaise(true);
  layout->addWidget(title_);
  layout->addWidget(bar_);
  layout->addWidget(cancel_);
  connect(cancel_, &QToolButton::clicked, this, &JobStatusWidget::cancelShown);
  setRunner(runner);
}

JobStatusWidget::~JobStatusWidget() = default;

void JobStatusWidget::setRunner(JobRunner* runner) {
  if (runner_) {
    disconnect(runner_, nullptr, this, nullptr);
  }
  runner_ = runner;
  if (runner_) {
    connect(runner_, &JobRunner::jobStarted, this, &JobStatusWidget::refresh);
    connect(runner_, &JobRunner::runningCountChanged, this, &JobStatusWidget::refresh);
    connect(runner_, &JobRunner::jobFinished, this, &JobStatusWidget::refresh);
    connect(runner_, &JobRunner::progressChanged, this, &JobStatusWidget::onProgress);
    connect(runner_, &QObject::destroyed, this, &JobStatusWidget::refresh);
  }
  refresh();
}

QString JobStatusWidget::titleText() const { return title_->text(); }

int JobStatusWidget::progressValue() const { return bar_->value(); }

void JobStatusWidget::refresh() {
  const std::vector<JobRunner::JobInfo> jobs =
      runner_ ? runner_->runningJobs() : std::vector<JobRunner::JobInfo>{};
  if (jobs.empty()) {
    shownKey_.clear();
    title_->clear();
    bar_->setValue(0);
    hide();
    return;
  }
  const JobRunner::JobInfo& newest = jobs.back();
  shownKey_ = newest.key;
  QString text = newest.title;
  if (jobs.size() > 1) {
    text += tr(" (+%1 more)").arg(static_cast<int>(jobs.size() - 1));
  }
  title_->setText(text);
  bar_->setValue(barValue(newest.fraction));
  show();
}

void JobStatusWidget::cancelShown() {
  if (runner_ && !shownKey_.isEmpty()) {
    runner_->cancel(shownKey_);
  }
}

void JobStatusWidget::onProgress(const QString& key, const QString& /*title*/, double fraction) {
  if (key == shownKey_) {
    bar_->setValue(barValue(fraction));
  }
}

}  // namespace harmonia
