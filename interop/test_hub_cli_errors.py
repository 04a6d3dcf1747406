"""Bad input to `tf1hub inspect`, `tf1hub run` and `tf1hub export-latest`:
a clean exit 1 (no signal, no crash) with a message on stderr that starts
with the command, names the file or item, and says what is wrong. Also:
inspect keeps working on a TensorFlow-made module whose variables/ files
are gone (large published modules are often copied that way).

The modules here are made by real TensorFlow 2.15 + tensorflow_hub 0.15
(the seed guide's module_fn; a TF2 SavedModel from tf.saved_model.save).
"""
import json
import os
import pathlib
import re
import shutil

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _export_seed(tf, hub, path, kernel_initializer):
    def module_fn():
        x = tf.compat.v1.placeholder(tf.float32, [None, 50])
        h = tf.compat.v1.layers.dense(x, 200, kernel_initializer=kernel_initializer)
        y = tf.compat.v1.layers.dense(h, 100, kernel_initializer=kernel_initializer)
        hub.add_signature(inputs=x, outputs=dict(default=y, hidden_activations=h))

    with tf.Graph().as_default():
        spec = hub.create_module_spec(module_fn)
        module = hub.Module(spec)
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            module.export(str(path), sess)


def _make_tf_modules(tf, out_dir):
    import tensorflow_hub as hub

    tf.get_logger().setLevel("ERROR")
    # The seed guide's module_fn. With TF 2.15's default kernel initializer
    # the graph holds stateless random ops (StatelessRandomUniformV2, ...);
    # the copy for `run` uses TF1's glorot_uniform_initializer (RandomUniform)
    # so these tests exercise the CLI's own checks, not op coverage.
    seed = out_dir / "seed"
    _export_seed(tf, hub, seed, tf.compat.v1.glorot_uniform_initializer())
    seed_tf2_init = out_dir / "seed_tf2_init"
    _export_seed(tf, hub, seed_tf2_init, None)

    class Doubler(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def __call__(self, x):
            return x * 2.0

    tf2 = out_dir / "tf2_saved_model"
    tf.saved_model.save(Doubler(), str(tf2))
    return seed, tf2, seed_tf2_init


@pytest.fixture(scope="module")
def tf_made(tf, tmp_path_factory):
    return _make_tf_modules(tf, tmp_path_factory.mktemp("tf_made"))


@pytest.fixture(scope="module")
def seed_module(tf_made):
    return tf_made[0]


@pytest.fixture
def module_copy(seed_module, tmp_path):
    """A private copy of the TF-made seed module, to damage."""
    copy = tmp_path / "module"
    shutil.copytree(seed_module, copy)
    return copy


@pytest.fixture
def x_npy(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.linspace(-1, 1, 100, dtype=np.float32).reshape(2, 50))
    return path


def assert_clean_error(result, command, *must_name, problem):
    rc, _, err = result
    assert rc == 1, f"exit status {rc} (negative = killed by a signal); stderr: {err}"
    assert err.strip(), "nothing on stderr"
    assert err.startswith(f"tf1hub {command}: "), err
    for text in must_name:
        assert str(text) in err, f"stderr does not name {text!r}: {err}"
    assert re.search(problem, err, re.IGNORECASE), f"stderr does not say /{problem}/: {err}"
    return err


# --- the TF-made module itself is fine --------------------------------------

@pytest.mark.parametrize("which", ["tf1_init", "tf2_init"])
def test_inspect_tf_module(run_tf1hub, tf_made, which):
    rc, out, err = run_tf1hub("inspect", tf_made[0] if which == "tf1_init" else tf_made[2])
    assert rc == 0, err
    assert "graph variant tags=[] (default)" in out
    assert "input  default: float32 [?,50]" in out
    assert "output default: float32 [?,100]" in out
    assert "output hidden_activations: float32 [?,200]" in out
    assert re.search(r"^variables: 4 in variables/variables \(\d+ bytes\)$", out, re.M), out
    assert "  dense/kernel: float32 [50,200]\n" in out
    assert "  dense_1/bias: float32 [100]\n" in out


def test_inspect_json_tf_module(run_tf1hub, seed_module):
    rc, out, err = run_tf1hub("inspect", "--json", seed_module)
    assert rc == 0, err
    doc = json.loads(out)
    variant = doc["graph_variants"][0]
    assert variant["tags"] == []
    assert variant["signatures"]["default"]["inputs"]["default"] == {
        "dtype": "float32", "shape": [-1, 50]}
    assert doc["variables"]["present"] is True
    assert doc["variables"]["by_name"]["dense/kernel"]["shape"] == [50, 200]
    assert all(v["in_bundle"] for v in doc["variables"]["by_name"].values())


def test_inspect_without_variable_files(run_tf1hub, module_copy):
    shutil.rmtree(module_copy / "variables")
    rc, out, err = run_tf1hub("inspect", module_copy)
    assert rc == 0, err
    assert "variables: not present (4 declared)" in out
    rc, out, err = run_tf1hub("inspect", "--json", module_copy)
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["variables"]["present"] is False
    assert doc["variables"]["declared"] == 4


def test_run_tf_module_matches_hub(run_tf1hub, tf, seed_module, x_npy, tmp_path):
    """The happy path the errors below depart from: our outputs equal hub.Module's."""
    import tensorflow_hub as hub

    out = tmp_path / "out"
    rc, _, err = run_tf1hub("run", seed_module, "--input", f"default={x_npy}", "--out", out)
    assert rc == 0, err
    x = np.load(x_npy)
    with tf.Graph().as_default():
        outputs = hub.Module(str(seed_module))(x, as_dict=True)
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            want = sess.run(outputs)
    for key in ("default", "hidden_activations"):
        got = np.load(out / f"{key}.npy")
        assert got.dtype == np.float32 and got.shape == want[key].shape
        np.testing.assert_allclose(got, want[key], rtol=1e-5, atol=1e-6)
    rc, out_json, err = run_tf1hub("run", seed_module, "--input", f"default={x_npy}", "--json")
    assert rc == 0, err
    doc = json.loads(out_json)
    assert doc["default"]["dtype"] == "float32" and doc["default"]["shape"] == [2, 100]
    np.testing.assert_array_equal(np.array(doc["default"]["values"], dtype=np.float32),
                                  np.load(out / "default.npy"))


@pytest.fixture(scope="module")
def rich_tf_module(tf, tmp_path_factory):
    """A TF-made module with two tag sets, a partitioned variable, an asset
    and an attached message."""
    import tensorflow_hub as hub
    from tensorflow.core.framework import tensor_shape_pb2

    out = tmp_path_factory.mktemp("rich")
    vocab = out / "source" / "tokens.txt"
    vocab.parent.mkdir()
    vocab.write_text("cat\ndog\nlizard\n")

    def module_fn(is_training=False):
        x = tf.compat.v1.placeholder(tf.float32, [None, 4], name="x")
        emb = tf.compat.v1.get_variable(
            "emb", [10, 4], partitioner=tf.compat.v1.fixed_size_partitioner(3))
        total = tf.reduce_sum(tf.concat(list(emb), axis=0), axis=0)
        y = x + total * (2.0 if is_training else 1.0)
        path = tf.constant(str(vocab), name="vocab_file")
        tf.compat.v1.add_to_collection(tf.compat.v1.GraphKeys.ASSET_FILEPATHS, path)
        hub.add_signature(inputs=x, outputs=y)
        hub.add_signature("vocab", inputs={}, outputs={"path": path})
        hub.attach_message("shape_info", tensor_shape_pb2.TensorShapeProto(
            dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=7)]))

    module_dir = out / "module"
    with tf.Graph().as_default():
        spec = hub.create_module_spec(
            module_fn, tags_and_args=[({"train"}, {"is_training": True}), (set(), {})])
        module = hub.Module(spec)
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            module.export(str(module_dir), sess)
    return module_dir


