// End-to-end tests of the gRPC service on a server started in-process on
// 127.0.0.1 with free ports.

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "core/analysis.h"
#include "core/inputs.h"
#include "core/search/scheduler.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/tests/server_test_support.h"

namespace neurospector::server {
namespace {

using testing::BuiltinAccelerator;
using testing::Conv22Layer;
using testing::EyerissSpec;
using ::testing::HasSubstr;
using testing::MakeLayerProto;
using testing::Scrape;
using testing::StartTestServer;
using testing::SumSamples;

std::string ReadSourceFile(const std::string& relative) {
  absl::StatusOr<std::string> text =
      ReadTextFile(absl::StrCat(NEUROSPECTOR_SOURCE_DIR, "/", relative));
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

double ResultValue(const pb::CostReport& report, const std::string& key) {
  for (const pb::ResultValue& value : report.results()) {
    if (value.key() != key) continue;
    return value.has_count() ? static_cast<double>(value.count())
                             : value.number();
  }
  ADD_FAILURE() << "no result " << key;
  return 0;
}

pb::ScheduleLayerRequest LayerRequest(const pb::Accelerator& accelerator,
                                      const pb::Layer& layer) {
  pb::ScheduleLayerRequest request;
  *request.mutable_accelerator() = accelerator;
  *request.mutable_layer() = layer;
  return request;
}

TEST(Service, ListsBuiltinConfigurations) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);

  grpc::ClientContext accelerators_context;
  pb::ListAcceleratorsRequest accelerators_request;
  accelerators_request.set_include_text(true);
  pb::ListAcceleratorsResponse accelerators;
  ASSERT_TRUE(server->stub
                  ->ListAccelerators(&accelerators_context,
                                     accelerators_request, &accelerators)
                  .ok());
  std::vector<std::string> names;
  for (const pb::BuiltinConfig& config : accelerators.accelerators()) {
    names.push_back(config.name());
    EXPECT_THAT(config.text(), HasSubstr("[ACCELERATOR]"));
  }
  EXPECT_EQ(names, BuiltinAcceleratorNames());

  grpc::ClientContext networks_context;
  pb::ListNetworksResponse networks;
  ASSERT_TRUE(server->stub
                  ->ListNetworks(&networks_context, pb::ListNetworksRequest(),
                                 &networks)
                  .ok());
  names.clear();
  for (const pb::BuiltinConfig& config : networks.networks()) {
    names.push_back(config.name());
    EXPECT_TRUE(config.text().empty());
  }
  EXPECT_EQ(names, BuiltinNetworkNames());
}

TEST(Service, EvaluateMatchesTheAnalyzer) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  const std::string table_text =
      ReadSourceFile("configs/scheduling_tables/eyeriss_sample.cfg");

  pb::EvaluateRequest request;
  *request.mutable_accelerator() = BuiltinAccelerator("eyeriss");
  request.mutable_network_layer()->mutable_network()->set_builtin_name(
      "resnet50");
  request.mutable_table_cfg()->set_text(table_text);
  grpc::ClientContext context;
  pb::EvaluateResponse response;
  const grpc::Status status =
      server->stub->Evaluate(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  absl::StatusOr<Accelerator> accelerator = LoadAccelerator("eyeriss");
  absl::StatusOr<Network> network = LoadNetwork("resnet50");
  absl::StatusOr<TableFile> table =
      ParseTableText(table_text, "sample", *accelerator);
  ASSERT_TRUE(table.ok());
  absl::StatusOr<Analysis> analysis =
      AnalyzeTable(*accelerator, *network, *table, std::nullopt);
  ASSERT_TRUE(analysis.ok());

  EXPECT_EQ(response.accelerator_name(), "eyeriss");
  EXPECT_EQ(response.layer().layer().name(), "CONV_1");
  EXPECT_EQ(response.layer().index(), 1u);
  EXPECT_EQ(response.report().valid(), analysis->evaluation.valid());
  EXPECT_EQ(ResultValue(response.report(), "total_energy"),
            analysis->evaluation.total_energy());
  EXPECT_EQ(ResultValue(response.report(), "total_cycle"),
            analysis->evaluation.total_cycles);

  // The returned rows evaluate to the same figures for the layer itself.
  pb::EvaluateRequest rows_request;
  *rows_request.mutable_accelerator() = BuiltinAccelerator("eyeriss");
  *rows_request.mutable_layer() = response.layer().layer();
  *rows_request.mutable_table() = response.table();
  grpc::ClientContext rows_context;
  pb::EvaluateResponse rows_response;
  const grpc::Status rows_status =
      server->stub->Evaluate(&rows_context, rows_request, &rows_response);
  ASSERT_TRUE(rows_status.ok()) << rows_status.error_message();
  EXPECT_EQ(ResultValue(rows_response.report(), "total_energy"),
            analysis->evaluation.total_energy());
}

TEST(Service, ScheduleLayerMatchesCoreThenHitsCache) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  const pb::ScheduleLayerRequest request =
      LayerRequest(BuiltinAccelerator("eyeriss"), Conv22Layer());

