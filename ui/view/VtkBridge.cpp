#include "ui/view/VtkBridge.h"

#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkPointData.h>
#include <vtkUnsignedCharArray.h>
#include <vtkUnsignedShortArray.h>

#include <cstring>
#include <mutex>
#include <unordered_map>

namespace harmonia {
namespace {

// VTK frees a user-defined array through a plain function pointer that only
// receives the data pointer, so the owners of shared buffers are kept here
// until VTK lets go of them.
std::mutex gOwnersMutex;
std::unordered_multimap<const void*, std::shared_ptr<const void>>& owners() {
  static std::unordered_multimap<const void*, std::shared_ptr<const void>> map;
  return map;
}

void releaseOwner(void* data) {
  std::lock_guard lock(gOwnersMutex);
  auto& map = owners();
  if (auto it = map.find(data); it != map.end()) map.erase(it);
}

template <typename ArrayT, typename T>
vtkSmartPointer<vtkImageData> wrapVolume(const VolumeT<T>& volume) {
  auto image = vtkSmartPointer<vtkImageData>::New();
  const auto& g = volume.geometry();
  image->SetDimensions(g.size[0], g.size[1], g.size[2]);
  image->SetSpacing(g.spacing_mm.data());
  image->SetOrigin(g.origin_mm.data());
  auto array = vtkSmartPointer<ArrayT>::New();
  array->SetName("values");
  array->SetNumberOfComponents(1);
  if (volume.empty()) return image;
  std::shared_ptr<const T[]> buffer = volume.sharedBuffer();
  T* raw = const_cast<T*>(buffer.get());  // VTK's API is non-const; display never writes.
  {
    std::lock_guard lock(gOwnersMutex);
    owners().emplace(raw, std::shared_ptr<const void>(buffer, buffer.get()));
  }
  array->SetArray(raw, static_cast<vtkIdType>(volume.voxelCount()), 0,
                  ArrayT::VTK_DATA_ARRAY_USER_DEFINED);
  array->SetArrayFreeFunction(&releaseOwner);
  image->GetPointData()->SetScalars(array);
  return image;
}

template <typename ArrayT, typename T>
vtkSmartPointer<vtkImageData> copyImage(const Image2D& image) {
  auto out = vtkSmartPointer<vtkImageData>::New();
  out->SetDimensions(image.width(), image.height(), 1);
  out->SetSpacing(image.spacing_mm().x(), image.spacing_mm().y(), 1.0);
  out->SetOrigin(image.origin_mm().x(), image.origin_mm().y(), 0.0);
  auto array = vtkSmartPointer<ArrayT>::New();
  array->SetName("pixels");
  const int c = image.channels();
  array->SetNumberOfComponents(c);
  array->SetNumberOfTuples(static_cast<vtkIdType>(image.width()) * image.height());
  // Row y of the image goes to VTK row y: viewers look with y pointing down
  // the screen (view-up -y), so row 0 appears at the top.
  const std::size_t rowBytes = static_cast<std::size_t>(image.width()) * c * sizeof(T);
  auto* dst = static_cast<T*>(array->GetVoidPointer(0));
  for (int y = 0; y < image.height(); ++y) {
    std::memcpy(dst + static_cast<std::size_t>(y) * image.width() * c, image.mat().ptr<T>(y),
                rowBytes);
  }
  out->GetPointData()->SetScalars(array);
  return out;
}

}  // namespace

vtkSmartPointer<vtkImageData> toVtkImage(const Volume& volume) {
  return wrapVolume<vtkFloatArray>(volume);
}

vtkSmartPointer<vtkImageData> toVtkImage(const MaskVolume& mask) {
  return wrapVolume<vtkUnsignedCharArray>(mask);
}

vtkSmartPointer<vtkImageData> toVtkImage(const Image2D& image) {
  switch (image.sampleType()) {
    case SampleType::UInt16:
      return copyImage<vtkUnsignedShortArray, std::uint16_t>(image);
    case SampleType::Float32:
      return copyImage<vtkFloatArray, float>(image);
    case SampleType::UInt8:
      break;
  }
  return copyImage<vtkUnsignedCharArray, std::uint8_t>(image);
}

}  // namespace harmonia
