#pragma once
// One orthogonal slice of a volume (or one 2-D image) in a VtkView.
//
// The slice is drawn by vtkImageSliceMapper over a zero-copy vtkImageData of
// the volume (ui/view/VtkBridge.h). VTK's scene is the grid in index
// order (origin + spacing * index, no direction); readouts convert to LPS
// world millimetres through Geometry3D.
//
// "Axial", "coronal" and "sagittal" are patient planes whatever the
// acquisition (ITK-SNAP's image -> anatomy mapping): each view slices along
// the grid axis that runs nearest to its patient axis (S-I, A-P, L-R), chosen
// through the direction matrix, so a sagittally acquired MR shows its axial
// plane in the Axial view. Oblique grids show the nearest patient plane
// (obliqueToPatientAxes()). Screens follow the radiological convention with
// parallel projection: axial has the patient's left on the right and anterior
// up, coronal left on the right and superior up, sagittal posterior on the
// right and superior up; a 2-D image has row 0 at the top. Each volume view
// shows the patient direction letters on its edges and a scale bar in mm.
//
// Interaction is handled here in Qt, not by a VTK interactor style:
//   wheel, Up/Down (1), PageUp/PageDown (10), Home/End: change slice
//   Ctrl+wheel (about the mouse), +/-: zoom;  middle or Shift+left drag: pan
//   right drag: window (horizontal) and level (vertical, up raises it)
//   left click/drag: move the crosshair (or draw a line with the Line tool)
//   'r': reset the view (fit);  Alt+arrows: nudgeRequested() (1 mm, Shift 10 mm)
//
// State lives in a SliceViewModel (ui/model/SliceViewModel.h), not here, as
// ITK-SNAP keeps GenericSliceModel apart from its slice widget: the volume,
// plane, slice, window/level, crosshair, display options, zoom, pan, tool and
// line are the model's, so they can be tested without a display, shared, and
// changed by tools through model methods instead of synthesised events. This
// widget owns a model (or shows a shared one, setModel()), forwards its public
// setters and getters to it, and renders it: it listens to the model's
// signals, updates the VTK mapper, camera, lookup table and the crosshair,
// line and annotation actors, and then re-emits the signal. Mouse and keys
// are turned into model calls here; the conversions that need the VTK scene
// or the widget's size (fit, millimetres per pixel, widget -> world) stay here.
//
// Setters emit their signal only when the value changes, so views linked
// both ways (crosshairMoved -> setCrosshair) settle after one round.
//
// Files: SliceView.cpp (the widget: rendering the model), SliceViewEvents.cpp
// (mouse, wheel and keys), SliceViewCamera.h (the camera and coordinate maths,
// without Qt or VTK), SliceReadout.h (the readout's text), SliceAnnotations.h
// (orientation letters, scale bar, oblique note).

#include <Eigen/Core>
#include <QString>
#include <QStringList>
#include <array>
#include <memory>
#include <optional>
#include <utility>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"
#include "ui/model/SliceViewModel.h"
#include "ui/view/VtkView.h"

class QKeyEvent;
class QMouseEvent;
class QWheelEvent;
class vtkActor;
class vtkCamera;
class vtkImageData;
class vtkImageProperty;
class vtkImageSlice;
class vtkImageSliceMapper;
class vtkLookupTable;
class vtkPoints;
class vtkPolyData;
class vtkRenderer;

namespace harmonia {

class SliceAnnotations;
struct SliceGrid;

/// VtkView showing one orthogonal slice of a Volume, or a 2-D Image2D.
class SliceView : public VtkView {
  Q_OBJECT

 public:
  // The view's types are the model's (kept here so callers need not change).
  using Orientation = SliceViewModel::Orientation;
  using ViewAxes = SliceViewModel::ViewAxes;
  using Tool = SliceViewModel::Tool;
  using CursorInfo = SliceViewModel::CursorInfo;

  /// Creates an empty view (black, no crosshair).
  explicit SliceView(QWidget* parent = nullptr);
  ~SliceView() override;
  SliceView(const SliceView&) = delete;
  SliceView& operator=(const SliceView&) = delete;

