#include "core/accelerator_parser.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/config_values.h"
#include "core/status_macros.h"

namespace neurospector {
namespace {

constexpr uint64_t kMaxArraySide = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kMaxBandwidthBits = std::numeric_limits<int32_t>::max();

// Keys that appear in the shipped files but do not affect the model.
bool IsIgnoredKey(absl::string_view key) {
  return key == "TYPE" || key == "UNIT_MUL_ENERGY" ||
         key == "UNIT_ADD_ENERGY" || key == "SIZE_MB";
}

absl::string_view DataTypeWord(int type) {
  static constexpr std::array<absl::string_view, kNumDataTypes> kWords = {
      "input", "weight", "output"};
  return kWords[type];
}

absl::Status SectionError(const ConfigFile& file, const ConfigSection& section,
                          absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(
      file.Location(section.line), ": [", section.name, "] ", problem));
}

// Rejects a key given twice in one section.
absl::Status CheckUniqueKeys(const ConfigFile& file,
                             const ConfigSection& section) {
  absl::flat_hash_set<std::string> seen;
  for (const ConfigEntry& entry : section.entries) {
    if (!seen.insert(entry.key).second) {
      const ConfigEntry* first = section.Find(entry.key);
      return absl::InvalidArgumentError(absl::StrCat(
          file.Location(entry.line), ": ", entry.key, " is given twice in [",
          section.name, "] (first at line ", first->line, "); keep one value"));
    }
  }
  return absl::OkStatus();
}

void WarnUnknownKey(const ConfigFile& file, const ConfigSection& section,
                    const ConfigEntry& entry, Accelerator* accelerator) {
  if (IsIgnoredKey(entry.key)) return;
  accelerator->warnings.push_back(
      absl::StrCat(file.Location(entry.line), ": unknown key ", entry.key,
                   " in [", section.name, "] is ignored"));
}

// Parses the digits of PRECISION ("INT16" -> 16, "FP32" -> 32).
absl::StatusOr<uint32_t> ParsePrecision(const ConfigFile& file,
                                        const ConfigEntry& entry) {
  std::string digits;
  for (char c : entry.value) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  uint64_t bits = 0;
  if (digits.empty() || digits.size() > 4 || !absl::SimpleAtoi(digits, &bits) ||
      bits < 8) {
    return EntryError(file, entry,
                      "is invalid: expected a word width of at least 8 bits "
                      "such as INT8, INT16 or FP32");
  }
  return static_cast<uint32_t>(bits);
}

absl::Status ParseGeneralSection(const ConfigFile& file,
                                 const ConfigSection& section,
                                 Accelerator* accelerator) {
  bool has_frequency = false;
  for (const ConfigEntry& entry : section.entries) {
    if (entry.key == "NAME") {
      accelerator->name = absl::AsciiStrToLower(entry.value);
    } else if (entry.key == "PRECISION") {
      NS_ASSIGN_OR_RETURN(accelerator->precision_bits,
                          ParsePrecision(file, entry));
    } else if (entry.key == "FREQUENCY") {
      NS_ASSIGN_OR_RETURN(uint64_t mhz,
                          ParseInteger(file, entry, 1, UINT32_MAX));
      accelerator->frequency_mhz = static_cast<uint32_t>(mhz);
      has_frequency = true;
    } else if (entry.key == "UNIT_MAC_ENERGY") {
      NS_ASSIGN_OR_RETURN(accelerator->mac_energy_pj,
                          ParseNonNegativeNumber(file, entry));
    } else if (entry.key == "UNIT_MAC_STATIC") {
      NS_ASSIGN_OR_RETURN(accelerator->mac_static_mw,
                          ParseNonNegativeNumber(file, entry));
    } else {
      WarnUnknownKey(file, section, entry, accelerator);
    }
  }
  // The reference model's defaults change every figure, so warn when they
  // apply.
  if (section.Find("PRECISION") == nullptr) {
    accelerator->warnings.push_back(absl::StrCat(
        file.Location(section.line),
        ": [ACCELERATOR] has no PRECISION; using 8 bits per element"));
  }
  if (section.Find("UNIT_MAC_ENERGY") == nullptr) {
    accelerator->warnings.push_back(absl::StrCat(
        file.Location(section.line),
        ": [ACCELERATOR] has no UNIT_MAC_ENERGY; using 1 pJ per MAC"));
  }
  if (!has_frequency) {
    return SectionError(file, section,
                        "is missing FREQUENCY (clock frequency in MHz); the "
                        "static energy needs the clock period");
  }
  accelerator->bytes_per_element = accelerator->precision_bits / 8;
  return absl::OkStatus();
}

// Parses a cost list (UNIT_ACCESS_ENERGY, UNIT_STATIC_POWER, UNIT_CYCLE):
// up to three values for I, W and O. Missing entries stay 0, as in the
// reference model, with a warning.
absl::Status ParseCostList(const ConfigFile& file, const ConfigSection& section,
                           const ConfigEntry& entry,
                           std::array<double, kNumDataTypes>* values,
                           Accelerator* accelerator) {
  NS_ASSIGN_OR_RETURN(std::vector<std::string> pieces, SplitList(file, entry));
  if (pieces.size() > kNumDataTypes) {
    return EntryError(file, entry,
                      absl::StrCat("has ", pieces.size(),
                                   " values; expected at most 3, one each "
                                   "for input, weight and output"));
  }
  NS_ASSIGN_OR_RETURN(std::vector<double> list,
                      ParseNumberList(file, entry, 1, kNumDataTypes));
  *values = {0, 0, 0};
  for (size_t i = 0; i < list.size(); ++i) (*values)[i] = list[i];
  if (list.size() < kNumDataTypes) {
    std::vector<absl::string_view> missing;
    for (size_t i = list.size(); i < kNumDataTypes; ++i) {
      missing.push_back(DataTypeWord(static_cast<int>(i)));
    }
    accelerator->warnings.push_back(absl::StrCat(
        file.Location(entry.line), ": ", entry.key, " in [", section.name,
        "] has ", list.size(), " of 3 values (input, weight, output); the ",
        absl::StrJoin(missing, " and "), " entries are 0"));
  }
  return absl::OkStatus();
}

absl::Status ParseBypass(const ConfigFile& file, const ConfigEntry& entry,
                         MemoryLevel* level) {
  NS_ASSIGN_OR_RETURN(std::vector<std::string> words, SplitList(file, entry));
  for (const std::string& word : words) {
    const std::string lower = absl::AsciiStrToLower(word);
    bool known = false;
    for (int type = 0; type < kNumDataTypes; ++type) {
      if (lower == DataTypeWord(type)) {
        level->bypass[type] = true;
        known = true;
      }
    }
    if (!known) {
      return EntryError(file, entry,
                        absl::StrCat("names unknown data type \"", word,
                                     "\"; expected input, weight or output"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseMemoryConstraint(const ConfigFile& file,
                                   const ConfigEntry& entry,
                                   MemoryLevel* level) {
  NS_ASSIGN_OR_RETURN(std::vector<std::string> fields, SplitList(file, entry));
  if (fields.size() != kNumParams) {
    return EntryError(file, entry,
                      absl::StrCat("has ", fields.size(),
                                   " values; expected 8 (K,B,P,Q,C,R,S,G), "
                                   "0 meaning unconstrained"));
  }
  for (Param param : kAllParams) {
    NS_ASSIGN_OR_RETURN(
        uint64_t value,
        ParseIntegerField(file, entry, fields[param],
                          absl::StrCat("value for ", ParamName(param)), 0,
                          UINT32_MAX));
    level->constraint[param] = static_cast<uint32_t>(value);
  }
  return absl::OkStatus();
}

absl::Status ParseMemoryEntry(const ConfigFile& file,
                              const ConfigSection& section,
                              const ConfigEntry& entry, MemoryLevel* level,
                              Accelerator* accelerator) {
  const std::string& key = entry.key;
  if (key == "SIZE" || key == "BUFFER_SIZE") {
    // The count is checked with the buffer organization; DRAM takes any.
    NS_ASSIGN_OR_RETURN(level->size_bytes,
                        ParseNumberList(file, entry, 1, SIZE_MAX));
  } else if (key == "DATAFLOW") {
    std::optional<Dataflow> dataflow = ParseDataflow(entry.value);
    if (!dataflow.has_value()) {
      return EntryError(file, entry, "is not one of IS, WS, OS or NONE");
    }
    level->dataflow = *dataflow;
  } else if (key == "BANDWIDTH") {
    NS_ASSIGN_OR_RETURN(uint64_t bits,
                        ParseInteger(file, entry, 1, kMaxBandwidthBits));
    level->bandwidth_bits = static_cast<uint32_t>(bits);
  } else if (key == "UNIT_ACCESS_ENERGY") {
    return ParseCostList(file, section, entry, &level->access_energy_pj,
                         accelerator);
  } else if (key == "UNIT_STATIC_POWER") {
    return ParseCostList(file, section, entry, &level->static_power_mw,
                         accelerator);
  } else if (key == "UNIT_CYCLE") {
    return ParseCostList(file, section, entry, &level->unit_cycles,
                         accelerator);
  } else if (key == "BYPASS") {
    return ParseBypass(file, entry, level);
  } else if (key == "CONSTRAINT") {
    return ParseMemoryConstraint(file, entry, level);
  } else {
    WarnUnknownKey(file, section, entry, accelerator);
  }
  return absl::OkStatus();
}

// Checks that the keys the cost model needs are present.
absl::Status CheckRequiredMemoryKeys(const ConfigFile& file,
                                     const ConfigSection& section,
                                     bool is_dram) {
  if (section.Find("SIZE") != nullptr &&
      section.Find("BUFFER_SIZE") != nullptr) {
    return SectionError(file, section,
                        "gives both SIZE and BUFFER_SIZE; keep one");
  }
  if (!is_dram && section.Find("SIZE") == nullptr &&
      section.Find("BUFFER_SIZE") == nullptr) {
    return SectionError(file, section,
                        "is missing BUFFER_SIZE (capacity in bytes: one "
                        "shared value or three values for I, W, O)");
  }
  if (section.Find("BANDWIDTH") == nullptr) {
    return SectionError(file, section,
                        "is missing BANDWIDTH (bits transferred per cycle)");
  }
  if (section.Find("UNIT_CYCLE") == nullptr) {
    return SectionError(file, section,
                        "is missing UNIT_CYCLE (cycles per bandwidth-wide "
                        "transfer, for I, W, O)");
  }
  return absl::OkStatus();
}

// Derives the organization and the capacities in elements from the sizes.
absl::Status ComputeCapacities(const ConfigFile& file,
                               const ConfigSection& section, int row,
                               double bytes_per_element, MemoryLevel* level) {
  const std::vector<double>& sizes = level->size_bytes;
  const ConfigEntry* size_entry = section.Find("SIZE") != nullptr
                                      ? section.Find("SIZE")
                                      : section.Find("BUFFER_SIZE");
  if (sizes.size() == 1) {
    level->organization = BufferOrganization::kShared;
    level->shared_capacity = sizes[0] / bytes_per_element;
  } else if (sizes.size() == 3) {
    level->organization = BufferOrganization::kSeparate;
    for (int type = 0; type < kNumDataTypes; ++type) {
      level->private_capacity[type] = sizes[type] / bytes_per_element;
    }
  } else if (sizes.size() == 2 && row == kGlobalBufferRow) {
    // The second value is the private capacity of the first bypassed type
    // in the order I, W, O. Any other bypassed type keeps a private
    // capacity of one element, as in the reference model.
    level->organization = BufferOrganization::kPartiallyShared;
    level->shared_capacity = sizes[0] / bytes_per_element;
    level->private_capacity = {1, 1, 1};
    int first_bypassed = -1;
    for (int type = kNumDataTypes - 1; type >= 0; --type) {
      if (level->bypass[type]) first_bypassed = type;
    }
    if (first_bypassed < 0) {
      return EntryError(file, *size_entry,
                        "has two values (shared, private) but the buffer "
                        "bypasses no data type; the private capacity is for "
                        "the bypassed type, so add BYPASS or give one or "
                        "three sizes");
    }
    level->private_capacity[first_bypassed] = sizes[1] / bytes_per_element;
  } else {
    return EntryError(
        file, *size_entry,
        absl::StrCat("has ", sizes.size(),
                     " values; expected 1 (shared) or "
                     "3 (input, weight, output)",
                     row == kGlobalBufferRow
                         ? ", or 2 (shared, private for the bypassed type)"
                         : ""));
  }
  return absl::OkStatus();
}

absl::Status CheckDataflowNotBypassed(const ConfigFile& file,
                                      const ConfigSection& section,
                                      const MemoryLevel& level) {
  std::optional<DataType> stationary = StationaryType(level.dataflow);
  if (stationary.has_value() && level.bypass[*stationary]) {
    return SectionError(
        file, section,
        absl::StrCat("has DATAFLOW ", DataflowName(level.dataflow),
                     " but bypasses ", DataTypeWord(*stationary),
                     "; a buffer must store the data type its dataflow keeps "
                     "stationary"));
  }
  return absl::OkStatus();
}

absl::Status ParseMemorySection(const ConfigFile& file,
                                const ConfigSection& section, int row,
                                Accelerator* accelerator) {
  MemoryLevel& level = accelerator->Memory(row);
  level.present = true;
  for (const ConfigEntry& entry : section.entries) {
    NS_RETURN_IF_ERROR(
        ParseMemoryEntry(file, section, entry, &level, accelerator));
  }
  if (row == kDramRow) {
    if (level.dataflow != Dataflow::kNone) {
      return SectionError(file, section,
                          "has a DATAFLOW; DRAM is the outermost level and "
                          "takes none");
    }
    for (bool bypassed : level.bypass) {
      if (bypassed) {
        return SectionError(file, section,
                            "has BYPASS; every data type lives in DRAM");
      }
    }
  }
  NS_RETURN_IF_ERROR(CheckDataflowNotBypassed(file, section, level));
  if (row == kRegisterRow) return absl::OkStatus();

  NS_RETURN_IF_ERROR(CheckRequiredMemoryKeys(file, section, row == kDramRow));
  if (row == kDramRow) return absl::OkStatus();
  return ComputeCapacities(file, section, row, accelerator->bytes_per_element,
                           &level);
}

absl::StatusOr<uint8_t> ParseArrayConstraint(const ConfigFile& file,
                                             const ConfigEntry& entry) {
  NS_ASSIGN_OR_RETURN(std::vector<std::string> letters, SplitList(file, entry));
  uint8_t allowed = 0;
  for (const std::string& letter : letters) {
    std::optional<Param> param = ParseParam(letter);
    if (!param.has_value()) {
      return EntryError(file, entry,
                        absl::StrCat("names unknown parameter \"", letter,
                                     "\"; expected letters from K,B,P,Q,C,R,"
                                     "S,G"));
    }
    if (allowed & (1u << *param)) {
      return EntryError(
          file, entry,
          absl::StrCat("lists parameter ", ParamName(*param), " twice"));
    }
    allowed |= static_cast<uint8_t>(1u << *param);
  }
  return allowed;
}

absl::Status ParseArraySection(const ConfigFile& file,
                               const ConfigSection& section,
                               SpatialArray* array, Accelerator* accelerator) {
  array->present = true;
  for (const ConfigEntry& entry : section.entries) {
    if (entry.key == "SIZE_X" || entry.key == "SIZE_Y") {
      NS_ASSIGN_OR_RETURN(uint64_t size,
                          ParseInteger(file, entry, 1, kMaxArraySide));
      (entry.key == "SIZE_X" ? array->size_x : array->size_y) =
          static_cast<uint32_t>(size);
    } else if (entry.key == "CONSTRAINT_X") {
      NS_ASSIGN_OR_RETURN(array->allowed_x, ParseArrayConstraint(file, entry));
    } else if (entry.key == "CONSTRAINT_Y") {
      NS_ASSIGN_OR_RETURN(array->allowed_y, ParseArrayConstraint(file, entry));
    } else {
      WarnUnknownKey(file, section, entry, accelerator);
    }
  }
  return absl::OkStatus();
}

// Rejects installed-MAC counts that overflow 64 bits.
absl::Status CheckArrayProduct(const Accelerator& accelerator) {
  unsigned __int128 product = 1;
  for (const SpatialArray* array :
       {&accelerator.mac_array, &accelerator.pe_array, &accelerator.chips}) {
    product *= array->Instances();
    if (product > (uint64_t{1} << 62)) {
      return absl::InvalidArgumentError(absl::StrCat(
          accelerator.source, ": the array sizes MAC_ARRAY ",
          accelerator.mac_array.size_x, "x", accelerator.mac_array.size_y,
          ", PE_ARRAY ", accelerator.pe_array.size_x, "x",
          accelerator.pe_array.size_y, " and MULTI_CHIPS ",
          accelerator.chips.size_x, "x", accelerator.chips.size_y,
          " multiply to more than 2^62 MAC units; reduce SIZE_X or SIZE_Y"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRequiredSections(const ConfigFile& file) {
  if (file.FindSection("ACCELERATOR") == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        file.source,
        ": missing [ACCELERATOR] section (NAME, PRECISION, FREQUENCY, ...)"));
  }
  for (absl::string_view name : {"LOCAL_BUFFER", "GLOBAL_BUFFER", "DRAM"}) {
    if (file.FindSection(name) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          file.source, ": missing [", name,
          "] section; the model needs a LOCAL_BUFFER, a GLOBAL_BUFFER and a "
          "DRAM level (arrays and REGISTER are optional)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckUniqueSections(const ConfigFile& file) {
  absl::flat_hash_set<std::string> seen;
  for (const ConfigSection& section : file.sections) {
    if (!seen.insert(section.name).second) {
      return SectionError(file, section,
                          absl::StrCat("appears twice (first at line ",
                                       file.FindSection(section.name)->line,
                                       "); merge the two sections"));
    }
    NS_RETURN_IF_ERROR(CheckUniqueKeys(file, section));
  }
  return absl::OkStatus();
}

// Maps a section name to its table row (temporal sections) or to the X row
// of its array; -1 for [ACCELERATOR], -2 for unknown names.
int SectionRow(absl::string_view name) {
  if (name == "ACCELERATOR") return -1;
  if (name == "REGISTER") return kRegisterRow;
  if (name == "MAC_ARRAY") return kMacXRow;
  if (name == "LOCAL_BUFFER") return kLocalBufferRow;
  if (name == "PE_ARRAY") return kPeXRow;
  if (name == "GLOBAL_BUFFER") return kGlobalBufferRow;
  if (name == "MULTI_CHIPS") return kChipXRow;
  if (name == "DRAM") return kDramRow;
  return -2;
}

}  // namespace

absl::StatusOr<Accelerator> ParseAccelerator(const ConfigFile& file) {
  Accelerator accelerator;
  accelerator.source = file.source;

  NS_RETURN_IF_ERROR(CheckUniqueSections(file));
  // An unknown name first: a misspelled section would otherwise only show
  // up as a missing one.
  for (const ConfigSection& section : file.sections) {
    if (SectionRow(section.name) == -2) {
      return SectionError(file, section,
                          "is not a known section; expected ACCELERATOR, "
                          "REGISTER, MAC_ARRAY, LOCAL_BUFFER, PE_ARRAY, "
                          "GLOBAL_BUFFER, MULTI_CHIPS or DRAM");
    }
  }
  NS_RETURN_IF_ERROR(CheckRequiredSections(file));
  NS_RETURN_IF_ERROR(ParseGeneralSection(file, *file.FindSection("ACCELERATOR"),
                                         &accelerator));

  for (const ConfigSection& section : file.sections) {
    const int row = SectionRow(section.name);
    if (row == -1) continue;
    if (IsTemporalRow(row)) {
      NS_RETURN_IF_ERROR(ParseMemorySection(file, section, row, &accelerator));
    } else {
      NS_RETURN_IF_ERROR(ParseArraySection(
          file, section, &accelerator.ArrayOf(row), &accelerator));
    }
  }

  NS_RETURN_IF_ERROR(CheckArrayProduct(accelerator));
  if (const ConfigSection* registers = file.FindSection("REGISTER")) {
    accelerator.warnings.push_back(absl::StrCat(
        file.Location(registers->line),
        ": [REGISTER] is accepted but not modelled: its table row stays all "
        "ones and its sizes, energies and constraints are not used"));
  }
  accelerator.FinalizeRows();
  return accelerator;
}

absl::StatusOr<Accelerator> ParseAcceleratorText(absl::string_view text,
                                                 absl::string_view source) {
  NS_ASSIGN_OR_RETURN(ConfigFile file, ParseConfigText(text, source));
  return ParseAccelerator(file);
}

absl::StatusOr<Accelerator> ReadAcceleratorFile(const std::string& path) {
  NS_ASSIGN_OR_RETURN(ConfigFile file, ReadConfigFile(path));
  return ParseAccelerator(file);
}

}  // namespace neurospector
