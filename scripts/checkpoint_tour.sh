#!/usr/bin/env bash
# A tour of the checkpoint tools: installs what is needed, builds, writes a
# checkpoint from C++, lists it and reads a tensor with the CLI.
#   bash scripts/checkpoint_tour.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
TF1HUB_BUILD_TARGET=checkpoint_tour bash scripts/build.sh
TF1HUB_BUILD_TARGET=tf1hub_cli bash scripts/build.sh
OUT=${1:-$(mktemp -d -t tf1hub-demo.XXXXXX)}
BUILD=${TF1HUB_BUILD_DIR:-build}
BIN=$BUILD/tools/tf1hub/tf1hub

echo "== Writing a checkpoint with the C++ API (examples/checkpoint_tour.cc)"
"$BUILD"/examples/checkpoint_tour "$OUT/train"
echo
echo "== tf1hub checkpoint ls $OUT/train   (a directory means its latest checkpoint)"
"$BIN" checkpoint ls "$OUT/train"
echo
echo "== tf1hub checkpoint ls --json"
"$BIN" checkpoint ls --json "$OUT/train/model.ckpt-1000"
echo
echo "== tf1hub checkpoint get ... dense/bias --out bias.npy, then write it into a new checkpoint"
"$BIN" checkpoint get "$OUT/train" dense/bias --out "$OUT/bias.npy"
"$BIN" checkpoint write "$OUT/copy/ckpt" "dense/bias=$OUT/bias.npy"
"$BIN" checkpoint ls "$OUT/copy/ckpt"
echo
echo "Files are in $OUT"
