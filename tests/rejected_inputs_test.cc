// Every kind of bad input to `neurospector evaluate`: each is rejected with
// exit status 2, nothing on stdout, and an error that names the file and
// line (or the key or option), the value and what is expected. Also the
// inputs that are accepted with a warning, and unit rows with non-one
// values, which make the table invalid instead of being an input error.

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace neurospector::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// An eyeriss-like accelerator. Line numbers matter: messages cite them.
constexpr char kAccelerator[] =
    "[ACCELERATOR]\n"                      // 1
    "NAME=TEST\n"                          // 2
    "PRECISION=INT16\n"                    // 3
    "FREQUENCY=200\n"                      // 4
    "UNIT_MAC_ENERGY=2.2\n"                // 5
    "[LOCAL_BUFFER]\n"                     // 6
    "DATAFLOW=WS\n"                        // 7
    "BUFFER_SIZE=24,448,48\n"              // 8
    "UNIT_ACCESS_ENERGY=0.19,0.63,0.25\n"  // 9
    "UNIT_CYCLE=1,1,1\n"                   // 10
    "BANDWIDTH=16\n"                       // 11
    "[PE_ARRAY]\n"                         // 12
    "SIZE_X=14\n"                          // 13
    "SIZE_Y=12\n"                          // 14
    "[GLOBAL_BUFFER]\n"                    // 15
    "DATAFLOW=OS\n"                        // 16
    "BUFFER_SIZE=102400\n"                 // 17
    "BYPASS=WEIGHT\n"                      // 18
    "UNIT_ACCESS_ENERGY=5.27,1.42,5.27\n"  // 19
    "UNIT_CYCLE=1,1,1\n"                   // 20
    "BANDWIDTH=64\n"                       // 21
    "[DRAM]\n"                             // 22
    "UNIT_ACCESS_ENERGY=128,128,128\n"     // 23
    "UNIT_CYCLE=8,8,8\n"                   // 24
    "BANDWIDTH=64\n";                      // 25

constexpr char kNetwork[] =
    "[NETWORK]\n"                      // 1
    "name=tiny\n"                      // 2
    "[LAYERS]\n"                       // 3
    "CONV_1=64,1,112,112,3,7,7,1,2\n"  // 4
    "CONV_2=64,1,56,56,64,3,3,1,1\n";  // 5

// A valid table for kAccelerator and CONV_1.
constexpr char kTable[] =
    "[LAYER]\n"                         // 1
    "layer_name=CONV_1\n"               // 2
    "[SCHEDULING_TABLE]\n"              // 3
    "LOCAL_BUFFER =16,1,1,1,1,1,7,1\n"  // 4
    "PE_ARRAY(X)  =1,1,1,2,1,7,1,1\n"   // 5
    "PE_ARRAY(Y)  =4,1,1,1,3,1,1,1\n"   // 6
    "GLOBAL_BUFFER=1,1,28,8,1,1,1,1\n"  // 7
    "DRAM         =1,1,4,7,1,1,1,1\n";  // 8

// A valid table for the built-in maeri and CONV_1. The PE array of maeri is
// 256x1, so its Y row is the unit row PE_ARRAY.
constexpr char kMaeriTable[] =
    "[LAYER]\n"
    "layer_name=CONV_1\n"
    "[SCHEDULING_TABLE]\n"
    "LOCAL_BUFFER =1,1,1,1,1,1,1,1\n"
    "PE_ARRAY(X)  =64,1,1,1,1,1,1,1\n"
    "PE_ARRAY     =1,1,1,1,1,1,1,1\n"
    "GLOBAL_BUFFER=1,1,1,1,1,1,1,1\n"
    "DRAM         =1,1,112,112,3,7,7,1\n";

// Returns `text` with its only occurrence of `from` replaced by `to`.
std::string Edit(const std::string& text, const std::string& from,
                 const std::string& to) {
  const size_t position = text.find(from);
  EXPECT_NE(position, std::string::npos) << "\"" << from << "\" not in base";
  EXPECT_EQ(text.find(from, position + 1), std::string::npos)
      << "\"" << from << "\" occurs twice";
  if (position == std::string::npos) return text;
  return absl::StrCat(text.substr(0, position), to,
                      text.substr(position + from.size()));
}

std::string EditAccelerator(const std::string& from, const std::string& to) {
  return Edit(kAccelerator, from, to);
}

std::string EditNetwork(const std::string& from, const std::string& to) {
  return Edit(kNetwork, from, to);
}

std::string EditTable(const std::string& from, const std::string& to) {
  return Edit(kTable, from, to);
}

