"""Helpers for interop tests that run TensorFlow graphs through `tf1hub graph run`.

A test builds a tf.Graph (graph mode, tf.compat.v1) whose inputs are
placeholders, then calls compare_graph(...): the graph is run by
TensorFlow's Session and by

    tf1hub graph run GRAPH.pb --feed NAME=FILE.npy ... --fetch KEY=TENSOR ... --out DIR

(which writes DIR/KEY.npy), and every fetch is compared:
float32/complex64 within 1e-5 * (1 + |expected|), float64 tighter, float16
and bfloat16 (fetched as float32 after a Cast) within their precision,
integers, bools and strings exactly; NaN matches NaN.

    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [3], name="x")
        y = tf.raw_ops.Exp(x=x, name="exp")
    compare_graph(run_tf1hub, tmp_path, g, feeds={"x": np.ones(3, np.float32)},
                  fetches={"exp": "exp:0"})
"""
import os
import pathlib

import numpy as np


def tf_session_run(graph, feeds, fetches):
    """Runs `fetches` ({key: tensor name}) in a TF1 Session; returns {key: array}."""
    import tensorflow as tf

    keys = list(fetches)
    with tf.compat.v1.Session(graph=graph) as sess:
        feed_dict = {graph.get_tensor_by_name(_tensor_name(n)): v for n, v in feeds.items()}
        values = sess.run([graph.get_tensor_by_name(fetches[k]) for k in keys], feed_dict)
    return {k: np.asarray(v) for k, v in zip(keys, values)}


def _tensor_name(name):
    return name if ":" in name else name + ":0"


def tf1hub_graph_run(run_tf1hub, workdir, graph_def, feeds, fetches):
    """Runs the graph through the CLI; returns (CliResult, {key: array} or None).

    `feeds` maps placeholder names to numpy arrays (saved as .npy),
    `fetches` maps output keys to tensor names.
    """
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    graph_path = workdir / "graph.pb"
    graph_path.write_bytes(graph_def.SerializeToString())
    args = ["graph", "run", str(graph_path)]
    for i, (name, value) in enumerate(feeds.items()):
        path = workdir / f"feed{i}.npy"
        np.save(path, value, allow_pickle=False)
        args += ["--feed", f"{name}={path}"]
    for key, tensor in fetches.items():
        args += ["--fetch", f"{key}={tensor}"]
    out_dir = workdir / "out"
    args += ["--out", str(out_dir)]
    result = run_tf1hub(*args)
    if result.returncode != 0:
        return result, None
    outputs = {}
    for key in fetches:
        path = out_dir / f"{key}.npy"
        outputs[key] = np.load(path, allow_pickle=False) if path.exists() else None
    return result, outputs


def _tolerance(dtype):
    """(rtol, atol) for comparing values of `dtype` (numpy)."""
    if dtype in (np.float32, np.complex64):
        return 1e-5, 1e-5
    if dtype in (np.float64, np.complex128):
        return 1e-10, 1e-10
    if dtype == np.float16:
        return 1e-3, 1e-3
    return 0.0, 0.0


def assert_same(key, actual, expected, rtol=None, atol=None):
    """Asserts one fetched value equals TensorFlow's (see module docstring)."""
    assert actual is not None, f"{key}: tf1hub wrote no output"
    expected = np.asarray(expected)
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"{key}: shape {actual.shape} != TF {expected.shape}"
    if expected.dtype.kind in "OSU":
        exp_list = [bytes(v) if not isinstance(v, bytes) else v for v in expected.reshape(-1)]
        act_list = [v if isinstance(v, bytes) else str(v).encode() for v in actual.reshape(-1)]
        assert act_list == exp_list, f"{key}: strings differ"
        return
    assert actual.dtype == expected.dtype, f"{key}: dtype {actual.dtype} != TF {expected.dtype}"
    if expected.dtype.kind in "fc":
        d_rtol, d_atol = _tolerance(expected.dtype.type)
        rtol = d_rtol if rtol is None else rtol
        atol = d_atol if atol is None else atol
        parts = [(actual.real, expected.real), (actual.imag, expected.imag)] \
            if expected.dtype.kind == "c" else [(actual, expected)]
        for a, e in parts:
            nan_e = np.isnan(e)
            assert np.array_equal(np.isnan(a), nan_e), \
                f"{key}: NaN positions differ\n tf1hub={a}\n TF={e}"
            inf_e = np.isinf(e)
            assert np.array_equal(a[inf_e], e[inf_e]), f"{key}: infinities differ"
            ok = ~nan_e & ~inf_e
            err = np.abs(a[ok].astype(np.float64) - e[ok].astype(np.float64))
            limit = atol + rtol * np.abs(e[ok].astype(np.float64))
            if err.size and not np.all(err <= limit):
                worst = int(np.argmax(err - limit))
                raise AssertionError(
                    f"{key}: {int(np.sum(err > limit))} of {err.size} values differ; worst "
                    f"tf1hub={a[ok][worst]!r} TF={e[ok][worst]!r}")
    else:
        assert np.array_equal(actual, expected), \
            f"{key}: values differ\n tf1hub={actual}\n TF={expected}"


def compare_graph(run_tf1hub, workdir, graph, feeds, fetches, tolerances=None):
    """Runs `graph` in TensorFlow and tf1hub and asserts every fetch matches.

    `tolerances` optionally maps keys to (rtol, atol).
    """
    expected = tf_session_run(graph, feeds, fetches)
    result, actual = tf1hub_graph_run(run_tf1hub, workdir, graph.as_graph_def(), feeds, fetches)
    assert result.returncode == 0, f"tf1hub graph run failed:\n{result.stderr}"
    tolerances = tolerances or {}
    for key in fetches:
        rtol, atol = tolerances.get(key, (None, None))
        assert_same(key, actual[key], expected[key], rtol, atol)
    return expected, actual
