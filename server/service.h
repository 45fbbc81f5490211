// The gRPC service: one thin handler per RPC that validates and converts
// the request (convert.h), calls the core or the search engine, and maps
// the result back. Every handler counts its status in
// neurospector_rpc_requests_total and logs the errors it returns.

#ifndef NEUROSPECTOR_SERVER_SERVICE_H_
#define NEUROSPECTOR_SERVER_SERVICE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/search/search_types.h"
#include "grpcpp/grpcpp.h"
#include "neurospector/v1/scheduler.grpc.pb.h"
#include "server/cancellation.h"
#include "server/convert.h"
#include "server/metrics.h"
#include "server/search_engine.h"

namespace neurospector::server {

class SchedulerService final : public pb::Scheduler::Service {
 public:
  // Every argument must outlive the service.
  SchedulerService(const BuiltinCatalog* catalog, SearchEngine* engine,
                   ServerMetrics* metrics, CancellationWatcher* watcher);

  grpc::Status ScheduleLayer(grpc::ServerContext* context,
                             const pb::ScheduleLayerRequest* request,
                             pb::ScheduleLayerResponse* response) override;
  grpc::Status ScheduleNetwork(
      grpc::ServerContext* context, const pb::ScheduleNetworkRequest* request,
      grpc::ServerWriter<pb::ScheduleNetworkResponse>* writer) override;
  grpc::Status Evaluate(grpc::ServerContext* context,
                        const pb::EvaluateRequest* request,
                        pb::EvaluateResponse* response) override;
  grpc::Status ListAccelerators(
      grpc::ServerContext* context, const pb::ListAcceleratorsRequest* request,
      pb::ListAcceleratorsResponse* response) override;
  grpc::Status ListNetworks(grpc::ServerContext* context,
                            const pb::ListNetworksRequest* request,
                            pb::ListNetworksResponse* response) override;

 private:
  absl::Status DoScheduleLayer(const StopToken& stop,
                               const pb::ScheduleLayerRequest& request,
                               pb::ScheduleLayerResponse* response);
  absl::Status DoScheduleNetwork(
      const StopToken& stop, const pb::ScheduleNetworkRequest& request,
      grpc::ServerWriter<pb::ScheduleNetworkResponse>* writer);
  absl::Status DoEvaluate(const pb::EvaluateRequest& request,
                          pb::EvaluateResponse* response);

  // Counts and logs the outcome of `method` and converts it for gRPC.
  grpc::Status Finish(absl::string_view method, grpc::ServerContext* context,
                      const absl::Status& status);

  const BuiltinCatalog& catalog_;
  SearchEngine& engine_;
  ServerMetrics& metrics_;
  CancellationWatcher& watcher_;
};

}  // namespace neurospector::server

#endif  // NEUROSPECTOR_SERVER_SERVICE_H_
