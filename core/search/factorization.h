// Divisors, ordered factorizations and the factorization degree used by
// the mapping space and the bottom-up search.

#ifndef NEUROSPECTOR_CORE_SEARCH_FACTORIZATION_H_
#define NEUROSPECTOR_CORE_SEARCH_FACTORIZATION_H_

#include <cstdint>
#include <vector>

#include "core/types.h"

namespace neurospector {

// Divisors of `value` (>= 1) in increasing order.
std::vector<uint32_t> Divisors(uint32_t value);

// All ordered `levels`-tuples of positive integers whose product is
// `value`, in lexicographic order (the first component varies slowest).
// Tuples are stored flat: tuple i is elements [i * levels, (i + 1) * levels).
std::vector<uint32_t> OrderedFactorizations(uint32_t value, int levels);

// Number of ordered `levels`-factorizations of `value`, saturating at
// UINT64_MAX.
uint64_t CountOrderedFactorizations(uint32_t value, int levels);

// Factor count of the reference's factorization-degree loop: the number of
// prime factors of `value` with multiplicity, minus one when the largest
// prime factor occurs only once (2 -> 0, 6 -> 1, 12 -> 2, 18 -> 3, 1 -> 0).
int ReferencePrimeFactorCount(uint32_t value);

// Factorization degree of a row: the product over its values of
// (ReferencePrimeFactorCount(v) + 1). The supplementary strategy of the
// bottom-up search prefers rows with a higher degree.
uint64_t FactorizationDegree(const RowValues& row);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_SEARCH_FACTORIZATION_H_
