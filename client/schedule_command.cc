#include "client/schedule_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/args.h"
#include "client/cli.h"
#include "client/remote.h"
#include "client/schedule_output.h"
#include "core/inputs.h"
#include "core/search/scheduler.h"
#include "core/status_macros.h"

namespace neurospector::cli {
namespace {

enum class Format { kText, kJson, kCsv };

struct ScheduleOptions {
  std::string accelerator;
  std::string network;
  std::optional<std::string> layer;
  SearchOptions search;
  int threads = 0;
  Format format = Format::kText;
  bool verbose = false;
  std::optional<std::string> write_tables;
  std::optional<std::string> server;  // --server HOST:PORT: run remotely
};

absl::Status ParseSearchFlags(const Args& args, ScheduleOptions* options) {
  const std::string metric = args.GetOr("metric", "energy");
  if (std::optional<Metric> parsed = ParseMetric(metric)) {
    options->search.metric = *parsed;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metric \"", metric, "\" is invalid; expected energy or cycle"));
  }

  const std::string dataflow = args.GetOr("dataflow", "fixed");
  if (dataflow == "fixed" || dataflow == "flexible") {
    options->search.dataflow_mode =
        dataflow == "fixed" ? DataflowMode::kFixed : DataflowMode::kFlexible;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--dataflow \"", dataflow,
                     "\" is invalid; expected fixed or flexible"));
  }

  const std::string search = args.GetOr("search", "bottom-up");
  if (search == "bottom-up" || search == "exact") {
    options->search.algorithm = search == "exact" ? SearchAlgorithm::kExact
                                                  : SearchAlgorithm::kBottomUp;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--search \"", search, "\" is invalid; expected bottom-up or exact"));
  }

  if (std::optional<std::string> limit = args.Get("time-limit")) {
    double seconds = 0;
    if (!absl::SimpleAtod(*limit, &seconds) || !(seconds > 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--time-limit \"", *limit,
                       "\" is invalid; expected a positive number of seconds"));
    }
    if (options->search.algorithm != SearchAlgorithm::kExact) {
      return absl::InvalidArgumentError(
          "--time-limit applies to --search exact only (the bottom-up search "
          "always runs to completion)");
    }
    options->search.time_limit = absl::Seconds(seconds);
  }

  if (std::optional<std::string> threads = args.Get("threads")) {
    if (!absl::SimpleAtoi(*threads, &options->threads) ||
        options->threads < 0 || options->threads > 1024) {
      return absl::InvalidArgumentError(
          absl::StrCat("--threads \"", *threads,
                       "\" is invalid; expected 0 (all cores) to 1024"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ScheduleOptions> ParseOptions(
    const std::vector<std::string>& words) {
  NS_ASSIGN_OR_RETURN(
      Args args, Args::Parse(words,
                             {"accelerator", "network", "layer", "metric",
                              "dataflow", "search", "time-limit", "threads",
                              "format", "write-tables", "server"},
                             {"verbose"}));
  ScheduleOptions options;
  for (const char* required : {"accelerator", "network"}) {
    if (!args.Has(required)) {
      return absl::InvalidArgumentError(
          absl::StrCat("schedule needs --", required));
    }
  }
  options.accelerator = *args.Get("accelerator");
  options.network = *args.Get("network");
  options.layer = args.Get("layer");
  options.verbose = args.Has("verbose");
  options.write_tables = args.Get("write-tables");
  options.server = args.Get("server");
  NS_RETURN_IF_ERROR(ParseSearchFlags(args, &options));

  const std::string format = args.GetOr("format", "text");
  if (format == "json") {
    options.format = Format::kJson;
  } else if (format == "csv") {
    options.format = Format::kCsv;
  } else if (format != "text") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--format \"", format, "\" is invalid; expected text, json or csv"));
  }
  return options;
}

// Draws "[#####.....] 5/21 layers" on stderr when it is a terminal.
class ProgressBar {
 public:
  ProgressBar(size_t total, bool enabled) : total_(total), enabled_(enabled) {}

  void LayerDone() {
    if (!enabled_) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    constexpr size_t kWidth = 30;
    const size_t filled = done_ * kWidth / total_;
    std::cerr << "\r[" << std::string(filled, '#')
              << std::string(kWidth - filled, '.') << "] " << done_ << "/"
              << total_ << " layers" << std::flush;
    // Done: erase the bar so that it does not mix with the report.
    if (done_ == total_) {
      std::cerr << "\r" << std::string(kWidth + 40, ' ') << "\r" << std::flush;
    }
  }

 private:
  std::mutex mutex_;
  const size_t total_;
  const bool enabled_;
  size_t done_ = 0;
};

// Every layer of `network`, or the one `layer` selects. An unknown layer
// gives an error that names the --layer option and its value.
absl::StatusOr<std::vector<Layer>> SelectLayers(
    const Network& network, const std::optional<std::string>& layer) {
  if (!layer.has_value()) return network.layers;

  absl::StatusOr<const Layer*> found = network.FindLayer(*layer);
  if (!found.ok()) {
    return absl::Status(
        found.status().code(),
        absl::StrCat("--layer ", *layer, ": ", found.status().message()));
  }
  return std::vector<Layer>{**found};
}

// `name` with every character other than letters, digits, '-', '_' and
// '.' replaced by '_', so that any layer name makes a file name.
std::string SafeFileName(absl::string_view name) {
  std::string safe(name);
  for (char& c : safe) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_' && c != '.') {
      c = '_';
    }
  }
  return safe;
}

