// neurospector-server: serves the scheduling API over gRPC and its metrics
// over HTTP until SIGTERM or SIGINT, then drains the calls in flight.

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/logging.h"
#include "server/server.h"
#include "server/server_flags.h"

namespace neurospector::server {
namespace {

constexpr int kExitInvalidFlag = 2;

// Blocks SIGTERM and SIGINT in this thread and in every thread it starts
// later, so that only WaitForSignal() receives them.
sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int WaitForSignal(const sigset_t& signals) {
  int signal_number = 0;
  while (sigwait(&signals, &signal_number) != 0) {
  }
  return signal_number;
}

// "threads=0 cache-entries=10000 ...": the effective settings.
std::string DescribeSettings(const ServerFlags& flags) {
  const ServerOptions& options = flags.options;
  return absl::StrCat(
      "threads=", options.threads,
      " cache-entries=", options.engine.cache_entries,
      " max-concurrent-searches=", options.engine.max_concurrent_searches,
      " shutdown-grace=", absl::FormatDuration(flags.shutdown_grace));
}

int Run(ServerFlags flags) {
  const sigset_t signals = BlockShutdownSignals();
  const absl::Duration grace = flags.shutdown_grace;
  const std::string settings = DescribeSettings(flags);
  const std::string listen_address = flags.options.listen_address;
  const std::string metrics_address = flags.options.metrics_address;

  absl::StatusOr<std::unique_ptr<SchedulingServer>> server =
      SchedulingServer::Start(std::move(flags.options));
  if (!server.ok()) {
    NS_LOG(ERROR) << "cannot start: " << server.status();
    return EXIT_FAILURE;
  }
  const std::string metrics =
      metrics_address.empty()
          ? std::string("disabled")
          : absl::StrCat("on http://", metrics_address, "/metrics (port ",
                         (*server)->metrics_port(), ")");
  NS_LOG(INFO) << "neurospector-server listening on " << listen_address
               << " (port " << (*server)->port() << "), metrics " << metrics
               << "; " << settings;

  const int signal_number = WaitForSignal(signals);
  NS_LOG(INFO) << "received "
               << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
               << "; draining calls in flight for up to "
               << absl::FormatDuration(grace);
  (*server)->Shutdown(grace);
  (*server)->Wait();
  server->reset();
  NS_LOG(INFO) << "neurospector-server stopped";
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace neurospector::server

int main(int argc, char** argv) {
  using neurospector::server::kExitInvalidFlag;
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<neurospector::server::ServerFlags> flags =
      neurospector::server::ParseServerFlags(args);
  if (!flags.ok()) {
    std::cerr << "error: " << flags.status().message() << "\n";
    return kExitInvalidFlag;
  }
  if (flags->help) {
    std::cout << neurospector::server::kServerUsage;
    return EXIT_SUCCESS;
  }
  return neurospector::server::Run(*std::move(flags));
}
