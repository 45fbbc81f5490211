#include "server/tests/server_test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "core/cost_model.h"
#include "core/mapping.h"
#include "gtest/gtest.h"

namespace neurospector::server::testing {

std::string TestServer::Address() const {
  return absl::StrCat("127.0.0.1:", server->port());
}

std::unique_ptr<TestServer> StartTestServer(ServerOptions options) {
  options.listen_address = "127.0.0.1:0";
  options.metrics_address = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<SchedulingServer>> server =
      SchedulingServer::Start(std::move(options));
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return nullptr;

  auto test_server = std::make_unique<TestServer>();
  test_server->server = *std::move(server);
  test_server->channel = grpc::CreateChannel(
      test_server->Address(), grpc::InsecureChannelCredentials());
  test_server->stub = pb::Scheduler::NewStub(test_server->channel);
  return test_server;
}

absl::StatusOr<std::string> HttpGetMetrics(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    ::close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to port ", port));
  }
  const std::string request =
      "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, request.data(), request.size(), 0) !=
      static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return absl::InternalError("send() failed");
  }
  std::string response;
  char buffer[4096];
  for (;;) {
    const ssize_t received = ::recv(fd, buffer, sizeof(buffer), 0);
    if (received <= 0) break;
    response.append(buffer, static_cast<size_t>(received));
  }
  ::close(fd);

  const size_t body = response.find("\r\n\r\n");
  if (body == std::string::npos || response.rfind("HTTP/1.", 0) != 0) {
    return absl::InternalError(
        absl::StrCat("malformed HTTP response: ", response.substr(0, 200)));
  }
  const std::string status_line = response.substr(0, response.find("\r\n"));
  if (status_line.find(" 200") == std::string::npos) {
    return absl::InternalError(absl::StrCat("HTTP status: ", status_line));
  }
  return response.substr(body + 4);
}

absl::StatusOr<std::vector<Sample>> ParsePrometheusText(
    const std::string& text) {
  std::vector<Sample> samples;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("no value in: ", line));
    }
    Sample sample;
    absl::string_view series = line.substr(0, space);
    const absl::string_view value = line.substr(space + 1);
    if (value == "Nan" || value == "NaN") {
      sample.value = std::nan("");
    } else if (!absl::SimpleAtod(value, &sample.value)) {
      return absl::InvalidArgumentError(absl::StrCat("bad value in: ", line));
    }
    const size_t brace = series.find('{');
    sample.name = std::string(series.substr(0, brace));
    if (brace != absl::string_view::npos) {
      absl::string_view labels = series.substr(brace + 1);
      if (!absl::ConsumeSuffix(&labels, "}")) {
        return absl::InvalidArgumentError(absl::StrCat("bad labels: ", line));
      }
      for (absl::string_view pair : absl::StrSplit(labels, "\",")) {
        if (pair.empty()) continue;
        const size_t equals = pair.find("=\"");
        if (equals == absl::string_view::npos) {
          return absl::InvalidArgumentError(absl::StrCat("bad label: ", line));
        }
        absl::string_view label_value = pair.substr(equals + 2);
        absl::ConsumeSuffix(&label_value, "\"");
        sample.labels[std::string(pair.substr(0, equals))] =
            std::string(label_value);
      }
    }
    samples.push_back(std::move(sample));
  }
  return samples;
}

double SumSamples(const std::vector<Sample>& samples, const std::string& name,
                  const std::map<std::string, std::string>& labels) {
  double sum = 0;
  for (const Sample& sample : samples) {
    if (sample.name != name) continue;
    bool matches = true;
    for (const auto& [key, value] : labels) {
      const auto it = sample.labels.find(key);
      if (it == sample.labels.end() || it->second != value) matches = false;
    }
    if (matches) sum += sample.value;
  }
  return sum;
}

std::vector<Sample> Scrape(const SchedulingServer& server) {
  absl::StatusOr<std::string> text = HttpGetMetrics(server.metrics_port());
  EXPECT_TRUE(text.ok()) << text.status();
  if (!text.ok()) return {};
  absl::StatusOr<std::vector<Sample>> samples = ParsePrometheusText(*text);
  EXPECT_TRUE(samples.ok()) << samples.status();
  return samples.ok() ? *samples : std::vector<Sample>{};
}

