// Matrices of the zone (GLSZM, GLDZM) and neighbourhood (NGTDM, NGLDM)
// texture families and their shared GLRLM-like feature formulas, after IBSI 1
// (theibsi/ibsi-doc docs/04_Image_features.rst, the four family sections).
#include "core/features/ZoneTexture.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace harmonia::features::zone {

double CountMatrix::total() const {
  double t = 0.0;
  for (const MatrixEntry& e : entries) t += e.count;
  return t;
}

void normalise(std::vector<MatrixEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const MatrixEntry& a, const MatrixEntry& b) {
    return a.i != b.i ? a.i < b.i : a.j < b.j;
  });
  std::size_t out = 0;
  for (std::size_t n = 0; n < entries.size(); ++n) {
    if (out > 0 && entries[out - 1].i == entries[n].i && entries[out - 1].j == entries[n].j) {
      entries[out - 1].count += entries[n].count;
    } else {
      entries[out++] = entries[n];
    }
  }
  entries.resize(out);
}

CountMatrix mergeMatrices(const std::vector<CountMatrix>& matrices) {
  // IBSI (size zone section, "Aggregating features", method 2): merging sums
  // the elements over the slices, and N_v likewise.
  CountMatrix merged;
  for (const CountMatrix& m : matrices) {
    merged.entries.insert(merged.entries.end(), m.entries.begin(), m.entries.end());
    merged.voxel_count += m.voxel_count;
  }
  normalise(merged.entries);
  return merged;
}

PaddedGrid padGrid(const GreyLevelVolume& levels, int pad) {
  PaddedGrid g;
  g.pad = pad;
  g.nx = levels.size[0] + 2 * pad;
  g.ny = levels.size[1] + 2 * pad;
  g.nz = levels.size[2] + 2 * pad;
  const std::size_t count = static_cast<std::size_t>(g.nx) * static_cast<std::size_t>(g.ny) *
                            static_cast<std::size_t>(g.nz);
  g.levels.assign(count, 0);
  g.morph.assign(count, 0);
  const bool haveMorph = levels.morphological.size() == levels.levels.size();
  g.max_level = std::max(levels.level_count, 0);
  for (int k = 0; k < levels.size[2]; ++k) {
    for (int j = 0; j < levels.size[1]; ++j) {
      const std::size_t src = levels.index(0, j, k);
      const std::size_t dst = g.index(pad, j + pad, k + pad);
      for (int i = 0; i < levels.size[0]; ++i) {
        const std::int32_t level = std::max<std::int32_t>(levels.levels[src + i], 0);
        g.levels[dst + i] = level;
        g.max_level = std::max(g.max_level, static_cast<int>(level));
        g.morph[dst + i] =
            haveMorph ? (levels.morphological[src + i] != 0 ? 1 : 0) : (level > 0 ? 1 : 0);
      }
    }
  }
  return g;
}

std::vector<std::ptrdiff_t> chebyshevOffsets(const PaddedGrid& grid, int distance, bool planar) {
  std::vector<std::ptrdiff_t> offsets;
  const int dz = planar ? 0 : distance;
  const auto sx = std::ptrdiff_t{1};
  const auto sy = static_cast<std::ptrdiff_t>(grid.nx);
  const auto sz = static_cast<std::ptrdiff_t>(grid.nx) * grid.ny;
  for (int z = -dz; z <= dz; ++z) {
    for (int y = -distance; y <= distance; ++y) {
      for (int x = -distance; x <= distance; ++x) {
        if (x != 0 || y != 0 || z != 0) offsets.push_back(x * sx + y * sy + z * sz);
      }
    }
  }
  return offsets;
}

std::vector<Zone> findZones(const PaddedGrid& grid, bool planar,
                            const std::vector<std::int32_t>& distanceMap) {
  // IBSI (size zone section): voxels are linked when they share a grey level
  // and are neighbours at Chebyshev distance 1, i.e. 8-connected in 2D and
  // 26-connected in 3D. Flood fill with an explicit stack, no recursion.
  const std::vector<std::ptrdiff_t> offsets = chebyshevOffsets(grid, 1, planar);
  std::vector<std::uint8_t> visited(grid.levels.size(), 0);
  std::vector<std::size_t> stack;
  std::vector<Zone> zones;
  const bool withDistance = distanceMap.size() == grid.levels.size();
  const int p = grid.pad;
  for (int k = p; k < grid.nz - p; ++k) {
    for (int j = p; j < grid.ny - p; ++j) {
      const std::size_t row = grid.index(0, j, k);
      for (int i = p; i < grid.nx - p; ++i) {
        const std::size_t seed = row + static_cast<std::size_t>(i);
        const std::int32_t level = grid.levels[seed];
        if (level <= 0 || visited[seed] != 0) continue;
        Zone zone;
        zone.level = level;
        zone.slice = k - p;
        zone.distance = std::numeric_limits<std::int32_t>::max();
        visited[seed] = 1;
        stack.push_back(seed);
        while (!stack.empty()) {
          const std::size_t v = stack.back();
          stack.pop_back();
          ++zone.size;
          if (withDistance) zone.distance = std::min(zone.distance, distanceMap[v]);
          for (const std::ptrdiff_t o : offsets) {
            const auto n = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(v) + o);
            if (visited[n] == 0 && grid.levels[n] == level) {
              visited[n] = 1;
              stack.push_back(n);
            }
          }
        }
        // The distance of a voxel of the intensity mask outside the
        // morphological mask would be 0; the lowest IBSI distance is 1.
        zone.distance = withDistance ? std::max(zone.distance, 1) : 0;
        zones.push_back(zone);
      }
    }
  }
  return zones;
}

