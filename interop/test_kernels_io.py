"""Checkpoint I/O kernels (RestoreV2, SaveV2, MergeV2Checkpoints,
ShardedFilename, ShardedFilespec): tf1hub `graph run` against TensorFlow.

(a) A tf.compat.v1.train.Saver graph built by TensorFlow (resource and ref
    variables of many dtypes, a partitioned variable saved as slices):
    - restore: TensorFlow saves the variables; tf1hub runs the saver's
      restore op on TensorFlow's checkpoint and fetches the variables;
    - save: tf1hub initializes the variables and runs the saver's save op;
      TensorFlow's Saver.restore reads that checkpoint back.
    `tf1hub graph run` makes one Session::Run, so the graph is given control
    edges that order the steps TensorFlow would run as separate Session.run
    calls (init before save, restore before the reads).
(b) RestoreV2 with slice specs (and its errors), SaveV2 with slices (the bytes
    must equal TensorFlow's), MergeV2Checkpoints (same files as TensorFlow),
    ShardedFilename / ShardedFilespec.
"""
import os
import pathlib

import numpy as np
import pytest

from _graph_run import assert_same, compare_graph

# Resource variables: (name, dtype, shape).
RESOURCE_VARS = [
    ("dense/kernel", "float32", [3, 4]),
    ("dense/bias", "float64", [2]),
    ("counts", "int32", [5]),
    ("global_step", "int64", []),
    ("mask", "bool", [3]),
    ("vocab", "string", [2]),
    ("half", "float16", [2, 2]),
    ("cplx", "complex64", [2]),
    ("bytes", "uint8", [3]),
    ("small", "int8", [2]),
]


def _random(rng, dtype, shape):
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        v = rng.random(n) < 0.5
    elif dtype == "string":
        v = np.array([b"w%d" % rng.integers(0, 10**6) for _ in range(n)], dtype=object)
    elif dtype.startswith("complex"):
        v = (rng.normal(size=n) + 1j * rng.normal(size=n)).astype(dtype)
    elif dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        v = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    else:
        v = rng.normal(0, 3, n).astype(dtype)
    return np.asarray(v).reshape(shape)


def _saver_graph(tf, rng, sharded):
    """Variables with random initial values, a Saver, an init op.

    Returns (graph, saver, values {name: value}, variables {name: variable},
    the partitioned variables {"part": ref, "rpart": resource}).
    """
    g = tf.Graph()
    values, variables = {}, {}
    with g.as_default():
        for name, dtype, shape in RESOURCE_VARS:
            values[name] = _random(rng, dtype, shape)
            variables[name] = tf.compat.v1.get_variable(
                name, initializer=tf.constant(values[name], dtype=dtype), use_resource=True)
        values["ref"] = _random(rng, "float32", [2, 3])
        variables["ref"] = tf.compat.v1.get_variable(
            "ref", initializer=tf.constant(values["ref"]), use_resource=False)
        values["part"] = _random(rng, "float32", [6, 2])

        def part_init(shape, dtype=None, partition_info=None):
            start = partition_info.var_offset[0]
            return tf.constant(values["part"][start:start + shape[0]], dtype=dtype)

        part = tf.compat.v1.get_variable(
            "part", shape=[6, 2], initializer=part_init,
            partitioner=tf.compat.v1.fixed_size_partitioner(3), use_resource=False)
        # A partitioned resource variable: TF 2.15's Saver adds
        # DisableCopyOnRead for it.
        values["rpart"] = _random(rng, "float32", [4, 3])

        def rpart_init(shape, dtype=None, partition_info=None):
            start = partition_info.var_offset[0]
            return tf.constant(values["rpart"][start:start + shape[0]], dtype=dtype)

        rpart = tf.compat.v1.get_variable(
            "rpart", shape=[4, 3], initializer=rpart_init,
            partitioner=tf.compat.v1.fixed_size_partitioner(2), use_resource=True)
        saver = tf.compat.v1.train.Saver(sharded=sharded)
        tf.compat.v1.global_variables_initializer()  # the op "init"
    return g, saver, values, variables, {"part": part, "rpart": rpart}


