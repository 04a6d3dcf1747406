"""Byte identity: for the same tensors added in the same order, the .index and
.data-00000-of-00001 written by `tf1hub checkpoint write` are byte-identical
to those written by TensorFlow's SaveV2 (which adds tensors in input order)."""
import pathlib

import numpy as np
import pytest

import _tf_checkpoints as h

BLOCK_SIZE = 262144  # TF's index table block size


def _mixed():
    return [(name, value) for name, value in h.numeric_cases() + h.string_cases()]


def _shared_prefixes():
    """Realistic keys: long shared prefixes (prefix compression), many entries."""
    cases, values = [], _mixed()
    for i in range(60):
        for j, leaf in enumerate(("kernel", "bias", "kernel/Adam", "kernel/Adam_1")):
            value = values[(i * 4 + j) % len(values)][1]
            cases.append((f"encoder/transformer/layer_{i:03d}/attention/{leaf}", value))
    cases.append(("global_step", np.array(123456, dtype=np.int64)))
    return cases


def _many_long_names():
    """400 entries whose ~900-byte keys share almost nothing: more than 256 KiB
    of keys, so the index needs two data blocks and many restart points."""
    values = _mixed()
    filler = "a_rather_long_path_segment_" * 33
    # Added in a scrambled order (data file order != key order).
    order = [(i * 157) % 400 for i in range(400)]
    return [(f"{i:04d}/{filler}/{i}", values[i % len(values)][1]) for i in order]


CASE_SETS = {
    "mixed_dtypes": _mixed,
    "mixed_dtypes_reversed": lambda: list(reversed(_mixed())),
    "single_scalar": lambda: [("x", np.array(0.5, dtype=np.float32))],
    "single_empty_string": lambda: [("s", h._strings([], shape=(0,)))],
    "shared_prefixes": _shared_prefixes,
    "many_long_names": _many_long_names,
}


def _write_both(tf, run_tf1hub, directory, cases):
    theirs = directory / "tf" / "ckpt"
    ours = directory / "us" / "ckpt"
    theirs.parent.mkdir()
    ours.parent.mkdir()
    h.save_v2(tf, theirs, cases)
    args = []
    for i, (name, value) in enumerate(cases):
        path = directory / f"{i}.npy"
        np.save(path, h.to_npy_array(value), allow_pickle=False)
        args.append(f"{name}={path}")
    rc, _, err = run_tf1hub("checkpoint", "write", ours, *args)
    assert rc == 0, err
    return str(theirs), str(ours)


def _assert_same_bytes(ours_path, theirs_path):
    ours = pathlib.Path(ours_path).read_bytes()
    theirs = pathlib.Path(theirs_path).read_bytes()
    if ours != theirs:
        first = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b),
                     min(len(ours), len(theirs)))
        pytest.fail(f"{ours_path} ({len(ours)} bytes) differs from TensorFlow's "
                    f"{theirs_path} ({len(theirs)} bytes) first at byte {first}: "
                    f"ours {ours[first:first + 16].hex()} TF {theirs[first:first + 16].hex()}")


@pytest.mark.parametrize("case_set", sorted(CASE_SETS))
def test_files_byte_identical_to_tf(tf, run_tf1hub, tmp_path, case_set):
    cases = CASE_SETS[case_set]()
    theirs, ours = _write_both(tf, run_tf1hub, tmp_path, cases)
    assert sorted(p.name for p in pathlib.Path(ours).parent.iterdir()) == [
        "ckpt.data-00000-of-00001", "ckpt.index"]
    _assert_same_bytes(ours + ".data-00000-of-00001", theirs + ".data-00000-of-00001")
    _assert_same_bytes(ours + ".index", theirs + ".index")


def test_long_names_exercise_blocks_and_restarts(tf, tmp_path):
    """Guards the many_long_names case: TF's own index really has several
    data blocks, each with several restart points."""
    prefix = tmp_path / "ckpt"
    h.save_v2(tf, prefix, _many_long_names())
    index_path = pathlib.Path(str(prefix) + ".index")
    assert index_path.stat().st_size > BLOCK_SIZE
    index = h.read_index(index_path)
    assert len(index.data_blocks) >= 2
    assert all(block.num_restarts > 1 for block in index.data_blocks)
    assert len(index.entries) == 401  # header + 400 tensors