std::vector<std::int32_t> distanceMap(const PaddedGrid& grid, bool planar) {
  // IBSI (distance zone section): distance to the ROI edge by 4- (2D) or 6-
  // (3D) connectedness, on the morphological mask ("Morphological and
  // intensity masks"), 1 for voxels on the edge. Iterated erosion equals a
  // breadth-first search from the edge voxels.
  std::vector<std::ptrdiff_t> faces = {1, -1, grid.nx, -grid.nx};
  if (!planar) {
    const auto sz = static_cast<std::ptrdiff_t>(grid.nx) * grid.ny;
    faces.push_back(sz);
    faces.push_back(-sz);
  }
  std::vector<std::int32_t> dist(grid.morph.size(), 0);
  std::vector<std::size_t> queue;
  const int p = grid.pad;
  for (int k = p; k < grid.nz - p; ++k) {
    for (int j = p; j < grid.ny - p; ++j) {
      const std::size_t row = grid.index(0, j, k);
      for (int i = p; i < grid.nx - p; ++i) {
        const std::size_t v = row + static_cast<std::size_t>(i);
        if (grid.morph[v] == 0) continue;
        for (const std::ptrdiff_t o : faces) {
          if (grid.morph[static_cast<std::size_t>(static_cast<std::ptrdiff_t>(v) + o)] == 0) {
            dist[v] = 1;
            queue.push_back(v);
            break;
          }
        }
      }
    }
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const std::size_t v = queue[head];
    for (const std::ptrdiff_t o : faces) {
      const auto n = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(v) + o);
      if (grid.morph[n] != 0 && dist[n] == 0) {
        dist[n] = dist[v] + 1;
        queue.push_back(n);
      }
    }
  }
  return dist;
}

std::vector<double> sliceVoxelCounts(const PaddedGrid& grid) {
  const int p = grid.pad;
  std::vector<double> counts(static_cast<std::size_t>(std::max(grid.nz - 2 * p, 0)), 0.0);
  for (int k = p; k < grid.nz - p; ++k) {
    for (int j = p; j < grid.ny - p; ++j) {
      const std::size_t row = grid.index(0, j, k);
      for (int i = p; i < grid.nx - p; ++i) {
        if (grid.levels[row + static_cast<std::size_t>(i)] > 0) counts[k - p] += 1.0;
      }
    }
  }
  return counts;
}

namespace {

std::vector<CountMatrix> zoneMatrices(const GreyLevelVolume& levels, bool planar, bool byDistance) {
  const PaddedGrid grid = padGrid(levels, 1);
  const std::vector<double> perSlice = sliceVoxelCounts(grid);
  std::vector<std::int32_t> dist;
  if (byDistance) dist = distanceMap(grid, planar);
  const std::vector<Zone> zones = findZones(grid, planar, dist);
  std::vector<CountMatrix> out(planar ? perSlice.size() : 1);
  for (const Zone& z : zones) {
    CountMatrix& m = out[planar ? static_cast<std::size_t>(z.slice) : 0];
    m.entries.push_back({z.level, byDistance ? z.distance : z.size, 1.0});
  }
  for (std::size_t n = 0; n < out.size(); ++n) {
    normalise(out[n].entries);
    if (planar) {
      out[n].voxel_count = perSlice[n];
    } else {
      for (double c : perSlice) out[n].voxel_count += c;
    }
  }
  return out;
}

}  // namespace

std::vector<CountMatrix> sizeZoneMatrices(const GreyLevelVolume& levels, bool planar) {
  return zoneMatrices(levels, planar, false);
}

std::vector<CountMatrix> distanceZoneMatrices(const GreyLevelVolume& levels, bool planar) {
  return zoneMatrices(levels, planar, true);
}

