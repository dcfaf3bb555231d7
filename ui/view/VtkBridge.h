#pragma once
// Views of our images as vtkImageData, for display.
//
// Volumes are shared without a copy: the vtkImageData's scalar array points at
// the Volume's buffer and keeps it alive (through its shared_ptr) until VTK
// releases the array. Writing the Volume afterwards shows through; call
// Modified() on the vtkImageData then.
//
// Geometry: the vtkImageData gets the volume's spacing and origin and an
// identity direction; viewers show the grid in index order (see
// Geometry3D for the world mapping, which readouts use).

#include <vtkSmartPointer.h>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"

class vtkImageData;

namespace harmonia {

/// Zero-copy vtkImageData (float scalars) over `volume`'s voxels.
vtkSmartPointer<vtkImageData> toVtkImage(const Volume& volume);
/// Zero-copy vtkImageData (unsigned char scalars) over a mask's voxels.
vtkSmartPointer<vtkImageData> toVtkImage(const MaskVolume& mask);
/// vtkImageData of a 2-D image, one slice thick, row y at VTK y (viewers look
/// with y pointing down the screen, so row 0 is at the top). The pixels are
/// copied (cv::Mat rows may be padded); sample type and channels are kept.
vtkSmartPointer<vtkImageData> toVtkImage(const Image2D& image);

}  // namespace harmonia