  grpc::ClientContext first_context;
  pb::ScheduleLayerResponse first;
  const grpc::Status status =
      server->stub->ScheduleLayer(&first_context, request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(first.schedule().cache_hit());

  absl::StatusOr<Accelerator> eyeriss = LoadAccelerator("eyeriss");
  absl::StatusOr<Layer> layer = MakeLayer(
      "CONV_2_2", LayerShape{64, 1, 56, 56, 64, 3, 3, 1, 1}, "CONV_2_2");
  Scheduler scheduler(1);
  absl::StatusOr<LayerResult> expected =
      scheduler.ScheduleLayer(*eyeriss, *layer, SearchOptions(), StopToken());
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(ResultValue(first.schedule().report(), "total_energy"),
            expected->evaluation.total_energy());
  EXPECT_EQ(first.schedule().strategy(), expected->strategy);
  EXPECT_EQ(first.schedule().statistics().tables_evaluated(),
            expected->evaluated);

  grpc::ClientContext second_context;
  pb::ScheduleLayerResponse second;
  ASSERT_TRUE(
      server->stub->ScheduleLayer(&second_context, request, &second).ok());
  EXPECT_TRUE(second.schedule().cache_hit());
  EXPECT_EQ(second.schedule().table().DebugString(),
            first.schedule().table().DebugString());

  const std::vector<testing::Sample> samples = Scrape(*server->server);
  EXPECT_EQ(SumSamples(samples, "neurospector_cache_lookups_total",
                       {{"result", "hit"}}),
            1);
  EXPECT_EQ(SumSamples(samples, "neurospector_cache_lookups_total",
                       {{"result", "miss"}}),
            1);
  EXPECT_EQ(SumSamples(samples, "neurospector_rpc_requests_total",
                       {{"method", "ScheduleLayer"}, {"code", "OK"}}),
            2);
  EXPECT_EQ(SumSamples(samples, "neurospector_search_duration_seconds_count",
                       {{"rpc", "ScheduleLayer"},
                        {"search", "bottom-up"},
                        {"metric", "energy"}}),
            1);
  EXPECT_EQ(SumSamples(samples, "neurospector_tables_evaluated_total"),
            static_cast<double>(expected->evaluated));
}

TEST(Service, ProvenOptimalExactResultIsCached) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  pb::ScheduleLayerRequest request =
      LayerRequest(BuiltinAccelerator("eyeriss"),
                   MakeLayerProto("FC_1", 1000, 1, 1, 1, 2048, 1, 1, 1, 0));
  request.mutable_options()->set_algorithm(pb::SEARCH_ALGORITHM_EXACT);
  for (int run = 0; run < 2; ++run) {
    SCOPED_TRACE(run);
    grpc::ClientContext context;
    pb::ScheduleLayerResponse response;
    const grpc::Status status =
        server->stub->ScheduleLayer(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(response.schedule().optimal());
    EXPECT_EQ(response.schedule().strategy(), "optimal");
    EXPECT_EQ(response.schedule().cache_hit(), run == 1);
  }
  EXPECT_EQ(SumSamples(Scrape(*server->server),
                       "neurospector_search_duration_seconds_count",
                       {{"search", "exact"}}),
            1);
}

TEST(Service, ScheduleNetworkSearchesEachShapeOnce) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  absl::StatusOr<Network> resnet = LoadNetwork("resnet50");
  ASSERT_TRUE(resnet.ok());
  std::set<std::pair<RowValues, uint32_t>> shapes;
  for (const Layer& layer : resnet->layers) {
    shapes.emplace(layer.params, layer.stride);
  }

