// Loading of accelerators and networks given as a file path or as the name
// of a built-in configuration.

#ifndef NEUROSPECTOR_CORE_INPUTS_H_
#define NEUROSPECTOR_CORE_INPUTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/network.h"

namespace neurospector {

// Loads the accelerator at path `name_or_path` if such a file exists, else
// the built-in one of that name (a trailing ".cfg" is ignored). NOT_FOUND
// lists the built-in names; INVALID_ARGUMENT for a malformed file.
absl::StatusOr<Accelerator> LoadAccelerator(absl::string_view name_or_path);

// Same for networks.
absl::StatusOr<Network> LoadNetwork(absl::string_view name_or_path);

// Names of the built-in accelerators and networks, sorted.
std::vector<std::string> BuiltinAcceleratorNames();
std::vector<std::string> BuiltinNetworkNames();

// Text of a built-in accelerator or network, or nullopt.
std::optional<absl::string_view> BuiltinAcceleratorText(absl::string_view name);
std::optional<absl::string_view> BuiltinNetworkText(absl::string_view name);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_INPUTS_H_
