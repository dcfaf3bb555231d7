#include "ui/view/VtkView.h"

#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <vtkRenderWindow.h>

#include <QCursor>
#include <QEnterEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QSurfaceFormat>
#include <QWheelEvent>
#include <cmath>

namespace harmonia {

namespace {

/// VTK's name (X11 keysym) for the non-printing Qt keys VTK styles know about.
const char* keySymFor(int key) {
  switch (key) {
    case Qt::Key_Backspace:
      return "BackSpace";
    case Qt::Key_Tab:
      return "Tab";
    case Qt::Key_Return:
      return "Return";
    case Qt::Key_Enter:
      return "KP_Enter";
    case Qt::Key_Escape:
      return "Escape";
    case Qt::Key_Space:
      return "space";
    case Qt::Key_Delete:
      return "Delete";
    case Qt::Key_Insert:
      return "Insert";
    case Qt::Key_Home:
      return "Home";
    case Qt::Key_End:
      return "End";
    case Qt::Key_Left:
      return "Left";
    case Qt::Key_Right:
      return "Right";
    case Qt::Key_Up:
      return "Up";
    case Qt::Key_Down:
      return "Down";
    case Qt::Key_PageUp:
      return "Prior";
    case Qt::Key_PageDown:
      return "Next";
    case Qt::Key_Shift:
      return "Shift_L";
    case Qt::Key_Control:
      return "Control_L";
    case Qt::Key_Alt:
      return "Alt_L";
    case Qt::Key_Meta:
      return "Super_L";
    case Qt::Key_F1:
      return "F1";
    case Qt::Key_F2:
      return "F2";
    case Qt::Key_F3:
      return "F3";
    case Qt::Key_F4:
      return "F4";
    case Qt::Key_F5:
      return "F5";
    case Qt::Key_F6:
      return "F6";
    case Qt::Key_F7:
      return "F7";
    case Qt::Key_F8:
      return "F8";
    case Qt::Key_F9:
      return "F9";
    case Qt::Key_F10:
      return "F10";
    case Qt::Key_F11:
      return "F11";
    case Qt::Key_F12:
      return "F12";
    default:
      return nullptr;
  }
}

Qt::CursorShape qtCursorFor(int vtkCursor) {
  switch (vtkCursor) {
    case VTK_CURSOR_SIZENE:
    case VTK_CURSOR_SIZESW:
      return Qt::SizeBDiagCursor;
    case VTK_CURSOR_SIZENW:
    case VTK_CURSOR_SIZESE:
      return Qt::SizeFDiagCursor;
    case VTK_CURSOR_SIZENS:
      return Qt::SizeVerCursor;
    case VTK_CURSOR_SIZEWE:
      return Qt::SizeHorCursor;
    case VTK_CURSOR_SIZEALL:
      return Qt::SizeAllCursor;
    case VTK_CURSOR_HAND:
      return Qt::PointingHandCursor;
    case VTK_CURSOR_CROSSHAIR:
      return Qt::CrossCursor;
    default:
      return Qt::ArrowCursor;
  }
}

}  // namespace

VtkView::VtkView(QWidget* parent)
    : QOpenGLWidget(parent),
      renderWindow_(vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New()),
      interactor_(vtkSmartPointer<vtkGenericRenderWindowInteractor>::New()) {
  // Until initializeGL has run there is no context: VTK must not try to render.
  renderWindow_->SetReadyForRendering(false);
  renderWindow_->SetFrameBlitModeToNoBlit();
  renderWindow_->SetMultiSamples(0);

  observerTags_[0] =
      renderWindow_->AddObserver(vtkCommand::WindowMakeCurrentEvent, this, &VtkView::onMakeCurrent);
  observerTags_[1] =
      renderWindow_->AddObserver(vtkCommand::WindowIsCurrentEvent, this, &VtkView::onIsCurrent);
  observerTags_[2] =
      renderWindow_->AddObserver(vtkCommand::WindowFrameEvent, this, &VtkView::onFrame);
  observerTags_[3] =
      renderWindow_->AddObserver(vtkCommand::CursorChangedEvent, this, &VtkView::onCursorChanged);

  // Renders requested through the interactor (by interactor styles) only mark
  // the widget dirty; the real render happens in paintGL.
  interactor_->SetRenderWindow(renderWindow_);
  interactor_->EnableRenderOff();
  renderObserverTag_ =
      interactor_->AddObserver(vtkCommand::RenderEvent, this, &VtkView::onRenderRequest);
  interactor_->Initialize();

  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(64, 64);
}

VtkView::~VtkView() {
  // QOpenGLWidget's destructor destroys the context after this object's
  // members are gone: release VTK's GL objects now and stop listening.
  disconnect(contextConnection_);
  if (context() != nullptr) {
    makeCurrent();
    releaseGraphics();
    doneCurrent();
  }
  renderWindow_->SetReadyForRendering(false);
  for (unsigned long tag : observerTags_) {
    renderWindow_->RemoveObserver(tag);
  }
  interactor_->RemoveObserver(renderObserverTag_);
}

void VtkView::setDefaultSurfaceFormat() {
  QSurfaceFormat format;
  format.setRenderableType(QSurfaceFormat::OpenGL);
  format.setVersion(3, 2);
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  format.setRedBufferSize(8);
  format.setGreenBufferSize(8);
  format.setBlueBufferSize(8);
  format.setAlphaBufferSize(8);
  format.setDepthBufferSize(24);
  format.setStencilBufferSize(8);
  format.setSamples(0);
  QSurfaceFormat::setDefaultFormat(format);
}

vtkGenericOpenGLRenderWindow* VtkView::renderWindow() const { return renderWindow_; }

vtkGenericRenderWindowInteractor* VtkView::interactor() const { return interactor_; }

bool VtkView::handleEvent(QEvent* /*event*/) { return false; }

bool VtkView::event(QEvent* event) {
  if (handleEvent(event)) {
    event->accept();
    return true;
  }
  if (forwardToVtk(event)) {
    return true;
  }
  return QOpenGLWidget::event(event);
}

void VtkView::initializeGL() {
  // A new context (first show, or after reparenting): drop what VTK held in
  // the old one before initialising the new one.
  releaseGraphics();
  disconnect(contextConnection_);
  contextConnection_ = connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
    makeCurrent();
    releaseGraphics();
    doneCurrent();
  });

  vtkOpenGLState* state = renderWindow_->GetState();
  state->Reset();
  state->vtkglDepthFunc(GL_LEQUAL);

  renderWindow_->SetForceMaximumHardwareLineWidth(1);
  renderWindow_->SetOwnContext(0);
  renderWindow_->SetMapped(1);
  renderWindow_->SetReadyForRendering(true);
  renderWindow_->OpenGLInitContext();
  glReady_ = true;

  const qreal dpr = devicePixelRatioF();
  renderWindow_->SetDPI(static_cast<int>(std::lround(72.0 * dpr)));
  interactor_->UpdateSize(static_cast<int>(std::lround(width() * dpr)),
                          static_cast<int>(std::lround(height() * dpr)));
}

