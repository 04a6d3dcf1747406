"""TF -> us: checkpoints written by TensorFlow 2.15, read by `tf1hub checkpoint`.

Every assertion compares our output with TensorFlow's own reader
(tf.train.load_checkpoint) on the same files: names, dtypes and shapes from
`ls`, and every tensor's bytes from `get`.
"""
import json
import pathlib

import numpy as np
import pytest

import _tf_checkpoints as h

CHECKPOINTS = ["tf1_saver_checkpoint", "tf1_sharded_checkpoint", "tf2_checkpoint"]


@pytest.fixture(params=CHECKPOINTS)
def ckpt(request):
    return request.getfixturevalue(request.param)


def tf_listing(tf, prefix):
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    shapes = reader.get_variable_to_shape_map()
    assert dtypes.keys() == shapes.keys()
    return reader, {name: (dtypes[name].name, list(shapes[name])) for name in dtypes}


def ls_json(run_tf1hub, path):
    rc, out, err = run_tf1hub("checkpoint", "ls", "--json", path)
    assert rc == 0, err
    listing = json.loads(out)
    assert isinstance(listing, list)
    return listing


def test_ls_json_matches_tf(tf, run_tf1hub, ckpt):
    _, expected = tf_listing(tf, ckpt.prefix)
    listing = ls_json(run_tf1hub, ckpt.prefix)
    names = [e["name"] for e in listing]
    assert len(names) == len(set(names)), "duplicate names"
    assert names == sorted(names, key=lambda n: n.encode("utf-8")), "not sorted by name"
    ours = {e["name"]: (e["dtype"], e["shape"]) for e in listing}
    assert ours == expected
    for entry in listing:
        if entry["name"] in ckpt.partitioned:
            assert len(entry["slices"]) == ckpt.partitioned[entry["name"]], entry
        else:
            assert "slices" not in entry, entry


def test_ls_text_matches_tf(tf, run_tf1hub, ckpt):
    _, expected = tf_listing(tf, ckpt.prefix)
    rc, out, err = run_tf1hub("checkpoint", "ls", ckpt.prefix)
    assert rc == 0, err
    assert out.endswith("\n")
    ours = {}
    for line in out.splitlines():
        fields = line.split("\t")
        name, dtype, shape = fields[:3]
        assert shape.startswith("[") and shape.endswith("]"), line
        dims = [int(d) for d in shape[1:-1].split(",")] if shape != "[]" else []
        ours[name] = (dtype, dims)
        if name in ckpt.partitioned:
            assert len(fields) == 4 and "partitioned" in fields[3], line
            assert f"{ckpt.partitioned[name]} slices" in fields[3], line
        else:
            assert len(fields) == 3, line
    assert ours == expected


def test_get_matches_tf_bit_for_bit(tf, run_tf1hub, ckpt, tmp_path):
    reader, expected = tf_listing(tf, ckpt.prefix)
    checked, failures = 0, []
    for i, name in enumerate(sorted(expected)):
        if name in ckpt.bfloat16_names:
            continue
        out = tmp_path / f"t{i}.npy"
        rc, _, err = run_tf1hub("checkpoint", "get", ckpt.prefix, name, "--out", out)
        if rc != 0 or err:
            failures.append(f"{name}: exit {rc}: {err.strip()}")
            continue
        problem = h.tensor_mismatch(np.load(out, allow_pickle=False), reader.get_tensor(name))
        if problem:
            failures.append(f"{name}: {problem}")
        checked += 1
        out.unlink()
    assert not failures, "\n".join(failures)
    assert checked == len(expected) - len(ckpt.bfloat16_names)


def test_get_refuses_bfloat16_clearly(tf, run_tf1hub, ckpt, tmp_path):
    _, expected = tf_listing(tf, ckpt.prefix)
    assert ckpt.bfloat16_names, "the checkpoint should hold bfloat16 tensors"
    for name in ckpt.bfloat16_names:
        assert expected[name][0] == "bfloat16"
        out = tmp_path / "bf16.npy"
        rc, _, err = run_tf1hub("checkpoint", "get", ckpt.prefix, name, "--out", out)
        assert rc == 1, err
        assert "bfloat16" in err and name in err, err
        assert not out.exists()


def test_tf_kept_the_case_values(tf, tf1_saver_checkpoint):
    """The oracle itself: TF stored our special values (NaN payloads, -0.0,
    binary strings) unchanged, so bit-for-bit comparisons above are meaningful."""
    reader = tf.train.load_checkpoint(tf1_saver_checkpoint.prefix)
    for kind in ("ref", "res"):
        for name, value in h.all_cases(tf):
            problem = h.tf_value_mismatch(reader.get_tensor(f"{kind}/{name}"), value)
            assert problem is None, f"{kind}/{name}: {problem}"


def test_sharded_checkpoint_really_has_two_shards(tf1_sharded_checkpoint):
    prefix = tf1_sharded_checkpoint.prefix
    index = h.read_index(prefix + ".index")
    assert index.header().num_shards == 2
    for shard in range(2):
        assert pathlib.Path(f"{prefix}.data-0000{shard}-of-00002").is_file()
    shard_ids = set()
    for key, _ in index.entries.items():
        if key == b"":
            continue
        entry = index.entry(key)
        if not entry.slices:
            shard_ids.add(entry.shard_id)
    assert shard_ids == {0, 1}
    # The partitioned variable's slices were merged from both shards.
    assert len(index.entry("part/split").slices) == 3


def test_big_tensor_is_at_least_64_mib(tf, run_tf1hub, tf2_checkpoint):
    listing = {e["name"]: e for e in ls_json(run_tf1hub, tf2_checkpoint.prefix)}
    big = listing["big/.ATTRIBUTES/VARIABLE_VALUE"]
    assert big["dtype"] == "float32" and big["shape"] == list(h.BIG_SHAPE)
    assert np.prod(big["shape"]) * 4 >= 64 << 20


def test_directory_form(tf, run_tf1hub, ckpt, tmp_path):
    """A directory holding a `checkpoint` state file means its latest checkpoint."""
    assert (pathlib.Path(ckpt.directory) / "checkpoint").is_file()
    assert tf.train.latest_checkpoint(ckpt.directory) == ckpt.prefix
    assert ls_json(run_tf1hub, ckpt.directory) == ls_json(run_tf1hub, ckpt.prefix)
    reader, expected = tf_listing(tf, ckpt.prefix)
    name = next(n for n in sorted(expected) if expected[n][0] == "string")
    out = tmp_path / "s.npy"
    rc, _, err = run_tf1hub("checkpoint", "get", ckpt.directory, name, "--out", out)
    assert rc == 0, err
    assert h.tensor_mismatch(np.load(out), reader.get_tensor(name)) is None


def test_get_string_with_trailing_nul_warns(tf, run_tf1hub, tmp_path):
    """.npy 'S' arrays pad with NULs, so a string's own trailing NULs cannot be
    kept: `get` still writes the file but says so on stderr."""
    prefix = tmp_path / "nul"
    value = h._strings([b"ends with nul\x00", b"fine", b"two\x00\x00"])
    h.save_v2(tf, prefix, [("s", value)])
    out = tmp_path / "s.npy"
    rc, _, err = run_tf1hub("checkpoint", "get", prefix, "s", "--out", out)
    assert rc == 0, err
    assert "warning" in err and "'s'" in err and "2 string(s)" in err, err
    theirs = tf.train.load_checkpoint(str(prefix)).get_tensor("s")
    assert [bytes(x) for x in np.load(out)] == [x.rstrip(b"\x00") for x in theirs]
