#pragma once
// A line plot of two studies' values along a line: distance (mm) across,
// values in units up; gaps where a study has no value (outside its extent).

#include <QColor>
#include <QString>
#include <QWidget>

#include "core/compare/LineProfile.h"

namespace harmonia {

/// Two profiles over distance in mm.
class ProfileWidget : public QWidget {
  Q_OBJECT

 public:
  explicit ProfileWidget(QWidget* parent = nullptr);

  /// Shows profile `index` (0: A, 1: B) with its legend label and units.
  void setProfile(int index, const LineProfile& profile, const QString& label,
                  const QString& units);
  /// Removes both profiles.
  void clear();
  /// Number of profiles shown (0..2).
  [[nodiscard]] int profileCount() const;
  /// The value range plotted (min, max over both profiles' finite values).
  [[nodiscard]] std::pair<double, double> valueRange() const { return {lo_, hi_}; }

  [[nodiscard]] QSize minimumSizeHint() const override { return {160, 100}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  void updateRange();

  LineProfile profiles_[2];
  QString labels_[2];
  QString units_;
  double lo_ = 0.0;
  double hi_ = 1.0;
  double length_ = 1.0;
};

}  // namespace harmonia