def test_inspect_rich_tf_module(run_tf1hub, rich_tf_module):
    rc, out, err = run_tf1hub("inspect", rich_tf_module)
    assert rc == 0, err
    assert "graph variant tags=[] (default)" in out
    assert "graph variant tags=['train']" in out
    assert "  signature 'vocab'\n    (no inputs)\n    output path: string []\n" in out
    assert "    shape_info (4 bytes)\n" in out
    assert "  asset tokens.txt <- vocab_file:0\n" in out
    assert "  emb: float32 [10,4] (3 partitions)\n" in out
    assert "assets:\n  tokens.txt (15 bytes)\n" in out
    rc, out, err = run_tf1hub("inspect", "--json", rich_tf_module)
    assert rc == 0, err
    doc = json.loads(out)
    assert [v["tags"] for v in doc["graph_variants"]] == [[], ["train"]]
    assert doc["variables"]["by_name"] == {
        "emb": {"dtype": "float32", "shape": [10, 4], "partitions": 3, "in_bundle": True}}
    assert doc["variables"]["undeclared_in_bundle"] == []
    for variant in doc["graph_variants"]:
        assert variant["attachments"] == {"shape_info": {"bytes": 4}}
        assert variant["asset_file_defs"] == [{"tensor": "vocab_file:0", "filename": "tokens.txt"}]
    assert doc["assets"] == {"tokens.txt": {"bytes": 15}}