  /// The model this view shows (its own unless setModel() gave another).
  [[nodiscard]] SliceViewModel* model() const { return model_; }
  /// Shows `model` (not owned), e.g. one shared by two views; null, or the
  /// shared model's destruction, returns to the view's own model. Listeners
  /// of the view's signals are told the shared model's state.
  void setModel(SliceViewModel* model);

  /// Shows `volume` (kept alive by the view). With keepViewIfSameGrid and a
  /// previous volume on the same grid, slice, camera, crosshair and
  /// window/level stay; otherwise they are reset (middle slice, fit, centre,
  /// 1st..99th percentile window). A null pointer clears the view.
  void setVolume(std::shared_ptr<const Volume> volume, bool keepViewIfSameGrid = true);
  /// Like setVolume(), but shows the volume with the given window/level
  /// instead of computing the percentile window (no pass over the voxels: for
  /// callers that choose the window themselves, e.g. from a preset).
  /// `valueSpan` (> 0) is the data's value range; it sets how fast a right
  /// drag changes window/level (the window itself when not positive).
  void setVolumeWithWindow(std::shared_ptr<const Volume> volume, double window, double level,
                           double valueSpan, bool keepViewIfSameGrid = true);
  /// Shows a 2-D image (grey or RGB(A), 8/16-bit or float) as a single slice.
  void setImage(std::shared_ptr<const Image2D> image);
  /// Removes the displayed data.
  void clear();
  /// Tells VTK the displayed volume's voxels were modified in place; redraws.
  void dataModified();
  /// The displayed volume, or null.
  [[nodiscard]] const std::shared_ptr<const Volume>& volume() const { return model_->volume(); }
  /// The displayed 2-D image, or null.
  [[nodiscard]] const std::shared_ptr<const Image2D>& image() const { return model_->image(); }

  /// Chooses the viewing axis; the slice moves to the crosshair and the view is fit.
  void setOrientation(Orientation orientation);
  /// The viewing axis.
  [[nodiscard]] Orientation orientation() const { return model_->orientation(); }
  /// The grid axis (0: i, 1: j, 2: k) the view looks along; overlays slice along it.
  /// For volumes it is the grid axis nearest to the orientation's patient axis.
  [[nodiscard]] int normalAxis() const;
  /// True when the volume's axes are more than about 1 degree off the patient
  /// axes: the views then show the nearest patient planes (as Slicer and ITK-SNAP do).
  [[nodiscard]] bool obliqueToPatientAxes() const;
  /// The patient direction letters at the view's left, right, top and bottom
  /// edges ("R", "L", "A", "P" for an axial view); empty for 2-D images.
  [[nodiscard]] QStringList orientationLetters() const;
  /// The scale bar's label ("50 mm"); empty when none is drawn.
  [[nodiscard]] QString scaleBarText() const;
  /// The screen axes for the current orientation and volume.
  [[nodiscard]] ViewAxes axes() const;

  /// Shows slice `slice` (clamped to [0, sliceCount() - 1]); moves the crosshair with it.
  void setSlice(int slice);
  /// The displayed slice index along the viewing axis.
  [[nodiscard]] int slice() const { return model_->slice(); }
  /// Number of slices along the viewing axis (1 for a 2-D image, 0 when empty).
  [[nodiscard]] int sliceCount() const;

  /// Sets the display window (width, > 0) and level (centre), in data units.
  void setWindowLevel(double window, double level);
  /// The display window width, data units.
  [[nodiscard]] double window() const { return model_->window(); }
  /// The display level (window centre), data units.
  [[nodiscard]] double level() const { return model_->level(); }

