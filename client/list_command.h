// `neurospector list`: the built-in accelerators and networks, of this
// program or of a server.

#ifndef NEUROSPECTOR_CLIENT_LIST_COMMAND_H_
#define NEUROSPECTOR_CLIENT_LIST_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace neurospector::cli {

// Runs `list [--server HOST:PORT] [--format text|json]`; see cli.h for
// the streams and the exit status.
int RunList(const std::vector<std::string>& words, std::ostream& out,
            std::ostream& err);

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_LIST_COMMAND_H_
