#include "core/search/scheduler.h"

#include <map>
#include <mutex>
#include <optional>

#include "core/search/bottom_up.h"
#include "core/search/exact_search.h"
#include "tbb/parallel_for.h"
#include "tbb/task_group.h"

namespace neurospector {
namespace {

using ShapeKey = std::pair<RowValues, uint32_t>;

ShapeKey KeyOf(const Layer& layer) { return {layer.params, layer.stride}; }

}  // namespace

absl::StatusOr<LayerResult> SearchLayer(const Accelerator& accelerator,
                                        const Layer& layer,
                                        const SearchOptions& options,
                                        const StopToken& stop) {
  switch (options.algorithm) {
    case SearchAlgorithm::kBottomUp:
      return RunBottomUpSearch(accelerator, layer, options, stop);
    case SearchAlgorithm::kExact:
      return RunExactSearch(accelerator, layer, options, stop);
  }
  return absl::InvalidArgumentError("unknown search algorithm");
}

Scheduler::Scheduler(int threads)
    : arena_(threads > 0 ? threads : tbb::task_arena::automatic) {}

absl::StatusOr<LayerResult> Scheduler::ScheduleLayer(
    const Accelerator& accelerator, const Layer& layer,
    const SearchOptions& options, const StopToken& stop) {
  std::optional<absl::StatusOr<LayerResult>> result;
  tbb::task_group_context context;
  const StopToken request_stop = stop.WithContext(&context);
  arena_.execute([&] {
    tbb::task_group group(context);
    group.run_and_wait([&] {
      result = SearchLayer(accelerator, layer, options, request_stop);
    });
  });
  if (!result.has_value()) return stop.StopStatus();
  return *std::move(result);
}

absl::StatusOr<std::vector<LayerResult>> Scheduler::ScheduleNetwork(
    const Accelerator& accelerator, const std::vector<Layer>& layers,
    const SearchOptions& options, const StopToken& stop,
    const LayerCallback& on_layer) {
  // One search per distinct shape, in first-appearance order.
  std::map<ShapeKey, size_t> shape_index;
  std::vector<size_t> representative;
  std::vector<size_t> shape_of_layer(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto [it, inserted] =
        shape_index.emplace(KeyOf(layers[i]), representative.size());
    if (inserted) representative.push_back(i);
    shape_of_layer[i] = it->second;
  }

  std::vector<std::optional<absl::StatusOr<LayerResult>>> shape_results(
      representative.size());
  std::mutex callback_mutex;
  tbb::task_group_context context;
  const StopToken request_stop = stop.WithContext(&context);
  arena_.execute([&] {
    tbb::task_group group(context);
    group.run_and_wait([&] {
      tbb::parallel_for(size_t{0}, representative.size(), [&](size_t shape) {
        shape_results[shape] = SearchLayer(
            accelerator, layers[representative[shape]], options, request_stop);
        if (!on_layer || !shape_results[shape]->ok()) return;
        const std::lock_guard<std::mutex> lock(callback_mutex);
        for (size_t i = 0; i < layers.size(); ++i) {
          if (shape_of_layer[i] == shape) on_layer(i, **shape_results[shape]);
        }
      });
    });
  });

  std::vector<LayerResult> results;
  results.reserve(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    // A cancelled request leaves the shapes it never started empty.
    if (!shape_results[shape_of_layer[i]].has_value()) {
      return stop.StopStatus();
    }
    const absl::StatusOr<LayerResult>& shape_result =
        *shape_results[shape_of_layer[i]];
    if (!shape_result.ok()) return shape_result.status();
    results.push_back(*shape_result);
  }
  return results;
}

}  // namespace neurospector
