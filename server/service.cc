#include "server/service.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/analysis.h"
#include "core/builtin_configs.h"
#include "core/logging.h"
#include "core/status_macros.h"
#include "proto/grpc_status.h"

namespace neurospector::server {
namespace {

absl::Time DeadlineOf(const grpc::ServerContext& context) {
  const std::chrono::system_clock::time_point deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

// The stop signal of one call: its deadline, and a flag the watcher sets
// when the client cancels. A call cancelled by its own deadline is left to
// the deadline, so that it ends with DEADLINE_EXCEEDED.
class CallStop {
 public:
  CallStop(grpc::ServerContext* context, CancellationWatcher* watcher)
      : deadline_(DeadlineOf(*context)),
        registration_(watcher->Watch(
            [context, deadline = deadline_] {
              return context->IsCancelled() && absl::Now() < deadline;
            },
            &cancelled_)),
        token_(&cancelled_, deadline_) {}

  const StopToken& token() const { return token_; }

 private:
  std::atomic<bool> cancelled_{false};
  const absl::Time deadline_;
  const CancellationWatcher::Registration registration_;
  const StopToken token_;
};

// Logs at most kLinesPerSecond error lines per second and counts the rest.
class ErrorLogLimiter {
 public:
  static constexpr int kLinesPerSecond = 20;

  // Returns the number of lines suppressed since the last logged one, or
  // nullopt when this line must be suppressed too.
  std::optional<uint64_t> Admit() {
    const std::lock_guard<std::mutex> lock(mutex_);
    const absl::Time now = absl::Now();
    if (now - window_start_ >= absl::Seconds(1)) {
      window_start_ = now;
      lines_in_window_ = 0;
    }
    if (lines_in_window_ >= kLinesPerSecond) {
      ++suppressed_;
      return std::nullopt;
    }
    ++lines_in_window_;
    const uint64_t suppressed = suppressed_;
    suppressed_ = 0;
    return suppressed;
  }

 private:
  std::mutex mutex_;
  absl::Time window_start_ = absl::InfinitePast();
  int lines_in_window_ = 0;
  uint64_t suppressed_ = 0;
};

ErrorLogLimiter& ErrorLog() {
  static ErrorLogLimiter* limiter = new ErrorLogLimiter();
  return *limiter;
}

void AddWarnings(const Accelerator& accelerator,
                 google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const std::string& warning : accelerator.warnings) *out->Add() = warning;
}

void ListBuiltins(std::span<const BuiltinConfig> configs, bool include_text,
                  google::protobuf::RepeatedPtrField<pb::BuiltinConfig>* out) {
  for (const BuiltinConfig& config : configs) {
    pb::BuiltinConfig* entry = out->Add();
    entry->set_name(std::string(config.name));
    if (include_text) entry->set_text(std::string(config.text));
  }
}

// Runs `body`, turning an escaped exception into INTERNAL so that no
// request can take the server down.
absl::Status Guarded(const std::function<absl::Status()>& body) {
  try {
    return body();
  } catch (const std::exception& error) {
    return absl::InternalError(
        absl::StrCat("the request failed unexpectedly: ", error.what()));
  }
}

}  // namespace

SchedulerService::SchedulerService(const BuiltinCatalog* catalog,
                                   SearchEngine* engine, ServerMetrics* metrics,
                                   CancellationWatcher* watcher)
    : catalog_(*catalog),
      engine_(*engine),
      metrics_(*metrics),
      watcher_(*watcher) {}

grpc::Status SchedulerService::Finish(absl::string_view method,
                                      grpc::ServerContext* context,
                                      const absl::Status& status) {
  metrics_.RpcRequests(method, status.code()).Increment();
  if (!status.ok()) {
    if (std::optional<uint64_t> suppressed = ErrorLog().Admit()) {
      NS_LOG(WARNING) << method << " from " << context->peer()
                      << " failed: " << status
                      << (*suppressed > 0
                              ? absl::StrCat(" (", *suppressed,
                                             " earlier error lines suppressed)")
                              : "");
    }
  }
  return ToGrpcStatus(status);
}

absl::Status SchedulerService::DoScheduleLayer(
    const StopToken& stop, const pb::ScheduleLayerRequest& request,
    pb::ScheduleLayerResponse* response) {
  NS_RETURN_IF_ERROR(CheckRequestSize(request));
  NS_ASSIGN_OR_RETURN(
      ResolvedAccelerator accelerator,
      ToAccelerator(request.accelerator(), "accelerator", catalog_));
  if (!request.has_layer()) {
    return absl::InvalidArgumentError("layer is missing");
  }
  NS_ASSIGN_OR_RETURN(Layer layer, ToLayer(request.layer(), "layer"));
  NS_ASSIGN_OR_RETURN(SearchOptions options,
                      ToSearchOptions(request.options(), "options"));

  NS_ASSIGN_OR_RETURN(SearchEngine::LayerOutcome outcome,
                      engine_.ScheduleLayer(accelerator, layer, options, stop,
                                            "ScheduleLayer"));

  response->set_accelerator_name(accelerator.accelerator->name);
  ToProto(*accelerator.accelerator, layer, *outcome.result, outcome.cache_hit,
          response->mutable_schedule());
  AddWarnings(*accelerator.accelerator, response->mutable_warnings());
  return absl::OkStatus();
}

grpc::Status SchedulerService::ScheduleLayer(
    grpc::ServerContext* context, const pb::ScheduleLayerRequest* request,
    pb::ScheduleLayerResponse* response) {
  const CallStop stop(context, &watcher_);
  return Finish("ScheduleLayer", context, Guarded([&] {
                  return DoScheduleLayer(stop.token(), *request, response);
                }));
}

absl::Status SchedulerService::DoScheduleNetwork(
    const StopToken& stop, const pb::ScheduleNetworkRequest& request,
    grpc::ServerWriter<pb::ScheduleNetworkResponse>* writer) {
  const absl::Time start = absl::Now();
  NS_RETURN_IF_ERROR(CheckRequestSize(request));
  NS_ASSIGN_OR_RETURN(
      ResolvedAccelerator accelerator,
      ToAccelerator(request.accelerator(), "accelerator", catalog_));
  NS_ASSIGN_OR_RETURN(std::shared_ptr<const Network> network,
                      ToNetwork(request.network(), "network", catalog_));
  NS_ASSIGN_OR_RETURN(SearchOptions options,
                      ToSearchOptions(request.options(), "options"));
  NS_ASSIGN_OR_RETURN(
      std::vector<Layer> layers,
      SelectLayers(*network, request.layer_selector(), "layer_selector"));

  std::vector<SharedResult> results(layers.size());
  const auto sink = [&](size_t position,
                        const SearchEngine::LayerOutcome& outcome) {
    results[position] = outcome.result;
    pb::ScheduleNetworkResponse message;
    ToProto(*accelerator.accelerator, layers[position], *outcome.result,
            outcome.cache_hit, message.mutable_layer());
    // A failed write means the client went away; the cancellation watcher
    // then stops the search.
    writer->Write(message);
  };
  NS_ASSIGN_OR_RETURN(
      SearchEngine::NetworkStats stats,
      engine_.ScheduleNetwork(accelerator, layers, options, stop, sink));

  pb::ScheduleNetworkResponse message;
  pb::NetworkSummary* summary = message.mutable_summary();
  summary->set_accelerator_name(accelerator.accelerator->name);
  summary->set_network_name(network->name);
  summary->set_layer_count(static_cast<uint32_t>(layers.size()));
  double energy = 0;
  double cycles = 0;
  for (const SharedResult& result : results) {
    energy += result->evaluation.total_energy();
    cycles += result->evaluation.total_cycles;
  }
  summary->set_total_energy_pj(energy);
  summary->set_total_cycles(cycles);
  summary->set_distinct_shapes(static_cast<uint32_t>(stats.distinct_shapes));
  summary->set_searches_run(static_cast<uint32_t>(stats.searches_run));
  summary->set_cache_hits(static_cast<uint32_t>(stats.cache_hits));
  AddWarnings(*accelerator.accelerator, summary->mutable_warnings());
  summary->set_seconds(absl::ToDoubleSeconds(absl::Now() - start));
  writer->Write(message);
  return absl::OkStatus();
}

grpc::Status SchedulerService::ScheduleNetwork(
    grpc::ServerContext* context, const pb::ScheduleNetworkRequest* request,
    grpc::ServerWriter<pb::ScheduleNetworkResponse>* writer) {
  const CallStop stop(context, &watcher_);
  return Finish("ScheduleNetwork", context, Guarded([&] {
                  return DoScheduleNetwork(stop.token(), *request, writer);
                }));
}

absl::Status SchedulerService::DoEvaluate(const pb::EvaluateRequest& request,
                                          pb::EvaluateResponse* response) {
  NS_RETURN_IF_ERROR(CheckRequestSize(request));
  NS_ASSIGN_OR_RETURN(
      ResolvedAccelerator resolved,
      ToAccelerator(request.accelerator(), "accelerator", catalog_));
  const Accelerator& accelerator = *resolved.accelerator;

  std::shared_ptr<const Network> network;
  std::optional<absl::string_view> selector;
  switch (request.layer_source_case()) {
    case pb::EvaluateRequest::kLayer: {
      NS_ASSIGN_OR_RETURN(Layer layer, ToLayer(request.layer(), "layer"));
      auto single = std::make_shared<Network>();
      single->source = "layer";
      single->layers.push_back(std::move(layer));
      network = std::move(single);
      selector = "1";  // the one layer, whatever the table's [LAYER] names
      break;
    }
    case pb::EvaluateRequest::kNetworkLayer: {
      const pb::NetworkLayer& network_layer = request.network_layer();
      NS_ASSIGN_OR_RETURN(
          network, ToNetwork(network_layer.network(), "network_layer.network",
                             catalog_));
      if (!network_layer.layer_selector().empty()) {
        NS_ASSIGN_OR_RETURN(
            std::vector<Layer> selected,
            SelectLayers(*network, network_layer.layer_selector(),
                         "network_layer.layer_selector"));
        selector = network_layer.layer_selector();
      }
      break;
    }
    case pb::EvaluateRequest::LAYER_SOURCE_NOT_SET:
      return absl::InvalidArgumentError(
          "layer_source is missing; set layer or network_layer");
  }

  std::optional<TableFile> table;
  switch (request.table_source_case()) {
    case pb::EvaluateRequest::kTable: {
      NS_ASSIGN_OR_RETURN(table,
                          ToTable(request.table(), "table", accelerator));
      break;
    }
    case pb::EvaluateRequest::kTableCfg: {
      NS_ASSIGN_OR_RETURN(
          table, ToTable(request.table_cfg(), "table_cfg", accelerator));
      break;
    }
    case pb::EvaluateRequest::TABLE_SOURCE_NOT_SET:
      return absl::InvalidArgumentError(
          "table_source is missing; set table or table_cfg");
  }

  absl::StatusOr<Analysis> analysis =
      AnalyzeTable(accelerator, *network, *table, selector);
  if (!analysis.ok()) {
    return absl::InvalidArgumentError(analysis.status().message());
  }

  response->set_accelerator_name(accelerator.name);
  ToProto(analysis->layer, response->mutable_layer());
  ToProto(accelerator, analysis->mapping, response->mutable_table());
  ToProto(accelerator, analysis->evaluation, response->mutable_report());
  AddWarnings(accelerator, response->mutable_warnings());
  return absl::OkStatus();
}

grpc::Status SchedulerService::Evaluate(grpc::ServerContext* context,
                                        const pb::EvaluateRequest* request,
                                        pb::EvaluateResponse* response) {
  return Finish("Evaluate", context,
                Guarded([&] { return DoEvaluate(*request, response); }));
}

grpc::Status SchedulerService::ListAccelerators(
    grpc::ServerContext* context, const pb::ListAcceleratorsRequest* request,
    pb::ListAcceleratorsResponse* response) {
  ListBuiltins(BuiltinAccelerators(), request->include_text(),
               response->mutable_accelerators());
  return Finish("ListAccelerators", context, absl::OkStatus());
}

grpc::Status SchedulerService::ListNetworks(
    grpc::ServerContext* context, const pb::ListNetworksRequest* request,
    pb::ListNetworksResponse* response) {
  ListBuiltins(BuiltinNetworks(), request->include_text(),
               response->mutable_networks());
  return Finish("ListNetworks", context, absl::OkStatus());
}

}  // namespace neurospector::server