std::vector<CountMatrix> dependenceMatrices(const GreyLevelVolume& levels, bool planar,
                                            int distance, int alpha) {
  // IBSI (dependence section): j_k = 1 + the neighbours within Chebyshev
  // distance delta that are in the ROI and differ by at most alpha; every ROI
  // voxel counts (N_s = N_v). 2D: in-plane neighbours only.
  distance = std::max(distance, 1);
  alpha = std::max(alpha, 0);
  const PaddedGrid grid = padGrid(levels, distance);
  const std::vector<std::ptrdiff_t> offsets = chebyshevOffsets(grid, distance, planar);
  const std::size_t columns = offsets.size() + 1;
  const auto ng = static_cast<std::size_t>(grid.max_level);
  const int p = grid.pad;
  const std::size_t slices = static_cast<std::size_t>(grid.nz - 2 * p);
  std::vector<CountMatrix> out(planar ? slices : 1);
  std::vector<double> dense(ng * columns, 0.0);
  auto flush = [&](CountMatrix& m) {
    for (std::size_t i = 0; i < ng; ++i) {
      for (std::size_t j = 0; j < columns; ++j) {
        double& c = dense[i * columns + j];
        if (c > 0.0) {
          m.entries.push_back({static_cast<int>(i + 1), static_cast<int>(j + 1), c});
          m.voxel_count += c;
          c = 0.0;
        }
      }
    }
  };
  for (int k = p; k < grid.nz - p; ++k) {
    for (int j = p; j < grid.ny - p; ++j) {
      const std::size_t row = grid.index(0, j, k);
      for (int i = p; i < grid.nx - p; ++i) {
        const std::size_t v = row + static_cast<std::size_t>(i);
        const std::int32_t level = grid.levels[v];
        if (level <= 0) continue;
        std::size_t dependent = 0;
        for (const std::ptrdiff_t o : offsets) {
          const std::int32_t other =
              grid.levels[static_cast<std::size_t>(static_cast<std::ptrdiff_t>(v) + o)];
          dependent += (other > 0 && std::abs(other - level) <= alpha) ? 1 : 0;
        }
        dense[static_cast<std::size_t>(level - 1) * columns + dependent] += 1.0;
      }
    }
    if (planar) flush(out[static_cast<std::size_t>(k - p)]);
  }
  if (!planar) flush(out[0]);
  return out;
}

double ToneMatrix::validVoxels() const {
  double t = 0.0;
  for (double c : n) t += c;
  return t;
}

std::vector<ToneMatrix> toneDifferenceMatrices(const GreyLevelVolume& levels, bool planar,
                                               int distance) {
  // IBSI (grey tone difference section): the neighbourhood average excludes
  // the centre and counts only neighbours in the ROI (W_k of them); voxels
  // with W_k = 0 do not enter s_i nor n_i. 2D: in-plane neighbours only.
  distance = std::max(distance, 1);
  const PaddedGrid grid = padGrid(levels, distance);
  const std::vector<std::ptrdiff_t> offsets = chebyshevOffsets(grid, distance, planar);
  const auto ng = static_cast<std::size_t>(grid.max_level);
  const int p = grid.pad;
  const std::size_t slices = static_cast<std::size_t>(grid.nz - 2 * p);
  std::vector<ToneMatrix> out(planar ? slices : 1);
  for (ToneMatrix& m : out) {
    m.s.assign(ng, 0.0);
    m.n.assign(ng, 0.0);
  }
  for (int k = p; k < grid.nz - p; ++k) {
    ToneMatrix& m = out[planar ? static_cast<std::size_t>(k - p) : 0];
    for (int j = p; j < grid.ny - p; ++j) {
      const std::size_t row = grid.index(0, j, k);
      for (int i = p; i < grid.nx - p; ++i) {
        const std::size_t v = row + static_cast<std::size_t>(i);
        const std::int32_t level = grid.levels[v];
        if (level <= 0) continue;
        std::int64_t sum = 0;
        int count = 0;
        for (const std::ptrdiff_t o : offsets) {
          const std::int32_t other =
              grid.levels[static_cast<std::size_t>(static_cast<std::ptrdiff_t>(v) + o)];
          sum += other;
          count += other > 0 ? 1 : 0;
        }
        if (count == 0) continue;
        const auto l = static_cast<std::size_t>(level - 1);
        m.s[l] += std::abs(static_cast<double>(level) - static_cast<double>(sum) / count);
        m.n[l] += 1.0;
      }
    }
  }
  return out;
}

