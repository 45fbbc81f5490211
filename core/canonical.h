// Canonical text of the inputs a search result depends on (accelerator,
// layer shape, search options) and a stable 128-bit fingerprint of it. The
// server keys its result cache with these, so that the same accelerator
// written as a built-in name, as .cfg text or field by field, and the same
// layer shape under any layer name, give the same key.

#ifndef NEUROSPECTOR_CORE_CANONICAL_H_
#define NEUROSPECTOR_CORE_CANONICAL_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/layer.h"
#include "core/search/search_types.h"

namespace neurospector {

// A 128-bit fingerprint. Equal inputs give equal fingerprints in every
// process and on every machine.
struct Fingerprint128 {
  uint64_t high = 0;
  uint64_t low = 0;

  // 32 lower-case hex digits, high half first.
  std::string ToHex() const;

  friend bool operator==(const Fingerprint128&,
                         const Fingerprint128&) = default;

  template <typename H>
  friend H AbslHashValue(H state, const Fingerprint128& fingerprint) {
    return H::combine(std::move(state), fingerprint.high, fingerprint.low);
  }
};

// Returns the 128-bit FNV-1a hash of `bytes` (offset basis
// 0x6c62272e07bb014262b821756295c58d, prime 2^88 + 0x13b), as specified
// for FNV by Fowler, Noll and Vo. FNV is not a cryptographic hash: keys are
// assumed not to be chosen by an attacker who wants a collision.
Fingerprint128 Fnv1a128(absl::string_view bytes);

// Serializes every field of the parsed `accelerator`, one "key=value" line
// each, with doubles written with 17 significant digits (exact) and -0 as
// 0. Left out: the NAME (it only labels reports and no figure depends on
// it), the source file name, the warnings, and the row kinds and names
// (derived from the fields that are included). Fields of an absent section
// are left out too, so the defaults they hold do not matter.
std::string CanonicalAccelerator(const Accelerator& accelerator);

// "K,B,P,Q,C,R,S,G,stride" of the shape as written (K and C totals).
std::string CanonicalLayerShape(const LayerShape& shape);

// Metric, dataflow mode and algorithm. The time limit is left out: only
// final results (bottom-up, or exact and proven optimal) may be stored
// under the key, and those do not depend on it.
std::string CanonicalSearchOptions(const SearchOptions& options);

// Fingerprint of CanonicalAccelerator(accelerator).
Fingerprint128 AcceleratorFingerprint(const Accelerator& accelerator);

// Cache key of the search result for one layer shape on the accelerator
// with fingerprint `accelerator`, under `options`.
Fingerprint128 SearchResultKey(const Fingerprint128& accelerator,
                               const LayerShape& shape,
                               const SearchOptions& options);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_CANONICAL_H_