void VtkView::resizeGL(int w, int h) {
  const qreal dpr = devicePixelRatioF();
  // VTK works in device pixels: events are scaled by dpr in forwardMouse().
  const int deviceW = static_cast<int>(std::lround(w * dpr));
  const int deviceH = static_cast<int>(std::lround(h * dpr));
  interactor_->UpdateSize(deviceW, deviceH);
  renderWindow_->SetSize(deviceW, deviceH);
  renderWindow_->SetDPI(static_cast<int>(std::lround(72.0 * dpr)));
}

void VtkView::paintGL() {
  if (!glReady_) {
    return;
  }
  vtkOpenGLState* state = renderWindow_->GetState();
  state->Reset();
  state->Push();
  // Qt leaves the depth function at GL_LESS; VTK expects GL_LEQUAL.
  state->vtkglDepthFunc(GL_LEQUAL);

  inPaint_ = true;
  renderWindow_->Render();
  inPaint_ = false;

  // Something rendered from inside Render (another view, a progress update)
  // may have switched contexts; come back to ours before blitting.
  if (QOpenGLContext::currentContext() != context()) {
    makeCurrent();
    state->ResetFramebufferBindings();
  }

  int fb[2] = {0, 0};
  renderWindow_->GetRenderFramebuffer()->GetLastSize(fb);
  const qreal dpr = devicePixelRatioF();
  const int targetW = static_cast<int>(std::lround(width() * dpr));
  const int targetH = static_cast<int>(std::lround(height() * dpr));

  state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  unsigned int drawBuffer = GL_COLOR_ATTACHMENT0;
  state->vtkglDrawBuffers(1, &drawBuffer);
  state->vtkglDisable(GL_SCISSOR_TEST);
  renderWindow_->BlitDisplayFramebuffer(0, 0, 0, fb[0], fb[1], 0, 0, targetW, targetH,
                                        GL_COLOR_BUFFER_BIT, GL_LINEAR);
  // VTK leaves alpha 0 where nothing was drawn: make the widget's image
  // opaque, or grabs come out transparent and some compositors blend it
  // with what lies behind the window (what VTK's own Qt adapter does too).
  state->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
  state->vtkglClearColor(0.0F, 0.0F, 0.0F, 1.0F);
  state->vtkglClear(GL_COLOR_BUFFER_BIT);
  state->Pop();
}

