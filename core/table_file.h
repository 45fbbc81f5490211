// Reader for scheduling-table files (eyeriss_sample.cfg):
//
//   [LAYER]
//   layer_name=CONV_1
//   [SCHEDULING_TABLE]
//   LOCAL_BUFFER =16,1,1,1,1,1,7,1
//   PE_ARRAY(X)  =1,1,1,2,1,7,1,1
//   ...
//
// Row keys are the accelerator's row names (case-insensitive); values are
// eight positive integers in column order K,B,P,Q,C,R,S,G. Dataflows come
// from the accelerator unless an optional [DATAFLOW] section overrides
// them, one BUFFER=IS|WS|OS line per buffer row:
//
//   [DATAFLOW]
//   LOCAL_BUFFER=IS
//   GLOBAL_BUFFER=OS

#ifndef NEUROSPECTOR_CORE_TABLE_FILE_H_
#define NEUROSPECTOR_CORE_TABLE_FILE_H_

#include <array>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/config_file.h"
#include "core/layer.h"
#include "core/mapping.h"

namespace neurospector {

struct TableFile {
  std::string source;
  // name= or layer_name= of [LAYER] (name= wins); nullopt without [LAYER].
  std::optional<std::string> layer_name;
  // Location of the layer name as "source:line: KEY=VALUE", for messages.
  // Empty without [LAYER].
  std::string layer_name_location;
  Mapping mapping;  // rows as read; dataflows are all kNone
  // Dataflows of [DATAFLOW] by row; nullopt keeps the configured one.
  std::array<std::optional<Dataflow>, kNumRows> dataflow_overrides;
};

// Reads the rows of `file` for `accelerator`. Returns INVALID_ARGUMENT,
// naming the file and line, for an unknown or repeated section, or a
// [LAYER] section without a layer name or with other keys. The same error
// covers a row that is missing, unknown or given twice. It also covers a
// row with other than eight values or with a value that is not a positive
// integer, and a row of a level the accelerator does not have with a value
// other than 1. The
// REGISTER row may be omitted, and is then all ones. In [DATAFLOW], the
// same error covers a key that is not a buffer row of the accelerator with
// a configured dataflow, a key given twice, a value other than IS, WS or
// OS, and a dataflow whose stationary data type the buffer bypasses.
// Unit rows may carry any values here; the cost model reports non-one
// values in them as violations.
absl::StatusOr<TableFile> ParseTableFile(const ConfigFile& file,
                                         const Accelerator& accelerator);

absl::StatusOr<TableFile> ParseTableText(absl::string_view text,
                                         absl::string_view source,
                                         const Accelerator& accelerator);

absl::StatusOr<TableFile> ReadTableFile(const std::string& path,
                                        const Accelerator& accelerator);

// Sets the dataflow of each row that `table`'s [DATAFLOW] section names in
// `mapping`, leaving the other rows as they are.
void ApplyDataflowOverrides(const TableFile& table, Mapping* mapping);

// Checks that each column of `mapping` multiplies to the layer parameter.
// INVALID_ARGUMENT names `source`, the column, the product and the
// expected value.
absl::Status CheckColumnProducts(const Mapping& mapping, const Layer& layer,
                                 absl::string_view source);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_TABLE_FILE_H_
