// Accelerator requests: built-in names, .cfg text and structured specs. A
// spec is turned into the sections and entries of a configuration file, so
// that it goes through exactly the validation of accelerator files. Each
// entry is labelled with its field path for messages.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/accelerator_parser.h"
#include "core/config_file.h"
#include "core/inputs.h"
#include "core/status_macros.h"
#include "server/convert.h"

namespace neurospector::server {
namespace {

// Builds a ConfigFile whose lines are labelled with field paths.
class LabelledFile {
 public:
  explicit LabelledFile(std::string source) {
    file_.source = std::move(source);
  }

  void AddSection(absl::string_view name, absl::string_view path) {
    file_.sections.push_back(
        ConfigSection{std::string(name), AddLine(path), {}});
  }

  // Adds KEY=value to the last section.
  void AddEntry(absl::string_view key, std::string value,
                absl::string_view path) {
    file_.sections.back().entries.push_back(ConfigEntry{
        std::string(key), std::string(key), std::move(value), AddLine(path)});
  }

  ConfigFile Release() { return std::move(file_); }

 private:
  int AddLine(absl::string_view path) {
    file_.line_labels.emplace_back(path);
    return static_cast<int>(file_.line_labels.size());
  }

  ConfigFile file_;
};

std::string Number(double value) { return absl::StrFormat("%.17g", value); }

std::string NumberList(const google::protobuf::RepeatedField<double>& values) {
  std::vector<std::string> parts;
  for (double value : values) parts.push_back(Number(value));
  return absl::StrJoin(parts, ",");
}

absl::StatusOr<std::string> DataflowWord(pb::Dataflow dataflow,
                                         absl::string_view path) {
  switch (dataflow) {
    case pb::DATAFLOW_INPUT_STATIONARY:
      return std::string("IS");
    case pb::DATAFLOW_WEIGHT_STATIONARY:
      return std::string("WS");
    case pb::DATAFLOW_OUTPUT_STATIONARY:
      return std::string("OS");
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": ", static_cast<int>(dataflow),
          " is not a dataflow; expected DATAFLOW_INPUT_STATIONARY, "
          "DATAFLOW_WEIGHT_STATIONARY or DATAFLOW_OUTPUT_STATIONARY"));
  }
}

absl::StatusOr<std::string> BypassWords(
    const google::protobuf::RepeatedField<int>& types, absl::string_view path) {
  std::vector<std::string> words;
  for (int i = 0; i < types.size(); ++i) {
    switch (types[i]) {
      case pb::DATA_TYPE_INPUT:
        words.push_back("input");
        break;
      case pb::DATA_TYPE_WEIGHT:
        words.push_back("weight");
        break;
      case pb::DATA_TYPE_OUTPUT:
        words.push_back("output");
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            path, "[", i, "]: ", types[i],
            " is not a data type; expected DATA_TYPE_INPUT, DATA_TYPE_WEIGHT "
            "or DATA_TYPE_OUTPUT"));
    }
  }
  return absl::StrJoin(words, ",");
}

