// Reader for accelerator description files (eyeriss.cfg, simba.cfg, ...).

#ifndef NEUROSPECTOR_CORE_ACCELERATOR_PARSER_H_
#define NEUROSPECTOR_CORE_ACCELERATOR_PARSER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/config_file.h"

namespace neurospector {

// Builds an Accelerator from a parsed file.
//
// Sections: [ACCELERATOR] (NAME, PRECISION, FREQUENCY in MHz,
// UNIT_MAC_ENERGY in pJ, UNIT_MAC_STATIC in mW). Memory levels [REGISTER]
// (optional, and its values are not used by the model), [LOCAL_BUFFER],
// [GLOBAL_BUFFER] and [DRAM] (all three required) with BUFFER_SIZE or SIZE
// in bytes, DATAFLOW, BANDWIDTH in bits per cycle, UNIT_ACCESS_ENERGY (pJ),
// UNIT_STATIC_POWER (mW), UNIT_CYCLE, BYPASS and CONSTRAINT. Spatial arrays
// [MAC_ARRAY], [PE_ARRAY] and [MULTI_CHIPS] (optional) with SIZE_X, SIZE_Y,
// CONSTRAINT_X and CONSTRAINT_Y.
//
// Returns INVALID_ARGUMENT naming the file, line, key and value for
// anything the model cannot use: a missing required section or key, an
// unsupported number of buffer sizes, malformed numbers, lists or
// constraints, a dataflow whose stationary data type is bypassed, or array
// sizes whose product overflows. A cost list with fewer than three values
// (the missing entries are 0), a [REGISTER] section and an unknown key are
// accepted and recorded in `warnings`.
absl::StatusOr<Accelerator> ParseAccelerator(const ConfigFile& file);

// Parses `text` as an accelerator file named `source` in messages.
absl::StatusOr<Accelerator> ParseAcceleratorText(absl::string_view text,
                                                 absl::string_view source);

// Reads and parses the accelerator file at `path`.
absl::StatusOr<Accelerator> ReadAcceleratorFile(const std::string& path);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_ACCELERATOR_PARSER_H_
