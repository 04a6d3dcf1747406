"""The graphs of src/tf1hub/graph/tools/write_layer_graphs.cc, built with
TensorFlow 2.15's tf.compat.v1 (resource variables, control flow v1), for
interop/test_graph_layers_to_tf.py. Keep the two in step.

Each builder runs inside `with graph.as_default()` and returns nothing;
build(name) wraps it with control flow v1 switched on for the duration.
"""
import contextlib

import tensorflow as tf
from tensorflow.python.ops import control_flow_util

tf1 = tf.compat.v1


@contextlib.contextmanager
def control_flow_v1():
    """tf.compat.v1.disable_control_flow_v2() undone on exit (process-wide flag)."""
    old = control_flow_util.ENABLE_CONTROL_FLOW_V2
    control_flow_util.ENABLE_CONTROL_FLOW_V2 = False
    try:
        yield
    finally:
        control_flow_util.ENABLE_CONTROL_FLOW_V2 = old


def build_variables():
    tf1.set_random_seed(5)
    tf1.get_variable("a", [2, 3], initializer=tf1.random_uniform_initializer(-0.5, 0.5, seed=3))
    tf1.get_variable("b", [3], initializer=tf1.truncated_normal_initializer(0.1, 0.2, seed=4))
    tf1.get_variable("c", [4, 3], initializer=tf1.glorot_uniform_initializer(seed=7))
    tf1.get_variable("d", [2, 2], initializer=tf1.constant_initializer(2.5))
    tf1.get_variable("e", [2, 2], initializer=tf1.constant_initializer([1, 2, 3, 4]))
    tf1.get_variable("f", [50, 40], initializer=tf1.zeros_initializer())
    tf1.get_variable("h", [3], initializer=tf1.random_uniform_initializer())
    tf1.get_variable("i", [3], dtype=tf.int32, initializer=tf1.zeros_initializer())
    tf1.get_variable("j", [50, 40], initializer=tf1.ones_initializer())
    tf1.get_variable("k", [], initializer=tf1.constant_initializer(3.0), trainable=False,
                     collections=[tf1.GraphKeys.GLOBAL_VARIABLES, tf1.GraphKeys.MODEL_VARIABLES])
    tf1.get_variable("n", [2], initializer=tf1.random_normal_initializer(0.5, 2.0, seed=9))
    tf1.get_variable("g", [3, 2], initializer=tf1.glorot_normal_initializer(seed=11))
    tf1.get_variable("r", [2, 3], initializer=tf1.ones_initializer(), use_resource=False)
    tf1.get_variable("rg", [4, 2], initializer=tf1.glorot_uniform_initializer(), use_resource=False)
    with tf1.variable_scope("scope"):
        # TF 2.15 builds this loss lazily as scope/w/Regularizer/... (and, to
        # test the regularizer for None, once more at the root: L2Loss, mul).
        tf1.get_variable("w", [2], initializer=tf1.constant_initializer([0.5, -0.5]),
                         regularizer=tf.keras.regularizers.l2(0.1))
    tf1.global_variables_initializer()


def slim_l2(scale):
    """tf_slim / tf.contrib.layers l2_regularizer(scale) (not in TF 2.15)."""
    def l2(weights):
        with tf1.name_scope(None, "l2_regularizer", [weights]) as name:
            my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(my_scale, tf.nn.l2_loss(weights), name=name)
    return l2


def slim_l1(scale):
    """tf_slim / tf.contrib.layers l1_regularizer(scale)."""
    def l1(weights):
        with tf1.name_scope(None, "l1_regularizer", [weights]) as name:
            my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(my_scale, tf.reduce_sum(tf.abs(weights)), name=name)
    return l1


def build_dense():
    x = tf1.placeholder(tf.float32, [None, 4], name="x")
    y = tf1.layers.dense(x, 3, activation=tf.nn.tanh, use_bias=False,
                         kernel_initializer=tf1.glorot_uniform_initializer(seed=1))
    y = tf1.layers.dense(y, 2, activation=tf.nn.sigmoid,
                         kernel_initializer=tf1.constant_initializer(0.5),
                         bias_initializer=tf1.constant_initializer(0.1),
                         kernel_regularizer=tf.keras.regularizers.l1(0.01),
                         bias_regularizer=tf.keras.regularizers.L1L2(0.1, 0.2), trainable=False)
    with tf1.variable_scope("outer"):
        y = tf1.layers.dense(y, 2, kernel_initializer=tf1.ones_initializer(), name="fc")
        tf1.layers.dense(y, 2, name="fc", reuse=True)
    tf1.layers.dense(x, 2, activation=tf.nn.relu, kernel_initializer=tf1.ones_initializer(),
                     kernel_regularizer=tf.keras.regularizers.l2(0.1), name="outer/fc2")
    tf1.layers.dense(x, 250, use_bias=False, kernel_initializer=tf1.zeros_initializer())
    with tf1.variable_scope("", use_resource=False):
        tf1.layers.dense(x, 3, kernel_initializer=tf1.glorot_uniform_initializer(seed=1),
                         kernel_regularizer=slim_l2(0.5), bias_regularizer=slim_l1(0.25),
                         name="ref")
    tf1.global_variables_initializer()


