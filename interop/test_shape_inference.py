"""Static shapes: TensorFlow 2.15's `_output_shapes` vs. ours.

Each case builds a graph with TensorFlow in graph mode (tf.compat.v1),
exports it with graph.as_graph_def(add_shapes=True) -- TensorFlow's shapes
are the oracle -- strips the `_output_shapes` attrs and has
tf1hub_infer_shapes (src/tf1hub/graph/tools/infer_shapes.cc; found via
$TF1HUB_INFER_SHAPES or the build tree) import the GraphDef and recompute
them with AddOutputShapes. Every node and output must agree.

Graphs whose Python construction sets shapes TF's C++ shape functions do not
infer (while loops) are compared with what TF gives after re-importing the
GraphDef, as hub module loading does; a separate test keeps the recorded
`_output_shapes` and checks they are merged as TF's importer merges them.
"""
import os
import pathlib
import subprocess

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
TOOL_CANDIDATES = [
    REPO / "build" / "src" / "tf1hub" / "graph" / "tf1hub_infer_shapes",
    REPO / "build-shapes" / "src" / "tf1hub" / "graph" / "tf1hub_infer_shapes",
]


@pytest.fixture(scope="module")
def infer_tool():
    tool = os.environ.get("TF1HUB_INFER_SHAPES")
    if not tool:
        found = [p for p in TOOL_CANDIDATES if p.is_file()]
        if not found:
            pytest.fail("tf1hub_infer_shapes not found: set TF1HUB_INFER_SHAPES "
                        "or build the target", pytrace=False)
        tool = str(found[0])
    return tool


# ---- Graph builders: each takes the tf module and builds into the default graph.

def g_placeholders(tf):
    v1 = tf.compat.v1
    v1.placeholder(tf.float32, [None, 50], name="x")
    v1.placeholder(tf.float32, None, name="unknown")
    v1.placeholder(tf.int32, [], name="scalar")
    v1.placeholder(tf.string, [None], name="strings")
    v1.placeholder_with_default(tf.constant([[1.0, 2.0]]), [None, 2], name="pwd")
    v1.placeholder_with_default(tf.constant(3), [], name="pwd_scalar")
    tf.constant(np.zeros((2, 3, 4), np.float32), name="c3")
    tf.constant("s", name="cs")


def g_dense(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 50], name="x")
    init = v1.glorot_uniform_initializer(seed=1)
    h = v1.layers.dense(x, 200, activation=tf.nn.relu, kernel_initializer=init, name="dense")
    h = v1.layers.dropout(h, rate=0.3, training=True)
    v1.layers.dense(h, 10, kernel_initializer=init, name="logits")


def g_batch_norm(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 8], name="x")
    v1.layers.batch_normalization(x, training=True, name="bn")
    y = v1.placeholder(tf.float32, [None, 5, 5, 3], name="y")
    v1.layers.batch_normalization(y, training=False, name="bn2")


def g_matmul(tf):
    v1 = tf.compat.v1
    a = v1.placeholder(tf.float32, [None, 3], name="a")
    b = v1.placeholder(tf.float32, [3, 7], name="b")
    c = v1.placeholder(tf.float32, [7, None], name="c")
    tf.matmul(a, b, name="ab")
    tf.matmul(b, a, transpose_a=True, transpose_b=True, name="ba_t")
    tf.matmul(tf.matmul(a, b), c, name="abc")
    u = v1.placeholder(tf.float32, None, name="u")
    tf.matmul(u, b, name="ub")
    x = v1.placeholder(tf.float32, [2, 1, 4, 3], name="x")
    y = v1.placeholder(tf.float32, [5, 3, 6], name="y")
    tf.linalg.matmul(x, y, name="bmm")
    z = v1.placeholder(tf.float32, [None, 6, 3], name="z")
    tf.linalg.matmul(x, z, adjoint_b=True, name="bmm_adj")


