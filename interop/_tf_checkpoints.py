"""Helpers shared by the checkpoint interop suites.

* tensor value cases covering every dtype, scalars, empty shapes, special
  floats and binary/unicode strings;
* builders that make TensorFlow write checkpoints (TF1 Saver, sharded Saver,
  TF2 tf.train.Checkpoint, raw SaveV2);
* a small independent reader of the .index file (a LevelDB table), used to
  check facts about TensorFlow's files (num_shards, number of data blocks) and
  to find byte offsets for corruption tests;
* comparison of .npy output against TensorFlow's values, bit for bit.

Nothing here imports TensorFlow at module level: callers pass the module in,
so it is imported once per session (conftest.py's `tf` fixture).
"""
import collections
import dataclasses
import pathlib
import struct

import numpy as np

CliResult = collections.namedtuple("CliResult", ["returncode", "stdout", "stderr"])

# ---------------------------------------------------------------------------
# Value cases
# ---------------------------------------------------------------------------


def _bits(dtype, uint_dtype, values):
    """Floats given by their bit patterns (keeps NaN payloads and -0.0 exact)."""
    return np.array(values, dtype=uint_dtype).view(dtype)


def _strings(values, shape=None):
    """An object array of bytes, as TensorFlow's reader returns strings."""
    arr = np.empty(len(values), dtype=object)
    arr[:] = [v.encode("utf-8") if isinstance(v, str) else v for v in values]
    return arr.reshape(shape if shape is not None else (len(values),))


# Strings that matter: empty, multi-byte UTF-8 (incl. 4-byte), NUL bytes
# inside, invalid UTF-8. None ends with a NUL byte: NumPy 'S' arrays cannot
# hold trailing NULs (the .npy format pads with them), so such a string
# cannot survive a .npy round trip in either direction.
UNICODE_STRINGS = ["", "héllo wörld", "☃ 日本語 テキスト", "emoji 😀🚀", "tab\tnew\nline"]
BINARY_STRINGS = [
    b"\x00leading nul",
    b"inner\x00nul\x00bytes",
    b"\xff\xfe\xfd invalid utf-8",
    b"\x80\xc3\x28 bad continuation",
    bytes(range(1, 256)),
]


def numeric_cases():
    """(name, array) for every dtype .npy can hold, plus scalars and empties."""
    return [
        ("float16", _bits(np.float16, np.uint16, [0x3E00, 0x8000, 0x7C00, 0x7E01, 0x0001, 0x7BFF])
         .reshape(2, 3)),
        ("float32", _bits(np.float32, np.uint32,
                          [0x3FC00000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00001, 0x00000001,
                           0x40490FDB, 0x7F7FFFFF]).reshape(2, 4)),
        ("float64", _bits(np.float64, np.uint64,
                          [0x3FF8000000000000, 0x8000000000000000, 0x7FF0000000000000,
                           0x7FF8000000000123, 0x0000000000000001, 0x400921FB54442D18])),
        ("int8", np.array([-128, -1, 0, 1, 127], dtype=np.int8)),
        ("int16", np.array([[-32768, -2], [300, 32767]], dtype=np.int16)),
        ("int32", np.array([-2**31, -5, 0, 7, 2**31 - 1], dtype=np.int32)),
        ("int64", np.array([-2**63, -1, 0, 2**40 + 3, 2**63 - 1], dtype=np.int64)),
        ("uint8", np.array([0, 1, 128, 255], dtype=np.uint8)),
        ("uint16", np.array([0, 1, 40000, 65535], dtype=np.uint16)),
        ("uint32", np.array([0, 1, 3_000_000_000, 2**32 - 1], dtype=np.uint32)),
        ("uint64", np.array([0, 1, 2**63, 2**64 - 1], dtype=np.uint64)),
        ("bool", np.array([[True, False, True], [False, False, True]], dtype=np.bool_)),
        ("complex64", np.array([1 + 2j, -0.0 - 0.0j, np.inf - 3.5j, 1e-40 + 7j], dtype=np.complex64)),
        ("complex128", np.array([1.25 - 2j, np.nan + 1j, -1e300 + 1e-310j], dtype=np.complex128)),
        ("rank3_float64", np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7.0),
        ("scalar_float32", np.array(3.25, dtype=np.float32)),
        ("scalar_int64", np.array(-9_000_000_000, dtype=np.int64)),
        ("scalar_bool", np.array(True)),
        ("scalar_complex128", np.array(0.5 - 0.25j, dtype=np.complex128)),
        ("empty_float32_0", np.zeros([0], dtype=np.float32)),
        ("empty_int32_3x0", np.zeros([3, 0], dtype=np.int32)),
        ("empty_uint8_0x2", np.zeros([0, 2], dtype=np.uint8)),
    ]


