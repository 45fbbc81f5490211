// Helpers for the server tests: an in-process server on 127.0.0.1 with
// free ports, a scraper for its /metrics page, fake search backends and
// request builders.

#ifndef NEUROSPECTOR_SERVER_TESTS_SERVER_TEST_SUPPORT_H_
#define NEUROSPECTOR_SERVER_TESTS_SERVER_TEST_SUPPORT_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "neurospector/v1/scheduler.grpc.pb.h"
#include "server/search_engine.h"
#include "server/server.h"

namespace neurospector::server::testing {

// A server bound to 127.0.0.1:0 with its metrics on 127.0.0.1:0, and a
// stub connected to it.
struct TestServer {
  std::unique_ptr<SchedulingServer> server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<pb::Scheduler::Stub> stub;

  std::string Address() const;
};

// Starts a TestServer with `options` (addresses are overridden).
std::unique_ptr<TestServer> StartTestServer(ServerOptions options = {});

// Returns the body of GET /metrics from 127.0.0.1:`port`, or an error.
absl::StatusOr<std::string> HttpGetMetrics(int port);

// One sample of the Prometheus text format.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses the sample lines of the Prometheus text exposition format.
// INVALID_ARGUMENT names a malformed line.
absl::StatusOr<std::vector<Sample>> ParsePrometheusText(
    const std::string& text);

// Sum of the samples named `name` whose labels include `labels`.
double SumSamples(const std::vector<Sample>& samples, const std::string& name,
                  const std::map<std::string, std::string>& labels = {});

// Scrapes and parses the server's metrics (test failure on error).
std::vector<Sample> Scrape(const SchedulingServer& server);

// A backend whose searches take `duration` (polling the stop token every
// millisecond) and return the layer's initial table, counting calls.
class SlowBackend : public SearchBackend {
 public:
  explicit SlowBackend(absl::Duration duration) : duration_(duration) {}

  absl::StatusOr<LayerResult> SearchLayer(const Accelerator& accelerator,
                                          const Layer& layer,
                                          const SearchOptions& options,
                                          const StopToken& stop) override;
  absl::Status SearchLayers(
      const Accelerator& accelerator, const std::vector<Layer>& layers,
      const SearchOptions& options, const StopToken& stop,
      const std::function<void(size_t, const LayerResult&)>& on_layer) override;

  // Searches started and searches running now.
  std::atomic<int> started{0};
  std::atomic<int> running{0};
  // Set to make every search report optimal = false (an exact search
  // stopped by its time limit).
  std::atomic<bool> not_optimal{false};

 private:
  const absl::Duration duration_;
};

// Request pieces.
pb::Accelerator BuiltinAccelerator(const std::string& name);
pb::Layer MakeLayerProto(const std::string& name, uint64_t k, uint64_t b,
                         uint64_t p, uint64_t q, uint64_t c, uint64_t r,
                         uint64_t s, uint64_t g, uint64_t stride);
// ResNet-50 CONV_2_2 (64, 1, 56, 56, 64, 3, 3, 1, stride 1).
pb::Layer Conv22Layer();

// The structured form of the built-in eyeriss.cfg, field by field.
pb::AcceleratorSpec EyerissSpec();

}  // namespace neurospector::server::testing

#endif  // NEUROSPECTOR_SERVER_TESTS_SERVER_TEST_SUPPORT_H_