def g_broadcast(tf):
    v1 = tf.compat.v1
    a = v1.placeholder(tf.float32, [None, 1, 3], name="a")
    b = v1.placeholder(tf.float32, [4, 1], name="b")
    c = v1.placeholder(tf.float32, [None], name="c")
    d = v1.placeholder(tf.float32, None, name="d")
    e = v1.placeholder(tf.float32, [2, None], name="e")
    f = v1.placeholder(tf.float32, [None, 1], name="f")
    g = v1.placeholder(tf.float32, [], name="g")
    for name, op in [("add", tf.add), ("sub", tf.subtract), ("mul", tf.multiply),
                     ("div", tf.math.divide), ("realdiv", tf.realdiv),
                     ("max", tf.maximum), ("min", tf.minimum), ("pow", tf.pow),
                     ("sqdiff", tf.math.squared_difference),
                     ("floordiv", tf.math.floordiv), ("floormod", tf.math.floormod),
                     ("less", tf.less), ("ge", tf.greater_equal), ("eq", tf.equal),
                     ("ne", tf.not_equal), ("divnonan", tf.math.divide_no_nan)]:
        op(a, b, name=name + "_ab")
        op(a, c, name=name + "_ac")
    tf.add(a, d, name="add_ad")
    tf.add(e, f, name="add_ef")
    tf.add(e, c, name="add_ec")
    tf.add(g, a, name="add_ga")
    tf.add(f, e, name="add_fe")
    p = v1.placeholder(tf.bool, [None, 3], name="p")
    q = v1.placeholder(tf.bool, [2, 1], name="q")
    tf.logical_and(p, q, name="and")
    tf.logical_or(p, q, name="or")
    tf.logical_not(p, name="not")


def g_unary(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 4], name="x")
    for fn in [tf.abs, tf.math.ceil, tf.cos, tf.exp, tf.floor, tf.math.log, tf.math.log1p,
               tf.negative, tf.math.reciprocal, tf.round, tf.math.rsqrt, tf.sigmoid,
               tf.sign, tf.sin, tf.sqrt, tf.square, tf.tanh, tf.nn.relu, tf.nn.relu6,
               tf.nn.elu, tf.nn.selu, tf.nn.softplus, tf.nn.softmax, tf.nn.log_softmax,
               tf.stop_gradient, tf.identity, tf.zeros_like, tf.ones_like]:
        fn(x)
    tf.cast(x, tf.int32)
    tf.math.cumsum(x, axis=1)
    tf.nn.l2_loss(x)
    tf.identity_n([x, tf.constant(1)])
    tf.raw_ops.Snapshot(input=x)


def g_select(tf):
    v1 = tf.compat.v1
    t = v1.placeholder(tf.float32, [None, 3], name="t")
    e = v1.placeholder(tf.float32, [4, None], name="e")
    c0 = v1.placeholder(tf.bool, [], name="c0")
    c1 = v1.placeholder(tf.bool, [None], name="c1")
    c2 = v1.placeholder(tf.bool, [None, None], name="c2")
    v1.where(c0, t, e, name="sel0")
    v1.where(c1, t, e, name="sel1")
    v1.where(c2, t, e, name="sel2")
    tf.where(c1[:, None], t, 0.0, name="selv2")
    tf.where(c2, name="where")
    tf.raw_ops.SelectV2(condition=c0, t=t, e=tf.constant([1.0, 2.0, 3.0]), name="selv2b")