  pb::ScheduleNetworkRequest request;
  *request.mutable_accelerator() = BuiltinAccelerator("eyeriss");
  request.mutable_network()->set_builtin_name("resnet50");
  for (int run = 0; run < 2; ++run) {
    SCOPED_TRACE(run == 0 ? "first run" : "second run");
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<pb::ScheduleNetworkResponse>> reader =
        server->stub->ScheduleNetwork(&context, request);
    std::vector<pb::ScheduleNetworkResponse> messages;
    pb::ScheduleNetworkResponse message;
    while (reader->Read(&message)) messages.push_back(message);
    const grpc::Status status = reader->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();

    ASSERT_EQ(messages.size(), resnet->layers.size() + 1);
    std::set<uint32_t> indexes;
    double energy = 0;
    for (size_t i = 0; i + 1 < messages.size(); ++i) {
      ASSERT_TRUE(messages[i].has_layer());
      const pb::LayerSchedule& layer = messages[i].layer();
      indexes.insert(layer.layer().index());
      EXPECT_EQ(layer.layer().layer().name(),
                resnet->layers[layer.layer().index() - 1].name);
      EXPECT_EQ(layer.cache_hit(), run == 1);
      energy += ResultValue(layer.report(), "total_energy");
    }
    EXPECT_EQ(indexes.size(), resnet->layers.size());

    ASSERT_TRUE(messages.back().has_summary());
    const pb::NetworkSummary& summary = messages.back().summary();
    EXPECT_EQ(summary.network_name(), "resnet50");
    EXPECT_EQ(summary.layer_count(), resnet->layers.size());
    EXPECT_EQ(summary.distinct_shapes(), shapes.size());
    EXPECT_EQ(summary.searches_run(), run == 0 ? shapes.size() : 0u);
    EXPECT_EQ(summary.cache_hits(), run == 0 ? 0u : shapes.size());
    EXPECT_NEAR(summary.total_energy_pj(), energy, 1e-6 * energy);
  }

  const std::vector<testing::Sample> samples = Scrape(*server->server);
  EXPECT_EQ(SumSamples(samples, "neurospector_search_duration_seconds_count",
                       {{"rpc", "ScheduleNetwork"}}),
            static_cast<double>(shapes.size()));
  EXPECT_EQ(SumSamples(samples, "neurospector_cache_entries"),
            static_cast<double>(shapes.size()));
}

// Reads a ScheduleNetwork stream; the last message must be the summary.
std::vector<pb::ScheduleNetworkResponse> ReadNetworkStream(
    pb::Scheduler::Stub& stub, const pb::ScheduleNetworkRequest& request) {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<pb::ScheduleNetworkResponse>> reader =
      stub.ScheduleNetwork(&context, request);
  std::vector<pb::ScheduleNetworkResponse> messages;
  pb::ScheduleNetworkResponse message;
  while (reader->Read(&message)) messages.push_back(message);
  const grpc::Status status = reader->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(messages.empty());
  if (!messages.empty()) {
    EXPECT_TRUE(messages.back().has_summary());
  }
  return messages;
}

