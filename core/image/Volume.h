#pragma once
// A 3-D scalar volume with physical geometry.
//
// Value semantics: copying a Volume copies its voxels (use std::move to hand
// one over cheaply). Voxels are stored contiguously with i fastest:
// index = i + nx * (j + ny * k). The buffer is 64-byte aligned and held by a
// shared_ptr so display code (see ui/view/VtkBridge.h) can keep it alive without a copy.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/image/Geometry.h"
#include "core/image/MetaData.h"

namespace harmonia {

/// Tag selecting the constructor that leaves voxels uninitialised.
struct UninitializedTag {};
/// Pass to VolumeT's constructor when every voxel is written right after (saves a fill pass).
inline constexpr UninitializedTag kUninitialized{};

/// Scalar volume of T (float for values, uint8 for masks).
template <typename T>
class VolumeT {
 public:
  using value_type = T;

  VolumeT() = default;
  /// Allocates a volume of the given geometry, every voxel set to `fill`.
  explicit VolumeT(const Geometry3D& geometry, T fill = T{});
  /// Allocates a volume whose voxels are left uninitialised; the caller must
  /// write every voxel before reading (used by algorithms that fill in parallel).
  VolumeT(const Geometry3D& geometry, UninitializedTag);
  VolumeT(const VolumeT& other);
  VolumeT& operator=(const VolumeT& other);
  VolumeT(VolumeT&&) noexcept = default;
  VolumeT& operator=(VolumeT&&) noexcept = default;
  ~VolumeT() = default;

  /// Grid geometry. Size is fixed at construction; use setSpacing/Origin/Direction.
  [[nodiscard]] const Geometry3D& geometry() const { return geometry_; }
  void setSpacing(const Eigen::Vector3d& spacing_mm) { geometry_.spacing_mm = spacing_mm; }
  void setOrigin(const Eigen::Vector3d& origin_mm) { geometry_.origin_mm = origin_mm; }
  void setDirection(const Eigen::Matrix3d& direction) { geometry_.direction = direction; }

  [[nodiscard]] int nx() const { return geometry_.size[0]; }
  [[nodiscard]] int ny() const { return geometry_.size[1]; }
  [[nodiscard]] int nz() const { return geometry_.size[2]; }
  [[nodiscard]] std::size_t voxelCount() const { return geometry_.voxelCount(); }
  [[nodiscard]] bool empty() const { return voxelCount() == 0; }

  [[nodiscard]] T* data() { return data_.get(); }
  [[nodiscard]] const T* data() const { return data_.get(); }
  [[nodiscard]] std::span<T> voxels() { return {data_.get(), voxelCount()}; }
  [[nodiscard]] std::span<const T> voxels() const { return {data_.get(), voxelCount()}; }
  /// The buffer, shared; for zero-copy display only.
  [[nodiscard]] std::shared_ptr<T[]> sharedBuffer() const { return data_; }

  /// Linear index of voxel (i, j, k).
  [[nodiscard]] std::size_t index(int i, int j, int k) const {
    return static_cast<std::size_t>(i) +
           static_cast<std::size_t>(geometry_.size[0]) *
               (static_cast<std::size_t>(j) +
                static_cast<std::size_t>(geometry_.size[1]) * static_cast<std::size_t>(k));
  }
  [[nodiscard]] T& at(int i, int j, int k) { return data_[index(i, j, k)]; }
  [[nodiscard]] const T& at(int i, int j, int k) const { return data_[index(i, j, k)]; }

  /// Pointer to the first voxel of axial slice k (nx * ny contiguous voxels).
  [[nodiscard]] T* slice(int k) { return data_.get() + index(0, 0, k); }
  [[nodiscard]] const T* slice(int k) const { return data_.get() + index(0, 0, k); }

  /// Units of the values ("HU", "SUVbw g/ml", "" when unknown).
  [[nodiscard]] const std::string& units() const { return units_; }
  void setUnits(std::string units) { units_ = std::move(units); }
  [[nodiscard]] MetaData& metadata() { return metadata_; }
  [[nodiscard]] const MetaData& metadata() const { return metadata_; }

 private:
  Geometry3D geometry_;
  std::shared_ptr<T[]> data_;
  std::string units_;
  MetaData metadata_;
};

using Volume = VolumeT<float>;             ///< values (HU, SUV, raw)
using MaskVolume = VolumeT<std::uint8_t>;  ///< 0 = outside, nonzero = inside

extern template class VolumeT<float>;
extern template class VolumeT<std::uint8_t>;

}  // namespace harmonia
