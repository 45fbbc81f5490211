#include "core/network.h"

#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/config_values.h"
#include "core/status_macros.h"

namespace neurospector {
namespace {

constexpr std::array<absl::string_view, 9> kFieldNames = {
    "K", "B", "P", "Q", "C", "R", "S", "G", "stride"};

absl::StatusOr<Layer> ParseLayerEntry(const ConfigFile& file,
                                      const ConfigEntry& entry) {
  NS_ASSIGN_OR_RETURN(std::vector<std::string> fields, SplitList(file, entry));
  if (fields.size() != kFieldNames.size()) {
    return EntryError(file, entry,
                      absl::StrCat("has ", fields.size(),
                                   " values; expected 9: K,B,P,Q,C,R,S,G,"
                                   "stride"));
  }

  std::array<uint64_t, 9> values{};
  for (size_t i = 0; i < fields.size(); ++i) {
    const uint64_t min_value = (i + 1 == fields.size()) ? 0 : 1;
    NS_ASSIGN_OR_RETURN(
        values[i],
        ParseIntegerField(file, entry, fields[i], kFieldNames[i], min_value,
                          std::numeric_limits<uint32_t>::max()));
  }

  const LayerShape shape{values[0], values[1], values[2], values[3], values[4],
                         values[5], values[6], values[7], values[8]};
  return MakeLayer(
      entry.raw_key, shape,
      absl::StrCat(file.Location(entry.line), ": layer ", entry.raw_key));
}

absl::Status CheckSections(const ConfigFile& file) {
  for (const ConfigSection& section : file.sections) {
    if (section.name != "NETWORK" && section.name != "LAYERS") {
      return absl::InvalidArgumentError(absl::StrCat(
          file.Location(section.line), ": [", section.name,
          "] is not a known section; expected [NETWORK] and [LAYERS]"));
    }
    const ConfigSection* first = file.FindSection(section.name);
    if (section.name == "NETWORK" && first != &section) {
      return absl::InvalidArgumentError(
          absl::StrCat(file.Location(section.line),
                       ": [NETWORK] appears twice (first at line ", first->line,
                       "); give the network name once"));
    }
  }
  return absl::OkStatus();
}

// name= of [NETWORK], lower case; without one, the file name without its
// directory and ".cfg".
absl::StatusOr<std::string> ReadNetworkName(const ConfigFile& file) {
  if (const ConfigSection* header = file.FindSection("NETWORK")) {
    for (const ConfigEntry& entry : header->entries) {
      if (entry.key != "NAME") {
        return absl::InvalidArgumentError(absl::StrCat(
            file.Location(entry.line), ": unknown key ", entry.raw_key,
            " in [NETWORK]; expected name="));
      }
      if (&entry != header->Find("NAME")) {
        return absl::InvalidArgumentError(absl::StrCat(
            file.Location(entry.line), ": name= is given twice in [NETWORK] "
            "(first at line ", header->Find("NAME")->line, "); keep one"));
      }
    }
    if (const ConfigEntry* name = header->Find("NAME")) {
      return absl::AsciiStrToLower(name->value);
    }
  }
  absl::string_view stem = file.source;
  if (const size_t slash = stem.rfind('/'); slash != absl::string_view::npos) {
    stem.remove_prefix(slash + 1);
  }
  absl::ConsumeSuffix(&stem, ".cfg");
  return absl::AsciiStrToLower(stem);
}

}  // namespace

absl::StatusOr<const Layer*> Network::FindLayer(
    absl::string_view selector) const {
  const std::string lower_selector = absl::AsciiStrToLower(selector);
  for (const Layer& layer : layers) {
    if (absl::AsciiStrToLower(layer.name) == lower_selector) return &layer;
  }

  int index = 0;
  const bool is_index = absl::SimpleAtoi(selector, &index);
  if (is_index && index >= 1 && index <= static_cast<int>(layers.size())) {
    return &layers[index - 1];
  }

  const std::string expected =
      absl::StrCat("; expected a layer name such as ",
                   layers.empty() ? std::string("CONV_1") : layers.front().name,
                   " or an index from 1 to ", layers.size());
  if (is_index) {
    return absl::NotFoundError(
        absl::StrCat("no layer ", selector, " in network ", source, expected));
  }
  return absl::NotFoundError(absl::StrCat("no layer \"", selector,
                                          "\" in network ", source, expected));
}

absl::StatusOr<Network> ParseNetwork(const ConfigFile& file) {
  NS_RETURN_IF_ERROR(CheckSections(file));

  Network network;
  network.source = file.source;
  NS_ASSIGN_OR_RETURN(network.name, ReadNetworkName(file));

  absl::flat_hash_map<std::string, int> lines_by_name;
  for (const ConfigSection& section : file.sections) {
    if (section.name != "LAYERS") continue;
    for (const ConfigEntry& entry : section.entries) {
      const auto [it, inserted] = lines_by_name.emplace(
          absl::AsciiStrToLower(entry.raw_key), entry.line);
      if (!inserted) {
        return absl::InvalidArgumentError(
            absl::StrCat(file.Location(entry.line), ": layer name ",
                         entry.raw_key, " is already used at line ", it->second,
                         "; layer names must be unique (case-insensitive)"));
      }
      NS_ASSIGN_OR_RETURN(Layer layer, ParseLayerEntry(file, entry));
      layer.index = static_cast<int>(network.layers.size()) + 1;
      network.layers.push_back(std::move(layer));
    }
  }

  if (network.layers.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file.source,
                     ": no layers; expected a [LAYERS] section with lines "
                     "NAME=K,B,P,Q,C,R,S,G,stride"));
  }
  return network;
}

absl::StatusOr<Network> ParseNetworkText(absl::string_view text,
                                         absl::string_view source) {
  NS_ASSIGN_OR_RETURN(ConfigFile file, ParseConfigText(text, source));
  return ParseNetwork(file);
}

absl::StatusOr<Network> ReadNetworkFile(const std::string& path) {
  NS_ASSIGN_OR_RETURN(ConfigFile file, ReadConfigFile(path));
  return ParseNetwork(file);
}

}  // namespace neurospector
