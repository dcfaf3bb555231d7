#pragma once
// Editor of one virtual scanner's parameters (every field of ScannerParams:
// name, gain, offset, PSF FWHM per axis, voxel spacing per axis, slice
// thickness, noise sigma and seed, PSF model). Shows a ScannerParams and emits the edited
// one; holds no state of its own beyond the widgets.

#include <QGroupBox>

#include "core/phantom/DigitalPhantom.h"

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace harmonia {

/// A form for ScannerParams.
class ScannerEditor : public QGroupBox {
  Q_OBJECT

 public:
  explicit ScannerEditor(const QString& title, QWidget* parent = nullptr);

  /// Shows `params` (emits nothing).
  void setParams(const ScannerParams& params);
  /// The parameters shown.
  [[nodiscard]] ScannerParams params() const;

  /// The spin boxes, for tests: FWHM and spacing per axis (0..2).
  [[nodiscard]] QDoubleSpinBox* fwhmBox(int axis) const { return fwhm_[axis]; }
  [[nodiscard]] QDoubleSpinBox* spacingBox(int axis) const { return spacing_[axis]; }
  [[nodiscard]] QDoubleSpinBox* noiseBox() const { return noise_; }
  [[nodiscard]] QComboBox* psfModelBox() const { return psfModel_; }

 signals:
  /// The user changed a field.
  void edited(const harmonia::ScannerParams& params);

 private:
  void emitEdited();

  bool updating_ = false;
  ScannerParams shown_;  ///< fields without a widget keep their value
  QLineEdit* name_;
  QDoubleSpinBox* gain_;
  QDoubleSpinBox* offset_;
  QDoubleSpinBox* fwhm_[3];
  QDoubleSpinBox* spacing_[3];
  QDoubleSpinBox* thickness_;
  QDoubleSpinBox* noise_;
  QSpinBox* seed_;
  QComboBox* psfModel_;
};

}  // namespace harmonia
