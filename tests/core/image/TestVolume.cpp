#include <gtest/gtest.h>

#include <cstdint>

#include "core/image/Volume.h"

using harmonia::Geometry3D;
using harmonia::Volume;

namespace {
Geometry3D grid(int nx, int ny, int nz) {
  Geometry3D g;
  g.size = {nx, ny, nz};
  return g;
}
}  // namespace

TEST(Volume, StoresXFastestAndIsAligned) {
  Volume v(grid(3, 4, 5), 0.0f);
  v.at(2, 1, 3) = 7.0f;
  EXPECT_EQ(v.index(2, 1, 3), 2u + 3u * (1u + 4u * 3u));
  EXPECT_EQ(v.data()[v.index(2, 1, 3)], 7.0f);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % 64, 0u);
  EXPECT_EQ(v.slice(3) + 3 + 2, &v.at(2, 1, 3));
}

TEST(Volume, CopyIsDeepAndMoveIsCheap) {
  Volume a(grid(2, 2, 2), 1.0f);
  a.setUnits("HU");
  a.metadata()["Modality"] = "CT";
  Volume b = a;
  b.at(0, 0, 0) = 5.0f;
  EXPECT_EQ(a.at(0, 0, 0), 1.0f);
  EXPECT_EQ(b.units(), "HU");
  EXPECT_EQ(b.metadata().at("Modality"), "CT");
  const float* buffer = b.data();
  Volume c = std::move(b);
  EXPECT_EQ(c.data(), buffer);
}

TEST(Volume, FillValueAndEmpty) {
  harmonia::MaskVolume m(grid(5, 1, 1), 3);
  for (auto v : m.voxels()) EXPECT_EQ(v, 3);
  EXPECT_TRUE(Volume().empty());
}