def string_cases():
    """(name, object array of bytes) string tensors."""
    return [
        ("string_unicode", _strings(UNICODE_STRINGS)),
        ("string_binary", _strings(BINARY_STRINGS)),
        ("string_2x2", _strings(["a", "", b"c\x00d", "ééé"], shape=(2, 2))),
        ("scalar_string", _strings([b"scalar \x00 with nul \xff"], shape=())),
        ("scalar_string_empty", _strings([b""], shape=())),
        ("empty_string_0", _strings([], shape=(0,))),
        ("empty_string_3x0", _strings([], shape=(3, 0))),
    ]


def bfloat16_cases(tf):
    bf16 = tf.bfloat16.as_numpy_dtype
    return [
        ("bfloat16", _bits(bf16, np.uint16, [0x3FC0, 0x8000, 0x7F80, 0x7FC1, 0x0001, 0x4049])
         .reshape(3, 2)),
        ("scalar_bfloat16", _bits(bf16, np.uint16, [0xC040]).reshape(())),
    ]


def all_cases(tf):
    return numeric_cases() + string_cases() + bfloat16_cases(tf)


def to_npy_array(value):
    """The array to np.save for `value`: strings become fixed-width 'S'."""
    if value.dtype == object:
        if value.size == 0:
            return np.zeros(value.shape, dtype="S1")
        return np.array(value.tolist(), dtype=bytes).reshape(value.shape)
    return value


# ---------------------------------------------------------------------------
# Checkpoints written by TensorFlow
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class TfCheckpoint:
    prefix: str                 # checkpoint prefix (PREFIX.index exists)
    directory: str              # holds the `checkpoint` state file
    partitioned: dict           # full name -> number of slices
    bfloat16_names: list        # tensors .npy cannot hold


def _tf1_variable(tf, name, value, use_resource):
    initial = tf.constant(value, dtype=tf.string) if value.dtype == object else tf.constant(value)
    return tf.compat.v1.Variable(initial, name=name, use_resource=use_resource)


def save_tf1_saver_checkpoint(tf, directory):
    """tf.compat.v1.train.Saver over ref and resource variables of every case,
    plus two partitioned variables (3 slices along axis 0 and along axis 1)."""
    directory = pathlib.Path(directory)
    cases = all_cases(tf)
    graph = tf.Graph()
    with graph.as_default():
        for name, value in cases:
            _tf1_variable(tf, f"ref/{name}", value, use_resource=False)
            _tf1_variable(tf, f"res/{name}", value, use_resource=True)
        tf.compat.v1.get_variable(
            "part/rows", shape=[10, 4], dtype=tf.float32,
            initializer=tf.compat.v1.random_uniform_initializer(-1.0, 1.0, seed=3),
            partitioner=tf.compat.v1.fixed_size_partitioner(3), use_resource=False)
        tf.compat.v1.get_variable(
            "part/cols", shape=[5, 7], dtype=tf.int64,
            initializer=tf.compat.v1.random_uniform_initializer(-1000, 1000, seed=4, dtype=tf.int64),
            partitioner=tf.compat.v1.fixed_size_partitioner(3, axis=1), use_resource=True)
        saver = tf.compat.v1.train.Saver()
        with tf.compat.v1.Session(graph=graph) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            prefix = saver.save(sess, str(directory / "model.ckpt"), global_step=7)
    bf16 = [n for n, _ in bfloat16_cases(tf)]
    return TfCheckpoint(prefix=prefix, directory=str(directory),
                        partitioned={"part/rows": 3, "part/cols": 3},
                        bfloat16_names=[f"{k}/{n}" for k in ("ref", "res") for n in bf16])


