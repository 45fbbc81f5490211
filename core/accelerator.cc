#include "core/accelerator.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace neurospector {
namespace {

// A buffer is "unit" when it stores exactly one element of each data type:
// one shared size of 3 * precision / 8 bytes (rounded down), or three
// separate sizes of one element each.
bool IsUnitBuffer(const MemoryLevel& level, uint32_t precision_bits,
                  uint32_t bytes_per_element) {
  const std::vector<double>& sizes = level.size_bytes;
  if (sizes.size() == 1) return sizes[0] == (3 * precision_bits) / 8;
  if (sizes.size() == 3) {
    return sizes[0] == bytes_per_element && sizes[1] == bytes_per_element &&
           sizes[2] == bytes_per_element;
  }
  return false;
}

RowKind TemporalRowKind(const Accelerator& accelerator, int row) {
  const MemoryLevel& level = accelerator.Memory(row);
  if (!level.present) return RowKind::kVirtual;
  if (row == kDramRow) return RowKind::kRegular;
  return IsUnitBuffer(level, accelerator.precision_bits,
                      accelerator.bytes_per_element)
             ? RowKind::kUnit
             : RowKind::kRegular;
}

RowKind SpatialRowKind(const Accelerator& accelerator, int row) {
  const SpatialArray& array = accelerator.ArrayOf(row);
  if (!array.present) return RowKind::kVirtual;
  const bool is_x = (row % 3) == 1;
  const uint32_t size = is_x ? array.size_x : array.size_y;
  return size == 1 ? RowKind::kUnit : RowKind::kRegular;
}

}  // namespace

bool MemoryLevel::HasConstraint() const {
  for (uint32_t value : constraint) {
    if (value != 0) return true;
  }
  return false;
}

const MemoryLevel& Accelerator::Memory(int row) const {
  switch (row) {
    case kRegisterRow:
      return register_file;
    case kLocalBufferRow:
      return local_buffer;
    case kGlobalBufferRow:
      return global_buffer;
    default:
      return dram;
  }
}

MemoryLevel& Accelerator::Memory(int row) {
  return const_cast<MemoryLevel&>(std::as_const(*this).Memory(row));
}

const SpatialArray& Accelerator::ArrayOf(int row) const {
  if (row <= kMacYRow) return mac_array;
  if (row <= kPeYRow) return pe_array;
  return chips;
}

SpatialArray& Accelerator::ArrayOf(int row) {
  return const_cast<SpatialArray&>(std::as_const(*this).ArrayOf(row));
}

Dataflow Accelerator::ConfiguredDataflow(int row) const {
  if (!IsTemporalRow(row) || row == kDramRow) return Dataflow::kNone;
  const MemoryLevel& level = Memory(row);
  return level.present ? level.dataflow : Dataflow::kNone;
}

void Accelerator::FinalizeRows() {
  for (int row = 0; row < kNumRows; ++row) {
    row_kinds[row] = IsTemporalRow(row) ? TemporalRowKind(*this, row)
                                        : SpatialRowKind(*this, row);
    switch (row_kinds[row]) {
      case RowKind::kVirtual:
        row_names[row] = "virtual";
        break;
      case RowKind::kUnit:
        row_names[row] = std::string(RowSectionName(row));
        break;
      case RowKind::kRegular:
        row_names[row] = IsTemporalRow(row)
                             ? std::string(RowSectionName(row))
                             : absl::StrCat(RowSectionName(row),
                                            (row % 3) == 1 ? "(X)" : "(Y)");
        break;
    }
  }
}

absl::string_view RowSectionName(int row) {
  static constexpr std::array<absl::string_view, kNumRows> kNames = {
      "REGISTER", "MAC_ARRAY",     "MAC_ARRAY",   "LOCAL_BUFFER", "PE_ARRAY",
      "PE_ARRAY", "GLOBAL_BUFFER", "MULTI_CHIPS", "MULTI_CHIPS",  "DRAM"};
  return kNames[row];
}

absl::string_view RowLevelKey(int row) {
  static constexpr std::array<absl::string_view, kNumRows> kKeys = {
      "register", "mac_array",     "mac_array",   "local_buffer", "pe_array",
      "pe_array", "global_buffer", "multi_chips", "multi_chips",  "dram"};
  return kKeys[row];
}

}  // namespace neurospector
