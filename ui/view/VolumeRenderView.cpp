#include "ui/view/VolumeRenderView.h"

#include <vtkCamera.h>
#include <vtkColorTransferFunction.h>
#include <vtkDataArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkImageData.h>
#include <vtkImageShrink3D.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkMatrix4x4.h>
#include <vtkObjectFactory.h>
#include <vtkPiecewiseFunction.h>
#include <vtkPointData.h>
#include <vtkRenderer.h>
#include <vtkSmartVolumeMapper.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

#include <QKeyEvent>
#include <algorithm>
#include <cmath>

#include "ui/view/VtkBridge.h"

namespace harmonia {

namespace {

/// VTK's trackball camera without its keyboard shortcuts ('3' stereo, 'w'
/// wireframe, 'e' exit...): the view's own keys are handled in Qt.
/// (vtkTypeMacro takes no semicolon under -Wpedantic, which the formatter misreads.)
// clang-format off
class TrackballCameraStyle : public vtkInteractorStyleTrackballCamera {
 public:
  static TrackballCameraStyle* New();
  vtkTypeMacro(TrackballCameraStyle, vtkInteractorStyleTrackballCamera)
  void OnChar() override {}
};
// clang-format on
vtkStandardNewMacro(TrackballCameraStyle);

/// Smallest whole step n with voxelCount / n^3 <= limit.
int subsamplingFor(std::size_t voxelCount, std::size_t limit) {
  int n = 1;
  while (voxelCount / (static_cast<std::size_t>(n) * n * n) > limit) ++n;
  return n;
}

}  // namespace

VolumeRenderView::VolumeRenderView(QWidget* parent)
    : VtkView(parent),
      shrink_(vtkSmartPointer<vtkImageShrink3D>::New()),
      renderer_(vtkSmartPointer<vtkRenderer>::New()),
      mapper_(vtkSmartPointer<vtkSmartVolumeMapper>::New()),
      property_(vtkSmartPointer<vtkVolumeProperty>::New()),
      prop_(vtkSmartPointer<vtkVolume>::New()) {
  interactor()->SetInteractorStyle(vtkSmartPointer<TrackballCameraStyle>::New());
  renderer_->SetBackground(0.08, 0.08, 0.1);
  renderWindow()->AddRenderer(renderer_);

  shrink_->AveragingOff();  // every n-th voxel: cost proportional to the output
  mapper_->SetRequestedRenderModeToDefault();
  mapper_->InteractiveAdjustSampleDistancesOn();  // coarser while the user rotates
  property_->SetInterpolationTypeToLinear();
  property_->SetScalarOpacityUnitDistance(1.0);  // opacities are per millimetre
  prop_->SetMapper(mapper_);
  prop_->SetProperty(property_);
  prop_->VisibilityOff();
  renderer_->AddVolume(prop_);

  if (const VolumeRenderPreset* preset = findVolumeRenderPreset(QStringLiteral("MIP"))) {
    setPreset(*preset, 0.0, 1.0);
  }
  resetCamera();
}

VolumeRenderView::~VolumeRenderView() = default;

vtkVolume* VolumeRenderView::volumeProp() const { return prop_; }

vtkVolumeProperty* VolumeRenderView::volumeProperty() const { return property_; }

vtkRenderer* VolumeRenderView::renderer() const { return renderer_; }

void VolumeRenderView::setVolume(std::shared_ptr<const Volume> volume) {
  if (!volume || volume->empty()) {
    clear();
    return;
  }
  const bool sameGrid = volume_ && volume_->geometry().sameGrid(volume->geometry());
  volume_ = std::move(volume);
  data_ = toVtkImage(*volume_);
  subsampling_ = subsamplingFor(volume_->voxelCount(), kMaxRenderedVoxels);
  connectPipeline();
  applyUserMatrix();
  prop_->VisibilityOn();
  if (!sameGrid) resetCamera();
  update();
}

void VolumeRenderView::clear() {
  volume_.reset();
  data_ = nullptr;
  subsampling_ = 1;
  shrink_->SetInputData(nullptr);
  mapper_->SetInputConnection(nullptr);
  prop_->VisibilityOff();
  update();
}

void VolumeRenderView::dataModified() {
  if (!data_) return;
  // The GPU mapper re-uploads its texture when the scalars' time stamp moves,
  // not the image's: mark both (the subsampler follows the image).
  if (vtkDataArray* scalars = data_->GetPointData()->GetScalars()) scalars->Modified();
  data_->Modified();
  update();
}

void VolumeRenderView::connectPipeline() {
  if (subsampling_ > 1) {
    shrink_->SetInputData(data_);
    shrink_->SetShrinkFactors(subsampling_, subsampling_, subsampling_);
    mapper_->SetInputConnection(shrink_->GetOutputPort());
  } else {
    shrink_->SetInputData(nullptr);
    mapper_->SetInputData(data_);
  }
}

void VolumeRenderView::applyUserMatrix() {
  // VTK's scene point q = origin + spacing * index; world = origin + D (q - origin).
  const Geometry3D& g = volume_->geometry();
  const Eigen::Vector3d t = g.origin_mm - g.direction * g.origin_mm;
  auto m = vtkSmartPointer<vtkMatrix4x4>::New();
  m->Identity();
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) m->SetElement(r, c, g.direction(r, c));
    m->SetElement(r, 3, t[r]);
  }
  prop_->SetUserMatrix(m);
}

