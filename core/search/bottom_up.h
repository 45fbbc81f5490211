// NeuroSpector's bottom-up search: the table is refined one level pair at
// a time, from DRAM inward. For each pair the search enumerates every split
// of the outer level's values over the rows of the pair and keeps two
// candidates: the one with the lowest partial cost (primary strategy, PM)
// and the one leaving the most factorizable remainder in the inner level
// (supplementary strategy, SP). The final table is the cheapest surviving
// candidate over every dataflow combination.
//
// The rules that decide which table wins follow the reference exactly.
// Candidates are ranked by their partial cost rounded to binary32. PM ties
// go to the smaller product of the outer row, then to the larger product
// of its loops irrelevant to the inner level's stationary data, then to the
// earlier table in enumeration order. SP ranks by the reference's
// factorization degree, which ignores a largest prime factor that occurs
// once, and keeps its stale cost threshold when a higher degree appears.
// Each inner enumeration starts fresh, whereas the reference reuses a
// rotated enumerator; that can only change the winner among exact ties.

#ifndef NEUROSPECTOR_CORE_SEARCH_BOTTOM_UP_H_
#define NEUROSPECTOR_CORE_SEARCH_BOTTOM_UP_H_

#include "absl/status/statusor.h"
#include "core/accelerator.h"
#include "core/layer.h"
#include "core/search/search_types.h"

namespace neurospector {

// Runs the bottom-up search for `layer` over the dataflow combinations of
// `options.dataflow_mode`, minimizing `options.metric`. Each step's
// enumeration runs in parallel with TBB in the caller's task arena; the
// result does not depend on the number of threads. Returns
// stop.StopStatus() if `stop` fires. The result may be invalid only when
// no valid table exists in the explored candidates (for example when
// memory CONSTRAINTs exclude every split the steps try).
absl::StatusOr<LayerResult> RunBottomUpSearch(const Accelerator& accelerator,
                                              const Layer& layer,
                                              const SearchOptions& options,
                                              const StopToken& stop);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_SEARCH_BOTTOM_UP_H_
