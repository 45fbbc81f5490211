// The exact search: branch and bound over every table of the mapping space
// (every split of every parameter over every searched row, and in flexible
// mode every allowed dataflow combination), which proves its result
// optimal.
//
// The search fixes the table from the outside in: the DRAM row, the chips,
// the global-buffer row, the PE array and the MAC array, and the local
// buffer takes what remains. It checks each buffer's capacity and each
// array's size as soon as the rows they depend on are fixed. It cuts every
// subtree whose lower bound (exact_bounds.h) exceeds the best objective
// found so far. The X and Y rows of an array are searched as one combined
// vector. The model's costs depend only on the per-parameter product of
// the two rows, so one canonical split per combined vector represents all
// of them.
//
// Tie-break: among tables of equal objective the result is the
// lexicographically smallest one. Rows are compared from row 0 (innermost)
// to row 9, each row from K to G, and X rows take the smallest factors.
// Remaining ties go to the earliest dataflow combination. A subtree is cut
// only when its bound exceeds the best objective, so that table is always
// reached and the result does not depend on the number of threads or on
// the order in which subtrees finish.

#ifndef NEUROSPECTOR_CORE_SEARCH_EXACT_SEARCH_H_
#define NEUROSPECTOR_CORE_SEARCH_EXACT_SEARCH_H_

#include "absl/status/statusor.h"
#include "core/accelerator.h"
#include "core/layer.h"
#include "core/search/search_types.h"

namespace neurospector {

// Runs the exact search for `layer`, seeded with the bottom-up result so
// that it only ever improves on it. Runs in parallel with TBB in the
// caller's task arena. When `options.time_limit` passes first, returns the
// best table found with optimal = false and strategy "best found";
// otherwise optimal = true and strategy "optimal". Returns
// stop.StopStatus() if `stop` fires.
absl::StatusOr<LayerResult> RunExactSearch(const Accelerator& accelerator,
                                           const Layer& layer,
                                           const SearchOptions& options,
                                           const StopToken& stop);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_SEARCH_EXACT_SEARCH_H_
