"""MatMul, BatchMatMulV2 and the nn kernels (BiasAdd, activations, Softmax,
LogSoftmax, L2Loss): tf1hub `graph run` against TensorFlow's Session.

Each test builds one graph (tf.compat.v1, graph mode) with many instances of
its ops over dtypes, shapes (broadcast batches, empty tensors, vectors) and
attrs, feeds random .npy inputs and compares every fetch (see _op_graphs.py).
"""
import numpy as np
import pytest

from _op_graphs import COMPLEX, FLOATS, INTS, REAL, OpGraph

MATMUL_SHAPES = [(1, 50, 200), (4, 7, 3), (33, 17, 65), (1, 9, 1), (0, 3, 4), (3, 0, 4)]


def matmul_tol(dtype, k):
    """float16 accumulates in half precision, in TensorFlow's own order."""
    if dtype == "float16":
        return (1e-2 + 2e-4 * k, 1e-2 + 2e-4 * k)
    return None


def test_matmul(tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(1))
    for dtype in FLOATS + COMPLEX + ["int32", "int64"]:
        kind = "unit" if dtype in ("float16", "bfloat16") else "normal"
        for m, k, n in MATMUL_SHAPES:
            for ta in (False, True):
                for tb in (False, True):
                    x = b.input(dtype, [k, m] if ta else [m, k], kind)
                    y = b.input(dtype, [n, k] if tb else [k, n], kind)
                    with b.graph.as_default():
                        out = tf.raw_ops.MatMul(a=x, b=y, transpose_a=ta, transpose_b=tb)
                    b.fetch(out, matmul_tol(dtype, k))
    b.run(run_tf1hub, tmp_path)


BATCH_SHAPES = [
    ([2, 3, 4], [2, 4, 5]),
    ([2, 1, 3, 4], [5, 4, 6]),     # batch dims broadcast
    ([3, 4], [2, 4, 5]),           # x without batch dims
    ([7, 1, 6], [7, 6, 1]),
    ([0, 3, 4], [1, 4, 2]),        # empty batch
    ([2, 3, 0], [2, 0, 4]),        # k == 0
    ([40, 8, 8], [40, 8, 8]),      # many small products
]


def test_batch_matmul_v2(tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(2))
    for dtype in ["float32", "float64", "float16", "bfloat16", "complex64", "complex128", "int16",
                  "int32", "int64"]:
        kind = "unit" if dtype in ("float16", "bfloat16") else "normal"
        for xs, ys in BATCH_SHAPES:
            for adj_x in (False, True):
                for adj_y in (False, True):
                    xsh = xs[:-2] + ([xs[-1], xs[-2]] if adj_x else xs[-2:])
                    ysh = ys[:-2] + ([ys[-1], ys[-2]] if adj_y else ys[-2:])
                    x = b.input(dtype, xsh, kind)
                    y = b.input(dtype, ysh, kind)
                    with b.graph.as_default():
                        out = tf.raw_ops.BatchMatMulV2(x=x, y=y, adj_x=adj_x, adj_y=adj_y)
                    b.fetch(out, matmul_tol(dtype, xs[-1]))
    b.run(run_tf1hub, tmp_path)


def test_seed_network(tf, run_tf1hub, tmp_path):
    """[batch, 50] -> dense 200 (relu) -> dense 100, batch 1 and 1024."""
    b = OpGraph(tf, np.random.default_rng(3))
    w1, b1 = b.input("float32", [50, 200], "unit"), b.input("float32", [200], "unit")
    w2, b2 = b.input("float32", [200, 100], "unit"), b.input("float32", [100], "unit")
    for batch in (1, 1024):
        x = b.input("float32", [batch, 50])
        with b.graph.as_default():
            h = tf.raw_ops.Relu(features=tf.raw_ops.BiasAdd(value=tf.raw_ops.MatMul(a=x, b=w1),
                                                             bias=b1))
            b.fetch(tf.raw_ops.BiasAdd(value=tf.raw_ops.MatMul(a=h, b=w2), bias=b2))
    b.run(run_tf1hub, tmp_path)


