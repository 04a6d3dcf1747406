"""Us -> TF: variables, initializers, regularizers and layers built with
tf1hub's API (include/tf1hub/graph/{variables,initializers,regularizers,
layers}.h), checked against TensorFlow 2.15's tf.compat.v1 building the same
programs (interop/_layer_graphs_tf.py):

  * node by node: same names, ops, inputs, devices and attrs, and the same
    VariableDefs and collections;
  * our MetaGraphDefs import with tf.compat.v1.import_graph_def and
    tf.compat.v1.train.import_meta_graph (which runs Variable.from_proto on
    every VariableDef);
  * TensorFlow computes the same values on our graph as on its own, and our
    Session computes them too (1e-5 * (1 + |expected|)).

Our graphs come from src/tf1hub/graph/tools/write_layer_graphs.cc (binary
tf1hub_write_layer_graphs, or $TF1HUB_WRITE_LAYER_GRAPHS); our Session runs
through tf1hub_run_layer_graphs ($TF1HUB_RUN_LAYER_GRAPHS).

Known differences, asserted as such:
  * TF 2.15 adds `_has_manual_control_dependencies` to ops used as control
    dependencies and full types (NodeDef.experimental_type) to some ops; our
    graph layer does not; TF needs neither.
  * TF 2.15 builds get_variable's regularizer lazily and, to test it for
    None, once more at the root (nodes L2Loss, mul, ...); we build it once.
  * We do not write the cond_context collection (CondContextDef); TF imports
    and differentiates Switch/Merge graphs without it.
  * Node order: we create a variable's handle before its initializer.
"""
import json
import os
import pathlib
import subprocess

import numpy as np
import pytest

import _layer_graphs_tf as tf_graphs

# tf.compat.v1.layers warns that it is deprecated, once per call.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

REPO = pathlib.Path(__file__).resolve().parent.parent
BUILD_DIRS = ["build", "build-layers", "build-graph"]

CASES = list(tf_graphs.BUILDERS)
MLP_CASES = [c for c in CASES if c.startswith("mlp_")]
# Attrs/fields TensorFlow's Python adds that our graph layer does not.
TF_ONLY_ATTRS = {"_has_manual_control_dependencies"}
# TF 2.15's extra nodes from the lazy get_variable regularizer (see above).
TF_ONLY_NODES = {"variables": {"L2Loss", "L2Loss/ReadVariableOp", "mul", "mul/x"}}
VARIABLE_COLLECTIONS = ("variables", "trainable_variables", "model_variables", "local_variables")
X = (np.arange(12, dtype=np.float32).reshape(3, 4) * 0.37 - 1.5).astype(np.float32)


def _tool(env_name, binary):
    env = os.environ.get(env_name)
    if env:
        return env
    for d in BUILD_DIRS:
        path = REPO / d / "src" / "tf1hub" / "graph" / binary
        if path.is_file():
            return str(path)
    pytest.fail(f"{binary} not found: set {env_name} or build the target", pytrace=False)