absl::Status AddMemoryLevel(const pb::MemoryLevelSpec& level,
                            absl::string_view section, absl::string_view path,
                            LabelledFile* file) {
  file->AddSection(section, path);
  auto field = [&](absl::string_view name) {
    return absl::StrCat(path, ".", name);
  };
  if (!level.buffer_size_bytes().empty()) {
    file->AddEntry("BUFFER_SIZE", NumberList(level.buffer_size_bytes()),
                   field("buffer_size_bytes"));
  }
  if (level.dataflow() != pb::DATAFLOW_UNSPECIFIED) {
    NS_ASSIGN_OR_RETURN(std::string word,
                        DataflowWord(level.dataflow(), field("dataflow")));
    file->AddEntry("DATAFLOW", std::move(word), field("dataflow"));
  }
  if (level.has_bandwidth_bits()) {
    file->AddEntry("BANDWIDTH", absl::StrCat(level.bandwidth_bits()),
                   field("bandwidth_bits"));
  }
  if (!level.unit_access_energy_pj().empty()) {
    file->AddEntry("UNIT_ACCESS_ENERGY",
                   NumberList(level.unit_access_energy_pj()),
                   field("unit_access_energy_pj"));
  }
  if (!level.unit_static_power_mw().empty()) {
    file->AddEntry("UNIT_STATIC_POWER",
                   NumberList(level.unit_static_power_mw()),
                   field("unit_static_power_mw"));
  }
  if (!level.unit_cycle().empty()) {
    file->AddEntry("UNIT_CYCLE", NumberList(level.unit_cycle()),
                   field("unit_cycle"));
  }
  if (!level.bypass().empty()) {
    NS_ASSIGN_OR_RETURN(std::string words,
                        BypassWords(level.bypass(), field("bypass")));
    file->AddEntry("BYPASS", std::move(words), field("bypass"));
  }
  if (!level.constraint().empty()) {
    file->AddEntry("CONSTRAINT", absl::StrJoin(level.constraint(), ","),
                   field("constraint"));
  }
  return absl::OkStatus();
}

void AddSpatialArray(const pb::SpatialArraySpec& array,
                     absl::string_view section, absl::string_view path,
                     LabelledFile* file) {
  file->AddSection(section, path);
  if (array.has_size_x()) {
    file->AddEntry("SIZE_X", absl::StrCat(array.size_x()),
                   absl::StrCat(path, ".size_x"));
  }
  if (array.has_size_y()) {
    file->AddEntry("SIZE_Y", absl::StrCat(array.size_y()),
                   absl::StrCat(path, ".size_y"));
  }
  if (!array.constraint_x().empty()) {
    file->AddEntry("CONSTRAINT_X", absl::StrJoin(array.constraint_x(), ","),
                   absl::StrCat(path, ".constraint_x"));
  }
  if (!array.constraint_y().empty()) {
    file->AddEntry("CONSTRAINT_Y", absl::StrJoin(array.constraint_y(), ","),
                   absl::StrCat(path, ".constraint_y"));
  }
}

void AddGeneralSection(const pb::AcceleratorSpec& spec, absl::string_view path,
                       LabelledFile* file) {
  file->AddSection("ACCELERATOR", path);
  auto field = [&](absl::string_view name) {
    return absl::StrCat(path, ".", name);
  };
  if (!spec.name().empty()) file->AddEntry("NAME", spec.name(), field("name"));
  if (spec.has_precision_bits()) {
    file->AddEntry("PRECISION", absl::StrCat(spec.precision_bits()),
                   field("precision_bits"));
  }
  if (spec.has_frequency_mhz()) {
    file->AddEntry("FREQUENCY", absl::StrCat(spec.frequency_mhz()),
                   field("frequency_mhz"));
  }
  if (spec.has_unit_mac_energy_pj()) {
    file->AddEntry("UNIT_MAC_ENERGY", Number(spec.unit_mac_energy_pj()),
                   field("unit_mac_energy_pj"));
  }
  if (spec.has_unit_mac_static_mw()) {
    file->AddEntry("UNIT_MAC_STATIC", Number(spec.unit_mac_static_mw()),
                   field("unit_mac_static_mw"));
  }
}