def _read_after(tf, graph, op_name, variables, parts):
    """Tensors reading every variable after op `op_name` ran (control edges)."""
    reads = {}
    with graph.as_default():
        with tf.control_dependencies([graph.get_operation_by_name(op_name)]):
            for name, v in variables.items():
                key = name.replace("/", "_")
                # read_value() makes a new read op (under the control edge).
                reads[key] = tf.identity(v.read_value(), name=f"after_restore/{key}")
            for key, part in parts.items():
                pieces = [p.read_value() for p in part]
                reads[key] = tf.concat(pieces, 0, name=f"after_restore/{key}")
    return reads


def _run_cli(run_tf1hub, workdir, graph_def, feeds=None, fetches=None, targets=()):
    """`tf1hub graph run`; returns (CliResult, {key: array})."""
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    graph_path = workdir / "graph.pb"
    graph_path.write_bytes(graph_def.SerializeToString())
    args = ["graph", "run", str(graph_path)]
    for i, (name, value) in enumerate((feeds or {}).items()):
        path = workdir / f"feed{i}.npy"
        np.save(path, value, allow_pickle=False)
        args += ["--feed", f"{name}={path}"]
    for key, tensor in (fetches or {}).items():
        args += ["--fetch", f"{key}={tensor}"]
    for target in targets:
        args += ["--target", target]
    out_dir = workdir / "out"
    args += ["--out", str(out_dir)]
    result = run_tf1hub(*args)
    outputs = {}
    if result.returncode == 0:
        for key in fetches or {}:
            outputs[key] = np.load(out_dir / f"{key}.npy", allow_pickle=False)
    return result, outputs


def _prefix_feed(saver, path):
    return {saver.saver_def.filename_tensor_name: np.array(str(path).encode())}


def _check_restore_in_tf1hub(tf, run_tf1hub, tmp_path, sharded):
    g, saver, values, variables, part = _saver_graph(tf, np.random.default_rng(7), sharded)
    reads = _read_after(tf, g, saver.saver_def.restore_op_name, variables, part)
    ckpt = tmp_path / "tf_ckpt" / "model.ckpt"
    ckpt.parent.mkdir()
    with tf.compat.v1.Session(graph=g) as sess:
        sess.run("init")
        saved = saver.save(sess, str(ckpt), write_meta_graph=False, write_state=False)
    assert saved == str(ckpt)
    fetches = {k: t.name for k, t in reads.items()}
    result, actual = _run_cli(run_tf1hub, tmp_path / "restore", g.as_graph_def(),
                              feeds=_prefix_feed(saver, ckpt), fetches=fetches,
                              targets=[saver.saver_def.restore_op_name])
    assert result.returncode == 0, result.stderr
    for name, expected in values.items():
        key = name.replace("/", "_")
        assert_same(key, actual[key], expected, rtol=0, atol=0)


def _with_init_before_save(graph_def, saver):
    """Adds control edges from "init" to the nodes that read the saved values."""
    nodes = {n.name: n for n in graph_def.node}
    save = next(n for n in graph_def.node if n.op == "SaveV2")
    pending = [inp.split(":")[0] for inp in list(save.input)[3:]]
    seen = set()
    while pending:
        node = nodes[pending.pop()]
        if node.name in seen or node.op in ("VarHandleOp", "VariableV2", "Const"):
            continue
        seen.add(node.name)
        node.input.append("^init")
        pending += [i.split(":")[0] for i in node.input if not i.startswith("^")]
    save.input.append("^init")
    return graph_def


def _with_precomputed_temp_name(tf, graph_def, temp_prefix):
    """Replaces the sharded saver's temp-name subgraph (StaticRegexFullMatch,
    Select, StringJoin) by a constant holding its value."""
    drop = {"save/StaticRegexFullMatch", "save/Const_1", "save/Const_2", "save/Select"}
    kept = [n for n in graph_def.node if n.name not in drop]
    del graph_def.node[:]
    graph_def.node.extend(kept)
    join = next(n for n in graph_def.node if n.name == "save/StringJoin")
    join.op = "Const"
    del join.input[:]
    join.attr.clear()
    join.attr["dtype"].type = tf.string.as_datatype_enum
    join.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(temp_prefix.encode()))
    return graph_def


