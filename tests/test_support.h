// Helpers shared by the integration tests: locating the shipped and golden
// configuration files, reading JSON lines, and running the CLI in-process.

#ifndef NEUROSPECTOR_TESTS_TEST_SUPPORT_H_
#define NEUROSPECTOR_TESTS_TEST_SUPPORT_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace neurospector::testing {

// Root of the source tree (set by CMake).
std::string SourceDir();

// Path of a reference accelerator file by file name ("eyeriss.cfg"): the
// shipped configs/accelerators, the golden accelerator variants, or the
// test data (for files the project rejects).
std::string AcceleratorPath(const std::string& file_name);

// Same for network files.
std::string NetworkPath(const std::string& file_name);

// Parses every line of a JSON-lines file under tests/golden.
std::vector<nlohmann::json> ReadGoldenLines(const std::string& file_name);

// Writes `text` to a fresh file in a per-process temporary directory and
// returns its path.
std::string WriteTempFile(const std::string& name, const std::string& text);

struct CliResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// Runs the neurospector command line in-process.
CliResult RunCli(const std::vector<std::string>& words);

// True when `a` and `b` agree within `relative` (or `absolute` when `b` is
// zero).
bool NearlyEqual(double a, double b, double relative, double absolute);

}  // namespace neurospector::testing

#endif  // NEUROSPECTOR_TESTS_TEST_SUPPORT_H_
