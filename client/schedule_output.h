// Text, JSON and CSV output of the schedule command.

#ifndef NEUROSPECTOR_CLIENT_SCHEDULE_OUTPUT_H_
#define NEUROSPECTOR_CLIENT_SCHEDULE_OUTPUT_H_

#include <string>

#include "client/json_output.h"
#include "client/schedule_view.h"

namespace neurospector::cli {

// One line per layer (index, name, energy in pJ, cycles, strategy, search
// seconds), then the network totals. With `verbose`, each layer's table
// follows its line.
std::string ScheduleText(const ScheduleView& view, bool verbose);

// {"accelerator", "network", "metric", "dataflow", "search", "layers":
// [...], "totals": {"total_energy", "total_cycle", "seconds"}}
Json ScheduleJson(const ScheduleView& view);

// A header line, then one line per layer with its shape and main figures.
// Fields that contain a comma, a double quote or a line break are quoted
// as in RFC 4180.
std::string ScheduleCsv(const ScheduleView& view);

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_SCHEDULE_OUTPUT_H_