absl::StatusOr<Accelerator> ParseSpec(const pb::AcceleratorSpec& spec,
                                      absl::string_view path) {
  if (spec.name().size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".name: ", spec.name().size(),
                     " bytes is too long; the limit is ", kMaxNameBytes));
  }
  LabelledFile file{std::string(path)};
  AddGeneralSection(spec, path, &file);

  struct Level {
    bool present;
    const pb::MemoryLevelSpec& spec;
    absl::string_view section;
    absl::string_view field;
  };
  const Level levels[] = {
      {spec.has_register_file(), spec.register_file(), "REGISTER",
       "register_file"},
      {spec.has_local_buffer(), spec.local_buffer(), "LOCAL_BUFFER",
       "local_buffer"},
      {spec.has_global_buffer(), spec.global_buffer(), "GLOBAL_BUFFER",
       "global_buffer"},
      {spec.has_dram(), spec.dram(), "DRAM", "dram"},
  };
  for (const Level& level : levels) {
    if (!level.present) continue;
    NS_RETURN_IF_ERROR(AddMemoryLevel(level.spec, level.section,
                                      absl::StrCat(path, ".", level.field),
                                      &file));
  }

  struct Array {
    bool present;
    const pb::SpatialArraySpec& spec;
    absl::string_view section;
    absl::string_view field;
  };
  const Array arrays[] = {
      {spec.has_mac_array(), spec.mac_array(), "MAC_ARRAY", "mac_array"},
      {spec.has_pe_array(), spec.pe_array(), "PE_ARRAY", "pe_array"},
      {spec.has_multi_chips(), spec.multi_chips(), "MULTI_CHIPS",
       "multi_chips"},
  };
  for (const Array& array : arrays) {
    if (!array.present) continue;
    AddSpatialArray(array.spec, array.section,
                    absl::StrCat(path, ".", array.field), &file);
  }
  return ParseAccelerator(file.Release());
}

absl::StatusOr<Accelerator> ParseText(const pb::ConfigText& cfg,
                                      absl::string_view path) {
  NS_ASSIGN_OR_RETURN(
      std::string source,
      ConfigTextSource(cfg, path, kMaxAcceleratorTextBytes, "accelerator"));
  return ParseAcceleratorText(cfg.text(), source);
}

}  // namespace

absl::StatusOr<std::unique_ptr<BuiltinCatalog>> BuiltinCatalog::Create() {
  std::unique_ptr<BuiltinCatalog> catalog(new BuiltinCatalog());
  for (const std::string& name : BuiltinAcceleratorNames()) {
    NS_ASSIGN_OR_RETURN(Accelerator accelerator, LoadAccelerator(name));
    const Fingerprint128 fingerprint = AcceleratorFingerprint(accelerator);
    catalog->accelerators_.emplace(
        name, ResolvedAccelerator{
                  std::make_shared<const Accelerator>(std::move(accelerator)),
                  fingerprint});
  }
  for (const std::string& name : BuiltinNetworkNames()) {
    NS_ASSIGN_OR_RETURN(Network network, LoadNetwork(name));
    catalog->networks_.emplace(
        name, std::make_shared<const Network>(std::move(network)));
  }
  return catalog;
}

absl::StatusOr<ResolvedAccelerator> ToAccelerator(
    const pb::Accelerator& accelerator, absl::string_view path,
    const BuiltinCatalog& catalog) {
  absl::StatusOr<Accelerator> parsed;
  switch (accelerator.form_case()) {
    case pb::Accelerator::kBuiltinName: {
      const ResolvedAccelerator* builtin =
          catalog.FindAccelerator(accelerator.builtin_name());
      if (builtin == nullptr) {
        return UnknownBuiltinError(absl::StrCat(path, ".builtin_name"),
                                   accelerator.builtin_name(), "accelerator",
                                   BuiltinAcceleratorNames());
      }
      return *builtin;
    }
    case pb::Accelerator::kCfg:
      parsed = ParseText(accelerator.cfg(), absl::StrCat(path, ".cfg"));
      break;
    case pb::Accelerator::kSpec:
      parsed = ParseSpec(accelerator.spec(), absl::StrCat(path, ".spec"));
      break;
    case pb::Accelerator::FORM_NOT_SET:
      return absl::InvalidArgumentError(
          absl::StrCat(path, " is missing; set builtin_name, cfg or spec"));
  }
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(parsed.status().message());
  }
  const Fingerprint128 fingerprint = AcceleratorFingerprint(*parsed);
  return ResolvedAccelerator{
      std::make_shared<const Accelerator>(*std::move(parsed)), fingerprint};
}

}  // namespace neurospector::server