def test_bias_add(tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(4))
    nhwc = [[4, 3], [2, 3, 4], [2, 2, 2, 3], [0, 3], [1, 1, 1, 1, 1, 3]]
    nchw = [[2, 3], [2, 3, 4], [2, 3, 2, 2], [1, 3, 1, 1, 2], [0, 3, 2]]
    for dtype in FLOATS + COMPLEX + INTS:
        kind = "full" if dtype in INTS else "normal"  # integer sums wrap
        for fmt, shapes in (("NHWC", nhwc), ("NCHW", nchw)):
            for shape in shapes:
                c = shape[1] if fmt == "NCHW" and len(shape) >= 3 else shape[-1]
                x, bias = b.input(dtype, shape, kind), b.input(dtype, [c], kind)
                with b.graph.as_default():
                    b.fetch(tf.raw_ops.BiasAdd(value=x, bias=bias, data_format=fmt))
    b.run(run_tf1hub, tmp_path)


UNARY_SHAPES = [[7], [3, 5], [0], [], [1, 1001]]
ACTIVATIONS = {
    "Relu": REAL,
    "Relu6": REAL,
    "Elu": FLOATS,
    "Selu": FLOATS,
    "Softplus": FLOATS,
}


@pytest.mark.parametrize("op", sorted(ACTIVATIONS))
def test_activation(op, tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(abs(hash(op)) % 2**32))
    raw = getattr(tf.raw_ops, op)
    for dtype in ACTIVATIONS[op]:
        for shape in UNARY_SHAPES:
            x = b.input(dtype, shape, "full" if dtype in INTS else "wide")
            with b.graph.as_default():
                b.fetch(raw(features=x))
        if dtype in FLOATS:
            # NaN, infinities and Softplus's thresholds (float32: +-13.94).
            special = np.array([np.nan, np.inf, -np.inf, 0.0, -1e-8, 13.9, 14.0, -13.9, -14.0,
                                40.0, -40.0, 6.0, 7.0])
            x = b.input(dtype, None, value=special.astype(
                "float32" if dtype == "bfloat16" else dtype))
            with b.graph.as_default():
                b.fetch(raw(features=x))
    b.run(run_tf1hub, tmp_path)


def test_softmax_and_log_softmax(tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(6))
    for dtype in FLOATS:
        for shape in [[7], [3, 5], [2, 3, 4], [0, 3], [4, 1], [2, 1000]]:
            for raw in (tf.raw_ops.Softmax, tf.raw_ops.LogSoftmax):
                x = b.input(dtype, shape, "wide")
                with b.graph.as_default():
                    b.fetch(raw(logits=x))
    b.run(run_tf1hub, tmp_path)


def test_l2_loss(tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(7))
    for dtype in FLOATS:
        for shape in [[7], [3, 5], [0], [], [1, 1001]]:
            x = b.input(dtype, shape, "unit")
            with b.graph.as_default():
                b.fetch(tf.raw_ops.L2Loss(t=x))
    b.run(run_tf1hub, tmp_path)


ERRORS = [
    ("MatMul float32", lambda tf, x, y: tf.raw_ops.MatMul(a=x, b=y), "float32", [2, 3], [4, 5],
     "Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]"),
    ("BatchMatMulV2 batch", lambda tf, x, y: tf.raw_ops.BatchMatMulV2(x=x, y=y), "float64",
     [2, 2, 3], [3, 3, 4],
     "In[0] and In[1] must have compatible batch dimensions: [2,2,3] vs. [3,3,4]"),
    ("BiasAdd channels", lambda tf, x, y: tf.raw_ops.BiasAdd(value=x, bias=y), "float32", [2, 3],
     [4], "Must provide as many biases as the last dimension of the input tensor: [4] vs. [2,3]"),
]


@pytest.mark.parametrize("name,build,dtype,xs,ys,message", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_match_tensorflow(name, build, dtype, xs, ys, message, tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(8))
    x, y = b.input(dtype, xs), b.input(dtype, ys)
    with b.graph.as_default():
        out = build(tf, x, y)
    b.expect_error(out, message, run_tf1hub, tmp_path)
