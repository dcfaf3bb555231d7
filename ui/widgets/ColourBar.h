#pragma once
// The colour bar of the Compare workspace's difference mode: the diverging
// map (blue, white at zero, red) over [-range, +range], labelled in units.

#include <QString>
#include <QWidget>

namespace harmonia {

/// A horizontal diverging colour bar with its range and units.
class ColourBar : public QWidget {
  Q_OBJECT

 public:
  explicit ColourBar(QWidget* parent = nullptr);

  /// Shows [-range, +range] in `units` ("HU", "SUV", "" for arbitrary).
  void setRange(double range, const QString& units);
  /// The range shown.
  [[nodiscard]] double range() const { return range_; }
  /// The labels, left to right ("-120 HU", "0", "+120 HU").
  [[nodiscard]] QStringList labels() const;

  [[nodiscard]] QSize sizeHint() const override;
  [[nodiscard]] QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  double range_ = 1.0;
  QString units_;
};

}  // namespace harmonia