void VtkView::onMakeCurrent(vtkObject*, unsigned long, void*) {
  // Not QOpenGLWidget::makeCurrent(): that rebinds Qt's framebuffer behind
  // VTK's cached GL state and VTK then draws into the wrong framebuffer.
  if (context() != nullptr) {
    context()->makeCurrent(context()->surface());
  }
}

void VtkView::onIsCurrent(vtkObject*, unsigned long, void* callData) {
  auto* isCurrent = static_cast<bool*>(callData);
  *isCurrent = context() != nullptr && QOpenGLContext::currentContext() == context();
}

void VtkView::onFrame(vtkObject*, unsigned long, void*) {
  if (!inPaint_) {
    update();
  }
}

void VtkView::onRenderRequest(vtkObject*, unsigned long, void*) {
  if (!inPaint_) {
    update();
  }
}

void VtkView::onCursorChanged(vtkObject*, unsigned long, void* callData) {
  if (callData == nullptr) {
    return;
  }
  setCursor(QCursor(qtCursorFor(*static_cast<int*>(callData))));
}

void VtkView::releaseGraphics() {
  if (!glReady_) {
    return;
  }
  renderWindow_->ReleaseGraphicsResources(renderWindow_);
  renderWindow_->SetReadyForRendering(false);
  glReady_ = false;
}

bool VtkView::forwardToVtk(QEvent* event) {
  switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseButtonDblClick:
    case QEvent::MouseMove:
      forwardMouse(static_cast<QMouseEvent*>(event));
      event->accept();
      return true;
    case QEvent::Wheel:
      forwardWheel(static_cast<QWheelEvent*>(event));
      event->accept();
      return true;
    case QEvent::KeyPress:
    case QEvent::KeyRelease:
      // VTK sees the key; Qt still gets it (focus navigation, parents).
      forwardKey(static_cast<QKeyEvent*>(event));
      return false;
    case QEvent::Enter: {
      const qreal dpr = devicePixelRatioF();
      const QPointF p = static_cast<QEnterEvent*>(event)->position();
      interactor_->SetEventInformationFlipY(static_cast<int>(p.x() * dpr),
                                            static_cast<int>(p.y() * dpr));
      interactor_->InvokeEvent(vtkCommand::EnterEvent, event);
      return false;
    }
    case QEvent::Leave:
      interactor_->InvokeEvent(vtkCommand::LeaveEvent, event);
      return false;
    default:
      return false;
  }
}

