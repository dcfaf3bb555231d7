#include "core/blend/MultigridLevel.h"

#include <algorithm>

namespace harmonia::multigrid {

void buildSpans(Level& L) {
  L.spans.clear();
  L.row_start.assign(L.h + 1, 0);
  L.unknowns = 0;
  for (int j = 0; j < L.h; ++j) {
    L.row_start[j] = static_cast<int>(L.spans.size());
    const std::uint8_t* row = L.inside.data() + L.at(0, j);
    for (int i = 0; i < L.w;) {
      if (!row[i]) {
        ++i;
        continue;
      }
      int k = i;
      while (k < L.w && row[k]) ++k;
      L.spans.push_back({j, i, k});
      L.unknowns += static_cast<std::size_t>(k - i);
      i = k;
    }
  }
  L.row_start[L.h] = static_cast<int>(L.spans.size());
}

std::vector<int> rowStarts(const std::vector<RowSpan>& spans, int h) {
  std::vector<int> start(h + 1, static_cast<int>(spans.size()));
  for (std::size_t k = spans.size(); k-- > 0;) start[spans[k].y] = static_cast<int>(k);
  for (int j = h; j-- > 0;) start[j] = std::min(start[j], start[j + 1]);
  return start;
}

void clearLevel(Level& c, int ch) {
  std::fill_n(c.x[ch], c.inside.size(), 0.0f);
  std::fill_n(c.b[ch], c.inside.size(), 0.0f);
}

}  // namespace harmonia::multigrid
