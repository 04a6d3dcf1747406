"""Sparse, segment, Unique, Where and ResourceGather ops built by TensorFlow,
run by `tf1hub graph run` and compared with TensorFlow's Session.run.

Covers SparseSegmentSum/Mean/SqrtN (and *WithNumSegments) over every dtype
and index type, SparseFillEmptyRows (unsorted input, empty rows, all-empty,
zero rows; numeric, bool and string values), Unique/UniqueWithCounts, Where,
ResourceGather (with batch_dims), tf.nn.embedding_lookup_sparse over a
resource variable with each combiner, and the pipeline of hub's
text-embedding exporter on ids (sparse_fill_empty_rows + sparse_reset_shape
+ the out-of-vocabulary select + embedding_lookup_sparse(sqrtn)).

Variables are initialized in the same run as the reads in tf1hub: the reads
carry a control dependency on the initializer. TensorFlow's Grappler
(ArithmeticOptimizer's SimplifyEmbeddingLookup stage) hoists the variable
read out of embedding_lookup_sparse and drops that dependency, so on
TensorFlow's side the initializers run first, in a run of their own.

Segment reductions follow TensorFlow's summation order, so float results are
compared bit for bit; everything else exactly as well (NaN matches NaN).
"""
import numpy as np
import pytest

from _graph_run import assert_same, compare_graph, tf1hub_graph_run

EXACT = (0.0, 0.0)


def _compare_after_init(tf, run_tf1hub, workdir, graph, feeds, fetches, inits):
    """compare_graph, with `inits` (ops) run first by TensorFlow (see above);
    tf1hub runs the graph once (the fetches depend on the initializers)."""
    with tf.compat.v1.Session(graph=graph) as sess:
        sess.run(inits)
        keys = list(fetches)
        values = sess.run([fetches[k] for k in keys], {f"{n}:0": v for n, v in feeds.items()})
    result, actual = tf1hub_graph_run(run_tf1hub, workdir, graph.as_graph_def(), feeds, fetches)
    assert result.returncode == 0, f"tf1hub graph run failed:\n{result.stderr}"
    for key, value in zip(keys, values):
        assert_same(key, actual[key], value, *EXACT)


def _sorted_segments(rng, n, with_gaps=True):
    """`n` sorted segment ids starting at 0 or later, with empty segments."""
    if n == 0:
        return np.zeros([0], np.int64)
    steps = rng.integers(0, 3 if with_gaps else 2, size=n)
    steps[0] = rng.integers(0, 3)
    return np.cumsum(steps)


def _feed_cast(tf, name, array, dtype):
    """A placeholder fed `array`; cast to `dtype` when NumPy cannot hold it."""
    if dtype == tf.bfloat16:
        p = tf.compat.v1.placeholder(tf.float32, array.shape, name=name)
        return tf.cast(p, tf.bfloat16), array.astype(np.float32)
    p = tf.compat.v1.placeholder(dtype, array.shape, name=name)
    return p, array


def _fetchable(tf, t):
    return tf.cast(t, tf.float32) if t.dtype == tf.bfloat16 else t


