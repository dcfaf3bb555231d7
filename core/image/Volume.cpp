#include "core/image/Volume.h"

#include <algorithm>
#include <new>

namespace harmonia {
namespace {

template <typename T>
std::shared_ptr<T[]> allocateAligned(std::size_t count) {
  constexpr std::align_val_t kAlign{64};
  T* raw = static_cast<T*>(::operator new[](std::max<std::size_t>(count, 1) * sizeof(T), kAlign));
  return std::shared_ptr<T[]>(raw, [](T* p) { ::operator delete[](p, kAlign); });
}

}  // namespace

template <typename T>
VolumeT<T>::VolumeT(const Geometry3D& geometry, T fill)
    : geometry_(geometry), data_(allocateAligned<T>(geometry.voxelCount())) {
  std::fill_n(data_.get(), voxelCount(), fill);
}

template <typename T>
VolumeT<T>::VolumeT(const VolumeT& other)
    : geometry_(other.geometry_), units_(other.units_), metadata_(other.metadata_) {
  if (other.data_) {
    data_ = allocateAligned<T>(voxelCount());
    std::copy_n(other.data_.get(), voxelCount(), data_.get());
  }
}

template <typename T>
VolumeT<T>& VolumeT<T>::operator=(const VolumeT& other) {
  if (this != &other) {
    VolumeT copy(other);
    *this = std::move(copy);
  }
  return *this;
}

template class VolumeT<float>;
template class VolumeT<std::uint8_t>;

}  // namespace harmonia
