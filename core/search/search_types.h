// Options, results and stop signals shared by the searches.

#ifndef NEUROSPECTOR_CORE_SEARCH_SEARCH_TYPES_H_
#define NEUROSPECTOR_CORE_SEARCH_SEARCH_TYPES_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/cost_model.h"
#include "core/mapping.h"
#include "core/search/dataflows.h"
#include "core/types.h"
#include "tbb/task_group.h"

namespace neurospector {

enum class SearchAlgorithm : uint8_t {
  kBottomUp,  // NeuroSpector's heuristic: level pairs from DRAM inward
  kExact,     // branch and bound over the whole space, proven optimal
};

absl::string_view SearchAlgorithmName(SearchAlgorithm algorithm);
absl::string_view DataflowModeName(DataflowMode mode);

struct SearchOptions {
  Metric metric = Metric::kEnergy;
  DataflowMode dataflow_mode = DataflowMode::kFixed;
  SearchAlgorithm algorithm = SearchAlgorithm::kBottomUp;
  // Exact search only: when reached, the best table found so far is
  // returned with optimal = false.
  absl::Duration time_limit = absl::InfiniteDuration();
};

// Outcome of scheduling one layer.
struct LayerResult {
  Mapping mapping;  // the chosen table, with its dataflows
  Evaluation evaluation;
  // Bottom-up: the strategy per level pair, outermost first ("PM-SP-PM").
  // Exact: "optimal", or "best found" when the time limit stopped it.
  std::string strategy;
  bool optimal = false;    // proven optimal over the whole space
  uint64_t evaluated = 0;  // tables fully evaluated
  uint64_t pruned = 0;     // tables or subtrees skipped (invalid or bounded)
  double seconds = 0;      // wall time of this layer's search

  double Objective(Metric metric) const { return evaluation.Objective(metric); }
};

// Cooperative stop request for a running search: an external cancellation
// flag, a deadline and, once the Scheduler runs the search, the TBB task
// group context of the request. Searches poll StopRequested() and return
// early with StopStatus(); Cancel() also cancels the request's pending TBB
// tasks. Thread-safe; the flag and the context outlive the token.
class StopToken {
 public:
  StopToken() = default;
  StopToken(const std::atomic<bool>* cancelled, absl::Time deadline)
      : cancelled_(cancelled), deadline_(deadline) {}

  // A copy that also watches and cancels `context`.
  StopToken WithContext(tbb::task_group_context* context) const {
    StopToken token = *this;
    token.context_ = context;
    return token;
  }

  bool StopRequested() const {
    if (cancelled_ != nullptr && cancelled_->load(std::memory_order_relaxed)) {
      return true;
    }
    if (context_ != nullptr && context_->is_group_execution_cancelled()) {
      return true;
    }
    return deadline_ != absl::InfiniteFuture() && absl::Now() >= deadline_;
  }

  // Cancels the request's TBB tasks, so that parallel loops skip the work
  // they have not started.
  void Cancel() const {
    if (context_ != nullptr) context_->cancel_group_execution();
  }

  // CANCELLED if the flag is set, else DEADLINE_EXCEEDED.
  absl::Status StopStatus() const;

 private:
  const std::atomic<bool>* cancelled_ = nullptr;
  absl::Time deadline_ = absl::InfiniteFuture();
  tbb::task_group_context* context_ = nullptr;
};

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_SEARCH_SEARCH_TYPES_H_
