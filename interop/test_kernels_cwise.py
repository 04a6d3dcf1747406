"""Element-wise math kernels: tf1hub `graph run` against TensorFlow's Session.

For each op, one graph (tf.compat.v1, graph mode) holds many instances of
it: every CPU dtype TensorFlow registers, broadcasting shape pairs, scalars
and empty tensors, with random inputs fed as .npy files. TensorFlow and
tf1hub run the same GraphDef and every fetch is compared (see
_graph_run.py). bfloat16 has no .npy type: such inputs are fed as float32
and Cast in the graph, results Cast back to float32.
"""
import zlib

import numpy as np
import pytest

from _graph_run import compare_graph, tf1hub_graph_run

FLOATS = ["float16", "bfloat16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]
SIGNED = ["int8", "int16", "int32", "int64"]
UNSIGNED = ["uint8", "uint16", "uint32", "uint64"]
REAL = FLOATS + SIGNED + UNSIGNED
ALL_NUMBERS = FLOATS + COMPLEX + SIGNED + UNSIGNED

BINARY_SHAPES = [
    ([3, 4], [3, 4]),
    ([3, 4], [4]),
    ([2, 3, 4], [3, 1]),
    ([], [5]),
    ([5], []),
    ([0, 3], [3]),
    ([4, 1, 3], [1, 5, 1]),
    ([2, 1, 3, 1, 2], [1, 4, 1, 3, 1]),
    ([6, 1], [1, 7]),
    ([2, 37], [2, 37]),
]
UNARY_SHAPES = [[7], [3, 5], [0], [], [1, 1001]]


def values(rng, dtype, shape, kind):
    """Random values of numpy-representable `dtype` (bfloat16 as float32)."""
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        v = rng.random(n) < 0.5
    elif dtype == "string":
        v = np.array([b"s%d" % rng.integers(0, 4) for _ in range(n)], dtype=object)
    elif dtype in SIGNED + UNSIGNED:
        info = np.iinfo(dtype)
        if kind == "full":
            v = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
        elif kind == "nonzero":
            lo = -20 if dtype in SIGNED else 1
            v = rng.integers(lo, 21, n)
            v[v == 0] = 3
        elif kind == "exponent":
            v = rng.integers(0, 7, n)
        else:  # small values, ties likely
            lo = -10 if dtype in SIGNED else 0
            v = rng.integers(lo, 11, n)
        v = v.astype(dtype)
    else:
        base = "float32" if dtype == "bfloat16" else dtype
        real = base.replace("complex64", "float32").replace("complex128", "float64")
        if kind == "positive":
            r = rng.uniform(0.05, 5.0, (2, n))
        elif kind == "unit":
            r = rng.uniform(-0.9, 3.0, (2, n))
        elif kind == "wide":
            r = rng.uniform(-12.0, 12.0, (2, n))
        elif kind == "halves":  # ties and exact halves (Round, comparisons)
            r = np.round(rng.uniform(-6.0, 6.0, (2, n)) * 2) / 2
        elif kind == "withzeros":
            r = rng.normal(0, 3, (2, n))
            r[:, ::3] = 0
        else:
            r = rng.normal(0, 3, (2, n))
        if base.startswith("complex"):
            v = (r[0] + 1j * r[1]).astype(base)
        else:
            v = r[0].astype(real)
    return np.asarray(v).reshape(shape)


class GraphBuilder:
    """Collects placeholders, feeds and fetches for one graph."""

    def __init__(self, tf, rng):
        self.tf = tf
        self.rng = rng
        self.graph = tf.Graph()
        self.feeds = {}
        self.fetches = {}
        self.tolerances = {}

    def input(self, dtype, shape, kind="any", value=None):
        tf = self.tf
        v = values(self.rng, dtype, shape, kind) if value is None else value
        name = f"p{len(self.feeds)}"
        feed_dtype = {"bfloat16": "float32", "string": "string"}.get(dtype, dtype)
        if dtype == "string":
            v = np.array(v, dtype="S")
        with self.graph.as_default():
            p = tf.compat.v1.placeholder(feed_dtype, shape=None, name=name)
            if dtype == "bfloat16":
                p = tf.cast(p, tf.bfloat16)
        self.feeds[name] = v
        return p

    def fetch(self, tensor, tol=None):
        tf = self.tf
        with self.graph.as_default():
            if tensor.dtype == tf.bfloat16:
                tensor = tf.cast(tensor, tf.float32)
                tol = tol or (8e-3, 8e-3)
        key = f"k{len(self.fetches)}"
        self.fetches[key] = tensor.name
        if tol:
            self.tolerances[key] = tol
        return key

    def run(self, run_tf1hub, tmp_path):
        return compare_graph(run_tf1hub, tmp_path, self.graph, self.feeds, self.fetches,
                             self.tolerances)


# op -> (dtypes, x kind, y kind)
BINARY_OPS = {
    "Add": (FLOATS + COMPLEX + SIGNED + ["uint8", "string"], "full", "full"),
    "AddV2": (ALL_NUMBERS, "full", "full"),
    "Sub": (ALL_NUMBERS, "full", "full"),
    "Mul": (ALL_NUMBERS, "full", "full"),
    "RealDiv": (FLOATS + COMPLEX, "any", "any"),
    "Div": (ALL_NUMBERS, "full", "nonzero"),
    "FloorDiv": (REAL, "full", "nonzero"),
    "FloorMod": (REAL, "full", "nonzero"),
    "DivNoNan": (FLOATS + COMPLEX, "any", "withzeros"),
    "Maximum": (REAL, "halves", "halves"),
    "Minimum": (REAL, "halves", "halves"),
    "SquaredDifference": (FLOATS + COMPLEX + ["int32", "int64"], "full", "full"),
    "Greater": (REAL, "halves", "halves"),
    "GreaterEqual": (REAL, "halves", "halves"),
    "Less": (REAL, "halves", "halves"),
    "LessEqual": (REAL, "halves", "halves"),
    "Equal": (ALL_NUMBERS + ["bool", "string"], "halves", "halves"),
    "NotEqual": (ALL_NUMBERS + ["bool", "string"], "halves", "halves"),
}


@pytest.mark.parametrize("op", sorted(BINARY_OPS))
def test_binary_op(op, tf, run_tf1hub, tmp_path):
    dtypes, xkind, ykind = BINARY_OPS[op]
    b = GraphBuilder(tf, np.random.default_rng(zlib.crc32(op.encode())))
    raw = getattr(tf.raw_ops, op)
    for dtype in dtypes:
        for xs, ys in BINARY_SHAPES:
            x = b.input(dtype, xs, xkind)
            y = b.input(dtype, ys, ykind)
            with b.graph.as_default():
                out = raw(x=x, y=y)
            b.fetch(out)
    b.run(run_tf1hub, tmp_path)


def test_pow(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, np.random.default_rng(7))
    for dtype in FLOATS + COMPLEX + SIGNED:
        for xs, ys in BINARY_SHAPES:
            if dtype in SIGNED:
                x, y = b.input(dtype, xs, "small"), b.input(dtype, ys, "exponent")
            else:
                x, y = b.input(dtype, xs, "positive"), b.input(dtype, ys, "unit")
            with b.graph.as_default():
                b.fetch(tf.raw_ops.Pow(x=x, y=y), tol=(1e-3, 1e-3) if dtype == "float16" else None)
    b.run(run_tf1hub, tmp_path)


def test_logical_binary(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, np.random.default_rng(3))
    for xs, ys in BINARY_SHAPES:
        for raw in (tf.raw_ops.LogicalAnd, tf.raw_ops.LogicalOr):
            x, y = b.input("bool", xs), b.input("bool", ys)
            with b.graph.as_default():
                b.fetch(raw(x=x, y=y))
    b.run(run_tf1hub, tmp_path)


# op -> (dtypes, kind, extra tolerance for float16/bfloat16)
UNARY_OPS = {
    "Neg": (FLOATS + COMPLEX + SIGNED, "full"),
    "Abs": (FLOATS + SIGNED, "full"),
    "Square": (ALL_NUMBERS, "full"),
    "Sqrt": (FLOATS + COMPLEX, "any"),
    "Rsqrt": (FLOATS + COMPLEX, "positive"),
    "Exp": (FLOATS + COMPLEX, "any"),
    "Log": (FLOATS + COMPLEX, "any"),
    "Log1p": (FLOATS + COMPLEX, "unit"),
    "Tanh": (FLOATS + COMPLEX, "wide"),
    "Sigmoid": (FLOATS + COMPLEX, "wide"),
    "Sign": (FLOATS + COMPLEX + SIGNED, "halves"),
    "Reciprocal": (FLOATS + COMPLEX, "any"),
    "Floor": (FLOATS, "any"),
    "Ceil": (FLOATS, "any"),
    "Round": (FLOATS + ["int32", "int64"], "halves"),
    "Cos": (FLOATS + COMPLEX, "wide"),
    "Sin": (FLOATS + COMPLEX, "wide"),
}


@pytest.mark.parametrize("op", sorted(UNARY_OPS))
def test_unary_op(op, tf, run_tf1hub, tmp_path):
    dtypes, kind = UNARY_OPS[op]
    b = GraphBuilder(tf, np.random.default_rng(zlib.crc32(op.encode())))
    raw = getattr(tf.raw_ops, op)
    for dtype in dtypes:
        for shape in UNARY_SHAPES:
            if op in ("Tanh", "Sigmoid", "Cos", "Sin") and dtype.startswith("complex"):
                kind_here = "any"  # keep complex exponentials finite
            else:
                kind_here = kind
            x = b.input(dtype, shape, kind_here)
            with b.graph.as_default():
                out = raw(x=x)
            # Complex transcendental functions: libm vs. Eigen differ by ulps.
            tol = (1e-4, 1e-4) if dtype == "complex64" and op not in ("Neg", "Square") else None
            b.fetch(out, tol)
    b.run(run_tf1hub, tmp_path)


def test_logical_not(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, np.random.default_rng(5))
    for shape in UNARY_SHAPES:
        x = b.input("bool", shape)
        with b.graph.as_default():
            b.fetch(tf.raw_ops.LogicalNot(x=x))
    b.run(run_tf1hub, tmp_path)


def test_select_and_select_v2(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, np.random.default_rng(11))
    select_cases = [([], [3, 4]), ([3], [3, 4]), ([3], [3]), ([3, 4], [3, 4]), ([2], [2, 3, 2]),
                    ([0], [0, 2])]
    v2_cases = [([], [3, 4], [3, 4]), ([3, 1], [4], []), ([4], [3, 4], [3, 1]),
                ([2, 1, 3], [1, 4, 1], [2, 4, 3]), ([0, 2], [2], [])]
    for dtype in ["float32", "int32", "string", "float16", "complex64", "complex128", "bool",
                  "int64", "uint8", "bfloat16"]:
        for cs, ts in select_cases:
            c = b.input("bool", cs)
            t, e = b.input(dtype, ts), b.input(dtype, ts)
            with b.graph.as_default():
                b.fetch(tf.raw_ops.Select(condition=c, x=t, y=e))
        for cs, ts, es in v2_cases:
            c = b.input("bool", cs)
            t, e = b.input(dtype, ts), b.input(dtype, es)
            with b.graph.as_default():
                b.fetch(tf.raw_ops.SelectV2(condition=c, t=t, e=e))
    b.run(run_tf1hub, tmp_path)


CAST_TYPES = ["float16", "bfloat16", "float32", "float64", "complex64", "complex128", "int8",
              "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool"]


def test_cast(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(13)
    b = GraphBuilder(tf, rng)
    for src in CAST_TYPES:
        for dst in CAST_TYPES:
            # Values every target can hold (out-of-range float -> int is
            # undefined and differs inside TensorFlow itself).
            if src in FLOATS + COMPLEX:
                lo = 0.0 if dst in UNSIGNED else -100.0
                r = rng.uniform(lo, 120.0, (2, 9))
                r[0, :3] = [0.0, 0.5, -0.0]
                v = (r[0] + 1j * r[1]) if src.startswith("complex") else r[0]
                feed_t = "float32" if src == "bfloat16" else src
                v = v.astype(feed_t)
            elif src == "bool":
                v = rng.random(9) < 0.5
            else:
                v = values(rng, src, [9], "full")
            x = b.input(src, [9], value=v)
            with b.graph.as_default():
                b.fetch(tf.raw_ops.Cast(x=x, DstT=dst))
    # Truncate=True where TensorFlow truncates.
    for src, dst in [("float32", "float16"), ("float32", "bfloat16"), ("float64", "float32"),
                     ("float64", "float16")]:
        x = b.input(src, [50], "any")
        with b.graph.as_default():
            b.fetch(tf.raw_ops.Cast(x=x, DstT=dst, Truncate=True), tol=(0, 0))
    b.run(run_tf1hub, tmp_path)


def test_equal_incompatible_shapes_attr(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, np.random.default_rng(17))
    for raw in (tf.raw_ops.Equal, tf.raw_ops.NotEqual):
        x, y = b.input("int32", [3], "small"), b.input("int32", [2], "small")
        with b.graph.as_default():
            b.fetch(raw(x=x, y=y, incompatible_shape_error=False))
        x, y = b.input("float32", [3], "halves"), b.input("float32", [2, 1], "halves")
        with b.graph.as_default():
            b.fetch(raw(x=x, y=y, incompatible_shape_error=False))
    b.run(run_tf1hub, tmp_path)


ERROR_CASES = [
    ("Div", "int32", [1, 2], [1, 0], "Integer division by zero"),
    ("FloorMod", "int64", [1, 2], [0, 1], "Integer division by zero"),
    ("Pow", "int32", [2, 3], [1, -1], "Integers to negative integer powers are not allowed"),
    ("AddV2", "float32", [1, 2, 3], [1, 2], "Incompatible shapes: [3] vs. [2]"),
]


@pytest.mark.parametrize("op,dtype,x,y,message", ERROR_CASES)
def test_errors_match_tensorflow(op, dtype, x, y, message, tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, np.random.default_rng(0))
    px = b.input(dtype, None, value=np.array(x, dtype))
    py = b.input(dtype, None, value=np.array(y, dtype))
    with b.graph.as_default():
        out = getattr(tf.raw_ops, op)(x=px, y=py, name="bad")
    b.fetch(out)
    with pytest.raises(tf.errors.InvalidArgumentError, match=message.replace("[", r"\[")):
        with tf.compat.v1.Session(graph=b.graph) as sess:
            sess.run(out, {b.graph.get_tensor_by_name(k + ":0"): v for k, v in b.feeds.items()})
    result, _ = tf1hub_graph_run(run_tf1hub, tmp_path, b.graph.as_graph_def(), b.feeds, b.fetches)
    assert result.returncode != 0
    assert message in result.stderr


def test_chains_compute_in_place(tf, run_tf1hub, tmp_path):
    """Intermediate results have one consumer, so kernels may overwrite them:
    the forwarded operand is left, right, broadcast against, or a scalar."""
    b = GraphBuilder(tf, np.random.default_rng(19))
    r = tf.raw_ops
    for dtype in ["float32", "int32", "float64"]:
        x = b.input(dtype, [4, 5, 6])
        row = b.input(dtype, [6])
        col = b.input(dtype, [4, 1, 1])
        s = b.input(dtype, [])
        with b.graph.as_default():
            t = r.Mul(x=x, y=s)            # fresh buffer
            t = r.AddV2(x=t, y=row)        # left operand forwarded, row broadcast
            t = r.Sub(x=col, y=t)          # right operand forwarded, column broadcast
            t = r.Maximum(x=s, y=t)        # scalar on the left
            t = r.Square(x=t)              # unary in place
            t = r.SquaredDifference(x=t, y=r.Neg(x=t)) if dtype != "int32" else r.Neg(x=t)
            u = r.Select(condition=r.Greater(x=t, y=s), x=t, y=r.Neg(x=t))
            v = r.SelectV2(condition=r.Less(x=row, y=s), t=u, e=s)
        b.fetch(t)
        b.fetch(v)
    b.run(run_tf1hub, tmp_path)
