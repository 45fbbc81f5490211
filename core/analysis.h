// Evaluation of one scheduling table for one layer: the analyzer mode.

#ifndef NEUROSPECTOR_CORE_ANALYSIS_H_
#define NEUROSPECTOR_CORE_ANALYSIS_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/cost_model.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/network.h"
#include "core/table_file.h"

namespace neurospector {

struct Analysis {
  Layer layer;
  Mapping mapping;  // with the configured or overridden dataflows
  Evaluation evaluation;
};

// Picks the layer (by `layer_selector` if given, else by the table file's
// layer name, else the network's first layer), checks the table's column
// products against it, applies the accelerator's dataflows (overridden by
// the table's [DATAFLOW] section) and evaluates.
// NOT_FOUND for an unknown layer, INVALID_ARGUMENT for a column mismatch.
absl::StatusOr<Analysis> AnalyzeTable(
    const Accelerator& accelerator, const Network& network,
    const TableFile& table, std::optional<absl::string_view> layer_selector);

// Checks `mapping`'s column products against `layer` and evaluates it with
// the dataflows it carries.
absl::StatusOr<Evaluation> EvaluateMapping(const Accelerator& accelerator,
                                           const Layer& layer,
                                           const Mapping& mapping);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_ANALYSIS_H_
