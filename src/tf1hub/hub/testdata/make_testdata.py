"""Writes hub_tiny_module/: a small TF1 Hub module exported by real
tensorflow_hub 0.15.0 on TensorFlow 2.15.1 (the interop oracle venv), used by
load_module_spec_test.cc. Run from this directory:

  <oracle-venv>/bin/python make_testdata.py
"""
import os
import shutil
import tempfile

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf  # noqa: E402
import tensorflow_hub as hub  # noqa: E402
from tensorflow_hub import image_module_info_pb2  # noqa: E402

tf.compat.v1.disable_eager_execution()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hub_tiny_module")


def module_fn(is_training):
  x = tf.compat.v1.placeholder(tf.float32, [None, 3], name="x")
  w = tf.compat.v1.get_variable(
      "w", [3], initializer=tf.compat.v1.constant_initializer([1.0, 2.0, 3.0]))
  vocab = tf.constant(VOCAB, name="vocab_path")
  tf.compat.v1.add_to_collection(tf.compat.v1.GraphKeys.ASSET_FILEPATHS, vocab)
  y = x * w
  hub.add_signature(inputs={"x": x}, outputs={"default": y, "vocab": vocab})
  sp = tf.compat.v1.sparse_placeholder(tf.float32, shape=[None, 5], name="sp")
  hub.add_signature("sparse", inputs=sp,
                    outputs=tf.SparseTensor(sp.indices, sp.values * 2.0, sp.dense_shape))
  if is_training:
    hub.add_signature("train_only", inputs=x, outputs=x + 1.0)
  info = image_module_info_pb2.ImageModuleInfo()
  info.default_image_size.height = 2
  info.default_image_size.width = 4 if not is_training else 8
  hub.attach_message("image_module_info", info)


tmp = tempfile.mkdtemp()
VOCAB = os.path.join(tmp, "tokens.txt")
with open(VOCAB, "w") as f:
  f.write("cat\nlizard\ndog\n")

spec = hub.create_module_spec(
    module_fn,
    tags_and_args=[({"train"}, {"is_training": True}),
                   (set(), {"is_training": False})])
shutil.rmtree(OUT, ignore_errors=True)
with tf.Graph().as_default():
  m = hub.Module(spec)
  with tf.compat.v1.Session() as s:
    s.run(tf.compat.v1.global_variables_initializer())
    m.export(OUT, s)
shutil.rmtree(tmp)
print("wrote", OUT)
