#pragma once
// A 3-D volume rendering of a Volume in a VtkView.
//
// The volume is shown through vtkSmartVolumeMapper (GPU ray casting when the
// OpenGL context supports it, which Mesa's llvmpipe does; VTK's CPU ray
// caster otherwise, or when asked for with setRenderMode). The scene is in
// LPS world millimetres: the vtkImageData is the grid in index order
// (origin + spacing * index, VtkBridge.h) and the vtkVolume's user matrix
// applies the direction cosines about the origin, so that
//   world = origin + direction * diag(spacing) * index    (Geometry3D)
// holds for every voxel. The camera starts in the anterior view (looking
// along +y, superior up, the patient's left on the right of the screen).
//
// Volumes above kMaxRenderedVoxels are shown subsampled (every n-th voxel
// along each axis, vtkImageShrink3D) so that the 3-D texture stays small; the
// slice views always show every voxel.
//
// Mouse: left drag rotates (trackball), right drag or wheel zooms, middle or
// Shift+left drag pans, Ctrl+left drag spins; 'r' resets the camera.

#include <QString>
#include <cstddef>
#include <memory>

#include "core/image/Volume.h"
#include "ui/view/VolumeRenderPresets.h"
#include "ui/view/VtkView.h"

class vtkImageData;
class vtkImageShrink3D;
class vtkRenderer;
class vtkSmartVolumeMapper;
class vtkVolume;
class vtkVolumeProperty;

namespace harmonia {

/// VtkView showing a Volume by ray casting, with colour/opacity presets.
class VolumeRenderView : public VtkView {
  Q_OBJECT

 public:
  /// Which ray caster to use.
  enum class RenderMode {
    Automatic,  ///< GPU ray casting when supported, else CPU (vtkSmartVolumeMapper's default)
    Cpu,        ///< always VTK's CPU ray caster (slower; no GPU requirements)
  };
  Q_ENUM(RenderMode)

  /// Volumes with more voxels than this are shown subsampled.
  static constexpr std::size_t kMaxRenderedVoxels = std::size_t{1} << 24;

  /// Creates an empty view (background only).
  explicit VolumeRenderView(QWidget* parent = nullptr);
  ~VolumeRenderView() override;
  VolumeRenderView(const VolumeRenderView&) = delete;
  VolumeRenderView& operator=(const VolumeRenderView&) = delete;

  /// Shows `volume` (kept alive by the view) with the current preset; the
  /// camera is reset unless the previous volume had the same grid. Null clears.
  void setVolume(std::shared_ptr<const Volume> volume);
  /// Removes the displayed volume.
  void clear();
  /// Tells VTK the displayed volume's voxels were modified in place; redraws.
  void dataModified();
  /// The displayed volume, or null.
  [[nodiscard]] const std::shared_ptr<const Volume>& volume() const { return volume_; }

  /// Applies a preset; DataRange presets are mapped onto [lo, hi] (data units).
  void setPreset(const VolumeRenderPreset& preset, double lo, double hi);
  /// The name of the applied preset.
  [[nodiscard]] const QString& presetName() const { return presetName_; }

  /// Chooses the ray caster (Automatic by default).
  void setRenderMode(RenderMode mode);
  /// The requested ray caster.
  [[nodiscard]] RenderMode renderMode() const { return renderMode_; }
  /// What rendered the last frame: "GPU ray cast", "CPU ray cast", or "" before the first.
  [[nodiscard]] QString lastRenderModeName() const;

  /// Anterior view, fitted to the volume (key 'r').
  void resetCamera();
  /// Subsampling step along each axis (1: every voxel is shown).
  [[nodiscard]] int subsampling() const { return subsampling_; }

  /// The vtkVolume prop (world bounds, user matrix), for tests and tools.
  [[nodiscard]] vtkVolume* volumeProp() const;
  /// The volume's property (transfer functions, blend, shading), for tests and tools.
  [[nodiscard]] vtkVolumeProperty* volumeProperty() const;
  /// The renderer (camera, background).
  [[nodiscard]] vtkRenderer* renderer() const;

 protected:
  /// Handles 'r'; everything else goes to VTK's trackball camera style.
  bool handleEvent(QEvent* event) override;

 private:
  void connectPipeline();
  void applyUserMatrix();

  std::shared_ptr<const Volume> volume_;
  vtkSmartPointer<vtkImageData> data_;
  vtkSmartPointer<vtkImageShrink3D> shrink_;
  vtkSmartPointer<vtkRenderer> renderer_;
  vtkSmartPointer<vtkSmartVolumeMapper> mapper_;
  vtkSmartPointer<vtkVolumeProperty> property_;
  vtkSmartPointer<vtkVolume> prop_;
  QString presetName_;
  RenderMode renderMode_ = RenderMode::Automatic;
  int subsampling_ = 1;
};

}  // namespace harmonia
