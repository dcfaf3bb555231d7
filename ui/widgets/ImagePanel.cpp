#include "ui/widgets/ImagePanel.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/model/Document.h"
#include "ui/widgets/ElidedLabel.h"

namespace harmonia {

ImagePanel::ImagePanel(Document* document, QWidget* parent)
    : QWidget(parent),
      document_(document),
      view_(new SliceView(this)),
      title_(new QLabel(this)),
      summary_(new ElidedLabel(this)),
      readout_(new ElidedLabel(this)),
      orientationBar_(new QWidget(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);

  auto* header = new QHBoxLayout;
  title_->setTextFormat(Qt::RichText);
  header->addWidget(title_);
  header->addWidget(summary_, 1);
  auto* bar = new QHBoxLayout(orientationBar_);
  bar->setContentsMargins(0, 0, 0, 0);
  bar->setSpacing(0);
  auto* group = new QButtonGroup(this);
  const QString names[3] = {tr("Axial"), tr("Coronal"), tr("Sagittal")};
  const SliceView::Orientation orientations[3] = {SliceView::Orientation::Axial,
                                                  SliceView::Orientation::Coronal,
                                                  SliceView::Orientation::Sagittal};
  for (int i = 0; i < 3; ++i) {
    auto* b = new QToolButton(orientationBar_);
    b->setText(names[i]);
    b->setCheckable(true);
    b->setAutoRaise(true);
    b->setToolTip(tr("Show %1 slices").arg(names[i].toLower()));
    group->addButton(b, i);
    bar->addWidget(b);
    orientationButtons_[i] = b;
    connect(b, &QToolButton::clicked, this,
            [this, o = orientations[i]] { view_->setOrientation(o); });
  }
  orientationButtons_[0]->setChecked(true);
  header->addWidget(orientationBar_);
  layout->addLayout(header);

  view_->setMinimumSize(200, 200);
  layout->addWidget(view_, 1);
  QFont mono = readout_->font();
  mono.setStyleHint(QFont::Monospace);
  mono.setFamily(QStringLiteral("monospace"));
  readout_->setFont(mono);
  layout->addWidget(readout_);

  connect(view_, &SliceView::orientationChanged, this, [this](SliceView::Orientation o) {
    orientationButtons_[o == SliceView::Orientation::Axial     ? 0
                        : o == SliceView::Orientation::Coronal ? 1
                                                               : 2]
        ->setChecked(true);
  });
  connect(view_, &SliceView::cursorChanged, this, [this](const SliceView::CursorInfo& info) {
    readout_->setText(SliceView::formatReadout(info));
  });
  if (document_ != nullptr) connect(document_, &Document::changed, this, &ImagePanel::showDocument);
  showDocument();
}

QString ImagePanel::readout() const { return readout_->text(); }

void ImagePanel::updateTitle() {
  if (document_ == nullptr) return;
  title_->setText(QStringLiteral("<b>%1</b>:").arg(document_->role().toHtmlEscaped()));
  // Name and summary share one elided line: a long file name never widens the window.
  summary_->setText(document_->isEmpty()
                        ? tr("drop a file here or use File > Open")
                        : document_->name() + QStringLiteral("   ") + document_->summary());
  setToolTip(document_->source());
}

void ImagePanel::showDocument() {
  updateTitle();
  if (document_ == nullptr || document_->isEmpty()) {
    view_->clear();
    readout_->clear();
    orientationBar_->setVisible(false);
    return;
  }
  if (document_->volume()) {
    view_->setVolume(document_->volume());
    orientationBar_->setVisible(true);
  } else {
    view_->setImage(document_->image());
    orientationBar_->setVisible(false);
  }
  readout_->setText(view_->readoutText());
}

}  // namespace harmonia