void VolumeRenderView::setPreset(const VolumeRenderPreset& preset, double lo, double hi) {
  const VolumeRenderPreset p = preset.resolved(lo, hi);
  auto colour = vtkSmartPointer<vtkColorTransferFunction>::New();
  for (const auto& c : p.colour) colour->AddRGBPoint(c[0], c[1], c[2], c[3]);
  auto opacity = vtkSmartPointer<vtkPiecewiseFunction>::New();
  for (const auto& o : p.opacity) opacity->AddPoint(o[0], o[1]);
  property_->SetColor(colour);
  property_->SetScalarOpacity(opacity);
  property_->SetShade(p.shade ? 1 : 0);
  property_->SetAmbient(p.ambient);
  property_->SetDiffuse(p.diffuse);
  property_->SetSpecular(p.specular);
  property_->SetSpecularPower(p.specular_power);
  if (p.blend == VolumeRenderPreset::Blend::MaximumIntensity) {
    mapper_->SetBlendModeToMaximumIntensity();
  } else {
    mapper_->SetBlendModeToComposite();
  }
  presetName_ = preset.name;
  update();
}

void VolumeRenderView::setRenderMode(RenderMode mode) {
  renderMode_ = mode;
  if (mode == RenderMode::Cpu) {
    mapper_->SetRequestedRenderModeToRayCast();
  } else {
    mapper_->SetRequestedRenderModeToDefault();
  }
  update();
}

QString VolumeRenderView::lastRenderModeName() const {
  switch (mapper_->GetLastUsedRenderMode()) {
    case vtkSmartVolumeMapper::GPURenderMode:
      return QStringLiteral("GPU ray cast");
    case vtkSmartVolumeMapper::RayCastRenderMode:
      return QStringLiteral("CPU ray cast");
    default:
      return {};
  }
}

void VolumeRenderView::resetCamera() {
  vtkCamera* camera = renderer_->GetActiveCamera();
  // Anterior view: from the patient's front (-y) towards +y, superior (+z) up;
  // the screen's right is then +x, the patient's left (radiological convention).
  camera->SetFocalPoint(0.0, 0.0, 0.0);
  camera->SetPosition(0.0, -1.0, 0.0);
  camera->SetViewUp(0.0, 0.0, 1.0);
  if (volume_) {
    double bounds[6];
    prop_->GetBounds(bounds);
    renderer_->ResetCamera(bounds);
  }
  update();
}

bool VolumeRenderView::handleEvent(QEvent* event) {
  if (event->type() == QEvent::KeyPress) {
    auto* ke = static_cast<QKeyEvent*>(event);
    if (ke->key() == Qt::Key_R && ke->modifiers() == Qt::NoModifier) {
      resetCamera();
      return true;
    }
  }
  return false;
}

}  // namespace harmonia
