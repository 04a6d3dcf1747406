#!/usr/bin/env bash
# Checkpoint benchmark, tf1hub next to TensorFlow on this machine in one run:
# builds checkpoint_bench (Release) in ${TF1HUB_BUILD_DIR:-build}, makes sure
# the TensorFlow oracle virtualenv exists, and prints the comparison table.
# Arguments go to bench/compare_checkpoint.py, e.g.
#   scripts/bench.sh --size-mb 64 --reps 3          quick look
#   scripts/bench.sh --cold --out ckpt_bench.json   cold page cache (root), JSON too
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR=${TF1HUB_BUILD_DIR:-build}
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_DIR=${CCACHE_DIR:-${TF1HUB_CACHE:-$HOME/.cache/tf1hub}/ccache}
  export CCACHE_BASEDIR=$PWD
  export CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTF1HUB_BUILD_BENCH=ON \
  "${launcher[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j2 --target checkpoint_bench
VENV=$(bash scripts/setup.sh --oracle)
export TF_CPP_MIN_LOG_LEVEL=2
"$VENV/bin/python" bench/compare_checkpoint.py \
  --tf1hub-bench "$BUILD_DIR/bench/checkpoint_bench" "$@"

# Seed network (issue 3): tf1hub Session::Run next to TensorFlow's Session.run.
# Its own arguments come from TF1HUB_SEED_BENCH_ARGS, e.g. "--reps 5 --out seed.json".
cmake --build "$BUILD_DIR" -j2 --target seed_network_bench
"$VENV/bin/python" bench/compare_seed_network.py \
  --tf1hub-bench "$BUILD_DIR/bench/seed_network_bench" ${TF1HUB_SEED_BENCH_ARGS:-}

# Hub modules (issue 4): the seed module exported by real hub, loaded and run
# through tf1hub's hub API next to hub.Module: time to the first result and
# per-call latency. Its own arguments come from TF1HUB_HUB_BENCH_ARGS, e.g.
# "--reps 3 --initializers v1 --out hub.json".
cmake --build "$BUILD_DIR" -j2 --target hub_module_bench
"$VENV/bin/python" bench/compare_hub.py \
  --tf1hub-bench "$BUILD_DIR/bench/hub_module_bench" ${TF1HUB_HUB_BENCH_ARGS:-}

# Text embedding modules (issue 5): export, load-to-first-result and throughput
# of a generated 1M x 300 module, tf1hub next to hub.Module. Its own arguments
# come from TF1HUB_TEXT_BENCH_ARGS, e.g. "--small" for a quick look.
cmake --build "$BUILD_DIR" -j2 --target text_embedding_bench
"$VENV/bin/python" bench/compare_text_embedding.py \
  --tf1hub-bench "$BUILD_DIR/bench/text_embedding_bench" ${TF1HUB_TEXT_BENCH_ARGS:-}
