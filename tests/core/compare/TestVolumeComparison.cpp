// Two-study comparison on a common grid, against brute force: per-voxel
// trilinear interpolation written here in double, plain loops for the
// measures and std::sort for the Wasserstein-1 distance. Known answers:
// B = 2A + 3 (Pearson 1), a whole-voxel shift undone by the offset (RMSE 0),
// partially overlapping grids (exact excluded counts); NaN handling, errors
// and cancellation.

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "CompareTestSupport.h"
#include "core/compare/VolumeComparison.h"
#include "core/util/Error.h"
#include "harmonize/HarmonizeTestSupport.h"

using namespace harmonia;
using harmonia::test::brutePairs;
using harmonia::test::bruteStats;
using harmonia::test::expectStats;
using harmonia::test::finiteValues;
using harmonia::test::randomMask;
using harmonia::test::randomVolume;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

Geometry3D gridA() {
  Geometry3D g;
  g.size = {30, 24, 14};
  g.spacing_mm = {1.0, 1.0, 2.0};
  g.origin_mm = {-10.0, 5.0, 20.0};
  return g;
}

// Trilinear interpolation of v at continuous index c, clamped to the voxel
// centres (the rim's rule), in double; written independently of Resample.
double trilinear(const Volume& v, const Eigen::Vector3d& c) {
  int i0[3], i1[3];
  double f[3];
  for (int a = 0; a < 3; ++a) {
    const int n = v.geometry().size[a];
    const double x = std::clamp(c[a], 0.0, n - 1.0);
    i0[a] = static_cast<int>(std::floor(x));
    i1[a] = std::min(i0[a] + 1, n - 1);
    f[a] = x - i0[a];
  }
  double acc = 0;
  for (int dz = 0; dz < 2; ++dz)
    for (int dy = 0; dy < 2; ++dy)
      for (int dx = 0; dx < 2; ++dx) {
        const double w = (dx ? f[0] : 1 - f[0]) * (dy ? f[1] : 1 - f[1]) * (dz ? f[2] : 1 - f[2]);
        if (w == 0) continue;
        acc += w * v.at(dx ? i1[0] : i0[0], dy ? i1[1] : i0[1], dz ? i1[2] : i0[2]);
      }
  return acc;
}

bool insideVoxels(const Eigen::Vector3d& c, const std::array<int, 3>& n) {
  for (int a = 0; a < 3; ++a) {
    if (c[a] < -0.5 || c[a] > n[a] - 0.5) return false;
  }
  return true;
}

// The brute-force comparison: every voxel of the common grid (`gridStudy`'s
// grid, moved by `gridShift_mm` into the other study's frame) is mapped to
// the other study's continuous index by world coordinates and interpolated.
struct Brute {
  std::vector<double> a, b;                // compared pairs
  std::vector<double> a_region, b_region;  // per-study values on the common grid
  std::uint64_t excluded = 0, nonfinite = 0;
};

Brute bruteCompare(const Volume& gridStudy, const Volume& other, const Eigen::Vector3d& toOther_mm,
                   const MaskVolume* region, bool gridIsA) {
  Brute r;
  const Geometry3D& g = gridStudy.geometry();
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        if (region != nullptr && region->at(i, j, k) == 0) continue;
        const double own = gridStudy.at(i, j, k);
        if (std::isfinite(own)) (gridIsA ? r.a_region : r.b_region).push_back(own);
        const Eigen::Vector3d p = g.indexToWorld(Eigen::Vector3d(i, j, k)) + toOther_mm;
        const Eigen::Vector3d c = other.geometry().worldToIndex(p);
        if (!insideVoxels(c, other.geometry().size)) {
          ++r.excluded;
          continue;
        }
        const double val = trilinear(other, c);
        if (std::isfinite(val)) (gridIsA ? r.b_region : r.a_region).push_back(val);
        if (!std::isfinite(own) || !std::isfinite(val)) {
          ++r.nonfinite;
          continue;
        }
        r.a.push_back(gridIsA ? own : val);
        r.b.push_back(gridIsA ? val : own);
      }
  return r;
}