def g_reductions(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 3, 5], name="x")
    u = v1.placeholder(tf.float32, None, name="u")
    ax = v1.placeholder(tf.int32, [None], name="ax")
    b = v1.placeholder(tf.bool, [2, None], name="b")
    for keep in (False, True):
        k = "k" if keep else "n"
        tf.reduce_sum(x, axis=1, keepdims=keep, name="sum1" + k)
        tf.reduce_mean(x, axis=[0, -1], keepdims=keep, name="mean" + k)
        tf.reduce_max(x, keepdims=keep, name="maxall" + k)
        tf.reduce_min(x, axis=ax, keepdims=keep, name="minax" + k)
        tf.reduce_prod(u, axis=0, keepdims=keep, name="produ" + k)
        tf.reduce_all(b, axis=1, keepdims=keep, name="all" + k)
        tf.reduce_any(b, keepdims=keep, name="any" + k)
    tf.argmax(x, axis=1, name="argmax")
    tf.argmin(x, axis=-1, name="argmin")
    tf.argmax(x, axis=v1.placeholder(tf.int32, [], name="dyn_axis"), name="argmax_dyn")
    tf.argmax(v1.placeholder(tf.float32, [7]), axis=0, name="argmax_vec")


def g_reshape(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 6], name="x")
    tf.reshape(x, [-1, 3], name="r1")
    tf.reshape(x, [-1], name="r2")
    tf.reshape(x, tf.stack([tf.shape(x)[0], -1]), name="r3")
    tf.reshape(x, [-1, tf.shape(x)[1] * 2], name="r4")
    y = v1.placeholder(tf.float32, [4, 6], name="y")
    tf.reshape(y, [2, -1, 3], name="r5")
    tf.reshape(y, tf.constant([2, 3]) * tf.constant([2, 2]), name="r6")
    tf.reshape(y, tf.shape(x), name="r7")
    tf.reshape(y, tf.concat([[4], tf.shape(x)[1:]], 0), name="r8")
    z = v1.placeholder(tf.float32, [None, 3, 4], name="z")
    tf.reshape(z, tf.concat([[-1], tf.shape(z)[1:] * 1], 0), name="r9")
    tf.reshape(z, [tf.shape(z)[0], 12], name="r10")
    s = v1.placeholder(tf.int32, [3], name="s")
    tf.reshape(z, s, name="r11")
    u = v1.placeholder(tf.float32, None, name="u")
    tf.reshape(u, [2, -1], name="r12")
    tf.reshape(y, tf.cast(tf.shape(x), tf.int64), name="r13")
    tf.squeeze(v1.placeholder(tf.float32, [1, None, 1, 3]), name="sq_all")
    tf.squeeze(v1.placeholder(tf.float32, [1, None, 1, 3]), axis=[0, 2], name="sq_some")
    tf.squeeze(v1.placeholder(tf.float32, [1, 2, 1, 3]), name="sq_known")
    tf.expand_dims(x, 0, name="ed0")
    tf.expand_dims(x, -1, name="ed_last")
    tf.expand_dims(u, 1, name="ed_u")
    tf.expand_dims(x, v1.placeholder(tf.int32, []), name="ed_dyn")


def g_concat_pack(tf):
    v1 = tf.compat.v1
    a = v1.placeholder(tf.float32, [None, 3], name="a")
    b = v1.placeholder(tf.float32, [2, None], name="b")
    c = v1.placeholder(tf.float32, [2, 4], name="c")
    tf.concat([a, b, v1.placeholder(tf.float32, [2, 3])], axis=0, name="cat0")
    tf.concat([b, c], axis=1, name="cat1")
    tf.concat([b, c], axis=-1, name="catm1")
    tf.concat([a, c], axis=v1.placeholder(tf.int32, []), name="catdyn")
    tf.stack([a, a], name="stack0")
    tf.stack([b, c], axis=1, name="stack1")
    tf.stack([b, c], axis=-1, name="stackm1")
    tf.stack([tf.constant(1), tf.constant(2)], name="stack_scalars")
    tf.unstack(c, axis=0, name="unstack0")
    tf.unstack(c, axis=1, name="unstack1")
    tf.unstack(v1.placeholder(tf.float32, [None, 3]), axis=1, name="unstack_u")