// One evaluate run. Texts are written to temporary files named
// "<case>-accelerator.cfg", "<case>-network.cfg" and "<case>-table.cfg",
// so messages cite "accelerator.cfg:LINE" and so on. A non-empty
// `accelerator_name` or `network_name` (a path or built-in name) replaces
// the text.
struct Inputs {
  std::string accelerator = kAccelerator;
  std::string network = kNetwork;
  std::string table = kTable;
  std::string accelerator_name;
  std::string network_name;
  std::vector<std::string> extra_options;
};

// Returns `inputs` with one part replaced.
Inputs AcceleratorText(std::string text, Inputs inputs = {}) {
  inputs.accelerator = std::move(text);
  return inputs;
}

Inputs NetworkText(std::string text, Inputs inputs = {}) {
  inputs.network = std::move(text);
  return inputs;
}

Inputs TableText(std::string text, Inputs inputs = {}) {
  inputs.table = std::move(text);
  return inputs;
}

Inputs AcceleratorName(std::string name, Inputs inputs = {}) {
  inputs.accelerator_name = std::move(name);
  return inputs;
}

Inputs NetworkName(std::string name, Inputs inputs = {}) {
  inputs.network_name = std::move(name);
  return inputs;
}

Inputs Options(std::vector<std::string> options, Inputs inputs = {}) {
  inputs.extra_options = std::move(options);
  return inputs;
}

CliResult Evaluate(const std::string& case_name, const Inputs& inputs) {
  const std::string accelerator =
      inputs.accelerator_name.empty()
          ? WriteTempFile(absl::StrCat(case_name, "-accelerator.cfg"),
                          inputs.accelerator)
          : inputs.accelerator_name;
  const std::string network =
      inputs.network_name.empty()
          ? WriteTempFile(absl::StrCat(case_name, "-network.cfg"),
                          inputs.network)
          : inputs.network_name;
  const std::string table =
      WriteTempFile(absl::StrCat(case_name, "-table.cfg"), inputs.table);

  std::vector<std::string> words = {"evaluate",  "--accelerator", accelerator,
                                    "--network", network,         "--table",
                                    table};
  words.insert(words.end(), inputs.extra_options.begin(),
               inputs.extra_options.end());
  return RunCli(words);
}

struct RejectedCase {
  std::string name;
  Inputs inputs;
  // Substrings of stderr: the location, the value and the expectation.
  std::vector<std::string> messages;
};

std::vector<RejectedCase> SyntaxCases() {
  return {
      {"line_without_equals",
       AcceleratorText(EditAccelerator("NAME=TEST\n", "NAME=TEST\njunk\n")),
       {"accelerator.cfg:3: invalid line \"junk\"",
        "expected KEY=VALUE or [SECTION]"}},
      {"key_before_section",
       NetworkText(absl::StrCat("name=tiny\n", kNetwork)),
       {"network.cfg:1: \"name=tiny\" appears before any [SECTION] header"}},
      {"unknown_accelerator_section",
       AcceleratorText(EditAccelerator("[DRAM]\n", "[CACHE]\nX=1\n[DRAM]\n")),
       {"accelerator.cfg:22: [CACHE] is not a known section",
        "expected ACCELERATOR, REGISTER, MAC_ARRAY"}},
      {"unknown_network_section",
       NetworkText(absl::StrCat(kNetwork, "[EXTRA]\n")),
       {"network.cfg:6: [EXTRA] is not a known section",
        "expected [NETWORK] and [LAYERS]"}},
      {"unknown_table_section",
       TableText(absl::StrCat(kTable, "[NOTES]\n")),
       {"table.cfg:9: [NOTES] is not a known section",
        "expected [LAYER], [SCHEDULING_TABLE] and optionally [DATAFLOW]"}},
      {"section_header_without_bracket",
       AcceleratorText(EditAccelerator("[DRAM]\n", "[DRAM\n")),
       {"accelerator.cfg:22: invalid section header \"[DRAM\"",
        "expected [NAME]"}},
  };
}

