#include "core/types.h"

#include "absl/strings/ascii.h"

namespace neurospector {

absl::string_view ParamName(Param param) {
  static constexpr std::array<absl::string_view, kNumParams> kNames = {
      "K", "B", "P", "Q", "C", "R", "S", "G"};
  return kNames[param];
}

std::optional<Param> ParseParam(absl::string_view letter) {
  if (letter.size() != 1) return std::nullopt;
  const char upper = absl::ascii_toupper(static_cast<unsigned char>(letter[0]));
  for (Param param : kAllParams) {
    if (ParamName(param)[0] == upper) return param;
  }
  return std::nullopt;
}

absl::string_view DataflowName(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kInputStationary:
      return "IS";
    case Dataflow::kWeightStationary:
      return "WS";
    case Dataflow::kOutputStationary:
      return "OS";
    case Dataflow::kNone:
      break;
  }
  return "-";
}

std::optional<Dataflow> ParseDataflow(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "is") return Dataflow::kInputStationary;
  if (lower == "ws") return Dataflow::kWeightStationary;
  if (lower == "os") return Dataflow::kOutputStationary;
  if (lower == "none") return Dataflow::kNone;
  return std::nullopt;
}

std::optional<DataType> StationaryType(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kInputStationary:
      return kInput;
    case Dataflow::kWeightStationary:
      return kWeight;
    case Dataflow::kOutputStationary:
      return kOutput;
    case Dataflow::kNone:
      break;
  }
  return std::nullopt;
}

absl::string_view MetricName(Metric metric) {
  return metric == Metric::kEnergy ? "energy" : "cycle";
}

std::optional<Metric> ParseMetric(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "energy") return Metric::kEnergy;
  if (lower == "cycle" || lower == "cycles") return Metric::kCycle;
  return std::nullopt;
}

}  // namespace neurospector
