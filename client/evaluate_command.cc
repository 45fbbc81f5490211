#include "client/evaluate_command.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "client/args.h"
#include "client/cli.h"
#include "client/json_output.h"
#include "client/remote.h"
#include "client/report_view.h"
#include "client/text_output.h"
#include "core/analysis.h"
#include "core/inputs.h"
#include "core/status_macros.h"

namespace neurospector::cli {
namespace {

enum class Format { kText, kJson };

struct EvaluateOptions {
  std::string accelerator;
  std::string network;
  std::string table;
  std::optional<std::string> layer;
  Format format = Format::kText;
  std::optional<std::string> server;  // --server HOST:PORT: run remotely
};

absl::StatusOr<EvaluateOptions> ParseOptions(
    const std::vector<std::string>& words) {
  NS_ASSIGN_OR_RETURN(Args args, Args::Parse(words,
                                             {"accelerator", "network", "table",
                                              "layer", "format", "server"},
                                             {}));
  EvaluateOptions options;
  for (const char* required : {"accelerator", "network", "table"}) {
    if (!args.Has(required)) {
      return absl::InvalidArgumentError(
          absl::StrCat("evaluate needs --", required));
    }
  }
  options.accelerator = *args.Get("accelerator");
  options.network = *args.Get("network");
  options.table = *args.Get("table");
  options.layer = args.Get("layer");
  options.server = args.Get("server");

  const std::string format = args.GetOr("format", "text");
  if (format == "json") {
    options.format = Format::kJson;
  } else if (format != "text") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--format \"", format, "\" is invalid; expected text or json"));
  }
  return options;
}

// Rejects a --layer that names no layer of `network`, naming the option.
absl::Status CheckLayerOption(const Network& network,
                              const std::optional<std::string>& layer) {
  if (!layer.has_value()) return absl::OkStatus();
  absl::StatusOr<const Layer*> found = network.FindLayer(*layer);
  if (found.ok()) return absl::OkStatus();
  return absl::Status(
      found.status().code(),
      absl::StrCat("--layer ", *layer, ": ", found.status().message()));
}

absl::StatusOr<EvaluationView> EvaluateInProcess(const EvaluateOptions& options,
                                                 std::ostream& err) {
  NS_ASSIGN_OR_RETURN(Accelerator accelerator,
                      LoadAccelerator(options.accelerator));
  for (const std::string& warning : accelerator.warnings) {
    err << "warning: " << warning << "\n";
  }
  NS_ASSIGN_OR_RETURN(Network network, LoadNetwork(options.network));
  NS_RETURN_IF_ERROR(CheckLayerOption(network, options.layer));
  NS_ASSIGN_OR_RETURN(TableFile table,
                      ReadTableFile(options.table, accelerator));
  NS_ASSIGN_OR_RETURN(
      Analysis analysis,
      AnalyzeTable(accelerator, network, table,
                   options.layer.has_value()
                       ? std::optional<absl::string_view>(*options.layer)
                       : std::nullopt));
  return MakeEvaluationView(accelerator, analysis.layer, analysis.mapping,
                            analysis.evaluation);
}

}  // namespace

int RunEvaluate(const std::vector<std::string>& words, std::ostream& out,
                std::ostream& err) {
  absl::StatusOr<EvaluateOptions> options = ParseOptions(words);
  if (!options.ok()) return ReportError(options.status(), err);

  absl::StatusOr<EvaluationView> view =
      options->server.has_value()
          ? EvaluateRemote(
                RemoteEvaluateInput{*options->server, options->accelerator,
                                    options->network, options->table,
                                    options->layer},
                err)
          : EvaluateInProcess(*options, err);
  if (!view.ok()) return ReportError(view.status(), err);

  if (options->format == Format::kJson) {
    out << EvaluationJson(*view).dump(2) << "\n";
  } else {
    out << EvaluationText(*view);
  }
  return kExitOk;
}

}  // namespace neurospector::cli
