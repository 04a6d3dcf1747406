"""Writes module/: a TF1 Hub module with resource, ref and partitioned variables.

Run with the oracle virtualenv (TensorFlow 2.15.1, tensorflow_hub 0.15.0):
    <oracle-venv>/bin/python make.py
"""
import os
import shutil

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow_hub as hub

tf.disable_v2_behavior()


def _p_initializer(shape, dtype=None, partition_info=None):
  """Part k of p gets rows of arange(8).reshape(4, 2) at its offset."""
  full = np.arange(8, dtype=np.float32).reshape(4, 2)
  offset = partition_info.single_offset(shape) if partition_info else 0
  return tf.constant(full[offset:offset + shape[0]])


def module_fn():
  x = tf.placeholder(tf.float32, [None, 3], name="x")
  w = tf.get_variable(
      "w", initializer=tf.constant([[1., 2.], [3., 4.], [5., 6.]]))
  r = tf.get_variable(
      "r", initializer=tf.constant([10., 20.]), use_resource=False)
  p = tf.get_variable(
      "p", shape=[4, 2],
      initializer=_p_initializer,
      partitioner=tf.fixed_size_partitioner(2))
  y = tf.matmul(x, w) + r
  hub.add_signature(inputs={"x": x},
                    outputs={"default": y, "p": tf.convert_to_tensor(p)})


def main():
  out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "module")
  shutil.rmtree(out, ignore_errors=True)
  spec = hub.create_module_spec(module_fn)
  with tf.Graph().as_default():
    m = hub.Module(spec)
    with tf.Session() as session:
      session.run(tf.global_variables_initializer())
      print(session.run(m({"x": [[1., 1., 1.]]}, as_dict=True)))
      m.export(out, session)


if __name__ == "__main__":
  main()
