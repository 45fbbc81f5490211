// CostModel::ReevaluateRows gives exactly what a full evaluation gives
// after factors move between rows.

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/cost_model.h"
#include "core/inputs.h"
#include "gtest/gtest.h"

namespace neurospector {
namespace {

void ExpectSameEvaluation(const Evaluation& actual,
                          const Evaluation& expected) {
  EXPECT_EQ(actual.sent_tiles, expected.sent_tiles);
  EXPECT_EQ(actual.allocated_tiles, expected.allocated_tiles);
  for (int level = 0; level < kNumLevels; ++level) {
    SCOPED_TRACE(absl::StrCat("level ", level));
    EXPECT_EQ(actual.counts[level].input_reads,
              expected.counts[level].input_reads);
    EXPECT_EQ(actual.counts[level].weight_reads,
              expected.counts[level].weight_reads);
    EXPECT_EQ(actual.counts[level].output_reads,
              expected.counts[level].output_reads);
    EXPECT_EQ(actual.counts[level].output_writes,
              expected.counts[level].output_writes);
  }
  EXPECT_EQ(actual.active_macs, expected.active_macs);
  EXPECT_EQ(actual.active_pes, expected.active_pes);
  EXPECT_EQ(actual.active_chips, expected.active_chips);
  EXPECT_EQ(actual.total_energy(), expected.total_energy());
  EXPECT_EQ(actual.total_cycles, expected.total_cycles);
  EXPECT_EQ(actual.lb_upper_energy, expected.lb_upper_energy);
  EXPECT_EQ(actual.gb_lower_energy, expected.gb_lower_energy);
  EXPECT_EQ(actual.dram_dynamic_energy, expected.dram_dynamic_energy);
}

// Moves one prime factor of a random parameter from one row of
// [first, last] to another, if some row there has one to give.
bool MoveFactor(std::mt19937* random, int first, int last, Mapping* table) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    const int from = first + static_cast<int>((*random)() % (last - first + 1));
    const int to = first + static_cast<int>((*random)() % (last - first + 1));
    const Param param = static_cast<Param>((*random)() % kNumParams);
    const uint32_t value = table->rows[from][param];
    if (from == to || value == 1) continue;
    uint32_t prime = 2;
    while (value % prime != 0) ++prime;
    table->rows[from][param] /= prime;
    table->rows[to][param] *= prime;
    return true;
  }
  return false;
}

// Returns the initial table of `layer` after 30 random moves of a prime
// factor between rows 1 to 9, so that most rows get some factors.
Mapping SpreadTable(const Accelerator& accelerator, const Layer& layer,
                    std::mt19937* random) {
  Mapping table = InitialMapping(accelerator, layer);
  for (int spread = 0; spread < 30; ++spread) {
    MoveFactor(random, 1, kDramRow, &table);
  }
  return table;
}

TEST(ReevaluateRows, MatchesFullEvaluation) {
  const Network network = *LoadNetwork("resnet50");
  std::mt19937 random(7);
  for (const std::string name : {"eyeriss", "simba", "tpuv3", "maeri"}) {
    SCOPED_TRACE(name);
    const Accelerator accelerator = *LoadAccelerator(name);
    for (const Layer& layer : network.layers) {
      SCOPED_TRACE(layer.name);
      const CostModel model(accelerator, layer);
      Mapping table = SpreadTable(accelerator, layer, &random);
      EvaluationState state;
      model.EvaluateValid(table, &state);

      // The model does not need a valid table to compute its figures, so
      // the moves may use any rows, skippable ones included.
      for (int step = 0; step < 40; ++step) {
        const int first = static_cast<int>(random() % kNumRows);
        const int last =
            first + static_cast<int>(random() % (kNumRows - first));
        if (first == last || !MoveFactor(&random, first, last, &table)) {
          continue;
        }
        model.ReevaluateRows(table, first, last, &state);
        Evaluation full;
        model.EvaluateValid(table, &full);
        SCOPED_TRACE(absl::StrCat("rows ", first, " to ", last));
        ExpectSameEvaluation(state.evaluation, full);
      }
    }
  }
}

// Moves one prime factor of a random parameter between rows `a` and `b`,
// in a random direction, if one of them has one to give.
bool MoveFactorBetween(std::mt19937* random, int a, int b, Mapping* table) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    const bool forward = (*random)() % 2 == 0;
    const int from = forward ? a : b;
    const int to = forward ? b : a;
    const Param param = static_cast<Param>((*random)() % kNumParams);
    const uint32_t value = table->rows[from][param];
    if (value == 1) continue;
    uint32_t prime = 2;
    while (value % prime != 0) ++prime;
    table->rows[from][param] /= prime;
    table->rows[to][param] *= prime;
    return true;
  }
  return false;
}

TEST(ReevaluateRowPair, MatchesFullEvaluation) {
  const Network network = *LoadNetwork("resnet50");
  std::mt19937 random(11);
  for (const std::string name : {"eyeriss", "simba", "tpuv3"}) {
    SCOPED_TRACE(name);
    const Accelerator accelerator = *LoadAccelerator(name);
    for (const Layer& layer : network.layers) {
      SCOPED_TRACE(layer.name);
      const CostModel model(accelerator, layer);
      Mapping table = SpreadTable(accelerator, layer, &random);
      EvaluationState state;
      model.EvaluateValid(table, &state);

      for (int step = 0; step < 60; ++step) {
        const int a = static_cast<int>(random() % kNumRows);
        const int b = static_cast<int>(random() % kNumRows);
        if (a >= b || !MoveFactorBetween(&random, a, b, &table)) continue;
        model.ReevaluateRowPair(table, a, b, &state);
        Evaluation full;
        model.EvaluateValid(table, &full);
        SCOPED_TRACE(absl::StrCat("rows ", a, " and ", b));
        ExpectSameEvaluation(state.evaluation, full);
        EXPECT_EQ(state.evaluation.lb_cycles, full.lb_cycles);
        EXPECT_EQ(state.evaluation.mac_cycles, full.mac_cycles);
      }
    }
  }
}

// The cost-only variant gives the level cost of a full evaluation, over a
// run of moves between the same two rows as in one bottom-up step.
TEST(ReevaluateRowPairCost, MatchesFullLevelCost) {
  const Network network = *LoadNetwork("resnet50");
  std::mt19937 random(12);
  constexpr int kPairs[][2] = {{kGlobalBufferRow, kDramRow},
                               {kLocalBufferRow, kGlobalBufferRow},
                               {kPeXRow, kDramRow}};
  for (const std::string name : {"eyeriss", "simba", "tpuv3"}) {
    SCOPED_TRACE(name);
    const Accelerator accelerator = *LoadAccelerator(name);
    for (const Layer& layer : network.layers) {
      SCOPED_TRACE(layer.name);
      const CostModel model(accelerator, layer);
      Mapping table = SpreadTable(accelerator, layer, &random);
      for (const auto& [a, b] : kPairs) {
        for (Metric metric : {Metric::kEnergy, Metric::kCycle}) {
          SCOPED_TRACE(absl::StrCat("rows ", a, " and ", b, ", metric ",
                                    static_cast<int>(metric)));
          EvaluationState state;
          model.EvaluateValid(table, &state);
          for (int step = 0; step < 20; ++step) {
            if (!MoveFactorBetween(&random, a, b, &table)) continue;
            const double cost =
                model.ReevaluateRowPairCost(table, a, b, metric, &state);
            Evaluation full;
            model.EvaluateValid(table, &full);
            EXPECT_EQ(cost, model.LevelCost(full, b, metric));
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace neurospector