TEST(Service, RepeatedShapesSearchedOnceAcrossNetworks) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  absl::StatusOr<Network> shufflenet = LoadNetwork("shufflenet");
  ASSERT_TRUE(shufflenet.ok());
  std::set<std::pair<RowValues, uint32_t>> shapes;
  for (const Layer& layer : shufflenet->layers) {
    shapes.emplace(layer.params, layer.stride);
  }
  ASSERT_LT(shapes.size(), shufflenet->layers.size());

  pb::ScheduleNetworkRequest request;
  *request.mutable_accelerator() = BuiltinAccelerator("eyeriss");
  request.mutable_network()->set_builtin_name("shufflenet");
  std::vector<pb::ScheduleNetworkResponse> messages =
      ReadNetworkStream(*server->stub, request);
  ASSERT_EQ(messages.size(), shufflenet->layers.size() + 1);
  EXPECT_EQ(messages.back().summary().distinct_shapes(), shapes.size());
  EXPECT_EQ(messages.back().summary().searches_run(), shapes.size());
  EXPECT_EQ(server->server->engine().cache_size(), shapes.size());

  // The same shapes under other layer names, in another network: all hits.
  pb::ScheduleNetworkRequest renamed = request;
  pb::LayerList* list = renamed.mutable_network()->mutable_layers();
  list->set_name("renamed");
  for (const Layer& layer : shufflenet->layers) {
    const LayerShape& s = layer.shape;
    *list->add_layers() =
        MakeLayerProto(absl::StrCat("other_", layer.name), s.k, s.b, s.p, s.q,
                       s.c, s.r, s.s, s.g, s.stride);
  }
  messages = ReadNetworkStream(*server->stub, renamed);
  ASSERT_EQ(messages.size(), shufflenet->layers.size() + 1);
  EXPECT_EQ(messages.back().summary().network_name(), "renamed");
  EXPECT_EQ(messages.back().summary().searches_run(), 0u);
  EXPECT_EQ(messages.back().summary().cache_hits(), shapes.size());
  for (size_t i = 0; i + 1 < messages.size(); ++i) {
    EXPECT_TRUE(messages[i].layer().cache_hit());
    EXPECT_THAT(messages[i].layer().layer().layer().name(),
                ::testing::StartsWith("other_"));
  }
}

TEST(Service, ThreeAcceleratorFormsShareOneCacheEntry) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  pb::Accelerator text;
  text.mutable_cfg()->set_text(std::string(*BuiltinAcceleratorText("eyeriss")));
  text.mutable_cfg()->set_source_name("eyeriss-copy.cfg");
  pb::Accelerator spec;
  *spec.mutable_spec() = EyerissSpec();

  const std::vector<pb::Accelerator> forms = {BuiltinAccelerator("eyeriss"),
                                              text, spec};
  for (size_t i = 0; i < forms.size(); ++i) {
    SCOPED_TRACE(i);
    grpc::ClientContext context;
    pb::ScheduleLayerResponse response;
    pb::Layer layer = Conv22Layer();
    layer.set_name(absl::StrCat("renamed_", i));
    const grpc::Status status = server->stub->ScheduleLayer(
        &context, LayerRequest(forms[i], layer), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.schedule().cache_hit(), i > 0);
    EXPECT_EQ(response.schedule().layer().layer().name(), layer.name());
  }
  EXPECT_EQ(server->server->engine().cache_size(), 1u);
  EXPECT_EQ(SumSamples(Scrape(*server->server), "neurospector_cache_entries"),
            1);
}

// A request whose search takes far longer than these tests wait: the
// exact search of ResNet-50 CONV_2_2 on simba.cfg over every dataflow
// combination (tens of seconds on two cores).
pb::ScheduleLayerRequest SlowRequest() {
  pb::ScheduleLayerRequest request =
      LayerRequest(BuiltinAccelerator("simba"), Conv22Layer());
  request.mutable_options()->set_dataflow_mode(pb::DATAFLOW_MODE_FLEXIBLE);
  request.mutable_options()->set_algorithm(pb::SEARCH_ALGORITHM_EXACT);
  return request;
}

