"""Builders that make real TensorFlow / tensorflow_hub write SavedModels, for
the proto round-trip suite (test_savedmodel_protos.py).

Each builder returns the export directory (a pathlib.Path). Nothing here
imports TensorFlow at module level: callers pass the module in (conftest.py's
`tf` fixture), so it is imported once per session.
"""
import pathlib

VOCAB = ["apple", "banana", "cherry", "date"]


def _write_vocab(directory):
    path = pathlib.Path(directory) / "vocab.txt"
    path.write_text("".join(word + "\n" for word in VOCAB))
    return path


def build_tf1_saved_model(tf, directory):
    """TF1 graph mode through SavedModelBuilder.

    Covers: a ref variable and a resource variable, placeholders (dense and
    sparse), a hash table initialised from an asset vocab file (asset
    collection, AssetFileDef, main_op), two MetaGraphDefs (tags "serve" and
    "train") with predict/classify signatures (incl. a CooSparse input), a
    train_op collection, a SaverDef, and a `checkpoint` state file from a tf.compat.v1 Saver.
    Returns (export_dir, checkpoint_dir).
    """
    v1 = tf.compat.v1
    directory = pathlib.Path(directory)
    vocab_path = _write_vocab(directory)
    export_dir = directory / "tf1_saved_model"
    checkpoint_dir = directory / "tf1_checkpoints"
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        words = v1.placeholder(tf.string, [None], name="words")
        sparse = v1.sparse_placeholder(tf.int64, [None, 5], name="sparse_ids")
        w = v1.Variable(tf.ones([3, 2]), name="w", use_resource=False)
        b = v1.get_variable("b", shape=[2], initializer=v1.zeros_initializer(), use_resource=True)
        step = v1.train.get_or_create_global_step()
        y = tf.add(tf.matmul(x, w), b, name="y")
        vocab_file = tf.constant(str(vocab_path), name="vocab_file")
        v1.add_to_collection(v1.GraphKeys.ASSET_FILEPATHS, vocab_file)
        table = tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(
                vocab_file, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
                tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER),
            default_value=-1)
        ids = tf.identity(table.lookup(words), name="ids")
        sparse_sum = tf.identity(v1.sparse_reduce_sum(sparse, axis=1), name="sparse_sum")
        scores = tf.nn.softmax(y, name="scores")
        train_op = v1.train.GradientDescentOptimizer(0.1).minimize(
            tf.reduce_sum(y), global_step=step)
        v1.add_to_collection(v1.GraphKeys.TRAIN_OP, train_op)
        saver = v1.train.Saver()

        with v1.Session(graph=graph) as sess:
            sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
            saver.save(sess, str(checkpoint_dir / "model.ckpt"), global_step=1)
            saver.save(sess, str(checkpoint_dir / "model.ckpt"), global_step=2)

            builder = v1.saved_model.Builder(str(export_dir))
            predict = v1.saved_model.predict_signature_def(
                inputs={"x": x, "words": words}, outputs={"y": y, "ids": ids})
            classify = v1.saved_model.classification_signature_def(
                examples=words, classes=tf.as_string(ids), scores=scores)
            sparse_signature = v1.saved_model.signature_def_utils.build_signature_def(
                inputs={"sparse": v1.saved_model.utils.build_tensor_info(sparse)},
                outputs={"sum": v1.saved_model.utils.build_tensor_info(sparse_sum)},
                method_name="tensorflow/serving/predict")
            assets = v1.get_collection(v1.GraphKeys.ASSET_FILEPATHS)
            builder.add_meta_graph_and_variables(
                sess, ["serve"],
                signature_def_map={"serving_default": predict, "classify": classify},
                assets_collection=assets,
                main_op=v1.tables_initializer())
            builder.add_meta_graph(
                ["train"],
                signature_def_map={"sparse": sparse_signature},
                assets_collection=assets)
            builder.save()
    return export_dir, checkpoint_dir


def build_tf2_saved_model(tf, directory):
    """TF2 tf.saved_model.save of a tf.Module.

    Covers: a tf.Variable, a @tf.function with input_signature (the
    signature), a function with a RaggedTensorSpec input (TypeSpecProto in
    the object graph), a hash table from an asset file (SavedAsset,
    SavedResource, captured tensors), nested tf.Modules.
    """
    directory = pathlib.Path(directory)
    vocab_path = _write_vocab(directory)
    export_dir = directory / "tf2_saved_model"

    class Scaler(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable([1.0, 2.0, 3.0], name="v")
            self.inner = tf.Module()
            self.inner.bias = tf.Variable(0.5, name="bias")
            self.table = tf.lookup.StaticHashTable(
                tf.lookup.TextFileInitializer(
                    str(vocab_path), tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
                    tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER),
                default_value=-1)

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
        def __call__(self, x):
            return {"y": x * self.v + self.inner.bias}

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
        def lookup(self, words):
            return self.table.lookup(words)

        @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.float32)])
        def ragged_sum(self, values):
            return tf.reduce_sum(values, axis=1)

    module = Scaler()
    tf.saved_model.save(
        module, str(export_dir),
        signatures={"serving_default": module.__call__, "lookup": module.lookup})
    return export_dir


def build_hub_module(tf, hub, directory):
    """A TF1 Hub module exported by tensorflow_hub.

    Covers: create_module_spec with two tag sets (default and "train"), a
    module_fn using tf.compat.v1.layers.dense (with dropout in training),
    two signatures, an attached message (ImageModuleInfo), Module.export from
    a session.
    """
    from tensorflow_hub import image_module_info_pb2

    v1 = tf.compat.v1
    export_dir = pathlib.Path(directory) / "hub_module"

    def module_fn(training=False):
        x = v1.placeholder(tf.float32, [None, 4], name="x")
        hidden = v1.layers.dense(x, 3, activation=tf.nn.relu, name="hidden")
        if training:
            hidden = v1.layers.dropout(hidden, rate=0.5, training=True)
        logits = v1.layers.dense(hidden, 2, name="logits")
        hub.add_signature(inputs=x, outputs=logits)
        hub.add_signature("features", inputs={"x": x}, outputs={"hidden": hidden, "logits": logits})
        info = image_module_info_pb2.ImageModuleInfo()
        info.default_image_size.height = 224
        info.default_image_size.width = 224
        hub.attach_message("image_module_info", info)

    spec = hub.create_module_spec(
        module_fn, tags_and_args=[(set(), {"training": False}), ({"train"}, {"training": True})])
    with tf.Graph().as_default():
        module = hub.Module(spec, trainable=True)
        module(tf.zeros([1, 4]))
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            module.export(str(export_dir), sess)
    return export_dir


def build_tf2_checkpoint_state(tf, directory):
    """Two saves through tf.train.CheckpointManager, whose `checkpoint` state
    file also carries all_model_checkpoint_timestamps and
    last_preserved_timestamp. Returns the checkpoint directory."""
    directory = pathlib.Path(directory) / "tf2_checkpoints"
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(checkpoint, str(directory), max_to_keep=3)
    manager.save()
    manager.save()
    return directory