def build_dropout():
    tf1.set_random_seed(5)
    x = tf1.placeholder(tf.float32, [None, 4], name="x")
    xs = tf1.placeholder(tf.float32, [2, 4], name="xs")
    t = tf1.placeholder(tf.bool, [], name="t")
    a = tf1.layers.dropout(x, 0.3, training=True, seed=2)
    tf1.layers.dropout(a, 0.25, training=False)
    tf1.layers.dropout(a, 0.5, training=t)
    tf1.layers.dropout(a, 0.5, training=True)
    tf1.layers.dropout(xs, 0.2, training=t, seed=3)
    tf1.layers.dropout(xs, 0.0, training=True)
    tf1.layers.dropout(xs, 0.4, training=tf.constant(True, name="yes"), name="drop")


def build_batch_norm():
    x = tf1.placeholder(tf.float32, [None, 4], name="x")
    t = tf1.placeholder(tf.bool, [], name="t")
    bn = tf1.layers.batch_normalization
    y = bn(x, training=False)
    y = bn(y, momentum=0.9, epsilon=0.01, training=True)
    y = bn(y, training=t)
    y = bn(y, center=False, scale=False, training=False)
    y = bn(y, center=True, scale=False, training=True)
    bn(y, center=False, gamma_regularizer=tf.keras.regularizers.l2(0.5), training=t, name="bn")
    tf1.global_variables_initializer()


def build_batch_norm_fused():
    x = tf1.placeholder(tf.float32, [None, 5, 5, 4], name="x")
    x5 = tf1.placeholder(tf.float32, [None, 2, 3, 3, 4], name="x5")
    t = tf1.placeholder(tf.bool, [], name="t")
    bn = tf1.layers.batch_normalization
    y = bn(x, training=False)
    y = bn(y, momentum=0.9, epsilon=0.01, training=True)
    y = bn(y, training=t)
    y = bn(y, center=False, scale=False, training=True)
    y = bn(y, scale=False, training=t)
    bn(y, training=True, fused=False)
    bn(x5, training=t)
    tf1.global_variables_initializer()


def _mlp(kernel_init, training, with_dropout):
    x = tf1.placeholder(tf.float32, [None, 4], name="x")
    t = tf1.placeholder(tf.bool, [], name="t")
    flag = {"t": t, "true": True, "false": False}[training]
    h = tf1.layers.dense(x, 8, activation=tf.nn.relu, kernel_initializer=kernel_init,
                         bias_initializer=tf1.constant_initializer(0.05),
                         kernel_regularizer=tf.keras.regularizers.l2(0.01),
                         bias_regularizer=tf.keras.regularizers.l1(0.02))
    h = tf1.layers.batch_normalization(h, momentum=0.9, training=flag)
    h = tf1.layers.dropout(h, 0.5, training=flag if with_dropout else False, seed=21)
    logits = tf1.layers.dense(h, 3, kernel_initializer=kernel_init,
                              kernel_regularizer=tf.keras.regularizers.L1L2(0.001, 0.002),
                              name="logits")
    tf.identity(logits, name="out")
    losses = tf1.get_collection(tf1.GraphKeys.REGULARIZATION_LOSSES)
    total = losses[0]
    for term in losses[1:]:
        total = tf.raw_ops.AddV2(x=total, y=term)
    tf.identity(total, name="loss")
    tf1.global_variables_initializer()


class _ConstKernel:
    """Initializer giving element i the value i * 0.01 - 0.1 (as Constant)."""

    def __call__(self, shape, dtype=None, partition_info=None):
        import numpy as np
        n = int(np.prod(shape))
        values = [i * 0.01 - 0.1 for i in range(n)]
        return tf.constant(np.array(values).reshape(shape), dtype=dtype or tf.float32)


def _mlp_const(training):
    return lambda: _mlp(_ConstKernel(), training, with_dropout=False)


def _mlp_seeded(training):
    def build():
        tf1.set_random_seed(42)
        _mlp(tf1.glorot_uniform_initializer(), training, with_dropout=True)
    return build


BUILDERS = {
    "variables": build_variables,
    "dense": build_dense,
    "dropout": build_dropout,
    "batch_norm": build_batch_norm,
    "batch_norm_fused": build_batch_norm_fused,
    "mlp_const_t": _mlp_const("t"),
    "mlp_const_train": _mlp_const("true"),
    "mlp_const_eval": _mlp_const("false"),
    "mlp_seeded_t": _mlp_seeded("t"),
    "mlp_seeded_train": _mlp_seeded("true"),
}


def build(name):
    """The tf.Graph of case `name`."""
    graph = tf.Graph()
    with control_flow_v1(), graph.as_default():
        BUILDERS[name]()
    return graph
