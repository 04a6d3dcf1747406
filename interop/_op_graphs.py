"""Builds one graph holding many small op instances, for the kernel interop
suites (test_kernels_nn.py, test_kernels_reduction.py).

    b = OpGraph(tf, np.random.default_rng(0))
    x = b.input("float32", [3, 4])             # a placeholder fed with random data
    with b.graph.as_default():
        b.fetch(tf.raw_ops.Relu(features=x))
    b.run(run_tf1hub, tmp_path)                 # TensorFlow vs. `tf1hub graph run`

bfloat16 has no .npy type: such inputs are fed as float32 and Cast in the
graph, and bfloat16 results are Cast back to float32 before fetching.
Comparison rules are _graph_run.compare_graph's; fetch(..., tol=(rtol, atol))
loosens one fetch.
"""
import numpy as np

from _graph_run import compare_graph, tf1hub_graph_run

FLOATS = ["float16", "bfloat16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]
SIGNED = ["int8", "int16", "int32", "int64"]
UNSIGNED = ["uint8", "uint16", "uint32", "uint64"]
INTS = SIGNED + UNSIGNED
REAL = FLOATS + INTS

# Default tolerances for the narrow float types (their results are rounded
# to 8 or 11 significant bits; summation orders differ from TensorFlow's).
NARROW_TOL = {"float16": (2e-3, 2e-3), "bfloat16": (8e-3, 8e-3)}


def random_values(rng, dtype, shape, kind="normal"):
    """Random values of `dtype` (bfloat16 as float32).

    kinds: "normal" N(0, 1); "wide" uniform(-12, 12); "unit" uniform(-1, 1);
    "near1" uniform(0.8, 1.25), complex ones near the real axis (products
    stay finite); "positive"
    uniform(0.1, 2); "ties" small integers (many equal values); "full" the
    whole integer range.
    """
    shape = list(shape)
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        return (rng.random(n) < 0.5).reshape(shape)
    if dtype in INTS:
        info = np.iinfo(dtype)
        if kind == "full":
            v = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
        elif kind == "near1":
            v = rng.integers(-3 if dtype in SIGNED else 1, 4, n)
        else:
            v = rng.integers(-9 if dtype in SIGNED else 0, 10, n)
        return np.asarray(v).astype(dtype).reshape(shape)
    base = "float32" if dtype == "bfloat16" else dtype
    real = {"complex64": "float32", "complex128": "float64"}.get(base, base)
    if kind == "wide":
        r = rng.uniform(-12, 12, (2, n))
    elif kind == "unit":
        r = rng.uniform(-1, 1, (2, n))
    elif kind == "near1":
        r = rng.uniform(0.8, 1.25, (2, n))
    elif kind == "positive":
        r = rng.uniform(0.1, 2, (2, n))
    elif kind == "ties":
        r = rng.integers(-3, 4, (2, n)).astype(np.float64)
    else:
        r = rng.normal(0, 1, (2, n))
    if base.startswith("complex"):
        imag = r[1] - 1.0 if kind == "near1" else r[1]  # near1: |z| close to 1
        v = (r[0] + 1j * imag).astype(base)
    else:
        v = r[0].astype(real)
    return v.reshape(shape)


class OpGraph:
    """Placeholders, feeds and fetches of one graph (see module docstring)."""

    def __init__(self, tf, rng):
        self.tf = tf
        self.rng = rng
        self.graph = tf.Graph()
        self.feeds = {}
        self.fetches = {}
        self.tolerances = {}

    def input(self, dtype, shape, kind="normal", value=None):
        tf = self.tf
        v = random_values(self.rng, dtype, shape, kind) if value is None else np.asarray(value)
        name = f"p{len(self.feeds)}"
        with self.graph.as_default():
            p = tf.compat.v1.placeholder("float32" if dtype == "bfloat16" else dtype, shape=None,
                                         name=name)
            if dtype == "bfloat16":
                p = tf.cast(p, tf.bfloat16)
        self.feeds[name] = v.astype("float32") if dtype == "bfloat16" else v
        return p

    def fetch(self, tensor, tol=None):
        tf = self.tf
        dtype = tensor.dtype.name
        with self.graph.as_default():
            if tensor.dtype == tf.bfloat16:
                tensor = tf.cast(tensor, tf.float32)
        key = f"k{len(self.fetches)}"
        self.fetches[key] = tensor.name
        tol = tol or NARROW_TOL.get(dtype)
        if tol:
            self.tolerances[key] = tol
        return key

    def run(self, run_tf1hub, tmp_path):
        return compare_graph(run_tf1hub, tmp_path, self.graph, self.feeds, self.fetches,
                             self.tolerances)

    def expect_error(self, tensor, message, run_tf1hub, tmp_path):
        """Asserts TensorFlow and tf1hub both fail on `tensor` with `message`."""
        tf = self.tf
        import pytest

        key = self.fetch(tensor)
        feed = {self.graph.get_tensor_by_name(k + ":0"): v for k, v in self.feeds.items()}
        with pytest.raises(tf.errors.OpError) as info:
            with tf.compat.v1.Session(graph=self.graph) as sess:
                sess.run(self.fetches[key], feed)
        assert message in info.value.message, info.value.message
        result, _ = tf1hub_graph_run(run_tf1hub, tmp_path, self.graph.as_graph_def(), self.feeds,
                                     {key: self.fetches[key]})
        assert result.returncode != 0
        assert message in result.stderr, result.stderr
