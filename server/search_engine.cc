#include "server/search_engine.h"

#include <exception>
#include <mutex>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status_macros.h"

namespace neurospector::server {
namespace {

class SchedulerBackend : public SearchBackend {
 public:
  explicit SchedulerBackend(int threads) : scheduler_(threads) {}

  absl::StatusOr<LayerResult> SearchLayer(const Accelerator& accelerator,
                                          const Layer& layer,
                                          const SearchOptions& options,
                                          const StopToken& stop) override {
    return scheduler_.ScheduleLayer(accelerator, layer, options, stop);
  }

  absl::Status SearchLayers(
      const Accelerator& accelerator, const std::vector<Layer>& layers,
      const SearchOptions& options, const StopToken& stop,
      const std::function<void(size_t, const LayerResult&)>& on_layer)
      override {
    return scheduler_
        .ScheduleNetwork(accelerator, layers, options, stop, on_layer)
        .status();
  }

 private:
  Scheduler scheduler_;
};

bool IsStopCode(const absl::Status& status) {
  return status.code() == absl::StatusCode::kCancelled ||
         status.code() == absl::StatusCode::kDeadlineExceeded;
}

// Requests for the same key share a running search only if they would get
// the same result: for the exact search, that needs the same time limit.
Fingerprint128 FlightKey(const Fingerprint128& key,
                         const SearchOptions& options) {
  if (options.algorithm != SearchAlgorithm::kExact ||
      options.time_limit == absl::InfiniteDuration()) {
    return key;
  }
  return Fnv1a128(absl::StrCat(key.ToHex(), " time_limit_ns=",
                               absl::ToInt64Nanoseconds(options.time_limit)));
}

}  // namespace

std::unique_ptr<SearchBackend> MakeSchedulerBackend(int threads) {
  return std::make_unique<SchedulerBackend>(threads);
}

// The right of one request to run searches, taken when its first search
// starts and given back when the request ends.
class SearchEngine::SearchSlot {
 public:
  explicit SearchSlot(SearchEngine* engine) : engine_(*engine) {}
  SearchSlot(const SearchSlot&) = delete;
  SearchSlot& operator=(const SearchSlot&) = delete;

  ~SearchSlot() {
    if (!held_) return;
    engine_.searching_requests_.fetch_sub(1);
    engine_.metrics_.searches_in_flight.Decrement();
  }

  // Takes the slot unless max_concurrent_searches requests hold one.
  bool TryAcquire() {
    if (held_) return true;
    int current = engine_.searching_requests_.load();
    while (current < engine_.options_.max_concurrent_searches) {
      if (engine_.searching_requests_.compare_exchange_weak(current,
                                                            current + 1)) {
        held_ = true;
        engine_.metrics_.searches_in_flight.Increment();
        return true;
      }
    }
    return false;
  }

