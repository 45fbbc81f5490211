// The server's result cache: an in-memory LRU map from search keys to
// final search results, combined with single flight, so that concurrent
// requests for the same key run one search and share its result.

#ifndef NEUROSPECTOR_SERVER_RESULT_CACHE_H_
#define NEUROSPECTOR_SERVER_RESULT_CACHE_H_

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "core/canonical.h"
#include "core/search/search_types.h"

namespace neurospector::server {

using SharedResult = std::shared_ptr<const LayerResult>;

// One running search whose result several requests wait for. Thread-safe.
class Flight {
 public:
  // Publishes the result and wakes every waiter. Called once.
  void Complete(absl::StatusOr<SharedResult> result);

  // Waits for the result; returns nullopt as soon as `stop` requests a stop
  // (checked every 10 ms) before the result is there.
  std::optional<absl::StatusOr<SharedResult>> Wait(const StopToken& stop) const;

 private:
  mutable absl::Mutex mutex_;
  std::optional<absl::StatusOr<SharedResult>> result_ ABSL_GUARDED_BY(mutex_);
};

// Whether `result` of a search with `algorithm` may be stored as final:
// bottom-up results always (the search is deterministic), exact results
// only when proven optimal (one stopped by its time limit is not).
bool IsFinalResult(const LayerResult& result, SearchAlgorithm algorithm);

class ResultCache {
 public:
  // Holds at most `max_entries` results (0: stores nothing, but concurrent
  // identical searches are still shared).
  explicit ResultCache(size_t max_entries);

  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  // Outcome of Claim: exactly one of `cached` (a hit) or `flight` is set,
  // unless the caller could not lead a search (`exhausted`).
  struct Claim {
    SharedResult cached;
    std::shared_ptr<Flight> flight;
    bool leader = false;  // the caller must run the search and Finish it
    bool exhausted = false;
  };

  // Looks up `key`. On a hit, marks the entry most recently used. On a
  // miss, joins the running flight `flight_key` if there is one (a
  // follower), else calls `may_lead`. If that returns true, it registers a
  // new flight that the caller leads. If it returns false, nothing is
  // registered and `exhausted` is set. `may_lead` runs under the cache's
  // lock and must not call back into the cache.
  Claim Lookup(const Fingerprint128& key, const Fingerprint128& flight_key,
               const std::function<bool()>& may_lead);

  // Ends the flight the caller leads: stores a final result under `key`
  // (evicting the least recently used entry when full), removes the flight
  // and hands `result` to its followers.
  void Finish(const Fingerprint128& key, const Fingerprint128& flight_key,
              const std::shared_ptr<Flight>& flight,
              absl::StatusOr<SharedResult> result, SearchAlgorithm algorithm);

  // Number of stored results.
  size_t size() const;
  size_t max_entries() const { return max_entries_; }

 private:
  using Entry = std::pair<Fingerprint128, SharedResult>;

  const size_t max_entries_;
  mutable absl::Mutex mutex_;
  // Most recently used first.
  std::list<Entry> lru_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<Fingerprint128, std::list<Entry>::iterator> entries_
      ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<Fingerprint128, std::shared_ptr<Flight>> flights_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace neurospector::server

#endif  // NEUROSPECTOR_SERVER_RESULT_CACHE_H_
