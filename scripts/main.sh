#!/usr/bin/env bash
# The README's main job: installs what is needed, builds, and runs the
# demonstration. Until the hub layer lands this is a tour of the checkpoint
# tools: write a checkpoint from C++, list it and read a tensor with the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
OUT=${1:-$(mktemp -d -t tf1hub-demo.XXXXXX)}
BIN=build/tools/tf1hub/tf1hub

echo "== Writing a checkpoint with the C++ API (examples/checkpoint_tour.cc)"
build/examples/checkpoint_tour "$OUT/train"
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
