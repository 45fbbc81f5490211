#include "client/report_view.h"

namespace neurospector::cli {

double EvaluationView::Result(absl::string_view key) const {
  for (const ResultView& result : results) {
    if (result.key == key) return result.value;
  }
  return 0;
}

std::vector<TableRowView> TableRows(const Accelerator& accelerator,
                                    const Mapping& mapping) {
  std::vector<TableRowView> rows;
  for (int row = 0; row < kNumRows; ++row) {
    if (accelerator.row_kinds[row] == RowKind::kVirtual) continue;
    const std::string& name = accelerator.row_names[row];
    if (!rows.empty() && rows.back().name == name) continue;
    TableRowView view{name, mapping.rows[row], std::nullopt};
    if (IsTemporalRow(row) && mapping.dataflows[row] != Dataflow::kNone) {
      view.dataflow = std::string(DataflowName(mapping.dataflows[row]));
    }
    rows.push_back(std::move(view));
  }
  return rows;
}

EvaluationView MakeEvaluationView(const Accelerator& accelerator,
                                  const Layer& layer, const Mapping& mapping,
                                  const Evaluation& evaluation) {
  EvaluationView view;
  view.accelerator = accelerator.name;
  view.layer_name = layer.name;
  view.layer_index = layer.index;
  view.shape = layer.shape;
  view.table = TableRows(accelerator, mapping);
  view.valid = evaluation.valid();
  for (absl::string_view name : ViolationNames(evaluation.violations)) {
    view.violations.emplace_back(name);
  }
  for (const ResultField& field : BuildResultFields(accelerator, evaluation)) {
    view.results.push_back(ResultView{std::string(field.key), field.value,
                                      field.is_integer, field.integer});
  }
  return view;
}

}  // namespace neurospector::cli