def _check_save_in_tf1hub(tf, run_tf1hub, tmp_path, sharded, precompute_temp_name=False):
    g, saver, values, variables, part = _saver_graph(tf, np.random.default_rng(11), sharded)
    graph_def = _with_init_before_save(g.as_graph_def(), saver)
    ckpt = tmp_path / "tf1hub_ckpt" / "model.ckpt"
    os.makedirs(ckpt.parent)
    if precompute_temp_name:
        graph_def = _with_precomputed_temp_name(tf, graph_def, f"{ckpt}_temp/part")
    save_tensor = saver.saver_def.save_tensor_name
    result, actual = _run_cli(run_tf1hub, tmp_path / "save", graph_def,
                              feeds=_prefix_feed(saver, ckpt),
                              fetches={"path": save_tensor},
                              targets=[save_tensor.split(":")[0]])
    assert result.returncode == 0, result.stderr
    assert actual["path"].item() == str(ckpt).encode()
    files = sorted(os.listdir(ckpt.parent))
    shards = "00000-of-00001"
    assert files == [f"model.ckpt.data-{shards}", "model.ckpt.index"], files

    # TensorFlow's Saver reads it back into freshly zeroed variables.
    with g.as_default():
        zero = tf.group(*[tf.compat.v1.assign(v, tf.zeros_like(v)) for v in
                          list(variables.values()) + [p for ps in part.values() for p in ps]])
    with tf.compat.v1.Session(graph=g) as sess:
        sess.run("init")
        sess.run(zero)
        saver.restore(sess, str(ckpt))
        got = {name: sess.run(v) for name, v in variables.items()}
        for key, ps in part.items():
            got[key] = np.concatenate([sess.run(p) for p in ps], 0)
    for name, expected in values.items():
        assert_same(name, got[name], expected, rtol=0, atol=0)


def test_saver_restore_in_tf1hub(tf, run_tf1hub, tmp_path):
    _check_restore_in_tf1hub(tf, run_tf1hub, tmp_path, sharded=False)


def test_saver_save_in_tf1hub(tf, run_tf1hub, tmp_path):
    _check_save_in_tf1hub(tf, run_tf1hub, tmp_path, sharded=False)


def test_sharded_saver_restore_in_tf1hub(tf, run_tf1hub, tmp_path):
    _check_restore_in_tf1hub(tf, run_tf1hub, tmp_path, sharded=True)


def test_sharded_saver_save_in_tf1hub(tf, run_tf1hub, tmp_path):
    _check_save_in_tf1hub(tf, run_tf1hub, tmp_path, sharded=True)


def test_sharded_saver_save_with_precomputed_temp_name(tf, run_tf1hub, tmp_path):
    """The sharded save path (ShardedFilename, SaveV2 into a temp directory,
    Pack, MergeV2Checkpoints deleting it) with the temp name given."""
    _check_save_in_tf1hub(tf, run_tf1hub, tmp_path, sharded=True, precompute_temp_name=True)


# ---------------------------------------------------------------------------
# (b) The ops alone.

def _tf_checkpoint(tf, path):
    """A checkpoint written by TensorFlow: whole tensors and a partitioned one."""
    w = np.arange(24, dtype=np.float32).reshape(4, 6)
    d = np.arange(10, dtype=np.float64)
    ints = np.arange(12, dtype=np.int64).reshape(2, 3, 2)
    strings = np.array([b"a", b"bc", b"", b"def"], dtype=object)
    p = np.arange(12, dtype=np.float32).reshape(6, 2)
    q = np.arange(4, dtype=np.float32).reshape(2, 2)  # half of a [4,2] tensor
    tf.raw_ops.SaveV2(prefix=str(path), tensor_names=["w", "d", "i", "s", "p", "p", "q"],
                      shape_and_slices=["", "", "", "", "6 2 0,3:-", "6 2 3,3:-", "4 2 0,2:-"],
                      tensors=[w, d, ints, strings, p[:3], p[3:], q])


SLICE_CASES = [
    ("w", "float32", ""),
    ("w", "float32", "4 6 -:-"),
    ("w", "float32", "4 6 1,2:-"),
    ("w", "float32", "4 6 -:2,3"),
    ("w", "float32", "4 6 3,1:5,1"),
    ("w", "float32", "4 6 0,4:0,6"),
    ("d", "float64", "10 4,6"),
    ("i", "int64", "2 3 2 1,1:0,2:1,1"),
    ("i", "int64", "2 3 2 -:1,2:-"),
    ("s", "string", ""),
    ("s", "string", "4 -"),
    ("p", "float32", ""),
    ("p", "float32", "6 2 3,3:-"),
    ("p", "float32", "6 2 2,2:-"),
    ("p", "float32", "6 2 1,4:1,1"),
    ("q", "float32", "4 2 0,2:-"),
    ("q", "float32", "4 2 1,1:1,1"),
]