def g_shape_ops(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 6], name="x")
    u = v1.placeholder(tf.float32, None, name="u")
    tf.shape(x, name="shape")
    tf.shape(u, name="shape_u")
    tf.shape(x, out_type=tf.int64, name="shape64")
    tf.size(x, name="size")
    tf.rank(u, name="rank")
    tf.fill([2, 3], 1.0, name="fill")
    tf.fill(tf.shape(x), 0.0, name="fill_shape")
    tf.fill(tf.shape(x)[1:], 1.0, name="fill_slice")
    tf.zeros(tf.shape(x) * 2, name="zeros_mul")
    tf.ones([v1.placeholder(tf.int32, []), 3], name="ones_dyn")
    tf.range(10, name="range")
    tf.range(2, 11, 3, name="range3")
    tf.range(5, 0, -2, name="range_neg")
    tf.range(0.0, 1.0, 0.3, name="range_f")
    tf.range(v1.placeholder(tf.int32, []), name="range_dyn")
    tf.range(tf.constant(3) + 2, name="range_folded")
    tf.range(tf.size(x), name="range_size")
    tf.random.uniform([3, 4], name="ru")
    tf.random.normal(tf.shape(x), name="rn")
    tf.random.truncated_normal(tf.stack([2, tf.shape(x)[1]]), name="rtn")
    tf.broadcast_to(tf.constant([1.0, 2.0]), [3, 2], name="bcast_to")
    tf.one_hot(v1.placeholder(tf.int32, [None]), 5, name="one_hot")
    tf.one_hot(v1.placeholder(tf.int32, [None, 2]), 4, axis=1, name="one_hot_ax")


def g_strided_slice(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 6, 4], name="x")
    y = v1.placeholder(tf.float32, [5, 7], name="y")
    tf.identity(x[:, 0], name="s_col0")
    tf.identity(x[1:], name="s_tail")
    tf.identity(x[..., 1], name="s_ellipsis")
    tf.identity(x[:, tf.newaxis, 2:5], name="s_newaxis")
    tf.identity(x[..., tf.newaxis], name="s_newaxis_end")
    tf.identity(y[::2], name="s_step")
    tf.identity(y[::-1, 1:-1], name="s_rev")
    tf.identity(y[-1], name="s_last")
    tf.identity(y[3:1], name="s_empty")
    tf.identity(y[1:100, :3], name="s_clamp")
    tf.identity(y[:, -3:], name="s_negbegin")
    tf.identity(x[0, ..., ::2], name="s_mix")
    tf.identity(tf.shape(x)[1:], name="s_shape_tail")
    i = v1.placeholder(tf.int32, [], name="i")
    tf.identity(y[i], name="s_dyn_index")
    tf.identity(y[i:], name="s_dyn_begin")
    tf.identity(y[:, i], name="s_dyn_col")
    tf.slice(y, [1, 2], [2, -1], name="slice")
    tf.slice(x, [0, 1, 0], [-1, 2, 3], name="slice_u")
    tf.slice(y, [i, 0], [2, 3], name="slice_dyn_begin")
    tf.slice(y, [0, 0], [i, 3], name="slice_dyn_size")
    tf.slice(y, [0, 0], tf.stack([i, 3]), name="slice_pack_size")


def g_transpose_tile_pad_gather(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 3, 5], name="x")
    u = v1.placeholder(tf.float32, None, name="u")
    tf.transpose(x, name="t_default")
    tf.transpose(x, [0, 2, 1], name="t_perm")
    tf.transpose(x, v1.placeholder(tf.int32, [3]), name="t_dyn")
    tf.transpose(u, [1, 0], name="t_u")
    tf.tile(x, [2, 1, 3], name="tile")
    tf.tile(x, v1.placeholder(tf.int32, [3]), name="tile_dyn")
    tf.pad(x, [[0, 0], [1, 2], [3, 3]], name="pad")
    tf.pad(x, v1.placeholder(tf.int32, [3, 2]), name="pad_dyn")
    params = v1.placeholder(tf.float32, [10, 4], name="params")
    idx = v1.placeholder(tf.int32, [None, 2], name="idx")
    tf.gather(params, idx, name="gather0")
    tf.gather(params, idx, axis=1, name="gather1")
    tf.gather(params, tf.constant([1, 2, 3]), name="gather_const")
    tf.gather(params, idx, axis=v1.placeholder(tf.int32, []), name="gather_dyn")
    tf.gather(x, v1.placeholder(tf.int32, [None, 7]), axis=-1, name="gather_neg")


