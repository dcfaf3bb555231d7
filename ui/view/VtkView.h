#pragma once
// A QOpenGLWidget that hosts a VTK render window, for Qt 6.
//
// Debian 12's VTK Qt modules are built against Qt 5, so we cannot use
// QVTKOpenGLNativeWidget. This class does what it does (see
// ../shared/docs/platform-notes.md): VTK renders into its own framebuffer
// inside the widget's GL context, and paintGL blits the result into the
// widget's framebuffer. Qt input events are forwarded to a
// vtkGenericRenderWindowInteractor unless a subclass consumes them first in
// handleEvent().
//
// Rendering only happens in paintGL: code that changes the scene calls
// update() (or the interactor's Render(), which is redirected to update()).

#include <vtkSmartPointer.h>
#include <QOpenGLWidget>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkObject;
class QKeyEvent;
class QMouseEvent;
class QWheelEvent;

namespace harmonia {

/// QOpenGLWidget hosting a vtkGenericOpenGLRenderWindow and its interactor.
class VtkView : public QOpenGLWidget {
  Q_OBJECT

 public:
  /// Creates the render window and interactor; GL is set up on first show.
  explicit VtkView(QWidget* parent = nullptr);
  ~VtkView() override;
  VtkView(const VtkView&) = delete;
  VtkView& operator=(const VtkView&) = delete;

  /// Sets the default QSurfaceFormat VTK needs (OpenGL 3.2 core, depth 24,
  /// stencil 8, no multisampling). Call before the QApplication is created.
  static void setDefaultSurfaceFormat();

  /// The VTK render window drawing into this widget.
  [[nodiscard]] vtkGenericOpenGLRenderWindow* renderWindow() const;
  /// The VTK interactor receiving this widget's forwarded input events.
  [[nodiscard]] vtkGenericRenderWindowInteractor* interactor() const;

 protected:
  /// Subclass hook: handle a Qt event instead of forwarding it to VTK.
  /// Returns true when the event was consumed (it is then not forwarded).
  virtual bool handleEvent(QEvent* event);

  /// Dispatches to handleEvent(), then forwards input events to VTK.
  bool event(QEvent* event) override;
  /// Initialises VTK's OpenGL state in the widget's context.
  void initializeGL() override;
  /// Resizes the VTK render window to the widget's size in device pixels.
  void resizeGL(int w, int h) override;
  /// Renders the VTK scene and blits it into the widget's framebuffer.
  void paintGL() override;

 private:
  void onMakeCurrent(vtkObject*, unsigned long, void*);
  void onIsCurrent(vtkObject*, unsigned long, void* callData);
  void onFrame(vtkObject*, unsigned long, void*);
  void onRenderRequest(vtkObject*, unsigned long, void*);
  void onCursorChanged(vtkObject*, unsigned long, void* callData);
  void releaseGraphics();
  bool forwardToVtk(QEvent* event);
  void forwardMouse(QMouseEvent* event);
  void forwardWheel(QWheelEvent* event);
  void forwardKey(QKeyEvent* event);

  vtkSmartPointer<vtkGenericOpenGLRenderWindow> renderWindow_;
  vtkSmartPointer<vtkGenericRenderWindowInteractor> interactor_;
  unsigned long observerTags_[4] = {0, 0, 0, 0};
  unsigned long renderObserverTag_ = 0;
  QMetaObject::Connection contextConnection_;
  bool inPaint_ = false;
  bool glReady_ = false;
  int wheelAccumX_ = 0;
  int wheelAccumY_ = 0;
};

}  // namespace harmonia