ToneMatrix mergeToneMatrices(const std::vector<ToneMatrix>& matrices) {
  // IBSI (grey tone difference section, "Aggregating features"): s_i and n_i
  // are summed over the slices.
  ToneMatrix merged;
  for (const ToneMatrix& m : matrices) {
    merged.s.resize(std::max(merged.s.size(), m.s.size()), 0.0);
    merged.n.resize(std::max(merged.n.size(), m.n.size()), 0.0);
    for (std::size_t l = 0; l < m.s.size(); ++l) {
      merged.s[l] += m.s[l];
      merged.n[l] += m.n[l];
    }
  }
  return merged;
}

MatrixFeatureValues matrixFeatures(const CountMatrix& m) {
  // IBSI size zone / distance zone / dependence feature definitions; they
  // share the GLRLM forms with j the zone size, distance or dependence.
  MatrixFeatureValues f{};
  const double ns = m.total();
  int maxI = 0;
  int maxJ = 0;
  for (const MatrixEntry& e : m.entries) {
    maxI = std::max(maxI, e.i);
    maxJ = std::max(maxJ, e.j);
  }
  std::vector<double> rows(static_cast<std::size_t>(maxI) + 1, 0.0);
  std::vector<double> cols(static_cast<std::size_t>(maxJ) + 1, 0.0);
  double muI = 0.0;
  double muJ = 0.0;
  for (const MatrixEntry& e : m.entries) {
    const double i = e.i;
    const double j = e.j;
    const double s = e.count;
    const double i2 = i * i;
    const double j2 = j * j;
    f[0] += s / j2;
    f[1] += j2 * s;
    f[2] += s / i2;
    f[3] += i2 * s;
    f[4] += s / (i2 * j2);
    f[5] += i2 * s / j2;
    f[6] += j2 * s / i2;
    f[7] += i2 * j2 * s;
    rows[static_cast<std::size_t>(e.i)] += s;
    cols[static_cast<std::size_t>(e.j)] += s;
    const double p = s / ns;
    muI += i * p;
    muJ += j * p;
    f[15] -= p * std::log2(p);
    f[16] += p * p;
  }
  for (int n = 0; n < 8; ++n) f[n] /= ns;
  double rowSq = 0.0;
  for (double r : rows) rowSq += r * r;
  double colSq = 0.0;
  for (double c : cols) colSq += c * c;
  f[8] = rowSq / ns;
  f[9] = rowSq / (ns * ns);
  f[10] = colSq / ns;
  f[11] = colSq / (ns * ns);
  f[12] = ns / m.voxel_count;
  for (const MatrixEntry& e : m.entries) {
    const double p = e.count / ns;
    f[13] += (e.i - muI) * (e.i - muI) * p;
    f[14] += (e.j - muJ) * (e.j - muJ) * p;
  }
  return f;
}

void appendMatrixFamily(const std::string& prefix, const std::vector<std::string>& names,
                        const char* family, const TextureAggregations& aggregations,
                        const std::vector<CountMatrix>* perSlice, const CountMatrix* volume,
                        FeatureSet& out) {
  auto emit = [&](const char* aggregation, const MatrixFeatureValues* values,
                  const std::string& reason) {
    for (std::size_t n = 0; n < names.size(); ++n) {
      std::string tag = prefix + names[n] + "_" + aggregation;
      if (values != nullptr) {
        out.add(std::move(tag), family, aggregation, (*values)[n]);
      } else {
        out.addUndefined(std::move(tag), family, aggregation, reason);
      }
    }
  };
  if (aggregations.two_d && perSlice != nullptr) {
    // IBSI "Aggregating features" method 1: features per slice, averaged
    // over the slices that hold ROI voxels.
    MatrixFeatureValues mean{};
    int used = 0;
    for (const CountMatrix& m : *perSlice) {
      if (m.total() <= 0.0 || m.voxel_count <= 0.0) continue;
      const MatrixFeatureValues v = matrixFeatures(m);
      for (std::size_t n = 0; n < mean.size(); ++n) mean[n] += v[n];
      ++used;
    }
    for (double& v : mean) v /= std::max(used, 1);
    emit("2D", used > 0 ? &mean : nullptr, "empty ROI: no slice holds a voxel");
  }
  if (aggregations.two_and_half_d && perSlice != nullptr) {
    const CountMatrix merged = mergeMatrices(*perSlice);
    const bool ok = merged.total() > 0.0 && merged.voxel_count > 0.0;
    const MatrixFeatureValues v = ok ? matrixFeatures(merged) : MatrixFeatureValues{};
    emit("2_5D", ok ? &v : nullptr, "empty ROI: the merged matrix is empty");
  }
  if (aggregations.three_d && volume != nullptr) {
    const bool ok = volume->total() > 0.0 && volume->voxel_count > 0.0;
    const MatrixFeatureValues v = ok ? matrixFeatures(*volume) : MatrixFeatureValues{};
    emit("3D", ok ? &v : nullptr, "empty ROI: the matrix is empty");
  }
}

}  // namespace harmonia::features::zone
