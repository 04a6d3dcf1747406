#!/usr/bin/env bash
# The README's test command: installs what is needed (apt packages, the
# TensorFlow oracle virtualenv), builds, and runs every test: the C++ unit
# tests (ctest) and the interop suites against real TensorFlow (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
VENV=$(bash scripts/setup.sh --oracle)

echo "== C++ unit tests"
(cd build && ctest --output-on-failure -j2 --timeout 600)

echo "== Interop tests against TensorFlow (oracle: $VENV)"
export TF1HUB_BIN=$PWD/build/tools/tf1hub/tf1hub
export TF_CPP_MIN_LOG_LEVEL=2
"$VENV/bin/python" -m pytest interop -q -p no:cacheprovider
