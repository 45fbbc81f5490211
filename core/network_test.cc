#include "core/network.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/inputs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace neurospector {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string SourcePath(absl::string_view relative) {
  return absl::StrCat(NEUROSPECTOR_SOURCE_DIR, "/", relative);
}

constexpr char kNetwork[] =
    "# two plain layers and a grouped one\n"  // 1
    "[NETWORK]\n"                             // 2
    "name=Small_Net\n"                        // 3
    "[LAYERS]\n"                              // 4
    "CONV_1=64,1,112,112,3,7,7,1,2\n"         // 5
    "Group_2=32,2,56,56,16,3,3,4,1\n"         // 6
    "FC=1000,1,1,1,512,1,1,1,0\n";            // 7

absl::StatusOr<Network> ParseSmall() {
  return ParseNetworkText(kNetwork, "small.cfg");
}

TEST(Network, LoadsEveryShippedFile) {
  std::vector<std::string> files;
  for (absl::string_view directory :
       {"configs/networks", "tests/golden/networks"}) {
    for (const auto& entry :
         std::filesystem::directory_iterator(SourcePath(directory))) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 11u);

  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const absl::StatusOr<Network> network = ReadNetworkFile(file);
    ASSERT_TRUE(network.ok()) << network.status();
    EXPECT_FALSE(network->layers.empty());
  }
}

TEST(Network, LoadsEveryBuiltinName) {
  const std::vector<std::string> names = BuiltinNetworkNames();
  ASSERT_EQ(names.size(), 9u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const absl::StatusOr<Network> network = LoadNetwork(name);
    EXPECT_TRUE(network.ok()) << network.status();
  }
}

