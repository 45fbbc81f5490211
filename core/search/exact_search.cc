#include "core/search/exact_search.h"

#include <vector>

#include "absl/time/clock.h"
#include "core/cost_model.h"
#include "core/search/bottom_up.h"
#include "core/search/dataflows.h"
#include "core/search/exact_combination.h"

namespace neurospector {

using exact_internal::PruneThreshold;
using exact_internal::SearchBest;
using exact_internal::SearchControl;

absl::StatusOr<LayerResult> RunExactSearch(const Accelerator& accelerator,
                                           const Layer& layer,
                                           const SearchOptions& options,
                                           const StopToken& stop) {
  const absl::Time start = absl::Now();
  SearchOptions seed_options = options;
  seed_options.algorithm = SearchAlgorithm::kBottomUp;
  absl::StatusOr<LayerResult> seed =
      RunBottomUpSearch(accelerator, layer, seed_options, stop);
  if (!seed.ok()) return seed.status();

  const CostModel model(accelerator, layer);
  PruneThreshold threshold;
  if (seed->evaluation.valid()) {
    threshold.Lower(seed->Objective(options.metric));
  }

  SearchControl control;
  control.stop = &stop;
  if (options.time_limit != absl::InfiniteDuration()) {
    control.time_limit_end = start + options.time_limit;
  }

  const std::vector<DataflowCombination> combinations =
      DataflowCombinations(accelerator, options.dataflow_mode);
  SearchBest best;
  for (size_t i = 0; i < combinations.size(); ++i) {
    best.Merge(exact_internal::SearchCombination(
        accelerator, model, layer, options.metric, static_cast<int>(i),
        combinations[i], &threshold, &control));
    if (control.ShouldQuit()) break;
  }
  if (control.stopped.load()) return stop.StopStatus();

  LayerResult result;
  const bool timed_out = control.timed_out.load();
  if (best.found && !(seed->evaluation.valid() &&
                      seed->Objective(options.metric) < best.cost)) {
    result.mapping = best.table;
    result.mapping.dataflows = combinations[best.combination];
  } else {
    result.mapping = seed->mapping;
  }
  model.Evaluate(result.mapping, &result.evaluation);
  result.optimal = !timed_out;
  result.strategy = timed_out ? "best found" : "optimal";
  result.evaluated = best.evaluated + seed->evaluated;
  result.pruned = best.pruned + seed->pruned;
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return result;
}

}  // namespace neurospector
