// Self-contained view of an evaluated table, built either from core types
// (in-process runs) or from a server response (remote runs), so that both
// print exactly the same text, JSON and CSV.

#ifndef NEUROSPECTOR_CLIENT_REPORT_VIEW_H_
#define NEUROSPECTOR_CLIENT_REPORT_VIEW_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/cost_model.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/report.h"

namespace neurospector::cli {

struct TableRowView {
  std::string name;                     // row name, e.g. "PE_ARRAY(X)"
  RowValues values;                     // K,B,P,Q,C,R,S,G
  std::optional<std::string> dataflow;  // "IS"/"WS"/"OS" for buffers
};

struct ResultView {
  std::string key;
  double value = 0;
  bool is_integer = false;
  uint64_t integer = 0;  // exact value when is_integer
};

struct EvaluationView {
  std::string accelerator;  // accelerator name (NAME key, lower case)
  std::string layer_name;
  int layer_index = 0;  // 1-based index in the network, 0 if unknown
  LayerShape shape;     // K and C are totals over the groups
  std::vector<TableRowView> table;
  bool valid = false;
  std::vector<std::string> violations;
  std::vector<ResultView> results;

  // Value of result `key`, or 0 when absent.
  double Result(absl::string_view key) const;
};

// Rows of `mapping` that `accelerator` has (virtual rows left out; the two
// rows of a 1x1 array appear once).
std::vector<TableRowView> TableRows(const Accelerator& accelerator,
                                    const Mapping& mapping);

EvaluationView MakeEvaluationView(const Accelerator& accelerator,
                                  const Layer& layer, const Mapping& mapping,
                                  const Evaluation& evaluation);

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_REPORT_VIEW_H_