def g_nn(tf):
    v1 = tf.compat.v1
    img = v1.placeholder(tf.float32, [None, 28, 28, 3], name="img")
    f = tf.constant(np.zeros((5, 5, 3, 8), np.float32))
    tf.nn.conv2d(img, f, strides=1, padding="SAME", name="conv_same")
    tf.nn.conv2d(img, f, strides=2, padding="VALID", name="conv_valid")
    tf.nn.conv2d(img, f, strides=1, padding="VALID", dilations=2, name="conv_dil")
    tf.nn.conv2d(img, f, strides=1, padding=[[0, 0], [1, 1], [2, 2], [0, 0]], name="conv_explicit")
    dw = tf.constant(np.zeros((3, 3, 3, 2), np.float32))
    tf.nn.depthwise_conv2d(img, dw, strides=[1, 2, 2, 1], padding="SAME", name="dw")
    tf.nn.max_pool2d(img, 2, 2, "VALID", name="maxpool")
    tf.nn.avg_pool2d(img, 3, 2, "SAME", name="avgpool")
    v1.layers.conv2d(img, 4, 3, kernel_initializer=v1.glorot_uniform_initializer(seed=1),
                     name="conv_layer")
    v1.layers.max_pooling2d(img, 2, 2, name="pool_layer")
    x = v1.placeholder(tf.float32, [None, 7], name="x")
    tf.nn.bias_add(x, tf.constant(np.zeros(7, np.float32)), name="bias")
    tf.nn.bias_add(v1.placeholder(tf.float32, [None, 4, 5, 6]), tf.zeros([4]),
                   data_format="NCHW", name="bias_nchw")
    tf.nn.dropout(x, rate=0.5, name="drop")
    tf.nn.dropout(v1.placeholder(tf.float32, [3, 7]), rate=0.5, name="drop_known")


def g_variables(tf):
    v1 = tf.compat.v1
    v = v1.get_variable("v", [3, 4], initializer=v1.zeros_initializer())
    w = v1.get_variable("w", [5], use_resource=True, initializer=v1.ones_initializer())
    tf.identity(v, name="v_id")
    tf.identity(w.read_value(), name="w_read")
    v1.assign(v, tf.ones([3, 4]), name="assign")
    v1.assign_add(w, tf.ones([5]), name="assign_add")
    v1.is_variable_initialized(v)
    v1.global_variables_initializer()
    ref = v1.Variable(tf.zeros([2, 2]), use_resource=False, name="ref")
    v1.assign(ref, tf.ones([2, 2]), name="ref_assign")
    v1.assign_add(ref, tf.ones([2, 2]), name="ref_assign_add")
    v1.assign_sub(ref, tf.ones([2, 2]), name="ref_assign_sub")
    v1.assign(ref, tf.ones([3]), validate_shape=False, name="ref_assign_noval")
    v1.is_variable_initialized(ref)
    table = v1.get_variable("table", [100, 8], initializer=v1.zeros_initializer())
    tf.nn.embedding_lookup(table, v1.placeholder(tf.int32, [None, 3]), name="emb")
    v1.train.Saver()