def save_tf1_sharded_checkpoint(tf, directory):
    """Saver(sharded=True) with variables on two CPU devices, so TensorFlow
    writes two data files and merges their indexes (MergeV2Checkpoints). One
    partitioned variable has slices on both devices (its slices are merged)."""
    directory = pathlib.Path(directory)
    cases = all_cases(tf)
    graph = tf.Graph()
    with graph.as_default():
        for i, (name, value) in enumerate(cases):
            device = "/cpu:0" if i % 2 == 0 else "/cpu:1"
            with tf.device(device):
                _tf1_variable(tf, f"{device[1:].replace(':', '')}/{name}", value,
                              use_resource=i % 3 == 0)

        def split_device(op):
            return "/cpu:1" if "part_1" in op.name else "/cpu:0"

        with graph.device(split_device):
            tf.compat.v1.get_variable(
                "part/split", shape=[9, 2], dtype=tf.float64,
                initializer=tf.compat.v1.random_uniform_initializer(-5.0, 5.0, seed=5,
                                                                    dtype=tf.float64),
                partitioner=tf.compat.v1.fixed_size_partitioner(3), use_resource=False)
        saver = tf.compat.v1.train.Saver(sharded=True)
        config = tf.compat.v1.ConfigProto(device_count={"CPU": 2})
        with tf.compat.v1.Session(graph=graph, config=config) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            prefix = saver.save(sess, str(directory / "model.ckpt"))
    bf16 = {n for n, _ in bfloat16_cases(tf)}
    names = [f"{'cpu0' if i % 2 == 0 else 'cpu1'}/{n}" for i, (n, _) in enumerate(cases)]
    return TfCheckpoint(prefix=prefix, directory=str(directory),
                        partitioned={"part/split": 3},
                        bfloat16_names=[n for n in names if n.split("/", 1)[1] in bf16])


BIG_SHAPE = (4096, 4100)  # float32: 67,174,400 bytes > 64 MiB


def save_tf2_checkpoint(tf, directory):
    """tf.train.Checkpoint (object-based keys, _CHECKPOINTABLE_OBJECT_GRAPH),
    every case plus one >= 64 MiB float32 tensor; saved as ckpt-1 with a
    `checkpoint` state file."""
    directory = pathlib.Path(directory)
    module = tf.Module()
    for name, value in all_cases(tf):
        initial = tf.constant(value, dtype=tf.string) if value.dtype == object else value
        setattr(module, name, tf.Variable(initial))
    # A local name with '.' and '/' (escaped to '..' and '.S' in keys).
    setattr(module, "odd.name/x", tf.Variable([1, 2, 3], dtype=tf.int16))
    big = tf.Variable(tf.random.stateless_uniform(BIG_SHAPE, seed=[7, 11], dtype=tf.float32))
    ckpt = tf.train.Checkpoint(model=module, big=big)
    prefix = ckpt.save(str(directory / "ckpt"))
    reader = tf.train.load_checkpoint(prefix)
    bf16 = [k for k, d in reader.get_variable_to_dtype_map().items() if d == tf.bfloat16]
    return TfCheckpoint(prefix=prefix, directory=str(directory), partitioned={},
                        bfloat16_names=bf16)


def save_v2(tf, prefix, named_values):
    """Eager tf.raw_ops.SaveV2 of (name, value) pairs in the given order."""
    tensors = [tf.constant(v, dtype=tf.string) if v.dtype == object else tf.constant(v)
               for _, v in named_values]
    tf.raw_ops.SaveV2(prefix=str(prefix), tensor_names=[n for n, _ in named_values],
                      shape_and_slices=[""] * len(named_values), tensors=tensors)


# ---------------------------------------------------------------------------
# An independent reader of the .index file (LevelDB table layout)
# ---------------------------------------------------------------------------

TABLE_MAGIC = 0xDB4775248B80FB57


def _varint(buf, pos):
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


@dataclasses.dataclass
class Block:
    offset: int          # in the file
    size: int            # stored bytes, trailer excluded
    entries: list        # [(key bytes, value bytes)]
    num_restarts: int


