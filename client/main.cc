// neurospector: command-line front end of the scheduler.

#include <iostream>
#include <string>
#include <vector>

#include "client/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> words(argv + 1, argv + argc);
  return neurospector::cli::Run(words, std::cout, std::cerr);
}
