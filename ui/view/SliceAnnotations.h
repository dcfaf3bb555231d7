#pragma once
// The 2-D annotations of a volume SliceView (SliceView.h): the patient
// direction letters on the view's edges, a scale bar in millimetres at the
// bottom right and a note when the grid is oblique to the patient axes. They
// are VTK 2-D actors on the view's overlay renderer, placed in render-window
// pixels (device pixels, origin at the bottom left).

#include <vtkSmartPointer.h>

#include <QString>
#include <QStringList>

class vtkActor2D;
class vtkPoints;
class vtkRenderer;
class vtkTextActor;

namespace harmonia {

/// A SliceView's orientation letters, scale bar and oblique note.
class SliceAnnotations {
 public:
  /// Creates the actors, hidden, and adds them to `overlay`.
  explicit SliceAnnotations(vtkRenderer* overlay);

  /// Hides everything (no volume shown).
  void hide();
  /// Shows and places them for a view of widthPx x heightPx logical pixels at
  /// device pixel ratio `dpr` whose camera has `parallelScale` (half the
  /// view's height in mm). `letters`: left, right, top, bottom.
  void show(const QStringList& letters, bool oblique, int widthPx, int heightPx, double dpr,
            double parallelScale);
  /// The scale bar's label ("50 mm"); empty when hidden.
  [[nodiscard]] const QString& scaleBarText() const { return scaleBarText_; }

 private:
  void setVisible(bool visible, bool oblique);

  vtkSmartPointer<vtkTextActor> letters_[4];  ///< left, right, top, bottom
  vtkSmartPointer<vtkTextActor> scaleText_;
  vtkSmartPointer<vtkTextActor> obliqueText_;
  vtkSmartPointer<vtkPoints> scalePoints_;
  vtkSmartPointer<vtkActor2D> scaleActor_;
  QString scaleBarText_;
};

}  // namespace harmonia
