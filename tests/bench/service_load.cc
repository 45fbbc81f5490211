// Load generator for neurospector-server. Starts a server in-process on
// 127.0.0.1 (or uses --server HOST:PORT, which must be a loopback address
// of this machine) and measures:
//
//   --mode cached    ScheduleLayer of one layer already in the cache, over
//                    --streams channels (one connection each) with gRPC's
//                    callback API, for --seconds: throughput, latency
//                    percentiles and status codes. With --rate R one
//                    thread sends R requests per second on a fixed
//                    schedule, round robin over the streams, and each
//                    latency is measured from the request's scheduled
//                    time, so that a late server is not hidden by late
//                    sends. Without it each stream keeps one call in
//                    flight.
//   --mode uncached  ScheduleLayer of each ResNet-50 layer on eyeriss with
//                    the cache disabled, one request at a time: the search
//                    latency per layer.
//
//   ./bin/service_load --mode cached --streams 16 --seconds 10

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/inputs.h"
#include "grpcpp/grpcpp.h"
#include "neurospector/v1/scheduler.grpc.pb.h"
#include "server/server.h"

namespace neurospector {
namespace {

namespace pb = ::neurospector::v1;

struct Options {
  std::string server;  // empty: start one in-process
  std::string mode = "cached";
  int streams = 16;
  double seconds = 10;
  // Cached mode: total requests per second, spread evenly over the
  // streams; 0 sends as fast as each stream can (closed loop).
  double rate = 0;
};

pb::ScheduleLayerRequest LayerRequest(const Layer& layer) {
  pb::ScheduleLayerRequest request;
  request.mutable_accelerator()->set_builtin_name("eyeriss");
  pb::Layer* proto = request.mutable_layer();
  proto->set_name(layer.name);
  proto->set_k(layer.shape.k);
  proto->set_b(layer.shape.b);
  proto->set_p(layer.shape.p);
  proto->set_q(layer.shape.q);
  proto->set_c(layer.shape.c);
  proto->set_r(layer.shape.r);
  proto->set_s(layer.shape.s);
  proto->set_g(layer.shape.g);
  proto->set_stride(layer.shape.stride);
  return request;
}

double Percentile(std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1,
                                static_cast<size_t>(fraction * sorted.size()));
  return sorted[index];
}

// One ScheduleLayer call in flight from the callback client.
struct PendingCall {
  grpc::ClientContext context;
  pb::ScheduleLayerResponse response;
  absl::Time sent;
  int stream = 0;
};

// Latencies and status codes of the callback client, filled from gRPC's
// callback threads.
class CallLog {
 public:
  void Record(const PendingCall& call, const grpc::Status& status) {
    const double us = absl::ToDoubleMicroseconds(absl::Now() - call.sent);
    const std::lock_guard<std::mutex> lock(mutex_);
    latencies_.push_back(us);
    ++codes_[status.error_code()];
    if (status.ok() && !call.response.schedule().cache_hit()) ++cache_misses_;
    --in_flight_;
    if (in_flight_ == 0) idle_.notify_all();
  }
  void Started() {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++in_flight_;
  }
  void WaitIdle() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return in_flight_ == 0; });
  }
  std::vector<double> latencies() const { return latencies_; }
  const std::map<int, int>& codes() const { return codes_; }
  int cache_misses() const { return cache_misses_; }

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  std::vector<double> latencies_;
  std::map<int, int> codes_;
  int cache_misses_ = 0;
  int in_flight_ = 0;
};

// Sends ScheduleLayer calls with gRPC's callback API, round robin over
// `streams` channels (one connection each), from one thread. Paced: one
// call every 1/rate seconds, its latency measured from that scheduled
// time. Closed loop: each stream sends its next call when the previous
// one returns.
class CallbackClient {
 public:
  CallbackClient(const std::string& address, int streams,
                 const pb::ScheduleLayerRequest& request)
      : request_(request) {
    for (int stream = 0; stream < streams; ++stream) {
      grpc::ChannelArguments arguments;
      arguments.SetInt("grpc.channel_id", stream);
      stubs_.push_back(pb::Scheduler::NewStub(grpc::CreateCustomChannel(
          address, grpc::InsecureChannelCredentials(), arguments)));
    }
  }

  void RunPaced(double rate, absl::Time end) {
    const absl::Duration interval = absl::Seconds(1 / rate);
    absl::Time scheduled = absl::Now();
    for (size_t i = 0; scheduled < end; ++i, scheduled += interval) {
      absl::SleepFor(scheduled - absl::Now());
      Send(static_cast<int>(i % stubs_.size()), scheduled, absl::Time());
    }
    log_.WaitIdle();
  }

  void RunClosedLoop(absl::Time end) {
    for (int stream = 0; stream < static_cast<int>(stubs_.size()); ++stream) {
      Send(stream, absl::Now(), end);
    }
    log_.WaitIdle();
  }

  const CallLog& log() const { return log_; }

 private:
  // Sends one call on `stream`; with `repeat_until` set, its completion
  // sends the next one until then.
  void Send(int stream, absl::Time sent, absl::Time repeat_until) {
    auto* call = new PendingCall;
    call->sent = sent;
    call->stream = stream;
    log_.Started();
    stubs_[stream]->async()->ScheduleLayer(
        &call->context, &request_, &call->response,
        [this, call, repeat_until](grpc::Status status) {
          log_.Record(*call, status);
          const int stream = call->stream;
          delete call;
          if (absl::Now() < repeat_until) {
            Send(stream, absl::Now(), repeat_until);
          }
        });
  }