std::vector<RejectedCase> AcceleratorCases() {
  const std::string lb_block =
      "[LOCAL_BUFFER]\nDATAFLOW=WS\nBUFFER_SIZE=24,448,48\n"
      "UNIT_ACCESS_ENERGY=0.19,0.63,0.25\nUNIT_CYCLE=1,1,1\nBANDWIDTH=16\n";
  const std::string gb_block =
      "[GLOBAL_BUFFER]\nDATAFLOW=OS\nBUFFER_SIZE=102400\nBYPASS=WEIGHT\n"
      "UNIT_ACCESS_ENERGY=5.27,1.42,5.27\nUNIT_CYCLE=1,1,1\nBANDWIDTH=64\n";
  const std::string dram_block =
      "[DRAM]\nUNIT_ACCESS_ENERGY=128,128,128\nUNIT_CYCLE=8,8,8\n"
      "BANDWIDTH=64\n";
  return {
      {"missing_local_buffer",
       AcceleratorText(EditAccelerator(lb_block, "")),
       {"accelerator.cfg: missing [LOCAL_BUFFER] section",
        "the model needs a LOCAL_BUFFER, a GLOBAL_BUFFER and a DRAM level"}},
      {"missing_global_buffer",
       AcceleratorText(EditAccelerator(gb_block, "")),
       {"accelerator.cfg: missing [GLOBAL_BUFFER] section"}},
      {"missing_dram",
       AcceleratorText(EditAccelerator(dram_block, "")),
       {"accelerator.cfg: missing [DRAM] section"}},
      {"shipped_one_level_accelerator",
       AcceleratorName(AcceleratorPath("acc_1lv.cfg")),
       {"acc_1lv.cfg: missing [GLOBAL_BUFFER] section"}},
      {"local_buffer_with_two_sizes",
       AcceleratorText(EditAccelerator("=24,448,48", "=24,448")),
       {"accelerator.cfg:8: BUFFER_SIZE \"24,448\" has 2 values",
        "expected 1 (shared) or 3 (input, weight, output)"}},
      {"local_buffer_with_four_sizes",
       AcceleratorText(EditAccelerator("=24,448,48", "=24,448,48,8")),
       {"accelerator.cfg:8: BUFFER_SIZE \"24,448,48,8\" has 4 values",
        "expected 1 (shared) or 3 (input, weight, output)"}},
      {"global_buffer_with_four_sizes",
       AcceleratorText(EditAccelerator("=102400", "=1,2,3,4")),
       {"accelerator.cfg:17: BUFFER_SIZE \"1,2,3,4\" has 4 values",
        "or 2 (shared, private for the bypassed type)"}},
      {"global_buffer_with_two_sizes_without_bypass",
       AcceleratorText(
           EditAccelerator("=102400\nBYPASS=WEIGHT\n", "=102400,1024\n")),
       {"accelerator.cfg:17: BUFFER_SIZE \"102400,1024\" has two values",
        "bypasses no data type", "add BYPASS or give one or three sizes"}},
      {"empty_buffer_size",
       AcceleratorText(EditAccelerator("=24,448,48", "=")),
       {"accelerator.cfg:8: BUFFER_SIZE \"\" has an empty element",
        "expected a comma-separated list"}},
      {"negative_buffer_size",
       AcceleratorText(EditAccelerator("=24,448,48", "=24,-448,48")),
       {"accelerator.cfg:8: BUFFER_SIZE \"24,-448,48\" has an invalid value "
        "\"-448\" at position 2; expected a non-negative number"}},
      {"missing_frequency",
       AcceleratorText(EditAccelerator("FREQUENCY=200\n", "")),
       {"accelerator.cfg:1: [ACCELERATOR] is missing FREQUENCY",
        "clock frequency in MHz"}},
      {"missing_bandwidth",
       AcceleratorText(EditAccelerator("BANDWIDTH=16\n", "")),
       {"accelerator.cfg:6: [LOCAL_BUFFER] is missing BANDWIDTH",
        "bits transferred per cycle"}},
      {"missing_unit_cycle",
       AcceleratorText(EditAccelerator("UNIT_CYCLE=8,8,8\n", "")),
       {"accelerator.cfg:22: [DRAM] is missing UNIT_CYCLE"}},
      {"missing_buffer_size",
       AcceleratorText(EditAccelerator("BUFFER_SIZE=102400\n", "")),
       {"accelerator.cfg:15: [GLOBAL_BUFFER] is missing BUFFER_SIZE",
        "capacity in bytes"}},
      {"zero_frequency",
       AcceleratorText(EditAccelerator("FREQUENCY=200", "FREQUENCY=0")),
       {"accelerator.cfg:4: FREQUENCY \"0\" is not an integer from 1 to "
        "4294967295"}},
      {"non_numeric_bandwidth",
       AcceleratorText(EditAccelerator("BANDWIDTH=16", "BANDWIDTH=abc")),
       {"accelerator.cfg:11: BANDWIDTH \"abc\" is not an integer from 1"}},
      {"invalid_precision",
       AcceleratorText(EditAccelerator("INT16", "INT4")),
       {"accelerator.cfg:3: PRECISION \"INT4\" is invalid",
        "expected a word width of at least 8 bits"}},
      {"non_numeric_mac_energy",
       AcceleratorText(EditAccelerator("=2.2", "=fast")),
       {"accelerator.cfg:5: UNIT_MAC_ENERGY \"fast\" is not a non-negative "
        "number"}},
      {"cost_list_with_four_values",
       AcceleratorText(EditAccelerator("UNIT_CYCLE=1,1,1\nBANDWIDTH=16",
                                       "UNIT_CYCLE=1,1,1,1\nBANDWIDTH=16")),
       {"accelerator.cfg:10: UNIT_CYCLE \"1,1,1,1\" has 4 values",
        "expected at most 3, one each for input, weight and output"}},
      {"cost_list_with_a_word",
       AcceleratorText(EditAccelerator("0.19,0.63", "0.19,high")),
       {"accelerator.cfg:9: UNIT_ACCESS_ENERGY \"0.19,high,0.25\" has an "
        "invalid value \"high\" at position 2"}},
      {"constraint_with_seven_values",
       AcceleratorText(EditAccelerator("BYPASS=WEIGHT\n",
                                       "BYPASS=WEIGHT\nCONSTRAINT=0,0,0,0,0,0,"
                                       "0\n")),
       {"accelerator.cfg:19: CONSTRAINT \"0,0,0,0,0,0,0\" has 7 values",
        "expected 8 (K,B,P,Q,C,R,S,G), 0 meaning unconstrained"}},
      {"constraint_with_a_letter",
       AcceleratorText(EditAccelerator("BYPASS=WEIGHT\n",
                                       "BYPASS=WEIGHT\nCONSTRAINT=0,0,x,0,0,0,"
                                       "0,0\n")),
       {"accelerator.cfg:19: CONSTRAINT \"0,0,x,0,0,0,0,0\" is invalid",
        "value for P \"x\" must be an integer from 0 to 4294967295"}},
      {"constraint_x_with_unknown_letter",
       AcceleratorText(
           EditAccelerator("SIZE_Y=12\n", "SIZE_Y=12\nCONSTRAINT_X=K,Z\n")),
       {"accelerator.cfg:15: CONSTRAINT_X \"K,Z\" names unknown parameter "
        "\"Z\"",
        "expected letters from K,B,P,Q,C,R,S,G"}},
      {"constraint_y_with_repeated_letter",
       AcceleratorText(
           EditAccelerator("SIZE_Y=12\n", "SIZE_Y=12\nCONSTRAINT_Y=C,R,C\n")),
       {"accelerator.cfg:15: CONSTRAINT_Y \"C,R,C\" lists parameter C twice"}},
      {"constraint_y_empty",
       AcceleratorText(
           EditAccelerator("SIZE_Y=12\n", "SIZE_Y=12\nCONSTRAINT_Y=\n")),
       {"accelerator.cfg:15: CONSTRAINT_Y \"\" has an empty element"}},
      {"unknown_bypass_word",
       AcceleratorText(EditAccelerator("BYPASS=WEIGHT", "BYPASS=foo")),
       {"accelerator.cfg:18: BYPASS \"foo\" names unknown data type \"foo\"",
        "expected input, weight or output"}},
      {"weight_stationary_with_weight_bypassed",
       AcceleratorText(
           EditAccelerator("DATAFLOW=WS\n", "DATAFLOW=WS\nBYPASS=weight\n")),
       {"accelerator.cfg:6: [LOCAL_BUFFER] has DATAFLOW WS but bypasses "
        "weight",
        "a buffer must store the data type its dataflow keeps stationary"}},
      {"unknown_dataflow",
       AcceleratorText(EditAccelerator("DATAFLOW=OS", "DATAFLOW=RS")),
       {"accelerator.cfg:16: DATAFLOW \"RS\" is not one of IS, WS, OS or "
        "NONE"}},
      {"zero_array_size",
       AcceleratorText(EditAccelerator("SIZE_X=14", "SIZE_X=0")),
       {"accelerator.cfg:13: SIZE_X \"0\" is not an integer from 1 to "
        "4294967295"}},
      {"oversized_arrays",
       AcceleratorText(
           EditAccelerator("SIZE_X=14\nSIZE_Y=12\n",
                           "SIZE_X=4294967295\nSIZE_Y=4294967295\n[MAC_ARRAY]\n"
                           "SIZE_X=4294967295\n")),
       {"accelerator.cfg: the array sizes MAC_ARRAY 4294967295x1, PE_ARRAY "
        "4294967295x4294967295",
        "multiply to more than 2^62 MAC units"}},
      {"key_given_twice",
       AcceleratorText(EditAccelerator("FREQUENCY=200\n",
                                       "FREQUENCY=200\nFREQUENCY=300\n")),
       {"accelerator.cfg:5: FREQUENCY is given twice in [ACCELERATOR] (first "
        "at line 4)"}},
      {"section_given_twice",
       AcceleratorText(absl::StrCat(kAccelerator, "[PE_ARRAY]\nSIZE_X=2\n")),
       {"accelerator.cfg:26: [PE_ARRAY] appears twice (first at line 12)"}},
  };
}

