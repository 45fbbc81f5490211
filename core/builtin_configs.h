// Accelerator and network files compiled into the binary, so that tools and
// the server accept names such as "eyeriss" or "resnet50" wherever a file
// is expected. The texts are the files under configs/ of the source tree.

#ifndef NEUROSPECTOR_CORE_BUILTIN_CONFIGS_H_
#define NEUROSPECTOR_CORE_BUILTIN_CONFIGS_H_

#include <span>

#include "absl/strings/string_view.h"

namespace neurospector {

struct BuiltinConfig {
  absl::string_view name;  // file name without ".cfg"
  absl::string_view text;  // file contents
};

// Built-in accelerators and networks, sorted by name.
std::span<const BuiltinConfig> BuiltinAccelerators();
std::span<const BuiltinConfig> BuiltinNetworks();

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_BUILTIN_CONFIGS_H_
