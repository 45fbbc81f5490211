#include "core/mapping.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace neurospector {

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
  return text;
}

}  // namespace neurospector