  /// Moves the crosshair to a world position (LPS, mm) and the slice to it.
  void setCrosshair(const Eigen::Vector3d& world);
  /// The crosshair's world position (LPS, mm).
  [[nodiscard]] Eigen::Vector3d crosshair() const { return model_->crosshair(); }
  /// Shows or hides the crosshair lines.
  void setCrosshairVisible(bool visible);
  /// True when the crosshair lines are drawn.
  [[nodiscard]] bool crosshairVisible() const { return model_->crosshairVisible(); }
  /// Moves the crosshair to a render-window layer above every layer added so
  /// far, so that opaque overlays (a comparison mode) do not hide it.
  void raiseCrosshair();

  /// Inverted grey (true: low values white, high values black, PET's
  /// tradition) or normal grey (false, the default). Applies to single-channel
  /// data; colour images are always shown as they are.
  void setInvertedGray(bool inverted);
  /// True when single-channel data is shown in inverted grey.
  [[nodiscard]] bool invertedGray() const { return model_->invertedGray(); }

  /// Linear (true) or nearest-neighbour (false, the default) interpolation.
  void setLinearInterpolation(bool linear);
  /// True when slices are interpolated linearly.
  [[nodiscard]] bool linearInterpolation() const { return model_->linearInterpolation(); }

  /// Chooses what a left drag does.
  void setTool(Tool tool);
  [[nodiscard]] Tool tool() const { return model_->tool(); }
  /// Shows a line between two world positions (LPS, mm), drawn on the displayed slice.
  void setLine(const Eigen::Vector3d& start, const Eigen::Vector3d& end);
  /// Hides the line.
  void clearLine();

  /// Fits the slice in the view and removes any pan (key 'r').
  void resetCamera();
  /// Sets the zoom factor relative to the fitted view (1 = fit, 2 = twice as large).
  void setZoom(double zoom);
  /// Zooms by `factor` keeping the point under widget position `anchor` where it is
  /// (what Ctrl+wheel does; for tools that zoom on a plain wheel).
  void zoomAbout(double factor, const QPointF& anchor);
  /// Pans so that what lies under widget position `from` moves to `to` (what a
  /// middle drag does; for tools that pan with another gesture).
  void panBy(const QPointF& from, const QPointF& to);
  /// The zoom factor relative to the fitted view.
  [[nodiscard]] double zoom() const { return model_->zoom(); }
  /// Millimetres per screen pixel (logical pixels).
  [[nodiscard]] double millimetresPerPixel() const;
  /// The world position (LPS, mm) at the centre of the view, on the displayed slice.
  [[nodiscard]] Eigen::Vector3d viewCentre() const;
  /// Pans and zooms so that world position `centre` (its in-plane part) is at
  /// the view's centre at `mmPerPixel`: how linked views of different grids
  /// show the same millimetres.
  void setViewCentreAndScale(const Eigen::Vector3d& centre, double mmPerPixel);

  /// What lies under the crosshair.
  [[nodiscard]] CursorInfo cursorInfo() const;
  /// The crosshair readout, e.g. "x 12.3 y -4.0 z 50.0 mm | [64, 70, 25] | 43.2 HU".
  [[nodiscard]] QString readoutText() const;
  /// Formats a CursorInfo the way readoutText() does ("" when not valid).
  [[nodiscard]] static QString formatReadout(const CursorInfo& info);
  /// World position (LPS, mm) on the displayed slice under a widget position.
  [[nodiscard]] Eigen::Vector3d worldAt(const QPointF& widgetPos) const;

 signals:
  /// The displayed slice changed.
  void sliceChanged(int slice);
  /// Window or level changed.
  void windowLevelChanged(double window, double level);
  /// The crosshair moved (user click, slice change or setCrosshair).
  void crosshairMoved(const Eigen::Vector3d& world);
  /// The view was zoomed or panned (or refitted).
  void viewChanged();
  /// The orientation changed.
  void orientationChanged(harmonia::SliceViewModel::Orientation orientation);
  /// Alt+arrow keys: the user asks to move something by `delta_mm` (world,
  /// LPS) along the screen's directions (1 mm a press, 10 mm with Shift).
  void nudgeRequested(const Eigen::Vector3d& delta_mm);
  /// The user drew a line with the Line tool (world positions, LPS mm).
  void lineDrawn(const Eigen::Vector3d& start, const Eigen::Vector3d& end);
  /// The value under the crosshair may have changed.
  void cursorChanged(const harmonia::SliceViewModel::CursorInfo& info);