void expectPairs(const VolumeComparison& c, const Brute& r, double tol, double pearsonTol) {
  ASSERT_EQ(c.voxels_compared, r.a.size());
  EXPECT_EQ(c.voxels_excluded, r.excluded);
  EXPECT_EQ(c.voxels_nonfinite, r.nonfinite);
  const auto p = brutePairs(r.a, r.b);
  EXPECT_NEAR(c.mean_diff, p.mean_diff, tol);
  EXPECT_NEAR(c.rmse, p.rmse, tol);
  EXPECT_NEAR(c.pearson, p.pearson, pearsonTol);
  EXPECT_NEAR(c.wasserstein1, p.wasserstein1, tol);
}

class CancelledProgress final : public Progress {
 public:
  void report(double) override {}
  [[nodiscard]] bool cancelRequested() const override { return true; }
};

}  // namespace

TEST(VolumeComparison, SameGridRandomVolumesWithNanMatchBruteForce) {
  // Same grid: no interpolation, every measure is a plain function of the
  // voxel pairs. NaN in A at every 41st voxel, +inf in B at every 53rd: those
  // voxels are not compared and are counted as non-finite. The reference
  // sums in long double; the library in double, in another order: ~10^4
  // values of up to 400, tolerance 1e-9 (Pearson 1e-12, relative scale 1).
  const Geometry3D g = gridA();
  Volume a = randomVolume(g, 1, -100.0f, 300.0f);
  Volume b = randomVolume(g, 2, -50.0f, 250.0f);
  for (std::size_t i = 0; i < a.voxelCount(); i += 41) a.data()[i] = kNaN;
  for (std::size_t i = 0; i < b.voxelCount(); i += 53) {
    b.data()[i] = std::numeric_limits<float>::infinity();
  }
  const VolumeComparison c = compareVolumes(a, b);
  const Brute r = bruteCompare(a, b, Eigen::Vector3d::Zero(), nullptr, true);
  EXPECT_EQ(r.excluded, 0u);
  EXPECT_GT(r.nonfinite, 0u);
  expectPairs(c, r, 1e-9, 1e-12);
  // Without a region, each study's statistics over its own voxels.
  EXPECT_TRUE(c.statistics_on_own_grids);
  expectStats(c.a, bruteStats(finiteValues(a)), 1e-9);
  expectStats(c.b, bruteStats(finiteValues(b)), 1e-9);
  EXPECT_TRUE(c.grid.sameGrid(g));

  // With a random region (40 % of the voxels).
  const MaskVolume region = randomMask(g, 3, 0.4);
  const VolumeComparison cr = compareVolumes(a, b, &region);
  const Brute rr = bruteCompare(a, b, Eigen::Vector3d::Zero(), &region, true);
  expectPairs(cr, rr, 1e-9, 1e-12);
  EXPECT_FALSE(cr.statistics_on_own_grids);
  expectStats(cr.a, bruteStats(finiteValues(a, &region)), 1e-9);
  expectStats(cr.b, bruteStats(finiteValues(b, &region)), 1e-9);
}

TEST(VolumeComparison, AnAffineRelationGivesPearsonOneAndTheKnownDifferences) {
  // B = 2A + 3 with A in [10, 200): B - A = A + 3 > 0, so mean_diff =
  // mean(A) + 3, rmse = sqrt(mean((A + 3)^2)), and since x -> 2x + 3 keeps
  // the order, sorted(B) - sorted(A) = sorted(A) + 3: W1 = mean(A) + 3 too.
  // B is stored in float32 (relative rounding 6e-8 of values up to 403):
  // tolerance 1e-4 on the differences, 1e-9 on Pearson (the rounding noise is
  // ~1e-7 of the spread, which lowers r by its square).
  const Geometry3D g = gridA();
  const Volume a = randomVolume(g, 4, 10.0f, 200.0f);
  Volume b(g);
  for (std::size_t i = 0; i < a.voxelCount(); ++i) b.data()[i] = 2.0f * a.data()[i] + 3.0f;
  long double sum = 0, squares = 0;
  for (float x : a.voxels()) {
    sum += x;
    squares += (x + 3.0L) * (x + 3.0L);
  }
  const double n = static_cast<double>(a.voxelCount());
  const double meanA = static_cast<double>(sum / n);
  const VolumeComparison c = compareVolumes(a, b);
  EXPECT_EQ(c.voxels_compared, a.voxelCount());
  EXPECT_EQ(c.voxels_excluded, 0u);
  EXPECT_NEAR(c.pearson, 1.0, 1e-9);
  EXPECT_NEAR(c.mean_diff, meanA + 3.0, 1e-4);
  EXPECT_NEAR(c.rmse, std::sqrt(static_cast<double>(squares / n)), 1e-4);
  EXPECT_NEAR(c.wasserstein1, meanA + 3.0, 1e-4);
  // And the per-study means: mean(B) = 2 mean(A) + 3.
  EXPECT_NEAR(c.a.mean, meanA, 1e-9);
  EXPECT_NEAR(c.b.mean, 2.0 * meanA + 3.0, 1e-4);
  // Swapping the studies flips the sign of mean_diff only.
  const VolumeComparison s = compareVolumes(b, a);
  EXPECT_NEAR(s.mean_diff, -c.mean_diff, 1e-9);
  EXPECT_NEAR(s.rmse, c.rmse, 1e-9);
  EXPECT_NEAR(s.wasserstein1, c.wasserstein1, 1e-9);
}

