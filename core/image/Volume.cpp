#include "core/image/Volume.h"

#include <algorithm>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace harmonia {
namespace {

// Buffers of 8 MiB and more are aligned to 2 MiB and marked for transparent
// huge pages: first touching a large volume then takes a few hundred times
// fewer page faults (docs/performance.md).
template <typename T>
std::shared_ptr<T[]> allocateAligned(std::size_t count) {
  const std::size_t bytes = std::max<std::size_t>(count, 1) * sizeof(T);
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  const std::align_val_t align{bytes >= 4 * kHuge ? kHuge : 64};
  T* raw = static_cast<T*>(::operator new[](bytes, align));
#if defined(MADV_HUGEPAGE)
  if (static_cast<std::size_t>(align) == kHuge) {
    // Advice only: failure (e.g. THP disabled) just leaves normal pages.
    (void)::madvise(raw, bytes / kHuge * kHuge, MADV_HUGEPAGE);
  }
#endif
  return std::shared_ptr<T[]>(raw, [align](T* p) { ::operator delete[](p, align); });
}

}  // namespace

template <typename T>
VolumeT<T>::VolumeT(const Geometry3D& geometry, T fill)
    : geometry_(geometry), data_(allocateAligned<T>(geometry.voxelCount())) {
  std::fill_n(data_.get(), voxelCount(), fill);
}

template <typename T>
VolumeT<T>::VolumeT(const Geometry3D& geometry, UninitializedTag)
    : geometry_(geometry), data_(allocateAligned<T>(geometry.voxelCount())) {}

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
