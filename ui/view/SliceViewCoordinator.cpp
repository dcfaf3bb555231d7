#include "ui/view/SliceViewCoordinator.h"

#include "ui/view/SliceView.h"

namespace harmonia {

SliceViewCoordinator::SliceViewCoordinator(QObject* parent)
    : QObject(parent),
      frameMap_([](int, int, const Eigen::Vector3d& world) { return world; }),
      windowMap_([](int, int, const WindowLevel& window) { return window; }) {}

void SliceViewCoordinator::addView(SliceView* view) {
  const int index = static_cast<int>(views_.size());
  views_.push_back(view);
  connect(view, &SliceView::crosshairMoved, this,
          [this, index](const Eigen::Vector3d& world) { crosshairMoved(index, world); });
  connect(view, &SliceView::windowLevelChanged, this,
          [this, index](double window, double level) { windowLevelChanged(index, window, level); });
  connect(view, &SliceView::viewChanged, this, [this, index] {
    if (passing()) syncView(index);
  });
  connect(view, &SliceView::orientationChanged, this, [this, index] { planeChanged(index); });
}

void SliceViewCoordinator::setLinked(Link link, bool on) { links_[static_cast<int>(link)] = on; }

bool SliceViewCoordinator::isLinked(Link link) const { return links_[static_cast<int>(link)]; }

void SliceViewCoordinator::setFrameMap(FrameMap map) { frameMap_ = std::move(map); }

void SliceViewCoordinator::setWindowMap(WindowMap map) { windowMap_ = std::move(map); }

void SliceViewCoordinator::crosshairMoved(int from, const Eigen::Vector3d& world) {
  if (!passing() || !isLinked(Link::Crosshair)) return;
  syncing_ = true;
  for (int to = 0; to < static_cast<int>(views_.size()); ++to) {
    SliceView* view = views_[static_cast<std::size_t>(to)];
    if (to != from && view->volume()) view->setCrosshair(frameMap_(from, to, world));
  }
  syncing_ = false;
}

void SliceViewCoordinator::windowLevelChanged(int from, double window, double level) {
  if (!passing() || !isLinked(Link::WindowLevel)) return;
  syncing_ = true;
  for (int to = 0; to < static_cast<int>(views_.size()); ++to) {
    SliceView* view = views_[static_cast<std::size_t>(to)];
    if (to == from || (!view->volume() && !view->image())) continue;
    const WindowLevel mapped = windowMap_(from, to, {window, level});
    view->setWindowLevel(mapped.window, mapped.level);
  }
  syncing_ = false;
}

void SliceViewCoordinator::syncView(int from) {
  if (!isLinked(Link::ZoomPan) || suspended_) return;
  SliceView* source = views_[static_cast<std::size_t>(from)];
  if (!source->volume()) return;
  const bool wasSyncing = syncing_;
  syncing_ = true;
  for (int to = 0; to < static_cast<int>(views_.size()); ++to) {
    SliceView* view = views_[static_cast<std::size_t>(to)];
    if (to == from || !view->volume()) continue;
    view->setViewCentreAndScale(frameMap_(from, to, source->viewCentre()),
                                source->millimetresPerPixel());
  }
  syncing_ = wasSyncing;
}

void SliceViewCoordinator::planeChanged(int from) {
  if (!passing() || !isLinked(Link::Plane)) return;
  syncing_ = true;
  const auto plane = views_[static_cast<std::size_t>(from)]->orientation();
  for (int to = 0; to < static_cast<int>(views_.size()); ++to) {
    if (to != from) views_[static_cast<std::size_t>(to)]->setOrientation(plane);
  }
  syncing_ = false;
  syncView(from);
}

}  // namespace harmonia
