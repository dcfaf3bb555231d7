#pragma once
// A one-line label that never asks for more width than it is given: text that
// does not fit is elided at the right ("…") and shown whole in the tooltip.
//
// QLabel's minimum width is the width of its text, so a long readout or file
// summary widens the whole window (the Compare workspace once needed 1659 px
// on a machine with wider fonts). Readouts, titles and summaries use this.

#include <QFrame>
#include <QString>

namespace harmonia {

/// Single-line text elided to the available width; the full text in the tooltip.
class ElidedLabel : public QFrame {
  Q_OBJECT

 public:
  explicit ElidedLabel(QWidget* parent = nullptr);

  /// Sets the text (plain text; shown whole in the tooltip when elided).
  void setText(const QString& text);
  /// The full text.
  [[nodiscard]] const QString& text() const { return text_; }
  /// Clears the text.
  void clear() { setText(QString()); }
  /// True when the text is wider than the label (drawn elided).
  [[nodiscard]] bool isElided() const;

  /// The text's width and one line's height.
  [[nodiscard]] QSize sizeHint() const override;
  /// A few characters wide: never more, whatever the text.
  [[nodiscard]] QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void updateToolTip();

  QString text_;
};

}  // namespace harmonia