std::vector<RejectedCase> NetworkCases() {
  const std::string layer = "CONV_1=64,1,112,112,3,7,7,1,2";
  return {
      {"layer_with_eight_values",
       NetworkText(EditNetwork(layer, "CONV_1=64,1,112,112,3,7,7,1")),
       {"network.cfg:4: CONV_1 \"64,1,112,112,3,7,7,1\" has 8 values",
        "expected 9: K,B,P,Q,C,R,S,G,stride"}},
      {"layer_with_ten_values",
       NetworkText(EditNetwork(layer, "CONV_1=64,1,112,112,3,7,7,1,2,1")),
       {"network.cfg:4: CONV_1 \"64,1,112,112,3,7,7,1,2,1\" has 10 values"}},
      {"zero_k",
       NetworkText(EditNetwork(layer, "CONV_1=0,1,112,112,3,7,7,1,2")),
       {"network.cfg:4: CONV_1 \"0,1,112,112,3,7,7,1,2\" is invalid",
        "K \"0\" must be an integer from 1 to 4294967295"}},
      {"negative_k",
       NetworkText(EditNetwork(layer, "CONV_1=-3,1,112,112,3,7,7,1,2")),
       {"network.cfg:4:", "K \"-3\" must be an integer from 1"}},
      {"non_numeric_k",
       NetworkText(EditNetwork(layer, "CONV_1=abc,1,112,112,3,7,7,1,2")),
       {"network.cfg:4:", "K \"abc\" must be an integer from 1"}},
      {"zero_groups",
       NetworkText(EditNetwork(layer, "CONV_1=64,1,112,112,3,7,7,0,2")),
       {"network.cfg:4:", "G \"0\" must be an integer from 1"}},
      {"negative_stride",
       NetworkText(EditNetwork(layer, "CONV_1=64,1,112,112,3,7,7,1,-1")),
       {"network.cfg:4:",
        "stride \"-1\" must be an integer from 0 to 4294967295"}},
      {"channels_not_divisible_by_groups",
       NetworkText(EditNetwork(layer, "CONV_1=16,1,56,56,18,3,3,16,2")),
       {"network.cfg:4: layer CONV_1: C=18 is not divisible by G=16"}},
      {"filters_not_divisible_by_groups",
       NetworkText(EditNetwork(layer, "CONV_1=18,1,56,56,32,3,3,16,2")),
       {"network.cfg:4: layer CONV_1: K=18 is not divisible by G=16"}},
      {"shipped_mobilenet_with_bad_groups",
       NetworkName(NetworkPath("mobilenetv3-small.cfg")),
       {"mobilenetv3-small.cfg:25: layer GROUP3: C=18 is not divisible by "
        "G=16"}},
      {"duplicate_layer_name",
       NetworkText(absl::StrCat(kNetwork, layer, "\n")),
       {"network.cfg:6: layer name CONV_1 is already used at line 4",
        "layer names must be unique"}},
      {"duplicate_layer_name_in_other_case",
       NetworkText(absl::StrCat(kNetwork, "conv_2=64,1,56,56,64,3,3,1,1\n")),
       {"network.cfg:6: layer name conv_2 is already used at line 5",
        "(case-insensitive)"}},
      {"oversized_layer",
       NetworkText(EditNetwork(
           layer, "CONV_1=4294967295,4294967295,112,112,3,7,7,1,2")),
       {"network.cfg:4: layer CONV_1: K=4294967295 B=4294967295",
        "is too large", "must not exceed 2^62"}},
      {"empty_field",
       NetworkText(EditNetwork(layer, "CONV_1=64,,112,112,3,7,7,1,2")),
       {"network.cfg:4: CONV_1 \"64,,112,112,3,7,7,1,2\" has an empty element "
        "at position 2"}},
      {"network_without_layers",
       NetworkText("[NETWORK]\nname=empty\n"),
       {"network.cfg: no layers", "expected a [LAYERS] section"}},
  };
}

