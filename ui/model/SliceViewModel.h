#pragma once
// The state of one slice view, apart from the widget that draws it (ITK-SNAP's
// GenericSliceModel): the displayed volume or 2-D image, the patient plane,
// slice, window/level, crosshair, display options, zoom, pan, tool and line.
//
// It knows nothing of Qt widgets or VTK, so it can be tested, shared and
// driven without a display: SliceView (ui/view/SliceView.h) renders it and
// turns mouse and keys into calls on it; tools and coordinators call it
// rather than synthesising events. Everything that needs no renderer lives
// here: patient-plane axes from the direction matrix, world <-> index, the
// coupling of crosshair and slice (setting the crosshair moves the slice,
// setSlice() moves the crosshair), window clamping and the default window.
//
// "Axial", "coronal" and "sagittal" are patient planes whatever the
// acquisition: each slices along the grid axis that runs nearest to its
// patient axis (S-I, A-P, L-R), chosen through the direction matrix. Screen
// axes follow the radiological convention (see axes()).
//
// Setters emit their signal only when the value changes, so views linked
// both ways (crosshairMoved -> setCrosshair) settle after one round.

#include <Eigen/Core>
#include <QObject>
#include <QString>
#include <QStringList>
#include <array>
#include <memory>
#include <optional>
#include <utility>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"

namespace harmonia {

/// What a slice view shows and how; no widget, no VTK.
class SliceViewModel : public QObject {
  Q_OBJECT

 public:
  /// Which patient plane the view shows.
  enum class Orientation { Axial, Coronal, Sagittal };
  Q_ENUM(Orientation)

  /// Screen axes of the view in grid order (the renderer's scene: origin +
  /// spacing * index, no direction).
  struct ViewAxes {
    int right_axis = 0;              ///< grid axis running across the screen
    int up_axis = 1;                 ///< grid axis running along the screen's vertical
    Eigen::Vector3d right{1, 0, 0};  ///< screen right
    Eigen::Vector3d up{0, -1, 0};    ///< view-up
    Eigen::Vector3d dop{0, 0, 1};    ///< direction of projection (camera -> focal point)
  };

  /// What a left drag does.
  enum class Tool {
    Crosshair,  ///< moves the crosshair (the default)
    Line,       ///< draws a line (lineDrawn() when released), e.g. for a profile
  };
  Q_ENUM(Tool)

  /// What lies under the crosshair.
  struct CursorInfo {
    bool valid = false;                        ///< false when nothing is displayed
    bool inside = false;                       ///< index lies inside the grid
    int dimensions = 3;                        ///< 3 for volumes, 2 for 2-D images
    Eigen::Vector3d world{0.0, 0.0, 0.0};      ///< LPS position, mm (z = 0 for 2-D images)
    std::array<int, 3> index{0, 0, 0};         ///< nearest voxel (i, j, k); (x, y, 0) in 2-D
    int channels = 1;                          ///< samples per voxel (3 or 4 for colour)
    std::array<double, 4> values{0, 0, 0, 0};  ///< sample per channel; 0 when outside
    QString units;                             ///< Volume::units(); empty for 2-D images

    /// The first channel's value.
    [[nodiscard]] double value() const { return values[0]; }
  };

  /// An empty model (nothing displayed).
  explicit SliceViewModel(QObject* parent = nullptr);
  ~SliceViewModel() override;
  SliceViewModel(const SliceViewModel&) = delete;
  SliceViewModel& operator=(const SliceViewModel&) = delete;

  // ---- data

  /// Shows `volume`. With keepViewIfSameGrid and a previous volume on the
  /// same grid, slice, zoom/pan, crosshair and window/level stay; otherwise
  /// they are reset (middle slice, fit, centre, 1st..99th percentile window
  /// from a subsample). A null or empty volume clears the model.
  void setVolume(std::shared_ptr<const Volume> volume, bool keepViewIfSameGrid = true);
  /// Like setVolume() with the given window/level; `valueSpan` (> 0) is the
  /// data's value range (the window itself when not positive).
  void setVolumeWithWindow(std::shared_ptr<const Volume> volume, double window, double level,
                           double valueSpan, bool keepViewIfSameGrid = true);
  /// Shows a 2-D image as a single slice (window from its histogram).
  void setImage(std::shared_ptr<const Image2D> image);
  /// Removes the displayed data.
  void clear();
  /// The displayed voxels changed in place: announces voxelsModified() and the cursor.
  void dataModified();
  /// The displayed volume, or null.
  [[nodiscard]] const std::shared_ptr<const Volume>& volume() const { return volume_; }
  /// The displayed 2-D image, or null.
  [[nodiscard]] const std::shared_ptr<const Image2D>& image() const { return image_; }
  /// True when a volume or an image is displayed.
  [[nodiscard]] bool hasData() const { return volume_ != nullptr || image_ != nullptr; }
  /// Grid size (i, j, k); (width, height, 1) for an image; zeros when empty.
  [[nodiscard]] Eigen::Vector3i gridSize() const;

  // ---- orientation

  /// Chooses the patient plane; the slice moves to the crosshair and zoom/pan are reset.
  void setOrientation(Orientation orientation);
  [[nodiscard]] Orientation orientation() const { return orientation_; }
  /// The screen axes for the current orientation and data. Radiological
  /// convention: axial has the patient's left on the right and anterior up,
  /// coronal left on the right and superior up, sagittal posterior on the
  /// right and superior up; a 2-D image has row 0 at the top.
  [[nodiscard]] ViewAxes axes() const;
  /// The grid axis (0: i, 1: j, 2: k) the view looks along.
  [[nodiscard]] int normalAxis() const;
  /// True when the volume's axes are more than about 1 degree off the patient axes.
  [[nodiscard]] bool obliqueToPatientAxes() const;
  /// Patient direction letters at the left, right, top and bottom edges; empty for images.
  [[nodiscard]] QStringList orientationLetters() const;

