#pragma once
// Views of volume slices as cv::Mat, for OpenCV's 2-D algorithms.
//
// Axial slices (constant k) are contiguous in a Volume, so they are shared
// without a copy: writing the Mat writes the volume. Coronal and sagittal
// slices are strided and are copied.

#include <opencv2/core/mat.hpp>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"

namespace harmonia {

/// Zero-copy CV_32FC1 view (ny rows, nx columns) of axial slice k.
cv::Mat axialSliceView(Volume& volume, int k);
/// Zero-copy read-only view of axial slice k (do not write through it).
cv::Mat axialSliceView(const Volume& volume, int k);
/// Copy of axial slice k as a float 2-D image with the slice's in-plane spacing and origin.
Image2D axialSliceImage(const Volume& volume, int k);
/// Wraps a float cv::Mat (CV_32FC1, continuous, rows = ny, cols = nx) as one
/// axial slice of a new volume with the given in-plane spacing (copies).
Volume volumeFromSlice(const cv::Mat& slice, const Eigen::Vector3d& spacing_mm);

}  // namespace harmonia