void VtkView::forwardMouse(QMouseEvent* event) {
  const qreal dpr = devicePixelRatioF();
  const QPointF p = event->position();
  const Qt::KeyboardModifiers mods = event->modifiers();
  const bool dbl = event->type() == QEvent::MouseButtonDblClick;
  interactor_->SetEventInformationFlipY(
      static_cast<int>(p.x() * dpr), static_cast<int>(p.y() * dpr),
      (mods & Qt::ControlModifier) ? 1 : 0, (mods & Qt::ShiftModifier) ? 1 : 0, 0, dbl ? 1 : 0);
  interactor_->SetAltKey((mods & Qt::AltModifier) ? 1 : 0);

  if (event->type() == QEvent::MouseMove) {
    interactor_->InvokeEvent(vtkCommand::MouseMoveEvent, event);
    return;
  }
  const bool press = event->type() != QEvent::MouseButtonRelease;
  unsigned long vtkEvent = vtkCommand::NoEvent;
  switch (event->button()) {
    case Qt::LeftButton:
      vtkEvent = press ? vtkCommand::LeftButtonPressEvent : vtkCommand::LeftButtonReleaseEvent;
      break;
    case Qt::MiddleButton:
      vtkEvent = press ? vtkCommand::MiddleButtonPressEvent : vtkCommand::MiddleButtonReleaseEvent;
      break;
    case Qt::RightButton:
      vtkEvent = press ? vtkCommand::RightButtonPressEvent : vtkCommand::RightButtonReleaseEvent;
      break;
    default:
      return;
  }
  interactor_->InvokeEvent(vtkEvent, event);
}

void VtkView::forwardWheel(QWheelEvent* event) {
  const qreal dpr = devicePixelRatioF();
  const QPointF p = event->position();
  const Qt::KeyboardModifiers mods = event->modifiers();
  interactor_->SetEventInformationFlipY(
      static_cast<int>(p.x() * dpr), static_cast<int>(p.y() * dpr),
      (mods & Qt::ControlModifier) ? 1 : 0, (mods & Qt::ShiftModifier) ? 1 : 0);
  interactor_->SetAltKey((mods & Qt::AltModifier) ? 1 : 0);

  // High-resolution wheels and touchpads send fractions of a notch (120).
  wheelAccumY_ += event->angleDelta().y();
  wheelAccumX_ += event->angleDelta().x();
  while (wheelAccumY_ >= 120) {
    wheelAccumY_ -= 120;
    interactor_->InvokeEvent(vtkCommand::MouseWheelForwardEvent, event);
  }
  while (wheelAccumY_ <= -120) {
    wheelAccumY_ += 120;
    interactor_->InvokeEvent(vtkCommand::MouseWheelBackwardEvent, event);
  }
  while (wheelAccumX_ >= 120) {
    wheelAccumX_ -= 120;
    interactor_->InvokeEvent(vtkCommand::MouseWheelLeftEvent, event);
  }
  while (wheelAccumX_ <= -120) {
    wheelAccumX_ += 120;
    interactor_->InvokeEvent(vtkCommand::MouseWheelRightEvent, event);
  }
}

void VtkView::forwardKey(QKeyEvent* event) {
  const Qt::KeyboardModifiers mods = event->modifiers();
  const QString text = event->text();
  const char ascii =
      (!text.isEmpty() && text.at(0).unicode() < 128) ? static_cast<char>(text.at(0).unicode()) : 0;
  const char* keySym = keySymFor(event->key());
  char printable[2] = {ascii, 0};
  if (keySym == nullptr && ascii >= 32) {
    keySym = printable;
  }
  if (keySym == nullptr) {
    keySym = "None";
  }

  interactor_->SetKeyEventInformation((mods & Qt::ControlModifier) ? 1 : 0,
                                      (mods & Qt::ShiftModifier) ? 1 : 0, ascii, event->count(),
                                      keySym);
  interactor_->SetAltKey((mods & Qt::AltModifier) ? 1 : 0);
  if (event->type() == QEvent::KeyPress) {
    interactor_->InvokeEvent(vtkCommand::KeyPressEvent, event);
    if (ascii != 0) {
      interactor_->InvokeEvent(vtkCommand::CharEvent, event);
    }
  } else {
    interactor_->InvokeEvent(vtkCommand::KeyReleaseEvent, event);
  }
}

}  // namespace harmonia