TEST(VolumeComparison, AWholeVoxelShiftUndoneByTheOffsetGivesRmseZero) {
  // B holds A's content one voxel along i earlier: B(i) = A(i + 1), and its
  // last plane along i is junk (1e6). On an oblique grid (the offset is along
  // the i axis' world direction), offset_b_mm = +1 spacing_i moves B back
  // onto A. On A's grid, A's plane i = 0 has no B (B's first centre sits one
  // voxel beyond it): excluded = ny * nz. On B's grid, B's last (junk) plane
  // has no A. Both ways RMSE, mean_diff and W1 are 0 and Pearson 1, up to
  // float32 interpolation at indices a rounding error (~1e-15) from whole
  // numbers: tolerance 1e-4.
  Geometry3D g = gridA();
  g.spacing_mm = {1.25, 0.9, 2.0};
  g.direction = (Eigen::AngleAxisd(0.4, Eigen::Vector3d::UnitZ()) *
                 Eigen::AngleAxisd(-0.2, Eigen::Vector3d::UnitX()))
                    .toRotationMatrix();
  const Volume a = randomVolume(g, 5, -100.0f, 300.0f);
  Volume b(g, 1e6f);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i + 1 < g.size[0]; ++i) b.at(i, j, k) = a.at(i + 1, j, k);
  VolumeComparisonParams params;
  params.offset_b_mm = g.direction.col(0) * g.spacing_mm[0];
  const std::uint64_t plane = static_cast<std::uint64_t>(g.size[1]) * g.size[2];
  for (ComparisonGrid which : {ComparisonGrid::A, ComparisonGrid::B}) {
    SCOPED_TRACE(toString(which));
    params.grid = which;
    const VolumeComparison c = compareVolumes(a, b, nullptr, params);
    EXPECT_EQ(c.voxels_excluded, plane);
    EXPECT_EQ(c.voxels_compared, a.voxelCount() - plane);
    EXPECT_NEAR(c.rmse, 0.0, 1e-4);
    EXPECT_NEAR(c.mean_diff, 0.0, 1e-4);
    EXPECT_NEAR(c.wasserstein1, 0.0, 1e-4);
    EXPECT_NEAR(c.pearson, 1.0, 1e-9);
  }
  // The opposite sign moves B two voxels away from A instead: far from 0.
  params.grid = ComparisonGrid::A;
  params.offset_b_mm = -params.offset_b_mm;
  const VolumeComparison wrong = compareVolumes(a, b, nullptr, params);
  EXPECT_EQ(wrong.voxels_excluded, plane);
  EXPECT_GT(wrong.rmse, 50.0);
}

