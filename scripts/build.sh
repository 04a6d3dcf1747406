#!/usr/bin/env bash
# Installs the system packages if needed, then configures and builds tf1hub
# (Release) in ${TF1HUB_BUILD_DIR:-build}. Extra arguments go to cmake;
# TF1HUB_BUILD_TARGET limits the build to one target.
# Compilation is cached per machine with ccache, so fresh clones rebuild fast.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR=${TF1HUB_BUILD_DIR:-build}
export CCACHE_DIR=${CCACHE_DIR:-${TF1HUB_CACHE:-$HOME/.cache/tf1hub}/ccache}
export CCACHE_BASEDIR=$PWD
export CCACHE_NOHASHDIR=1
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
cmake --build "$BUILD_DIR" -j2 ${TF1HUB_BUILD_TARGET:+--target "$TF1HUB_BUILD_TARGET"}
