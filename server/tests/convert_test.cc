#include "server/convert.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "core/inputs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/tests/server_test_support.h"

namespace neurospector::server {
namespace {

using testing::BuiltinAccelerator;
using testing::EyerissSpec;
using ::testing::HasSubstr;
using testing::MakeLayerProto;

const BuiltinCatalog& Catalog() {
  static const BuiltinCatalog* catalog = [] {
    absl::StatusOr<std::unique_ptr<BuiltinCatalog>> created =
        BuiltinCatalog::Create();
    EXPECT_TRUE(created.ok()) << created.status();
    return created->release();
  }();
  return *catalog;
}

TEST(Convert, ThreeAcceleratorFormsShareOneFingerprint) {
  pb::Accelerator text;
  text.mutable_cfg()->set_text(absl::StrReplaceAll(
      *BuiltinAcceleratorText("eyeriss"), {{"NAME=EYERISS", "NAME=copy"}}));
  pb::Accelerator spec;
  *spec.mutable_spec() = EyerissSpec();

  absl::StatusOr<ResolvedAccelerator> from_name =
      ToAccelerator(BuiltinAccelerator("eyeriss"), "accelerator", Catalog());
  absl::StatusOr<ResolvedAccelerator> from_text =
      ToAccelerator(text, "accelerator", Catalog());
  absl::StatusOr<ResolvedAccelerator> from_spec =
      ToAccelerator(spec, "accelerator", Catalog());
  ASSERT_TRUE(from_name.ok()) << from_name.status();
  ASSERT_TRUE(from_text.ok()) << from_text.status();
  ASSERT_TRUE(from_spec.ok()) << from_spec.status();

  EXPECT_EQ(from_text->fingerprint, from_name->fingerprint);
  EXPECT_EQ(from_spec->fingerprint, from_name->fingerprint);
  EXPECT_EQ(from_spec->accelerator->name, "eyeriss-structured");
  EXPECT_EQ(from_text->accelerator->name, "copy");
}

TEST(Convert, RejectsInvalidAccelerators) {
  struct Case {
    std::string name;
    std::function<void(pb::Accelerator&)> change;
    std::vector<std::string> message_parts;
  };
  const auto spec = [](pb::Accelerator& a) { return a.mutable_spec(); };
  // FREQUENCY is on line 7 of eyeriss.cfg.
  const std::string slow_eyeriss =
      absl::StrReplaceAll(*BuiltinAcceleratorText("eyeriss"),
                          {{"FREQUENCY=200", "FREQUENCY=fast"}});
  const std::vector<Case> cases = {
      {"no form",
       [](pb::Accelerator& a) { a.clear_form(); },
       {"accelerator is missing", "builtin_name, cfg or spec"}},
      {"unknown built-in",
       [](pb::Accelerator& a) { a.set_builtin_name("eyeriz"); },
       {"accelerator.builtin_name", "\"eyeriz\"", "eyeriss"}},
      {"zero bandwidth",
       [&](pb::Accelerator& a) {
         spec(a)->mutable_local_buffer()->set_bandwidth_bits(0);
       },
       {"accelerator.spec.local_buffer.bandwidth_bits", "BANDWIDTH", "\"0\""}},
      {"negative energy",
       [&](pb::Accelerator& a) {
         spec(a)->mutable_dram()->set_unit_access_energy_pj(1, -3);
       },
       {"accelerator.spec.dram.unit_access_energy_pj", "-3"}},
      {"missing frequency",
       [&](pb::Accelerator& a) { spec(a)->clear_frequency_mhz(); },
       {"accelerator.spec", "FREQUENCY"}},
      {"missing DRAM",
       [&](pb::Accelerator& a) { spec(a)->clear_dram(); },
       {"accelerator.spec", "[DRAM]"}},
      {"missing unit cycle",
       [&](pb::Accelerator& a) {
         spec(a)->mutable_global_buffer()->clear_unit_cycle();
       },
       {"accelerator.spec.global_buffer", "UNIT_CYCLE"}},
      {"unspecified bypass",
       [&](pb::Accelerator& a) {
         spec(a)->mutable_global_buffer()->set_bypass(
             0, pb::DATA_TYPE_UNSPECIFIED);
       },
       {"accelerator.spec.global_buffer.bypass[0]", "not a data type"}},
      {"unknown dataflow",
       [&](pb::Accelerator& a) {
         spec(a)->mutable_local_buffer()->set_dataflow(
             static_cast<pb::Dataflow>(9));
       },
       {"accelerator.spec.local_buffer.dataflow", "9"}},
      {"short constraint",
       [&](pb::Accelerator& a) {
         for (int i = 0; i < 7; ++i) spec(a)->mutable_dram()->add_constraint(0);
       },
       {"accelerator.spec.dram.constraint", "7 values"}},
      {"unknown array constraint",
       [&](pb::Accelerator& a) {
         spec(a)->mutable_pe_array()->add_constraint_x("Z");
       },
       {"accelerator.spec.pe_array.constraint_x", "\"Z\""}},
      {"four buffer sizes",
       [&](pb::Accelerator& a) {
         spec(a)->mutable_local_buffer()->add_buffer_size_bytes(8);
       },
       {"accelerator.spec.local_buffer.buffer_size_bytes", "4 values"}},
      {"oversized text",
       [](pb::Accelerator& a) {
         a.mutable_cfg()->set_text(
             std::string(kMaxAcceleratorTextBytes + 1, '#'));
       },
       {"accelerator.cfg.text", "too large", "65536"}},
      {"malformed text",
       [&](pb::Accelerator& a) { a.mutable_cfg()->set_text(slow_eyeriss); },
       {"accelerator.cfg.text:7", "FREQUENCY", "\"fast\""}},
      {"named text",
       [&](pb::Accelerator& a) {
         a.mutable_cfg()->set_text(slow_eyeriss);
         a.mutable_cfg()->set_source_name("mine.cfg");
       },
       {"mine.cfg:7", "\"fast\""}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    pb::Accelerator accelerator;
    *accelerator.mutable_spec() = EyerissSpec();
    c.change(accelerator);
    absl::StatusOr<ResolvedAccelerator> result =
        ToAccelerator(accelerator, "accelerator", Catalog());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(std::string(result.status().message()), HasSubstr(part));
    }
  }
}

TEST(Convert, RejectsInvalidLayers) {
  struct Case {
    std::string name;
    pb::Layer layer;
    std::vector<std::string> message_parts;
  };
  pb::Layer no_stride = MakeLayerProto("L", 8, 1, 4, 4, 8, 3, 3, 1, 1);
  no_stride.clear_stride();
  const std::vector<Case> cases = {
      {"zero K",
       MakeLayerProto("L", 0, 1, 4, 4, 8, 3, 3, 1, 1),
       {"layer (L)", "K=0"}},
      {"missing stride", no_stride, {"layer.stride is missing"}},
      {"C not divisible by G",
       MakeLayerProto("L", 8, 1, 4, 4, 9, 3, 3, 2, 1),
       {"layer (L)", "C=9", "G=2"}},
      {"huge batch",
       MakeLayerProto("L", 4096, 4294967295, 4096, 4096, 4096, 3, 3, 1, 1),
       {"layer (L)", "too large"}},
      {"long name",
       MakeLayerProto(std::string(300, 'x'), 8, 1, 4, 4, 8, 3, 3, 1, 1),
       {"layer.name", "300 bytes"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<Layer> layer = ToLayer(c.layer, "layer");
    ASSERT_FALSE(layer.ok());
    EXPECT_EQ(layer.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(std::string(layer.status().message()), HasSubstr(part));
    }
  }
}

TEST(Convert, AcceptsFullyConnectedStrideZero) {
  absl::StatusOr<Layer> layer =
      ToLayer(MakeLayerProto("FC", 1000, 1, 1, 1, 2048, 1, 1, 1, 0), "layer");
  ASSERT_TRUE(layer.ok()) << layer.status();
  EXPECT_EQ(layer->shape.stride, 0u);
  EXPECT_EQ(layer->name, "FC");
}

TEST(Convert, RejectsInvalidSearchOptions) {
  struct Case {
    std::string name;
    std::function<void(pb::SearchOptions&)> change;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"metric",
       [](pb::SearchOptions& o) { o.set_metric(static_cast<pb::Metric>(7)); },
       "options.metric: 7"},
      {"dataflow mode",
       [](pb::SearchOptions& o) {
         o.set_dataflow_mode(static_cast<pb::DataflowMode>(5));
       },
       "options.dataflow_mode: 5"},
      {"algorithm",
       [](pb::SearchOptions& o) {
         o.set_algorithm(static_cast<pb::SearchAlgorithm>(3));
       },
       "options.algorithm: 3"},
      {"negative time limit",
       [](pb::SearchOptions& o) { o.set_time_limit_seconds(-1); },
       "options.time_limit_seconds: -1"},
      {"NaN time limit",
       [](pb::SearchOptions& o) { o.set_time_limit_seconds(std::nan("")); },
       "options.time_limit_seconds: nan"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    pb::SearchOptions options;
    c.change(options);
    absl::StatusOr<SearchOptions> result = ToSearchOptions(options, "options");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(result.status().message()),
                HasSubstr(c.message_part));
  }
}

TEST(Convert, MapsSearchOptions) {
  pb::SearchOptions options;
  options.set_metric(pb::METRIC_CYCLE);
  options.set_dataflow_mode(pb::DATAFLOW_MODE_FLEXIBLE);
  options.set_algorithm(pb::SEARCH_ALGORITHM_EXACT);
  options.set_time_limit_seconds(2.5);
  absl::StatusOr<SearchOptions> result = ToSearchOptions(options, "options");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->metric, Metric::kCycle);
  EXPECT_EQ(result->dataflow_mode, DataflowMode::kFlexible);
  EXPECT_EQ(result->algorithm, SearchAlgorithm::kExact);
  EXPECT_EQ(result->time_limit, absl::Milliseconds(2500));

  absl::StatusOr<SearchOptions> defaults =
      ToSearchOptions(pb::SearchOptions(), "options");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->metric, Metric::kEnergy);
  EXPECT_EQ(defaults->algorithm, SearchAlgorithm::kBottomUp);
  EXPECT_EQ(defaults->time_limit, absl::InfiniteDuration());
}

TEST(Convert, ReadsNetworkForms) {
  pb::Network builtin;
  builtin.set_builtin_name("resnet50");
  absl::StatusOr<std::shared_ptr<const Network>> network =
      ToNetwork(builtin, "network", Catalog());
  ASSERT_TRUE(network.ok()) << network.status();
  EXPECT_EQ((*network)->layers.size(), 21u);

  pb::Network list;
  list.mutable_layers()->set_name("Tiny");
  *list.mutable_layers()->add_layers() =
      MakeLayerProto("a", 8, 1, 4, 4, 8, 3, 3, 1, 1);
  *list.mutable_layers()->add_layers() =
      MakeLayerProto("b", 8, 1, 4, 4, 8, 3, 3, 1, 2);
  network = ToNetwork(list, "network", Catalog());
  ASSERT_TRUE(network.ok()) << network.status();
  EXPECT_EQ((*network)->name, "tiny");
  ASSERT_EQ((*network)->layers.size(), 2u);
  EXPECT_EQ((*network)->layers[1].index, 2);
}

TEST(Convert, RejectsInvalidNetworks) {
  struct Case {
    std::string name;
    std::function<void(pb::Network&)> change;
    std::vector<std::string> message_parts;
  };
  const std::vector<Case> cases = {
      {"no form", [](pb::Network&) {}, {"network is missing"}},
      {"unknown built-in",
       [](pb::Network& n) { n.set_builtin_name("resnet51"); },
       {"network.builtin_name", "\"resnet51\"", "resnet50"}},
      {"empty list",
       [](pb::Network& n) { n.mutable_layers(); },
       {"network.layers.layers is empty"}},
      {"duplicate names",
       [](pb::Network& n) {
         *n.mutable_layers()->add_layers() =
             MakeLayerProto("same", 8, 1, 4, 4, 8, 3, 3, 1, 1);
         *n.mutable_layers()->add_layers() =
             MakeLayerProto("SAME", 8, 1, 4, 4, 8, 3, 3, 1, 1);
       },
       {"network.layers.layers[1].name", "\"SAME\"", "layers[0]"}},
      {"bad layer in list",
       [](pb::Network& n) {
         *n.mutable_layers()->add_layers() =
             MakeLayerProto("x", 8, 1, 0, 4, 8, 3, 3, 1, 1);
       },
       {"network.layers.layers[0] (x)", "P=0"}},
      {"malformed text",
       [](pb::Network& n) {
         n.mutable_cfg()->set_text("[LAYERS]\nCONV=1,2,3\n");
       },
       {"network.cfg.text:2"}},
      {"oversized text",
       [](pb::Network& n) {
         n.mutable_cfg()->set_text(std::string(kMaxNetworkTextBytes + 1, '#'));
       },
       {"network.cfg.text", "too large"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    pb::Network network;
    c.change(network);
    absl::StatusOr<std::shared_ptr<const Network>> result =
        ToNetwork(network, "network", Catalog());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(std::string(result.status().message()), HasSubstr(part));
    }
  }
}

TEST(Convert, SelectsLayersByNameOrIndex) {
  const std::shared_ptr<const Network> network =
      Catalog().FindNetwork("resnet50");
  ASSERT_NE(network, nullptr);
  absl::StatusOr<std::vector<Layer>> all = SelectLayers(*network, "", "sel");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 21u);
  absl::StatusOr<std::vector<Layer>> third = SelectLayers(*network, "3", "sel");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->front().name, "CONV_2_2");
  absl::StatusOr<std::vector<Layer>> missing =
      SelectLayers(*network, "CONV_9", "sel");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("sel: "));
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("CONV_9"));
}

