#include "client/schedule_output.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "client/text_output.h"

namespace neurospector::cli {

double ScheduleView::TotalEnergy() const {
  double total = 0;
  for (const LayerScheduleView& layer : layers) {
    total += layer.evaluation.Result("total_energy");
  }
  return total;
}

double ScheduleView::TotalCycles() const {
  double total = 0;
  for (const LayerScheduleView& layer : layers) {
    total += layer.evaluation.Result("total_cycle");
  }
  return total;
}

std::string ScheduleText(const ScheduleView& view, bool verbose) {
  std::string text = absl::StrFormat(
      "Accelerator %s, network %s: %s search, %s dataflow, minimizing %s\n\n",
      view.accelerator, view.network, view.search, view.dataflow, view.metric);
  absl::StrAppendFormat(&text, "%5s  %-20s %15s %13s  %-12s %9s\n", "#",
                        "layer", "energy (pJ)", "cycles", "strategy",
                        "time (s)");
  for (const LayerScheduleView& layer : view.layers) {
    const EvaluationView& e = layer.evaluation;
    absl::StrAppendFormat(
        &text, "%5d  %-20s %15s %13s  %-12s %9.3f%s\n", e.layer_index,
        e.layer_name, FormatEnergy(e.Result("total_energy")),
        FormatNumber(e.Result("total_cycle")), layer.strategy, layer.seconds,
        e.valid ? ""
                : absl::StrCat("  INVALID (", absl::StrJoin(e.violations, ", "),
                               ")"));
    if (verbose) absl::StrAppend(&text, TableText(e.table), "\n");
  }
  absl::StrAppendFormat(&text, "%5s  %-20s %15s %13s  %-12s %9.3f\n", "",
                        "total", FormatEnergy(view.TotalEnergy()),
                        FormatNumber(view.TotalCycles()), "", view.seconds);
  return text;
}

namespace {

// One entry of the "layers" array of the schedule JSON.
Json LayerScheduleJson(const LayerScheduleView& layer) {
  const EvaluationView& e = layer.evaluation;
  Json entry = Json::object();
  entry["index"] = e.layer_index;
  entry["name"] = e.layer_name;
  entry["layer"] = LayerJson(e.layer_name, e.shape);
  entry["layer"].erase("name");
  entry["scheduling_table"] = TableJson(e.table);
  entry["valid"] = e.valid;
  entry["violations"] = e.violations;
  entry["results"] = ResultsJson(e.results);

  entry["strategy"] = layer.strategy;
  entry["optimal"] = layer.optimal;
  entry["evaluated"] = layer.evaluated;
  entry["pruned"] = layer.pruned;
  entry["seconds"] = layer.seconds;
  return entry;
}

}  // namespace

Json ScheduleJson(const ScheduleView& view) {
  Json json = Json::object();
  json["accelerator"] = view.accelerator;
  json["network"] = view.network;
  json["metric"] = view.metric;
  json["dataflow"] = view.dataflow;
  json["search"] = view.search;
  json["layers"] = Json::array();
  for (const LayerScheduleView& layer : view.layers) {
    json["layers"].push_back(LayerScheduleJson(layer));
  }

  json["totals"] = Json::object();
  json["totals"]["total_energy"] = NumberJson(view.TotalEnergy());
  json["totals"]["total_cycle"] = NumberJson(view.TotalCycles());
  json["totals"]["seconds"] = view.seconds;
  return json;
}

namespace {

// `text` as one CSV field: quoted, with inner quotes doubled, when it
// contains a comma, a double quote or a line break.
std::string CsvField(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(text);
  }
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

}  // namespace

std::string ScheduleCsv(const ScheduleView& view) {
  std::string text =
      "index,name,K,B,P,Q,C,R,S,G,stride,valid,total_energy,total_cycle,"
      "strategy,optimal,evaluated,pruned,seconds\n";
  for (const LayerScheduleView& layer : view.layers) {
    const EvaluationView& e = layer.evaluation;
    const LayerShape& s = e.shape;
    absl::StrAppendFormat(
        &text,
        "%d,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s,%s,%s,%s,%s,%d,%d,%.6f\n",
        e.layer_index, CsvField(e.layer_name), s.k, s.b, s.p, s.q, s.c, s.r,
        s.s, s.g, s.stride, e.valid ? "true" : "false",
        ShortestNumber(e.Result("total_energy")),
        ShortestNumber(e.Result("total_cycle")),
        CsvField(layer.strategy), layer.optimal ? "true" : "false",
        layer.evaluated, layer.pruned, layer.seconds);
  }
  return text;
}

}  // namespace neurospector::cli