def test_restore_v2_slices(tf, run_tf1hub, tmp_path):
    ckpt = tmp_path / "ck"
    _tf_checkpoint(tf, ckpt)
    g = tf.Graph()
    fetches = {}
    with g.as_default():
        prefix = tf.compat.v1.placeholder(tf.string, [], name="prefix")
        for k, (name, dtype, spec) in enumerate(SLICE_CASES):
            out = tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=[name],
                                       shape_and_slices=[spec], dtypes=[dtype])
            fetches[f"k{k}"] = out[0].name
        # Several tensors in one op, in an order other than the names'.
        many = tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=["w", "d", "s", "w"],
                                    shape_and_slices=["", "10 0,3", "", "4 6 2,2:-"],
                                    dtypes=["float32", "float64", "string", "float32"])
        for j, t in enumerate(many):
            fetches[f"many{j}"] = t.name
    compare_graph(run_tf1hub, tmp_path / "run", g, {"prefix": np.array(str(ckpt).encode())},
                  fetches)


RESTORE_ERRORS = [
    # (names, specs, dtypes, TensorFlow's message)
    (["zz"], [""], ["float32"], "Key zz not found in checkpoint"),
    (["w"], [""], ["float64"],
     "tensor_name = w; expected dtype double does not equal original dtype float"),
    # All mismatches, in data-file order (w was saved before d).
    (["d", "w"], ["", ""], ["int32", "int32"],
     "tensor_name = w; expected dtype int32 does not equal original dtype float\n"
     "tensor_name = d; expected dtype int32 does not equal original dtype double"),
    # The first read error in data-file order.
    (["d", "w"], ["11 0,1", "4 7 0,1:-"], ["float64", "float32"],
     "tensor_name = w; shape in shape_and_slice spec [4,7] does not match the shape stored "
     "in checkpoint: [4,6]"),
    (["w"], ["4 7 0,1:-"], ["float32"],
     "tensor_name = w; shape in shape_and_slice spec [4,7] does not match the shape stored "
     "in checkpoint: [4,6]"),
    (["w"], ["4 6 3,2:-"], ["float32"],
     "Extent in dimension 0 out of bounds: shape = [4,6], slice = 3,2:-"),
    (["w"], ["4 6 -"], ["float32"], "Mismatching ranks: shape = [4,6], slice = -"),
    (["w"], ["junk"], ["float32"],
     "Need least two elements in shape_and_slice specification: junk"),
    (["w"], ["4 6 a,b:-"], ["float32"],
     "Expected a pair of numbers or '-' but got 'a,b': string = a,b:-"),
    (["w"], ["4 6 0,0:-"], ["float32"],
     "Expected non-negative start and positive length but got start = 0, length = 0: "
     "string = 0,0:-"),
    (["w"], ["4 x 0,1:-"], ["float32"], "Non numerical dimension in shape_and_slice: 4 x 0,1:-"),
    (["q"], ["4 2 1,2:1,1"], ["float32"],
     "Does not have sufficient slices for partitioned tensor q to restore in slice_spec: "
     "1,2:1,1"),
    (["q"], [""], ["float32"],
     "Does not have sufficient slices for partitioned tensor q to restore in slice_spec: -:-"),
]


def _tf_error(tf, fn):
    try:
        fn()
    except tf.errors.OpError as e:
        return type(e).__name__, e.message
    raise AssertionError("TensorFlow did not fail")


