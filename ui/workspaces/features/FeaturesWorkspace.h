#pragma once
// The Features workspace: ComBat harmonization of a cohort's feature table with the
// over-harmonization guard. Left, the setup (CohortSetupPanel); right, for the selected
// feature per-site box plots before and after, a PCA scatter of all features coloured by
// site before and after, the site effect per feature before and after, and the guard table (sorted
// by biology lost, flagged rows red, the site effect before and after). Selecting a guard row
// selects the feature of the box plots. The state lives in HarmonizationSession; this widget
// displays it and forwards intent.

#include <QWidget>

class QComboBox;
class QTableView;
class QTabWidget;

namespace harmonia {

class CohortSetupPanel;
class GuardTableModel;
class HarmonizationSession;
class PcaScatterChart;
class SiteBoxPlotChart;
class SiteEffectChart;

/// Setup, charts and guard table of a HarmonizationSession.
class FeaturesWorkspace : public QWidget {
  Q_OBJECT

 public:
  /// Shows `session` (not owned).
  explicit FeaturesWorkspace(HarmonizationSession* session, QWidget* parent = nullptr);

  [[nodiscard]] HarmonizationSession* session() const { return session_; }
  [[nodiscard]] CohortSetupPanel* setupPanel() const { return setup_; }
  /// The box plots of the selected feature: 0 before, 1 after.
  [[nodiscard]] SiteBoxPlotChart* boxPlot(int which) const { return boxes_[which]; }
  /// The PCA scatters: 0 before, 1 after.
  [[nodiscard]] PcaScatterChart* pcaScatter(int which) const { return pca_[which]; }
  [[nodiscard]] QTableView* guardView() const { return guardView_; }
  [[nodiscard]] GuardTableModel* guardModel() const { return guardModel_; }
  [[nodiscard]] QComboBox* featureBox() const { return feature_; }
  /// The site effect (ANOVA F of site) per feature, before and after.
  [[nodiscard]] SiteEffectChart* siteEffectChart() const { return siteEffect_; }
  /// The most features the site-effect chart shows (those with the largest F before).
  static constexpr int kSiteEffectBars = 30;
  /// The chart tabs: 0 box plots, 1 PCA, 2 site effect.
  [[nodiscard]] QTabWidget* chartTabs() const { return tabs_; }

  /// Asks for a table file and opens it.
  void showOpenDialog();

 signals:
  /// A message for the status bar.
  void statusMessage(const QString& message);

 private:
  void showResult();
  void showFeature(int feature);
  void showExportDialog(int what);

  HarmonizationSession* session_;
  CohortSetupPanel* setup_;
  QTabWidget* tabs_;
  QComboBox* feature_;
  SiteBoxPlotChart* boxes_[2];
  PcaScatterChart* pca_[2];
  SiteEffectChart* siteEffect_;
  GuardTableModel* guardModel_;
  QTableView* guardView_;
};

}  // namespace harmonia