def g_strings_tables_sparse(tf):
    v1 = tf.compat.v1
    s = v1.placeholder(tf.string, [None], name="s")
    sp = v1.string_split(s, " ")
    tf.identity(sp.indices, name="sp_idx")
    tf.strings.to_hash_bucket_fast(s, 100, name="hash")
    tf.strings.regex_replace(s, "a", "b", name="regex")
    tf.strings.join([s, "x"], name="join")
    keys = tf.constant(["a", "b"])
    vals = tf.constant([1, 2], tf.int64)
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(keys, vals), -1)
    table.lookup(s, name="lookup")
    table.lookup(v1.placeholder(tf.string, [None, 4]), name="lookup2")
    table.size(name="tsize")
    idx = v1.placeholder(tf.int64, [None, 2], name="idx")
    values = v1.placeholder(tf.int64, [None], name="values")
    dense_shape = tf.constant([5, 10], tf.int64)
    st = tf.SparseTensor(idx, values, dense_shape)
    filled, ind = tf.sparse.fill_empty_rows(st, 0)
    tf.identity(filled.indices, name="fill_idx")
    tf.identity(ind, name="fill_ind")
    data = v1.placeholder(tf.float32, [None, 16], name="data")
    seg_idx = v1.placeholder(tf.int32, [None], name="seg_idx")
    seg = v1.placeholder(tf.int32, [None], name="seg")
    tf.sparse.segment_sum(data, seg_idx, seg, name="segsum")
    tf.sparse.segment_mean(data, seg_idx, seg, name="segmean")
    tf.sparse.segment_sqrt_n(data, seg_idx, seg, name="segsqrt")
    tf.unique(values, name="unique")
    tf.where(v1.placeholder(tf.bool, [None, 3, 2]), name="where3")


def g_cond(tf):
    v1 = tf.compat.v1
    p = v1.placeholder(tf.bool, [], name="p")
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    # TF1 control flow (Switch/Merge) rather than functional If.
    v1.disable_control_flow_v2()
    try:
        v1.cond(p, lambda: x * 2.0, lambda: x + 1.0, name="cond")
        v1.cond(p, lambda: x[:, :2], lambda: x[:, 1:], name="cond2")
        v1.cond(p, lambda: x, lambda: tf.zeros([4, 3]), name="cond3")
    finally:
        v1.enable_control_flow_v2()


def g_chain_of_consts(tf):
    x = tf.constant([2, 3])
    for _ in range(20):
        x = x + tf.constant([0, 0])
    tf.reshape(tf.zeros([6]), x, name="reshape_chain")
    tf.zeros(tf.maximum(x, 1) - 1, name="zeros_chain")


def g_partial_shapes(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 6], name="x")
    n = v1.placeholder(tf.int32, [None], name="n")
    tf.reshape(x, [tf.shape(x)[0], 2, 3], name="r_pack")
    tf.reshape(x, n, name="r_unknown_len")
    tf.reshape(x, [2, -1, v1.placeholder(tf.int32, [])], name="r_pack_dyn")
    tf.tile(x, tf.stack([1, tf.shape(x)[0]]), name="tile_pack")
    tf.fill(tf.constant([2, 3], tf.int64), 1.0, name="fill64")
    tf.expand_dims(x, tf.constant(1, tf.int64), name="ed64")
    tf.broadcast_to(x, tf.stack([4, tf.shape(x)[0], 6]), name="bcast_pack")
    tf.transpose(v1.placeholder(tf.float32, None), [2, 0, 1], name="t_unknown_const")
    params = v1.placeholder(tf.float32, [None, 5, 3], name="params")
    idx = v1.placeholder(tf.int32, [None, 4], name="idx")
    tf.gather(params, idx, axis=1, batch_dims=1, name="gather_batch")
    tf.zeros(tf.shape(x)[0:1], name="zeros_slice1")
    tf.zeros(tf.concat([tf.shape(x), [3]], 0), name="zeros_concat")
    tf.zeros(tf.cast(tf.shape(x), tf.int64), name="zeros_cast")
    tf.zeros(tf.cast(tf.constant([2.0, 3.0]), tf.int32), name="zeros_cast_const")
    tf.reshape(x, tf.range(1, 3) * 3, name="r_range")
    tf.zeros(tf.reduce_prod(tf.shape(x)[1:], keepdims=True), name="zeros_prod")
    tf.zeros(tf.gather(tf.shape(x), [1, 1]), name="zeros_gather")
    tf.reshape(x, [-1, tf.unstack(tf.shape(x))[1] * 2], name="r_unstack")
    tf.reshape(x, [-1, tf.shape(x)[-1] + 0], name="r_neg_index")
    tf.zeros(tf.shape(x)[1:2] * 2, name="zeros_vec_slice")
    tf.zeros([tf.shape(x)[0], tf.shape(x)[1]], name="zeros_dims")
    tf.zeros([tf.size(x), tf.rank(x)], name="zeros_size_rank")


