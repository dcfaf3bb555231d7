#pragma once
// The Phantom workspace's plots of both scanners' measurements: the ESF with
// its fit, the LSF with its fit and the MTF (with MTF50) along a chosen axis;
// the noise power spectrum; the recovery coefficients against sphere
// diameter with the EARL1 and EARL2 bands shaded; the inserts' measured values
// against their nominal values with the linearity fits. Displays the session's
// results; computes nothing.

#include <QTabWidget>

class QComboBox;
class QLabel;

namespace harmonia {

class CurvePlot;
class PhantomSession;

/// Resolution, noise and recovery plots of a PhantomSession, one tab each
/// (the workspace adds its results and protocol tabs after them).
class PhantomPlots : public QTabWidget {
  Q_OBJECT

 public:
  /// The tabs of plots.
  enum Page { Resolution = 0, Noise = 1, Recovery = 2, Values = 3 };

  explicit PhantomPlots(PhantomSession* session, QWidget* parent = nullptr);

  [[nodiscard]] CurvePlot* esfPlot() const { return esf_; }
  [[nodiscard]] CurvePlot* lsfPlot() const { return lsf_; }
  [[nodiscard]] CurvePlot* mtfPlot() const { return mtf_; }
  [[nodiscard]] CurvePlot* npsPlot() const { return nps_; }
  [[nodiscard]] CurvePlot* recoveryPlot() const { return recovery_; }
  /// Measured against nominal insert values, with each scanner's linearity fit.
  [[nodiscard]] CurvePlot* valuesPlot() const { return values_; }
  /// The axis of the resolution plots (0 x, 1 y, 2 z).
  [[nodiscard]] QComboBox* axisBox() const { return axis_; }
  /// The recovery coefficient shown (0 RCmax, 1 RCmean, 2 RCpeak).
  [[nodiscard]] QComboBox* rcBox() const { return rc_; }

  /// Colour of scanner i's curves.
  static QColor scannerColour(int i);

 private:
  void refresh();
  void refreshResolution();
  void refreshNoise();
  void refreshRecovery();
  void refreshValues();

  PhantomSession* session_;
  QComboBox* axis_;
  QComboBox* rc_;
  CurvePlot* esf_;
  CurvePlot* lsf_;
  CurvePlot* mtf_;
  CurvePlot* nps_;
  CurvePlot* recovery_;
  CurvePlot* values_;
  QLabel* noiseText_;
  QLabel* earlText_;
};

}  // namespace harmonia
