#include "ui/view/SliceAnnotations.h"

#include <vtkActor2D.h>
#include <vtkCellArray.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkProperty2D.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <algorithm>

#include "ui/view/SliceReadout.h"
#include "ui/view/SliceViewCamera.h"

namespace harmonia {

SliceAnnotations::SliceAnnotations(vtkRenderer* overlay) {
  for (auto& letter : letters_) {
    letter = vtkSmartPointer<vtkTextActor>::New();
    letter->GetTextProperty()->SetFontSize(15);
    letter->GetTextProperty()->BoldOn();
    letter->GetTextProperty()->SetColor(1.0, 0.85, 0.2);
    letter->VisibilityOff();
    overlay->AddActor2D(letter);
  }
  letters_[0]->GetTextProperty()->SetJustificationToLeft();
  letters_[1]->GetTextProperty()->SetJustificationToRight();
  letters_[2]->GetTextProperty()->SetJustificationToCentered();
  letters_[3]->GetTextProperty()->SetJustificationToCentered();
  letters_[0]->GetTextProperty()->SetVerticalJustificationToCentered();
  letters_[1]->GetTextProperty()->SetVerticalJustificationToCentered();
  letters_[2]->GetTextProperty()->SetVerticalJustificationToTop();
  letters_[3]->GetTextProperty()->SetVerticalJustificationToBottom();
  scaleText_ = vtkSmartPointer<vtkTextActor>::New();
  scaleText_->GetTextProperty()->SetFontSize(12);
  scaleText_->GetTextProperty()->SetColor(0.9, 0.9, 0.9);
  scaleText_->GetTextProperty()->SetJustificationToRight();
  scaleText_->VisibilityOff();
  overlay->AddActor2D(scaleText_);
  obliqueText_ = vtkSmartPointer<vtkTextActor>::New();
  obliqueText_->GetTextProperty()->SetFontSize(12);
  obliqueText_->GetTextProperty()->SetColor(1.0, 0.6, 0.3);
  obliqueText_->SetInput("oblique: nearest patient plane");
  obliqueText_->VisibilityOff();
  overlay->AddActor2D(obliqueText_);
  scalePoints_ = vtkSmartPointer<vtkPoints>::New();
  scalePoints_->SetNumberOfPoints(4);
  for (vtkIdType i = 0; i < 4; ++i) scalePoints_->SetPoint(i, 0.0, 0.0, 0.0);
  auto scaleLines = vtkSmartPointer<vtkCellArray>::New();
  const vtkIdType bar[2] = {0, 1};
  const vtkIdType tick[2] = {2, 3};
  scaleLines->InsertNextCell(2, bar);
  scaleLines->InsertNextCell(2, tick);
  auto scaleData = vtkSmartPointer<vtkPolyData>::New();
  scaleData->SetPoints(scalePoints_);
  scaleData->SetLines(scaleLines);
  auto scaleMapper = vtkSmartPointer<vtkPolyDataMapper2D>::New();
  scaleMapper->SetInputData(scaleData);
  scaleActor_ = vtkSmartPointer<vtkActor2D>::New();
  scaleActor_->SetMapper(scaleMapper);
  scaleActor_->GetProperty()->SetColor(0.9, 0.9, 0.9);
  scaleActor_->GetProperty()->SetLineWidth(2.0);
  scaleActor_->VisibilityOff();
  overlay->AddActor2D(scaleActor_);
}

void SliceAnnotations::setVisible(bool visible, bool oblique) {
  for (auto& letter : letters_) letter->SetVisibility(visible ? 1 : 0);
  scaleText_->SetVisibility(visible ? 1 : 0);
  scaleActor_->SetVisibility(visible ? 1 : 0);
  obliqueText_->SetVisibility(visible && oblique ? 1 : 0);
}

void SliceAnnotations::hide() {
  setVisible(false, false);
  scaleBarText_.clear();
}

void SliceAnnotations::show(const QStringList& letters, bool oblique, int widthPx, int heightPx,
                            double dpr, double parallelScale) {
  setVisible(true, oblique);
  // Render-window pixels (device pixels), origin at the bottom left.
  const double w = std::max(1, widthPx) * dpr;
  const double h = std::max(1, heightPx) * dpr;
  const double margin = 6.0 * dpr;
  const double positions[4][2] = {
      {margin, 0.5 * h}, {w - margin, 0.5 * h}, {0.5 * w, h - margin}, {0.5 * w, margin}};
  for (int i = 0; i < 4; ++i) {
    letters_[i]->SetInput(letters[i].toLatin1().constData());
    letters_[i]->SetDisplayPosition(static_cast<int>(positions[i][0]),
                                    static_cast<int>(positions[i][1]));
  }
  obliqueText_->SetDisplayPosition(static_cast<int>(margin), static_cast<int>(h - 22.0 * dpr));
  // Scale bar: a round length near a fifth of the width, at the bottom right.
  const double mmPerPixel = 2.0 * parallelScale / h;
  const double length_mm = niceLength(0.2 * w * mmPerPixel);
  const double length_px = length_mm / mmPerPixel;
  const double x1 = w - 2.0 * margin;
  const double x0 = x1 - length_px;
  const double y = 2.0 * margin;
  scalePoints_->SetPoint(0, x0, y, 0.0);
  scalePoints_->SetPoint(1, x1, y, 0.0);
  scalePoints_->SetPoint(2, x0, y, 0.0);
  scalePoints_->SetPoint(3, x0, y + 5.0 * dpr, 0.0);
  scalePoints_->Modified();
  scaleBarText_ = scaleBarLabel(length_mm);
  scaleText_->SetInput(scaleBarText_.toLatin1().constData());
  scaleText_->SetDisplayPosition(static_cast<int>(x1), static_cast<int>(y + 4.0 * dpr));
}

}  // namespace harmonia
