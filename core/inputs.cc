#include "core/inputs.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/accelerator_parser.h"
#include "core/builtin_configs.h"

namespace neurospector {
namespace {

std::optional<absl::string_view> FindBuiltin(
    std::span<const BuiltinConfig> configs, absl::string_view name) {
  if (absl::EndsWith(name, ".cfg")) name.remove_suffix(4);
  for (const BuiltinConfig& config : configs) {
    if (config.name == name) return config.text;
  }
  return std::nullopt;
}

std::vector<std::string> Names(std::span<const BuiltinConfig> configs) {
  std::vector<std::string> names;
  for (const BuiltinConfig& config : configs) {
    names.emplace_back(config.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool IsRegularFile(absl::string_view path) {
  std::error_code error;
  return std::filesystem::is_regular_file(
      std::filesystem::path(std::string(path)), error);
}

absl::Status NotFound(absl::string_view kind, absl::string_view name_or_path,
                      const std::vector<std::string>& builtins) {
  return absl::NotFoundError(absl::StrCat(
      kind, " \"", name_or_path,
      "\" is neither a readable file nor a built-in name; built-in ", kind,
      "s: ", absl::StrJoin(builtins, ", ")));
}

}  // namespace

std::optional<absl::string_view> BuiltinAcceleratorText(
    absl::string_view name) {
  return FindBuiltin(BuiltinAccelerators(), name);
}

std::optional<absl::string_view> BuiltinNetworkText(absl::string_view name) {
  return FindBuiltin(BuiltinNetworks(), name);
}

std::vector<std::string> BuiltinAcceleratorNames() {
  return Names(BuiltinAccelerators());
}

std::vector<std::string> BuiltinNetworkNames() {
  return Names(BuiltinNetworks());
}

absl::StatusOr<Accelerator> LoadAccelerator(absl::string_view name_or_path) {
  if (IsRegularFile(name_or_path)) {
    return ReadAcceleratorFile(std::string(name_or_path));
  }
  if (std::optional<absl::string_view> text =
          BuiltinAcceleratorText(name_or_path)) {
    return ParseAcceleratorText(*text,
                                absl::StrCat(name_or_path, " (built-in)"));
  }
  return NotFound("accelerator", name_or_path, BuiltinAcceleratorNames());
}

absl::StatusOr<Network> LoadNetwork(absl::string_view name_or_path) {
  if (IsRegularFile(name_or_path)) {
    return ReadNetworkFile(std::string(name_or_path));
  }
  if (std::optional<absl::string_view> text =
          BuiltinNetworkText(name_or_path)) {
    return ParseNetworkText(*text, absl::StrCat(name_or_path, " (built-in)"));
  }
  return NotFound("network", name_or_path, BuiltinNetworkNames());
}

}  // namespace neurospector
