#include "core/canonical.h"

#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace neurospector {
namespace {

// Bumped whenever the serialization changes, so that keys of different
// layouts never meet.
constexpr absl::string_view kFormatVersion = "neurospector-canonical-v1";

std::string Number(double value) {
  if (value == 0) value = 0;  // -0 and +0 are the same quantity
  return absl::StrFormat("%.17g", value);
}

template <typename Container>
std::string NumberList(const Container& values) {
  std::vector<std::string> parts;
  for (double value : values) parts.push_back(Number(value));
  return absl::StrJoin(parts, ",");
}

void AppendMemoryLevel(absl::string_view key, const MemoryLevel& level,
                       std::string* out) {
  absl::StrAppend(out, key, ".present=", level.present ? 1 : 0, "\n");
  if (!level.present) return;
  absl::StrAppend(out, key, ".size_bytes=", NumberList(level.size_bytes), "\n");
  absl::StrAppend(out, key,
                  ".organization=", static_cast<int>(level.organization), "\n");
  absl::StrAppend(out, key, ".shared_capacity=", Number(level.shared_capacity),
                  "\n");
  absl::StrAppend(
      out, key, ".private_capacity=", NumberList(level.private_capacity), "\n");
  absl::StrAppend(out, key, ".dataflow=", DataflowName(level.dataflow), "\n");
  absl::StrAppend(out, key, ".bandwidth_bits=", level.bandwidth_bits, "\n");
  absl::StrAppend(
      out, key, ".access_energy_pj=", NumberList(level.access_energy_pj), "\n");
  absl::StrAppend(out, key,
                  ".static_power_mw=", NumberList(level.static_power_mw), "\n");
  absl::StrAppend(out, key, ".unit_cycles=", NumberList(level.unit_cycles),
                  "\n");
  absl::StrAppend(out, key, ".bypass=", level.bypass[kInput] ? 1 : 0, ",",
                  level.bypass[kWeight] ? 1 : 0, ",",
                  level.bypass[kOutput] ? 1 : 0, "\n");
  absl::StrAppend(out, key,
                  ".constraint=", absl::StrJoin(level.constraint, ","), "\n");
}

void AppendSpatialArray(absl::string_view key, const SpatialArray& array,
                        std::string* out) {
  absl::StrAppend(out, key, ".present=", array.present ? 1 : 0, "\n");
  if (!array.present) return;
  absl::StrAppend(out, key, ".size=", array.size_x, "x", array.size_y, "\n");
  absl::StrAppend(out, key, ".allowed=", unsigned{array.allowed_x}, ",",
                  unsigned{array.allowed_y}, "\n");
}

}  // namespace

std::string Fingerprint128::ToHex() const {
  return absl::StrFormat("%016x%016x", high, low);
}

Fingerprint128 Fnv1a128(absl::string_view bytes) {
  const absl::uint128 prime = (absl::uint128{1} << 88) + 0x13b;
  absl::uint128 hash =
      absl::MakeUint128(0x6c62272e07bb0142ULL, 0x62b821756295c58dULL);
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= prime;
  }
  return Fingerprint128{absl::Uint128High64(hash), absl::Uint128Low64(hash)};
}

std::string CanonicalAccelerator(const Accelerator& accelerator) {
  std::string out = absl::StrCat(kFormatVersion, " accelerator\n");
  absl::StrAppend(&out, "precision_bits=", accelerator.precision_bits, "\n");
  absl::StrAppend(&out, "bytes_per_element=", accelerator.bytes_per_element,
                  "\n");
  absl::StrAppend(&out, "frequency_mhz=", accelerator.frequency_mhz, "\n");
  absl::StrAppend(&out, "mac_energy_pj=", Number(accelerator.mac_energy_pj),
                  "\n");
  absl::StrAppend(&out, "mac_static_mw=", Number(accelerator.mac_static_mw),
                  "\n");

  AppendMemoryLevel("register", accelerator.register_file, &out);
  AppendMemoryLevel("local_buffer", accelerator.local_buffer, &out);
  AppendMemoryLevel("global_buffer", accelerator.global_buffer, &out);
  AppendMemoryLevel("dram", accelerator.dram, &out);

  AppendSpatialArray("mac_array", accelerator.mac_array, &out);
  AppendSpatialArray("pe_array", accelerator.pe_array, &out);
  AppendSpatialArray("multi_chips", accelerator.chips, &out);
  return out;
}

std::string CanonicalLayerShape(const LayerShape& shape) {
  return absl::StrCat(shape.k, ",", shape.b, ",", shape.p, ",", shape.q, ",",
                      shape.c, ",", shape.r, ",", shape.s, ",", shape.g, ",",
                      shape.stride);
}

std::string CanonicalSearchOptions(const SearchOptions& options) {
  return absl::StrCat("metric=", MetricName(options.metric),
                      ";dataflow=", DataflowModeName(options.dataflow_mode),
                      ";search=", SearchAlgorithmName(options.algorithm));
}

Fingerprint128 AcceleratorFingerprint(const Accelerator& accelerator) {
  return Fnv1a128(CanonicalAccelerator(accelerator));
}

Fingerprint128 SearchResultKey(const Fingerprint128& accelerator,
                               const LayerShape& shape,
                               const SearchOptions& options) {
  return Fnv1a128(
      absl::StrCat(kFormatVersion, " search\naccelerator=", accelerator.ToHex(),
                   "\nlayer=", CanonicalLayerShape(shape),
                   "\noptions=", CanonicalSearchOptions(options), "\n"));
}

}  // namespace neurospector