// The shipped mobilenetv3-small.cfg has a layer with C=18 and G=16.
TEST(Network, RejectsShippedMobilenet) {
  const absl::StatusOr<Network> network =
      ReadNetworkFile(SourcePath("tests/data/mobilenetv3-small.cfg"));

  ASSERT_FALSE(network.ok());
  EXPECT_EQ(network.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(network.status().message(),
              HasSubstr("mobilenetv3-small.cfg:25: layer GROUP3: C=18 is not "
                        "divisible by G=16"));
}

TEST(Network, ParsesResnet50FirstLayer) {
  const absl::StatusOr<Network> network = LoadNetwork("resnet50");
  ASSERT_TRUE(network.ok()) << network.status();

  EXPECT_EQ(network->name, "resnet50");
  EXPECT_EQ(network->source, "resnet50 (built-in)");
  const Layer& first = network->layers.front();
  EXPECT_EQ(first.name, "CONV_1");
  EXPECT_EQ(first.index, 1);
  EXPECT_THAT(first.params, ElementsAre(64, 1, 112, 112, 3, 7, 7, 1));
  EXPECT_EQ(first.stride, 2u);
  EXPECT_EQ(first.MacCount(), 118013952u);
}

TEST(Network, DividesChannelsByGroups) {
  const absl::StatusOr<Network> network = ParseSmall();
  ASSERT_TRUE(network.ok()) << network.status();

  EXPECT_EQ(network->name, "small_net");
  ASSERT_EQ(network->layers.size(), 3u);
  const Layer& grouped = network->layers[1];
  EXPECT_EQ(grouped.name, "Group_2");
  EXPECT_EQ(grouped.index, 2);
  EXPECT_EQ(grouped.shape.k, 32u);
  EXPECT_EQ(grouped.shape.c, 16u);
  // K=32/4 and C=16/4 per group; G stays 4.
  EXPECT_THAT(grouped.params, ElementsAre(8, 2, 56, 56, 4, 3, 3, 4));
  EXPECT_EQ(grouped.MacCount(), 8u * 2 * 56 * 56 * 4 * 3 * 3 * 4);

  const Layer& fully_connected = network->layers[2];
  EXPECT_EQ(fully_connected.stride, 0u);
  EXPECT_EQ(fully_connected.index, 3);
}

struct FindCase {
  std::string selector;
  std::string layer_name;
};

TEST(Network, FindsLayerByNameOrIndex) {
  const absl::StatusOr<Network> network = ParseSmall();
  ASSERT_TRUE(network.ok()) << network.status();

  const FindCase cases[] = {
      {"CONV_1", "CONV_1"},   {"conv_1", "CONV_1"}, {"group_2", "Group_2"},
      {"GROUP_2", "Group_2"}, {"1", "CONV_1"},      {"3", "FC"},
  };
  for (const FindCase& find_case : cases) {
    SCOPED_TRACE(find_case.selector);

    const absl::StatusOr<const Layer*> layer =
        network->FindLayer(find_case.selector);

    ASSERT_TRUE(layer.ok()) << layer.status();
    EXPECT_EQ((*layer)->name, find_case.layer_name);
  }
}

// A layer whose name is a number is found by name before by index.
TEST(Network, FindsNumericNameBeforeIndex) {
  const absl::StatusOr<Network> network = ParseNetworkText(
      "[LAYERS]\nA=1,1,1,1,1,1,1,1,1\n1=2,1,1,1,1,1,1,1,1\n", "numeric.cfg");
  ASSERT_TRUE(network.ok()) << network.status();

  const absl::StatusOr<const Layer*> layer = network->FindLayer("1");

  ASSERT_TRUE(layer.ok()) << layer.status();
  EXPECT_EQ((*layer)->index, 2);
}

struct MissingCase {
  std::string selector;
  std::string message;
};

TEST(Network, ReportsMissingLayer) {
  const absl::StatusOr<Network> network = ParseSmall();
  ASSERT_TRUE(network.ok()) << network.status();

  const MissingCase cases[] = {
      {"0",
       "no layer 0 in network small.cfg; expected a layer name such as "
       "CONV_1 or an index from 1 to 3"},
      {"4", "no layer 4 in network small.cfg"},
      {"-1", "no layer -1 in network small.cfg"},
      {"conv_9", "no layer \"conv_9\" in network small.cfg; expected"},
      {"", "no layer \"\" in network small.cfg"},
  };
  for (const MissingCase& missing : cases) {
    SCOPED_TRACE(missing.selector);

    const absl::StatusOr<const Layer*> layer =
        network->FindLayer(missing.selector);

    ASSERT_FALSE(layer.ok());
    EXPECT_EQ(layer.status().code(), absl::StatusCode::kNotFound);
    EXPECT_THAT(layer.status().message(), HasSubstr(missing.message));
  }
}

struct ErrorCase {
  std::string name;
  std::string layers;  // lines of [LAYERS], starting at line 4
  std::string message;
};

TEST(Network, RejectsInvalidLayers) {
  const ErrorCase cases[] = {
      {"eight_values", "L1=1,1,1,1,1,1,1,1\n",
       "net.cfg:4: L1 \"1,1,1,1,1,1,1,1\" has 8 values; expected 9: "
       "K,B,P,Q,C,R,S,G,stride"},
      {"ten_values", "L1=1,1,1,1,1,1,1,1,1,1\n",
       "net.cfg:4: L1 \"1,1,1,1,1,1,1,1,1,1\" has 10 values"},
      {"zero_k", "L1=0,1,1,1,1,1,1,1,1\n",
       "net.cfg:4: L1 \"0,1,1,1,1,1,1,1,1\" is invalid: K \"0\" must be an "
       "integer from 1 to 4294967295"},
      {"negative_k", "L1=-3,1,1,1,1,1,1,1,1\n", "K \"-3\" must be an integer"},
      {"word_k", "L1=abc,1,1,1,1,1,1,1,1\n", "K \"abc\" must be an integer"},
      {"fractional_p", "L1=1,1,2.5,1,1,1,1,1,1\n",
       "P \"2.5\" must be an integer"},
      {"zero_g", "L1=1,1,1,1,1,1,1,0,1\n", "G \"0\" must be an integer"},
      {"above_32_bits", "L1=4294967296,1,1,1,1,1,1,1,1\n",
       "K \"4294967296\" must be an integer from 1 to 4294967295"},
      {"c_not_divisible", "L1=16,1,56,56,18,3,3,16,2\n",
       "net.cfg:4: layer L1: C=18 is not divisible by G=16; K and C count the "
       "channels of all groups"},
      {"k_not_divisible", "L1=18,1,56,56,16,3,3,16,2\n",
       "net.cfg:4: layer L1: K=18 is not divisible by G=16"},
      {"duplicate_name", "L1=1,1,1,1,1,1,1,1,1\nL1=1,1,1,1,1,1,1,1,1\n",
       "net.cfg:5: layer name L1 is already used at line 4; layer names must "
       "be unique (case-insensitive)"},
      {"duplicate_name_other_case",
       "Conv=1,1,1,1,1,1,1,1,1\nCONV=1,1,1,1,1,1,1,1,1\n",
       "net.cfg:5: layer name CONV is already used at line 4"},
      {"oversized_product", "L1=65536,65536,65536,65536,1,1,1,1,1\n",
       "net.cfg:4: layer L1: K=65536 B=65536 P=65536 Q=65536 C=1 R=1 S=1 G=1 "
       "stride=1 (K and C per group) is too large"},
      {"oversized_input_tile", "L1=1,1,2,2,1,1,1,1,4294967295\n",
       "net.cfg:4: layer L1: K=1 B=1 P=2 Q=2 C=1 R=1 S=1 G=1 "
       "stride=4294967295"},
      {"no_layers", "", "net.cfg: no layers; expected a [LAYERS] section"},
  };
  for (const ErrorCase& error_case : cases) {
    SCOPED_TRACE(error_case.name);
    const std::string text =
        absl::StrCat("[NETWORK]\nname=n\n[LAYERS]\n", error_case.layers);

    const absl::StatusOr<Network> network = ParseNetworkText(text, "net.cfg");

    ASSERT_FALSE(network.ok());
    EXPECT_EQ(network.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(network.status().message(), HasSubstr(error_case.message));
  }
}

TEST(Network, RejectsUnknownOrRepeatedSections) {
  const ErrorCase cases[] = {
      {"unknown_section", "[LAYER]\n",
       "net.cfg:5: [LAYER] is not a known section; expected [NETWORK] and "
       "[LAYERS]"},
      {"repeated_network", "[NETWORK]\nname=m\n",
       "net.cfg:5: [NETWORK] appears twice (first at line 1)"},
  };
  for (const ErrorCase& error_case : cases) {
    SCOPED_TRACE(error_case.name);
    const std::string text =
        absl::StrCat("[NETWORK]\nname=n\n[LAYERS]\nL1=1,1,1,1,1,1,1,1,1\n",
                     error_case.layers);

    const absl::StatusOr<Network> network = ParseNetworkText(text, "net.cfg");

    ASSERT_FALSE(network.ok());
    EXPECT_EQ(network.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(network.status().message(), HasSubstr(error_case.message));
  }
}

TEST(Network, RejectsBadNetworkSection) {
  const ErrorCase cases[] = {
      {"name_twice", "[NETWORK]\nname=a\nname=b\n",
       "net.cfg:3: name= is given twice in [NETWORK] (first at line 2)"},
      {"unknown_key", "[NETWORK]\nname=a\nversion=2\n",
       "net.cfg:3: unknown key version in [NETWORK]; expected name="},
  };
  for (const ErrorCase& error_case : cases) {
    SCOPED_TRACE(error_case.name);
    const std::string text =
        absl::StrCat(error_case.layers, "[LAYERS]\nL1=1,1,1,1,1,1,1,1,1\n");

    const absl::StatusOr<Network> network = ParseNetworkText(text, "net.cfg");

    ASSERT_FALSE(network.ok());
    EXPECT_EQ(network.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(network.status().message(), HasSubstr(error_case.message));
  }
}

TEST(Network, NamesItselfAfterTheFileWithoutName) {
  const absl::StatusOr<Network> network = ParseNetworkText(
      "[LAYERS]\nL1=1,1,1,1,1,1,1,1,1\n", "dir/My_Net.cfg");

  ASSERT_TRUE(network.ok()) << network.status();
  EXPECT_EQ(network->name, "my_net");
}

}  // namespace
}  // namespace neurospector
