#include "client/remote.h"

#include <algorithm>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/remote_convert.h"
#include "core/status_macros.h"
#include "grpcpp/grpcpp.h"
#include "neurospector/v1/scheduler.grpc.pb.h"
#include "proto/grpc_status.h"

namespace neurospector::cli {
namespace {

// Checks that `server` reads HOST:PORT with a port from 1 to 65535 (an IPv6
// host goes in brackets, as gRPC expects).
absl::Status CheckServerAddress(const std::string& server) {
  const size_t colon = server.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(server).substr(colon + 1), &port) ||
      port < 1 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--server \"", server, "\" is invalid; expected HOST:PORT, e.g. "
        "127.0.0.1:50051"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<pb::Scheduler::Stub>> Connect(
    const std::string& server) {
  NS_RETURN_IF_ERROR(CheckServerAddress(server));
  return pb::Scheduler::NewStub(
      grpc::CreateChannel(server, grpc::InsecureChannelCredentials()));
}

// The server's status with its code kept and the server and code named in
// the message.
absl::Status ServerError(const std::string& server,
                         const grpc::Status& status) {
  const absl::Status converted = FromGrpcStatus(status);
  return absl::Status(converted.code(),
                      absl::StrCat("server ", server, " returned ",
                                   absl::StatusCodeToString(converted.code()),
                                   ": ", converted.message()));
}

void PrintWarnings(
    const google::protobuf::RepeatedPtrField<std::string>& warnings,
    std::ostream& err) {
  for (const std::string& warning : warnings) {
    err << "warning: " << warning << "\n";
  }
}

}  // namespace

absl::StatusOr<EvaluationView> EvaluateRemote(const RemoteEvaluateInput& input,
                                              std::ostream& err) {
  NS_ASSIGN_OR_RETURN(std::unique_ptr<pb::Scheduler::Stub> stub,
                      Connect(input.server));
  pb::EvaluateRequest request;
  NS_ASSIGN_OR_RETURN(*request.mutable_accelerator(),
                      AcceleratorArgument(input.accelerator));
  pb::NetworkLayer* network_layer = request.mutable_network_layer();
  NS_ASSIGN_OR_RETURN(*network_layer->mutable_network(),
                      NetworkArgument(input.network));
  if (input.layer.has_value()) network_layer->set_layer_selector(*input.layer);
  NS_ASSIGN_OR_RETURN(*request.mutable_table_cfg(), TableArgument(input.table));

  grpc::ClientContext context;
  pb::EvaluateResponse response;
  const grpc::Status status =
      stub->Evaluate(&context, request, &response);
  if (!status.ok()) return ServerError(input.server, status);

  PrintWarnings(response.warnings(), err);
  return ToView(response.accelerator_name(), response.layer(), response.table(),
                response.report());
}

absl::StatusOr<ScheduleView> ScheduleRemote(const RemoteScheduleInput& input,
                                            std::ostream& err) {
  const absl::Time start = absl::Now();
  NS_ASSIGN_OR_RETURN(std::unique_ptr<pb::Scheduler::Stub> stub,
                      Connect(input.server));
  pb::ScheduleNetworkRequest request;
  NS_ASSIGN_OR_RETURN(*request.mutable_accelerator(),
                      AcceleratorArgument(input.accelerator));
  NS_ASSIGN_OR_RETURN(*request.mutable_network(),
                      NetworkArgument(input.network));
  *request.mutable_options() = ToProto(input.search);
  if (input.layer.has_value()) request.set_layer_selector(*input.layer);

  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<pb::ScheduleNetworkResponse>> reader =
      stub->ScheduleNetwork(&context, request);
  std::vector<pb::LayerSchedule> layers;
  std::optional<pb::NetworkSummary> summary;
  pb::ScheduleNetworkResponse message;
  while (reader->Read(&message)) {
    if (message.has_layer()) layers.push_back(message.layer());
    if (message.has_summary()) summary = message.summary();
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return ServerError(input.server, status);
  if (!summary.has_value()) {
    return absl::InternalError(absl::StrCat(
        "server ", input.server, " ended the stream without a summary"));
  }

  PrintWarnings(summary->warnings(), err);
  ScheduleView view;
  view.accelerator = summary->accelerator_name();
  view.network = summary->network_name();
  view.metric = std::string(MetricName(input.search.metric));
  view.dataflow = std::string(DataflowModeName(input.search.dataflow_mode));
  view.search = std::string(SearchAlgorithmName(input.search.algorithm));
  // The stream is in completion order; the views are in network order.
  std::sort(layers.begin(), layers.end(),
            [](const pb::LayerSchedule& a, const pb::LayerSchedule& b) {
              return a.layer().index() < b.layer().index();
            });
  for (const pb::LayerSchedule& layer : layers) {
    NS_ASSIGN_OR_RETURN(LayerScheduleView layer_view,
                        ToView(summary->accelerator_name(), layer));
    view.layers.push_back(std::move(layer_view));
  }
  view.seconds = absl::ToDoubleSeconds(absl::Now() - start);

  const auto count = [](uint64_t n, absl::string_view noun) {
    return absl::StrCat(n, " ", noun, n == 1 ? "" : "s");
  };
  err << "server " << input.server << ": "
      << count(summary->layer_count(), "layer") << ", "
      << count(summary->distinct_shapes(), "distinct shape") << ", "
      << summary->cache_hits() << " served from the cache, "
      << summary->searches_run() << " searched\n";
  return view;
}

absl::StatusOr<BuiltinNames> ListRemote(const std::string& server) {
  NS_ASSIGN_OR_RETURN(std::unique_ptr<pb::Scheduler::Stub> stub,
                      Connect(server));
  BuiltinNames names;

  grpc::ClientContext accelerators_context;
  pb::ListAcceleratorsResponse accelerators;
  grpc::Status status = stub->ListAccelerators(
      &accelerators_context, pb::ListAcceleratorsRequest(), &accelerators);
  if (!status.ok()) return ServerError(server, status);
  for (const pb::BuiltinConfig& config : accelerators.accelerators()) {
    names.accelerators.push_back(config.name());
  }

  grpc::ClientContext networks_context;
  pb::ListNetworksResponse networks;
  status = stub->ListNetworks(&networks_context, pb::ListNetworksRequest(),
                              &networks);
  if (!status.ok()) return ServerError(server, status);
  for (const pb::BuiltinConfig& config : networks.networks()) {
    names.networks.push_back(config.name());
  }
  return names;
}

}  // namespace neurospector::cli
