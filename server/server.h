// The neurospector scheduling server: the gRPC service with the standard
// health service and server reflection, and the Prometheus /metrics
// endpoint.

#ifndef NEUROSPECTOR_SERVER_SERVER_H_
#define NEUROSPECTOR_SERVER_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "prometheus/exposer.h"
#include "server/cancellation.h"
#include "server/convert.h"
#include "server/metrics.h"
#include "server/search_engine.h"
#include "server/service.h"

namespace neurospector::server {

struct ServerOptions {
  // gRPC address, HOST:PORT; port 0 picks a free port (see port()).
  std::string listen_address = "127.0.0.1:50051";
  // Address of the HTTP /metrics endpoint; empty: no endpoint. Port 0 picks
  // a free port (see metrics_port()).
  std::string metrics_address = "127.0.0.1:9464";
  // TBB worker threads of the searches; 0: one per hardware thread.
  int threads = 0;
  EngineOptions engine;
  // Test hook: runs the searches instead of core's Scheduler when set.
  std::unique_ptr<SearchBackend> backend;
};

class SchedulingServer {
 public:
  // Starts serving. UNAVAILABLE when an address cannot be bound,
  // INTERNAL when a built-in configuration does not parse.
  static absl::StatusOr<std::unique_ptr<SchedulingServer>> Start(
      ServerOptions options);

  // Shuts down (if not done already) and waits for the server.
  ~SchedulingServer();

  SchedulingServer(const SchedulingServer&) = delete;
  SchedulingServer& operator=(const SchedulingServer&) = delete;

  // Bound ports (useful with port 0); metrics_port() is 0 without a
  // metrics endpoint.
  int port() const { return port_; }
  int metrics_port() const { return metrics_port_; }

  // Reports NOT_SERVING on the health service, stops accepting calls,
  // waits up to `grace` for the calls in flight to finish, then cancels the
  // rest (their searches stop) and returns when all have ended.
  // Thread-safe; later calls do nothing.
  void Shutdown(absl::Duration grace);

  // Blocks until the server has shut down.
  void Wait();

  ServerMetrics& metrics() { return *metrics_; }
  SearchEngine& engine() { return *engine_; }

 private:
  SchedulingServer() = default;

  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<BuiltinCatalog> catalog_;
  std::unique_ptr<CancellationWatcher> watcher_;
  std::unique_ptr<SearchEngine> engine_;
  std::unique_ptr<SchedulerService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string metrics_address_;
  int port_ = 0;
  int metrics_port_ = 0;
  std::once_flag shutdown_once_;
};

}  // namespace neurospector::server

#endif  // NEUROSPECTOR_SERVER_SERVER_H_
