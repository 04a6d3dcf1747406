"""Array kernels: tf1hub `graph run` against TensorFlow's Session.

Reshape, Squeeze, ExpandDims, Shape, Size, Rank, Fill, ZerosLike, OnesLike,
Range, ConcatV2, Pack, Unpack, Slice, StridedSlice, Transpose, Tile, Pad,
BroadcastTo and GatherV2. Each test builds one graph (tf.compat.v1, graph
mode) holding many random instances of its ops: every dtype these
type-generic ops move (bfloat16 fed as float32 and Cast in the graph),
random shapes including empty and scalar ones, index inputs fed as
placeholders so that both runtimes compute them at run time. TensorFlow and
tf1hub run the same GraphDef and every fetch must match exactly (these ops
only move values). StridedSlice gets hundreds of random mask combinations,
kept when TensorFlow accepts them. The error tests check that tf1hub fails
with TensorFlow's message.
"""
import numpy as np
import pytest

from _graph_run import compare_graph, tf1hub_graph_run

NUMERIC = ["float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
           "uint8", "uint16", "uint32", "uint64", "complex64", "complex128"]
ALL = NUMERIC + ["bool", "string"]


def values(rng, dtype, shape):
    """Random values of `dtype` (bfloat16 as float32, strings as bytes)."""
    shape = list(shape)
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        v = rng.random(n) < 0.5
    elif dtype == "string":
        v = np.array([b"v%d" % rng.integers(0, 1000) for _ in range(n)], dtype="S")
    elif dtype.startswith("complex"):
        v = (rng.normal(0, 3, n) + 1j * rng.normal(0, 3, n)).astype(dtype)
    elif dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        v = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    else:
        v = rng.normal(0, 3, n).astype("float32" if dtype == "bfloat16" else dtype)
    return np.asarray(v).reshape(shape)


class GraphBuilder:
    """Collects placeholders, feeds and fetches for one graph."""

    def __init__(self, tf, seed):
        self.tf = tf
        self.rng = np.random.default_rng(seed)
        self.graph = tf.Graph()
        self.feeds = {}
        self.fetches = {}

    def input(self, dtype, shape=None, value=None):
        """A placeholder fed with `value` (random of `shape` if None)."""
        tf = self.tf
        v = values(self.rng, dtype, shape) if value is None else np.asarray(value)
        name = f"p{len(self.feeds)}"
        feed_dtype = "float32" if dtype == "bfloat16" else dtype
        with self.graph.as_default():
            p = tf.compat.v1.placeholder(feed_dtype, shape=None, name=name)
            if dtype == "bfloat16":
                p = tf.cast(p, tf.bfloat16)
        self.feeds[name] = v
        return p

    def index(self, v, dtype="int32"):
        return self.input(dtype, value=np.asarray(v, dtype=dtype))

    def fetch(self, tensor):
        tf = self.tf
        with self.graph.as_default():
            if tensor.dtype == tf.bfloat16:
                tensor = tf.cast(tensor, tf.float32)
        key = f"k{len(self.fetches)}"
        self.fetches[key] = tensor.name
        return key

    def op(self, fn, *args, **kwargs):
        with self.graph.as_default():
            return fn(*args, **kwargs)

    def run(self, run_tf1hub, tmp_path):
        assert self.fetches
        return compare_graph(run_tf1hub, tmp_path, self.graph, self.feeds, self.fetches)


def itype(wide):
    """The index dtype: int64 when `wide`, else int32."""
    return "int64" if wide else "int32"


def random_shape(rng, max_rank=4, max_dim=4, allow_empty=True):
    rank = int(rng.integers(0, max_rank + 1))
    lo = 0 if allow_empty and rng.random() < 0.15 else 1
    return [int(rng.integers(lo, max_dim + 1)) for _ in range(rank)]


def test_reshape_squeeze_expand_dims(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, 1)
    R = tf.raw_ops
    for dtype in ALL:
        for _ in range(4):
            shape = random_shape(b.rng)
            x = b.input(dtype, shape)
            n = int(np.prod(shape))
            # Reshape to a random factorisation of n, one dim maybe -1.
            if n > 0:
                dims = []
                rest = n
                for f in (2, 3, 2):
                    if rest % f == 0 and b.rng.random() < 0.6:
                        dims.append(f)
                        rest //= f
                dims.append(rest)
                b.rng.shuffle(dims)
                if b.rng.random() < 0.5:
                    dims[int(b.rng.integers(0, len(dims)))] = -1
            else:
                dims = [0, -1] if shape and shape[-1] > 0 else [0]
            tshape = "int64" if b.rng.random() < 0.5 else "int32"
            b.fetch(b.op(R.Reshape, tensor=x, shape=b.index(dims, tshape)))
            # Squeeze: all size-1 dims, or a chosen (maybe negative) one.
            ones = [i for i, d in enumerate(shape) if d == 1]
            b.fetch(b.op(R.Squeeze, input=x, axis=[]))
            if ones:
                i = ones[int(b.rng.integers(0, len(ones)))]
                i = i - len(shape) if b.rng.random() < 0.5 else i
                b.fetch(b.op(R.Squeeze, input=x, axis=[i]))
            axis = int(b.rng.integers(-len(shape) - 1, len(shape) + 1))
            b.fetch(b.op(R.ExpandDims, input=x, axis=b.index(axis, itype(axis % 2))))
    b.run(run_tf1hub, tmp_path)


