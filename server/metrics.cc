#include "server/metrics.h"

#include <string>

namespace neurospector::server {
namespace {

prometheus::Family<prometheus::Histogram>& BuildSearchDuration(
    prometheus::Registry& registry) {
  return prometheus::BuildHistogram()
      .Name("neurospector_search_duration_seconds")
      .Help("Wall time of one layer search, in seconds")
      .Register(registry);
}

prometheus::Family<prometheus::Counter>& BuildCacheLookups(
    prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("neurospector_cache_lookups_total")
      .Help("Result-cache lookups, one per distinct layer shape of a request")
      .Register(registry);
}

}  // namespace

ServerMetrics::ServerMetrics()
    : registry(std::make_shared<prometheus::Registry>()),
      search_duration(BuildSearchDuration(*registry)),
      cache_lookups(BuildCacheLookups(*registry)),
      cache_hits(cache_lookups.Add({{"result", "hit"}})),
      cache_misses(cache_lookups.Add({{"result", "miss"}})),
      cache_entries(prometheus::BuildGauge()
                        .Name("neurospector_cache_entries")
                        .Help("Search results stored in the cache")
                        .Register(*registry)
                        .Add({})),
      rpc_requests(prometheus::BuildCounter()
                       .Name("neurospector_rpc_requests_total")
                       .Help("Finished RPCs by method and status code")
                       .Register(*registry)),
      searches_in_flight(
          prometheus::BuildGauge()
              .Name("neurospector_searches_in_flight")
              .Help("Requests running a search now (a ScheduleNetwork "
                    "request counts once)")
              .Register(*registry)
              .Add({})),
      tables_evaluated(prometheus::BuildCounter()
                           .Name("neurospector_tables_evaluated_total")
                           .Help("Scheduling tables evaluated by searches")
                           .Register(*registry)
                           .Add({})) {}

prometheus::Histogram& ServerMetrics::SearchDuration(absl::string_view rpc,
                                                     SearchAlgorithm algorithm,
                                                     Metric metric) {
  return search_duration.Add(
      {{"rpc", std::string(rpc)},
       {"search", std::string(SearchAlgorithmName(algorithm))},
       {"metric", std::string(MetricName(metric))}},
      SearchDurationBuckets());
}

prometheus::Counter& ServerMetrics::RpcRequests(absl::string_view method,
                                                absl::StatusCode code) {
  return rpc_requests.Add({{"method", std::string(method)},
                           {"code", absl::StatusCodeToString(code)}});
}

prometheus::Histogram::BucketBoundaries SearchDurationBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
          0.25,   0.5,     1,      2.5,   5,      10,    25,   50,    100};
}

}  // namespace neurospector::server
