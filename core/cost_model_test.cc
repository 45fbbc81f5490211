// Tests of the cost model and of the report fields built from it. They
// cover two tables worked by hand in the NeuroSpector v1.5 model
// description, the validity rules, the modelling rules the project keeps
// from the reference, and 64-bit products on large layers.
//
// The reference computes in binary32 and the model in double, so reals are
// compared within a relative tolerance. Integers are compared exactly.

#include "core/cost_model.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "core/accelerator.h"
#include "core/accelerator_parser.h"
#include "core/inputs.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/network.h"
#include "core/report.h"
#include "core/table_file.h"
#include "core/types.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace neurospector {
namespace {

using ::testing::ElementsAre;

constexpr double kRelativeTolerance = 1e-6;

// Access counts in the order input reads, weight reads, output reads,
// output writes.
using CountList = std::array<uint64_t, 4>;

CountList ListOf(const AccessCounts& counts) {
  return {counts.input_reads, counts.weight_reads, counts.output_reads,
          counts.output_writes};
}

struct RealTerm {
  absl::string_view name;
  double actual;
  double expected;
};

void ExpectRealTerms(absl::Span<const RealTerm> terms) {
  for (const RealTerm& term : terms) {
    SCOPED_TRACE(term.name);
    EXPECT_NEAR(term.actual, term.expected,
                kRelativeTolerance * std::abs(term.expected));
  }
}

// Names of the violations in `mask`, comma-separated, for messages.
std::string ViolationList(uint32_t mask) {
  return absl::StrJoin(ViolationNames(mask), ", ");
}

const ResultField* FindField(const std::vector<ResultField>& fields,
                             absl::string_view key) {
  for (const ResultField& field : fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

// Mapping with every row at ones except `rows`.
Mapping MappingWithRows(absl::Span<const std::pair<int, RowValues>> rows) {
  Mapping mapping;
  for (const auto& [row, values] : rows) mapping.rows[row] = values;
  return mapping;
}

// ---------------------------------------------------------------------------
// Worked examples: every figure of two tables, as the reference computes
// them (binary32 values from the model description).

struct WorkedExample {
  const char* name;
  const char* accelerator;
  const char* table_path;  // relative to the source tree, or nullptr
  const char* table_text;  // read when table_path is nullptr
  uint64_t mac_count;

  std::array<TileSizes, kNumLevels> sent_tiles;
  std::array<TileSizes, kNumLevels> allocated_tiles;
  std::array<CountList, kNumLevels> counts;
  uint64_t active_macs;
  uint64_t active_pes;
  uint64_t active_chips;

  // pJ
  double mac_dynamic_energy;
  double lb_upper_energy;
  double lb_lower_energy;
  double gb_upper_energy;
  double gb_lower_energy;
  double dram_dynamic_energy;
  double lb_dynamic_energy;
  double gb_dynamic_energy;
  double total_dynamic_energy;

  // cycles
  double mac_cycles;
  double lb_cycles;
  double gb_cycles;
  double dram_cycles;
  double total_cycles;

  // pJ
  double mac_static_energy;
  double lb_static_energy;
  double gb_static_energy;
  double dram_static_energy;
  double total_static_energy;
  double total_energy;

  std::vector<std::pair<absl::string_view, uint64_t>> report_integers;
  std::vector<std::pair<absl::string_view, double>> report_reals;
  std::vector<absl::string_view> report_absent_keys;

  // LevelCost for rows 9, 6 and 3.
  std::array<double, 3> energy_level_costs;
  std::array<double, 3> cycle_level_costs;
};

void PrintTo(const WorkedExample& example, std::ostream* os) {
  *os << example.name;
}

constexpr std::array<int, 3> kLevelCostRows = {kDramRow, kGlobalBufferRow,
                                               kLocalBufferRow};

// eyeriss.cfg, resnet50 CONV_1 (K=64 B=1 P=Q=112 C=3 R=S=7 stride 2) and
// the shipped sample table. The global buffer bypasses weights at a
// non-zero energy, so the report keeps its weight figures.
WorkedExample EyerissSample() {
  return WorkedExample{
      .name = "EyerissConv1",
      .accelerator = "eyeriss",
      .table_path = "configs/scheduling_tables/eyeriss_sample.cfg",
      .table_text = nullptr,
      .mac_count = 118013952,
      .sent_tiles = {{{1, 1, 1}, {189, 9408, 128}, {6771, 9408, 28672}}},
      .allocated_tiles = {{{7, 112, 16},
                           {6771, 9408, 28672},
                           {157323, 9408, 802816}}},
      // Before the adjustments GB was (6272, 28, 0, 6272) and DRAM
      // (28, 28, 0, 28). The read-once rules set the weight reads to 1.
      .counts = {{{702464, 702464, 602112, 702464},
                  {6272, 1, 0, 6272},
                  {28, 1, 0, 28}}},
      .active_macs = 1,
      .active_pes = 168,
      .active_chips = 1,
      .mac_dynamic_energy = 259630704,
      .lb_upper_energy = 151563632,
      .lb_lower_energy = 5628054,
      .gb_upper_energy = 10491300,
      .gb_lower_energy = 5243328.5,
      .dram_dynamic_energy = 128231936,
      .lb_dynamic_energy = 157191680,
      .gb_dynamic_energy = 15734628,
      .total_dynamic_energy = 560788992,
      .mac_cycles = 702464,
      .lb_cycles = 1304576,
      .gb_cycles = 499408,
      .dram_cycles = 2003624,
      .total_cycles = 4510072,
      .mac_static_energy = 50007680,
      .lb_static_energy = 131080.719,
      .gb_static_energy = 281451.062,
      .dram_static_energy = 541208.688,
      .total_static_energy = 50961420,
      .total_energy = 611750400,
      .report_integers = {{"lb_i_tile_size", 7},
                          {"lb_w_tile_size", 112},
                          {"gb_w_tile_size", 9408},
                          {"gb_w_read_access_count", 1},
                          {"dram_o_write_access_count", 28},
                          {"num_active_mac_array", 1},
                          {"num_active_pe_array", 168},
                          {"num_active_multi_chips", 1}},
      .report_reals = {{"lb_i_buffer_utilization", 7.0 / 12 * 100},
                       {"lb_w_buffer_utilization", 112.0 / 224 * 100},
                       {"lb_o_buffer_utilization", 16.0 / 24 * 100},
                       {"global_buffer_utilization", 35443.0 / 51200 * 100},
                       {"mac_array_utilization", 100},
                       {"pe_array_utilization", 100},
                       {"multi_chips_utilization", 100},
                       {"mac_energy", 259630704.0 + 50007680.0},
                       {"lb_energy", 157191680.0 + 131080.719},
                       {"gb_energy", 15734628.0 + 281451.062},
                       {"dram_energy", 128231936.0 + 541208.688},
                       {"total_energy", 611750400},
                       {"total_cycle", 4510072}},
      .report_absent_keys = {"local_buffer_utilization",
                             "gb_i_buffer_utilization",
                             "gb_w_buffer_utilization"},
      .energy_level_costs = {184024160, 218103216, 201702400},
      .cycle_level_costs = {2706088, 2506448, 2007040},
  };
}

// simba.cfg (MAC array 8x8, PE 4x4, chips 6x6), resnet50 CONV_3_2 (K=C=128
// B=1 P=Q=28 R=S=3 stride 2). Four chips are active, and the global
// buffer's weight bypass makes the DRAM weight reads 1 * irrW(DRAM) = 4.
WorkedExample SimbaConv32() {
  return WorkedExample{
      .name = "SimbaConv3_2",
      .accelerator = "simba",
      .table_path = nullptr,
      .table_text =
          "[LAYER]\n"
          "layer_name=CONV_3_2\n"
          "[SCHEDULING_TABLE]\n"
          "MAC_ARRAY(X)  =8,1,1,1,1,1,1,1\n"
          "MAC_ARRAY(Y)  =1,1,1,1,8,1,1,1\n"
          "LOCAL_BUFFER  =1,1,1,2,2,3,3,1\n"
          "PE_ARRAY(X)   =4,1,1,1,1,1,1,1\n"
          "PE_ARRAY(Y)   =1,1,1,1,4,1,1,1\n"
          "GLOBAL_BUFFER =2,1,7,7,2,1,1,1\n"
          "MULTI_CHIPS(X)=1,1,2,1,1,1,1,1\n"
          "MULTI_CHIPS(Y)=2,1,1,1,1,1,1,1\n"
          "DRAM          =1,1,2,2,1,1,1,1\n",
      .mac_count = 115605504,
      .sent_tiles = {{{8, 64, 8}, {960, 18432, 64}, {107648, 147456, 25088}}},
      .allocated_tiles = {{{240, 1152, 16},
                           {55680, 73728, 6272},
                           {415872, 147456, 100352}}},
      // Before the adjustments DRAM was (4, 4, 0, 4). Read-once set its
      // weight reads to 1 and the bypass exception multiplied them by 4.
      .counts = {{{28224, 28224, 27440, 28224},
                  {784, 16, 392, 784},
                  {4, 4, 0, 4}}},
      .active_macs = 64,
      .active_pes = 16,
      .active_chips = 4,
      .mac_dynamic_energy = 64739084,
      .lb_upper_energy = 189857952,
      .lb_lower_energy = 10766254,
      .gb_upper_energy = 7384904,
      .gb_lower_energy = 2210447.25,
      .dram_dynamic_energy = 71729152,
      .lb_dynamic_energy = 200624208,
      .gb_dynamic_energy = 9595351,
      .total_dynamic_energy = 346687808,
      .mac_cycles = 28224,
      .lb_cycles = 1806336,
      .gb_cycles = 140352,
      .dram_cycles = 1120768,
      .total_cycles = 3095680,
      .mac_static_energy = 513536160,
      .lb_static_energy = 4850064,
      .gb_static_energy = 751971.688,
      .dram_static_energy = 92870.4062,
      .total_static_energy = 519231072,
      .total_energy = 865918848,
      // The global buffer bypasses weights at energy 0, so the report
      // zeroes its weight tile and reads.
      .report_integers = {{"lb_i_tile_size", 240},
                          {"gb_i_tile_size", 55680},
                          {"gb_w_tile_size", 0},
                          {"gb_w_read_access_count", 0},
                          {"dram_w_read_access_count", 4},
                          {"num_active_mac_array", 64},
                          {"num_active_pe_array", 16},
                          {"num_active_multi_chips", 4}},
      .report_reals = {{"lb_i_buffer_utilization", 240.0 / 8192 * 100},
                       {"lb_w_buffer_utilization", 1152.0 / 32768 * 100},
                       {"lb_o_buffer_utilization", 16.0 / 3072 * 100},
                       {"global_buffer_utilization", 61952.0 / 65536 * 100},
                       {"mac_array_utilization", 100},
                       {"pe_array_utilization", 100},
                       {"multi_chips_utilization", 4.0 / 36 * 100},
                       {"mac_energy", 64739084.0 + 513536160.0},
                       {"lb_energy", 200624208.0 + 4850064.0},
                       {"gb_energy", 9595351.0 + 751971.688},
                       {"dram_energy", 71729152.0 + 92870.4062},
                       {"total_energy", 865918848},
                       {"total_cycle", 3095680}},
      .report_absent_keys = {"local_buffer_utilization",
                             "gb_i_buffer_utilization",
                             "gb_w_buffer_utilization"},
      // With a MAC array the global-buffer energy cost leaves out the
      // local buffer's upper energy and static energy.
      .energy_level_costs = {587568640, 532439296, 708244160},
      .cycle_level_costs = {1148992, 1974912, 1834560},
  };
}

// Loads the accelerator, resnet50 and the table through the public
// readers, then evaluates the table with the configured dataflows.
class WorkedExampleTest : public ::testing::TestWithParam<WorkedExample> {
 protected:
  void SetUp() override {
    const WorkedExample& example = GetParam();
    absl::StatusOr<Accelerator> accelerator =
        LoadAccelerator(example.accelerator);
    ASSERT_TRUE(accelerator.ok()) << accelerator.status();
    accelerator_ = *std::move(accelerator);

    absl::StatusOr<Network> network = LoadNetwork("resnet50");
    ASSERT_TRUE(network.ok()) << network.status();

    absl::StatusOr<TableFile> table =
        example.table_path != nullptr
            ? ReadTableFile(absl::StrCat(NEUROSPECTOR_SOURCE_DIR, "/",
                                         example.table_path),
                            accelerator_)
            : ParseTableText(example.table_text, "example_table.cfg",
                             accelerator_);
    ASSERT_TRUE(table.ok()) << table.status();
    ASSERT_TRUE(table->layer_name.has_value());
    absl::StatusOr<const Layer*> layer = network->FindLayer(*table->layer_name);
    ASSERT_TRUE(layer.ok()) << layer.status();
    layer_ = **layer;
    absl::Status columns =
        CheckColumnProducts(table->mapping, layer_, table->source);
    ASSERT_TRUE(columns.ok()) << columns;

    mapping_ = table->mapping;
    SetConfiguredDataflows(accelerator_, &mapping_);
    model_.emplace(accelerator_, layer_);
    model_->Evaluate(mapping_, &evaluation_);
  }

  Accelerator accelerator_;
  Layer layer_;
  Mapping mapping_;
  std::optional<CostModel> model_;
  Evaluation evaluation_;
};

TEST_P(WorkedExampleTest, DataflowsAndMacCount) {
  EXPECT_EQ(mapping_.dataflows[kLocalBufferRow], Dataflow::kWeightStationary);
  EXPECT_EQ(mapping_.dataflows[kGlobalBufferRow], Dataflow::kOutputStationary);
  EXPECT_EQ(model_->mac_count(), GetParam().mac_count);
}

TEST_P(WorkedExampleTest, Tiles) {
  const WorkedExample& example = GetParam();
  for (int level = 0; level < kNumLevels; ++level) {
    SCOPED_TRACE(absl::StrCat("level ", level));
    EXPECT_EQ(evaluation_.sent_tiles[level], example.sent_tiles[level]);
    EXPECT_EQ(evaluation_.allocated_tiles[level],
              example.allocated_tiles[level]);
  }
}

TEST_P(WorkedExampleTest, AccessCounts) {
  const WorkedExample& example = GetParam();
  for (int level = 0; level < kNumLevels; ++level) {
    SCOPED_TRACE(absl::StrCat("level ", level));
    EXPECT_EQ(ListOf(evaluation_.counts[level]), example.counts[level]);
  }
}

TEST_P(WorkedExampleTest, ActiveUnitsAndValidity) {
  const WorkedExample& example = GetParam();
  EXPECT_EQ(evaluation_.active_macs, example.active_macs);
  EXPECT_EQ(evaluation_.active_pes, example.active_pes);
  EXPECT_EQ(evaluation_.active_chips, example.active_chips);
  EXPECT_EQ(evaluation_.violations, 0u)
      << ViolationList(evaluation_.violations);
  EXPECT_TRUE(evaluation_.valid());
  EXPECT_EQ(model_->Violations(mapping_), 0u);
}

TEST_P(WorkedExampleTest, DynamicEnergy) {
  const WorkedExample& x = GetParam();
  const Evaluation& e = evaluation_;
  ExpectRealTerms({
      {"E_mac", e.mac_dynamic_energy, x.mac_dynamic_energy},
      {"E_LB_upper", e.lb_upper_energy, x.lb_upper_energy},
      {"E_LB_lower", e.lb_lower_energy, x.lb_lower_energy},
      {"E_GB_upper", e.gb_upper_energy, x.gb_upper_energy},
      {"E_GB_lower", e.gb_lower_energy, x.gb_lower_energy},
      {"E_DRAM", e.dram_dynamic_energy, x.dram_dynamic_energy},
      {"E_LB", e.lb_dynamic_energy(), x.lb_dynamic_energy},
      {"E_GB", e.gb_dynamic_energy(), x.gb_dynamic_energy},
      {"E_dyn", e.total_dynamic_energy(), x.total_dynamic_energy},
  });
}

TEST_P(WorkedExampleTest, Cycles) {
  const WorkedExample& x = GetParam();
  const Evaluation& e = evaluation_;
  ExpectRealTerms({
      {"mac_cycle", e.mac_cycles, x.mac_cycles},
      {"lb_cycle", e.lb_cycles, x.lb_cycles},
      {"gb_cycle", e.gb_cycles, x.gb_cycles},
      {"dram_cycle", e.dram_cycles, x.dram_cycles},
      {"total_cycle", e.total_cycles, x.total_cycles},
  });
}

TEST_P(WorkedExampleTest, StaticEnergyAndTotals) {
  const WorkedExample& x = GetParam();
  const Evaluation& e = evaluation_;
  ExpectRealTerms({
      {"S_mac", e.mac_static_energy, x.mac_static_energy},
      {"S_LB", e.lb_static_energy, x.lb_static_energy},
      {"S_GB", e.gb_static_energy, x.gb_static_energy},
      {"S_DRAM", e.dram_static_energy, x.dram_static_energy},
      {"S_tot", e.total_static_energy(), x.total_static_energy},
      {"E_total", e.total_energy(), x.total_energy},
      {"energy objective", e.Objective(Metric::kEnergy), x.total_energy},
      {"cycle objective", e.Objective(Metric::kCycle), x.total_cycles},
  });
}

TEST_P(WorkedExampleTest, ReportFields) {
  const WorkedExample& example = GetParam();
  const std::vector<ResultField> fields =
      BuildResultFields(accelerator_, evaluation_);

  for (const auto& [key, expected] : example.report_integers) {
    SCOPED_TRACE(key);
    const ResultField* field = FindField(fields, key);
    ASSERT_NE(field, nullptr);
    EXPECT_TRUE(field->is_integer);
    EXPECT_EQ(field->integer, expected);
  }
  for (const auto& [key, expected] : example.report_reals) {
    SCOPED_TRACE(key);
    const ResultField* field = FindField(fields, key);
    ASSERT_NE(field, nullptr);
    EXPECT_FALSE(field->is_integer);
    EXPECT_NEAR(field->value, expected,
                kRelativeTolerance * std::abs(expected));
  }
  for (absl::string_view key : example.report_absent_keys) {
    EXPECT_EQ(FindField(fields, key), nullptr) << key;
  }
}

TEST_P(WorkedExampleTest, LevelCosts) {
  const WorkedExample& example = GetParam();
  for (int i = 0; i < 3; ++i) {
    const int row = kLevelCostRows[i];
    SCOPED_TRACE(absl::StrCat("row ", row));
    const double energy = model_->LevelCost(evaluation_, row, Metric::kEnergy);
    const double cycles = model_->LevelCost(evaluation_, row, Metric::kCycle);
    EXPECT_NEAR(energy, example.energy_level_costs[i],
                kRelativeTolerance * example.energy_level_costs[i]);
    EXPECT_NEAR(cycles, example.cycle_level_costs[i],
                kRelativeTolerance * example.cycle_level_costs[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(
    CostModel, WorkedExampleTest,
    ::testing::Values(EyerissSample(), SimbaConv32()),
    [](const ::testing::TestParamInfo<WorkedExample>& info) {
      return std::string(info.param.name);
    });

// ---------------------------------------------------------------------------
// Validity rules, on a small INT8 accelerator (one byte is one element).

// Sections of a small accelerator file. Sizes are in bytes, and the
// `*_extra` fields add lines (BYPASS, CONSTRAINT, ...) to their section.
struct AcceleratorText {
  std::string mac_array = "SIZE_X=2\nSIZE_Y=2\n";
  std::string local_buffer_size = "4,4,4";
  std::string local_buffer_extra = "";
  std::string pe_array = "SIZE_X=4\nSIZE_Y=4\n";
  std::string global_buffer_size = "64";
  std::string global_buffer_extra = "";
  std::string chips = "SIZE_X=2\nSIZE_Y=2\n";
  std::string dram_extra = "";

  std::string Build() const {
    constexpr absl::string_view kTransfer = "BANDWIDTH=8\nUNIT_CYCLE=1,1,1\n";
    return absl::StrCat(
        "[ACCELERATOR]\nNAME=SMALL\nPRECISION=INT8\nFREQUENCY=1000\n",
        "[MAC_ARRAY]\n", mac_array,
        "[LOCAL_BUFFER]\nBUFFER_SIZE=", local_buffer_size, "\n", kTransfer,
        local_buffer_extra, "[PE_ARRAY]\n", pe_array,
        "[GLOBAL_BUFFER]\nBUFFER_SIZE=", global_buffer_size, "\n", kTransfer,
        global_buffer_extra, "[MULTI_CHIPS]\n", chips, "[DRAM]\n", kTransfer,
        dram_extra);
  }
};

struct ValidityCase {
  const char* name;
  AcceleratorText accelerator;
  std::vector<std::pair<int, RowValues>> rows;
  uint32_t expected;
};

constexpr uint32_t kValid = 0;
constexpr uint32_t Bit(Violation violation) { return ViolationBit(violation); }

// With stride 1 and every other row at ones, a level's allocated tile is
// I = B*C*G*H*W with H = P+R-1 and W = Q+S-1, W = K*C*R*S*G and
// O = K*B*P*Q*G over the rows up to the level's own.
std::vector<ValidityCase> ValidityCases() {
  const std::string pe_constrained =
      "SIZE_X=4\nSIZE_Y=4\nCONSTRAINT_X=K,P\nCONSTRAINT_Y=C\n";
  return {
      {"all ones", {}, {}, kValid},
      {"register row not ones",
       {},
       {{kRegisterRow, {2, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kRegisterRow)},

      // Array sizes: MAC 2x2, PE 4x4, chips 2x2.
      {"mac array at size",
       {},
       {{kMacXRow, {2, 1, 1, 1, 1, 1, 1, 1}},
        {kMacYRow, {1, 1, 1, 1, 2, 1, 1, 1}}},
       kValid},
      {"mac array x over size",
       {},
       {{kMacXRow, {4, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kMacArraySize)},
      {"mac array y over size",
       {},
       {{kMacYRow, {1, 1, 1, 1, 4, 1, 1, 1}}},
       Bit(Violation::kMacArraySize)},
      {"pe array x over size",
       {},
       {{kPeXRow, {5, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kPeArraySize)},
      {"pe array y over size",
       {},
       {{kPeYRow, {1, 1, 1, 1, 5, 1, 1, 1}}},
       Bit(Violation::kPeArraySize)},
      {"chips x over size",
       {},
       {{kChipXRow, {3, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kMultiChipsSize)},
      {"chips y over size",
       {},
       {{kChipYRow, {1, 3, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kMultiChipsSize)},

      // CONSTRAINT_X / CONSTRAINT_Y hold on every array.
      {"mac constraint kept",
       {.mac_array = "SIZE_X=2\nSIZE_Y=2\nCONSTRAINT_X=K\nCONSTRAINT_Y=C\n"},
       {{kMacXRow, {2, 1, 1, 1, 1, 1, 1, 1}},
        {kMacYRow, {1, 1, 1, 1, 2, 1, 1, 1}}},
       kValid},
      {"mac constraint x broken",
       {.mac_array = "SIZE_X=2\nSIZE_Y=2\nCONSTRAINT_X=K\nCONSTRAINT_Y=C\n"},
       {{kMacXRow, {1, 1, 1, 1, 2, 1, 1, 1}}},
       Bit(Violation::kMacArrayConstraint)},
      {"mac constraint y broken",
       {.mac_array = "SIZE_X=2\nSIZE_Y=2\nCONSTRAINT_X=K\nCONSTRAINT_Y=C\n"},
       {{kMacYRow, {2, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kMacArrayConstraint)},
      {"pe constraint kept",
       {.pe_array = pe_constrained},
       {{kPeXRow, {2, 1, 2, 1, 1, 1, 1, 1}},
        {kPeYRow, {1, 1, 1, 1, 4, 1, 1, 1}}},
       kValid},
      {"pe constraint x broken",
       {.pe_array = pe_constrained},
       {{kPeXRow, {1, 1, 1, 1, 2, 1, 1, 1}}},
       Bit(Violation::kPeArrayConstraint)},
      {"pe constraint y broken",
       {.pe_array = pe_constrained},
       {{kPeYRow, {2, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kPeArrayConstraint)},
      {"chips constraint kept",
       {.chips = "SIZE_X=2\nSIZE_Y=2\nCONSTRAINT_X=B\nCONSTRAINT_Y=K\n"},
       {{kChipXRow, {1, 2, 1, 1, 1, 1, 1, 1}},
        {kChipYRow, {2, 1, 1, 1, 1, 1, 1, 1}}},
       kValid},
      {"chips constraint x broken",
       {.chips = "SIZE_X=2\nSIZE_Y=2\nCONSTRAINT_X=B\nCONSTRAINT_Y=K\n"},
       {{kChipXRow, {2, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kMultiChipsConstraint)},
      {"chips constraint y broken",
       {.chips = "SIZE_X=2\nSIZE_Y=2\nCONSTRAINT_X=B\nCONSTRAINT_Y=K\n"},
       {{kChipYRow, {1, 2, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kMultiChipsConstraint)},

      // Separate local buffer of 4 elements per type: C=4 gives I=W=4.
      {"separate lb at capacity",
       {},
       {{kLocalBufferRow, {1, 1, 1, 1, 4, 1, 1, 1}}},
       kValid},
      {"separate lb over capacity",
       {},
       {{kLocalBufferRow, {1, 1, 1, 1, 5, 1, 1, 1}}},
       Bit(Violation::kLocalBufferCapacity)},
      {"separate lb bypassed types unchecked",
       {.local_buffer_extra = "BYPASS=INPUT,WEIGHT\n"},
       {{kLocalBufferRow, {1, 1, 1, 1, 5, 1, 1, 1}}},
       kValid},
      // Shared local buffer: K=2 C=2 gives I=2, W=4, O=2, in all 8.
      {"shared lb at capacity",
       {.local_buffer_size = "8"},
       {{kLocalBufferRow, {2, 1, 1, 1, 2, 1, 1, 1}}},
       kValid},
      {"shared lb over capacity",
       {.local_buffer_size = "7"},
       {{kLocalBufferRow, {2, 1, 1, 1, 2, 1, 1, 1}}},
       Bit(Violation::kLocalBufferCapacity)},
      {"shared lb without bypassed output",
       {.local_buffer_size = "7", .local_buffer_extra = "BYPASS=OUTPUT\n"},
       {{kLocalBufferRow, {2, 1, 1, 1, 2, 1, 1, 1}}},
       kValid},

      // Global buffer: K=4 C=4 R=3 gives I=4*3=12, W=48, O=4, in all 64.
      {"shared gb at capacity",
       {},
       {{kGlobalBufferRow, {4, 1, 1, 1, 4, 3, 1, 1}}},
       kValid},
      {"shared gb over capacity",
       {.global_buffer_size = "63"},
       {{kGlobalBufferRow, {4, 1, 1, 1, 4, 3, 1, 1}}},
       Bit(Violation::kGlobalBufferCapacity)},
      {"shared gb without bypassed weights",
       {.global_buffer_size = "63", .global_buffer_extra = "BYPASS=WEIGHT\n"},
       {{kGlobalBufferRow, {4, 1, 1, 1, 4, 3, 1, 1}}},
       kValid},
      {"separate gb over capacity",
       {.global_buffer_size = "16,16,16"},
       {{kGlobalBufferRow, {4, 1, 1, 1, 4, 3, 1, 1}}},
       Bit(Violation::kGlobalBufferCapacity)},
      {"separate gb bypassed weights unchecked",
       {.global_buffer_size = "16,16,16",
        .global_buffer_extra = "BYPASS=WEIGHT\n"},
       {{kGlobalBufferRow, {4, 1, 1, 1, 4, 3, 1, 1}}},
       kValid},

      // Partially shared global buffer "32,16": 32 shared elements, and 16
      // private ones for the first bypassed type in the order I, W, O. Any
      // other bypassed type may hold one element.
      {"partial gb first bypassed at private capacity",
       {.global_buffer_size = "32,16",
        .global_buffer_extra = "BYPASS=INPUT,WEIGHT\n"},
       {{kGlobalBufferRow, {1, 1, 16, 1, 1, 1, 1, 1}}},
       kValid},
      {"partial gb first bypassed over private capacity",
       {.global_buffer_size = "32,16",
        .global_buffer_extra = "BYPASS=INPUT,WEIGHT\n"},
       {{kGlobalBufferRow, {1, 1, 17, 1, 1, 1, 1, 1}}},
       Bit(Violation::kGlobalBufferCapacity)},
      {"partial gb second bypassed over one element",
       {.global_buffer_size = "32,16",
        .global_buffer_extra = "BYPASS=INPUT,WEIGHT\n"},
       {{kGlobalBufferRow, {1, 1, 1, 1, 2, 1, 1, 1}}},
       Bit(Violation::kGlobalBufferCapacity)},
      {"partial gb weight first bypassed at private capacity",
       {.global_buffer_size = "32,16",
        .global_buffer_extra = "BYPASS=WEIGHT\n"},
       {{kGlobalBufferRow, {16, 1, 1, 1, 1, 1, 1, 1}}},
       kValid},
      {"partial gb weight first bypassed over private capacity",
       {.global_buffer_size = "32,16",
        .global_buffer_extra = "BYPASS=WEIGHT\n"},
       {{kGlobalBufferRow, {17, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kGlobalBufferCapacity)},
      {"partial gb shared part over capacity",
       {.global_buffer_size = "32,16", .global_buffer_extra = "BYPASS=INPUT\n"},
       {{kGlobalBufferRow, {8, 1, 1, 1, 4, 1, 1, 1}}},
       Bit(Violation::kGlobalBufferCapacity)},

      // Unit rows must stay all ones even where the tiles fit: a unit
      // local buffer (1,1,1 bytes) and a unit global buffer (3 bytes,
      // that is 3 * 8 bits / 8) whose rows hold K=2 with the grown types
      // bypassed.
      {"unit lb row ones",
       {.local_buffer_size = "1,1,1",
        .local_buffer_extra = "BYPASS=WEIGHT,OUTPUT\n"},
       {},
       kValid},
      {"unit lb row not ones",
       {.local_buffer_size = "1,1,1",
        .local_buffer_extra = "BYPASS=WEIGHT,OUTPUT\n"},
       {{kLocalBufferRow, {2, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kLocalBufferCapacity)},
      {"unit gb row not ones",
       {.global_buffer_size = "3",
        .global_buffer_extra = "BYPASS=WEIGHT,OUTPUT\n"},
       {{kGlobalBufferRow, {2, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kGlobalBufferCapacity)},
      {"unit pe y row not ones",
       {.pe_array = "SIZE_X=4\nSIZE_Y=1\n"},
       {{kPeYRow, {2, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kPeArraySize)},
      {"unit pe y row beside used x row",
       {.pe_array = "SIZE_X=4\nSIZE_Y=1\n"},
       {{kPeXRow, {4, 1, 1, 1, 1, 1, 1, 1}}},
       kValid},
      {"1x1 mac array row not ones",
       {.mac_array = "SIZE_X=1\nSIZE_Y=1\n"},
       {{kMacXRow, {2, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kMacArraySize)},

      // Memory CONSTRAINT: a non-zero value fixes the row's value.
      {"lb constraint kept",
       {.local_buffer_extra = "CONSTRAINT=2,0,0,0,0,0,0,0\n"},
       {{kLocalBufferRow, {2, 1, 1, 1, 2, 1, 1, 1}}},
       kValid},
      {"lb constraint broken",
       {.local_buffer_extra = "CONSTRAINT=2,0,0,0,0,0,0,0\n"},
       {},
       Bit(Violation::kLocalBufferConstraint)},
      {"gb constraint kept",
       {.global_buffer_extra = "CONSTRAINT=0,0,2,0,0,0,0,0\n"},
       {{kGlobalBufferRow, {1, 1, 2, 1, 1, 1, 1, 1}}},
       kValid},
      {"gb constraint broken",
       {.global_buffer_extra = "CONSTRAINT=0,0,2,0,0,0,0,0\n"},
       {},
       Bit(Violation::kGlobalBufferConstraint)},
      {"dram constraint kept",
       {.dram_extra = "CONSTRAINT=0,0,0,0,4,0,0,0\n"},
       {{kDramRow, {1, 1, 1, 1, 4, 1, 1, 1}}},
       kValid},
      {"dram constraint broken",
       {.dram_extra = "CONSTRAINT=0,0,0,0,4,0,0,0\n"},
       {{kDramRow, {1, 1, 1, 1, 2, 1, 1, 1}}},
       Bit(Violation::kDramConstraint)},

      {"several violations",
       {},
       {{kRegisterRow, {2, 1, 1, 1, 1, 1, 1, 1}},
        {kPeXRow, {5, 1, 1, 1, 1, 1, 1, 1}}},
       Bit(Violation::kRegisterRow) | Bit(Violation::kPeArraySize)},
  };
}

TEST(CostModel, ValidityRules) {
  absl::StatusOr<Layer> layer = MakeLayer("unit", LayerShape{}, "test layer");
  ASSERT_TRUE(layer.ok()) << layer.status();

  for (const ValidityCase& test_case : ValidityCases()) {
    SCOPED_TRACE(test_case.name);
    const std::string text = test_case.accelerator.Build();
    absl::StatusOr<Accelerator> accelerator =
        ParseAcceleratorText(text, "small.cfg");
    ASSERT_TRUE(accelerator.ok()) << accelerator.status() << "\n" << text;
    const Mapping mapping = MappingWithRows(test_case.rows);

    const CostModel model(*accelerator, *layer);
    Evaluation evaluation;
    model.Evaluate(mapping, &evaluation);
    EXPECT_EQ(evaluation.violations, test_case.expected)
        << "got " << ViolationList(evaluation.violations) << ", expected "
        << ViolationList(test_case.expected);
    EXPECT_EQ(model.Violations(mapping), test_case.expected);
    EXPECT_EQ(evaluation.valid(), test_case.expected == kValid);
  }
}

TEST(CostModel, ViolationNamesInEnumOrder) {
  EXPECT_EQ(ViolationList(Bit(Violation::kDramConstraint) |
                          Bit(Violation::kRegisterRow) |
                          Bit(Violation::kPeArraySize)),
            "register_row, pe_array_size, dram_constraint");
  EXPECT_TRUE(ViolationNames(kValid).empty());
}

// ---------------------------------------------------------------------------
// Modelling rules, on hand-computed cases.

// INT8 (one byte per element), 500 MHz (2 ns per cycle), no MAC array,
// a 2x2 PE array, one chip. LB: separate, WS, bandwidth 1 word per cycle.
// GB: shared, OS, 2 words per cycle. DRAM: 2 words per cycle, 4 cycles
// per transfer.
constexpr absl::string_view kTinyAccelerator = R"([ACCELERATOR]
NAME=TINY
PRECISION=INT8
FREQUENCY=500
UNIT_MAC_ENERGY=1
UNIT_MAC_STATIC=0.5

[LOCAL_BUFFER]
DATAFLOW=WS
BUFFER_SIZE=64,64,64
UNIT_ACCESS_ENERGY=1,2,3
UNIT_STATIC_POWER=0.1,0.2,0.3
UNIT_CYCLE=1,1,1
BANDWIDTH=8

[PE_ARRAY]
SIZE_X=2
SIZE_Y=2

[GLOBAL_BUFFER]
DATAFLOW=OS
BUFFER_SIZE=1024
UNIT_ACCESS_ENERGY=10,20,30
UNIT_STATIC_POWER=1,1,1
UNIT_CYCLE=1,1,1
BANDWIDTH=16

[DRAM]
UNIT_ACCESS_ENERGY=100,100,100
UNIT_STATIC_POWER=2,2,2
UNIT_CYCLE=4,4,4
BANDWIDTH=16
)";

// kTinyAccelerator with the line `from` replaced by `to`.
std::string TinyAcceleratorWith(absl::string_view from, absl::string_view to) {
  std::string text(kTinyAccelerator);
  if (absl::StrReplaceAll({{from, to}}, &text) != 1) {
    ADD_FAILURE() << "line \"" << from << "\" is not in kTinyAccelerator once";
  }
  return text;
}

absl::StatusOr<Layer> SmallLayer(const LayerShape& shape) {
  return MakeLayer("small", shape, "small layer");
}

struct CycleCase {
  Accelerator accelerator;
  Evaluation evaluation;
};

// Evaluates layer K=8 B=1 P=2 Q=1 C=4 R=S=1 (64 MACs) with LB K=2 C=2,
// PE_X K=2, GB K=2 P=2 C=2 and DRAM ones on the accelerator `text`.
absl::StatusOr<CycleCase> EvaluateCycleCase(absl::string_view text) {
  absl::StatusOr<Accelerator> accelerator =
      ParseAcceleratorText(text, "tiny.cfg");
  if (!accelerator.ok()) return accelerator.status();
  absl::StatusOr<Layer> layer =
      SmallLayer({.k = 8, .b = 1, .p = 2, .q = 1, .c = 4, .r = 1, .s = 1});
  if (!layer.ok()) return layer.status();

  Mapping mapping = MappingWithRows({
      {kLocalBufferRow, {2, 1, 1, 1, 2, 1, 1, 1}},
      {kPeXRow, {2, 1, 1, 1, 1, 1, 1, 1}},
      {kGlobalBufferRow, {2, 1, 2, 1, 2, 1, 1, 1}},
  });
  SetConfiguredDataflows(*accelerator, &mapping);
  CycleCase result{*std::move(accelerator), Evaluation{}};
  CostModel(result.accelerator, *layer).Evaluate(mapping, &result.evaluation);
  return result;
}

// Layer K=4 P=2 C=4 with LB K=2 C=2, GB K=2 P=2 C=2 and DRAM ones. Every
// GB tile differs from its sent tile, so no read-once rule changes the GB.
// LB counts, whatever the LB's dataflow: T(3) = 4 * 8 = 32 reads and
// writes, and output reads cK * cBPQ * (cCRS - 1) = 4 * 2 * 3 = 24.
// GB counts under the LB's dataflow: T(6) = 8, output reads
// 2 * 2 * (2 - 1) = 4, and the stationary type's count divided by the GB
// row's irrelevant product (K, B*P*Q or C*R*S, each 2). Under OS the
// output reads use the DRAM row's C*R*S = 1 and so are 0.
TEST(CostModel, LocalBufferDataflowOnlyChangesGlobalBufferCounts) {
  absl::StatusOr<Accelerator> accelerator =
      ParseAcceleratorText(kTinyAccelerator, "tiny.cfg");
  ASSERT_TRUE(accelerator.ok()) << accelerator.status();
  absl::StatusOr<Layer> layer =
      SmallLayer({.k = 4, .b = 1, .p = 2, .q = 1, .c = 4, .r = 1, .s = 1});
  ASSERT_TRUE(layer.ok()) << layer.status();
  const CostModel model(*accelerator, *layer);

  const struct {
    Dataflow dataflow;
    CountList global_buffer;
  } kCases[] = {
      {Dataflow::kNone, {8, 8, 4, 8}},
      {Dataflow::kInputStationary, {4, 8, 4, 8}},
      {Dataflow::kWeightStationary, {8, 4, 4, 8}},
      {Dataflow::kOutputStationary, {8, 8, 0, 4}},
  };
  for (const auto& test_case : kCases) {
    SCOPED_TRACE(DataflowName(test_case.dataflow));
    Mapping mapping = MappingWithRows({
        {kLocalBufferRow, {2, 1, 1, 1, 2, 1, 1, 1}},
        {kGlobalBufferRow, {2, 1, 2, 1, 2, 1, 1, 1}},
    });
    mapping.dataflows[kLocalBufferRow] = test_case.dataflow;
    Evaluation evaluation;
    model.Evaluate(mapping, &evaluation);

    EXPECT_EQ(ListOf(evaluation.counts[kLocalBuffer]),
              (CountList{32, 32, 24, 32}));
    EXPECT_EQ(ListOf(evaluation.counts[kGlobalBuffer]),
              test_case.global_buffer);
    EXPECT_EQ(ListOf(evaluation.counts[kDram]), (CountList{1, 1, 0, 1}));
  }
}

// Input-stationary LB: the GB input reads are T(6) / irrI(6), where
// irrI is the GB row's K, or when K is 1 the larger of its B*P*Q and
// C*R*S. Layer K=2 B=1 P=4 Q=1 C=8 R=S=1, DRAM row ones, so T(6) is the
// GB row's product. The other GB counts: weight reads and output writes
// T(6), output reads cK * cBPQ * (cCRS - 1).
TEST(CostModel, InputStationaryFallsBackToLargerProduct) {
  absl::StatusOr<Accelerator> accelerator =
      ParseAcceleratorText(kTinyAccelerator, "tiny.cfg");
  ASSERT_TRUE(accelerator.ok()) << accelerator.status();
  absl::StatusOr<Layer> layer =
      SmallLayer({.k = 2, .b = 1, .p = 4, .q = 1, .c = 8, .r = 1, .s = 1});
  ASSERT_TRUE(layer.ok()) << layer.status();
  const CostModel model(*accelerator, *layer);

  const struct {
    const char* name;
    RowValues local_buffer;
    RowValues global_buffer;
    CountList expected;
  } kCases[] = {
      // GB K=1, BPQ=4 > CRS=2: T(6) = 8, input reads 8 / 4 = 2; output
      // reads 1 * 4 * (2 - 1) = 4.
      {"bpq larger",
       {2, 1, 1, 1, 4, 1, 1, 1},
       {1, 1, 4, 1, 2, 1, 1, 1},
       {2, 8, 4, 8}},
      // GB K=1, CRS=8 > BPQ=4: T(6) = 32, input reads 32 / 8 = 4 (not
      // 32 / 4 = 8); output reads 1 * 4 * (8 - 1) = 28.
      {"crs larger",
       {2, 1, 1, 1, 1, 1, 1, 1},
       {1, 1, 4, 1, 8, 1, 1, 1},
       {4, 32, 28, 32}},
      // GB K=2: T(6) = 16, input reads 16 / 2 = 8 (not 16 / 4 = 4);
      // output reads 2 * 4 * (2 - 1) = 8.
      {"k not one",
       {1, 1, 1, 1, 4, 1, 1, 1},
       {2, 1, 4, 1, 2, 1, 1, 1},
       {8, 16, 8, 16}},
  };
  for (const auto& test_case : kCases) {
    SCOPED_TRACE(test_case.name);
    Mapping mapping = MappingWithRows({
        {kLocalBufferRow, test_case.local_buffer},
        {kGlobalBufferRow, test_case.global_buffer},
    });
    mapping.dataflows[kLocalBufferRow] = Dataflow::kInputStationary;
    Evaluation evaluation;
    model.Evaluate(mapping, &evaluation);

    EXPECT_EQ(ListOf(evaluation.counts[kGlobalBuffer]), test_case.expected);
  }
}

struct BypassCase {
  const char* name;
  const char* global_buffer_lines;  // replaces "DATAFLOW=OS"
  LayerShape shape;
  RowValues global_buffer_row;
  RowValues dram_row;
  CountList global_buffer;
  CountList dram;
};

// The GB-bypass exception applies to at most one data type (the first of
// I, W, O that qualifies), and the input case scales the DRAM output
// writes. The LB is WS; GB counts copied by the read-once rule keep the
// values from before the exception.
TEST(CostModel, GlobalBufferBypassException) {
  const BypassCase kCases[] = {
      // WS GB bypassing I; layer K=4 C=2; GB row C=2, DRAM row K=4.
      // Tiles: sent/allocated GB I 1/2, DRAM I 2/2 (K does not grow I),
      // so I qualifies. DRAM (WS, T(9)=4): (4, 4/1, 4*(1-1), 4); read-once
      // sets I reads to 1; the exception multiplies the output writes by
      // irrI(9) = K = 4: (1, 4, 0, 16). GB (T(6)=8): (8, 8, 4*(2-1), 8),
      // and its O tile is not grown, so O takes DRAM's (0, 4).
      {"input scales dram output writes",
       "DATAFLOW=WS\nBYPASS=INPUT",
       {.k = 4, .b = 1, .p = 1, .q = 1, .c = 2, .r = 1, .s = 1},
       {1, 1, 1, 1, 2, 1, 1, 1},
       {4, 1, 1, 1, 1, 1, 1, 1},
       {8, 8, 0, 4},
       {1, 4, 0, 16}},
      // OS GB bypassing I and W; layer P=2 C=2 with stride 0, so P does
      // not grow I. GB row C=2, DRAM row P=2. I and W both qualify (DRAM
      // tiles I 2/2, W 2/2; GB tiles I 1/2, W 1/2). DRAM (OS, T(9)=2):
      // (2, 2, 0, 2/1); read-once gives (1, 1, 0, 2); only the input case
      // runs: output writes * irrI(9) = max(BPQ 2, CRS 1) = 2, and the
      // weight reads stay 1. GB (T(6)=4): (4, 4, 2*(2-1), 4), O copied
      // from DRAM before the exception: (4, 4, 0, 2).
      {"only first qualifying type adjusted",
       "DATAFLOW=OS\nBYPASS=INPUT,WEIGHT",
       {.k = 1, .b = 1, .p = 2, .q = 1, .c = 2, .r = 1, .s = 1, .stride = 0},
       {1, 1, 1, 1, 2, 1, 1, 1},
       {1, 1, 2, 1, 1, 1, 1, 1},
       {4, 4, 0, 2},
       {1, 1, 0, 4}},
      // Same table with only W bypassed: weight reads 1 * irrW(9) = 2.
      {"weight scales dram weight reads",
       "DATAFLOW=OS\nBYPASS=WEIGHT",
       {.k = 1, .b = 1, .p = 2, .q = 1, .c = 2, .r = 1, .s = 1, .stride = 0},
       {1, 1, 1, 1, 2, 1, 1, 1},
       {1, 1, 2, 1, 1, 1, 1, 1},
       {4, 4, 0, 2},
       {1, 2, 0, 2}},
      // Same table without bypass: no exception.
      {"no bypass",
       "DATAFLOW=OS",
       {.k = 1, .b = 1, .p = 2, .q = 1, .c = 2, .r = 1, .s = 1, .stride = 0},
       {1, 1, 1, 1, 2, 1, 1, 1},
       {1, 1, 2, 1, 1, 1, 1, 1},
       {4, 4, 0, 2},
       {1, 1, 0, 2}},
      // WS GB bypassing O; layer K=2 C=2; GB row K=2, DRAM row C=2. DRAM
      // (WS, T(9)=2): (2, 2, 1*(2-1), 2); the DRAM O tile is not grown
      // (read-once: Ord 0, Owt 1), the GB's is: output reads irrO(9)-1 =
      // 1, writes 1 * 2: (2, 2, 1, 2). GB (T(6)=4): (4, 4, 2*(2-1), 4);
      // its I tile is not grown, so I takes DRAM's 2: (2, 4, 2, 4).
      {"output sets dram output reads",
       "DATAFLOW=WS\nBYPASS=OUTPUT",
       {.k = 2, .b = 1, .p = 1, .q = 1, .c = 2, .r = 1, .s = 1},
       {2, 1, 1, 1, 1, 1, 1, 1},
       {1, 1, 1, 1, 2, 1, 1, 1},
       {2, 4, 2, 4},
       {2, 2, 1, 2}},
  };
  for (const BypassCase& test_case : kCases) {
    SCOPED_TRACE(test_case.name);
    absl::StatusOr<Accelerator> accelerator = ParseAcceleratorText(
        TinyAcceleratorWith("DATAFLOW=OS", test_case.global_buffer_lines),
        "tiny.cfg");
    ASSERT_TRUE(accelerator.ok()) << accelerator.status();
    absl::StatusOr<Layer> layer = SmallLayer(test_case.shape);
    ASSERT_TRUE(layer.ok()) << layer.status();
    Mapping mapping = MappingWithRows({
        {kGlobalBufferRow, test_case.global_buffer_row},
        {kDramRow, test_case.dram_row},
    });
    SetConfiguredDataflows(*accelerator, &mapping);

    Evaluation evaluation;
    CostModel(*accelerator, *layer).Evaluate(mapping, &evaluation);
    EXPECT_TRUE(evaluation.valid()) << ViolationList(evaluation.violations);
    EXPECT_EQ(ListOf(evaluation.counts[kGlobalBuffer]),
              test_case.global_buffer);
    EXPECT_EQ(ListOf(evaluation.counts[kDram]), test_case.dram);
  }
}

// The cycle case by hand. Tiles: sent LB (1,1,1), allocated LB (2,4,2),
// sent GB (2,8,4), allocated GB = sent DRAM = allocated DRAM (8,32,16).
// Counts: LB (32,32,24,32), GB under WS (8,4,4,8), DRAM (1,1,0,1).
// Active PEs 2.
//   mac  = 64 MACs / 2 = 32
//   LB   = max(1*32, 1*32, 1*(24+32)) = 56             (separate: max)
//   GB   = ceil(2*8/2) + ceil(8*4/2) + ceil(4*12/2) = 8+16+24 = 48
//   DRAM = (ceil(8/2) + ceil(32/2) + ceil(16/2)) * 4 = 112
//   total = 32 + 56 + 48 + 112 = 248, the levels never overlapping.
// Energies (pJ): E_LB_upper = (32*1 + 32*2 + 56*3) * 2 = 528,
// E_LB_lower = (2*8*1 + 4*4*2 + 2*12*3) * 2 = 240,
// E_GB_upper = 2*8*10 + 8*4*20 + 4*12*30 = 2240,
// E_GB_lower = 8*10 + 32*20 + 16*30 = 1200, E_DRAM = (8+32+16)*100 = 5600.
// Static per cycle (2 ns): MAC 0.5*2*4 = 4, LB 0.6*2*4 = 4.8, GB 3*2 = 6,
// DRAM 6*2 = 12.
TEST(CostModel, LevelCyclesAddSerially) {
  absl::StatusOr<CycleCase> result = EvaluateCycleCase(kTinyAccelerator);
  ASSERT_TRUE(result.ok()) << result.status();
  const Evaluation& e = result->evaluation;

  EXPECT_TRUE(e.valid());
  EXPECT_EQ(ListOf(e.counts[kLocalBuffer]), (CountList{32, 32, 24, 32}));
  EXPECT_EQ(ListOf(e.counts[kGlobalBuffer]), (CountList{8, 4, 4, 8}));
  EXPECT_EQ(ListOf(e.counts[kDram]), (CountList{1, 1, 0, 1}));
  EXPECT_EQ(e.active_pes, 2u);
  ExpectRealTerms({
      {"mac_cycle", e.mac_cycles, 32},
      {"lb_cycle", e.lb_cycles, 56},
      {"gb_cycle", e.gb_cycles, 48},
      {"dram_cycle", e.dram_cycles, 112},
      {"total_cycle", e.total_cycles, 248},
      {"E_mac", e.mac_dynamic_energy, 64},
      {"E_LB_upper", e.lb_upper_energy, 528},
      {"E_LB_lower", e.lb_lower_energy, 240},
      {"E_GB_upper", e.gb_upper_energy, 2240},
      {"E_GB_lower", e.gb_lower_energy, 1200},
      {"E_DRAM", e.dram_dynamic_energy, 5600},
  });
}

// Doubling the DRAM cycles per transfer adds 112 cycles to the total
// (248 -> 360), and every static energy grows with the total: static
// energy is power * clock period * installed units * total cycles.
TEST(CostModel, StaticEnergyScalesWithTotalCycles) {
  const struct {
    const char* name;
    std::string text;
    double total_cycles;
  } kCases[] = {
      {"dram 4 cycles per transfer", std::string(kTinyAccelerator), 248},
      {"dram 8 cycles per transfer",
       TinyAcceleratorWith("UNIT_CYCLE=4,4,4", "UNIT_CYCLE=8,8,8"), 360},
  };
  for (const auto& test_case : kCases) {
    SCOPED_TRACE(test_case.name);
    absl::StatusOr<CycleCase> result = EvaluateCycleCase(test_case.text);
    ASSERT_TRUE(result.ok()) << result.status();
    const Evaluation& e = result->evaluation;
    const double cycles = test_case.total_cycles;

    ExpectRealTerms({
        {"total_cycle", e.total_cycles, cycles},
        {"S_mac", e.mac_static_energy, 4 * cycles},
        {"S_LB", e.lb_static_energy, 4.8 * cycles},
        {"S_GB", e.gb_static_energy, 6 * cycles},
        {"S_DRAM", e.dram_static_energy, 12 * cycles},
        {"S_tot", e.total_static_energy(), 26.8 * cycles},
    });
  }
}

// LB lists with one value (energy, unit cycles) or two (static power):
// the missing weight and output entries are 0, as if written as 0.
//   E_LB_upper = (32*1 + 0 + 0) * 2 = 64, E_LB_lower = (2*8*1) * 2 = 32
//   LB cycles = max(32, 32*0, 56*0) = 32, total 32 + 32 + 48 + 112 = 224
//   S_LB = (0.1 + 0.2 + 0) * 2 ns * 4 PEs * 224 = 537.6
TEST(CostModel, ShortCostListsLeaveMissingEntriesZero) {
  std::string text =
      TinyAcceleratorWith("UNIT_ACCESS_ENERGY=1,2,3", "UNIT_ACCESS_ENERGY=1");
  text = absl::StrReplaceAll(
      text, {{"UNIT_STATIC_POWER=0.1,0.2,0.3", "UNIT_STATIC_POWER=0.1,0.2"},
             {"UNIT_CYCLE=1,1,1\nBANDWIDTH=8", "UNIT_CYCLE=1\nBANDWIDTH=8"}});
  absl::StatusOr<CycleCase> short_lists = EvaluateCycleCase(text);
  ASSERT_TRUE(short_lists.ok()) << short_lists.status();
  const Accelerator& accelerator = short_lists->accelerator;
  EXPECT_THAT(accelerator.local_buffer.access_energy_pj, ElementsAre(1, 0, 0));
  EXPECT_THAT(accelerator.local_buffer.unit_cycles, ElementsAre(1, 0, 0));
  EXPECT_THAT(accelerator.local_buffer.static_power_mw,
              ElementsAre(0.1, 0.2, 0));
  const Evaluation& e = short_lists->evaluation;

  ExpectRealTerms({
      {"E_LB_upper", e.lb_upper_energy, 64},
      {"E_LB_lower", e.lb_lower_energy, 32},
      {"lb_cycle", e.lb_cycles, 32},
      {"total_cycle", e.total_cycles, 224},
      {"S_LB", e.lb_static_energy, 537.6},
  });

  absl::StatusOr<CycleCase> explicit_zeros =
      EvaluateCycleCase(absl::StrReplaceAll(
          kTinyAccelerator,
          {{"UNIT_ACCESS_ENERGY=1,2,3", "UNIT_ACCESS_ENERGY=1,0,0"},
           {"UNIT_STATIC_POWER=0.1,0.2,0.3", "UNIT_STATIC_POWER=0.1,0.2,0"},
           {"UNIT_CYCLE=1,1,1\nBANDWIDTH=8",
            "UNIT_CYCLE=1,0,0\nBANDWIDTH=8"}}));
  ASSERT_TRUE(explicit_zeros.ok()) << explicit_zeros.status();
  EXPECT_EQ(explicit_zeros->evaluation.total_energy(), e.total_energy());
  EXPECT_EQ(explicit_zeros->evaluation.total_cycles, e.total_cycles);
}

// ---------------------------------------------------------------------------
// 64-bit products.

// The whole layer iterated from DRAM on eyeriss. With N = all MACs and
// CRS = C*R*S of the layer: LB (none) (N, N, N/CRS*(CRS-1), N); DRAM (OS
// at the GB) (N, N, 0, N/CRS); the GB sends the same tiles it holds, so it
// copies DRAM's counts. The DRAM allocated tiles are the whole tensors.
TEST(CostModel, LargeLayersDoNotWrap) {
  absl::StatusOr<Accelerator> accelerator = LoadAccelerator("eyeriss");
  ASSERT_TRUE(accelerator.ok()) << accelerator.status();
  absl::StatusOr<Network> yolo = LoadNetwork("yolo");
  ASSERT_TRUE(yolo.ok()) << yolo.status();
  absl::StatusOr<const Layer*> conv2 = yolo->FindLayer("CONV_2");
  ASSERT_TRUE(conv2.ok()) << conv2.status();
  ASSERT_EQ((*conv2)->MacCount(), 1703411712u);
  LayerShape conv2_batch64 = (*conv2)->shape;
  conv2_batch64.b = 64;

  const struct {
    const char* name;
    LayerShape shape;
    uint64_t mac_count;
    uint64_t lb_output_reads;
    uint64_t dram_output_writes;
    TileSizes dram_tiles;
  } kCases[] = {
      // 1,703,411,712 MACs times 64; CRS = 32*3*3 = 288.
      {"yolo CONV_2 at batch 64",
       conv2_batch64,
       109018349568,
       109018349568 / 288 * 287,
       109018349568 / 288,
       {64 * 32 * 609 * 609, 64 * 32 * 3 * 3, 64 * 64 * 304 * 304}},
      // K*B*P*Q = 6,056,574,976 outputs, above 2^32; CRS = 8.
      {"output tensor above 2^32",
       {.k = 1024, .b = 64, .p = 304, .q = 304, .c = 8, .r = 1, .s = 1},
       48452599808,
       6056574976 * 7,
       6056574976,
       {64 * 8 * 304 * 304, 1024 * 8, 6056574976}},
  };
  for (const auto& test_case : kCases) {
    SCOPED_TRACE(test_case.name);
    absl::StatusOr<Layer> layer =
        MakeLayer(test_case.name, test_case.shape, "large layer");
    ASSERT_TRUE(layer.ok()) << layer.status();
    const uint64_t n = test_case.mac_count;
    ASSERT_GT(n, uint64_t{1} << 32);

    const CostModel model(*accelerator, *layer);
    Evaluation e;
    model.Evaluate(InitialMapping(*accelerator, *layer), &e);

    EXPECT_EQ(model.mac_count(), n);
    EXPECT_TRUE(e.valid());
    EXPECT_EQ(e.allocated_tiles[kDram], test_case.dram_tiles);
    EXPECT_EQ(e.sent_tiles[kDram], (TileSizes{1, 1, 1}));
    EXPECT_EQ(ListOf(e.counts[kLocalBuffer]),
              (CountList{n, n, test_case.lb_output_reads, n}));
    const CountList outer = {n, n, 0, test_case.dram_output_writes};
    EXPECT_EQ(ListOf(e.counts[kGlobalBuffer]), outer);
    EXPECT_EQ(ListOf(e.counts[kDram]), outer);

    // Exact in double: N and the counts stay below 2^53.
    EXPECT_EQ(e.mac_cycles, static_cast<double>(n));
    ExpectRealTerms({
        {"E_DRAM", e.dram_dynamic_energy,
         128.0 * (2.0 * n + test_case.dram_output_writes)},
        {"E_mac", e.mac_dynamic_energy, 2.2 * n},
    });
  }
}

}  // namespace
}  // namespace neurospector
