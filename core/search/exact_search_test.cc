// The exact search against a plain enumeration of the whole mapping space
// on small layers, and the soundness of its lower bounds.

#include "core/search/exact_search.h"

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/accelerator_parser.h"
#include "core/cost_model.h"
#include "core/inputs.h"
#include "core/search/bottom_up.h"
#include "core/search/dataflows.h"
#include "core/search/exact_bounds.h"
#include "core/search/factor_space.h"
#include "gtest/gtest.h"

namespace neurospector {
namespace {

// A small accelerator with every kind of level: MAC array, local buffer,
// PE array, global buffer, chips.
constexpr char kTinyHierarchy[] = R"(
[ACCELERATOR]
NAME=tiny
PRECISION=INT8
FREQUENCY=500
UNIT_MAC_ENERGY=1.5
UNIT_MAC_STATIC=0.01
[MAC_ARRAY]
SIZE_X=2
SIZE_Y=2
[LOCAL_BUFFER]
DATAFLOW=WS
BUFFER_SIZE=16,16,8
UNIT_ACCESS_ENERGY=0.3,0.5,0.4
UNIT_STATIC_POWER=0.0001,0.0002,0.0001
UNIT_CYCLE=1,1,1
BANDWIDTH=16
[PE_ARRAY]
SIZE_X=2
SIZE_Y=3
CONSTRAINT_X=K,B,P,Q
[GLOBAL_BUFFER]
DATAFLOW=OS
BUFFER_SIZE=400
BYPASS=WEIGHT
UNIT_ACCESS_ENERGY=4,1,4
UNIT_STATIC_POWER=0.003,0.001,0.003
UNIT_CYCLE=1,1,1
BANDWIDTH=24
[MULTI_CHIPS]
SIZE_X=2
SIZE_Y=2
CONSTRAINT_Y=B,P,Q
[DRAM]
UNIT_ACCESS_ENERGY=64,64,64
UNIT_STATIC_POWER=0.008,0.008,0.008
UNIT_CYCLE=4,4,4
BANDWIDTH=32
)";

struct Best {
  bool found = false;
  double cost = 0;
  Mapping table;
  int combination = 0;
};

// Rows the plain enumeration assigns: every searched row.
std::vector<int> SearchedRows(const Accelerator& accelerator) {
  std::vector<int> rows;
  for (int row = 1; row < kNumRows; ++row) {
    if (!accelerator.IsSkippable(row)) rows.push_back(row);
  }
  return rows;
}

ParamVector ProductOfRows(const Mapping& table, int x_row, int y_row) {
  ParamVector v;
  for (Param p : kAllParams) {
    v[p] = uint64_t{table.rows[x_row][p]} * table.rows[y_row][p];
  }
  return v;
}

ParamVector RowVector(const Mapping& table, int row) {
  ParamVector v;
  for (Param p : kAllParams) v[p] = table.rows[row][p];
  return v;
}

// Checks that every prefix of `table`, as the exact search fixes it, has a
// lower bound at most the table's cost.
void ExpectBoundsBelow(const ExactBound& bound, const Accelerator& accelerator,
                       const Mapping& table, double cost) {
  PartialTable partial;
  partial.dram = RowVector(table, kDramRow);
  const bool chips = !accelerator.IsSkippable(kChipXRow) ||
                     !accelerator.IsSkippable(kChipYRow);
  const bool gb = !accelerator.IsSkippable(kGlobalBufferRow);
  const bool pe =
      !accelerator.IsSkippable(kPeXRow) || !accelerator.IsSkippable(kPeYRow);
  const bool mac =
      !accelerator.IsSkippable(kMacXRow) || !accelerator.IsSkippable(kMacYRow);
  partial.chips_fixed = !chips;
  partial.gb_fixed = !gb;
  partial.pe_fixed = !pe;
  partial.mac_fixed = !mac;

  const auto check = [&](const char* stage) {
    const double lower = bound.LowerBound(partial);
    EXPECT_LE(lower, cost * (1 + 1e-9))
        << "stage " << stage << ", table DRAM row "
        << testing::PrintToString(table.rows[kDramRow]);
  };
  check("dram");
  partial.chips = ProductOfRows(table, kChipXRow, kChipYRow);
  partial.chips_fixed = true;
  check("chips");
  partial.gb = RowVector(table, kGlobalBufferRow);
  partial.gb_fixed = true;
  check("global buffer");
  partial.pe = ProductOfRows(table, kPeXRow, kPeYRow);
  partial.pe_fixed = true;
  check("pe");
  partial.mac = ProductOfRows(table, kMacXRow, kMacYRow);
  partial.mac_fixed = true;
  check("mac");
}

// Minimum over the whole space by plain enumeration, with the exact
// search's tie-break; also checks the bounds at every valid table.
Best EnumerateAll(const Accelerator& accelerator, const Layer& layer,
                  Metric metric, DataflowMode mode, bool check_bounds) {
  const CostModel model(accelerator, layer);
  const FactorSpace space(layer.params, SearchedRows(accelerator), accelerator);
  const std::vector<DataflowCombination> combinations =
      DataflowCombinations(accelerator, mode);
  Best best;
  for (size_t c = 0; c < combinations.size(); ++c) {
    const ExactBound bound(model, accelerator, layer, metric, combinations[c]);
    Mapping table;
    table.dataflows = combinations[c];
    FactorSpace::Digits digits = space.DigitsAt(0);
    Evaluation evaluation;
    for (uint64_t position = 0; position < space.Size(); ++position) {
      if (position > 0) space.Advance(&digits);
      space.Write(digits, &table);
      if (!model.EvaluateIfValid(table, &evaluation)) continue;
      const double cost = evaluation.Objective(metric);
      if (check_bounds) ExpectBoundsBelow(bound, accelerator, table, cost);
      const bool better =
          !best.found || cost < best.cost ||
          (cost == best.cost && (table.rows < best.table.rows ||
                                 (table.rows == best.table.rows &&
                                  static_cast<int>(c) < best.combination)));
      if (better) best = {true, cost, table, static_cast<int>(c)};
    }
  }
  return best;
}

Layer RandomLayer(std::mt19937* random, int index) {
  const auto pick = [&](std::vector<uint64_t> values) {
    return values[(*random)() % values.size()];
  };
  LayerShape shape;
  shape.g = pick({1, 1, 1, 2});
  shape.k = shape.g * pick({1, 2, 3, 4, 6});
  shape.b = pick({1, 1, 2});
  shape.p = pick({1, 2, 3, 4, 6});
  shape.q = pick({1, 2, 4, 5});
  shape.c = shape.g * pick({1, 2, 3, 4});
  shape.r = pick({1, 1, 3});
  shape.s = pick({1, 3});
  shape.stride = pick({0, 1, 1, 2});
  return *MakeLayer(absl::StrCat("L", index), shape, "random layer");
}

struct Case {
  std::string accelerator;  // built-in name or "tiny"
  Metric metric;
  DataflowMode mode;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.accelerator << " " << MetricName(c.metric) << " "
      << DataflowModeName(c.mode);
}

Accelerator LoadCaseAccelerator(const std::string& name) {
  if (name == "tiny") return *ParseAcceleratorText(kTinyHierarchy, "tiny");
  return *LoadAccelerator(name);
}

class ExactSearchTest : public testing::TestWithParam<Case> {};

TEST_P(ExactSearchTest, EqualsPlainEnumerationOnRandomLayers) {
  const Case& c = GetParam();
  const Accelerator accelerator = LoadCaseAccelerator(c.accelerator);
  std::mt19937 random(12345);
  int compared = 0;
  for (int i = 0; compared < 12 && i < 200; ++i) {
    const Layer layer = RandomLayer(&random, i);
    const FactorSpace space(layer.params, SearchedRows(accelerator),
                            accelerator);
    if (space.Size() > 150000) continue;
    SCOPED_TRACE(absl::StrCat("layer K=", layer.shape.k, " B=", layer.shape.b,
                              " P=", layer.shape.p, " Q=", layer.shape.q,
                              " C=", layer.shape.c, " R=", layer.shape.r,
                              " S=", layer.shape.s, " G=", layer.shape.g,
                              " stride=", layer.shape.stride));
    const Best expected =
        EnumerateAll(accelerator, layer, c.metric, c.mode, true);
    SearchOptions options;
    options.metric = c.metric;
    options.dataflow_mode = c.mode;
    options.algorithm = SearchAlgorithm::kExact;
    const absl::StatusOr<LayerResult> exact =
        RunExactSearch(accelerator, layer, options, StopToken());
    ASSERT_TRUE(exact.ok()) << exact.status();
    ASSERT_TRUE(expected.found);
    EXPECT_TRUE(exact->optimal);
    EXPECT_EQ(exact->Objective(c.metric), expected.cost);
    EXPECT_EQ(exact->mapping.rows, expected.table.rows);

    options.algorithm = SearchAlgorithm::kBottomUp;
    const absl::StatusOr<LayerResult> bottom_up =
        RunBottomUpSearch(accelerator, layer, options, StopToken());
    ASSERT_TRUE(bottom_up.ok());
    EXPECT_LE(exact->Objective(c.metric), bottom_up->Objective(c.metric));
    ++compared;
  }
  EXPECT_GE(compared, 8);
}

INSTANTIATE_TEST_SUITE_P(
    Accelerators, ExactSearchTest,
    testing::Values(Case{"eyeriss", Metric::kEnergy, DataflowMode::kFixed},
                    Case{"eyeriss", Metric::kCycle, DataflowMode::kFixed},
                    Case{"eyeriss", Metric::kEnergy, DataflowMode::kFlexible},
                    Case{"tiny", Metric::kEnergy, DataflowMode::kFixed},
                    Case{"tiny", Metric::kCycle, DataflowMode::kFlexible},
                    Case{"maeri", Metric::kEnergy, DataflowMode::kFixed},
                    Case{"flexflow", Metric::kEnergy, DataflowMode::kFlexible},
                    Case{"tpu", Metric::kCycle, DataflowMode::kFixed},
                    Case{"tpuv3", Metric::kEnergy, DataflowMode::kFixed},
                    Case{"eyeriss-isca", Metric::kCycle,
                         DataflowMode::kFlexible},
                    Case{"acc_2lv", Metric::kEnergy, DataflowMode::kFlexible}),
    [](const testing::TestParamInfo<Case>& info) {
      std::string name = info.param.accelerator;
      name.erase(std::remove_if(name.begin(), name.end(),
                                [](char c) { return !std::isalnum(c); }),
                 name.end());
      return absl::StrCat(name,
                          "_", MetricName(info.param.metric), "_",
                          DataflowModeName(info.param.mode));
    });

}  // namespace
}  // namespace neurospector