std::vector<RejectedCase> TableCases() {
  const std::string row = "LOCAL_BUFFER =16,1,1,1,1,1,7,1";
  return {
      {"row_with_seven_values",
       TableText(EditTable(row, "LOCAL_BUFFER=16,1,1,1,1,1,7")),
       {"table.cfg:4: LOCAL_BUFFER \"16,1,1,1,1,1,7\" has 7 values",
        "expected 8 (K,B,P,Q,C,R,S,G)"}},
      {"row_with_nine_values",
       TableText(EditTable(row, "LOCAL_BUFFER=16,1,1,1,1,1,7,1,1")),
       {"table.cfg:4: LOCAL_BUFFER \"16,1,1,1,1,1,7,1,1\" has 9 values"}},
      {"row_with_a_letter",
       TableText(EditTable(row, "LOCAL_BUFFER=16,1,1,1,1,1,x,1")),
       {"table.cfg:4: LOCAL_BUFFER \"16,1,1,1,1,1,x,1\" is invalid",
        "value for S \"x\" must be an integer from 1 to 4294967295"}},
      {"row_with_zero",
       TableText(EditTable(row, "LOCAL_BUFFER=16,0,1,1,1,1,7,1")),
       {"table.cfg:4:", "value for B \"0\" must be an integer from 1"}},
      {"row_with_negative_value",
       TableText(EditTable(row, "LOCAL_BUFFER=16,1,-1,1,1,1,7,1")),
       {"table.cfg:4:", "value for P \"-1\" must be an integer from 1"}},
      {"row_given_twice",
       TableText(absl::StrCat(kTable, "local_buffer=16,1,1,1,1,1,7,1\n")),
       {"table.cfg:9: row local_buffer is already given at line 4",
        "give each row once"}},
      {"row_of_absent_level_given_twice",
       TableText(absl::StrCat(kTable,
                              "MAC_ARRAY(X)=1,1,1,1,1,1,1,1\n"
                              "MAC_ARRAY(X)=1,1,1,1,1,1,1,1\n")),
       {"table.cfg:10: row MAC_ARRAY(X) is already given at line 9"}},
      {"unit_row_under_both_names",
       AcceleratorName(
           "maeri", TableText(absl::StrCat(kMaeriTable,
                                           "PE_ARRAY(Y)=1,1,1,1,1,1,1,1\n"))),
       {"table.cfg:9: row PE_ARRAY(Y) is already given at line 6"}},
      {"missing_row",
       TableText(EditTable("DRAM         =1,1,4,7,1,1,1,1\n", "")),
       {"table.cfg: [SCHEDULING_TABLE] is missing row DRAM",
        "expected rows: LOCAL_BUFFER, PE_ARRAY(X), PE_ARRAY(Y), "
        "GLOBAL_BUFFER, DRAM"}},
      {"unknown_row",
       TableText(absl::StrCat(kTable, "L2_CACHE=1,1,1,1,1,1,1,1\n")),
       {"table.cfg:9: unknown row L2_CACHE", "expected rows: LOCAL_BUFFER"}},
      {"absent_level_with_non_one_values",
       TableText(absl::StrCat(kTable, "MULTI_CHIPS(X)=1,1,1,1,1,1,1,2\n")),
       {"table.cfg:9: MULTI_CHIPS(X) \"1,1,1,1,1,1,1,2\" is a row of a level "
        "this accelerator does not have",
        "all its values must be 1"}},
      {"column_product_mismatch",
       TableText(EditTable("GLOBAL_BUFFER=1,1,28,8", "GLOBAL_BUFFER=1,1,28,4")),
       {"table.cfg: column Q multiplies to 56 but layer CONV_1 has Q=112",
        "the values of each column must multiply to the layer parameter"}},
      {"unknown_layer_name",
       TableText(EditTable("layer_name=CONV_1", "layer_name=CONV_99")),
       {"table.cfg:2: layer_name=CONV_99: no layer \"CONV_99\" in network",
        "expected a layer name such as CONV_1 or an index from 1 to 2"}},
      {"layer_section_without_name",
       TableText(EditTable("layer_name=CONV_1\n", "")),
       {"table.cfg:1: [LAYER] has neither layer_name= nor name="}},
      {"unknown_key_in_layer_section",
       TableText(EditTable("layer_name=CONV_1\n",
                           "layer_name=CONV_1\nlayer=CONV_2\n")),
       {"table.cfg:3: unknown key layer in [LAYER]",
        "expected layer_name= (or name=)"}},
      {"second_table_section",
       TableText(absl::StrCat(kTable,
                              "[SCHEDULING_TABLE]\n"
                              "DRAM=1,1,1,1,1,1,1,1\n")),
       {"table.cfg:9: [SCHEDULING_TABLE] appears twice (first at line 3)"}},
      {"missing_table_section",
       TableText("[LAYER]\nlayer_name=CONV_1\n"),
       {"table.cfg: missing [SCHEDULING_TABLE] section"}},
  };
}

