"""Seeded random ops (RandomUniform, RandomStandardNormal, TruncatedNormal) and
the initializers built on them: tf1hub `graph run` against TensorFlow's
Session.run, in graph mode (tf.compat.v1).

With seed/seed2 attrs set, TensorFlow's streams are deterministic: tf1hub must
reproduce RandomUniform exactly and the normal ops to float precision, for
every float dtype, shapes fed as int32 or int64 vectors (placeholders or
constants), sizes spanning many groups and thread-pool shards, and seeds
computed by Python from a graph-level seed (tf.compat.v1.set_random_seed)
plus op seeds, as the v1 initializers (glorot_uniform, truncated_normal, ...)
build them.
"""
import numpy as np

from _op_graphs import FLOATS, OpGraph

OPS = ["RandomUniform", "RandomStandardNormal", "TruncatedNormal"]
SHAPES = [[], [1], [5], [3, 4], [0, 3], [2, 3, 5, 7], [1001], [100003]]
SEEDS = [(1, 2), (87654321, 7), (-1, -5), (0, 3), (5, 0)]
EXACT = (0.0, 0.0)


def tolerance(op, dtype):
    """Uniform values are exact; normal values within float precision."""
    if op == "RandomUniform":
        return EXACT
    return {"float32": (1e-5, 1e-5), "float64": (1e-12, 1e-12)}.get(dtype)


def test_seeded_random_ops(tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(0))
    k = 0
    for op in OPS:
        for dtype in FLOATS:
            for shape in SHAPES:
                seed, seed2 = SEEDS[k % len(SEEDS)]
                index = "int64" if k % 3 == 0 else "int32"
                k += 1
                if k % 2:
                    shape_t = b.input(index, [len(shape)], value=np.asarray(shape, index))
                else:
                    with b.graph.as_default():
                        shape_t = tf.constant(shape, dtype=index)
                with b.graph.as_default():
                    out = getattr(tf.raw_ops, op)(shape=shape_t, dtype=dtype, seed=seed,
                                                  seed2=seed2)
                b.fetch(out, tolerance(op, dtype))
    b.run(run_tf1hub, tmp_path)


def test_same_seeds_in_two_nodes_give_the_same_stream(tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(1))
    for op in OPS:
        for _ in range(2):
            with b.graph.as_default():
                out = getattr(tf.raw_ops, op)(shape=[257], dtype="float32", seed=11, seed2=12)
            b.fetch(out, tolerance(op, "float32"))
    expected, actual = b.run(run_tf1hub, tmp_path)
    for i in range(0, len(actual), 2):
        np.testing.assert_array_equal(actual[f"k{i}"], actual[f"k{i + 1}"])


def test_graph_seed_and_op_seed(tf, run_tf1hub, tmp_path):
    """tf.random.* ops: Python turns graph and op seeds into seed/seed2."""
    b = OpGraph(tf, np.random.default_rng(2))
    with b.graph.as_default():
        tf.compat.v1.set_random_seed(1234)
        outs = [
            tf.random.uniform([40, 7], seed=1),
            tf.random.uniform([40, 7]),  # op seed from the graph's op count
            tf.random.uniform([6, 5], minval=-3.0, maxval=2.5, dtype=tf.float64, seed=2),
            tf.random.normal([33, 3], mean=1.5, stddev=0.25, seed=3),
            tf.random.truncated_normal([500], stddev=3.0, seed=4),
            tf.random.normal([9], dtype=tf.float16, seed=5),
        ]
    for out in outs:
        b.fetch(out)
    b.run(run_tf1hub, tmp_path)


def test_v1_initializers(tf, run_tf1hub, tmp_path):
    """The graphs the layers' initializers build."""
    b = OpGraph(tf, np.random.default_rng(3))
    v1 = tf.compat.v1
    with b.graph.as_default():
        v1.set_random_seed(42)
        inits = [
            (v1.glorot_uniform_initializer(seed=3), [30, 40], tf.float32),
            (v1.glorot_uniform_initializer(), [3, 3, 16, 8], tf.float32),
            (v1.glorot_normal_initializer(seed=4), [64, 10], tf.float32),
            (v1.truncated_normal_initializer(mean=0.5, stddev=2.0, seed=5), [128, 3], tf.float32),
            (v1.truncated_normal_initializer(stddev=0.02, seed=6), [7, 9], tf.float64),
            (v1.random_normal_initializer(stddev=0.1, seed=7), [20], tf.float32),
            (v1.random_uniform_initializer(-0.05, 0.05, seed=8), [10, 10], tf.float32),
            (v1.variance_scaling_initializer(scale=2.0, mode="fan_in",
                                             distribution="truncated_normal", seed=9),
             [5, 5, 3, 4], tf.float32),
            (v1.keras.initializers.he_normal(seed=10), [16, 16], tf.float32),
            (v1.keras.initializers.lecun_uniform(seed=11), [16, 4], tf.float32),
        ]
        outs = [init(shape, dtype=dtype) for init, shape, dtype in inits]
    for out in outs:
        b.fetch(out)
    b.run(run_tf1hub, tmp_path)


def test_bad_shapes(tf, run_tf1hub, tmp_path):
    for i, (shape, message) in enumerate([
            ([-1], "Dimension -1 must be >= 0"),
            ([3, -2], "Dimension -2 must be >= 0"),
            ([2**40, 2**40], "would have more than 2**63 - 1 elements")]):
        b = OpGraph(tf, np.random.default_rng(4))
        shape_t = b.input("int64", [len(shape)], value=np.asarray(shape, np.int64))
        with b.graph.as_default():
            out = tf.raw_ops.RandomUniform(shape=shape_t, dtype="float32", seed=1, seed2=2)
        b.expect_error(out, message, run_tf1hub, tmp_path / str(i))
