// JSON encodings shared by the evaluate and schedule commands.

#ifndef NEUROSPECTOR_CLIENT_JSON_OUTPUT_H_
#define NEUROSPECTOR_CLIENT_JSON_OUTPUT_H_

#include "client/report_view.h"
#include "nlohmann/json.hpp"

namespace neurospector::cli {

using Json = nlohmann::ordered_json;

// A finite number, or null for infinities and NaN (JSON has none).
Json NumberJson(double value);

// {"name", "K", "B", "P", "Q", "C", "R", "S", "G", "stride"}, with K and C
// the totals over all groups.
Json LayerJson(const std::string& name, const LayerShape& shape);

// [{"row", "values": [8 ints], "dataflow": "WS" | null}, ...]
Json TableJson(const std::vector<TableRowView>& rows);

// {"lb_i_tile_size": ..., ..., "total_cycle": ...}
Json ResultsJson(const std::vector<ResultView>& results);

// The evaluate command's object: accelerator, layer, scheduling_table,
// valid, violations, results.
Json EvaluationJson(const EvaluationView& view);

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_JSON_OUTPUT_H_
