#!/usr/bin/env bash
# Installs the dependencies, builds everything with warnings as errors and
# runs the whole test suite with CTest.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

"$root/scripts/build.sh" -DNEUROSPECTOR_WERROR=ON -DNEUROSPECTOR_BUILD_TESTS=ON
ctest --test-dir "$build_dir" --output-on-failure -j "${JOBS:-2}" \
  --timeout 900
