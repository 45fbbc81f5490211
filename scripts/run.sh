#!/usr/bin/env bash
# Installs the dependencies, builds, and runs the main job: schedules every
# layer of ResNet-50 on Eyeriss with the bottom-up and the exact search.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
"$build_dir/bin/neurospector" schedule --accelerator eyeriss \
  --network resnet50
"$build_dir/bin/neurospector" schedule --accelerator eyeriss \
  --network resnet50 --search exact
