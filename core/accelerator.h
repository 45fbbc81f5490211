// Accelerator description: memory levels (register, local buffer, global
// buffer, DRAM), spatial arrays (MAC array, PE array, chips) and the
// classification of the ten scheduling-table rows they give.

#ifndef NEUROSPECTOR_CORE_ACCELERATOR_H_
#define NEUROSPECTOR_CORE_ACCELERATOR_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/types.h"

namespace neurospector {

// Split of a buffer's capacity between I, W and O.
enum class BufferOrganization : uint8_t {
  kShared,           // one capacity for I+W+O (one size value)
  kPartiallyShared,  // shared capacity plus a private one (two size values)
  kSeparate,         // one capacity per data type (three size values)
};

// A memory level: one of the [REGISTER], [LOCAL_BUFFER], [GLOBAL_BUFFER] or
// [DRAM] sections.
struct MemoryLevel {
  bool present = false;
  std::vector<double> size_bytes;  // as written; unused for DRAM
  BufferOrganization organization = BufferOrganization::kShared;
  // Capacities in elements (bytes / bytes per element).
  double shared_capacity = 0;
  std::array<double, kNumDataTypes> private_capacity = {0, 0, 0};
  Dataflow dataflow = Dataflow::kNone;
  uint32_t bandwidth_bits = 0;  // bits per cycle
  // Indexed by DataType. Energy per element access (pJ), static power per
  // data type (mW), cycles per bandwidth-wide transfer.
  std::array<double, kNumDataTypes> access_energy_pj = {0, 0, 0};
  std::array<double, kNumDataTypes> static_power_mw = {0, 0, 0};
  std::array<double, kNumDataTypes> unit_cycles = {0, 0, 0};
  std::array<bool, kNumDataTypes> bypass = {false, false, false};
  // Mapping values the user fixed for this level's row; 0 means free.
  RowValues constraint = {0, 0, 0, 0, 0, 0, 0, 0};

  bool HasConstraint() const;
};

// A spatial array: [MAC_ARRAY], [PE_ARRAY] or [MULTI_CHIPS]. An absent
// array behaves as 1x1.
struct SpatialArray {
  bool present = false;
  uint32_t size_x = 1;
  uint32_t size_y = 1;
  // Bit p set: parameter p may be unrolled along that dimension. All bits
  // are set when the dimension has no CONSTRAINT_X / CONSTRAINT_Y.
  uint8_t allowed_x = 0xff;
  uint8_t allowed_y = 0xff;

  uint64_t Instances() const { return uint64_t{size_x} * size_y; }
};

// Classification of a table row.
enum class RowKind : uint8_t {
  kVirtual,  // its section is absent; always all ones
  kUnit,     // present but of size one; must be all ones
  kRegular,  // a real level or array dimension the search may fill
};

struct Accelerator {
  std::string name;    // NAME, lower case
  std::string source;  // file the description came from, for messages
  uint32_t precision_bits = 8;
  uint32_t bytes_per_element = 1;  // precision_bits / 8, rounded down
  uint32_t frequency_mhz = 0;
  double mac_energy_pj = 1.0;  // dynamic energy per MAC
  double mac_static_mw = 0.0;  // static power of one MAC unit

  MemoryLevel register_file;
  MemoryLevel local_buffer;
  MemoryLevel global_buffer;
  MemoryLevel dram;
  SpatialArray mac_array;
  SpatialArray pe_array;
  SpatialArray chips;

  // Derived from the sections by FinalizeRows().
  std::array<RowKind, kNumRows> row_kinds{};
  std::array<std::string, kNumRows> row_names;

  // Non-fatal remarks about the input, with their locations.
  std::vector<std::string> warnings;

  // Memory level of temporal row 0, 3, 6 or 9.
  const MemoryLevel& Memory(int row) const;
  MemoryLevel& Memory(int row);

  // Array of spatial row 1, 2, 4, 5, 7 or 8.
  const SpatialArray& ArrayOf(int row) const;
  SpatialArray& ArrayOf(int row);

  bool IsSkippable(int row) const {
    return row_kinds[row] != RowKind::kRegular;
  }

  // Configured dataflow of temporal row 0, 3 or 6 (kNone for DRAM, for
  // spatial rows and for absent levels).
  Dataflow ConfiguredDataflow(int row) const;

  // Number of installed MAC units over all arrays (capacity, not activity).
  uint64_t InstalledMacs() const {
    return mac_array.Instances() * pe_array.Instances() * chips.Instances();
  }

  // Fills row_kinds and row_names from the sections.
  void FinalizeRows();
};

// Upper-case section name of row `row`'s level ("PE_ARRAY", "DRAM", ...).
absl::string_view RowSectionName(int row);

// Name of the violation kinds and level keys used in reports
// ("local_buffer", "pe_array", ...).
absl::string_view RowLevelKey(int row);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_ACCELERATOR_H_
