// The figures of an evaluation as named result fields: the 52 keys of the
// reference analyzer's report ("lb_i_tile_size", "total_energy", ...).

#ifndef NEUROSPECTOR_CORE_REPORT_H_
#define NEUROSPECTOR_CORE_REPORT_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/cost_model.h"

namespace neurospector {

struct ResultField {
  absl::string_view key;  // snake_case, e.g. "gb_w_read_access_count"
  double value;           // elements, counts, percent, pJ or cycles
  bool is_integer;        // tile sizes, access counts and active counts
  uint64_t integer;       // exact value when is_integer
};

// Lists the report fields of `evaluation` in the reference's order.
//
// For a data type that bypasses a buffer and has a unit access energy of
// exactly 0 there, that buffer's tile size and read counts of the type are
// reported as 0 (the reference's convention for "not stored"). Buffer
// utilizations appear per non-bypassed type for separate buffers
// (lb_i_buffer_utilization, ...) and as one line for shared ones
// (local_buffer_utilization, global_buffer_utilization). A utilization
// against a zero capacity is +infinity.
std::vector<ResultField> BuildResultFields(const Accelerator& accelerator,
                                           const Evaluation& evaluation);

// Every key BuildResultFields can produce, in order (52 keys).
const std::vector<absl::string_view>& AllResultKeys();

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_REPORT_H_
