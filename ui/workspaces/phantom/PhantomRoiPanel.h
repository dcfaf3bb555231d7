#pragma once
// The Phantom workspace's measurement controls: choose an ROI (PSF object,
// uniform region, NEMA spheres) and set its centre by coordinates or to the
// views' crosshair (Alt+arrows in a view nudge it), the PSF method and
// sizes, the uniform region's size, the NEMA activity ratio; auto-detection;
// and the Measure buttons. Forwards everything to the PhantomSession.

#include <Eigen/Core>
#include <QWidget>
#include <functional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace harmonia {

class PhantomSession;

/// ROI placement and Measure buttons for a PhantomSession.
class PhantomRoiPanel : public QWidget {
  Q_OBJECT

 public:
  /// `crosshair` returns the views' crosshair (world mm) for "To crosshair".
  PhantomRoiPanel(PhantomSession* session, std::function<Eigen::Vector3d()> crosshair,
                  QWidget* parent = nullptr);

  /// The selected ROI (PhantomSession::Roi).
  [[nodiscard]] int selectedRoi() const;
  [[nodiscard]] QComboBox* roiBox() const { return roi_; }
  [[nodiscard]] QDoubleSpinBox* centreBox(int axis) const { return centre_[axis]; }
  [[nodiscard]] QPushButton* measureAllButton() const { return measureAll_; }
  /// True while the selected ROI follows the crosshair (the "Drag" button is on).
  [[nodiscard]] bool followsCrosshair() const;
  [[nodiscard]] QPushButton* dragButton() const { return follow_; }

 private:
  void listRois();
  void showRoi();
  void showParams();
  void applyCentre();
  void applyParams();

  PhantomSession* session_;
  std::function<Eigen::Vector3d()> crosshair_;
  bool updating_ = false;
  QComboBox* roi_;
  QDoubleSpinBox* centre_[3];
  QLabel* roiState_;
  QComboBox* method_;
  QDoubleSpinBox* diameter_;
  QDoubleSpinBox* roiRadius_;
  QDoubleSpinBox* halfSize_[3];
  QDoubleSpinBox* ratio_;
  QPushButton* measureAll_;
  QPushButton* follow_;
};

}  // namespace harmonia
