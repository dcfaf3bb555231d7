#pragma once
// Links slice views so that what the user does in one follows in the others,
// the one way every workspace links views (ITK-SNAP's SliceWindowCoordinator):
// the Studies viewer's three planes share the crosshair and window/level;
// Compare's two studies share crosshair, window/level, zoom/pan and plane.
//
// Views may live in different frames (Compare's study B is moved by an
// offset): a frame map turns a world position (LPS mm) of one view's frame
// into another's. A window map turns one view's window/level into another's
// (e.g. matching percentiles across intensity scales). Each link can be
// turned off; a view then keeps its own. Setters on SliceView (its
// SliceViewModel's) only signal a change, and the coordinator ignores the echoes of its own
// updates, so a change settles after one round.

#include <Eigen/Core>
#include <QObject>
#include <functional>
#include <vector>

#include "ui/view/WindowLevelPresets.h"

namespace harmonia {

class SliceView;

/// Keeps a set of SliceViews in step.
class SliceViewCoordinator : public QObject {
  Q_OBJECT

 public:
  /// What follows from one view to the others.
  enum class Link {
    Crosshair,    ///< the crosshair, in world millimetres (and with it the slice)
    WindowLevel,  ///< window and level (through the window map)
    ZoomPan,      ///< the same millimetres per pixel around the same point
    Plane,        ///< the patient plane (axial, coronal, sagittal)
  };

  /// A world position of view `from`'s frame in view `to`'s frame.
  using FrameMap = std::function<Eigen::Vector3d(int from, int to, const Eigen::Vector3d& world)>;
  /// View `to`'s window/level for view `from`'s.
  using WindowMap = std::function<WindowLevel(int from, int to, const WindowLevel& window)>;

  /// Crosshair and window/level linked, zoom/pan and plane not; identity maps.
  explicit SliceViewCoordinator(QObject* parent = nullptr);

  /// Adds a view (not owned; it must outlive the coordinator or be removed by
  /// being destroyed first). Its index is the number of views added before.
  void addView(SliceView* view);
  /// The views, in the order added.
  [[nodiscard]] const std::vector<SliceView*>& views() const { return views_; }

  /// Turns a link on or off.
  void setLinked(Link link, bool on);
  /// True when `link` is on.
  [[nodiscard]] bool isLinked(Link link) const;
  /// Sets the frame map (default: the same world coordinates everywhere).
  void setFrameMap(FrameMap map);
  /// Sets the window map (default: the same window and level).
  void setWindowMap(WindowMap map);
  /// While suspended nothing is passed on (a view is being filled, say).
  void setSuspended(bool suspended) { suspended_ = suspended; }

  /// Brings every other view to view `from`'s zoom and pan (when linked).
  void syncView(int from);

 private:
  void crosshairMoved(int from, const Eigen::Vector3d& world);
  void windowLevelChanged(int from, double window, double level);
  void planeChanged(int from);
  [[nodiscard]] bool passing() const { return !syncing_ && !suspended_; }

  std::vector<SliceView*> views_;
  bool links_[4] = {true, true, false, false};
  FrameMap frameMap_;
  WindowMap windowMap_;
  bool syncing_ = false;  ///< an update is being passed on: ignore its echoes
  bool suspended_ = false;
};

}  // namespace harmonia