@pytest.fixture(scope="module")
def ours_dir(tmp_path_factory):
    writer = _tool("TF1HUB_WRITE_LAYER_GRAPHS", "tf1hub_write_layer_graphs")
    out = tmp_path_factory.mktemp("layer_graphs")
    proc = subprocess.run([writer, str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


def _meta(tf, ours_dir, case):
    meta = tf.compat.v1.MetaGraphDef()
    meta.ParseFromString((ours_dir / f"{case}.meta.pb").read_bytes())
    return meta


def _normalized(node):
    node = type(node).FromString(node.SerializeToString())
    for key in TF_ONLY_ATTRS:
        if key in node.attr:
            del node.attr[key]
    node.ClearField("experimental_type")
    data = [i for i in node.input if not i.startswith("^")]
    control = sorted(i for i in node.input if i.startswith("^"))
    del node.input[:]
    node.input.extend(data + control)
    return node


@pytest.mark.parametrize("case", CASES)
def test_nodes_match_tensorflow(tf, ours_dir, case):
    ours = {n.name: n for n in _meta(tf, ours_dir, case).graph_def.node}
    theirs = {n.name: n for n in tf_graphs.build(case).as_graph_def().node}
    tf_only = TF_ONLY_NODES.get(case, set())
    assert set(theirs) - set(ours) == tf_only
    assert set(ours) - set(theirs) == set()
    mismatched = [name for name in ours if _normalized(ours[name]) != _normalized(theirs[name])]
    assert not mismatched, "\n".join(
        f"{name}:\n ours   {_normalized(ours[name])}\n theirs {_normalized(theirs[name])}"
        for name in mismatched[:5])


@pytest.mark.parametrize("case", CASES)
def test_collections_match_tensorflow(tf, ours_dir, case):
    meta = _meta(tf, ours_dir, case)
    graph = tf_graphs.build(case)
    with graph.as_default():
        keys = set(graph.get_all_collection_keys()) - {"cond_context"}
        assert set(meta.collection_def) == {k for k in keys if graph.get_collection(k)}
        for key in keys:
            values = graph.get_collection(key)
            if not values:
                continue
            ours = meta.collection_def[key]
            if key in VARIABLE_COLLECTIONS:
                # VariableDefs byte for byte, as Variable.to_proto writes them.
                assert list(ours.bytes_list.value) == [
                    v.to_proto().SerializeToString() for v in values], key
            else:
                assert list(ours.node_list.value) == [v.name for v in values], key


@pytest.mark.parametrize("case", CASES)
def test_import_graph_def(tf, ours_dir, case):
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.import_graph_def(_meta(tf, ours_dir, case).graph_def, name="")
    assert len(graph.get_operations()) == len(_meta(tf, ours_dir, case).graph_def.node)


@pytest.mark.parametrize("case", CASES)
def test_import_meta_graph_restores_variables(tf, ours_dir, case):
    """import_meta_graph runs Variable.from_proto on every VariableDef."""
    tf1 = tf.compat.v1
    theirs = tf_graphs.build(case)
    graph = tf.Graph()
    with graph.as_default():
        tf1.train.import_meta_graph(_meta(tf, ours_dir, case))
        for key in VARIABLE_COLLECTIONS:
            ours = graph.get_collection(key)
            with theirs.as_default():
                expected = theirs.get_collection(key)
                expected_protos = [v.to_proto() for v in expected]
            assert [v.name for v in ours] == [v.name for v in expected], key
            for v, want in zip(ours, expected_protos):
                assert v.initializer.name == want.initializer_name
                assert v.to_proto() == want
        with tf1.Session() as sess:
            if graph.get_collection("variables"):
                sess.run(tf1.global_variables_initializer())
                uninitialized = sess.run(tf1.report_uninitialized_variables())
                assert len(uninitialized) == 0


def _run_tf(tf, graph, training, with_update=False):
    """init, then out/loss for x (and t); with_update also runs update_ops and
    reads the moving statistics afterwards."""
    tf1 = tf.compat.v1
    with graph.as_default(), tf1.Session() as sess:
        sess.run(graph.get_operation_by_name("init"))
        feeds = {"x:0": X, "t:0": training}
        updates = graph.get_collection(tf1.GraphKeys.UPDATE_OPS) if with_update else []
        out, loss = sess.run(["out:0", "loss:0"], feeds)
        if not updates:
            return {"out": out, "loss": loss}
        sess.run(updates, feeds)
        mean, var = sess.run(["batch_normalization/moving_mean/Read/ReadVariableOp:0",
                              "batch_normalization/moving_variance/Read/ReadVariableOp:0"])
        return {"out": out, "loss": loss, "moving_mean": mean, "moving_variance": var}


def _import_meta(tf, meta):
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.train.import_meta_graph(meta)
    return graph


@pytest.mark.parametrize("case", MLP_CASES)
@pytest.mark.parametrize("training", [True, False])
def test_tensorflow_computes_the_same_on_our_graph(tf, ours_dir, case, training):
    ours = _run_tf(tf, _import_meta(tf, _meta(tf, ours_dir, case)), training, with_update=True)
    theirs = _run_tf(tf, tf_graphs.build(case), training, with_update=True)
    assert ours.keys() == theirs.keys()
    for key in ours:
        np.testing.assert_array_equal(ours[key], theirs[key], err_msg=key)


COMPUTED_OPS = {"MatMul", "BiasAdd", "Relu", "Tanh", "Sigmoid", "AddV2", "Mul", "SelectV2",
                "FusedBatchNormV3", "Merge", "Identity", "Rsqrt", "Squeeze"}


def _computed_tensors(graph):
    """Outputs of the value-computing ops, skipping cond branches (dead
    tensors) but keeping their Merges."""
    names = []
    for op in graph.get_operations():
        inside_cond = "/cond" in op.name and op.type != "Merge"
        if op.type in COMPUTED_OPS and not inside_cond and op.outputs:
            names.append(op.outputs[0].name)
    return names


def _feeds(graph, training):
    feeds = {}
    for op in graph.get_operations():
        if op.type != "Placeholder":
            continue
        out = op.outputs[0]
        if out.dtype.is_bool:
            feeds[out.name] = training
        else:
            shape = [3 if d is None else d for d in out.shape.as_list()]
            n = int(np.prod(shape))
            feeds[out.name] = (np.sin(np.arange(n, dtype=np.float64)) * 2).reshape(shape).astype(
                np.float32)
    return feeds


@pytest.mark.parametrize("case", ["dense", "dropout", "batch_norm", "batch_norm_fused"])
@pytest.mark.parametrize("training", [True, False])
def test_tensorflow_runs_our_layer_graphs(tf, ours_dir, case, training):
    """TF initialises and runs every layer of our graph, with the values it
    computes on its own graph."""
    tf1 = tf.compat.v1
    theirs_graph = tf_graphs.build(case)
    # import_meta_graph adds a Saver (save/...); fetch what TF's graph has.
    names = _computed_tensors(theirs_graph)
    results = []
    for graph in (_import_meta(tf, _meta(tf, ours_dir, case)), theirs_graph):
        with graph.as_default(), tf1.Session() as sess:
            if graph.get_collection("variables"):
                sess.run(graph.get_operation_by_name("init"))
            results.append(dict(zip(names, sess.run(names, _feeds(graph, training)))))
    ours, theirs = results
    assert ours.keys() == theirs.keys() and ours
    for name in ours:
        np.testing.assert_array_equal(ours[name], theirs[name], err_msg=name)


def _run_ours(tmp_path, case_path, training, update_ops):
    runner = _tool("TF1HUB_RUN_LAYER_GRAPHS", "tf1hub_run_layer_graphs")
    np.save(tmp_path / "x.npy", X)
    np.save(tmp_path / "t.npy", np.array(training))
    feeds = {"x:0": str(tmp_path / "x.npy"), "t:0": str(tmp_path / "t.npy")}
    runs = [
        {"targets": ["init"]},
        {"feeds": feeds, "fetches": {"out:0": str(tmp_path / "out.npy"),
                                     "loss:0": str(tmp_path / "loss.npy")}},
    ]
    if update_ops:
        runs.append({"feeds": feeds, "targets": update_ops})
        runs.append({"fetches": {
            "batch_normalization/moving_mean/Read/ReadVariableOp:0": str(tmp_path / "moving_mean.npy"),
            "batch_normalization/moving_variance/Read/ReadVariableOp:0":
                str(tmp_path / "moving_variance.npy")}})
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"graph": str(case_path), "runs": runs}))
    proc = subprocess.run([runner, str(spec)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    names = ["out", "loss"] + (["moving_mean", "moving_variance"] if update_ops else [])
    return {name: np.load(tmp_path / f"{name}.npy") for name in names}


@pytest.mark.parametrize("case", MLP_CASES)
@pytest.mark.parametrize("training", [True, False])
def test_our_session_computes_what_tensorflow_computes(tf, ours_dir, tmp_path, case, training):
    meta = _meta(tf, ours_dir, case)
    update_ops = list(meta.collection_def["update_ops"].node_list.value) \
        if "update_ops" in meta.collection_def else []
    expected = _run_tf(tf, tf_graphs.build(case), training, with_update=True)
    got = _run_ours(tmp_path, ours_dir / f"{case}.meta.pb", training, update_ops)
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        assert got[key].shape == want.shape, key
        error = np.abs(got[key].astype(np.float64) - want)
        bound = 1e-5 * (1 + np.abs(want))
        assert np.all(error <= bound), f"{key}: max error {error.max()}, ours {got[key]}, TF {want}"

