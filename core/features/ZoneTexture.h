#pragma once
// Internal: the matrices of the zone and neighbourhood texture families
// (IBSI 1, theibsi/ibsi-doc docs/04_Image_features.rst, sections "Grey level
// size zone based features", "Grey level distance zone based features",
// "Neighbourhood grey tone difference based features" and "Neighbouring grey
// level dependence based features"), and their shared feature formulas.
// Exposed for the tests, which compare the matrices with the IBSI
// hand-computed ones (docs/08_Digital_phantom_texture_matrices.rst).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/features/FeatureSet.h"
#include "core/features/FeatureSettings.h"
#include "core/features/PreparedRoi.h"

namespace harmonia::features::zone {

/// One non-zero element of a (grey level i, column j) count matrix: GLSZM
/// (j = zone size), GLDZM (j = zone distance), NGLDM (j = dependence count).
struct MatrixEntry {
  int i = 0;
  int j = 0;
  double count = 0.0;
  friend bool operator==(const MatrixEntry&, const MatrixEntry&) = default;
};

/// A sparse count matrix: entries sorted by (i, j), no duplicates, and the
/// number of voxels N_v it was computed from.
struct CountMatrix {
  std::vector<MatrixEntry> entries;
  double voxel_count = 0.0;
  [[nodiscard]] double total() const;
};

/// Sorts `entries` by (i, j) and merges duplicates.
void normalise(std::vector<MatrixEntry>& entries);
/// IBSI's "merged" matrix (2.5D): element-wise sum, N_v summed.
CountMatrix mergeMatrices(const std::vector<CountMatrix>& matrices);

/// The ROI on a grid padded with `pad` voxels of grey level 0 on every side,
/// so that neighbour offsets need no bounds checks.
struct PaddedGrid {
  int nx = 0, ny = 0, nz = 0;  ///< padded size
  int pad = 0;
  std::vector<std::int32_t> levels;  ///< 0 outside the ROI (intensity mask)
  std::vector<std::uint8_t> morph;   ///< morphological mask (1 inside)
  int max_level = 0;                 ///< max(levelCount, highest level present)
  [[nodiscard]] std::size_t index(int i, int j, int k) const {
    return static_cast<std::size_t>(i) +
           static_cast<std::size_t>(nx) *
               (static_cast<std::size_t>(j) +
                static_cast<std::size_t>(ny) * static_cast<std::size_t>(k));
  }
};
/// Pads `levels`; the morphological mask falls back to levels > 0 when absent.
PaddedGrid padGrid(const GreyLevelVolume& levels, int pad);

/// Offsets (in padded linear indices) of the neighbours within Chebyshev
/// distance `distance`, centre excluded; in-plane only when `planar`.
std::vector<std::ptrdiff_t> chebyshevOffsets(const PaddedGrid& grid, int distance, bool planar);

/// A zone: connected voxels of one grey level (IBSI: 8-connected in 2D,
/// 26-connected in 3D), with its size, its distance to the ROI edge (the
/// minimum of the distance map over its voxels) and the slice of its seed.
struct Zone {
  std::int32_t level = 0;
  std::int32_t size = 0;
  std::int32_t distance = 0;
  std::int32_t slice = 0;  ///< unpadded z index of the zone's first voxel
};
/// All zones, in slice order. `distanceMap` (same grid, may be empty) gives
/// Zone::distance.
std::vector<Zone> findZones(const PaddedGrid& grid, bool planar,
                            const std::vector<std::int32_t>& distanceMap);
/// IBSI GLDZM distance map on the morphological mask: 1 on the ROI edge, the
/// Manhattan (4-connected in 2D, 6-connected in 3D) number of steps to leave
/// the mask otherwise; 0 outside. Outside the grid counts as outside the ROI.
std::vector<std::int32_t> distanceMap(const PaddedGrid& grid, bool planar);

/// Number of ROI voxels (intensity mask) in each unpadded slice.
std::vector<double> sliceVoxelCounts(const PaddedGrid& grid);

/// GLSZM / GLDZM: one matrix per slice when `planar` (IBSI 2D; slices with no
/// ROI voxel give an empty matrix with N_v = 0), one matrix otherwise (3D).
std::vector<CountMatrix> sizeZoneMatrices(const GreyLevelVolume& levels, bool planar);
std::vector<CountMatrix> distanceZoneMatrices(const GreyLevelVolume& levels, bool planar);
/// NGLDM with Chebyshev distance `distance` and coarseness `alpha`.
std::vector<CountMatrix> dependenceMatrices(const GreyLevelVolume& levels, bool planar,
                                            int distance, int alpha);

/// NGTDM: s_i and n_i for grey levels 1..size (index level - 1).
struct ToneMatrix {
  std::vector<double> s;
  std::vector<double> n;
  [[nodiscard]] double validVoxels() const;  ///< N_v,c
};
std::vector<ToneMatrix> toneDifferenceMatrices(const GreyLevelVolume& levels, bool planar,
                                               int distance);
ToneMatrix mergeToneMatrices(const std::vector<ToneMatrix>& matrices);

/// The 16 (17 with energy) GLRLM-like features of a count matrix, in IBSI
/// table order: small-j emphasis, large-j emphasis, low grey level emphasis,
/// high grey level emphasis, small-j low grey, small-j high grey, large-j low
/// grey, large-j high grey, grey level non-uniformity (plain, normalised),
/// j non-uniformity (plain, normalised), percentage N_s/N_v, grey level
/// variance, j variance, entropy, energy. Requires total() > 0.
using MatrixFeatureValues = std::array<double, 17>;
MatrixFeatureValues matrixFeatures(const CountMatrix& m);

/// Appends the features of one count-matrix family: `names` (16 or 17 tag
/// stems in matrixFeatures' order) for every enabled aggregation. `perSlice`
/// gives the 2D matrices (used for "_2D" and "_2_5D"), `volume` the 3D one.
void appendMatrixFamily(const std::string& prefix, const std::vector<std::string>& names,
                        const char* family, const TextureAggregations& aggregations,
                        const std::vector<CountMatrix>* perSlice, const CountMatrix* volume,
                        FeatureSet& out);

}  // namespace harmonia::features::zone
