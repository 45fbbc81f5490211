// Basic vocabulary of the model: layer parameters (table columns), table
// rows, data types and dataflows.

#ifndef NEUROSPECTOR_CORE_TYPES_H_
#define NEUROSPECTOR_CORE_TYPES_H_

#include <array>
#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace neurospector {

// Layer parameters, which are also the columns of a scheduling table, in
// this fixed order. K and C are per group (the network loader divides them
// by G).
enum Param : int { kK = 0, kB, kP, kQ, kC, kR, kS, kG };
inline constexpr int kNumParams = 8;
inline constexpr std::array<Param, kNumParams> kAllParams = {kK, kB, kP, kQ,
                                                             kC, kR, kS, kG};

// One-letter name of a parameter ("K", "B", ...).
absl::string_view ParamName(Param param);

// Parses a one-letter parameter name, case-insensitively.
std::optional<Param> ParseParam(absl::string_view letter);

// Mapping values of one table row, in column order K,B,P,Q,C,R,S,G.
using RowValues = std::array<uint32_t, kNumParams>;

// Rows of a scheduling table, innermost (closest to the MACs) first. Rows
// 0, 3, 6 and 9 are temporal (memory levels); the others are spatial.
enum RowIndex : int {
  kRegisterRow = 0,
  kMacXRow = 1,
  kMacYRow = 2,
  kLocalBufferRow = 3,
  kPeXRow = 4,
  kPeYRow = 5,
  kGlobalBufferRow = 6,
  kChipXRow = 7,
  kChipYRow = 8,
  kDramRow = 9,
};
inline constexpr int kNumRows = 10;

constexpr bool IsTemporalRow(int row) { return row % 3 == 0; }

// Data types moved through the hierarchy, in the fixed order I, W, O.
enum DataType : int { kInput = 0, kWeight = 1, kOutput = 2 };
inline constexpr int kNumDataTypes = 3;

// Data type that a buffer keeps stationary.
enum class Dataflow : uint8_t {
  kNone,
  kInputStationary,
  kWeightStationary,
  kOutputStationary
};

// "IS", "WS", "OS", or "-" for none.
absl::string_view DataflowName(Dataflow dataflow);

// Parses "is", "ws", "os" or "none", case-insensitively.
std::optional<Dataflow> ParseDataflow(absl::string_view text);

// The data type a dataflow keeps stationary; nullopt for kNone.
std::optional<DataType> StationaryType(Dataflow dataflow);

// Optimization objective.
enum class Metric : uint8_t { kEnergy, kCycle };

absl::string_view MetricName(Metric metric);
std::optional<Metric> ParseMetric(absl::string_view text);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_TYPES_H_