// Waits until no search runs on `server`; returns when that happened.
absl::Time WaitUntilNoSearch(SchedulingServer& server) {
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (server.metrics().searches_in_flight.Value() != 0 &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  return absl::Now();
}

TEST(Service, DeadlineStopsTheSearch) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  grpc::ClientContext context;
  const absl::Time deadline = absl::Now() + absl::Milliseconds(300);
  context.set_deadline(absl::ToChronoTime(deadline));
  pb::ScheduleLayerResponse response;
  const grpc::Status status =
      server->stub->ScheduleLayer(&context, SlowRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);

  const absl::Time stopped = WaitUntilNoSearch(*server->server);
  // The searches poll their stop token every few milliseconds of work;
  // the bound leaves room for a loaded CI machine.
  EXPECT_LT(stopped - deadline, absl::Milliseconds(500));
  std::cerr << "search stopped " << (stopped - deadline)
            << " after the deadline\n";

  // The server recorded the deadline, and its worker is free again.
  for (int i = 0; i < 100; ++i) {
    if (SumSamples(Scrape(*server->server), "neurospector_rpc_requests_total",
                   {{"code", "DEADLINE_EXCEEDED"}}) == 1) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(
      SumSamples(Scrape(*server->server), "neurospector_rpc_requests_total",
                 {{"method", "ScheduleLayer"}, {"code", "DEADLINE_EXCEEDED"}}),
      1);
  grpc::ClientContext next_context;
  pb::ScheduleLayerResponse next;
  EXPECT_TRUE(
      server->stub
          ->ScheduleLayer(
              &next_context,
              LayerRequest(BuiltinAccelerator("eyeriss"), Conv22Layer()), &next)
          .ok());
}

TEST(Service, ClientCancellationStopsTheSearch) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  grpc::ClientContext context;
  absl::Time cancelled_at;
  std::thread canceller([&] {
    while (server->server->metrics().searches_in_flight.Value() == 0) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    absl::SleepFor(absl::Milliseconds(100));
    cancelled_at = absl::Now();
    context.TryCancel();
  });
  pb::ScheduleLayerResponse response;
  const grpc::Status status =
      server->stub->ScheduleLayer(&context, SlowRequest(), &response);
  canceller.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED);

  const absl::Time stopped = WaitUntilNoSearch(*server->server);
  EXPECT_LT(stopped - cancelled_at, absl::Milliseconds(500));
  std::cerr << "search stopped " << (stopped - cancelled_at)
            << " after the cancellation\n";
  for (int i = 0; i < 100; ++i) {
    if (SumSamples(Scrape(*server->server), "neurospector_rpc_requests_total",
                   {{"code", "CANCELLED"}}) == 1) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(
      SumSamples(Scrape(*server->server), "neurospector_rpc_requests_total",
                 {{"method", "ScheduleLayer"}, {"code", "CANCELLED"}}),
      1);
  EXPECT_EQ(server->server->engine().cache_size(), 0u);
}

// The service's part of the stop latency: a backend that polls its stop
// token every millisecond must end within 100 ms of the cancellation or
// the deadline.
TEST(Service, StopReachesTheSearchWithin100Milliseconds) {
  for (const bool use_deadline : {false, true}) {
    SCOPED_TRACE(use_deadline ? "deadline" : "cancellation");
    ServerOptions options;
    auto backend = std::make_unique<testing::SlowBackend>(absl::Seconds(30));
    testing::SlowBackend* slow = backend.get();
    options.backend = std::move(backend);
    auto server = StartTestServer(std::move(options));
    ASSERT_NE(server, nullptr);

    grpc::ClientContext context;
    absl::Time stop_at = absl::Now() + absl::Milliseconds(200);
    if (use_deadline) context.set_deadline(absl::ToChronoTime(stop_at));
    std::thread canceller([&] {
      if (use_deadline) return;
      while (slow->running.load() == 0) absl::SleepFor(absl::Milliseconds(1));
      stop_at = absl::Now();
      context.TryCancel();
    });
    pb::ScheduleLayerResponse response;
    const grpc::Status status = server->stub->ScheduleLayer(
        &context, LayerRequest(BuiltinAccelerator("eyeriss"), Conv22Layer()),
        &response);
    canceller.join();
    EXPECT_EQ(status.error_code(), use_deadline
                                       ? grpc::StatusCode::DEADLINE_EXCEEDED
                                       : grpc::StatusCode::CANCELLED);
    while (slow->running.load() != 0) absl::SleepFor(absl::Milliseconds(1));
    EXPECT_LT(absl::Now() - stop_at, absl::Milliseconds(100));
    EXPECT_LT(WaitUntilNoSearch(*server->server) - stop_at,
              absl::Milliseconds(100));
  }
}