 private:
  SearchEngine& engine_;
  bool held_ = false;
};

// One distinct layer shape of a request and what became of it.
struct SearchEngine::ShapeTask {
  size_t representative = 0;    // position in the request's layers
  std::vector<size_t> members;  // every position with this shape
  Fingerprint128 key;
  Fingerprint128 flight_key;
  ResultCache::Claim claim;
  SharedResult result;
  bool cache_hit = false;
};

SearchEngine::SearchEngine(const EngineOptions& options,
                           std::unique_ptr<SearchBackend> backend,
                           ServerMetrics* metrics)
    : options_(options),
      backend_(std::move(backend)),
      metrics_(*metrics),
      cache_(options.cache_entries) {}

absl::Status SearchEngine::ExhaustedError() const {
  return absl::ResourceExhaustedError(
      absl::StrCat("the server is already running searches for ",
                   options_.max_concurrent_searches,
                   " requests (--max-concurrent-searches); retry later"));
}

void SearchEngine::RecordSearch(absl::string_view rpc,
                                const SearchOptions& options,
                                const LayerResult& result) {
  metrics_.SearchDuration(rpc, options.algorithm, options.metric)
      .Observe(result.seconds);
  metrics_.tables_evaluated.Increment(static_cast<double>(result.evaluated));
}

absl::StatusOr<SharedResult> SearchEngine::RunLeader(
    const ResolvedAccelerator& accelerator, const Layer& layer,
    const SearchOptions& options, const StopToken& stop, absl::string_view rpc,
    const ShapeTask& task, const std::shared_ptr<Flight>& flight) {
  absl::StatusOr<SharedResult> shared;
  try {
    absl::StatusOr<LayerResult> result =
        backend_->SearchLayer(*accelerator.accelerator, layer, options, stop);
    if (result.ok()) {
      RecordSearch(rpc, options, *result);
      shared = std::make_shared<const LayerResult>(*std::move(result));
    } else {
      shared = result.status();
    }
  } catch (const std::exception& error) {
    shared =
        absl::InternalError(absl::StrCat("the search failed: ", error.what()));
  }
  cache_.Finish(task.key, task.flight_key, flight, shared, options.algorithm);
  metrics_.cache_entries.Set(static_cast<double>(cache_.size()));
  return shared;
}

absl::StatusOr<SearchEngine::LayerOutcome> SearchEngine::Resolve(
    const ResolvedAccelerator& accelerator, const Layer& layer,
    const SearchOptions& options, const StopToken& stop, absl::string_view rpc,
    SearchSlot* slot) {
  ShapeTask task;
  task.key = SearchResultKey(accelerator.fingerprint, layer.shape, options);
  task.flight_key = FlightKey(task.key, options);
  for (;;) {
    const ResultCache::Claim claim = cache_.Lookup(
        task.key, task.flight_key, [slot] { return slot->TryAcquire(); });
    if (claim.cached != nullptr) {
      metrics_.cache_hits.Increment();
      return LayerOutcome{claim.cached, true};
    }
    metrics_.cache_misses.Increment();
    if (claim.exhausted) return ExhaustedError();

    if (claim.leader) {
      NS_ASSIGN_OR_RETURN(SharedResult result,
                          RunLeader(accelerator, layer, options, stop, rpc,
                                    task, claim.flight));
      return LayerOutcome{std::move(result), false};
    }

    std::optional<absl::StatusOr<SharedResult>> shared =
        claim.flight->Wait(stop);
    if (!shared.has_value()) return stop.StopStatus();
    if (shared->ok()) return LayerOutcome{**shared, false};
    // The leader's own client went away: search again for this one.
    if (IsStopCode(shared->status()) && !stop.StopRequested()) continue;
    return shared->status();
  }
}

absl::StatusOr<SearchEngine::LayerOutcome> SearchEngine::ScheduleLayer(
    const ResolvedAccelerator& accelerator, const Layer& layer,
    const SearchOptions& options, const StopToken& stop,
    absl::string_view rpc) {
  SearchSlot slot(this);
  return Resolve(accelerator, layer, options, stop, rpc, &slot);
}

std::vector<SearchEngine::ShapeTask> SearchEngine::GroupShapes(
    const ResolvedAccelerator& accelerator, const std::vector<Layer>& layers,
    const SearchOptions& options) const {
  std::vector<ShapeTask> tasks;
  absl::flat_hash_map<Fingerprint128, size_t> task_of_key;
  for (size_t i = 0; i < layers.size(); ++i) {
    const Fingerprint128 key =
        SearchResultKey(accelerator.fingerprint, layers[i].shape, options);
    const auto [it, inserted] = task_of_key.emplace(key, tasks.size());
    if (inserted) {
      ShapeTask task;
      task.representative = i;
      task.key = key;
      task.flight_key = FlightKey(key, options);
      tasks.push_back(std::move(task));
    }
    tasks[it->second].members.push_back(i);
  }
  return tasks;
}

absl::Status SearchEngine::RunLeaders(const ResolvedAccelerator& accelerator,
                                      const std::vector<Layer>& layers,
                                      const SearchOptions& options,
                                      const StopToken& stop,
                                      std::vector<ShapeTask>& tasks,
                                      const std::vector<size_t>& leaders,
                                      const std::function<void(size_t)>& emit) {
  std::vector<Layer> leader_layers;
  for (size_t task : leaders) {
    leader_layers.push_back(layers[tasks[task].representative]);
  }
  const auto on_layer = [&](size_t position, const LayerResult& result) {
    ShapeTask& task = tasks[leaders[position]];
    RecordSearch("ScheduleNetwork", options, result);
    task.result = std::make_shared<const LayerResult>(result);
    cache_.Finish(task.key, task.flight_key, task.claim.flight, task.result,
                  options.algorithm);
    emit(leaders[position]);
  };

  absl::Status status;
  try {
    status = backend_->SearchLayers(*accelerator.accelerator, leader_layers,
                                    options, stop, on_layer);
  } catch (const std::exception& error) {
    status =
        absl::InternalError(absl::StrCat("the search failed: ", error.what()));
  }
  metrics_.cache_entries.Set(static_cast<double>(cache_.size()));

  // Followers of a shape whose search did not finish get the error.
  for (size_t task : leaders) {
    if (tasks[task].result != nullptr) continue;
    cache_.Finish(tasks[task].key, tasks[task].flight_key,
                  tasks[task].claim.flight,
                  status.ok() ? absl::InternalError("the search returned no "
                                                    "result for this layer")
                              : status,
                  options.algorithm);
  }
  if (status.ok()) {
    for (size_t task : leaders) {
      if (tasks[task].result == nullptr) {
        return absl::InternalError("the search returned no result for a layer");
      }
    }
  }
  return status;
}

absl::StatusOr<SearchEngine::NetworkStats> SearchEngine::ScheduleNetwork(
    const ResolvedAccelerator& accelerator, const std::vector<Layer>& layers,
    const SearchOptions& options, const StopToken& stop,
    const LayerSink& sink) {
  SearchSlot slot(this);
  std::vector<ShapeTask> tasks = GroupShapes(accelerator, layers, options);
  NetworkStats stats;
  stats.distinct_shapes = tasks.size();

  std::mutex sink_mutex;
  const auto emit = [&](size_t index) {
    const std::lock_guard<std::mutex> lock(sink_mutex);
    const ShapeTask& task = tasks[index];
    for (size_t member : task.members) {
      sink(member, LayerOutcome{task.result, task.cache_hit});
    }
  };

  // Claim every shape first, so that a request that cannot search fails
  // before it streams anything.
  std::vector<size_t> hits, leaders, followers;
  for (size_t i = 0; i < tasks.size(); ++i) {
    ShapeTask& task = tasks[i];
    task.claim = cache_.Lookup(task.key, task.flight_key,
                               [&slot] { return slot.TryAcquire(); });
    if (task.claim.cached != nullptr) {
      metrics_.cache_hits.Increment();
      task.result = task.claim.cached;
      task.cache_hit = true;
      hits.push_back(i);
      continue;
    }
    metrics_.cache_misses.Increment();
    if (task.claim.exhausted) return ExhaustedError();
    (task.claim.leader ? leaders : followers).push_back(i);
  }
  stats.cache_hits = hits.size();
  stats.searches_run = leaders.size();

  for (size_t task : hits) emit(task);
  if (!leaders.empty()) {
    NS_RETURN_IF_ERROR(
        RunLeaders(accelerator, layers, options, stop, tasks, leaders, emit));
  }

  for (size_t index : followers) {
    ShapeTask& task = tasks[index];
    std::optional<absl::StatusOr<SharedResult>> shared =
        task.claim.flight->Wait(stop);
    if (!shared.has_value()) return stop.StopStatus();
    if (shared->ok()) {
      task.result = **shared;
    } else if (IsStopCode(shared->status()) && !stop.StopRequested()) {
      // The leading request went away: resolve this shape again.
      NS_ASSIGN_OR_RETURN(LayerOutcome outcome,
                          Resolve(accelerator, layers[task.representative],
                                  options, stop, "ScheduleNetwork", &slot));
      task.result = outcome.result;
      task.cache_hit = outcome.cache_hit;
    } else {
      return shared->status();
    }
    emit(index);
  }
  return stats;
}

}  // namespace neurospector::server