# --- not a module -----------------------------------------------------------

@pytest.mark.parametrize("command", ["inspect", "run"])
def test_missing_directory(run_tf1hub, tmp_path, command, x_npy):
    missing = tmp_path / "no_such_module"
    extra = [] if command == "inspect" else ["--input", f"default={x_npy}", "--json"]
    assert_clean_error(run_tf1hub(command, missing, *extra), command, missing,
                       problem=r"not found|no such|does not exist|not a directory")


def test_empty_directory(run_tf1hub, tmp_path):
    assert_clean_error(run_tf1hub("inspect", tmp_path), "inspect", "tfhub_module.pb",
                       problem=r"tfhub_module\.pb")


def test_tf2_saved_model_is_refused(run_tf1hub, tf_made):
    tf2 = tf_made[1]
    err = assert_clean_error(run_tf1hub("inspect", tf2), "inspect", "tfhub_module.pb",
                             problem=r"SavedModel")
    assert "TF2" in err or "hub.load" in err or "object graph" in err.lower(), err


def test_missing_tfhub_module_pb(run_tf1hub, module_copy):
    (module_copy / "tfhub_module.pb").unlink()
    assert_clean_error(run_tf1hub("inspect", module_copy), "inspect", "tfhub_module.pb",
                       problem=r"tfhub_module\.pb")


def test_garbage_tfhub_module_pb(run_tf1hub, module_copy):
    (module_copy / "tfhub_module.pb").write_bytes(b"\xff\xff\xff")
    assert_clean_error(run_tf1hub("inspect", module_copy), "inspect", "tfhub_module.pb",
                       problem=r"parse|corrupt|invalid|format")


def test_unknown_required_feature(run_tf1hub, module_copy):
    # ModuleDef{format: 3, required_features: ["foo-test-missing"]}
    feature = b"foo-test-missing"
    (module_copy / "tfhub_module.pb").write_bytes(
        b"\x08\x03\x12" + bytes([len(feature)]) + feature)
    assert_clean_error(run_tf1hub("inspect", module_copy), "inspect", "foo-test-missing",
                       problem=r"unsupported features")


def test_unsupported_format(run_tf1hub, module_copy):
    (module_copy / "tfhub_module.pb").write_bytes(b"\x08\x02")
    assert_clean_error(run_tf1hub("inspect", module_copy), "inspect",
                       problem=r"unsupported module def format")


def test_missing_saved_model_pb(run_tf1hub, module_copy):
    (module_copy / "saved_model.pb").unlink()
    assert_clean_error(run_tf1hub("inspect", module_copy), "inspect", "saved_model.pb",
                       problem=r"not found|no such|missing|does not exist")


def test_truncated_saved_model_pb(run_tf1hub, module_copy):
    path = module_copy / "saved_model.pb"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_clean_error(run_tf1hub("inspect", module_copy), "inspect", "saved_model.pb",
                       problem=r"parse")


