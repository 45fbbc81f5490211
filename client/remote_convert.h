// The one place where the command line turns its inputs into protobuf
// requests and server responses into the views it prints.

#ifndef NEUROSPECTOR_CLIENT_REMOTE_CONVERT_H_
#define NEUROSPECTOR_CLIENT_REMOTE_CONVERT_H_

#include <string>

#include "absl/status/statusor.h"
#include "client/report_view.h"
#include "client/schedule_view.h"
#include "core/search/search_types.h"
#include "neurospector/v1/scheduler.pb.h"

namespace neurospector::cli {

namespace pb = ::neurospector::v1;

// An accelerator argument: the text of the file at `argument` if it is a
// readable file (named by its path), else the built-in name.
absl::StatusOr<pb::Accelerator> AcceleratorArgument(
    const std::string& argument);

// Same for a network argument.
absl::StatusOr<pb::Network> NetworkArgument(const std::string& argument);

// The text of the table file at `path`, named by its path. NOT_FOUND when
// it cannot be read.
absl::StatusOr<pb::ConfigText> TableArgument(const std::string& path);

pb::SearchOptions ToProto(const SearchOptions& options);

// The evaluation of one table, as EvaluationView.
absl::StatusOr<EvaluationView> ToView(const std::string& accelerator_name,
                                      const pb::LayerInfo& layer,
                                      const pb::SchedulingTable& table,
                                      const pb::CostReport& report);

// One scheduled layer, as LayerScheduleView.
absl::StatusOr<LayerScheduleView> ToView(const std::string& accelerator_name,
                                         const pb::LayerSchedule& schedule);

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_REMOTE_CONVERT_H_
