#include "core/mapping.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace neurospector {
namespace {

// The [DATAFLOW] section listing every buffer row that has a dataflow, or
// "" when all of them are the configured ones.
std::string DataflowSection(const Mapping& mapping,
                            const Accelerator& accelerator) {
  bool overridden = false;
  std::string section = "[DATAFLOW]\n";
  for (int row = 0; row < kNumRows; ++row) {
    const Dataflow dataflow = mapping.dataflows[row];
    if (dataflow == Dataflow::kNone ||
        accelerator.row_kinds[row] == RowKind::kVirtual) {
      continue;
    }
    overridden |= dataflow != accelerator.ConfiguredDataflow(row);
    absl::StrAppend(&section, accelerator.row_names[row], "=",
                    DataflowName(dataflow), "\n");
  }
  return overridden ? section : "";
}

}  // namespace

void SetConfiguredDataflows(const Accelerator& accelerator, Mapping* mapping) {
  for (int row = 0; row < kNumRows; ++row) {
    mapping->dataflows[row] = accelerator.ConfiguredDataflow(row);
  }
}

Mapping InitialMapping(const Accelerator& accelerator, const Layer& layer) {
  Mapping mapping;
  mapping.rows[kDramRow] = layer.params;
  SetConfiguredDataflows(accelerator, &mapping);
  return mapping;
}

std::string FormatTableFile(const Mapping& mapping,
                            const Accelerator& accelerator,
                            absl::string_view layer_name) {
  size_t width = 0;
  for (int row = 0; row < kNumRows; ++row) {
    if (accelerator.row_kinds[row] == RowKind::kVirtual) continue;
    width = std::max(width, accelerator.row_names[row].size());
  }

  std::string text = absl::StrCat("[LAYER]\nlayer_name=", layer_name,
                                  "\n[SCHEDULING_TABLE]\n");
  for (int row = 0; row < kNumRows; ++row) {
    if (accelerator.row_kinds[row] == RowKind::kVirtual) continue;
    const std::string& name = accelerator.row_names[row];
    // Both rows of a 1x1 array share one name and one line (all ones).
    if (row > 0 && accelerator.row_names[row - 1] == name) continue;
    absl::StrAppend(&text, name, std::string(width - name.size(), ' '), "=",
                    absl::StrJoin(mapping.rows[row], ","), "\n");
  }
  absl::StrAppend(&text, DataflowSection(mapping, accelerator));
  return text;
}

}  // namespace neurospector