def test_segment_reductions_random(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(11)
    raw = tf.raw_ops
    g = tf.Graph()
    feeds, fetches, tol = {}, {}, {}
    float_types = [tf.float32, tf.float64, tf.float16, tf.bfloat16]
    int_types = [tf.int32, tf.int64, tf.uint8, tf.int8, tf.int16, tf.uint16, tf.uint32,
                 tf.uint64]
    cases = []
    for op in ["Sum", "Mean", "SqrtN"]:
        for dtype in float_types + (int_types if op == "Sum" else []):
            for k in range(3):
                cases.append((op, dtype, k))
    with g.as_default():
        for c, (op, dtype, k) in enumerate(cases):
            rows = int(rng.integers(1, 12))
            cols = [0, 1, 3, 17][int(rng.integers(0, 4))] if k != 0 else 5
            n = [0, 1, 9, 10, 17, 40][int(rng.integers(0, 6))] if k != 1 else 25
            np_dtype = np.float32 if dtype == tf.bfloat16 else dtype.as_numpy_dtype
            if dtype.is_floating:
                data = rng.normal(0, 10, size=[rows, cols]).astype(np_dtype)
            else:
                lo, hi = (0, 200) if dtype.is_unsigned else (-100, 100)
                data = rng.integers(lo, hi, size=[rows, cols]).astype(np_dtype)
            idx_dtype = [np.int32, np.int64][int(rng.integers(0, 2))]
            seg_dtype = [np.int32, np.int64][int(rng.integers(0, 2))]
            # Long segments (k == 1) exercise the groups of 8.
            segs = _sorted_segments(rng, n, with_gaps=k != 1)
            if k == 1:
                segs = np.sort(rng.integers(0, 2, size=n))
            indices = rng.integers(0, rows, size=n)
            d, feeds[f"d{c}"] = _feed_cast(tf, f"d{c}", data, dtype)
            i = tf.compat.v1.placeholder(idx_dtype, [None], name=f"i{c}")
            s = tf.compat.v1.placeholder(seg_dtype, [None], name=f"s{c}")
            feeds[f"i{c}"] = indices.astype(idx_dtype)
            feeds[f"s{c}"] = segs.astype(seg_dtype)
            out = getattr(raw, f"SparseSegment{op}")(data=d, indices=i, segment_ids=s)
            fetches[f"out{c}"] = _fetchable(tf, out).name
            num = int(segs[-1]) + 1 + int(rng.integers(0, 3)) if n else int(rng.integers(0, 3))
            out_n = getattr(raw, f"SparseSegment{op}WithNumSegments")(
                data=d, indices=i, segment_ids=s,
                num_segments=tf.constant(num, [tf.int32, tf.int64][c % 2]))
            fetches[f"num{c}"] = _fetchable(tf, out_n).name
            tol[f"out{c}"] = tol[f"num{c}"] = EXACT
    compare_graph(run_tf1hub, tmp_path, g, feeds, fetches, tolerances=tol)


def _random_sparse(rng, rows, cols, n, ordered):
    """indices [n, 2] with rows < `rows`, possibly unsorted and duplicated."""
    r = rng.integers(0, max(rows, 1), size=n)
    c = rng.integers(0, max(cols, 1), size=n)
    if ordered:
        order = np.lexsort((c, r))
        r, c = r[order], c[order]
    return np.stack([r, c], axis=1).astype(np.int64).reshape([n, 2])


def test_sparse_fill_empty_rows_random(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(12)
    g = tf.Graph()
    feeds, fetches = {}, {}
    cases = [(tf.float32, 0), (tf.int64, 1), (tf.string, 2), (tf.bool, 3), (tf.float16, 4),
             (tf.int32, 5), (tf.float64, 6), (tf.bfloat16, 7), (tf.float32, 8), (tf.int64, 9)]
    with g.as_default():
        for c, (dtype, k) in enumerate(cases):
            rows = [5, 1, 8, 3, 6, 4, 7, 9, 0, 12][k]
            n = 0 if k in (3, 8) else int(rng.integers(1, 15))
            indices = _random_sparse(rng, rows, 6, n, ordered=k % 2 == 0)
            if k == 9:  # every row full and ordered: passed through
                indices = np.stack([np.arange(rows), np.zeros(rows)], axis=1).astype(np.int64)
                n = rows
            if dtype == tf.string:
                values = np.array([f"v{j}".encode() for j in range(n)], dtype=bytes)
                default = np.array(b"dflt")
            elif dtype == tf.bool:
                values = rng.random(n) < 0.5
                default = np.array(True)
            else:
                np_dtype = np.float32 if dtype == tf.bfloat16 else dtype.as_numpy_dtype
                values = rng.integers(-50, 50, size=n).astype(np_dtype)
                default = np.array(-7, np_dtype)
            ind = tf.compat.v1.placeholder(tf.int64, [None, 2], name=f"ind{c}")
            sh = tf.compat.v1.placeholder(tf.int64, [2], name=f"shape{c}")
            val, feeds[f"val{c}"] = _feed_cast(tf, f"val{c}", values.reshape([n]), dtype)
            dflt, feeds[f"dflt{c}"] = _feed_cast(tf, f"dflt{c}", default, dtype)
            feeds[f"ind{c}"] = indices
            feeds[f"shape{c}"] = np.array([rows, 6], np.int64)
            out = tf.raw_ops.SparseFillEmptyRows(indices=ind, values=val, dense_shape=sh,
                                                 default_value=dflt)
            fetches[f"oi{c}"] = out.output_indices.name
            fetches[f"ov{c}"] = _fetchable(tf, out.output_values).name
            fetches[f"empty{c}"] = out.empty_row_indicator.name
            fetches[f"rev{c}"] = out.reverse_index_map.name
            # The public API with sparse_reset_shape after it (hub's exporter).
            st = tf.sparse.SparseTensor(ind, val, sh)
            filled, empty = tf.sparse.fill_empty_rows(st, dflt)
            reset = tf.sparse.reset_shape(filled)
            fetches[f"reset_shape{c}"] = reset.dense_shape.name
            fetches[f"reset_ind{c}"] = reset.indices.name
            fetches[f"api_empty{c}"] = empty.name
    compare_graph(run_tf1hub, tmp_path, g, feeds, fetches)


def test_unique_and_where_random(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(13)
    raw = tf.raw_ops
    g = tf.Graph()
    feeds, fetches = {}, {}
    with g.as_default():
        specs = [tf.int64, tf.int32, tf.float32, tf.float64, tf.float16, tf.bfloat16, tf.string,
                 tf.bool, tf.uint8, tf.int8, tf.uint64]
        for c, dtype in enumerate(specs):
            n = [0, 1, 30, 500][c % 4]
            pool = rng.integers(-5, 20, size=n)
            if dtype == tf.string:
                x = np.array([f"w{v}".encode() if v % 7 else b"" for v in pool], dtype=bytes)
            elif dtype == tf.bool:
                x = pool % 3 == 0
            elif dtype.is_floating:
                np_dtype = np.float32 if dtype == tf.bfloat16 else dtype.as_numpy_dtype
                x = (pool / 4).astype(np_dtype)
                if n > 3:
                    x[::11] = np.nan
                    x[1::13] = -0.0
            else:
                x = (np.abs(pool) if dtype.is_unsigned else pool).astype(dtype.as_numpy_dtype)
            xp, feeds[f"x{c}"] = _feed_cast(tf, f"x{c}", x.reshape([n]), dtype)
            for out_idx in [tf.int32, tf.int64]:
                u = raw.Unique(x=xp, out_idx=out_idx)
                fetches[f"y{c}_{out_idx.name}"] = _fetchable(tf, u.y).name
                fetches[f"idx{c}_{out_idx.name}"] = u.idx.name
                uc = raw.UniqueWithCounts(x=xp, out_idx=out_idx)
                fetches[f"cy{c}_{out_idx.name}"] = _fetchable(tf, uc.y).name
                fetches[f"count{c}_{out_idx.name}"] = uc.count.name
        # Where over ranks 1..5, with empty tensors.
        for c, (dtype, shape) in enumerate([(tf.bool, [7]), (tf.float32, [3, 4]),
                                            (tf.int32, [2, 0, 3]), (tf.int64, [2, 3, 2, 2]),
                                            (tf.float64, [1, 2, 3, 2, 2]), (tf.bfloat16, [4, 4]),
                                            (tf.uint8, [300, 7]), (tf.complex64, [5])]):
            if dtype == tf.complex64:
                w = (rng.integers(0, 2, size=shape) + 1j * rng.integers(0, 2, size=shape))
                w = w.astype(np.complex64)
            else:
                w = rng.integers(0, 3, size=shape) * (rng.random(shape) < 0.5)
                if dtype == tf.bool:
                    w = w.astype(bool)
                else:
                    w = w.astype(np.float32 if dtype == tf.bfloat16 else dtype.as_numpy_dtype)
                    if dtype.is_floating and w.size:
                        w.reshape(-1)[::5] = np.nan
            wp, feeds[f"w{c}"] = _feed_cast(tf, f"w{c}", w, dtype)
            fetches[f"where{c}"] = raw.Where(condition=wp).name
    compare_graph(run_tf1hub, tmp_path, g, feeds, fetches)


def _sorted_sparse_ids(rng, batch, vocab, max_len, empty_rows=True):
    rows, cols, ids = [], [], []
    for b in range(batch):
        k = int(rng.integers(0 if empty_rows else 1, max_len + 1))
        for j in range(k):
            rows.append(b)
            cols.append(j)
            ids.append(int(rng.integers(0, vocab)))
    indices = np.stack([rows, cols], axis=1).astype(np.int64).reshape([len(rows), 2])
    return indices, np.array(ids, np.int64), np.array([batch, max_len], np.int64)


def test_embedding_lookup_sparse_over_resource_variable(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(14)
    vocab, dim = 50, 16
    g = tf.Graph()
    feeds, fetches = {}, {}
    with g.as_default():
        table = tf.compat.v1.Variable(rng.normal(size=[vocab, dim]).astype(np.float32),
                                      name="table", use_resource=True)
        ind = tf.compat.v1.placeholder(tf.int64, [None, 2], name="ind")
        ids = tf.compat.v1.placeholder(tf.int64, [None], name="ids")
        shape = tf.compat.v1.placeholder(tf.int64, [2], name="shape")
        indices, values, dense_shape = _sorted_sparse_ids(rng, 40, vocab, 12)
        feeds.update({"ind": indices, "ids": values, "shape": dense_shape})
        sp = tf.sparse.SparseTensor(ind, ids, shape)
        with tf.control_dependencies([table.initializer]):
            for combiner in ["sum", "mean", "sqrtn"]:
                out = tf.compat.v1.nn.embedding_lookup_sparse(table, sp, None, combiner=combiner)
                fetches[combiner] = out.name
            # int32 ids, and ResourceGather with batch_dims directly.
            sp32 = tf.sparse.SparseTensor(ind, tf.cast(ids, tf.int32), shape)
            fetches["sum_int32_ids"] = tf.compat.v1.nn.embedding_lookup_sparse(
                table, sp32, None, combiner="sum").name
            cube = tf.compat.v1.Variable(rng.normal(size=[4, 5, 3]).astype(np.float64),
                                         name="cube", use_resource=True)
        with tf.control_dependencies([cube.initializer]):
            bidx = tf.constant(rng.integers(0, 5, size=[4, 6]), tf.int32)
            fetches["batch_gather"] = tf.raw_ops.ResourceGather(
                resource=cube.handle, indices=bidx, dtype=tf.float64, batch_dims=1).name
            fetches["gather"] = tf.raw_ops.ResourceGather(
                resource=cube.handle, indices=tf.constant([[3, 0], [1, 1]], tf.int64),
                dtype=tf.float64).name
    _compare_after_init(tf, run_tf1hub, tmp_path, g, feeds, fetches,
                        [table.initializer, cube.initializer])


def test_hub_text_exporter_pipeline_on_ids(tf, run_tf1hub, tmp_path):
    """What hub's exporter builds after the vocabulary lookup: out-of-vocabulary
    ids (-1) replaced by hash buckets, empty rows filled with the last id,
    the shape reset, and a sqrtn embedding lookup. Batches include empty
    sentences and a batch of only empty sentences."""
    rng = np.random.default_rng(15)
    vocab, buckets, dim = 30, 4, 8
    g = tf.Graph()
    feeds, fetches = {}, {}
    with g.as_default():
        emb = tf.compat.v1.Variable(rng.normal(size=[vocab + buckets, dim]).astype(np.float32),
                                    name="embeddings", use_resource=True)
        for c, (batch, max_len, all_empty) in enumerate([(20, 6, False), (3, 2, False),
                                                         (4, 0, True), (1, 5, False)]):
            ind = tf.compat.v1.placeholder(tf.int64, [None, 2], name=f"ind{c}")
            ids = tf.compat.v1.placeholder(tf.int64, [None], name=f"ids{c}")
            hashed = tf.compat.v1.placeholder(tf.int64, [None], name=f"hashed{c}")
            shape = tf.compat.v1.placeholder(tf.int64, [2], name=f"shape{c}")
            if all_empty:
                indices = np.zeros([0, 2], np.int64)
                values = np.zeros([0], np.int64)
                dense_shape = np.array([batch, 0], np.int64)
            else:
                indices, values, dense_shape = _sorted_sparse_ids(rng, batch, vocab, max_len)
                values[rng.random(values.size) < 0.3] = -1  # out of vocabulary
            feeds.update({f"ind{c}": indices, f"ids{c}": values, f"shape{c}": dense_shape,
                          f"hashed{c}": rng.integers(0, buckets, size=values.size)})
            size = tf.constant(vocab, tf.int64)
            mapped = tf.where(tf.not_equal(ids, -1), ids, hashed + size)
            sp = tf.sparse.SparseTensor(ind, mapped, shape)
            sp, _ = tf.sparse.fill_empty_rows(sp, size + buckets - 1)
            sp = tf.sparse.reset_shape(sp)
            with tf.control_dependencies([emb.initializer]):
                out = tf.compat.v1.nn.embedding_lookup_sparse(emb, sp, None, combiner="sqrtn")
            fetches[f"emb{c}"] = out.name
            fetches[f"shape{c}"] = sp.dense_shape.name
    _compare_after_init(tf, run_tf1hub, tmp_path, g, feeds, fetches, [emb.initializer])


@pytest.mark.parametrize("case", ["unsorted_segments", "bad_index", "bad_row", "gather_range"])
def test_runtime_errors_carry_tensorflows_message(tf, run_tf1hub, tmp_path, case):
    raw = tf.raw_ops
    g = tf.Graph()
    with g.as_default():
        d = tf.constant(np.ones([3, 2], np.float32))
        if case == "unsorted_segments":
            out = raw.SparseSegmentSum(data=d, indices=[0, 1, 2], segment_ids=[0, 2, 1])
            message = "segment ids are not increasing"
        elif case == "bad_index":
            out = raw.SparseSegmentMean(data=d, indices=[0, 7], segment_ids=[0, 0])
            message = "Bad: indices[1] == 7 out of range [0, 3)"
        elif case == "bad_row":
            out = raw.SparseFillEmptyRows(indices=tf.constant([[0, 0], [4, 1]], tf.int64),
                                          values=[1.0, 2.0],
                                          dense_shape=tf.constant([4, 2], tf.int64),
                                          default_value=0.0).output_values
            message = "indices(1, 0) is invalid: 4 >= 4"
        else:
            v = tf.compat.v1.Variable(np.ones([3, 2], np.float32), use_resource=True, name="v")
            with tf.control_dependencies([v.initializer]):
                out = raw.ResourceGather(resource=v.handle, indices=[[0, 3]], dtype=tf.float32)
            message = "indices[0,1] = 3 is not in [0, 3)"
        out = tf.identity(out, name="out")
    with pytest.raises(tf.errors.InvalidArgumentError, match=message.replace("[", r"\[")
                       .replace("(", r"\(").replace(")", r"\)")):
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(out)
    result, _ = tf1hub_graph_run(run_tf1hub, tmp_path, g.as_graph_def(), {}, {"out": "out:0"})
    assert result.returncode != 0
    assert message in result.stderr


def test_hub_text_exporter_graph_end_to_end(tf, run_tf1hub, tmp_path):
    """The graph of hub's examples/text_embeddings/export.py (preprocessing
    variant) built in graph mode, with every op of the measured op list:
    punctuation stripped, split on spaces, vocabulary file lookup with
    out-of-vocabulary hash buckets, empty rows filled, shape reset, sqrtn
    embedding. The table initializer runs as a --target first."""
    from tensorflow.python.ops import lookup_ops

    rng = np.random.default_rng(16)
    words = ["the", "cat", "sat", "on", "mat", "héllo", "日本語", "don't", "a"]
    vocab_file = tmp_path / "vocab.txt"
    vocab_file.write_bytes(("\n".join(words) + "\n").encode("utf-8"))
    buckets, dim = 3, 6
    sentences = [b"", b"the cat sat", b"!!!", "héllo 日本語 world".encode(), b"on  the mat.",
                 b"unknown words only", b"a", b"   ", "don't stop".encode()]
    g = tf.Graph()
    with g.as_default():
        text = tf.compat.v1.placeholder(tf.string, [None], name="sentences")
        emb = tf.compat.v1.Variable(
            rng.normal(size=[len(words) + buckets, dim]).astype(np.float32), name="embeddings",
            use_resource=True)
        normalized = tf.strings.regex_replace(text, r"\pP", "")
        tokens = tf.compat.v1.string_split(normalized, " ")
        table = lookup_ops.index_table_from_file(vocabulary_file=str(vocab_file),
                                                 num_oov_buckets=buckets)
        ids = tf.sparse.SparseTensor(tokens.indices, table.lookup(tokens.values),
                                     tokens.dense_shape)
        ids, _ = tf.compat.v1.sparse_fill_empty_rows(ids, table.size() - 1)
        ids = tf.compat.v1.sparse_reset_shape(ids)
        with tf.control_dependencies([emb.initializer]):
            out = tf.compat.v1.nn.embedding_lookup_sparse(emb, ids, None, combiner="sqrtn")
        out = tf.identity(out, name="embedding")
        init = tf.compat.v1.tables_initializer(name="init_tables")
    feeds = {"sentences": np.array(sentences, dtype=bytes)}
    with tf.compat.v1.Session(graph=g) as sess:
        sess.run([init, emb.initializer])
        expected = sess.run(out, {text: feeds["sentences"]})
    graph_path = tmp_path / "graph.pb"
    graph_path.write_bytes(g.as_graph_def().SerializeToString())
    np.save(tmp_path / "sentences.npy", feeds["sentences"], allow_pickle=False)
    result = run_tf1hub("graph", "run", str(graph_path), "--feed",
                        f"sentences={tmp_path / 'sentences.npy'}", "--fetch", "emb=embedding:0",
                        "--target", init.name, "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert_same("emb", np.load(tmp_path / "out" / "emb.npy"), expected, *EXACT)
