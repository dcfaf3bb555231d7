#pragma once
// The Compare workspace's ROI statistics: choose a region (a sphere or box at
// the crosshair, an RTSTRUCT ROI of either study, or the whole image) and read
// both studies' N, mean, SD, median, P5, P95, min and max in their units, and
// A - B. Displays a CompareMeasurements model and forwards the user's choices.

#include <Eigen/Core>
#include <QWidget>
#include <functional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableWidget;

namespace harmonia {

class CompareMeasurements;
class CompareSession;

/// Region choice and the statistics table of both studies.
class MeasurementPanel : public QWidget {
  Q_OBJECT

 public:
  /// `crosshair()` gives study A's crosshair (LPS mm), where shapes are placed.
  MeasurementPanel(CompareMeasurements* measurements, CompareSession* session,
                   std::function<Eigen::Vector3d()> crosshair, QWidget* parent = nullptr);

  /// The table: rows N, mean, SD, median, P5, P95, min, max; columns A, B, A - B.
  [[nodiscard]] QTableWidget* table() const { return table_; }
  /// Chooses region entry `index` of the region list (see regionNames()) and measures.
  void chooseRegion(int index);
  /// The entries of the region list.
  [[nodiscard]] QStringList regionNames() const;
  /// Places the sphere or box at the crosshair and measures.
  void placeAtCrosshair();

 private:
  void rebuildRegions();
  void apply();
  void showResult();

  CompareMeasurements* measurements_;
  CompareSession* session_;
  std::function<Eigen::Vector3d()> crosshair_;
  QComboBox* region_;
  QDoubleSpinBox* size_;
  QTableWidget* table_;
  QLabel* status_;
};

}  // namespace harmonia