 protected:
  /// Handles mouse, wheel and navigation keys in Qt (not forwarded to VTK).
  bool handleEvent(QEvent* event) override;
  /// Keeps the slice fitted to the new aspect ratio.
  void resizeGL(int w, int h) override;

 private:
  enum class Drag { None, Crosshair, Pan, WindowLevel, Line };

  /// Connects the model's signals to the renderer.
  void connectModel();
  /// Renders the whole model (a new model, or new data).
  void showModel();
  /// Takes the model's data into VTK (or removes it) and redraws everything.
  void attachData();
  void applyLookupTable();
  void applyWindowLevel();
  void applyInterpolation();
  /// Points the mapper along the viewing axis at the model's slice; moves the crosshair and line.
  void applySlice();
  void updateCamera();
  void updateCrosshairActor();
  void updateLineActor();
  /// Places the orientation letters and the scale bar for the current camera and size.
  void updateAnnotations();
  void zoomBy(double factor, const QPointF* anchor);
  // Event handling (SliceViewEvents.cpp): handleEvent() dispatches to these.
  /// A button press starts a drag: pan, window/level, line or crosshair.
  void startDrag(QMouseEvent* event);
  /// A mouse move continues the drag.
  void continueDrag(QMouseEvent* event);
  /// Window/level from the right drag's offset from where it started.
  void dragWindowLevel(const QPointF& pos);
  /// A button release ends the drag (lineDrawn() for the Line tool).
  void endDrag();
  /// Wheel: slices, or zoom about the mouse with Ctrl.
  void wheel(QWheelEvent* event);
  /// Navigation keys; false when the key is not one of ours.
  bool keyPress(QKeyEvent* event);
  /// Alt+arrows: nudgeRequested(); false when the key is not one.
  bool nudgeKey(QKeyEvent* event);
  /// The displayed data's grid as VTK's scene places it (data_ must be set).
  [[nodiscard]] SliceGrid grid() const;
  [[nodiscard]] Eigen::Vector3d vtkPointOfIndex(const Eigen::Vector3d& index) const;
  [[nodiscard]] Eigen::Vector3d indexOfVtkPoint(const Eigen::Vector3d& p) const;
  [[nodiscard]] Eigen::Vector3d vtkPointAt(const QPointF& widgetPos) const;
  void outerBounds(Eigen::Vector3d& lo, Eigen::Vector3d& hi) const;
  [[nodiscard]] double fitScale() const;

  SliceViewModel* ownModel_;            ///< child QObject
  SliceViewModel* model_;               ///< ownModel_ or a shared one
  vtkSmartPointer<vtkImageData> data_;  ///< the model's data as VTK sees it
  vtkSmartPointer<vtkRenderer> renderer_;
  vtkSmartPointer<vtkRenderer> overlay_;
  vtkSmartPointer<vtkCamera> camera_;
  vtkSmartPointer<vtkImageSliceMapper> mapper_;
  vtkSmartPointer<vtkImageProperty> property_;
  vtkSmartPointer<vtkImageSlice> imageSlice_;
  vtkSmartPointer<vtkLookupTable> invertedLut_;  ///< white..black, for the model's inverted grey
  vtkSmartPointer<vtkPoints> crossPoints_;
  vtkSmartPointer<vtkPolyData> crossData_;
  vtkSmartPointer<vtkActor> crossActor_;
  std::unique_ptr<SliceAnnotations> annotations_;
  vtkSmartPointer<vtkPoints> linePoints_;
  vtkSmartPointer<vtkActor> lineActor_;

  Drag drag_ = Drag::None;
  QPointF dragStart_;
  QPointF dragLast_;
  double dragWindow_ = 1.0;
  double dragLevel_ = 0.5;
  int wheelAccum_ = 0;
};

}  // namespace harmonia