@pytest.mark.parametrize("case", range(len(RESTORE_ERRORS)))
def test_restore_v2_errors(tf, run_tf1hub, tmp_path, case):
    names, specs, dtypes, message = RESTORE_ERRORS[case]
    ckpt = tmp_path / "ck"
    _tf_checkpoint(tf, ckpt)
    g = tf.Graph()
    with g.as_default():
        prefix = tf.compat.v1.placeholder(tf.string, [], name="prefix")
        # Fed, so that TensorFlow's shape function cannot reject them first.
        spec_t = tf.compat.v1.placeholder(tf.string, [len(specs)], name="specs")
        out = tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=names, shape_and_slices=spec_t,
                                   dtypes=dtypes, name="restore")
    feeds = {"prefix": np.array(str(ckpt).encode()),
             "specs": np.array([x.encode() for x in specs], dtype=object)}
    with tf.compat.v1.Session(graph=g) as sess:
        _, tf_message = _tf_error(
            tf, lambda: sess.run(out, {prefix: feeds["prefix"], spec_t: feeds["specs"]}))
    assert message in tf_message, tf_message  # the oracle agrees with the table
    feeds["specs"] = np.array([x.encode() for x in specs], dtype="S")
    result, _ = _run_cli(run_tf1hub, tmp_path / "run", g.as_graph_def(),
                         feeds=feeds, fetches={"out": out[0].name})
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


def test_restore_v2_missing_checkpoint(tf, run_tf1hub, tmp_path):
    missing = tmp_path / "nothing" / "ck"
    g = tf.Graph()
    with g.as_default():
        out = tf.raw_ops.RestoreV2(prefix=str(missing), tensor_names=["w"],
                                   shape_and_slices=[""], dtypes=["float32"])
    with tf.compat.v1.Session(graph=g) as sess:
        kind, tf_message = _tf_error(tf, lambda: sess.run(out))
    assert kind == "NotFoundError"
    message = ("Unsuccessful TensorSliceReader constructor: Failed to find any matching files "
               f"for {missing}")
    assert message in tf_message
    result, _ = _run_cli(run_tf1hub, tmp_path / "run", g.as_graph_def(),
                         fetches={"out": out[0].name})
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


def _save_graph(tf, prefix_value, names, specs, tensors):
    g = tf.Graph()
    with g.as_default():
        save = tf.raw_ops.SaveV2(prefix=prefix_value, tensor_names=names,
                                 shape_and_slices=specs,
                                 tensors=[tf.constant(t) for t in tensors], name="save")
    return g, save


def test_save_v2_bytes_equal_tensorflows(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(3)
    big = rng.normal(size=(300, 7)).astype(np.float32)
    names = ["b", "a", "part", "part", "s", "h", "c", "full"]
    specs = ["", "", "10 3 0,4:-", "10 3 4,6:-", "", "", "", "2 2 -:-"]
    tensors = [big, rng.integers(-5, 5, [4], dtype=np.int16),
               rng.normal(size=(4, 3)), rng.normal(size=(6, 3)),
               np.array([b"x", b"", b"yz" * 100], dtype=object),
               rng.normal(size=5).astype(np.float16),
               (rng.normal(size=3) + 1j).astype(np.complex128),
               np.ones((2, 2), np.uint16)]
    tf_prefix = tmp_path / "tf" / "ck"
    ours = tmp_path / "ours" / "ck"
    g, save = _save_graph(tf, str(tf_prefix), names, specs, tensors)
    with tf.compat.v1.Session(graph=g) as sess:
        sess.run(save)
    g, _ = _save_graph(tf, str(ours), names, specs, tensors)
    result, _ = _run_cli(run_tf1hub, tmp_path / "run", g.as_graph_def(), targets=["save"])
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(ours.parent)) == sorted(os.listdir(tf_prefix.parent))
    for name in os.listdir(tf_prefix.parent):
        assert (ours.parent / name).read_bytes() == (tf_prefix.parent / name).read_bytes(), name


def test_save_v2_errors(tf, run_tf1hub, tmp_path):
    cases = [
        (["a", "a"], ["", ""], [np.float32(1), np.float32(2)], "Adding duplicate key: a"),
        (["a"], ["4 2 0,2:-"], [np.zeros((3, 2), np.float32)],
         "Slice in shape_and_slice specification does not match the shape of the tensor to  "
         "save: 4 2 0,2:-, tensor: [3,2]"),
        (["a"], ["zz"], [np.float32(1)],
         "Need least two elements in shape_and_slice specification: zz"),
    ]
    for k, (names, specs, tensors, message) in enumerate(cases):
        g, save = _save_graph(tf, str(tmp_path / f"tf{k}" / "ck"), names, specs, tensors)
        with tf.compat.v1.Session(graph=g) as sess:
            _, tf_message = _tf_error(tf, lambda: sess.run(save))
        assert message in tf_message, tf_message
        g, _ = _save_graph(tf, str(tmp_path / f"ours{k}" / "ck"), names, specs, tensors)
        result, _ = _run_cli(run_tf1hub, tmp_path / f"run{k}", g.as_graph_def(),
                             targets=["save"])
        assert result.returncode != 0
        assert message in result.stderr, result.stderr
    # Missing parent directories: TensorFlow creates one level only.
    deep = tmp_path / "x" / "y" / "ck"
    g, save = _save_graph(tf, str(deep), ["a"], [""], [np.float32(1)])
    with tf.compat.v1.Session(graph=g) as sess:
        kind, tf_message = _tf_error(tf, lambda: sess.run(save))
    assert kind == "NotFoundError"
    message = f"{deep.parent}; No such file or directory"
    assert message in tf_message, tf_message
    result, _ = _run_cli(run_tf1hub, tmp_path / "rundeep", g.as_graph_def(), targets=["save"])
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


