// The server's scheduling logic on core types: result cache lookups,
// single flight, the limit on concurrent searches, and the search metrics.
// The gRPC handlers call it after converting their requests.

#ifndef NEUROSPECTOR_SERVER_SEARCH_ENGINE_H_
#define NEUROSPECTOR_SERVER_SEARCH_ENGINE_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/layer.h"
#include "core/search/scheduler.h"
#include "core/search/search_types.h"
#include "server/convert.h"
#include "server/metrics.h"
#include "server/result_cache.h"

namespace neurospector::server {

// Runs searches. The production backend wraps core's Scheduler; tests
// substitute slow or counting searches.
class SearchBackend {
 public:
  virtual ~SearchBackend() = default;

  // Searches one layer. Must return early with `stop.StopStatus()` when a
  // stop is requested.
  virtual absl::StatusOr<LayerResult> SearchLayer(
      const Accelerator& accelerator, const Layer& layer,
      const SearchOptions& options, const StopToken& stop) = 0;

  // Searches `layers` (distinct shapes) in parallel and calls `on_layer`
  // with the position in `layers` as each search succeeds (serialized).
  // Returns the first error.
  virtual absl::Status SearchLayers(
      const Accelerator& accelerator, const std::vector<Layer>& layers,
      const SearchOptions& options, const StopToken& stop,
      const std::function<void(size_t, const LayerResult&)>& on_layer) = 0;
};

// SearchBackend on core's Scheduler (one TBB arena with `threads` workers,
// 0: one per hardware thread).
std::unique_ptr<SearchBackend> MakeSchedulerBackend(int threads);

struct EngineOptions {
  size_t cache_entries = 10000;
  // Requests that may run searches at the same time; more get
  // RESOURCE_EXHAUSTED. Cache hits and requests waiting for another
  // request's identical search do not count.
  int max_concurrent_searches = 32;
};

class SearchEngine {
 public:
  // `metrics` must outlive the engine.
  SearchEngine(const EngineOptions& options,
               std::unique_ptr<SearchBackend> backend, ServerMetrics* metrics);

  SearchEngine(const SearchEngine&) = delete;
  SearchEngine& operator=(const SearchEngine&) = delete;

  struct LayerOutcome {
    SharedResult result;
    bool cache_hit = false;
  };

  // Returns the cached result for the layer's shape, or the result of the
  // identical search another request is running, or runs the search.
  // RESOURCE_EXHAUSTED when a search is needed and
  // max_concurrent_searches requests are already searching; CANCELLED or
  // DEADLINE_EXCEEDED when `stop` fires first. `rpc` labels the metrics.
  // Thread-safe.
  absl::StatusOr<LayerOutcome> ScheduleLayer(
      const ResolvedAccelerator& accelerator, const Layer& layer,
      const SearchOptions& options, const StopToken& stop,
      absl::string_view rpc);

  struct NetworkStats {
    size_t distinct_shapes = 0;
    size_t searches_run = 0;  // searches this request ran itself
    size_t cache_hits = 0;    // distinct shapes served from the cache
  };

  // Called once per layer (position in `layers`) as its result is known:
  // cache hits first, then the searches in completion order. Serialized.
  using LayerSink = std::function<void(size_t, const LayerOutcome&)>;

  // Schedules every layer of `layers`: each distinct shape is looked up
  // once, and the shapes that need a search run in parallel. Errors as for
  // ScheduleLayer; the sink may have been called for some layers before an
  // error. Thread-safe.
  absl::StatusOr<NetworkStats> ScheduleNetwork(
      const ResolvedAccelerator& accelerator, const std::vector<Layer>& layers,
      const SearchOptions& options, const StopToken& stop,
      const LayerSink& sink);

  size_t cache_size() const { return cache_.size(); }

 private:
  class SearchSlot;
  struct ShapeTask;

  std::vector<ShapeTask> GroupShapes(const ResolvedAccelerator& accelerator,
                                     const std::vector<Layer>& layers,
                                     const SearchOptions& options) const;
  absl::StatusOr<LayerOutcome> Resolve(const ResolvedAccelerator& accelerator,
                                       const Layer& layer,
                                       const SearchOptions& options,
                                       const StopToken& stop,
                                       absl::string_view rpc, SearchSlot* slot);
  absl::StatusOr<SharedResult> RunLeader(const ResolvedAccelerator& accelerator,
                                         const Layer& layer,
                                         const SearchOptions& options,
                                         const StopToken& stop,
                                         absl::string_view rpc,
                                         const ShapeTask& task,
                                         const std::shared_ptr<Flight>& flight);
  absl::Status RunLeaders(const ResolvedAccelerator& accelerator,
                          const std::vector<Layer>& layers,
                          const SearchOptions& options, const StopToken& stop,
                          std::vector<ShapeTask>& tasks,
                          const std::vector<size_t>& leaders,
                          const std::function<void(size_t)>& emit);
  void RecordSearch(absl::string_view rpc, const SearchOptions& options,
                    const LayerResult& result);
  absl::Status ExhaustedError() const;

  const EngineOptions options_;
  std::unique_ptr<SearchBackend> backend_;
  ServerMetrics& metrics_;
  ResultCache cache_;
  std::atomic<int> searching_requests_{0};
};

}  // namespace neurospector::server

#endif  // NEUROSPECTOR_SERVER_SEARCH_ENGINE_H_
