// Time of one full cost-model evaluation (tiles, counts, validity, energy
// and cycles) of a valid ResNet-50 table, and of a re-evaluation after a
// factor moves between two rows.

#include <string>

#include "benchmark/benchmark.h"
#include "core/cost_model.h"
#include "core/inputs.h"
#include "core/table_file.h"

namespace neurospector {
namespace {

// A valid table per accelerator, for ResNet-50 CONV_1 (eyeriss) and
// CONV_3_2 (simba).
struct Case {
  const char* accelerator;
  const char* layer;
  const char* table;
};

constexpr Case kEyeriss = {"eyeriss", "CONV_1",
                           "[SCHEDULING_TABLE]\n"
                           "LOCAL_BUFFER =16,1,1,1,1,1,7,1\n"
                           "PE_ARRAY(X)  =1,1,1,2,1,7,1,1\n"
                           "PE_ARRAY(Y)  =4,1,1,1,3,1,1,1\n"
                           "GLOBAL_BUFFER=1,1,28,8,1,1,1,1\n"
                           "DRAM         =1,1,4,7,1,1,1,1\n"};

constexpr Case kSimba = {"simba", "CONV_3_2",
                         "[SCHEDULING_TABLE]\n"
                         "MAC_ARRAY(X)  =8,1,1,1,1,1,1,1\n"
                         "MAC_ARRAY(Y)  =1,1,1,1,8,1,1,1\n"
                         "LOCAL_BUFFER  =1,1,1,2,2,3,3,1\n"
                         "PE_ARRAY(X)   =4,1,1,1,1,1,1,1\n"
                         "PE_ARRAY(Y)   =1,1,1,1,4,1,1,1\n"
                         "GLOBAL_BUFFER =2,1,7,7,2,1,1,1\n"
                         "MULTI_CHIPS(X)=1,1,2,1,1,1,1,1\n"
                         "MULTI_CHIPS(Y)=2,1,1,1,1,1,1,1\n"
                         "DRAM          =1,1,2,2,1,1,1,1\n"};

void BM_Evaluate(benchmark::State& state, const Case& c) {
  const Accelerator accelerator = *LoadAccelerator(c.accelerator);
  const Network network = *LoadNetwork("resnet50");
  const Layer& layer = **network.FindLayer(c.layer);
  Mapping mapping = ParseTableText(c.table, "bench", accelerator)->mapping;
  SetConfiguredDataflows(accelerator, &mapping);

  const CostModel model(accelerator, layer);
  Evaluation evaluation;
  model.Evaluate(mapping, &evaluation);
  if (!evaluation.valid()) state.SkipWithError("benchmark table is invalid");

  for (auto _ : state) {
    benchmark::DoNotOptimize(mapping);
    model.Evaluate(mapping, &evaluation);
    benchmark::DoNotOptimize(evaluation);
  }
}

// Re-evaluation after a factor of P moves between the global-buffer and
// DRAM rows, as in the bottom-up search's first step: two tables that
// alternate, so that every iteration changes both rows.
void BM_ReevaluateRowPair(benchmark::State& state, const Case& c) {
  const Accelerator accelerator = *LoadAccelerator(c.accelerator);
  const Network network = *LoadNetwork("resnet50");
  const Layer& layer = **network.FindLayer(c.layer);
  Mapping tables[2];
  tables[0] = ParseTableText(c.table, "bench", accelerator)->mapping;
  SetConfiguredDataflows(accelerator, &tables[0]);
  tables[1] = tables[0];
  if (tables[1].rows[kDramRow][kP] % 2 != 0) {
    state.SkipWithError("the DRAM row's P is odd");
    return;
  }
  tables[1].rows[kDramRow][kP] /= 2;
  tables[1].rows[kGlobalBufferRow][kP] *= 2;

  const CostModel model(accelerator, layer);
  EvaluationState evaluation_state;
  model.EvaluateValid(tables[0], &evaluation_state);
  int current = 0;
  for (auto _ : state) {
    current ^= 1;
    benchmark::DoNotOptimize(tables[current]);
    model.ReevaluateRowPair(tables[current], kGlobalBufferRow, kDramRow,
                            &evaluation_state);
    benchmark::DoNotOptimize(evaluation_state);
  }
}

BENCHMARK_CAPTURE(BM_Evaluate, eyeriss_resnet50_conv1, kEyeriss);
BENCHMARK_CAPTURE(BM_Evaluate, simba_resnet50_conv3_2, kSimba);
BENCHMARK_CAPTURE(BM_ReevaluateRowPair, simba_resnet50_conv3_2, kSimba);

}  // namespace
}  // namespace neurospector