def test_shape_fill_like_range(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, 2)
    R = tf.raw_ops
    for dtype in ALL:
        shape = random_shape(b.rng)
        x = b.input(dtype, shape)
        for out_type in (tf.int32, tf.int64):
            b.fetch(b.op(R.Shape, input=x, out_type=out_type))
            b.fetch(b.op(R.Size, input=x, out_type=out_type))
        b.fetch(b.op(R.Rank, input=x))
        b.fetch(b.op(R.ZerosLike, x=x))
        if dtype != "string":
            b.fetch(b.op(R.OnesLike, x=x))
        dims = random_shape(b.rng, max_rank=3, max_dim=5)
        value = b.input(dtype, [])
        b.fetch(b.op(R.Fill, dims=b.index(dims, itype(len(dims) % 2)), value=value))
    for dtype in ("int32", "int64"):
        for _ in range(12):
            start, delta = int(b.rng.integers(-50, 50)), int(b.rng.integers(1, 9))
            span = int(b.rng.integers(0, 60))
            if b.rng.random() < 0.5:
                limit, delta = start - span, -delta
            else:
                limit = start + span
            b.fetch(b.op(R.Range, start=b.index(start, dtype), limit=b.index(limit, dtype),
                         delta=b.index(delta, dtype)))
    for dtype in ("float32", "float64"):
        for _ in range(12):
            start = float(b.rng.normal(0, 20))
            delta = float(b.rng.uniform(0.05, 3.0)) * (1 if b.rng.random() < 0.5 else -1)
            limit = start + delta * float(b.rng.uniform(0, 300))
            b.fetch(b.op(R.Range, start=b.index(start, dtype), limit=b.index(limit, dtype),
                         delta=b.index(delta, dtype)))
    b.run(run_tf1hub, tmp_path)


def test_concat_pack_unpack(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, 3)
    R = tf.raw_ops
    for dtype in ALL:
        for _ in range(3):
            base = random_shape(b.rng, max_rank=4)
            if not base:
                base = [3]
            axis = int(b.rng.integers(-len(base), len(base)))
            parts = []
            for _ in range(int(b.rng.integers(2, 5))):
                s = list(base)
                s[axis] = int(b.rng.integers(0, 4))
                parts.append(b.input(dtype, s))
            b.fetch(b.op(R.ConcatV2, values=parts, axis=b.index(axis, itype(axis < 0))))
            # Pack and Unpack.
            n = int(b.rng.integers(1, 4))
            same = [b.input(dtype, base) for _ in range(n)]
            pack_axis = int(b.rng.integers(-len(base) - 1, len(base) + 1))
            b.fetch(b.op(R.Pack, values=same, axis=pack_axis))
            un_axis = int(b.rng.integers(-len(base), len(base)))
            for out in b.op(R.Unpack, value=same[0], num=base[un_axis], axis=un_axis):
                b.fetch(out)
    b.run(run_tf1hub, tmp_path)


def test_slice_and_transpose(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, 4)
    R = tf.raw_ops
    for dtype in ALL:
        for _ in range(4):
            shape = random_shape(b.rng, max_rank=5)
            x = b.input(dtype, shape)
            begin = [int(b.rng.integers(0, d + 1)) for d in shape]
            size = [int(b.rng.integers(0, d - bb + 1)) if b.rng.random() < 0.7 else -1
                    for d, bb in zip(shape, begin)]
            size = [s if d > 0 else (-1 if s == -1 else 0) for s, d in zip(size, shape)]
            begin = [bb if d > 0 else 0 for bb, d in zip(begin, shape)]
            index_type = "int64" if b.rng.random() < 0.5 else "int32"
            b.fetch(b.op(R.Slice, input=x, begin=b.index(begin, index_type),
                         size=b.index(size, index_type)))
            # (TensorFlow 2.15 aborts on negative entries in non-trivial
            # permutations: "Check failed: d >= 0".)
            perm = [int(p) for p in b.rng.permutation(len(shape))]
            b.fetch(b.op(R.Transpose, x=x, perm=b.index(perm, itype(len(shape) % 2))))
    # Larger transposes (threads, reduced dims) and rank 9.
    for shape, perm in [([64, 70], [1, 0]), ([2, 1, 30, 40], [3, 1, 0, 2]),
                        ([5, 6, 7, 8], [0, 2, 1, 3]),
                        ([2, 3, 2, 3, 2, 3, 2, 3, 2], [8, 6, 4, 2, 0, 1, 3, 5, 7])]:
        for dtype in ("float32", "int8", "complex128", "string"):
            b.fetch(b.op(R.Transpose, x=b.input(dtype, shape), perm=b.index(perm)))
    b.run(run_tf1hub, tmp_path)