  // ---- slice and crosshair

  /// Shows slice `slice` (clamped to [0, sliceCount() - 1]); moves the crosshair with it.
  void setSlice(int slice);
  [[nodiscard]] int slice() const { return slice_; }
  /// Number of slices along the viewing axis (1 for a 2-D image, 0 when empty).
  [[nodiscard]] int sliceCount() const;
  /// Moves the crosshair to a world position (LPS, mm) and the slice to it.
  void setCrosshair(const Eigen::Vector3d& world);
  /// Moves the crosshair to a continuous grid index on the displayed slice
  /// (its normal component is replaced by slice()): a click in the view.
  void setCrosshairOnSlice(const Eigen::Vector3d& index);
  /// The crosshair's world position (LPS, mm).
  [[nodiscard]] const Eigen::Vector3d& crosshair() const { return crossWorld_; }
  /// The crosshair's continuous grid index.
  [[nodiscard]] const Eigen::Vector3d& crosshairIndex() const { return crossIndex_; }
  void setCrosshairVisible(bool visible);
  [[nodiscard]] bool crosshairVisible() const { return crosshairVisible_; }
  /// What lies under the crosshair.
  [[nodiscard]] CursorInfo cursorInfo() const;

  /// World position (LPS, mm) of a continuous grid index (z = 0 for images).
  [[nodiscard]] Eigen::Vector3d worldOfIndex(const Eigen::Vector3d& index) const;
  /// Continuous grid index of a world position (LPS, mm).
  [[nodiscard]] Eigen::Vector3d indexOfWorld(const Eigen::Vector3d& world) const;

  // ---- display

  /// Sets window (width, clamped to > 0 relative to dataSpan()) and level.
  void setWindowLevel(double window, double level);
  [[nodiscard]] double window() const { return window_; }
  [[nodiscard]] double level() const { return level_; }
  /// The data's value range: how fast a right drag changes window/level.
  [[nodiscard]] double dataSpan() const { return dataSpan_; }
  void setInvertedGray(bool inverted);
  [[nodiscard]] bool invertedGray() const { return inverted_; }
  void setLinearInterpolation(bool linear);
  [[nodiscard]] bool linearInterpolation() const { return linear_; }

  // ---- zoom and pan

  /// Zoom relative to the fitted view (clamped to [0.01, 1000]).
  void setZoom(double zoom);
  [[nodiscard]] double zoom() const { return zoom_; }
  /// Offset (mm, grid order) of the view's centre from the slice's centre;
  /// the normal component is dropped.
  void setPan(const Eigen::Vector3d& pan);
  [[nodiscard]] const Eigen::Vector3d& pan() const { return pan_; }
  /// Sets both with one viewChanged().
  void setZoomAndPan(double zoom, const Eigen::Vector3d& pan);
  /// Zoom 1, no pan (fit).
  void resetView() { setZoomAndPan(1.0, Eigen::Vector3d::Zero()); }

  // ---- tool and line

  void setTool(Tool tool);
  [[nodiscard]] Tool tool() const { return tool_; }
  /// A line between two world positions (LPS, mm), shown on the displayed slice.
  void setLine(const Eigen::Vector3d& start, const Eigen::Vector3d& end);
  void clearLine();
  [[nodiscard]] const std::optional<std::pair<Eigen::Vector3d, Eigen::Vector3d>>& line() const {
    return line_;
  }

 signals:
  /// Other data is displayed (or none); with `keptView` the slice, zoom/pan
  /// and crosshair were kept. Followed by the signals of what changed.
  void dataChanged(bool keptView);
  /// The voxels of the displayed data changed in place.
  void voxelsModified();
  void sliceChanged(int slice);
  void windowLevelChanged(double window, double level);
  void crosshairMoved(const Eigen::Vector3d& world);
  void crosshairVisibleChanged(bool visible);
  /// Zoom or pan changed, or the data or plane they apply to (emitted after
  /// dataChanged() and before orientationChanged(), with zoom and pan reset
  /// unless the view was kept).
  void viewChanged();
  void orientationChanged(harmonia::SliceViewModel::Orientation orientation);
  /// Inverted grey or interpolation changed.
  void displayChanged();
  void toolChanged(harmonia::SliceViewModel::Tool tool);
  /// The line was set or cleared.
  void lineChanged();
  /// The value under the crosshair may have changed.
  void cursorChanged(const harmonia::SliceViewModel::CursorInfo& info);

 private:
  void attach(std::shared_ptr<const Volume> volume, std::shared_ptr<const Image2D> image,
              double window, double level, double span, bool keepView);
  [[nodiscard]] int sliceOfCrosshair() const;

  std::shared_ptr<const Volume> volume_;
  std::shared_ptr<const Image2D> image_;
  Orientation orientation_ = Orientation::Axial;
  int slice_ = 0;
  double window_ = 1.0;
  double level_ = 0.5;
  double dataSpan_ = 1.0;
  Eigen::Vector3d crossIndex_{0.0, 0.0, 0.0};  ///< continuous grid index
  Eigen::Vector3d crossWorld_{0.0, 0.0, 0.0};  ///< LPS, mm
  bool crosshairVisible_ = true;
  bool linear_ = false;
  bool inverted_ = false;
  double zoom_ = 1.0;
  Eigen::Vector3d pan_{0.0, 0.0, 0.0};
  Tool tool_ = Tool::Crosshair;
  std::optional<std::pair<Eigen::Vector3d, Eigen::Vector3d>> line_;
};

}  // namespace harmonia
