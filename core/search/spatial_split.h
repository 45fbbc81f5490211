// Splitting a combined unrolling vector over the X and Y dimensions of an
// array. The cost model uses only the combined (X times Y) factor of each
// parameter and the active count, so every valid split of one combined
// vector costs the same. The exact search enumerates combined vectors and
// picks one canonical split.

#ifndef NEUROSPECTOR_CORE_SEARCH_SPATIAL_SPLIT_H_
#define NEUROSPECTOR_CORE_SEARCH_SPATIAL_SPLIT_H_

#include <optional>

#include "core/accelerator.h"
#include "core/types.h"

namespace neurospector {

struct SpatialSplit {
  RowValues x;
  RowValues y;
};

// Returns the split of `combined` (x[p] * y[p] == combined[p]) that fits
// `array` (product of x at most size_x, of y at most size_y, each
// parameter only on the dimensions its CONSTRAINT_X/Y allows) and whose x
// row is lexicographically smallest (K first), or nullopt when none fits.
// `x_usable` / `y_usable` are false for a dimension whose row is not
// searched (a unit or virtual row), which must stay all ones.
std::optional<SpatialSplit> CanonicalSplit(const RowValues& combined,
                                           const SpatialArray& array,
                                           bool x_usable, bool y_usable);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_SEARCH_SPATIAL_SPLIT_H_
