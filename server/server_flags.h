// Command-line flags of neurospector-server.

#ifndef NEUROSPECTOR_SERVER_SERVER_FLAGS_H_
#define NEUROSPECTOR_SERVER_SERVER_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/server.h"

namespace neurospector::server {

struct ServerFlags {
  ServerOptions options;
  absl::Duration shutdown_grace = absl::Seconds(10);
  bool help = false;
};

// Usage text listing every flag with its unit and default.
extern const char kServerUsage[];

// Parses `args` (without the program name): --listen, --metrics-listen,
// --threads, --cache-entries, --max-concurrent-searches, --shutdown-grace
// as "--name VALUE" or "--name=VALUE", and --help. INVALID_ARGUMENT names
// the flag, the value and the accepted range.
absl::StatusOr<ServerFlags> ParseServerFlags(
    const std::vector<std::string>& args);

}  // namespace neurospector::server

#endif  // NEUROSPECTOR_SERVER_SERVER_FLAGS_H_