absl::Status WriteTables(const std::string& directory,
                         const Accelerator& accelerator,
                         const std::vector<Layer>& layers,
                         const std::vector<LayerResult>& results) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("--write-tables: cannot create directory \"", directory,
                     "\": ", error.message()));
  }
  // Zero-padded indices keep the files in network order when listed.
  const int width = static_cast<int>(absl::StrCat(layers.back().index).size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string path =
        absl::StrCat(directory, "/",
                     absl::StrFormat("%0*d", width, layers[i].index), "_",
                     SafeFileName(layers[i].name), ".cfg");
    std::ofstream file(path);
    file << FormatTableFile(results[i].mapping, accelerator, layers[i].name);
    if (!file) {
      return absl::InternalError(absl::StrCat(
          "--write-tables: cannot write the table of layer ", layers[i].name,
          " to \"", path, "\": ", std::strerror(errno)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ScheduleView> ScheduleInProcess(const ScheduleOptions& options,
                                               std::ostream& err) {
  NS_ASSIGN_OR_RETURN(Accelerator accelerator,
                      LoadAccelerator(options.accelerator));
  for (const std::string& warning : accelerator.warnings) {
    err << "warning: " << warning << "\n";
  }
  NS_ASSIGN_OR_RETURN(Network network, LoadNetwork(options.network));
  NS_ASSIGN_OR_RETURN(std::vector<Layer> layers,
                      SelectLayers(network, options.layer));

  const absl::Time start = absl::Now();
  Scheduler scheduler(options.threads);
  ProgressBar progress(layers.size(),
                       &err == &std::cerr && ::isatty(STDERR_FILENO));
  NS_ASSIGN_OR_RETURN(
      std::vector<LayerResult> results,
      scheduler.ScheduleNetwork(
          accelerator, layers, options.search, StopToken(),
          [&](size_t, const LayerResult&) { progress.LayerDone(); }));

  if (options.write_tables.has_value()) {
    NS_RETURN_IF_ERROR(
        WriteTables(*options.write_tables, accelerator, layers, results));
  }

  ScheduleView view;
  view.accelerator = accelerator.name;
  view.network = network.name;
  view.metric = std::string(MetricName(options.search.metric));
  view.dataflow = std::string(DataflowModeName(options.search.dataflow_mode));
  view.search = std::string(SearchAlgorithmName(options.search.algorithm));
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerResult& result = results[i];
    view.layers.push_back(
        LayerScheduleView{MakeEvaluationView(accelerator, layers[i],
                                             result.mapping, result.evaluation),
                          result.strategy, result.optimal, result.evaluated,
                          result.pruned, result.seconds});
  }
  view.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return view;
}

// --server: the same schedule, computed by a neurospector-server.
absl::StatusOr<ScheduleView> ScheduleOnServer(const ScheduleOptions& options,
                                              std::ostream& err) {
  if (options.write_tables.has_value()) {
    return absl::InvalidArgumentError(
        "--write-tables is not available with --server; run without "
        "--server to write the tables");
  }
  if (options.threads != 0) {
    err << "warning: --threads is ignored with --server; the server's "
           "--threads setting applies\n";
  }
  return ScheduleRemote(
      RemoteScheduleInput{*options.server, options.accelerator, options.network,
                          options.layer, options.search},
      err);
}

}  // namespace

int RunSchedule(const std::vector<std::string>& words, std::ostream& out,
                std::ostream& err) {
  absl::StatusOr<ScheduleOptions> options = ParseOptions(words);
  if (!options.ok()) return ReportError(options.status(), err);

  absl::StatusOr<ScheduleView> view = options->server.has_value()
                                          ? ScheduleOnServer(*options, err)
                                          : ScheduleInProcess(*options, err);
  if (!view.ok()) return ReportError(view.status(), err);

  switch (options->format) {
    case Format::kJson:
      out << ScheduleJson(*view).dump(2) << "\n";
      break;
    case Format::kCsv:
      out << ScheduleCsv(*view);
      break;
    case Format::kText:
      out << ScheduleText(*view, options->verbose);
      break;
  }
  return kExitOk;
}

}  // namespace neurospector::cli
