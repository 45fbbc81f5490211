#include "core/search/factor_space.h"

#include "core/search/factorization.h"

namespace neurospector {
bool FactorAllowed(const Accelerator& accelerator, int row, Param param,
                   uint32_t factor) {
  if (row < 0) return true;
  if (IsTemporalRow(row)) {
    const uint32_t fixed = accelerator.Memory(row).constraint[param];
    return row == kRegisterRow || fixed == 0 || factor == fixed;
  }
  const SpatialArray& array = accelerator.ArrayOf(row);
  const uint8_t allowed = (row % 3) == 1 ? array.allowed_x : array.allowed_y;
  return factor == 1 || (allowed & (1u << param)) != 0;
}

FactorSpace::FactorSpace(const RowValues& values, const std::vector<int>& rows,
                         const Accelerator& accelerator)
    : rows_(rows) {
  const size_t levels = rows.size();
  bool first_allowed = true;
  unsigned __int128 size = 1;
  for (Param param : kAllParams) {
    const std::vector<uint32_t> all =
        OrderedFactorizations(values[param], static_cast<int>(levels));
    std::vector<uint32_t>& allowed_tuples = tuples_[param];
    for (size_t start = 0; start < all.size(); start += levels) {
      bool allowed = true;
      for (size_t level = 0; level < levels; ++level) {
        allowed = allowed && FactorAllowed(accelerator, rows[level], param,
                                           all[start + level]);
      }
      if (allowed) {
        allowed_tuples.insert(allowed_tuples.end(), all.begin() + start,
                              all.begin() + start + levels);
      } else if (start == 0) {
        first_allowed = false;
      }
    }
    counts_[param] = static_cast<uint32_t>(allowed_tuples.size() / levels);
    size *= counts_[param];
  }
  size_ = size > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(size);
  rotated_ = first_allowed;
}

FactorSpace::Digits FactorSpace::DigitsAt(uint64_t position) const {
  uint64_t index = position;
  if (rotated_) index = (position + 1 == size_) ? 0 : position + 1;
  Digits digits{};
  for (int param = kNumParams - 1; param >= 0; --param) {
    digits[param] = static_cast<uint32_t>(index % counts_[param]);
    index /= counts_[param];
  }
  return digits;
}

void FactorSpace::Advance(Digits* digits) const {
  for (int param = kNumParams - 1; param >= 0; --param) {
    if (++(*digits)[param] < counts_[param]) return;
    (*digits)[param] = 0;
  }
}

void FactorSpace::Write(const Digits& digits, Mapping* mapping) const {
  const size_t levels = rows_.size();
  for (Param param : kAllParams) {
    const uint32_t* tuple = &tuples_[param][digits[param] * levels];
    for (size_t level = 0; level < levels; ++level) {
      if (rows_[level] >= 0) mapping->rows[rows_[level]][param] = tuple[level];
    }
  }
}

}  // namespace neurospector
