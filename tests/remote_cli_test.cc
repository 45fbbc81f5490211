// The command line's remote mode (--server) against a server started
// in-process on 127.0.0.1: it must print what the in-process run prints.

#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/tests/server_test_support.h"
#include "tests/test_support.h"

namespace neurospector {
namespace {

using testing::CliResult;
using ::testing::HasSubstr;
using testing::RunCli;

class RemoteCli : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = server::testing::StartTestServer();
    ASSERT_NE(server_, nullptr);
  }

  std::vector<std::string> WithServer(std::vector<std::string> words) const {
    words.push_back("--server");
    words.push_back(server_->Address());
    return words;
  }

  std::unique_ptr<server::testing::TestServer> server_;
};

// Zeroes the wall times, the only figures that differ between runs.
nlohmann::json WithoutTimes(nlohmann::json schedule) {
  for (nlohmann::json& layer : schedule["layers"]) layer["seconds"] = 0;
  schedule["totals"]["seconds"] = 0;
  return schedule;
}

// Drops the last CSV column (seconds) and the text time column.
std::string MaskTimes(const std::string& output) {
  static const std::regex kCsvSeconds(",[0-9.]+\n");
  static const std::regex kTextSeconds(" +[0-9]+\\.[0-9]{3}(\n|  INVALID)");
  std::string masked = std::regex_replace(output, kCsvSeconds, ",T\n");
  return std::regex_replace(masked, kTextSeconds, " T$1");
}

TEST_F(RemoteCli, ScheduleJsonMatchesInProcess) {
  const std::vector<std::string> words = {
      "schedule", "--accelerator", "eyeriss", "--network",
      "resnet50", "--format",      "json"};
  const CliResult local = RunCli(words);
  const CliResult remote = RunCli(WithServer(words));
  ASSERT_EQ(local.exit_code, 0) << local.err;
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  const nlohmann::json local_json = nlohmann::json::parse(local.out);
  const nlohmann::json remote_json = nlohmann::json::parse(remote.out);
  ASSERT_EQ(remote_json["layers"].size(), 21u);
  EXPECT_EQ(WithoutTimes(remote_json), WithoutTimes(local_json));
  EXPECT_THAT(remote.err, HasSubstr("0 served from the cache, 21 searched"));

  // Again: served from the cache, same output.
  const CliResult cached = RunCli(WithServer(words));
  ASSERT_EQ(cached.exit_code, 0) << cached.err;
  EXPECT_EQ(WithoutTimes(nlohmann::json::parse(cached.out)),
            WithoutTimes(local_json));
  EXPECT_THAT(cached.err, HasSubstr("21 served from the cache, 0 searched"));
}

TEST_F(RemoteCli, ScheduleTextAndCsvMatchInProcess) {
  struct Case {
    std::vector<std::string> extra;
  };
  const std::vector<Case> cases = {
      {{"--format", "csv"}},
      {{"--format", "text", "--verbose"}},
      {{"--layer", "3", "--metric", "cycle", "--format", "csv"}},
      {{"--layer", "CONV_1", "--dataflow", "flexible"}},
  };
  for (const Case& c : cases) {
    std::vector<std::string> words = {"schedule", "--accelerator", "eyeriss",
                                      "--network", "resnet50"};
    words.insert(words.end(), c.extra.begin(), c.extra.end());
    SCOPED_TRACE(absl::StrJoin(words, " "));
    const CliResult local = RunCli(words);
    const CliResult remote = RunCli(WithServer(words));
    ASSERT_EQ(local.exit_code, 0) << local.err;
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_EQ(MaskTimes(remote.out), MaskTimes(local.out));
  }
}

TEST_F(RemoteCli, EvaluateMatchesInProcess) {
  const std::string table =
      testing::SourceDir() + "/configs/scheduling_tables/eyeriss_sample.cfg";
  for (const std::string format : {"text", "json"}) {
    SCOPED_TRACE(format);
    const std::vector<std::string> words = {
        "evaluate",  "--accelerator", testing::AcceleratorPath("eyeriss.cfg"),
        "--network", "resnet50",      "--table",
        table,       "--format",      format};
    const CliResult local = RunCli(words);
    const CliResult remote = RunCli(WithServer(words));
    ASSERT_EQ(local.exit_code, 0) << local.err;
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_EQ(remote.out, local.out);
  }
}

TEST_F(RemoteCli, WarningsAreThoseOfTheInProcessRun) {
  const std::vector<std::string> words = {
      "schedule",
      "--accelerator",
      testing::AcceleratorPath("eyeriss-isca.cfg"),
      "--network",
      "resnet50",
      "--layer",
      "1"};
  const CliResult local = RunCli(words);
  const CliResult remote = RunCli(WithServer(words));
  ASSERT_EQ(local.exit_code, 0) << local.err;
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  ASSERT_THAT(local.err, HasSubstr("warning: "));
  EXPECT_THAT(remote.err, HasSubstr(local.err));
}

TEST_F(RemoteCli, ListMatchesInProcess) {
  for (const std::string format : {"text", "json"}) {
    SCOPED_TRACE(format);
    const CliResult local = RunCli({"list", "--format", format});
    const CliResult remote = RunCli(WithServer({"list", "--format", format}));
    ASSERT_EQ(local.exit_code, 0) << local.err;
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_EQ(remote.out, local.out);
    EXPECT_THAT(local.out, HasSubstr("eyeriss"));
  }
}

TEST_F(RemoteCli, ServerErrorsNameTheirStatusCode) {
  struct Case {
    std::string name;
    std::vector<std::string> words;
    int exit_code;
    std::vector<std::string> message_parts;
  };
  const std::vector<Case> cases = {
      {"unknown accelerator",
       WithServer(
           {"schedule", "--accelerator", "eyeriz", "--network", "resnet50"}),
       2,
       {"error: server 127.0.0.1:", "returned INVALID_ARGUMENT",
        "accelerator.builtin_name", "\"eyeriz\""}},
      {"unknown layer",
       WithServer({"schedule", "--accelerator", "eyeriss", "--network",
                   "resnet50", "--layer", "CONV_9"}),
       2,
       {"INVALID_ARGUMENT", "CONV_9"}},
      {"no server",
       {"list", "--server", "127.0.0.1:1"},
       1,
       {"error: server 127.0.0.1:1 returned UNAVAILABLE"}},
      {"write-tables",
       WithServer({"schedule", "--accelerator", "eyeriss", "--network",
                   "resnet50", "--write-tables", "/tmp/unused"}),
       2,
       {"--write-tables is not available with --server"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const CliResult result = RunCli(c.words);
    EXPECT_EQ(result.exit_code, c.exit_code);
    EXPECT_TRUE(result.out.empty());
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(result.err, HasSubstr(part));
    }
  }
}

}  // namespace
}  // namespace neurospector
