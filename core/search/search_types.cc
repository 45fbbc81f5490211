#include "core/search/search_types.h"

namespace neurospector {

absl::string_view SearchAlgorithmName(SearchAlgorithm algorithm) {
  return algorithm == SearchAlgorithm::kBottomUp ? "bottom-up" : "exact";
}

absl::string_view DataflowModeName(DataflowMode mode) {
  return mode == DataflowMode::kFixed ? "fixed" : "flexible";
}

absl::Status StopToken::StopStatus() const {
  if (cancelled_ != nullptr && cancelled_->load(std::memory_order_relaxed)) {
    return absl::CancelledError("the search was cancelled");
  }
  return absl::DeadlineExceededError(
      "the search stopped at the request deadline");
}

}  // namespace neurospector
