// Core results to response messages.

#include "core/report.h"
#include "server/convert.h"

namespace neurospector::server {
namespace {

pb::Dataflow ToProto(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kInputStationary:
      return pb::DATAFLOW_INPUT_STATIONARY;
    case Dataflow::kWeightStationary:
      return pb::DATAFLOW_WEIGHT_STATIONARY;
    case Dataflow::kOutputStationary:
      return pb::DATAFLOW_OUTPUT_STATIONARY;
    case Dataflow::kNone:
      break;
  }
  return pb::DATAFLOW_UNSPECIFIED;
}

}  // namespace

void ToProto(const Layer& layer, pb::LayerInfo* out) {
  out->set_index(static_cast<uint32_t>(layer.index));
  pb::Layer* shape = out->mutable_layer();
  shape->set_name(layer.name);
  shape->set_k(layer.shape.k);
  shape->set_b(layer.shape.b);
  shape->set_p(layer.shape.p);
  shape->set_q(layer.shape.q);
  shape->set_c(layer.shape.c);
  shape->set_r(layer.shape.r);
  shape->set_s(layer.shape.s);
  shape->set_g(layer.shape.g);
  shape->set_stride(layer.shape.stride);
}

void ToProto(const Accelerator& accelerator, const Mapping& mapping,
             pb::SchedulingTable* out) {
  for (int row = 0; row < kNumRows; ++row) {
    if (accelerator.row_kinds[row] == RowKind::kVirtual) continue;
    const std::string& name = accelerator.row_names[row];
    // Both rows of a 1x1 array share one name and one line (all ones).
    if (out->rows_size() > 0 && out->rows().rbegin()->name() == name) continue;
    pb::TableRow* entry = out->add_rows();
    entry->set_name(name);
    for (uint32_t value : mapping.rows[row]) entry->add_values(value);
    if (IsTemporalRow(row))
      entry->set_dataflow(ToProto(mapping.dataflows[row]));
  }
}

void ToProto(const Accelerator& accelerator, const Evaluation& evaluation,
             pb::CostReport* out) {
  out->set_valid(evaluation.valid());
  for (absl::string_view name : ViolationNames(evaluation.violations)) {
    out->add_violations(std::string(name));
  }
  for (const ResultField& field : BuildResultFields(accelerator, evaluation)) {
    pb::ResultValue* value = out->add_results();
    value->set_key(std::string(field.key));
    if (field.is_integer) {
      value->set_count(field.integer);
    } else {
      value->set_number(field.value);
    }
  }
}

void ToProto(const Accelerator& accelerator, const Layer& layer,
             const LayerResult& result, bool cache_hit,
             pb::LayerSchedule* out) {
  ToProto(layer, out->mutable_layer());
  ToProto(accelerator, result.mapping, out->mutable_table());
  ToProto(accelerator, result.evaluation, out->mutable_report());
  out->set_strategy(result.strategy);
  out->set_optimal(result.optimal);
  pb::SearchStatistics* statistics = out->mutable_statistics();
  statistics->set_tables_evaluated(result.evaluated);
  statistics->set_tables_pruned(result.pruned);
  statistics->set_search_seconds(result.seconds);
  out->set_cache_hit(cache_hit);
}

}  // namespace neurospector::server
