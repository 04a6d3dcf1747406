"""Us -> TF: GraphDefs built with tf1hub's graph API (Scope, op
constructors, ImportGraphDef), imported by TensorFlow 2.15 with
tf.compat.v1.import_graph_def and run in a TF1 Session.

The graphs come from src/tf1hub/graph/tools/write_test_graphs.cc (binary
tf1hub_write_test_graphs; $TF1HUB_WRITE_TEST_GRAPHS or the build tree).
Everything asserted here (names, attrs, values) is what that program builds,
written down independently.
"""
import os
import pathlib
import subprocess

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
WRITER_CANDIDATES = [
    REPO / "build" / "src" / "tf1hub" / "graph" / "tf1hub_write_test_graphs",
    REPO / "build-graph" / "src" / "tf1hub" / "graph" / "tf1hub_write_test_graphs",
]


@pytest.fixture(scope="module")
def graphs_dir(tmp_path_factory):
    writer = os.environ.get("TF1HUB_WRITE_TEST_GRAPHS")
    if not writer:
        found = [p for p in WRITER_CANDIDATES if p.is_file()]
        if not found:
            pytest.fail("tf1hub_write_test_graphs not found: set TF1HUB_WRITE_TEST_GRAPHS "
                        "or build the target", pytrace=False)
        writer = str(found[0])
    out = tmp_path_factory.mktemp("graphs")
    proc = subprocess.run([writer, str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


def _load(tf, graphs_dir, name):
    graph_def = tf.compat.v1.GraphDef()
    graph_def.ParseFromString((graphs_dir / name).read_bytes())
    return graph_def


def _import(tf, graph_def):
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.import_graph_def(graph_def, name="")
    return graph


def _run(graph, fetches, feeds=None, targets=()):
    import tensorflow as tf

    with tf.compat.v1.Session(graph=graph) as sess:
        for target in targets:
            sess.run(graph.get_operation_by_name(target))
        feed_dict = {graph.get_tensor_by_name(k): v for k, v in (feeds or {}).items()}
        return sess.run([graph.get_tensor_by_name(f) for f in fetches], feed_dict)


def _dense_expected(x, kernel):
    bias = np.array([0.5, -1.0], np.float32)
    return np.maximum(x @ kernel + bias, 0)


KERNEL = np.array([[1, 2], [3, 4], [5, 6]], np.float32)
X = np.array([[1, 0, -1], [0.5, 2, 1]], np.float32)


@pytest.mark.parametrize("name", ["dense.pb", "dense_stripped.pb"])
def test_dense_graph_imports_and_runs(tf, graphs_dir, name):
    graph_def = _load(tf, graphs_dir, name)
    assert graph_def.versions.producer == 1645
    assert [n.name for n in graph_def.node] == [
        "x", "dense/kernel", "dense/bias", "dense/MatMul", "dense/BiasAdd", "out", "Const",
        "total"]
    matmul = graph_def.node[3]
    assert matmul.op == "MatMul" and list(matmul.input) == ["x", "dense/kernel"]
    if name == "dense.pb":
        assert sorted(matmul.attr) == ["T", "transpose_a", "transpose_b"]
    else:  # export_meta_graph(strip_default_attrs=True) keeps only T
        assert sorted(matmul.attr) == ["T"]
        assert sorted(graph_def.node[4].attr) == ["T"]  # BiasAdd: data_format stripped
        assert sorted(graph_def.node[7].attr) == ["T", "keep_dims"]  # Sum: Tidx stripped
    graph = _import(tf, graph_def)
    # After import TF has filled the defaults back in.
    op = graph.get_operation_by_name("dense/BiasAdd")
    assert op.get_attr("data_format") == b"NHWC"
    assert graph.get_operation_by_name("x").get_attr("shape") == tf.TensorShape([None, 3])
    out, total = _run(graph, ["out:0", "total:0"], {"x:0": X})
    expected = _dense_expected(X, KERNEL)
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    np.testing.assert_allclose(total, expected.sum(keepdims=True), rtol=1e-6)


def test_const_values_and_encodings(tf, graphs_dir):
    graph_def = _load(tf, graphs_dir, "consts.pb")
    nodes = {n.name: n for n in graph_def.node}
    # Encodings as tf.constant writes them.
    assert nodes["f32_scalar"].attr["value"].tensor.float_val == [1.5]
    assert nodes["f32_matrix"].attr["value"].tensor.tensor_content != b""
    assert nodes["f32_one"].attr["value"].tensor.float_val == [7.0]
    assert list(nodes["bool"].attr["value"].tensor.bool_val) == [True, False, True]
    assert list(nodes["u16"].attr["value"].tensor.int_val) == [0, 65535]
    assert nodes["f16"].attr["value"].tensor.tensor_content != b""
    assert list(nodes["filled"].attr["value"].tensor.float_val) == [0.25]
    assert list(nodes["strings"].attr["value"].tensor.string_val) == [
        b"", "héllo".encode(), b"a\x00b"]
    for name, node in nodes.items():
        assert node.op == "Const"
        assert node.attr["dtype"].type == node.attr["value"].tensor.dtype, name
        # The same value tf.make_tensor_proto would write for the decoded array
        # (byte-identical encoding), except for the two single-value fills.
        value = tf.make_ndarray(node.attr["value"].tensor)
        if name not in ("filled", "filled_i64"):
            again = tf.make_tensor_proto(value, dtype=tf.as_dtype(node.attr["dtype"].type))
            assert again.SerializeToString() == node.attr["value"].tensor.SerializeToString(), name

    graph = _import(tf, graph_def)
    names = list(nodes)
    values = dict(zip(names, _run(graph, [n + ":0" for n in names])))
    expected = {
        "f32_scalar": np.float32(1.5),
        "f32_matrix": np.array([[1, -2, 3.25], [4, 5, 6]], np.float32),
        "f32_one": np.array([[7]], np.float32),
        "f32_empty": np.zeros((0, 2), np.float32),
        "f64": np.array([1e300, -2.5], np.float64),
        "i8": np.array([-128, 127], np.int8),
        "i16": np.array([-300, 300], np.int16),
        "i32": np.array([-7, 0, 7], np.int32),
        "i64": np.array([1 << 40, -1], np.int64),
        "u8": np.array([0, 255], np.uint8),
        "u16": np.array([0, 65535], np.uint16),
        "u32": np.array([4000000000], np.uint32),
        "u64": np.array([18000000000000000000, 1], np.uint64),
        "bool": np.array([True, False, True]),
        "c64": np.array([1 + 2j, -3 + 0.5j], np.complex64),
        "c128": np.complex128(0.25 - 8j),
        "strings": np.array([b"", "héllo".encode(), b"a\x00b"], object),
        "string_scalar": b"hub",
        "f16": np.array([1, -2, 0.5], np.float16),
        "bf16": None,  # checked below through its bits
        "filled": np.full((2, 2), 0.25, np.float32),
        "filled_i64": np.full((4,), -3, np.int64),
    }
    assert sorted(expected) == sorted(names)
    for name, want in expected.items():
        got = values[name]
        if name == "bf16":
            assert got.dtype.name == "bfloat16"
            np.testing.assert_array_equal(got.astype(np.float32), [1.5, -8.0])
            continue
        if isinstance(want, bytes):
            assert got == want
            continue
        want = np.asarray(want)
        assert got.dtype == want.dtype, name
        assert got.shape == want.shape, name
        if want.dtype == object:
            assert list(got) == list(want), name
        else:
            np.testing.assert_array_equal(got, want, err_msg=name)


def test_state_graph_variables_init_and_colocation(tf, graphs_dir):
    graph_def = _load(tf, graphs_dir, "state.pb")
    nodes = {n.name: n for n in graph_def.node}
    assert nodes["v"].device == "/device:CPU:0"
    assert nodes["v"].op == "VariableV2"
    # Assign is colocated with its ref input (and takes its device), as TF does.
    assert list(nodes["v/Assign"].attr["_class"].list.s) == [b"loc:@v"]
    assert nodes["v/Assign"].device == "/device:CPU:0"
    assert list(nodes["v_read"].attr["_class"].list.s) == [b"loc:@v"]
    assert list(nodes["init"].input) == ["^r/Assign", "^v/Assign"]
    assert list(nodes["r/Read"].input) == ["r", "^init"]
    graph = _import(tf, graph_def)
    v_read, read_r, bumped = _run(graph, ["v_read:0", "r/Read:0", "bumped:0"], targets=["init"])
    np.testing.assert_array_equal(v_read, np.array([3, 4], np.float32))
    assert read_r == 41 and bumped == 42


def test_imported_graph_prefixes_and_input_map(tf, graphs_dir):
    graph_def = _load(tf, graphs_dir, "imported.pb")
    nodes = {n.name: n for n in graph_def.node}
    assert list(nodes["module/dense/MatMul"].input) == ["feed", "module/dense/kernel"]
    assert list(nodes["module_1/dense/MatMul"].input) == ["feed", "kernel2"]
    assert list(nodes["result"].input) == ["module_1/out"]
    assert "module/x" in nodes  # mapped placeholders are still imported, as in TF
    graph = _import(tf, graph_def)
    first, result = _run(graph, ["module/out:0", "result:0"], {"feed:0": X})
    np.testing.assert_allclose(first, _dense_expected(X, KERNEL), rtol=1e-6)
    np.testing.assert_allclose(result, _dense_expected(X, 2 * KERNEL), rtol=1e-6)


def test_string_and_table_ops_run(tf, graphs_dir):
    graph = _import(tf, _load(tf, graphs_dir, "strings.pb"))
    text = np.array([b"cat, dog!", b"bird"], object)
    ids, values, joined, size, buckets = _run(
        graph, ["ids:0", "split:1", "joined:0", "size:0", "buckets:0"], {"text:0": text},
        targets=["table_init"])
    assert list(values) == [b"cat", b"dog", b"bird"]
    np.testing.assert_array_equal(ids, [0, 2, -1])
    assert list(joined) == [b"cat+cat", b"dog+dog", b"bird+bird"]
    assert size == 2
    assert buckets.shape == (3,) and buckets.dtype == np.int64
    assert all(0 <= b < 1000 for b in buckets)


def test_hand_built_while_loop_counts_to_ten(tf, graphs_dir):
    graph_def = _load(tf, graphs_dir, "loop.pb")
    merge = next(n for n in graph_def.node if n.name == "while/Merge")
    assert list(merge.input) == ["while/Enter", "while/NextIteration"]
    graph = _import(tf, graph_def)
    (result,) = _run(graph, ["result:0"])
    assert result == 10