def random_strided_spec(rng, rank):
    n = int(rng.integers(0, rank + 2))
    begin = [int(v) for v in rng.integers(-7, 8, n)]
    end = [int(v) for v in rng.integers(-7, 8, n)]
    strides = [int(rng.choice([-3, -2, -1, 1, 1, 1, 2, 3])) for _ in range(n)]

    def mask(p):
        return int(sum(1 << i for i in range(n) if rng.random() < p))

    ellipsis = (1 << int(rng.integers(0, n))) if n and rng.random() < 0.3 else 0
    return dict(begin=begin, end=end, strides=strides, begin_mask=mask(0.25), end_mask=mask(0.25),
                ellipsis_mask=ellipsis, new_axis_mask=mask(0.15), shrink_axis_mask=mask(0.2))


def test_strided_slice_mask_combinations(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(5)
    R = tf.raw_ops
    shapes = [[4, 5, 6], [3, 7], [5], [2, 3, 4, 5], [], [0, 3]]
    # Keep the specs TensorFlow accepts (the same kernel, run eagerly).
    accepted = []
    while len(accepted) < 250:
        shape = shapes[int(rng.integers(0, len(shapes)))]
        spec = random_strided_spec(rng, len(shape))
        try:
            R.StridedSlice(input=np.zeros(shape, np.int32), begin=np.array(spec["begin"], np.int32),
                           end=np.array(spec["end"], np.int32),
                           strides=np.array(spec["strides"], np.int32),
                           **{k: v for k, v in spec.items() if k.endswith("mask")})
        except tf.errors.InvalidArgumentError:
            continue
        accepted.append((shape, spec))
    b = GraphBuilder(tf, 6)
    dtypes = ["int32", "float16", "float64", "complex128", "bool", "string", "int8", "bfloat16"]
    for i, (shape, spec) in enumerate(accepted):
        dtype = dtypes[i % len(dtypes)]
        index_type = ["int32", "int64", "int16"][i % 3]
        x = b.input(dtype, shape)
        masks = {k: v for k, v in spec.items() if k.endswith("mask")}
        b.fetch(b.op(R.StridedSlice, input=x, begin=b.index(spec["begin"], index_type),
                     end=b.index(spec["end"], index_type),
                     strides=b.index(spec["strides"], index_type), **masks))
    b.run(run_tf1hub, tmp_path)


def test_tile_pad_broadcast_to(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, 7)
    R = tf.raw_ops
    for dtype in ALL:
        for _ in range(3):
            shape = random_shape(b.rng, max_rank=4, max_dim=3)
            x = b.input(dtype, shape)
            mults = [int(b.rng.integers(0 if b.rng.random() < 0.1 else 1, 4)) for _ in shape]
            if dtype != "uint16":  # TensorFlow's Tile has no uint16 kernel (tf1hub has)
                b.fetch(b.op(R.Tile, input=x, multiples=b.index(mults, itype(len(shape) % 2))))
            pads = [[int(b.rng.integers(0, 3)), int(b.rng.integers(0, 3))] for _ in shape]
            pads = np.array(pads, dtype=np.int32).reshape(len(shape), 2)
            b.fetch(b.op(R.Pad, input=x, paddings=b.index(pads, itype(len(shape) % 2))))
            # BroadcastTo: extra leading dims, size-1 dims expanded.
            target = [int(b.rng.integers(1, 4)) for _ in range(int(b.rng.integers(0, 3)))]
            target += [int(b.rng.integers(0, 4)) if d == 1 else d for d in shape]
            b.fetch(b.op(R.BroadcastTo, input=x, shape=b.index(target, itype(len(target) % 2))))
    for dtype in ("float32", "int64", "string"):
        b.fetch(b.op(R.Tile, input=b.input(dtype, [30, 1, 7]), multiples=b.index([3, 40, 2])))
        b.fetch(b.op(R.BroadcastTo, input=b.input(dtype, [1, 300]), shape=b.index([50, 300])))
        b.fetch(b.op(R.Pad, input=b.input(dtype, [40, 50]), paddings=b.index([[3, 1], [2, 5]])))
    b.run(run_tf1hub, tmp_path)


def test_gather(tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, 8)
    R = tf.raw_ops
    for dtype in ALL:
        for _ in range(4):
            shape = random_shape(b.rng, max_rank=4, max_dim=4, allow_empty=False) or [3]
            axis = int(b.rng.integers(-len(shape), len(shape)))
            pos_axis = axis % len(shape)
            batch_dims = int(b.rng.integers(0, pos_axis + 1)) if b.rng.random() < 0.5 else 0
            idx_shape = shape[:batch_dims] + random_shape(b.rng, max_rank=2, max_dim=3,
                                                          allow_empty=False)
            indices = b.rng.integers(0, shape[pos_axis], idx_shape)
            if batch_dims and b.rng.random() < 0.5:
                batch_dims -= len(idx_shape)  # the same, counted from the end
            index_type = ["int16", "int32", "int64"][int(b.rng.integers(0, 3))]
            b.fetch(b.op(R.GatherV2, params=b.input(dtype, shape),
                         indices=b.index(indices, index_type),
                         axis=b.index(axis, itype(axis < 0)), batch_dims=batch_dims))
    b.fetch(b.op(R.GatherV2, params=b.input("float32", [1000, 16]),
                 indices=b.index(b.rng.integers(0, 1000, 3000)), axis=b.index(0)))
    b.run(run_tf1hub, tmp_path)


# (op builder, feeds, TensorFlow's message)
ERROR_CASES = [
    ("reshape", lambda R, a: R.Reshape(tensor=a[0], shape=a[1]),
     [np.zeros(6, np.float32), np.array([4, -1], np.int32)],
     "Input to reshape is a tensor with 6 values, but the requested shape requires a "
     "multiple of 4"),
    ("squeeze", lambda R, a: R.Squeeze(input=a[0], axis=[0]), [np.zeros((2, 1), np.float32)],
     "Can not squeeze dim[0], expected a dimension of 1, got 2"),
    ("range", lambda R, a: R.Range(start=a[0], limit=a[1], delta=a[2]),
     [np.int32(0), np.int32(5), np.int32(-1)], "Requires start >= limit when delta < 0: 0/5"),
    ("concat", lambda R, a: R.ConcatV2(values=[a[0], a[1]], axis=a[2]),
     [np.zeros((2, 3), np.float32), np.zeros((3, 2), np.float32), np.int32(0)],
     "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [2,3] vs. shape[1] = [3,2]"),
    ("slice", lambda R, a: R.Slice(input=a[0], begin=a[1], size=a[2]),
     [np.zeros((2, 3), np.float32), np.array([0, 1], np.int32), np.array([2, 3], np.int32)],
     "Expected size[1] in [0, 2], but got 3"),
    ("strided_slice", lambda R, a: R.StridedSlice(input=a[0], begin=a[1], end=a[2], strides=a[3],
                                                  shrink_axis_mask=1),
     [np.zeros((2, 3), np.float32), np.array([2, 0], np.int32), np.array([3, 1], np.int32),
      np.array([1, 1], np.int32)], "slice index 2 of dimension 0 out of bounds."),
    ("transpose", lambda R, a: R.Transpose(x=a[0], perm=a[1]),
     [np.zeros((2, 3), np.float32), np.array([0, 0], np.int32)], "1 is missing from {0,0}."),
    ("broadcast_to", lambda R, a: R.BroadcastTo(input=a[0], shape=a[1]),
     [np.zeros((2, 3), np.float32), np.array([3, 3], np.int32)],
     "Incompatible shapes: [2,3] vs. [3,3]"),
    ("gather", lambda R, a: R.GatherV2(params=a[0], indices=a[1], axis=a[2]),
     [np.zeros(5, np.float32), np.array([[1, 2], [3, 7]], np.int32), np.int32(0)],
     "indices[1,1] = 7 is not in [0, 5)"),
]


@pytest.mark.parametrize("name,build,feeds,message", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors_match_tensorflow(name, build, feeds, message, tf, run_tf1hub, tmp_path):
    b = GraphBuilder(tf, 0)
    args = [b.input(np.asarray(v).dtype.name, value=v) for v in feeds]
    out = b.op(build, tf.raw_ops, args)
    b.fetch(out)
    with pytest.raises(tf.errors.InvalidArgumentError) as tf_error:
        with tf.compat.v1.Session(graph=b.graph) as sess:
            sess.run(out, {b.graph.get_tensor_by_name(k + ":0"): v for k, v in b.feeds.items()})
    assert message in str(tf_error.value)
    result, _ = tf1hub_graph_run(run_tf1hub, tmp_path, b.graph.as_graph_def(), b.feeds, b.fetches)
    assert result.returncode != 0
    assert message in result.stderr