def g_gradients(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    y = v1.placeholder(tf.float32, [3], name="y")
    loss = tf.reduce_mean(tf.square(x * y))
    v1.gradients(loss, [x, y], name="grads")
    a = v1.placeholder(tf.float32, [2, None], name="a")
    b = v1.placeholder(tf.float32, [None, 4], name="b")
    v1.gradients(tf.reduce_sum(tf.matmul(a, b) / 2.0), [a, b], name="mgrads")


def g_einsum(tf):
    v1 = tf.compat.v1
    a = v1.placeholder(tf.float32, [None, 3, 4], name="a")
    b = v1.placeholder(tf.float32, [4, 5], name="b")
    tf.einsum("bij,jk->bik", a, b, name="e1")
    tf.einsum("bij->bji", a, name="e2")
    tf.einsum("bij,bij->b", a, a, name="e3")


def g_while(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    v1.disable_control_flow_v2()
    try:
        v1.while_loop(lambda i, acc: i < 3, lambda i, acc: (i + 1, acc * 2.0),
                      [tf.constant(0), x], name="loop")
    finally:
        v1.enable_control_flow_v2()


def g_more_ops(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 3, 4], name="x")
    tf.gather_nd(x, v1.placeholder(tf.int32, [None, 2]), name="gnd")
    tf.gather_nd(x, v1.placeholder(tf.int32, [5, 3]), name="gnd_full")
    tf.reverse(x, [1], name="rev")
    tf.pad(x, [[0, 0], [1, 1], [2, 0]], constant_values=1.0, name="padv2")
    tf.random.uniform([2, 3], maxval=10, dtype=tf.int32, name="rui")
    tf.clip_by_value(x, 0.0, 1.0, name="clip")
    tf.scatter_nd(v1.placeholder(tf.int32, [None, 1]), v1.placeholder(tf.float32, [None, 4]),
                  [8, 4], name="scatter")
    s = v1.placeholder(tf.string, [None, 2], name="s")
    tf.strings.length(s, name="len")
    tf.strings.substr(s, 0, 2, name="substr")
    tf.strings.as_string(x, name="as_string")
    sp = tf.sparse.reshape(tf.SparseTensor(v1.placeholder(tf.int64, [None, 2]),
                                           v1.placeholder(tf.float32, [None]), [4, 6]), [3, 8])
    tf.identity(sp.indices, name="sp_indices")


CASES = [
    g_placeholders, g_dense, g_batch_norm, g_matmul, g_broadcast, g_unary, g_select,
    g_reductions, g_reshape, g_concat_pack, g_shape_ops, g_strided_slice,
    g_transpose_tile_pad_gather, g_nn, g_variables, g_strings_tables_sparse, g_cond,
    g_chain_of_consts, g_partial_shapes, g_gradients, g_einsum, g_while, g_more_ops,
]


REIMPORTED = {g_while}


def _shapes(node):
    if "_output_shapes" not in node.attr:
        return None
    out = []
    for s in node.attr["_output_shapes"].list.shape:
        out.append(None if s.unknown_rank else tuple(d.size for d in s.dim))
    return out


@pytest.mark.parametrize("build", CASES, ids=[c.__name__[2:] for c in CASES])
def test_shapes_match_tensorflow(tf, infer_tool, tmp_path, build):
    graph = tf.Graph()
    with graph.as_default():
        build(tf)
    oracle = graph.as_graph_def(add_shapes=True)
    if build in REIMPORTED:
        # Python's while_loop sets shapes on loop tensors that TF's importer
        # (which hub's module loading uses) does not infer: compare with the
        # shapes TF gives the imported GraphDef.
        reimported = tf.Graph()
        with reimported.as_default():
            tf.compat.v1.import_graph_def(graph.as_graph_def(), name="")
        oracle = reimported.as_graph_def(add_shapes=True)
    stripped = tf.compat.v1.GraphDef()
    stripped.CopyFrom(oracle)
    for node in stripped.node:
        if "_output_shapes" in node.attr:
            del node.attr["_output_shapes"]
    src = tmp_path / "in.pb"
    dst = tmp_path / "out.pb"
    src.write_bytes(stripped.SerializeToString())
    proc = subprocess.run([infer_tool, str(src), str(dst)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, f"{build.__name__}: {proc.stderr}"
    ours = tf.compat.v1.GraphDef()
    ours.ParseFromString(dst.read_bytes())
    ours_by_name = {n.name: n for n in ours.node}
    mismatches = []
    assert any(_shapes(n) for n in oracle.node)
    for node in oracle.node:
        expected = _shapes(node)
        got = _shapes(ours_by_name[node.name])
        if expected != got:
            mismatches.append(f"{node.name} ({node.op}): TF {expected} ours {got}")
    assert not mismatches, "\n".join(mismatches)


def g_set_shape(tf):
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, [None, 6], name="x")
    y = tf.reshape(x, tf.stack([tf.shape(x)[0], -1]), name="r")
    y.set_shape([None, 6])  # Python-only knowledge, kept in `_output_shapes`
    tf.nn.relu(y, name="relu")


@pytest.mark.parametrize("build", [g_while, g_set_shape], ids=["while", "set_shape"])
def test_recorded_output_shapes_are_merged_like_tf_import(tf, infer_tool, tmp_path, build):
    # A GraphDef exported with `_output_shapes` (as export_meta_graph writes
    # it): TF's importer merges those attrs into what it infers.
    graph = tf.Graph()
    with graph.as_default():
        build(tf)
    exported = graph.as_graph_def(add_shapes=True)
    reimported = tf.Graph()
    with reimported.as_default():
        tf.compat.v1.import_graph_def(exported, name="")
    oracle = reimported.as_graph_def(add_shapes=True)
    src = tmp_path / "in.pb"
    dst = tmp_path / "out.pb"
    src.write_bytes(exported.SerializeToString())
    proc = subprocess.run([infer_tool, str(src), str(dst), "--keep-output-shapes"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    ours = tf.compat.v1.GraphDef()
    ours.ParseFromString(dst.read_bytes())
    ours_by_name = {n.name: n for n in ours.node}
    mismatches = [f"{n.name} ({n.op}): TF {_shapes(n)} ours {_shapes(ours_by_name[n.name])}"
                  for n in oracle.node if _shapes(n) != _shapes(ours_by_name[n.name])]
    assert not mismatches, "\n".join(mismatches)
    by_name = {n.name: n for n in oracle.node}
    if build is g_set_shape:
        assert _shapes(by_name["relu"]) == [(-1, 6)]


def test_inconsistent_graph_is_an_error(tf, infer_tool, tmp_path):
    # A GraphDef TF's Python API would refuse to build: MatMul of [2,3] by [4,5].
    graph = tf.Graph()
    with graph.as_default():
        a = tf.compat.v1.placeholder(tf.float32, [2, 3], name="a")
        b = tf.compat.v1.placeholder(tf.float32, [3, 5], name="b")
        tf.matmul(a, b, name="m")
    graph_def = graph.as_graph_def()
    for node in graph_def.node:
        if node.name == "b":
            node.attr["shape"].shape.dim[0].size = 4
    src = tmp_path / "in.pb"
    src.write_bytes(graph_def.SerializeToString())
    proc = subprocess.run([infer_tool, str(src), str(tmp_path / "out.pb")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Dimensions must be equal, but are 3 and 4" in proc.stderr
    assert "{{node m}} = MatMul" in proc.stderr