TEST(VolumeComparison, PartiallyOverlappingGridsExcludeExactlyTheVoxelsOutside) {
  // A and B: 10x8x6 voxels of 1 mm; B starts 4 mm further along x, so its
  // voxels cover x in [3.5, 13.5] and A's in [-0.5, 9.5]. On A's grid, A's
  // columns x = 4..9 have B (6 of 10): 6*8*6 = 288 compared, 4*8*6 = 192
  // excluded; on B's grid the same by symmetry. With a region of A's
  // columns x = 2..5: 4*8*6 = 192 region voxels, x = 2, 3 excluded (96).
  Geometry3D ga;
  ga.size = {10, 8, 6};
  Geometry3D gb = ga;
  gb.origin_mm = {4.0, 0.0, 0.0};
  const Volume a = randomVolume(ga, 6, 0.0f, 10.0f);
  const Volume b = randomVolume(gb, 7, 0.0f, 10.0f);
  for (ComparisonGrid which : {ComparisonGrid::A, ComparisonGrid::B}) {
    VolumeComparisonParams params;
    params.grid = which;
    const VolumeComparison c = compareVolumes(a, b, nullptr, params);
    EXPECT_EQ(c.voxels_compared, 288u);
    EXPECT_EQ(c.voxels_excluded, 192u);
    EXPECT_EQ(c.voxels_nonfinite, 0u);
    EXPECT_EQ(c.a.count, 480u);  // own grids: every voxel
    EXPECT_EQ(c.b.count, 480u);
  }
  MaskVolume region(ga, 0);
  for (int k = 0; k < 6; ++k)
    for (int j = 0; j < 8; ++j)
      for (int i = 2; i <= 5; ++i) region.at(i, j, k) = 1;
  const VolumeComparison c = compareVolumes(a, b, &region);
  EXPECT_EQ(c.voxels_compared, 96u);
  EXPECT_EQ(c.voxels_excluded, 96u);
  EXPECT_EQ(c.a.count, 192u);  // A has data at every region voxel
  EXPECT_EQ(c.b.count, 96u);   // B only where it overlaps
  // The values compared: A's x = 4, 5 against B's x = 0, 1 (the same world
  // positions, integer offset: no interpolation).
  std::vector<double> av, bv;
  for (int k = 0; k < 6; ++k)
    for (int j = 0; j < 8; ++j)
      for (int i = 4; i <= 5; ++i) {
        av.push_back(a.at(i, j, k));
        bv.push_back(b.at(i - 4, j, k));
      }
  const auto p = brutePairs(av, bv);
  EXPECT_NEAR(c.mean_diff, p.mean_diff, 1e-9);
  EXPECT_NEAR(c.rmse, p.rmse, 1e-9);
  EXPECT_NEAR(c.wasserstein1, p.wasserstein1, 1e-9);
  expectStats(c.b, bruteStats(bv), 1e-9);
}

TEST(VolumeComparison, DifferentGridsAndAnOffsetMatchBruteForceTrilinear) {
  // B: another spacing, origin and (for the second case) orientation,
  // partly overlapping A, moved by an offset that is not a whole number of
  // voxels; nothing lies exactly on a half-voxel boundary. The reference
  // interpolates in double at the world position of each common-grid voxel;
  // the library resamples in float32 (error up to ~1e-4 on values up to 300),
  // so the means, RMSE and W1 agree within 1e-3 and Pearson within 1e-6.
  // The excluded and compared counts must agree exactly.
  const Geometry3D ga = gridA();
  Geometry3D gb;
  gb.size = {22, 30, 15};
  gb.spacing_mm = {0.7, 1.3, 1.5};
  gb.origin_mm = {-3.13, 1.71, 24.37};
  const Volume a = randomVolume(ga, 8, -100.0f, 300.0f);
  for (bool oblique : {false, true}) {
    SCOPED_TRACE(oblique ? "oblique B" : "axis-aligned B");
    if (oblique)
      gb.direction =
          Eigen::AngleAxisd(0.3, Eigen::Vector3d(1, 2, 3).normalized()).toRotationMatrix();
    const Volume b = randomVolume(gb, 9, -100.0f, 300.0f);
    const MaskVolume regionA = randomMask(ga, 10, 0.6);
    VolumeComparisonParams params;
    params.offset_b_mm = {0.37, -1.21, 0.53};
    // On A's grid: A's voxel at p meets B at p - offset in B's own frame.
    const VolumeComparison ca = compareVolumes(a, b, &regionA, params);
    const Brute ra = bruteCompare(a, b, -params.offset_b_mm, &regionA, true);
    EXPECT_GT(ra.excluded, 100u);
    EXPECT_GT(ra.a.size(), 1000u);
    expectPairs(ca, ra, 1e-3, 1e-6);
    expectStats(ca.a, bruteStats(ra.a_region), 1e-9);
    EXPECT_EQ(ca.b.count, ra.b_region.size());
    EXPECT_NEAR(ca.b.mean, bruteStats(ra.b_region).mean, 1e-3);
    // On B's grid (moved by the offset): B's voxel at p meets A at p + offset.
    params.grid = ComparisonGrid::B;
    Geometry3D movedB = gb;
    movedB.origin_mm += params.offset_b_mm;
    MaskVolume regionB = randomMask(movedB, 11, 0.6);
    const VolumeComparison cb = compareVolumes(a, b, &regionB, params);
    EXPECT_TRUE(cb.grid.sameGrid(movedB));
    const Brute rb = bruteCompare(b, a, params.offset_b_mm, &regionB, false);
    EXPECT_GT(rb.excluded, 100u);
    expectPairs(cb, rb, 1e-3, 1e-6);
    expectStats(cb.b, bruteStats(rb.b_region), 1e-9);
    EXPECT_EQ(cb.a.count, rb.a_region.size());
    // A region on B's unmoved grid is not on the comparison grid.
    regionB.setOrigin(gb.origin_mm);
    EXPECT_THROW(compareVolumes(a, b, &regionB, params), InputError);
  }
}

