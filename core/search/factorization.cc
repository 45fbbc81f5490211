#include "core/search/factorization.h"

#include <algorithm>

namespace neurospector {
namespace {

uint64_t SaturatingMultiply(uint64_t a, uint64_t b) {
  uint64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return UINT64_MAX;
  return product;
}

// Binomial coefficient C(n, k), saturating.
uint64_t Binomial(uint64_t n, uint64_t k) {
  k = std::min(k, n - k);
  unsigned __int128 result = 1;
  for (uint64_t i = 1; i <= k; ++i) {
    result = result * (n - k + i) / i;
    if (result > UINT64_MAX) return UINT64_MAX;
  }
  return static_cast<uint64_t>(result);
}

void AppendFactorizations(uint32_t value, int levels,
                          std::vector<uint32_t>* prefix,
                          std::vector<uint32_t>* out) {
  if (levels == 1) {
    out->insert(out->end(), prefix->begin(), prefix->end());
    out->push_back(value);
    return;
  }
  for (uint32_t divisor : Divisors(value)) {
    prefix->push_back(divisor);
    AppendFactorizations(value / divisor, levels - 1, prefix, out);
    prefix->pop_back();
  }
}

}  // namespace

std::vector<uint32_t> Divisors(uint32_t value) {
  std::vector<uint32_t> small;
  std::vector<uint32_t> large;
  for (uint64_t d = 1; d * d <= value; ++d) {
    if (value % d != 0) continue;
    small.push_back(static_cast<uint32_t>(d));
    if (d * d != value) large.push_back(static_cast<uint32_t>(value / d));
  }
  small.insert(small.end(), large.rbegin(), large.rend());
  return small;
}

std::vector<uint32_t> OrderedFactorizations(uint32_t value, int levels) {
  std::vector<uint32_t> out;
  std::vector<uint32_t> prefix;
  AppendFactorizations(value, levels, &prefix, &out);
  return out;
}

uint64_t CountOrderedFactorizations(uint32_t value, int levels) {
  // Stars and bars per prime power: C(e + levels - 1, levels - 1).
  uint64_t count = 1;
  uint64_t v = value;
  for (uint64_t p = 2; p * p <= v; ++p) {
    int exponent = 0;
    while (v % p == 0) {
      v /= p;
      ++exponent;
    }
    if (exponent > 0) {
      count = SaturatingMultiply(count,
                                 Binomial(exponent + levels - 1, levels - 1));
    }
  }
  if (v > 1) count = SaturatingMultiply(count, levels);
  return count;
}

int ReferencePrimeFactorCount(uint32_t value) {
  // The reference counts factors with "for (i = 2; i < v; ++i) while
  // (v % i == 0) { ++count; v /= i; }" on the shrinking v, which stops
  // before dividing out a largest prime that occurs once.
  int count = 0;
  int last_multiplicity = 0;
  uint64_t v = value;
  for (uint64_t p = 2; p * p <= v; ++p) {
    int multiplicity = 0;
    while (v % p == 0) {
      v /= p;
      ++multiplicity;
    }
    if (multiplicity > 0) {
      count += multiplicity;
      last_multiplicity = multiplicity;
    }
  }
  if (v > 1) {
    // A prime left over after trial division occurs once and is the largest.
    return count;
  }
  return last_multiplicity == 1 ? count - 1 : count;
}

uint64_t FactorizationDegree(const RowValues& row) {
  uint64_t degree = 1;
  for (uint32_t value : row) {
    degree *= static_cast<uint64_t>(ReferencePrimeFactorCount(value)) + 1;
  }
  return degree;
}

}  // namespace neurospector
