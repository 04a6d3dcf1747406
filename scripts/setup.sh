#!/usr/bin/env bash
# Installs what tf1hub needs to build and test. Idempotent: re-running it
# skips what is already present.
#   scripts/setup.sh            system packages (apt) only
#   scripts/setup.sh --oracle   also the TensorFlow oracle virtualenv, cached per
#                               machine in $TF1HUB_CACHE (default ~/.cache/tf1hub)
#                               and keyed by interop/requirements.txt; prints its path
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  protobuf-compiler libprotobuf-dev
  libleveldb-dev libsnappy-dev
  libeigen3-dev libopenblas-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev
  libre2-dev libfarmhash-dev
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ "${1:-}" == "--oracle" ]]; then
  CACHE=${TF1HUB_CACHE:-$HOME/.cache/tf1hub}
  KEY=$(sha256sum interop/requirements.txt | cut -c1-12)
  VENV=${TF1HUB_VENV:-$CACHE/oracle-venv-$KEY}
  STAMP="$VENV/.tf1hub-oracle-ready"
  if [[ ! -f "$STAMP" ]]; then
    echo "setup: creating the TensorFlow oracle virtualenv in $VENV (first run downloads ~250 MB)" >&2
    rm -rf "$VENV"; mkdir -p "$CACHE"
    PY=${PYTHON:-python3.11}
    command -v "$PY" >/dev/null || PY=python3
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip >&2
    "$VENV/bin/pip" install -q -r interop/requirements.txt >&2
    touch "$STAMP"
  fi
  echo "$VENV"
fi