TEST(Convert, TableRowsRoundTrip) {
  const ResolvedAccelerator* eyeriss = Catalog().FindAccelerator("eyeriss");
  ASSERT_NE(eyeriss, nullptr);
  absl::StatusOr<Layer> layer = ToLayer(testing::Conv22Layer(), "layer");
  ASSERT_TRUE(layer.ok());
  const Mapping initial = InitialMapping(*eyeriss->accelerator, *layer);

  pb::SchedulingTable table;
  ToProto(*eyeriss->accelerator, initial, &table);
  ASSERT_GT(table.rows_size(), 0);
  absl::StatusOr<TableFile> parsed =
      ToTable(table, "table", *eyeriss->accelerator);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->mapping.rows, initial.rows);
}

TEST(Convert, RejectsInvalidTableRows) {
  const ResolvedAccelerator* eyeriss = Catalog().FindAccelerator("eyeriss");
  ASSERT_NE(eyeriss, nullptr);
  pb::SchedulingTable table;
  pb::TableRow* row = table.add_rows();
  row->set_name("LOCAL_BUFFER");
  for (int i = 0; i < 7; ++i) row->add_values(1);
  absl::StatusOr<TableFile> parsed =
      ToTable(table, "table", *eyeriss->accelerator);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr("table.rows[0]"));
}

TEST(Convert, RejectsOversizedRequests) {
  pb::ScheduleLayerRequest request;
  request.mutable_accelerator()->mutable_cfg()->set_text(
      std::string(kMaxRequestBytes, ' '));
  const absl::Status status = CheckRequestSize(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("the limit is 4194304"));
}

}  // namespace
}  // namespace neurospector::server
