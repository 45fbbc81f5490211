// The scheduler: runs the searches for layers and networks on one TBB task
// arena it owns.

#ifndef NEUROSPECTOR_CORE_SEARCH_SCHEDULER_H_
#define NEUROSPECTOR_CORE_SEARCH_SCHEDULER_H_

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "core/accelerator.h"
#include "core/layer.h"
#include "core/search/search_types.h"
#include "tbb/task_arena.h"

namespace neurospector {

class Scheduler {
 public:
  // `threads` worker threads (0: one per hardware thread).
  explicit Scheduler(int threads);

  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  int threads() const { return arena_.max_concurrency(); }

  // Searches the best table for `layer`. Thread-safe: concurrent calls
  // share the arena. The result does not depend on the thread count.
  absl::StatusOr<LayerResult> ScheduleLayer(const Accelerator& accelerator,
                                            const Layer& layer,
                                            const SearchOptions& options,
                                            const StopToken& stop);

  // Called once per layer, in completion order, serialized.
  using LayerCallback =
      std::function<void(size_t index, const LayerResult& result)>;

  // Searches every layer of `layers` in parallel. Layers with the same
  // shape (K, B, P, Q, C, R, S, G, stride) are searched once and share the
  // result. `on_layer` (may be empty) is called as each layer finishes.
  // Returns the results in the order of `layers`, or the first error.
  absl::StatusOr<std::vector<LayerResult>> ScheduleNetwork(
      const Accelerator& accelerator, const std::vector<Layer>& layers,
      const SearchOptions& options, const StopToken& stop,
      const LayerCallback& on_layer = nullptr);

 private:
  tbb::task_arena arena_;
};

// Runs the search `options.algorithm` for one layer in the calling
// thread's task arena.
absl::StatusOr<LayerResult> SearchLayer(const Accelerator& accelerator,
                                        const Layer& layer,
                                        const SearchOptions& options,
                                        const StopToken& stop);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_SEARCH_SCHEDULER_H_
