#include "tests/test_support.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "client/cli.h"

namespace neurospector::testing {
namespace {

std::string FirstExisting(const std::vector<std::string>& candidates) {
  for (const std::string& path : candidates) {
    if (std::filesystem::exists(path)) return path;
  }
  throw std::runtime_error("test file not found: " + candidates.front());
}

}  // namespace

std::string SourceDir() { return NEUROSPECTOR_SOURCE_DIR; }

std::string AcceleratorPath(const std::string& file_name) {
  const std::string root = SourceDir();
  return FirstExisting(
      {root + "/configs/accelerators/" + file_name,
       root + "/tests/golden/accelerator-variants/" + file_name,
       root + "/tests/data/" + file_name});
}

std::string NetworkPath(const std::string& file_name) {
  const std::string root = SourceDir();
  return FirstExisting({root + "/configs/networks/" + file_name,
                        root + "/tests/golden/networks/" + file_name,
                        root + "/tests/data/" + file_name});
}

std::vector<nlohmann::json> ReadGoldenLines(const std::string& file_name) {
  std::ifstream stream(SourceDir() + "/tests/golden/" + file_name);
  if (!stream) throw std::runtime_error("cannot read golden " + file_name);
  std::vector<nlohmann::json> lines;
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  static const std::filesystem::path directory = [] {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() /
        ("neurospector-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  const std::filesystem::path path = directory / name;
  std::ofstream(path) << text;
  return path.string();
}

CliResult RunCli(const std::vector<std::string>& words) {
  std::ostringstream out;
  std::ostringstream err;
  CliResult result;
  result.exit_code = cli::Run(words, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

bool NearlyEqual(double a, double b, double relative, double absolute) {
  if (b == 0) return std::fabs(a) <= absolute;
  return std::fabs(a - b) <= relative * std::fabs(b);
}

}  // namespace neurospector::testing
