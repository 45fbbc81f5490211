#include "client/list_command.h"

#include "absl/strings/str_cat.h"
#include "client/args.h"
#include "client/cli.h"
#include "client/json_output.h"
#include "client/remote.h"
#include "core/inputs.h"

namespace neurospector::cli {

int RunList(const std::vector<std::string>& words, std::ostream& out,
            std::ostream& err) {
  absl::StatusOr<Args> args = Args::Parse(words, {"server", "format"}, {});
  if (!args.ok()) return ReportError(args.status(), err);
  const std::string format = args->GetOr("format", "text");
  if (format != "text" && format != "json") {
    return ReportError(
        absl::InvalidArgumentError(absl::StrCat(
            "--format \"", format, "\" is invalid; expected text or json")),
        err);
  }

  BuiltinNames names;
  if (std::optional<std::string> server = args->Get("server")) {
    absl::StatusOr<BuiltinNames> remote = ListRemote(*server);
    if (!remote.ok()) return ReportError(remote.status(), err);
    names = *std::move(remote);
  } else {
    names = {BuiltinAcceleratorNames(), BuiltinNetworkNames()};
  }

  if (format == "json") {
    Json json = Json::object();
    json["accelerators"] = names.accelerators;
    json["networks"] = names.networks;
    out << json.dump(2) << "\n";
    return kExitOk;
  }
  out << "accelerators:\n";
  for (const std::string& name : names.accelerators)
    out << "  " << name << "\n";
  out << "networks:\n";
  for (const std::string& name : names.networks) out << "  " << name << "\n";
  return kExitOk;
}

}  // namespace neurospector::cli
