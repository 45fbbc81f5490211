#include "client/json_output.h"

#include <cmath>

namespace neurospector::cli {

Json NumberJson(double value) {
  if (!std::isfinite(value)) return Json(nullptr);
  return Json(value);
}

Json LayerJson(const std::string& name, const LayerShape& shape) {
  Json layer = Json::object();
  layer["name"] = name;
  layer["K"] = shape.k;
  layer["B"] = shape.b;
  layer["P"] = shape.p;
  layer["Q"] = shape.q;
  layer["C"] = shape.c;
  layer["R"] = shape.r;
  layer["S"] = shape.s;
  layer["G"] = shape.g;
  layer["stride"] = shape.stride;
  return layer;
}

Json TableJson(const std::vector<TableRowView>& rows) {
  Json table = Json::array();
  for (const TableRowView& row : rows) {
    Json entry = Json::object();
    entry["row"] = row.name;
    entry["values"] = row.values;
    entry["dataflow"] =
        row.dataflow.has_value() ? Json(*row.dataflow) : Json(nullptr);
    table.push_back(std::move(entry));
  }
  return table;
}

Json ResultsJson(const std::vector<ResultView>& results) {
  Json object = Json::object();
  for (const ResultView& result : results) {
    object[result.key] =
        result.is_integer ? Json(result.integer) : NumberJson(result.value);
  }
  return object;
}

Json EvaluationJson(const EvaluationView& view) {
  Json json = Json::object();
  json["accelerator"] = view.accelerator;
  json["layer"] = LayerJson(view.layer_name, view.shape);
  json["scheduling_table"] = TableJson(view.table);
  json["valid"] = view.valid;
  json["violations"] = view.violations;
  json["results"] = ResultsJson(view.results);
  return json;
}

}  // namespace neurospector::cli
