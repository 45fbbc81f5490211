#include "server/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/logging.h"
#include "core/status_macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

namespace neurospector::server {
namespace {

absl::StatusOr<std::unique_ptr<prometheus::Exposer>> StartExposer(
    const std::string& address,
    const std::shared_ptr<prometheus::Registry>& registry, int* port) {
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(address, 2);
  } catch (const std::exception& error) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on \"",
                                               address, "\": ", error.what()));
  }
  exposer->RegisterCollectable(registry);
  const std::vector<int> ports = exposer->GetListeningPorts();
  *port = ports.empty() ? 0 : ports.front();
  return exposer;
}

// Opens and closes one TCP connection to 127.0.0.1:`port`.
void TouchLoopbackPort(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ::close(fd);
}

// Destroys `exposer`. Its HTTP server (civetweb 1.15) notices the stop
// only when its accept loop wakes up, which takes up to 2 s when idle. So
// when the endpoint listens on a loopback or wildcard address, a helper
// thread wakes it with connections on 127.0.0.1.
void StopExposer(std::unique_ptr<prometheus::Exposer> exposer,
                 const std::string& address, int port) {
  const bool reachable_on_loopback = absl::StartsWith(address, "127.0.0.1:") ||
                                     absl::StartsWith(address, "localhost:") ||
                                     absl::StartsWith(address, "0.0.0.0:");
  std::atomic<bool> stopped{false};
  std::thread waker;
  if (reachable_on_loopback && port > 0) {
    waker = std::thread([&stopped, port] {
      while (!stopped.load()) {
        TouchLoopbackPort(port);
        absl::SleepFor(absl::Milliseconds(20));
      }
    });
  }
  exposer.reset();
  stopped = true;
  if (waker.joinable()) waker.join();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SchedulingServer>> SchedulingServer::Start(
    ServerOptions options) {
  std::unique_ptr<SchedulingServer> server(new SchedulingServer());
  server->metrics_ = std::make_unique<ServerMetrics>();

  absl::StatusOr<std::unique_ptr<BuiltinCatalog>> catalog =
      BuiltinCatalog::Create();
  if (!catalog.ok()) {
    return absl::InternalError(
        absl::StrCat("a built-in configuration does not load: ",
                     catalog.status().message()));
  }
  server->catalog_ = *std::move(catalog);
  server->watcher_ = std::make_unique<CancellationWatcher>();
  std::unique_ptr<SearchBackend> backend =
      options.backend != nullptr ? std::move(options.backend)
                                 : MakeSchedulerBackend(options.threads);
  server->engine_ = std::make_unique<SearchEngine>(
      options.engine, std::move(backend), server->metrics_.get());
  server->service_ = std::make_unique<SchedulerService>(
      server->catalog_.get(), server->engine_.get(), server->metrics_.get(),
      server->watcher_.get());

  server->metrics_address_ = options.metrics_address;
  if (!options.metrics_address.empty()) {
    NS_ASSIGN_OR_RETURN(
        server->exposer_,
        StartExposer(options.metrics_address, server->metrics_->registry,
                     &server->metrics_port_));
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &server->port_);
  builder.SetMaxReceiveMessageSize(kMaxTransportMessageBytes);
  builder.RegisterService(server->service_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on \"", options.listen_address,
        "\"; check that the address is HOST:PORT and the port is free"));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

SchedulingServer::~SchedulingServer() {
  Shutdown(absl::ZeroDuration());
  Wait();
  if (exposer_ != nullptr) {
    StopExposer(std::move(exposer_), metrics_address_, metrics_port_);
  }
}

void SchedulingServer::Shutdown(absl::Duration grace) {
  std::call_once(shutdown_once_, [&] {
    if (server_ == nullptr) return;
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  });
}

void SchedulingServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace neurospector::server