  const pb::ScheduleLayerRequest request_;
  std::vector<std::unique_ptr<pb::Scheduler::Stub>> stubs_;
  CallLog log_;
};

int RunCached(const Options& options, const std::string& address,
              const Layer& layer) {
  const pb::ScheduleLayerRequest request = LayerRequest(layer);
  {
    auto stub = pb::Scheduler::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    pb::ScheduleLayerResponse response;
    const grpc::Status status =
        stub->ScheduleLayer(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "priming request failed: %s\n",
                   status.error_message().c_str());
      return 1;
    }
  }

  CallbackClient client(address, options.streams, request);
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::Seconds(options.seconds);
  if (options.rate > 0) {
    client.RunPaced(options.rate, end);
  } else {
    client.RunClosedLoop(end);
  }
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);

  std::vector<double> all = client.log().latencies();
  const std::map<int, int>& all_codes = client.log().codes();
  std::sort(all.begin(), all.end());
  const std::string rate =
      options.rate > 0 ? absl::StrCat(options.rate, "/s") : "unpaced";
  std::printf(
      "cached ScheduleLayer, %d streams, rate %s, %.1f s: %zu "
      "requests, %.0f requests/s\n",
      options.streams, rate.c_str(), elapsed, all.size(), all.size() / elapsed);
  std::printf(
      "latency us: p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f\n",
      Percentile(all, 0.5), Percentile(all, 0.9), Percentile(all, 0.99),
      Percentile(all, 0.999), all.empty() ? 0 : all.back());
  for (const auto& [code, count] : all_codes) {
    std::printf("gRPC status %d: %d\n", code, count);
  }
  std::printf("responses not from the cache: %d\n",
              client.log().cache_misses());
  return all_codes.size() == 1 && all_codes.count(0) == 1 ? 0 : 1;
}

int RunUncached(const std::string& address, const Network& network) {
  auto stub = pb::Scheduler::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  std::printf("%-10s %12s %12s %10s\n", "layer", "latency ms", "search ms",
              "cache hit");
  double total = 0;
  for (const Layer& layer : network.layers) {
    grpc::ClientContext context;
    pb::ScheduleLayerResponse response;
    const absl::Time sent = absl::Now();
    const grpc::Status status =
        stub->ScheduleLayer(&context, LayerRequest(layer), &response);
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - sent);
    if (!status.ok()) {
      std::fprintf(stderr, "%s failed: %s\n", layer.name.c_str(),
                   status.error_message().c_str());
      return 1;
    }
    total += ms;
    std::printf("%-10s %12.2f %12.2f %10s\n", layer.name.c_str(), ms,
                response.schedule().statistics().search_seconds() * 1000,
                response.schedule().cache_hit() ? "yes" : "no");
  }
  std::printf("total %.1f ms for %zu layers\n", total, network.layers.size());
  return 0;
}

// The load generator only ever targets this machine.
bool IsLoopbackAddress(const std::string& address) {
  return absl::StartsWith(address, "127.") ||
         absl::StartsWith(address, "localhost:") ||
         absl::StartsWith(address, "[::1]:");
}

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--server") {
      if (!IsLoopbackAddress(value)) {
        std::fprintf(stderr,
                     "invalid --server %s: expected a loopback address "
                     "(127.x.x.x:PORT, localhost:PORT or [::1]:PORT)\n",
                     value.c_str());
        return false;
      }
      options->server = value;
    } else if (name == "--mode" && (value == "cached" || value == "uncached")) {
      options->mode = value;
    } else if (name == "--streams" &&
               absl::SimpleAtoi(value, &options->streams) &&
               options->streams > 0) {
    } else if (name == "--rate" && absl::SimpleAtod(value, &options->rate) &&
               options->rate >= 0) {
    } else if (name == "--seconds" &&
               absl::SimpleAtod(value, &options->seconds) &&
               options->seconds > 0) {
    } else {
      std::fprintf(stderr, "invalid option %s %s\n", name.c_str(),
                   value.c_str());
      return false;
    }
  }
  return argc % 2 == 1;
}

int Main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    std::fprintf(
        stderr,
        "usage: service_load [--mode cached|uncached] [--streams N] "
        "[--seconds S] [--rate REQUESTS_PER_S] [--server HOST:PORT]\n");
    return 2;
  }
  absl::StatusOr<Network> network = LoadNetwork("resnet50");
  if (!network.ok()) return 1;

  std::unique_ptr<server::SchedulingServer> server;
  std::string address = options.server;
  if (address.empty()) {
    server::ServerOptions server_options;
    server_options.listen_address = "127.0.0.1:0";
    server_options.metrics_address = "";
    if (options.mode == "uncached") server_options.engine.cache_entries = 0;
    absl::StatusOr<std::unique_ptr<server::SchedulingServer>> started =
        server::SchedulingServer::Start(std::move(server_options));
    if (!started.ok()) {
      std::fprintf(stderr, "%s\n", started.status().ToString().c_str());
      return 1;
    }
    server = *std::move(started);
    address = absl::StrCat("127.0.0.1:", server->port());
  }
  return options.mode == "cached"
             ? RunCached(options, address, network->layers[2])
             : RunUncached(address, *network);
}

}  // namespace
}  // namespace neurospector

int main(int argc, char** argv) { return neurospector::Main(argc, argv); }