// The optional [DATAFLOW] section of a table file (line 10 is its first
// entry).
std::vector<RejectedCase> TableDataflowCases() {
  const auto with_dataflows = [](const std::string& lines) {
    return absl::StrCat(kTable, "[DATAFLOW]\n", lines);
  };
  return {
      {"dataflow_of_dram",
       TableText(with_dataflows("DRAM=WS\n")),
       {"table.cfg:10: unknown buffer DRAM in [DATAFLOW]",
        "accelerator.cfg with a DATAFLOW: LOCAL_BUFFER, GLOBAL_BUFFER"}},
      {"dataflow_of_unknown_buffer",
       TableText(with_dataflows("L2_CACHE=WS\n")),
       {"table.cfg:10: unknown buffer L2_CACHE in [DATAFLOW]"}},
      {"dataflow_not_is_ws_or_os",
       TableText(with_dataflows("LOCAL_BUFFER=RS\n")),
       {"table.cfg:10: LOCAL_BUFFER \"RS\" is not a dataflow",
        "expected IS, WS or OS"}},
      {"dataflow_none",
       TableText(with_dataflows("GLOBAL_BUFFER=NONE\n")),
       {"table.cfg:10: GLOBAL_BUFFER \"NONE\" is not a dataflow"}},
      {"dataflow_of_bypassed_type",
       TableText(with_dataflows("LOCAL_BUFFER=IS\nGLOBAL_BUFFER=WS\n")),
       {"table.cfg:11: GLOBAL_BUFFER \"WS\" keeps weight stationary, but "
        "[GLOBAL_BUFFER] of",
        "accelerator.cfg bypasses weight",
        "expected a dataflow whose stationary data type the buffer stores"}},
      {"dataflow_of_buffer_without_dataflow",
       TableText(
           with_dataflows("GLOBAL_BUFFER=OS\n"),
           AcceleratorText(EditAccelerator("DATAFLOW=OS", "DATAFLOW=NONE"))),
       {"table.cfg:10: GLOBAL_BUFFER \"OS\" sets a dataflow, but "
        "[GLOBAL_BUFFER] of",
        "accelerator.cfg has no DATAFLOW",
        "only a configured dataflow can be overridden"}},
      {"dataflow_buffer_given_twice",
       TableText(with_dataflows("LOCAL_BUFFER=IS\nLOCAL_BUFFER=OS\n")),
       {"table.cfg:11: buffer LOCAL_BUFFER is already given at line 10 in "
        "[DATAFLOW]",
        "give each buffer once"}},
  };
}