def test_corrupt_variables_index(run_tf1hub, module_copy):
    index = module_copy / "variables" / "variables.index"
    data = bytearray(index.read_bytes())
    data[len(data) // 2] ^= 0x10
    index.write_bytes(bytes(data))
    assert_clean_error(run_tf1hub("inspect", module_copy), "inspect", "variables",
                       problem=r"corrupt|checksum|crc|data ?loss|magic")


# --- run: signatures and inputs ---------------------------------------------

def test_run_unknown_signature(run_tf1hub, seed_module, x_npy, tmp_path):
    err = assert_clean_error(
        run_tf1hub("run", seed_module, "--signature", "nope", "--input", f"default={x_npy}",
                   "--out", tmp_path / "out"),
        "run", "'nope'", problem=r"missing from meta graph")
    assert "default" in err.split("missing from meta graph", 1)[1], err


def test_run_unknown_tags(run_tf1hub, seed_module, x_npy, tmp_path):
    assert_clean_error(
        run_tf1hub("run", seed_module, "--tags", "serve", "--input", f"default={x_npy}",
                   "--json"),
        "run", "['serve']", problem=r"No such graph variant")


def test_run_missing_input(run_tf1hub, seed_module, tmp_path):
    assert_clean_error(run_tf1hub("run", seed_module, "--json"), "run", "['default']",
                       problem=r"missing \['default'\], extra given \[\]")


def test_run_extra_input(run_tf1hub, seed_module, x_npy):
    assert_clean_error(
        run_tf1hub("run", seed_module, "--input", f"default={x_npy}", "--input",
                   f"bogus={x_npy}", "--json"),
        "run", "['bogus']", problem=r"missing \[\], extra given \['bogus'\]")


def test_run_input_without_equals(run_tf1hub, seed_module, x_npy):
    assert_clean_error(run_tf1hub("run", seed_module, "--input", str(x_npy), "--json"),
                       "run", str(x_npy), problem=r"expected KEY=FILE\.npy")


def test_run_unreadable_input(run_tf1hub, seed_module, tmp_path):
    missing = tmp_path / "absent.npy"
    assert_clean_error(run_tf1hub("run", seed_module, "--input", f"default={missing}", "--json"),
                       "run", "--input 'default'", missing,
                       problem=r"not found|no such|does not exist")


def test_run_not_an_npy_file(run_tf1hub, seed_module, tmp_path):
    junk = tmp_path / "junk.npy"
    junk.write_bytes(b"this is not numpy")
    assert_clean_error(run_tf1hub("run", seed_module, "--input", f"default={junk}", "--json"),
                       "run", "--input 'default'", junk, problem=r"npy|magic|header")


def test_run_dtype_mismatch(run_tf1hub, seed_module, tmp_path):
    ints = tmp_path / "ints.npy"
    np.save(ints, np.zeros((2, 50), dtype=np.int64))
    assert_clean_error(run_tf1hub("run", seed_module, "--input", f"default={ints}", "--json"),
                       "run", "--input 'default'", ints,
                       problem=r"dtype int64 does not match the signature's float32")


def test_run_shape_mismatch(run_tf1hub, seed_module, tmp_path):
    wrong = tmp_path / "wrong.npy"
    np.save(wrong, np.zeros((2, 49), dtype=np.float32))
    assert_clean_error(run_tf1hub("run", seed_module, "--input", f"default={wrong}", "--json"),
                       "run", "[2,49]", "[?,50]", problem=r"not compatible")


def test_run_needs_out_or_json(run_tf1hub, seed_module, x_npy):
    assert_clean_error(run_tf1hub("run", seed_module, "--input", f"default={x_npy}"),
                       "run", "--out", problem=r"nothing to do")


def test_run_without_variable_files(run_tf1hub, module_copy, x_npy):
    shutil.rmtree(module_copy / "variables")
    assert_clean_error(run_tf1hub("run", module_copy, "--input", f"default={x_npy}", "--json"),
                       "run", "variables", problem=r"not found|no such|does not exist|missing")


# --- export-latest ----------------------------------------------------------

def test_export_latest_without_checkpoint(run_tf1hub, seed_module, tmp_path):
    model_dir = tmp_path / "train"
    model_dir.mkdir()
    base = tmp_path / "export"
    assert_clean_error(
        run_tf1hub("export-latest", "--spec", seed_module, "--model-dir", model_dir,
                   "--export-dir", base),
        "export-latest", model_dir, problem=r"checkpoint")
    assert not base.exists() or not any(base.iterdir())


def test_export_latest_bad_keep(run_tf1hub, seed_module, tmp_path):
    assert_clean_error(
        run_tf1hub("export-latest", "--spec", seed_module, "--model-dir", tmp_path,
                   "--export-dir", tmp_path / "export", "--keep", "0"),
        "export-latest", "--keep", problem=r"positive")


def test_export_latest_bad_spec(run_tf1hub, tmp_path):
    assert_clean_error(
        run_tf1hub("export-latest", "--spec", tmp_path / "nothing", "--model-dir", tmp_path,
                   "--export-dir", tmp_path / "export"),
        "export-latest", "--spec", problem=r"not found|no such|does not exist")


def test_export_latest_wrong_scope(run_tf1hub, tf, seed_module, tmp_path):
    # A training checkpoint whose variables sit under "tower/".
    model_dir = tmp_path / "train"
    with tf.Graph().as_default():
        with tf.compat.v1.variable_scope("tower"):
            x = tf.compat.v1.placeholder(tf.float32, [None, 50])
            h = tf.compat.v1.layers.dense(x, 200)
            tf.compat.v1.layers.dense(h, 100)
        saver = tf.compat.v1.train.Saver()
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            saver.save(sess, str(model_dir / "model.ckpt"), global_step=7)
    base = tmp_path / "export"
    assert_clean_error(
        run_tf1hub("export-latest", "--spec", seed_module, "--model-dir", model_dir,
                   "--export-dir", base),
        "export-latest", "dense", problem=r"not found")
    rc, out, err = run_tf1hub("export-latest", "--spec", seed_module, "--model-dir", model_dir,
                              "--export-dir", base, "--scope", "tower/", "--name", "hub")
    assert rc == 0, err
    export_dir = pathlib.Path(out.strip())
    assert export_dir.parent == base and re.fullmatch(r"\d{10}", export_dir.name), out
    assert (export_dir / "hub" / "tfhub_module.pb").read_bytes() == b"\x08\x03"
