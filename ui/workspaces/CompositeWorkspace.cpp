#include "ui/workspaces/CompositeWorkspace.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "ui/model/CompositeSession.h"
#include "ui/widgets/HistogramWidget.h"
#include "ui/workspaces/StudyPanel.h"

namespace harmonia {

CompositeWorkspace::CompositeWorkspace(CompositeSession* session, QWidget* parent)
    : QWidget(parent), session_(session), histogram_(new HistogramWidget(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* vertical = new QSplitter(Qt::Vertical, this);
  auto* horizontal = new QSplitter(Qt::Horizontal, vertical);
  panels_[0] = new StudyPanel(session_->target(), horizontal);
  panels_[1] = new StudyPanel(session_->source(), horizontal);
  horizontal->addWidget(panels_[0]);
  horizontal->addWidget(panels_[1]);
  horizontal->setStretchFactor(0, 3);
  horizontal->setStretchFactor(1, 2);
  vertical->addWidget(horizontal);
  histogram_->setMinimumHeight(150);
  // Photographs often hold large flat areas (a black background): a log count
  // axis keeps the rest of the histogram readable.
  histogram_->setLogScale(true);
  vertical->addWidget(histogram_);
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 1);
  layout->addWidget(vertical);
  connect(session_, &CompositeSession::histogramsChanged, this,
          &CompositeWorkspace::showHistograms);
}

void CompositeWorkspace::showHistograms() {
  histogram_->clear();
  const auto& target = session_->targetHistograms();
  const auto& source = session_->sourceHistograms();
  static const QColor rgb[3] = {QColor(220, 50, 47), QColor(64, 160, 43), QColor(38, 110, 220)};
  static const char* names[3] = {"R", "G", "B"};
  const bool grayTarget = target.size() == 1;
  for (std::size_t c = 0; c < target.size() && c < 3; ++c) {
    histogram_->setHistogram(
        static_cast<int>(c), target[c],
        tr("Target %1").arg(grayTarget ? tr("gray") : QString::fromLatin1(names[c])),
        grayTarget ? QColor(90, 90, 90) : rgb[c]);
  }
  // The source is drawn lighter so target and source can be told apart.
  for (std::size_t c = 0; c < source.size() && c < 3; ++c) {
    QColor colour = source.size() == 1 ? QColor(160, 160, 160) : rgb[c].lighter(150);
    colour.setAlpha(110);
    histogram_->setHistogram(
        static_cast<int>(3 + c), source[c],
        tr("Source %1").arg(source.size() == 1 ? tr("gray") : QString::fromLatin1(names[c])),
        colour);
  }
}

}  // namespace harmonia
