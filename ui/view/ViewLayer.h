#pragma once
// A drawing layer over a SliceView showing a 2-D image: its own vtkRenderer
// on a higher render-window layer, sharing the view's camera, so whatever it
// draws lies on top of the image (its depth buffer is cleared) and pans and
// zooms with it. Coordinates are the displayed image's pixels (x right,
// y down, pixel centres at integers), as core's Image2D indexes them.

#include <vtkSmartPointer.h>

#include <QPointF>
#include <cstddef>

#include "core/image/Geometry.h"

class vtkImageData;
class vtkImageProperty;
class vtkImageSlice;
class vtkImageSliceMapper;
class vtkRenderer;

namespace harmonia {

class SliceView;

/// One overlay layer of a SliceView (base of ImageOverlay and PathOverlay).
class ViewLayer {
 public:
  /// Adds a renderer on render-window layer `layer` (2 or more: 0 is the
  /// image, 1 the crosshair) of `view`, which must outlive this object.
  ViewLayer(SliceView* view, int layer);
  virtual ~ViewLayer();
  ViewLayer(const ViewLayer&) = delete;
  ViewLayer& operator=(const ViewLayer&) = delete;

  /// Shows or hides everything on this layer.
  void setVisible(bool visible);
  /// True when the layer is drawn.
  [[nodiscard]] bool isVisible() const { return visible_; }

 protected:
  /// A volume slice as the view shows it: the grid axis n it slices along,
  /// the in-plane axes u < v (VTK stores u fastest), slice s and its size.
  struct SlicePlane {
    int n = 2;
    int u = 0;
    int v = 1;
    int s = 0;
    int nu = 0;
    int nv = 0;
    /// Pixels in the slice.
    [[nodiscard]] std::size_t pixels() const {
      return static_cast<std::size_t>(nu) * static_cast<std::size_t>(nv);
    }
    /// Pixel (a, b) of the slice as a voxel index (i, j, k).
    void voxel(int a, int b, int index[3]) const {
      index[n] = s;
      index[u] = a;
      index[v] = b;
    }
  };
  /// The plane the view shows now of a volume on grid `g`.
  [[nodiscard]] SlicePlane currentPlane(const Geometry3D& g) const;
  /// RGBA bytes one slice thick lying exactly on `plane` of grid `g` (to be filled).
  [[nodiscard]] static vtkSmartPointer<vtkImageData> rgbaSlice(const Geometry3D& g,
                                                               const SlicePlane& plane);
  /// Shows `data` (from rgbaSlice) through `mapper` at `plane`.
  static void showSlice(vtkImageSliceMapper* mapper, vtkImageData* data, const SlicePlane& plane);
  /// addImageSlice() for RGBA bytes shown as they are (window 255 at level 127.5).
  void addRgbaSlice(vtkImageSliceMapper* mapper, vtkImageProperty* property,
                    vtkImageSlice* slice) const;
  /// The layer's renderer.
  [[nodiscard]] vtkRenderer* renderer() const;
  /// The view drawn over.
  [[nodiscard]] SliceView* view() const { return view_; }
  /// VTK scene point of image pixel `p` (the view's image geometry; z = 0).
  void scenePoint(const QPointF& p, double out[3]) const;
  /// Scene size of one pixel along x and y (the image spacing).
  void pixelSize(double out[2]) const;
  /// Subclass hook: apply visibility to the layer's props.
  virtual void applyVisibility(bool visible) = 0;
  /// Asks the view to repaint.
  void redraw() const;
  /// Sets up an image slice drawn on this layer: whole pixels (nearest, with
  /// borders) at the slice the mapper is told, hidden and not pickable until
  /// shown, and adds it to the renderer.
  void addImageSlice(vtkImageSliceMapper* mapper, vtkImageProperty* property,
                     vtkImageSlice* slice) const;

 private:
  SliceView* view_;
  vtkSmartPointer<vtkRenderer> renderer_;
  bool visible_ = true;
};

}  // namespace harmonia