TEST(VolumeComparison, ConstantStudyHasNoCorrelation) {
  // Pearson is undefined (0/0) when a study is constant: NaN, not 0 or 1.
  const Geometry3D g = gridA();
  const Volume a = randomVolume(g, 12, 0.0f, 1.0f);
  const Volume b(g, 5.0f);
  const VolumeComparison c = compareVolumes(a, b);
  EXPECT_TRUE(std::isnan(c.pearson));
  EXPECT_TRUE(std::isnan(compareVolumes(b, b).pearson));
  EXPECT_EQ(compareVolumes(b, b).rmse, 0.0);
}

TEST(VolumeComparison, ErrorsNameTheStudyOrRegionAtFault) {
  const Geometry3D g = gridA();
  const Volume a = randomVolume(g, 13, 0.0f, 1.0f);
  auto problem = [&](const Volume& x, const Volume& y, const MaskVolume* region,
                     const VolumeComparisonParams& params = {}) -> std::string {
    try {
      (void)compareVolumes(x, y, region, params);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  // An empty region.
  const MaskVolume empty(g, 0);
  EXPECT_EQ(problem(a, a, &empty).rfind("region", 0), 0u) << problem(a, a, &empty);
  // B far away: nothing to compare.
  Geometry3D far = g;
  far.origin_mm.x() += 1000.0;
  const Volume b(far, 1.0f);
  const std::string none = problem(a, b, nullptr);
  EXPECT_EQ(none.rfind("study B", 0), 0u) << none;
  EXPECT_NE(none.find(std::to_string(g.voxelCount()) + " lie outside"), std::string::npos) << none;
  // A study of NaN only.
  const Volume nan(g, kNaN);
  EXPECT_EQ(problem(a, nan, nullptr).rfind("study B", 0), 0u);
  // The offset moving B back makes the same pair comparable.
  VolumeComparisonParams back;
  back.offset_b_mm = {-1000.0, 0.0, 0.0};
  EXPECT_EQ(compareVolumes(a, b, nullptr, back).voxels_compared, g.voxelCount());
  back.offset_b_mm.x() = std::numeric_limits<double>::infinity();
  EXPECT_THROW(compareVolumes(a, b, nullptr, back), ParameterError);
}

TEST(VolumeComparison, HonoursCancel) {
  const Geometry3D g = gridA();
  const Volume a = randomVolume(g, 14, 0.0f, 1.0f);
  Geometry3D other = g;
  other.spacing_mm = {0.9, 0.9, 1.7};
  const Volume b = randomVolume(other, 15, 0.0f, 1.0f);
  CancelledProgress cancelled;
  EXPECT_THROW(compareVolumes(a, b, nullptr, {}, cancelled), Cancelled);
}

TEST(VolumeComparison, GridNamesRoundTrip) {
  EXPECT_STREQ(toString(ComparisonGrid::A), "a");
  EXPECT_STREQ(toString(ComparisonGrid::B), "b");
  EXPECT_EQ(parseComparisonGrid("a"), ComparisonGrid::A);
  EXPECT_EQ(parseComparisonGrid("B"), ComparisonGrid::B);
  EXPECT_FALSE(parseComparisonGrid("c").has_value());
  EXPECT_FALSE(parseComparisonGrid("").has_value());
}
