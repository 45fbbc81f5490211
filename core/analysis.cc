#include "core/analysis.h"

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace neurospector {
namespace {

absl::StatusOr<const Layer*> SelectLayer(
    const Network& network, const TableFile& table,
    std::optional<absl::string_view> layer_selector) {
  if (layer_selector.has_value()) return network.FindLayer(*layer_selector);
  if (!table.layer_name.has_value()) return &network.layers.front();

  absl::StatusOr<const Layer*> layer = network.FindLayer(*table.layer_name);
  if (!layer.ok()) {
    return absl::NotFoundError(absl::StrCat(table.layer_name_location, ": ",
                                            layer.status().message()));
  }
  return layer;
}

}  // namespace

absl::StatusOr<Evaluation> EvaluateMapping(const Accelerator& accelerator,
                                           const Layer& layer,
                                           const Mapping& mapping) {
  NS_RETURN_IF_ERROR(CheckColumnProducts(mapping, layer, "scheduling table"));
  Evaluation evaluation;
  CostModel(accelerator, layer).Evaluate(mapping, &evaluation);
  return evaluation;
}

absl::StatusOr<Analysis> AnalyzeTable(
    const Accelerator& accelerator, const Network& network,
    const TableFile& table, std::optional<absl::string_view> layer_selector) {
  NS_ASSIGN_OR_RETURN(const Layer* layer,
                      SelectLayer(network, table, layer_selector));
  NS_RETURN_IF_ERROR(CheckColumnProducts(table.mapping, *layer, table.source));

  Analysis analysis;
  analysis.layer = *layer;
  analysis.mapping = table.mapping;
  SetConfiguredDataflows(accelerator, &analysis.mapping);
  ApplyDataflowOverrides(table, &analysis.mapping);
  CostModel(accelerator, *layer)
      .Evaluate(analysis.mapping, &analysis.evaluation);
  return analysis;
}

}  // namespace neurospector
