"""Reductions (Sum, Mean, Prod, Max, Min) and ArgMax/ArgMin: tf1hub `graph
run` against TensorFlow's Session.

One graph per op family holds the op over every dtype, axes of every form
(inner, outer, middle, all, general transposes; negative, int64 Tidx, empty
axis lists, axes given as a matrix), keep_dims, and empty inputs; every fetch
is compared (see _op_graphs.py).
"""
import numpy as np
import pytest

from _op_graphs import COMPLEX, FLOATS, INTS, REAL, OpGraph

# (input shape, axes)
AXES_CASES = [
    ([6], 0),
    ([3, 5], 1),
    ([3, 5], [0]),
    ([3, 5], [-1, 0]),
    ([2, 3, 4], [1]),
    ([2, 3, 4], [0, 2]),              # general: transposed first
    ([2, 3, 4, 5], [1, 3]),
    ([2, 1, 3, 1, 4], [1, 4]),        # size-1 dims merge
    ([4, 1], [1]),                    # nothing really reduced
    ([3, 4], []),                     # no axes
    ([3, 4], [[0, 1]]),               # axes of rank 2
    ([], []),
    ([0, 3], [0]),                    # empty reductions: identities
    ([0, 3], [1]),                    # empty output
    ([2, 0, 3], [1]),
    ([1, 2000], [1]),                 # long inner reduction
    ([300, 7], [0]),
]

REDUCTIONS = {
    "Sum": FLOATS + COMPLEX + INTS,
    "Mean": FLOATS + COMPLEX + INTS,
    "Prod": FLOATS + COMPLEX + INTS,
    "Max": REAL,
    "Min": REAL,
}


def reduction_tol(op, dtype, shape):
    """Narrow floats: TensorFlow and tf1hub round partial sums differently."""
    if dtype not in ("float16", "bfloat16"):
        return None
    if op == "Prod":
        return (2e-2, 2e-2)
    n = int(np.prod(shape)) if shape else 1
    return (4e-3, 4e-3 + 1e-3 * np.sqrt(n)) if dtype == "float16" else (1.6e-2, 1.6e-2)


@pytest.mark.parametrize("op", sorted(REDUCTIONS))
def test_reduction(op, tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(abs(hash(op)) % 2**32))
    raw = getattr(tf.raw_ops, op)
    for dtype in REDUCTIONS[op]:
        for i, (shape, axes) in enumerate(AXES_CASES):
            if op == "Prod" and (int(np.prod(shape)) if shape else 1) > 500:
                continue  # long products: rounding drift, not semantics
            if op == "Prod":
                kind = "near1"
            elif dtype in INTS:
                kind = "full" if op in ("Sum", "Max", "Min") else "small"
            else:
                kind = "positive" if dtype in ("float16", "bfloat16") else "normal"
            x = b.input(dtype, shape, kind)
            tidx = "int64" if i % 3 == 1 else "int32"
            if np.ndim(axes) > 1:
                # Graph construction rejects constant axes of rank 2; kernels
                # flatten them, so feed them.
                ax = b.input(tidx, None, value=np.array(axes, dtype=tidx))
            else:
                with b.graph.as_default():
                    ax = tf.constant(axes, dtype=tidx)
            with b.graph.as_default():
                out = raw(input=x, axis=ax, keep_dims=(i % 2 == 0))
            b.fetch(out, reduction_tol(op, dtype, shape))
    if op in ("Max", "Min"):
        # NaN propagates, wherever it sits.
        for dtype in FLOATS:
            v = np.array([[1.0, np.nan, 3.0], [np.nan, 2.0, 1.0], [4.0, 5.0, np.nan]])
            x = b.input(dtype, None, value=v.astype("float32" if dtype == "bfloat16" else dtype))
            with b.graph.as_default():
                b.fetch(raw(input=x, axis=tf.constant(1)))
                b.fetch(raw(input=x, axis=tf.constant(0)))
    b.run(run_tf1hub, tmp_path)


ARG_CASES = [
    ([7], 0),
    ([3, 5], 1),
    ([3, 5], 0),
    ([3, 5], -1),
    ([2, 3, 4], 1),
    ([0, 3], 1),
    ([1, 1001], 1),
]


def test_argmax_argmin(tf, run_tf1hub, tmp_path):
    b = OpGraph(tf, np.random.default_rng(9))
    for dtype in REAL + ["bool"]:
        for i, (shape, dim) in enumerate(ARG_CASES):
            x = b.input(dtype, shape, "ties")  # many ties: the first index wins
            with b.graph.as_default():
                d = tf.constant(dim, dtype="int64" if i % 2 else "int32")
                b.fetch(tf.raw_ops.ArgMax(input=x, dimension=d, output_type=tf.int64))
                b.fetch(tf.raw_ops.ArgMin(input=x, dimension=d, output_type=tf.int32))
                if i == 1:
                    b.fetch(tf.raw_ops.ArgMax(input=x, dimension=d, output_type=tf.int16))
    for dtype in FLOATS:
        # NaNs are skipped; an all-NaN row gives 0.
        v = np.array([[1.0, np.nan, 3.0, 0.5], [np.nan, np.nan, np.nan, np.nan],
                      [np.nan, -1.0, np.nan, -2.0]])
        x = b.input(dtype, None, value=v.astype("float32" if dtype == "bfloat16" else dtype))
        with b.graph.as_default():
            for raw in (tf.raw_ops.ArgMax, tf.raw_ops.ArgMin):
                b.fetch(raw(input=x, dimension=tf.constant(1)))
                b.fetch(raw(input=x, dimension=tf.constant(0)))
    b.run(run_tf1hub, tmp_path)


ERRORS = [
    (lambda tf, x: tf.raw_ops.Sum(input=x, axis=tf.constant([1, -1])),
     "Invalid reduction arguments: Axes contains duplicate dimension: 1"),
    (lambda tf, x: tf.raw_ops.Max(input=x, axis=tf.constant(2)),
     "Invalid reduction dimension (2 for input with 2 dimension(s)"),
    (lambda tf, x: tf.raw_ops.ArgMax(input=x, dimension=tf.constant(-3)),
     "Expected dimension in the range [-2, 2), but got -3"),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_match_tensorflow(index, tf, run_tf1hub, tmp_path):
    build, message = ERRORS[index]
    b = OpGraph(tf, np.random.default_rng(10))
    x = b.input("float32", [2, 3])
    with b.graph.as_default():
        out = build(tf, x)
    b.expect_error(out, message, run_tf1hub, tmp_path)
