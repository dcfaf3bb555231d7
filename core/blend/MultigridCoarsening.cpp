#include "core/blend/MultigridCoarsening.h"

#include <algorithm>
#include <climits>

#include "core/blend/MultigridBands.h"

namespace harmonia::multigrid {

Level coarsen(const Level& f, int channels) {
  int x0 = INT_MAX, x1 = INT_MIN, y0 = INT_MAX, y1 = INT_MIN;
  for (const RowSpan& sp : f.spans) {
    x0 = std::min(x0, f.ox + sp.x0);
    x1 = std::max(x1, f.ox + sp.x1 - 1);
    y0 = std::min(y0, f.oy + sp.y);
    y1 = std::max(y1, f.oy + sp.y);
  }
  Level c;
  c.ox = half(x0) - 1;
  c.oy = half(y0) - 1;
  c.w = half(x1) - half(x0) + 3;
  c.h = half(y1) - half(y0) + 3;
  c.img_w = (f.img_w + 1) / 2;
  c.img_h = (f.img_h + 1) / 2;
  c.inside.assign(static_cast<std::size_t>(c.w) * c.h, 0);
  for (const RowSpan& sp : f.spans) {
    const int cj = half(f.oy + sp.y) - c.oy;
    for (int i = sp.x0; i < sp.x1; ++i) ++c.inside[c.at(half(f.ox + i) - c.ox, cj)];  // children
  }
  for (auto& v : c.inside) v = v >= kCoarseChildren ? 1 : 0;
  buildSpans(c);
  buildBand(c);
  c.store.assign(2 * channels, std::vector<float>(c.inside.size(), 0.0f));
  for (int k = 0; k < channels; ++k) {
    c.x.push_back(c.store[2 * k].data());
    c.b.push_back(c.store[2 * k + 1].data());
  }
  return c;
}

}  // namespace harmonia::multigrid
