#pragma once
// The Composite workspace (artists): the target photograph with the live
// paste and the source with its mask side by side, the tool bar above, the
// before/after histograms of the pasted region and the solver readout below.
//
// Widgets here only display and forward intent: the mask, the paste and the
// undo stack live in CompositeSession; the canvas tools (MaskPainter on the
// source view, PasteDragger on the target view) turn input into model calls.

#include <QWidget>

class QLabel;

namespace harmonia {

class CompositeSession;
class CompositeToolBar;
class Document;
class HistogramWidget;
class MaskPainter;
class PasteDragger;
class ImagePanel;

/// Target and source panels, tool bar, histograms and solver readout.
class CompositeWorkspace : public QWidget {
  Q_OBJECT

 public:
  /// Shows `session` (not owned).
  explicit CompositeWorkspace(CompositeSession* session, QWidget* parent = nullptr);
  ~CompositeWorkspace() override;

  /// Panel 0 (target) or 1 (source).
  [[nodiscard]] ImagePanel* panel(int index) const { return panels_[index]; }
  /// The histogram overlay (before/after of the pasted region, or target/source).
  [[nodiscard]] HistogramWidget* histogramWidget() const { return histogram_; }
  /// The tool bar.
  [[nodiscard]] CompositeToolBar* toolBar() const { return toolBar_; }
  /// The mask tools on the source view.
  [[nodiscard]] MaskPainter* maskPainter() const { return painter_; }
  /// The paste tool on the target view.
  [[nodiscard]] PasteDragger* pasteDragger() const { return dragger_; }
  /// The solver readout line (mode, solver, time, residual, update rate).
  [[nodiscard]] QString solverReadout() const;

  /// Asks for a file name and bit depth, then exports the composite.
  void showExportDialog();
  /// Asks for a mask image and loads it.
  void showLoadMaskDialog();

 signals:
  /// The user chose a file to open into `document` (target or source).
  void openRequested(const QString& path, harmonia::Document* document);
  /// A message for the status bar.
  void statusMessage(const QString& message);
  /// An error the user must see.
  void errorOccurred(const QString& message);

 private:
  void connectToolBar();
  void showHistograms();
  void showReadout();
  void chooseFile(bool target);
  void zoomBy(double factor);

  CompositeSession* session_;
  CompositeToolBar* toolBar_;
  ImagePanel* panels_[2];
  HistogramWidget* histogram_;
  QLabel* readout_;
  MaskPainter* painter_ = nullptr;
  PasteDragger* dragger_ = nullptr;
};

}  // namespace harmonia
