// `neurospector schedule`: the optimizer.

#ifndef NEUROSPECTOR_CLIENT_SCHEDULE_COMMAND_H_
#define NEUROSPECTOR_CLIENT_SCHEDULE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace neurospector::cli {

// Runs `schedule` with option words `words`; see cli.h for the streams and
// the exit status.
int RunSchedule(const std::vector<std::string>& words, std::ostream& out,
                std::ostream& err);

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_SCHEDULE_COMMAND_H_
