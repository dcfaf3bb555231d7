#include "core/blend/MultigridBands.h"

#include <algorithm>
#include <climits>
#include <utility>

namespace harmonia::multigrid {

std::vector<RowSpan> bandSpans(const Level& L, const int R) {
  std::vector<RowSpan> band;
  constexpr int kFar = INT_MAX / 4;
  std::vector<std::pair<int, int>> gaps;  // half-open [begin, end)
  for (int j = 0; j < L.h; ++j) {
    if (L.row_start[j] == L.row_start[j + 1]) continue;
    gaps.clear();
    for (int k = j - R; k <= j + R; ++k) {
      if (k < 0 || k >= L.h) {
        gaps.emplace_back(-kFar, kFar);
        continue;
      }
      int gapStart = -kFar;
      for (int s = L.row_start[k]; s < L.row_start[k + 1]; ++s) {
        gaps.emplace_back(gapStart - R, L.spans[s].x0 + R);
        gapStart = L.spans[s].x1;
      }
      gaps.emplace_back(gapStart - R, kFar);
    }
    // Merge into disjoint intervals, then intersect with the row's spans.
    std::sort(gaps.begin(), gaps.end());
    std::size_t merged = 0;
    for (std::size_t q = 1; q < gaps.size(); ++q) {
      if (gaps[q].first <= gaps[merged].second) {
        gaps[merged].second = std::max(gaps[merged].second, gaps[q].second);
      } else {
        gaps[++merged] = gaps[q];
      }
    }
    gaps.resize(merged + 1);
    for (int s = L.row_start[j]; s < L.row_start[j + 1]; ++s) {
      const RowSpan& sp = L.spans[s];
      for (const auto& [begin, end] : gaps) {
        const int x0 = std::max(begin, sp.x0), x1 = std::min(end, sp.x1);
        if (x0 < x1) band.push_back({j, x0, x1});
      }
    }
  }
  return band;
}

void buildBand(Level& L) {
  L.band = bandSpans(L, kBandRadius);
  L.band_row_start = rowStarts(L.band, L.h);
}

}  // namespace harmonia::multigrid
