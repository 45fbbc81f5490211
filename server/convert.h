// The one place where the server turns protobuf messages into core types
// (validating them exactly as the configuration files are validated) and
// core results back into protobuf messages.
//
// Every input error is INVALID_ARGUMENT and its message starts with the
// request field path ("accelerator.spec.dram.bandwidth_bits: ...") or, for
// text given with a source_name, with that name and the line.

#ifndef NEUROSPECTOR_SERVER_CONVERT_H_
#define NEUROSPECTOR_SERVER_CONVERT_H_

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/canonical.h"
#include "core/cost_model.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/network.h"
#include "core/search/search_types.h"
#include "core/table_file.h"
#include "neurospector/v1/scheduler.pb.h"

namespace neurospector::server {

namespace pb = ::neurospector::v1;

// Size limits of request fields. Larger inputs are rejected with
// INVALID_ARGUMENT before any parsing.
inline constexpr size_t kMaxAcceleratorTextBytes = 64 * 1024;
inline constexpr size_t kMaxNetworkTextBytes = 1024 * 1024;
inline constexpr size_t kMaxTableTextBytes = 64 * 1024;
inline constexpr size_t kMaxNameBytes = 256;
inline constexpr size_t kMaxNetworkLayers = 10000;
// Whole serialized request. The gRPC transport limit is set above it, so
// that an oversized request gets INVALID_ARGUMENT with this message rather
// than the transport's RESOURCE_EXHAUSTED.
inline constexpr size_t kMaxRequestBytes = 4 * 1024 * 1024;
inline constexpr int kMaxTransportMessageBytes = 8 * 1024 * 1024;

// A parsed accelerator and the fingerprint of its canonical form.
// Immutable and shared, so built-in accelerators are parsed once.
struct ResolvedAccelerator {
  std::shared_ptr<const Accelerator> accelerator;
  Fingerprint128 fingerprint;
};

// The built-in accelerators and networks, parsed once. Thread-safe after
// construction (read-only).
class BuiltinCatalog {
 public:
  // Parses every built-in configuration. An error here is a defect of the
  // shipped files.
  static absl::StatusOr<std::unique_ptr<BuiltinCatalog>> Create();

  // nullptr when `name` (a trailing ".cfg" is ignored) is not built in.
  const ResolvedAccelerator* FindAccelerator(absl::string_view name) const;
  std::shared_ptr<const Network> FindNetwork(absl::string_view name) const;

 private:
  BuiltinCatalog() = default;

  std::map<std::string, ResolvedAccelerator, std::less<>> accelerators_;
  std::map<std::string, std::shared_ptr<const Network>, std::less<>> networks_;
};

// Checks the sizes of configuration text `cfg` at `path` (at most
// `max_bytes` of text, kMaxNameBytes of source name) and returns the name
// for its messages: the source name, or "<path>.text". `kind` names the
// file kind in messages ("accelerator", ...).
absl::StatusOr<std::string> ConfigTextSource(const pb::ConfigText& cfg,
                                             absl::string_view path,
                                             size_t max_bytes,
                                             absl::string_view kind);

// INVALID_ARGUMENT for `name` at `path`, which is no built-in `kind`,
// listing the built-in `names`.
absl::Status UnknownBuiltinError(absl::string_view path, absl::string_view name,
                                 absl::string_view kind,
                                 const std::vector<std::string>& names);

// Rejects a request whose serialized size exceeds kMaxRequestBytes.
absl::Status CheckRequestSize(const google::protobuf::Message& request);

// --- Requests to core types. `path` is the field path used in messages.

absl::StatusOr<ResolvedAccelerator> ToAccelerator(
    const pb::Accelerator& accelerator, absl::string_view path,
    const BuiltinCatalog& catalog);

// The layer with index 0 (not part of a network).
absl::StatusOr<Layer> ToLayer(const pb::Layer& layer, absl::string_view path);

absl::StatusOr<std::shared_ptr<const Network>> ToNetwork(
    const pb::Network& network, absl::string_view path,
    const BuiltinCatalog& catalog);

absl::StatusOr<SearchOptions> ToSearchOptions(const pb::SearchOptions& options,
                                              absl::string_view path);

// Reads a table given row by row. Rows with a dataflow become the table's
// [DATAFLOW] overrides.
absl::StatusOr<TableFile> ToTable(const pb::SchedulingTable& table,
                                  absl::string_view path,
                                  const Accelerator& accelerator);

// Reads a table given as scheduling-table file text.
absl::StatusOr<TableFile> ToTable(const pb::ConfigText& table,
                                  absl::string_view path,
                                  const Accelerator& accelerator);

// The layers `selector` picks from `network`: all of them when empty, else
// the one named or numbered (1-based) by it.
absl::StatusOr<std::vector<Layer>> SelectLayers(const Network& network,
                                                absl::string_view selector,
                                                absl::string_view path);

// --- Core results to responses.

void ToProto(const Layer& layer, pb::LayerInfo* out);

// The non-virtual rows of `mapping` with their names and dataflows.
void ToProto(const Accelerator& accelerator, const Mapping& mapping,
             pb::SchedulingTable* out);

// Validity, violations and the report figures of `evaluation`.
void ToProto(const Accelerator& accelerator, const Evaluation& evaluation,
             pb::CostReport* out);

// Everything about one scheduled layer.
void ToProto(const Accelerator& accelerator, const Layer& layer,
             const LayerResult& result, bool cache_hit, pb::LayerSchedule* out);

}  // namespace neurospector::server

#endif  // NEUROSPECTOR_SERVER_CONVERT_H_
