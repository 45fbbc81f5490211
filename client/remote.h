// Remote mode of the command line (--server HOST:PORT): the evaluate,
// schedule and list commands send their request to a neurospector-server
// and build the same views as an in-process run, so that the text, JSON
// and CSV output is the same.
//
// Accelerator and network arguments keep their in-process meaning: an
// existing file is read here and sent as text under its path (so that
// messages name it), anything else is sent as a built-in name.

#ifndef NEUROSPECTOR_CLIENT_REMOTE_H_
#define NEUROSPECTOR_CLIENT_REMOTE_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/report_view.h"
#include "client/schedule_view.h"
#include "core/search/search_types.h"

namespace neurospector::cli {

struct RemoteEvaluateInput {
  std::string server;  // HOST:PORT
  std::string accelerator;
  std::string network;
  std::string table;  // path of a scheduling-table file
  std::optional<std::string> layer;
};

struct RemoteScheduleInput {
  std::string server;  // HOST:PORT
  std::string accelerator;
  std::string network;
  std::optional<std::string> layer;
  SearchOptions search;
};

// Evaluates a table on the server. Accelerator warnings go to `err`.
// Errors keep the server's status code; their message names the server
// and the code.
absl::StatusOr<EvaluationView> EvaluateRemote(const RemoteEvaluateInput& input,
                                              std::ostream& err);

// Schedules the network (or the one layer) on the server. Warnings, and a
// line saying how many layers came from the server's cache, go to `err`.
absl::StatusOr<ScheduleView> ScheduleRemote(const RemoteScheduleInput& input,
                                            std::ostream& err);

// Names of the server's built-in accelerators and networks.
struct BuiltinNames {
  std::vector<std::string> accelerators;
  std::vector<std::string> networks;
};
absl::StatusOr<BuiltinNames> ListRemote(const std::string& server);

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_REMOTE_H_
