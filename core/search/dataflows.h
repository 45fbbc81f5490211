// Dataflow combinations the searches try.

#ifndef NEUROSPECTOR_CORE_SEARCH_DATAFLOWS_H_
#define NEUROSPECTOR_CORE_SEARCH_DATAFLOWS_H_

#include <array>
#include <vector>

#include "core/accelerator.h"
#include "core/types.h"

namespace neurospector {

// Fixed: keep the accelerator's configured dataflows. Flexible: let the
// search choose each buffer's dataflow among those its bypasses allow.
enum class DataflowMode : uint8_t { kFixed, kFlexible };

// Dataflow of each table row (kNone for spatial rows and DRAM).
using DataflowCombination = std::array<Dataflow, kNumRows>;

// Combinations in the reference's order. Fixed mode gives the configured
// dataflows only. Flexible mode gives, for the local and global buffers
// (rows 3 and 6) that have a configured dataflow, every dataflow among IS,
// WS and OS whose stationary type the buffer does not bypass. A buffer
// configured without a dataflow keeps none. The local buffer varies
// fastest. The register's dataflow (if any) is never varied: it does not
// affect any cost.
std::vector<DataflowCombination> DataflowCombinations(
    const Accelerator& accelerator, DataflowMode mode);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_SEARCH_DATAFLOWS_H_
