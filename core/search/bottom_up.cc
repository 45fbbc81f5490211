#include "core/search/bottom_up.h"

#include <atomic>
#include <cfloat>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "core/cost_model.h"
#include "core/search/bottom_up_step.h"
#include "core/search/dataflows.h"
#include "core/search/factorization.h"

namespace neurospector {
namespace {

using bottom_up_internal::Candidate;
using bottom_up_internal::DegreeLists;
using bottom_up_internal::DivisorLists;
using bottom_up_internal::RankCost;
using bottom_up_internal::StepSearch;

// Row of the next buffer inside row `x`: the nearest temporal row below x
// with a dataflow, or 0.
int InnerBufferRow(int x, const Mapping& table) {
  for (int row = x - 1; row >= 0; --row) {
    if (IsTemporalRow(row) && table.dataflows[row] != Dataflow::kNone) {
      return row;
    }
  }
  return 0;
}

struct CombinationResult {
  Mapping table;
  std::vector<std::string> strategy;
  RankCost cost = FLT_MAX;
};

absl::StatusOr<CombinationResult> SearchCombination(
    const Accelerator& accelerator, const CostModel& model, Metric metric,
    const Mapping& initial, const StopToken& stop, uint64_t* evaluated,
    uint64_t* pruned) {
  std::vector<Candidate> candidates = {{initial, {}}};
  std::atomic<bool> stopped{false};
  DivisorLists divisors;
  DegreeLists degree_factors;
  for (Param param : kAllParams) {
    divisors[param] = Divisors(initial.rows[kDramRow][param]);
    for (uint32_t divisor : divisors[param]) {
      degree_factors[param].push_back(ReferencePrimeFactorCount(divisor) + 1);
    }
  }
  int b = kDramRow;
  while (b != 0) {
    const int e = b;
    b = InnerBufferRow(e, initial);
    const StepSearch step(accelerator, model, divisors, degree_factors, metric,
                          b, e, stop, &stopped);
    std::vector<Candidate> next;
    for (const Candidate& candidate : candidates) {
      for (Candidate& produced : step.Run(candidate, evaluated, pruned)) {
        next.push_back(std::move(produced));
      }
    }
    if (stopped.load()) return stop.StopStatus();
    candidates = std::move(next);
  }

  CombinationResult best;
  Evaluation evaluation;
  for (const Candidate& candidate : candidates) {
    model.Evaluate(candidate.table, &evaluation);
    const RankCost cost = static_cast<RankCost>(evaluation.Objective(metric));
    if (cost < best.cost) {
      best.cost = cost;
      best.table = candidate.table;
      best.strategy = candidate.strategy;
    }
  }
  return best;
}

}  // namespace

absl::StatusOr<LayerResult> RunBottomUpSearch(const Accelerator& accelerator,
                                              const Layer& layer,
                                              const SearchOptions& options,
                                              const StopToken& stop) {
  const absl::Time start = absl::Now();
  const CostModel model(accelerator, layer);
  const Mapping initial = InitialMapping(accelerator, layer);

  LayerResult result;
  Evaluation evaluation;
  model.Evaluate(initial, &evaluation);
  RankCost best_cost =
      static_cast<RankCost>(evaluation.Objective(options.metric));
  result.mapping = initial;
  std::vector<std::string> best_strategy;

  for (const DataflowCombination& combination :
       DataflowCombinations(accelerator, options.dataflow_mode)) {
    Mapping table = initial;
    table.dataflows = combination;
    absl::StatusOr<CombinationResult> found =
        SearchCombination(accelerator, model, options.metric, table, stop,
                          &result.evaluated, &result.pruned);
    if (!found.ok()) return found.status();
    if (found->cost < best_cost) {
      best_cost = found->cost;
      result.mapping = found->table;
      best_strategy = found->strategy;
    }
  }

  model.Evaluate(result.mapping, &result.evaluation);
  result.strategy = absl::StrJoin(best_strategy, "-");
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return result;
}

}  // namespace neurospector