std::vector<RejectedCase> OptionCases() {
  return {
      {"layer_index_out_of_range",
       Options({"--layer", "99"}),
       {"--layer 99: no layer 99 in network",
        "expected a layer name such as CONV_1 or an index from 1 to 2"}},
      {"layer_index_zero",
       Options({"--layer", "0"}),
       {"--layer 0: no layer 0 in network"}},
      {"unknown_layer_option",
       Options({"--layer", "nosuch"}),
       {"--layer nosuch: no layer \"nosuch\" in network",
        "network.cfg; expected a layer name"}},
      {"unknown_format",
       Options({"--format", "xml"}),
       {"--format \"xml\" is invalid; expected text or json"}},
      {"unknown_option",
       Options({"--metric", "energy"}),
       {"unknown option --metric; expected one of --accelerator"}},
      {"unknown_built_in_accelerator",
       AcceleratorName("no_such_accelerator"),
       {"accelerator \"no_such_accelerator\" is neither a readable file nor a "
        "built-in name",
        "built-in accelerators: "}},
  };
}

TEST(RejectedInputs, BaseInputsAreAccepted) {
  const CliResult result = Evaluate("base", Inputs{});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, Not(IsEmpty()));
  EXPECT_THAT(result.err, IsEmpty());
}

TEST(RejectedInputs, EachBadInputExitsTwoWithClearError) {
  std::vector<RejectedCase> cases;
  for (auto* family : {&SyntaxCases, &AcceleratorCases, &NetworkCases,
                       &TableCases, &TableDataflowCases, &OptionCases}) {
    for (RejectedCase& rejected : family()) cases.push_back(rejected);
  }

  std::set<std::string> names;
  for (const RejectedCase& rejected : cases) {
    SCOPED_TRACE(rejected.name);
    EXPECT_TRUE(names.insert(rejected.name).second) << "duplicate case name";

    const CliResult result = Evaluate(rejected.name, rejected.inputs);

    EXPECT_EQ(result.exit_code, 2);
    EXPECT_THAT(result.out, IsEmpty());
    EXPECT_THAT(result.err, ::testing::StartsWith("error: "));
    for (const std::string& message : rejected.messages) {
      EXPECT_THAT(result.err, HasSubstr(message));
    }
  }
}

struct WarningCase {
  std::string name;
  Inputs inputs;
  std::string warning;  // substring of the line after "warning: "
};

