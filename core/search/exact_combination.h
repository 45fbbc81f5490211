// One dataflow combination of the exact search, and the state its tasks
// share. See exact_search.h for the search as a whole.

#ifndef NEUROSPECTOR_CORE_SEARCH_EXACT_COMBINATION_H_
#define NEUROSPECTOR_CORE_SEARCH_EXACT_COMBINATION_H_

#include <atomic>
#include <cstdint>
#include <limits>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/accelerator.h"
#include "core/cost_model.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/search/dataflows.h"
#include "core/search/search_types.h"

namespace neurospector::exact_internal {

// A subtree is cut only when its bound exceeds the best objective by this
// relative margin, which absorbs the rounding of bounds summed in another
// order than the model's own sums.
constexpr double kPruneMargin = 1e-9;

// The best table a part of the search found, and its counters. Partial
// results merge (parallel_reduce's join) into the best over their union:
// the lowest objective, then the lexicographically smallest rows, then the
// earliest dataflow combination. That order is total, so the merged result
// does not depend on how the space was split.
struct SearchBest {
  bool found = false;
  double cost = std::numeric_limits<double>::infinity();
  Mapping table;
  int combination = std::numeric_limits<int>::max();
  uint64_t evaluated = 0;
  uint64_t pruned = 0;

  // Keeps the candidate if it comes before the current best in the
  // order above; returns whether it did.
  bool Offer(double candidate_cost, const Mapping& candidate_table,
             int candidate_combination) {
    if (found &&
        !Before(candidate_cost, candidate_table, candidate_combination)) {
      return false;
    }
    found = true;
    cost = candidate_cost;
    table = candidate_table;
    combination = candidate_combination;
    return true;
  }

  void Merge(const SearchBest& other) {
    evaluated += other.evaluated;
    pruned += other.pruned;
    if (other.found) Offer(other.cost, other.table, other.combination);
  }

 private:
  // Whether the candidate comes strictly before the current best.
  bool Before(double other_cost, const Mapping& other_table,
              int other_combination) const {
    if (other_cost != cost) return other_cost < cost;
    if (other_table.rows != table.rows) return other_table.rows < table.rows;
    return other_combination < combination;
  }
};

// The pruning threshold shared by every task of one layer's search: the
// lowest objective any task has found (or the bottom-up seed's), plus the
// margin.
class PruneThreshold {
 public:
  // Lowers the threshold to `cost` plus the margin if that is lower.
  void Lower(double cost) {
    const double threshold = cost * (1 + kPruneMargin);
    double current = threshold_.load(std::memory_order_relaxed);
    while (threshold < current &&
           !threshold_.compare_exchange_weak(current, threshold,
                                             std::memory_order_relaxed)) {
    }
  }

  // Subtrees whose bound exceeds this can be cut.
  double value() const { return threshold_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> threshold_{std::numeric_limits<double>::infinity()};
};

// Stop state shared by the tasks: external stop and time limit.
struct SearchControl {
  const StopToken* stop = nullptr;
  absl::Time time_limit_end = absl::InfiniteFuture();
  std::atomic<bool> stopped{false};
  std::atomic<bool> timed_out{false};

  bool ShouldQuit() const {
    return stopped.load(std::memory_order_relaxed) ||
           timed_out.load(std::memory_order_relaxed);
  }

  void Poll() {
    if (stop->StopRequested()) {
      stopped.store(true);
      stop->Cancel();
    }
    if (absl::Now() >= time_limit_end) timed_out.store(true);
  }
};

// Searches every table of one dataflow combination (index
// `combination_index` in the search's order), cutting subtrees whose bound
// exceeds `threshold` and lowering it as better tables appear. Runs in
// parallel in the caller's task arena; returns the best table found.
SearchBest SearchCombination(const Accelerator& accelerator,
                             const CostModel& model, const Layer& layer,
                             Metric metric, int combination_index,
                             const DataflowCombination& combination,
                             PruneThreshold* threshold, SearchControl* control);

}  // namespace neurospector::exact_internal

#endif  // NEUROSPECTOR_CORE_SEARCH_EXACT_COMBINATION_H_
