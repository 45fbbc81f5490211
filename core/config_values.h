// Typed readers for the values of a ConfigFile. Every error is
// INVALID_ARGUMENT and names the file, line, key and value, and what is
// expected.

#ifndef NEUROSPECTOR_CORE_CONFIG_VALUES_H_
#define NEUROSPECTOR_CORE_CONFIG_VALUES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/config_file.h"

namespace neurospector {

// Returns an INVALID_ARGUMENT error "source:line: KEY "value" <problem>",
// with KEY spelled as in the file.
absl::Status EntryError(const ConfigFile& file, const ConfigEntry& entry,
                        absl::string_view problem);

// Parses a decimal integer in [min_value, max_value].
absl::StatusOr<uint64_t> ParseInteger(const ConfigFile& file,
                                      const ConfigEntry& entry,
                                      uint64_t min_value, uint64_t max_value);

// Parses a finite, non-negative decimal number.
absl::StatusOr<double> ParseNonNegativeNumber(const ConfigFile& file,
                                              const ConfigEntry& entry);

// Parses a comma-separated list of finite, non-negative numbers with
// between `min_count` and `max_count` elements.
absl::StatusOr<std::vector<double>> ParseNumberList(const ConfigFile& file,
                                                    const ConfigEntry& entry,
                                                    size_t min_count,
                                                    size_t max_count);

// Splits a comma-separated value into its non-empty pieces. Returns an
// error if a piece is empty (as in "1,,2" or a trailing comma).
absl::StatusOr<std::vector<std::string>> SplitList(const ConfigFile& file,
                                                   const ConfigEntry& entry);

// Parses one integer field `text` of a list value; `what` names the field
// in the error ("field 3 (P)").
absl::StatusOr<uint64_t> ParseIntegerField(
    const ConfigFile& file, const ConfigEntry& entry, absl::string_view text,
    absl::string_view what, uint64_t min_value, uint64_t max_value);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_CONFIG_VALUES_H_
