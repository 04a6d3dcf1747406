#!/usr/bin/env bash
# The README's main job: installs what is needed, builds the CLI and the
# seed example, then walks through the seed guide's module:
#   1. examples/seed_module.cc builds the guide's module_fn (placeholder
#      [None, 50] -> dense 200 -> dense 100), exports it in the TF1 Hub
#      format, loads it back, runs its default signature on a sample batch
#      and prints the outputs and the module's layout;
#   2. `tf1hub inspect` shows the exported module;
#   3. `tf1hub run` runs its default signature from the shell on the same
#      sample batch (saved as .npy by the example) and writes .npy outputs.
#
#   bash scripts/main.sh [OUT_DIR]     (default: a fresh temporary folder)
# (The checkpoint tour that used to be the main job: scripts/checkpoint_tour.sh.)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${TF1HUB_BUILD_DIR:-build}
TF1HUB_BUILD_TARGET=tf1hub_cli bash scripts/build.sh
TF1HUB_BUILD_TARGET=tf1hub_seed_module bash scripts/build.sh
BIN=$BUILD/tools/tf1hub/tf1hub

OUT=${1:-$(mktemp -d -t tf1hub-seed.XXXXXX)}
MODULE=$OUT/seed_module
if [[ -e "$MODULE" ]]; then
  echo "main: $MODULE exists already; remove it or give another OUT_DIR" >&2
  exit 1
fi
mkdir -p "$OUT"

echo "== 1. Export the seed module, load it back and run it (examples/seed_module.cc)"
"$BUILD"/examples/tf1hub_seed_module "$MODULE" --write-input "$OUT/x.npy"
echo
echo "== 2. tf1hub inspect $MODULE"
"$BIN" inspect "$MODULE"
echo
echo "== 3. tf1hub run $MODULE --input default=x.npy --out outputs/"
"$BIN" run "$MODULE" --input "default=$OUT/x.npy" --out "$OUT/outputs"
ls -l "$OUT/outputs"
echo
echo "== tf1hub run ... --json   (the first 300 characters)"
"$BIN" run "$MODULE" --input "default=$OUT/x.npy" --json | cut -c1-300
echo "..."
echo
echo "The module is in $MODULE: load it in TensorFlow 1.x/2.15 with"
echo "  hub.Module(\"$MODULE\")  (tensorflow_hub 0.15)"