def _tree(root):
    out = {}
    for dirpath, dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for d in dirs:
            out[os.path.normpath(os.path.join(rel, d)) + "/"] = None
        for f in files:
            out[os.path.normpath(os.path.join(rel, f))] = (pathlib.Path(dirpath) / f).read_bytes()
    return out


def _merge_layout(tf, root):
    """Shards as a sharded Saver writes them, plus a kept directory."""
    save = tf.raw_ops.SaveV2
    root.mkdir()
    save(prefix=str(root / "model_temp" / "part-00000-of-00002"), tensor_names=["a", "p"],
         shape_and_slices=["", "4 0,2"], tensors=[np.float32(1), np.ones(2, np.float32)])
    save(prefix=str(root / "model_temp" / "part-00001-of-00002"), tensor_names=["b", "p"],
         shape_and_slices=["", "4 2,2"], tensors=[np.int64(2), np.zeros(2, np.float32)])
    save(prefix=str(root / "keep" / "p0"), tensor_names=["c"], shape_and_slices=[""],
         tensors=[np.arange(3, dtype=np.int32)])
    (root / "keep" / "other").write_text("x")


def _merge_graph(tf, root):
    g = tf.Graph()
    with g.as_default():
        m1 = tf.raw_ops.MergeV2Checkpoints(
            checkpoint_prefixes=[str(root / "model_temp" / "part-00000-of-00002"),
                                 str(root / "model_temp" / "part-00001-of-00002")],
            destination_prefix=str(root / "model"), name="m1")
        with tf.control_dependencies([m1]):
            tf.raw_ops.MergeV2Checkpoints(
                checkpoint_prefixes=[str(root / "keep" / "p0"), str(root / "missing" / "p")],
                destination_prefix=str(root / "kept"), allow_missing_files=True, name="m2")
    return g


def test_merge_v2_checkpoints_like_tensorflow(tf, run_tf1hub, tmp_path):
    tf_root, ours = tmp_path / "tf", tmp_path / "ours"
    for root in (tf_root, ours):
        _merge_layout(tf, root)
    with tf.compat.v1.Session(graph=_merge_graph(tf, tf_root)) as sess:
        sess.run("m2")
    result, _ = _run_cli(run_tf1hub, tmp_path / "run", _merge_graph(tf, ours).as_graph_def(),
                         targets=["m2"])
    assert result.returncode == 0, result.stderr
    expected, actual = _tree(tf_root), _tree(ours)
    assert sorted(actual) == sorted(expected)
    for name, data in expected.items():
        assert actual[name] == data, name
    reader = tf.train.load_checkpoint(str(ours / "model"))
    np.testing.assert_array_equal(reader.get_tensor("p"), [1, 1, 0, 0])


def test_sharded_filename_and_filespec(tf, run_tf1hub, tmp_path):
    g = tf.Graph()
    fetches = {}
    cases = [("a/b", 3, 12), ("model_temp/part", 0, 1), ("x", 123456, 1234567), ("y", -1, -2)]
    with g.as_default():
        for k, (base, shard, num) in enumerate(cases):
            fetches[f"name{k}"] = tf.raw_ops.ShardedFilename(
                basename=base, shard=shard, num_shards=num).name
            fetches[f"spec{k}"] = tf.raw_ops.ShardedFilespec(basename=base, num_shards=num).name
    compare_graph(run_tf1hub, tmp_path, g, {}, fetches)
