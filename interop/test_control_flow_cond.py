"""TF1 conditionals (tf.cond with control flow v1: Switch/Merge) built by
TensorFlow, run by `tf1hub graph run`, compared with TensorFlow's Session.

Covers both branches, nested conds, a branch with a side effect (a resource
variable bumped only when its branch is taken, via control dependencies),
conds over several tensors and dtypes, and a branch whose output is a
constant (its only link to the Switch is a control input on the pivot).
"""
import numpy as np
import pytest

from _graph_run import compare_graph
from _layer_graphs_tf import control_flow_v1


@pytest.mark.parametrize("pred_value", [True, False])
def test_cond_graphs(tf, run_tf1hub, tmp_path, pred_value):
    v1 = tf.compat.v1
    rng = np.random.default_rng(3 if pred_value else 4)
    g = tf.Graph()
    fetches = {}
    with control_flow_v1(), g.as_default():
        pred = v1.placeholder(tf.bool, [], name="pred")
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        n = v1.placeholder(tf.int64, [None], name="n")
        simple = tf.cond(pred, lambda: tf.square(x), lambda: -x, name="simple")
        pair = tf.cond(pred, lambda: (x * 2.0, n + 1), lambda: (x - 1.0, n * 3), name="pair")
        nested = tf.cond(
            pred,
            lambda: tf.cond(tf.reduce_sum(x) > 0, lambda: tf.exp(x), lambda: tf.tanh(x)),
            lambda: tf.cond(tf.size(n) > 2, lambda: x + 5.0, lambda: x * 0.5),
            name="nested")
        constant = tf.cond(pred, lambda: tf.constant([7, 8]), lambda: tf.constant([1, 2]),
                           name="constant")
        counter = v1.get_variable("counter", [], tf.int64, initializer=v1.zeros_initializer(),
                                  use_resource=True)
        init = v1.global_variables_initializer()

        def bump():
            with tf.control_dependencies([counter.assign_add(1)]):
                return tf.identity(counter.read_value())

        # Ordered after the initializer, so one Run is deterministic.
        with tf.control_dependencies([init]):
            bumped = tf.cond(pred, bump, lambda: tf.constant(-1, tf.int64), name="bumped")
        with tf.control_dependencies([bumped]):
            after = tf.identity(counter.read_value(), name="after")
        fetches = {"simple": simple.name, "pair0": pair[0].name, "pair1": pair[1].name,
                   "nested": nested.name, "constant": constant.name,
                   "bumped": bumped.name, "after": after.name}
    feeds = {"pred": np.asarray(pred_value), "x": rng.standard_normal((4, 3)).astype(np.float32),
             "n": rng.integers(-9, 9, size=5).astype(np.int64)}
    compare_graph(run_tf1hub, tmp_path, g, feeds=feeds, fetches=fetches)
