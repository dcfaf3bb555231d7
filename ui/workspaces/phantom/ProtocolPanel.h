#pragma once
// The Phantom workspace's Protocol tab: runs the validation protocol
// (core/phantom/Protocol.h) in a worker and shows, per scenario, the largest
// relative feature difference between scanners before and after
// harmonization (and with spatial kernels, and the image difference); for the
// selected scenario the same per feature family and per feature. Displays the
// session's protocol result; computes nothing.

#include <QWidget>

class QCheckBox;
class QLabel;
class QTableWidget;

namespace harmonia {

class PhantomSession;

/// Run button and before/after tables of the validation protocol.
class ProtocolPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ProtocolPanel(PhantomSession* session, QWidget* parent = nullptr);

  [[nodiscard]] QTableWidget* scenarioTable() const { return scenarios_; }
  [[nodiscard]] QTableWidget* familyTable() const { return families_; }
  [[nodiscard]] QTableWidget* featureTable() const { return features_; }

 private:
  void showResult();
  void showScenario(int row);
  void loadConfig();

  PhantomSession* session_;
  QCheckBox* includeWorkspace_;
  QLabel* configLabel_;
  QTableWidget* scenarios_;
  QTableWidget* families_;
  QTableWidget* features_;
};

}  // namespace harmonia