def _read_block(data, offset, size):
    contents = data[offset:offset + size]
    num_restarts = struct.unpack_from("<I", contents, size - 4)[0]
    limit = size - 4 - 4 * num_restarts
    entries, pos, key = [], 0, b""
    while pos < limit:
        shared, pos = _varint(contents, pos)
        unshared, pos = _varint(contents, pos)
        value_len, pos = _varint(contents, pos)
        key = key[:shared] + bytes(contents[pos:pos + unshared])
        pos += unshared
        entries.append((key, bytes(contents[pos:pos + value_len])))
        pos += value_len
    return Block(offset, size, entries, num_restarts)


@dataclasses.dataclass
class IndexFile:
    data_blocks: list    # [Block]
    index_block: Block
    entries: dict        # key -> value, in file order

    def header(self):
        from tensorflow.core.protobuf import tensor_bundle_pb2
        return tensor_bundle_pb2.BundleHeaderProto.FromString(self.entries[b""])

    def entry(self, name):
        from tensorflow.core.protobuf import tensor_bundle_pb2
        key = name.encode("utf-8") if isinstance(name, str) else name
        return tensor_bundle_pb2.BundleEntryProto.FromString(self.entries[key])


def read_index(path):
    data = pathlib.Path(path).read_bytes()
    footer = data[-48:]
    assert struct.unpack_from("<Q", footer, 40)[0] == TABLE_MAGIC, f"{path}: bad magic"
    pos = 0
    _, pos = _varint(footer, pos)  # metaindex offset
    _, pos = _varint(footer, pos)  # metaindex size
    index_offset, pos = _varint(footer, pos)
    index_size, pos = _varint(footer, pos)
    index_block = _read_block(data, index_offset, index_size)
    blocks, entries = [], {}
    for _, handle in index_block.entries:
        offset, p = _varint(handle, 0)
        size, _ = _varint(handle, p)
        block = _read_block(data, offset, size)
        blocks.append(block)
        entries.update(block.entries)
    return IndexFile(blocks, index_block, entries)


# ---------------------------------------------------------------------------
# Comparing our .npy output with TensorFlow's values
# ---------------------------------------------------------------------------


def tensor_mismatch(ours, theirs):
    """None if `ours` (np.load of our .npy) equals TensorFlow's value bit for
    bit, else a description of the difference."""
    if isinstance(theirs, bytes):  # TF returns scalar strings as bytes
        theirs = _strings([theirs], shape=())
    theirs = np.asarray(theirs)
    if theirs.dtype == object:
        if ours.dtype.kind != "S":
            return f"dtype {ours.dtype}, expected fixed-width bytes 'S'"
        if ours.shape != theirs.shape:
            return f"shape {ours.shape}, expected {theirs.shape}"
        longest = max([len(s) for s in theirs.ravel()] + [1])
        if ours.dtype.itemsize != longest:
            return f"dtype {ours.dtype}, expected S{longest} (longest string, at least 1)"
        got = [bytes(s) for s in ours.ravel()]
        want = [bytes(s) for s in theirs.ravel()]
        if got != want:
            return f"strings {got!r}, expected {want!r}"
        return None
    if ours.dtype != theirs.dtype:
        return f"dtype {ours.dtype}, expected {theirs.dtype}"
    if ours.shape != theirs.shape:
        return f"shape {ours.shape}, expected {theirs.shape}"
    if ours.tobytes() != theirs.tobytes():
        diff = np.flatnonzero(np.frombuffer(ours.tobytes(), np.uint8)
                              != np.frombuffer(theirs.tobytes(), np.uint8))
        return f"bytes differ at {diff.size} positions, first at byte {diff[0]}"
    return None


def tf_value_mismatch(got, expected):
    """None if a value TensorFlow returned (reader.get_tensor, Session.run)
    equals `expected` (a case array; strings as object arrays of bytes) bit
    for bit, else a description of the difference."""
    if expected.dtype == object:
        got = _strings([got], ()) if isinstance(got, bytes) else np.asarray(got)
        if got.shape != expected.shape or got.tolist() != expected.tolist():
            return f"{got!r}, expected {expected!r}"
        return None
    got = np.asarray(got)
    if got.dtype != expected.dtype or got.shape != expected.shape \
            or got.tobytes() != expected.tobytes():
        return f"{got!r}, expected {expected!r}"
    return None