absl::StatusOr<LayerResult> SlowBackend::SearchLayer(
    const Accelerator& accelerator, const Layer& layer,
    const SearchOptions& options, const StopToken& stop) {
  ++started;
  ++running;
  const absl::Time end = absl::Now() + duration_;
  while (absl::Now() < end) {
    if (stop.StopRequested()) {
      --running;
      return stop.StopStatus();
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
  LayerResult result;
  result.mapping = InitialMapping(accelerator, layer);
  CostModel(accelerator, layer).Evaluate(result.mapping, &result.evaluation);
  result.strategy = "slow";
  result.optimal =
      options.algorithm == SearchAlgorithm::kExact && !not_optimal.load();
  result.evaluated = 1;
  result.seconds = absl::ToDoubleSeconds(duration_);
  --running;
  return result;
}

absl::Status SlowBackend::SearchLayers(
    const Accelerator& accelerator, const std::vector<Layer>& layers,
    const SearchOptions& options, const StopToken& stop,
    const std::function<void(size_t, const LayerResult&)>& on_layer) {
  for (size_t i = 0; i < layers.size(); ++i) {
    absl::StatusOr<LayerResult> result =
        SearchLayer(accelerator, layers[i], options, stop);
    if (!result.ok()) return result.status();
    on_layer(i, *result);
  }
  return absl::OkStatus();
}

pb::Accelerator BuiltinAccelerator(const std::string& name) {
  pb::Accelerator accelerator;
  accelerator.set_builtin_name(name);
  return accelerator;
}

pb::Layer MakeLayerProto(const std::string& name, uint64_t k, uint64_t b,
                         uint64_t p, uint64_t q, uint64_t c, uint64_t r,
                         uint64_t s, uint64_t g, uint64_t stride) {
  pb::Layer layer;
  layer.set_name(name);
  layer.set_k(k);
  layer.set_b(b);
  layer.set_p(p);
  layer.set_q(q);
  layer.set_c(c);
  layer.set_r(r);
  layer.set_s(s);
  layer.set_g(g);
  layer.set_stride(stride);
  return layer;
}

pb::Layer Conv22Layer() {
  return MakeLayerProto("CONV_2_2", 64, 1, 56, 56, 64, 3, 3, 1, 1);
}

pb::AcceleratorSpec EyerissSpec() {
  pb::AcceleratorSpec spec;
  spec.set_name("eyeriss-structured");
  spec.set_precision_bits(16);
  spec.set_frequency_mhz(200);
  spec.set_unit_mac_energy_pj(2.2);
  spec.set_unit_mac_static_mw(0.0132);

  pb::MemoryLevelSpec* local = spec.mutable_local_buffer();
  local->set_dataflow(pb::DATAFLOW_WEIGHT_STATIONARY);
  for (double size : {24, 448, 48}) local->add_buffer_size_bytes(size);
  for (double energy : {0.19, 0.63, 0.25})
    local->add_unit_access_energy_pj(energy);
  for (double power : {0.0000006, 0.000027, 0.000007}) {
    local->add_unit_static_power_mw(power);
  }
  for (double cycle : {1, 1, 1}) local->add_unit_cycle(cycle);
  local->set_bandwidth_bits(16);

  spec.mutable_pe_array()->set_size_x(14);
  spec.mutable_pe_array()->set_size_y(12);

  pb::MemoryLevelSpec* global = spec.mutable_global_buffer();
  global->set_dataflow(pb::DATAFLOW_OUTPUT_STATIONARY);
  global->add_buffer_size_bytes(102400);
  global->add_bypass(pb::DATA_TYPE_WEIGHT);
  for (double energy : {5.27, 1.42, 5.27})
    global->add_unit_access_energy_pj(energy);
  for (double power : {0.006047, 0.000387, 0.006047}) {
    global->add_unit_static_power_mw(power);
  }
  for (double cycle : {1, 1, 1}) global->add_unit_cycle(cycle);
  global->set_bandwidth_bits(64);

  pb::MemoryLevelSpec* dram = spec.mutable_dram();
  dram->add_buffer_size_bytes(4194304);
  for (double energy : {128, 128, 128}) dram->add_unit_access_energy_pj(energy);
  for (double power : {0.008, 0.008, 0.008})
    dram->add_unit_static_power_mw(power);
  for (double cycle : {8, 8, 8}) dram->add_unit_cycle(cycle);
  dram->set_bandwidth_bits(64);
  return spec;
}

}  // namespace neurospector::server::testing
