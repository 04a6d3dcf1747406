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

echo "== ThreadSanitizer: the runtime's tests, incl. concurrent Session::Run"
TF1HUB_BUILD_DIR=build-tsan TF1HUB_BUILD_TARGET=tf1hub_runtime_test \
  bash scripts/build.sh -DTF1HUB_SANITIZE=thread -DTF1HUB_BUILD_BENCH=OFF
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  build-tsan/src/tf1hub/runtime/tf1hub_runtime_test --gtest_brief=1

echo "== Interop tests against TensorFlow (oracle: $VENV)"
export TF1HUB_BIN=$PWD/build/tools/tf1hub/tf1hub
export TF_CPP_MIN_LOG_LEVEL=2
"$VENV/bin/python" -m pytest interop -q -p no:cacheprovider
