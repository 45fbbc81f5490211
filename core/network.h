// Reader for network files (resnet50.cfg, ...): a [NETWORK] section with
// name=..., and a [LAYERS] section with one NAME=K,B,P,Q,C,R,S,G,stride line
// per layer.

#ifndef NEUROSPECTOR_CORE_NETWORK_H_
#define NEUROSPECTOR_CORE_NETWORK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/config_file.h"
#include "core/layer.h"

namespace neurospector {

struct Network {
  std::string name;           // name= of [NETWORK], lower case
  std::string source;         // file the layers came from, for messages
  std::vector<Layer> layers;  // in file order; layers[i].index == i + 1

  // Finds a layer by name (case-insensitive) or by 1-based index written as
  // a decimal number. NOT_FOUND names the selector and the valid range.
  absl::StatusOr<const Layer*> FindLayer(absl::string_view selector) const;
};

// Builds a Network from a parsed file. INVALID_ARGUMENT, naming the file and
// line, for a layer line without exactly nine integers, a zero or
// non-numeric field, K or C not divisible by G, a duplicate layer name
// (case-insensitive), an oversized layer, or a file without layers.
absl::StatusOr<Network> ParseNetwork(const ConfigFile& file);

absl::StatusOr<Network> ParseNetworkText(absl::string_view text,
                                         absl::string_view source);

absl::StatusOr<Network> ReadNetworkFile(const std::string& path);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_NETWORK_H_
