"""Shared fixtures for the interop suites (real TensorFlow vs. the tf1hub CLI).

Fixtures:
  tf1hub_bin   path of the tf1hub executable: $TF1HUB_BIN, else the first of
               BIN_CANDIDATES that exists; the session fails (not skips) if
               there is none.
  run_tf1hub   run_tf1hub(*args) -> CliResult(returncode, stdout, stderr)
  tf           the tensorflow module, imported once per session.
  tf1_saver_checkpoint, tf1_sharded_checkpoint, tf2_checkpoint
               checkpoints written once per session by TensorFlow
               (see _tf_checkpoints.py).
"""
import os
import pathlib
import subprocess
import sys

import pytest

# Before TensorFlow is imported anywhere: keep its C++ logging quiet.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _tf_checkpoints  # noqa: E402  (after sys.path and the env var)
from _tf_checkpoints import CliResult  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
BIN_CANDIDATES = [
    REPO / "build" / "tools" / "tf1hub" / "tf1hub",
]


@pytest.fixture(scope="session")
def tf1hub_bin():
    env = os.environ.get("TF1HUB_BIN")
    if env:
        path = pathlib.Path(env)
        if not path.is_file() or not os.access(path, os.X_OK):
            pytest.fail(f"TF1HUB_BIN={env!r} is not an executable file", pytrace=False)
        return str(path.resolve())
    for path in BIN_CANDIDATES:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    pytest.fail(
        "tf1hub executable not found: set TF1HUB_BIN or build it "
        f"(looked for {', '.join(str(p) for p in BIN_CANDIDATES)})",
        pytrace=False,
    )


def run_cli(binary, *args, timeout=300):
    """Runs `binary args...`; returns CliResult(returncode, stdout, stderr).

    Output is decoded as UTF-8 with surrogateescape, so arbitrary bytes
    survive (encode with the same handler to get them back).
    """
    proc = subprocess.run(
        [binary, *[str(a) for a in args]],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
    )
    return CliResult(
        proc.returncode,
        proc.stdout.decode("utf-8", "surrogateescape"),
        proc.stderr.decode("utf-8", "surrogateescape"),
    )


@pytest.fixture(scope="session")
def run_tf1hub(tf1hub_bin):
    def run(*args, timeout=300):
        return run_cli(tf1hub_bin, *args, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def tf():
    import tensorflow

    return tensorflow


@pytest.fixture(scope="session")
def tf1_saver_checkpoint(tf, tmp_path_factory):
    """TF1 Saver, ref + resource variables of every dtype, partitioned ones."""
    return _tf_checkpoints.save_tf1_saver_checkpoint(tf, tmp_path_factory.mktemp("tf1_saver"))


@pytest.fixture(scope="session")
def tf1_sharded_checkpoint(tf, tmp_path_factory):
    """TF1 Saver(sharded=True) over two CPU devices (two data files)."""
    return _tf_checkpoints.save_tf1_sharded_checkpoint(tf, tmp_path_factory.mktemp("tf1_sharded"))


@pytest.fixture(scope="session")
def tf2_checkpoint(tf, tmp_path_factory):
    """tf.train.Checkpoint (object-based) of every dtype plus a >= 64 MiB tensor."""
    return _tf_checkpoints.save_tf2_checkpoint(tf, tmp_path_factory.mktemp("tf2"))
