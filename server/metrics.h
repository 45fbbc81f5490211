// The server's Prometheus metrics. The families are registered once, in the
// constructor, and held by reference; prometheus-cpp metrics are
// thread-safe.

#ifndef NEUROSPECTOR_SERVER_METRICS_H_
#define NEUROSPECTOR_SERVER_METRICS_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/search/search_types.h"
#include "core/types.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace neurospector::server {

struct ServerMetrics {
  ServerMetrics();

  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // Histogram of one search's wall time for `rpc` ("ScheduleLayer" or
  // "ScheduleNetwork"), algorithm and metric.
  prometheus::Histogram& SearchDuration(absl::string_view rpc,
                                        SearchAlgorithm algorithm,
                                        Metric metric);

  // Counter of finished RPCs of `method` with status `code`.
  prometheus::Counter& RpcRequests(absl::string_view method,
                                   absl::StatusCode code);

  const std::shared_ptr<prometheus::Registry> registry;

  // neurospector_search_duration_seconds{rpc, search, metric}: seconds per
  // search, buckets from 100 us to 100 s.
  prometheus::Family<prometheus::Histogram>& search_duration;
  // neurospector_cache_lookups_total{result="hit"|"miss"}: one lookup per
  // distinct layer shape of a request.
  prometheus::Family<prometheus::Counter>& cache_lookups;
  prometheus::Counter& cache_hits;
  prometheus::Counter& cache_misses;
  // neurospector_cache_entries: results stored in the cache.
  prometheus::Gauge& cache_entries;
  // neurospector_rpc_requests_total{method, code}: finished RPCs.
  prometheus::Family<prometheus::Counter>& rpc_requests;
  // neurospector_searches_in_flight: requests running a search now (a
  // ScheduleNetwork request counts once).
  prometheus::Gauge& searches_in_flight;
  // neurospector_tables_evaluated_total: tables the searches evaluated.
  prometheus::Counter& tables_evaluated;
};

// Bucket bounds of the search-duration histogram in seconds: 1, 2.5 and 5
// times each power of ten from 100 us to 100 s.
prometheus::Histogram::BucketBoundaries SearchDurationBuckets();

}  // namespace neurospector::server

#endif  // NEUROSPECTOR_SERVER_METRICS_H_