TEST(Service, RejectsMalformedRequests) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  struct Case {
    std::string name;
    pb::ScheduleLayerRequest request;
    std::vector<std::string> message_parts;
  };
  const pb::Accelerator eyeriss = BuiltinAccelerator("eyeriss");
  std::vector<Case> cases;
  cases.push_back({"no accelerator",
                   pb::ScheduleLayerRequest(),
                   {"accelerator is missing"}});
  pb::ScheduleLayerRequest no_layer;
  *no_layer.mutable_accelerator() = eyeriss;
  cases.push_back({"no layer", no_layer, {"layer is missing"}});
  cases.push_back(
      {"zero P",
       LayerRequest(eyeriss, MakeLayerProto("L", 64, 1, 0, 56, 64, 3, 3, 1, 1)),
       {"layer (L)", "P=0"}});
  pb::Accelerator bad_spec;
  *bad_spec.mutable_spec() = EyerissSpec();
  bad_spec.mutable_spec()->mutable_global_buffer()->set_bandwidth_bits(0);
  cases.push_back({"bad spec field",
                   LayerRequest(bad_spec, Conv22Layer()),
                   {"accelerator.spec.global_buffer.bandwidth_bits", "\"0\""}});
  pb::ScheduleLayerRequest bad_metric = LayerRequest(eyeriss, Conv22Layer());
  bad_metric.mutable_options()->set_metric(static_cast<pb::Metric>(42));
  cases.push_back({"bad metric", bad_metric, {"options.metric: 42"}});
  pb::Accelerator big_text;
  big_text.mutable_cfg()->set_text(std::string(100 * 1024, '#'));
  cases.push_back({"oversized accelerator text",
                   LayerRequest(big_text, Conv22Layer()),
                   {"accelerator.cfg.text", "102400 bytes", "limit"}});
  pb::ScheduleLayerRequest huge = LayerRequest(eyeriss, Conv22Layer());
  huge.mutable_layer()->set_name(std::string(5 * 1024 * 1024, 'x'));
  cases.push_back({"oversized request", huge, {"the request is", "limit"}});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    grpc::ClientContext context;
    pb::ScheduleLayerResponse response;
    const grpc::Status status =
        server->stub->ScheduleLayer(&context, c.request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(status.error_message(), HasSubstr(part));
    }
  }

  // Evaluate and ScheduleNetwork validate the same way.
  pb::EvaluateRequest evaluate;
  *evaluate.mutable_accelerator() = eyeriss;
  *evaluate.mutable_layer() = Conv22Layer();
  grpc::ClientContext evaluate_context;
  pb::EvaluateResponse evaluate_response;
  const grpc::Status evaluate_status =
      server->stub->Evaluate(&evaluate_context, evaluate, &evaluate_response);
  EXPECT_EQ(evaluate_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(evaluate_status.error_message(),
              HasSubstr("table_source is missing"));

  pb::ScheduleNetworkRequest network;
  *network.mutable_accelerator() = eyeriss;
  network.mutable_network()->set_builtin_name("resnet50");
  network.set_layer_selector("CONV_99");
  grpc::ClientContext network_context;
  auto reader = server->stub->ScheduleNetwork(&network_context, network);
  pb::ScheduleNetworkResponse ignored;
  EXPECT_FALSE(reader->Read(&ignored));
  const grpc::Status network_status = reader->Finish();
  EXPECT_EQ(network_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(network_status.error_message(), HasSubstr("layer_selector"));
  EXPECT_THAT(network_status.error_message(), HasSubstr("CONV_99"));
}

TEST(Service, RejectsSearchesBeyondTheLimit) {
  ServerOptions options;
  options.engine.max_concurrent_searches = 1;
  auto backend = std::make_unique<testing::SlowBackend>(absl::Seconds(30));
  testing::SlowBackend* slow = backend.get();
  options.backend = std::move(backend);
  auto server = StartTestServer(std::move(options));
  ASSERT_NE(server, nullptr);

  grpc::ClientContext busy_context;
  std::thread busy([&] {
    pb::ScheduleLayerResponse response;
    server->stub->ScheduleLayer(
        &busy_context,
        LayerRequest(BuiltinAccelerator("eyeriss"), Conv22Layer()), &response);
  });
  while (slow->running.load() == 0) absl::SleepFor(absl::Milliseconds(1));

  grpc::ClientContext context;
  pb::ScheduleLayerResponse response;
  const grpc::Status status = server->stub->ScheduleLayer(
      &context, LayerRequest(BuiltinAccelerator("simba"), Conv22Layer()),
      &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("--max-concurrent-searches"));

  busy_context.TryCancel();
  busy.join();
}

}  // namespace
}  // namespace neurospector::server
