#pragma once
// One document in a slice view, with its title, orientation buttons and the
// crosshair readout underneath. Used by every workspace.

#include <QWidget>

#include "ui/view/SliceView.h"

class QLabel;
class QToolButton;

namespace harmonia {

class Document;
class ElidedLabel;

/// Title + orientation buttons + SliceView + readout, bound to a Document.
class ImagePanel : public QWidget {
  Q_OBJECT

 public:
  /// Creates a panel showing `document` (not owned; may be null).
  explicit ImagePanel(Document* document, QWidget* parent = nullptr);

  /// The slice view.
  [[nodiscard]] SliceView* view() const { return view_; }
  /// The document shown.
  [[nodiscard]] Document* document() const { return document_; }
  /// The readout line under the view.
  [[nodiscard]] QString readout() const;

 private:
  void showDocument();
  void updateTitle();

  Document* document_;
  SliceView* view_;
  QLabel* title_;
  ElidedLabel* summary_;
  ElidedLabel* readout_;
  QWidget* orientationBar_;
  QToolButton* orientationButtons_[3];
};

}  // namespace harmonia