TEST(RejectedInputs, AcceptedInputsWarnOnStderr) {
  const WarningCase cases[] = {
      {"cost_list_with_one_value",
       AcceleratorText(EditAccelerator("=0.19,0.63,0.25", "=0.19")),
       "accelerator.cfg:9: UNIT_ACCESS_ENERGY in [LOCAL_BUFFER] has "
       "1 of 3 values (input, weight, output); the weight and output entries "
       "are 0"},
      {"cost_list_with_two_values",
       AcceleratorText(EditAccelerator("UNIT_CYCLE=8,8,8", "UNIT_CYCLE=8,8")),
       "accelerator.cfg:24: UNIT_CYCLE in [DRAM] has 2 of 3 values "
       "(input, weight, output); the output entries are 0"},
      {"register_section",
       AcceleratorText(EditAccelerator("[LOCAL_BUFFER]\n",
                                       "[REGISTER]\nSIZE=6\nDATAFLOW=WS\n"
                                       "[LOCAL_BUFFER]\n")),
       "accelerator.cfg:6: [REGISTER] is accepted but not modelled: "
       "its table row stays all ones"},
      {"register_section_with_its_row",
       TableText(
           absl::StrCat(kTable, "REGISTER=1,1,1,1,1,1,1,1\n"),
           AcceleratorText(EditAccelerator(
               "[LOCAL_BUFFER]\n", "[REGISTER]\nSIZE=6\n[LOCAL_BUFFER]\n"))),
       "accelerator.cfg:6: [REGISTER] is accepted"},
      {"unknown_key",
       AcceleratorText(
           EditAccelerator("NAME=TEST\n", "NAME=TEST\nCOLOR=red\n")),
       "accelerator.cfg:3: unknown key COLOR in [ACCELERATOR] is "
       "ignored"},
  };
  for (const WarningCase& warning_case : cases) {
    SCOPED_TRACE(warning_case.name);

    const CliResult result = Evaluate(warning_case.name, warning_case.inputs);

    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("CONV_1"));
    EXPECT_THAT(result.err, ::testing::StartsWith("warning: "));
    EXPECT_THAT(result.err, HasSubstr(warning_case.warning));
    EXPECT_THAT(result.err, Not(HasSubstr("error:")));
  }
}

struct UnitRowCase {
  std::string name;
  Inputs inputs;
  // The only violation expected; empty for a valid table.
  std::string violation;
};

// Non-one values in a unit row (a level or array dimension of size one) are
// accepted by the reader, and the cost model reports the level's violation.
TEST(RejectedInputs, NonOneUnitRowMakesTableInvalid) {
  const std::string maeri_dram = "DRAM         =1,1,112,112,3,7,1,1";
  const std::string maeri_pe = "PE_ARRAY     =1,1,1,1,1,1,1,1";
  const std::string maeri_table =
      Edit(kMaeriTable, "DRAM         =1,1,112,112,3,7,7,1", maeri_dram);
  const std::string tpu_table =
      Edit(maeri_table, maeri_pe, "PE_ARRAY(Y)  =1,1,1,1,1,1,1,1");
  const std::string register_accelerator = EditAccelerator(
      "[LOCAL_BUFFER]\n", "[REGISTER]\nSIZE=6\n[LOCAL_BUFFER]\n");

  const UnitRowCase cases[] = {
      {"maeri_unit_pe_row_of_ones",
       AcceleratorName("maeri", TableText(kMaeriTable)), ""},
      {"tpu_unit_local_buffer_of_ones",
       AcceleratorName("tpu", TableText(Edit(kMaeriTable, maeri_pe,
                                             "PE_ARRAY(Y)=1,1,1,1,1,1,1,1"))),
       ""},
      {"maeri_unit_pe_row",
       AcceleratorName("maeri", TableText(Edit(maeri_table, maeri_pe,
                                               "PE_ARRAY=1,1,1,1,1,1,7,1"))),
       "pe_array_size"},
      {"maeri_unit_pe_row_with_suffix",
       AcceleratorName("maeri", TableText(Edit(maeri_table, maeri_pe,
                                               "PE_ARRAY(Y)=1,1,1,1,1,1,7,1"))),
       "pe_array_size"},
      {"tpu_unit_local_buffer",
       AcceleratorName(
           "tpu", TableText(Edit(tpu_table, "LOCAL_BUFFER =1,1,1,1,1,1,1,1",
                                 "LOCAL_BUFFER =1,1,1,1,1,1,7,1"))),
       "local_buffer_capacity"},
      {"register_row_of_ones",
       TableText(absl::StrCat(kTable, "REGISTER=1,1,1,1,1,1,1,1\n"),
                 AcceleratorText(register_accelerator)),
       ""},
      {"register_row_with_non_one_value",
       TableText(absl::StrCat(EditTable("LOCAL_BUFFER =16,1,1,1,1,1,7,1",
                                        "LOCAL_BUFFER =16,1,1,1,1,1,1,1"),
                              "REGISTER=1,1,1,1,1,1,7,1\n"),
                 AcceleratorText(register_accelerator)),
       "register_row"},
  };
  for (const UnitRowCase& unit_case : cases) {
    SCOPED_TRACE(unit_case.name);
    Inputs inputs = unit_case.inputs;
    inputs.extra_options = {"--format", "json"};

    const CliResult result = Evaluate(unit_case.name, inputs);

    ASSERT_EQ(result.exit_code, 0) << result.err;
    const nlohmann::json output = nlohmann::json::parse(result.out);
    EXPECT_EQ(output["valid"].get<bool>(), unit_case.violation.empty());
    const std::vector<std::string> expected =
        unit_case.violation.empty()
            ? std::vector<std::string>{}
            : std::vector<std::string>{unit_case.violation};
    EXPECT_EQ(output["violations"].get<std::vector<std::string>>(), expected);
  }
}

}  // namespace
}  // namespace neurospector::testing
