#include "core/search/spatial_split.h"

namespace neurospector {
namespace {

struct SplitSearch {
  const RowValues& combined;
  uint8_t allowed_x;
  uint8_t allowed_y;
  uint64_t size_x;
  uint64_t size_y;
  SpatialSplit split;

  // Whether parameters [param, 8) can be split with the X and Y products
  // so far at most `x_product` and `y_product`. Tries x[param] in
  // increasing order, so the first success is the lexicographically
  // smallest x.
  bool Solve(int param, uint64_t x_product, uint64_t y_product) {
    if (param == kNumParams) return true;
    const uint32_t value = combined[param];
    const bool x_allowed = (allowed_x >> param) & 1;
    const bool y_allowed = (allowed_y >> param) & 1;
    // x only grows, so the loop stops once X is full.
    for (uint64_t x = 1; x <= value && x_product * x <= size_x; ++x) {
      if (value % x != 0) continue;
      const uint64_t y = value / x;
      if ((x != 1 && !x_allowed) || (y != 1 && !y_allowed)) continue;
      if (y_product * y > size_y) continue;
      split.x[param] = static_cast<uint32_t>(x);
      split.y[param] = static_cast<uint32_t>(y);
      if (Solve(param + 1, x_product * x, y_product * y)) return true;
    }
    return false;
  }
};

}  // namespace

std::optional<SpatialSplit> CanonicalSplit(const RowValues& combined,
                                           const SpatialArray& array,
                                           bool x_usable, bool y_usable) {
  uint64_t total = 1;
  for (uint32_t value : combined) total *= value;
  const uint64_t size_x = x_usable ? array.size_x : 1;
  const uint64_t size_y = y_usable ? array.size_y : 1;
  if (total > size_x * size_y) return std::nullopt;

  SplitSearch search{combined,
                     static_cast<uint8_t>(x_usable ? array.allowed_x : 0),
                     static_cast<uint8_t>(y_usable ? array.allowed_y : 0),
                     size_x,
                     size_y,
                     {}};
  if (!search.Solve(0, 1, 1)) return std::nullopt;
  return search.split;
}

}  // namespace neurospector
