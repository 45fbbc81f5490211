#!/usr/bin/env bash
# Installs the dependencies, builds, and runs the main job: evaluates the
# reference sample table for ResNet-50 CONV_1 on Eyeriss.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
"$build_dir/bin/neurospector" evaluate --accelerator eyeriss \
  --network resnet50 \
  --table "$root/configs/scheduling_tables/eyeriss_sample.cfg"
