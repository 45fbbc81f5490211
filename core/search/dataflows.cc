#include "core/search/dataflows.h"

namespace neurospector {
namespace {

std::vector<Dataflow> AllowedDataflows(const MemoryLevel& level) {
  if (!level.present || level.dataflow == Dataflow::kNone) {
    return {Dataflow::kNone};
  }
  std::vector<Dataflow> allowed;
  for (Dataflow dataflow :
       {Dataflow::kInputStationary, Dataflow::kWeightStationary,
        Dataflow::kOutputStationary}) {
    if (!level.bypass[*StationaryType(dataflow)]) allowed.push_back(dataflow);
  }
  return allowed;
}

}  // namespace

std::vector<DataflowCombination> DataflowCombinations(
    const Accelerator& accelerator, DataflowMode mode) {
  DataflowCombination configured;
  for (int row = 0; row < kNumRows; ++row) {
    configured[row] = accelerator.ConfiguredDataflow(row);
  }
  if (mode == DataflowMode::kFixed) return {configured};

  const std::vector<Dataflow> lb = AllowedDataflows(accelerator.local_buffer);
  const std::vector<Dataflow> gb = AllowedDataflows(accelerator.global_buffer);
  std::vector<DataflowCombination> combinations;
  for (Dataflow gb_dataflow : gb) {
    for (Dataflow lb_dataflow : lb) {
      DataflowCombination combination = configured;
      combination[kLocalBufferRow] = lb_dataflow;
      combination[kGlobalBufferRow] = gb_dataflow;
      combinations.push_back(combination);
    }
  }
  return combinations;
}

}  // namespace neurospector
