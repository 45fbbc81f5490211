// The scheduling table ("mapping"): ten rows of eight mapping values plus
// the dataflow of each temporal row.

#ifndef NEUROSPECTOR_CORE_MAPPING_H_
#define NEUROSPECTOR_CORE_MAPPING_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/layer.h"
#include "core/types.h"

namespace neurospector {

// A scheduling table. Row r, column p is how much of parameter p is
// iterated at temporal row r or unrolled across spatial row r. A valid
// table's column products equal the layer's parameters. Trivially
// copyable, 330 bytes.
struct Mapping {
  std::array<RowValues, kNumRows> rows;
  // Dataflow of each temporal row; kNone for spatial rows and DRAM.
  std::array<Dataflow, kNumRows> dataflows;

  Mapping() {
    for (RowValues& row : rows) row.fill(1);
    dataflows.fill(Dataflow::kNone);
  }

  // Product of the eight values of `row`.
  uint64_t RowProduct(int row) const {
    uint64_t product = 1;
    for (uint32_t value : rows[row]) product *= value;
    return product;
  }

  friend bool operator==(const Mapping&, const Mapping&) = default;
};

// Returns the mapping with every value in the DRAM row (everything iterated
// from DRAM) and the accelerator's configured dataflows.
Mapping InitialMapping(const Accelerator& accelerator, const Layer& layer);

// Copies the accelerator's configured dataflows into `mapping`.
void SetConfiguredDataflows(const Accelerator& accelerator, Mapping* mapping);

// Formats `mapping` as a scheduling-table file for `layer_name`, listing
// every non-virtual row of `accelerator` under its row name. If a buffer's
// dataflow differs from the configured one, a [DATAFLOW] section follows
// that lists the dataflow of every buffer with one. Otherwise the file has
// the reference's format.
std::string FormatTableFile(const Mapping& mapping,
                            const Accelerator& accelerator,
                            absl::string_view layer_name);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_MAPPING_H_
