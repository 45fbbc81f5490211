#include "server/server_flags.h"

#include <cstdint>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace neurospector::server {

const char kServerUsage[] =
    "usage: neurospector-server [flags]\n"
    "\n"
    "Serves the neurospector scheduling API (neurospector.v1.Scheduler) over\n"
    "gRPC, with the gRPC health service and server reflection, and its\n"
    "Prometheus metrics over HTTP. SIGTERM or SIGINT drains the calls in\n"
    "flight and stops the server.\n"
    "\n"
    "flags:\n"
    "  --listen HOST:PORT       gRPC address (default 127.0.0.1:50051;\n"
    "                           port 0 picks a free port)\n"
    "  --metrics-listen HOST:PORT\n"
    "                           address of the HTTP /metrics endpoint\n"
    "                           (default 127.0.0.1:9464; \"\" disables it)\n"
    "  --threads N              search worker threads shared by all requests\n"
    "                           (default 0: one per hardware thread)\n"
    "  --cache-entries N        search results kept in memory, least\n"
    "                           recently used evicted first (default 10000;\n"
    "                           0 disables the cache)\n"
    "  --max-concurrent-searches N\n"
    "                           requests that may run searches at once; more\n"
    "                           get RESOURCE_EXHAUSTED (default 32)\n"
    "  --shutdown-grace SECONDS time calls in flight get to finish after\n"
    "                           SIGTERM before they are cancelled (default "
    "10)\n"
    "  --help                   print this text\n";

namespace {

absl::StatusOr<int64_t> ParseIntegerFlag(const std::string& name,
                                         const std::string& value,
                                         int64_t min_value, int64_t max_value) {
  int64_t parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed) || parsed < min_value ||
      parsed > max_value) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, " \"", value,
                                                   "\" is invalid; expected an "
                                                   "integer from ",
                                                   min_value, " to ",
                                                   max_value));
  }
  return parsed;
}

absl::Status ApplyFlag(const std::string& name, const std::string& value,
                       ServerFlags* flags) {
  ServerOptions& options = flags->options;
  if (name == "listen") {
    if (value.empty()) {
      return absl::InvalidArgumentError(
          "--listen is empty; expected HOST:PORT");
    }
    options.listen_address = value;
  } else if (name == "metrics-listen") {
    options.metrics_address = value;
  } else if (name == "threads") {
    NS_ASSIGN_OR_RETURN(int64_t threads,
                        ParseIntegerFlag(name, value, 0, 1024));
    options.threads = static_cast<int>(threads);
  } else if (name == "cache-entries") {
    NS_ASSIGN_OR_RETURN(int64_t entries,
                        ParseIntegerFlag(name, value, 0, int64_t{1} << 32));
    options.engine.cache_entries = static_cast<size_t>(entries);
  } else if (name == "max-concurrent-searches") {
    NS_ASSIGN_OR_RETURN(int64_t searches,
                        ParseIntegerFlag(name, value, 1, 100000));
    options.engine.max_concurrent_searches = static_cast<int>(searches);
  } else if (name == "shutdown-grace") {
    double seconds = 0;
    if (!absl::SimpleAtod(value, &seconds) || !(seconds >= 0) ||
        seconds > 3600) {
      return absl::InvalidArgumentError(
          absl::StrCat("--shutdown-grace \"", value,
                       "\" is invalid; expected 0 to 3600 seconds"));
    }
    flags->shutdown_grace = absl::Seconds(seconds);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServerFlags> ParseServerFlags(
    const std::vector<std::string>& args) {
  static const std::set<std::string> kValueFlags = {
      "listen",        "metrics-listen",          "threads",
      "cache-entries", "max-concurrent-searches", "shutdown-grace"};
  ServerFlags flags;
  std::set<std::string> seen;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--help" || word == "-h") {
      flags.help = true;
      continue;
    }
    if (word.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", word,
                       "\"; flags are written --name VALUE"));
    }
    std::string name = word.substr(2);
    std::string value;
    if (const size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    } else if (kValueFlags.contains(name)) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", name, " needs a value"));
      }
      value = args[++i];
    }
    if (!kValueFlags.contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown flag --", name, "; see neurospector-server --help"));
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("flag --", name, " is given twice"));
    }
    NS_RETURN_IF_ERROR(ApplyFlag(name, value, &flags));
  }
  return flags;
}

}  // namespace neurospector::server
