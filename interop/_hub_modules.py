"""Helpers shared by the hub interop suites (interop/test_hub_*.py).

* pattern(): the known variable values, the same numbers as
  src/tf1hub/hub/tools/write_test_modules.cc (Pattern());
* MODULES: what each test module holds (signatures, inputs, variables) and
  NumPy functions computing each signature's outputs from the known values;
* build_tf_modules(): the same kinds of modules made by real
  hub.create_module_spec and exported by real hub, with the same values;
* tf_outputs(): a module applied by hub.Module in a TF1 graph, every listed
  signature run on the sample inputs;
* find_binary(): our C++ programs, from an env var or the build trees.

Nothing here imports TensorFlow at module level: callers pass it in.
"""
import json
import os
import pathlib
import subprocess
import sys

import numpy as np

REPO = pathlib.Path(__file__).resolve().parent.parent
BUILD_DIRS = ["build", "build-hubinterop", "build-hubmodule", "build-hubspec", "build-hubcli"]
VENV_PYTHON = sys.executable
VOCAB = ["cat", "dog", "bird"]


def find_binary(env_var, relative):
    """$env_var, else <repo>/<build dir>/<relative> for the known build dirs."""
    env = os.environ.get(env_var)
    if env:
        return env
    for d in BUILD_DIRS:
        p = REPO / d / relative
        if p.is_file() and os.access(p, os.X_OK):
            return str(p)
    return None


def write_test_modules_bin():
    return find_binary("TF1HUB_WRITE_TEST_MODULES",
                       "src/tf1hub/hub/tf1hub_write_test_modules")


def run_tool(binary, *args, timeout=300):
    proc = subprocess.run([binary, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)
    return proc


# ---------------------------------------------------------------------------
# Known values (keep in step with write_test_modules.cc).

def pattern(shape, seed):
    n = int(np.prod(shape, dtype=np.int64))
    k = np.arange(n, dtype=np.int64)
    v = ((k * 37 + seed * 11) % 101 - 50).astype(np.float32) / np.float32(100)
    return v.reshape(shape)


def f32(values):
    return np.asarray(values, np.float32)


VALUES = {
    "seed": {
        "dense/kernel": pattern([50, 200], 1),
        "dense/bias": pattern([200], 2),
        "dense_1/kernel": pattern([200, 100], 3),
        "dense_1/bias": pattern([100], 4),
    },
    "multisig": {"v": f32([2.0, -4.0, 0.5])},
    "two_tags": {
        "dense/kernel": pattern([4, 3], 5),
        "dense/bias": pattern([3], 6),
        "batch_normalization/gamma": np.float32(1) + pattern([3], 7),
        "batch_normalization/beta": pattern([3], 8),
        "batch_normalization/moving_mean": pattern([3], 9),
        "batch_normalization/moving_variance": np.float32(0.5) + np.abs(pattern([3], 10)),
    },
    "attachments": {"scale": pattern([3], 13)},
    "regularizers": {"dense/kernel": pattern([4, 2], 11), "dense/bias": pattern([2], 12)},
    "assets": {},
    "variables": {
        "ref_w": pattern([3, 2], 14),
        "res_b": pattern([2], 15),
        "counter": np.array(42, np.int64),
    },
}

# New values for the state round trips (different from VALUES everywhere).
NEW_VALUES = {
    "seed": {
        "dense/kernel": pattern([50, 200], 21),
        "dense/bias": pattern([200], 22),
        "dense_1/kernel": pattern([200, 100], 23),
        "dense_1/bias": pattern([100], 24),
    },
    "variables": {
        "ref_w": pattern([3, 2], 25),
        "res_b": pattern([2], 26),
        "counter": np.array(-7, np.int64),
    },
}

EPSILON = 1e-3  # batch_normalization's default


def sample(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


# Sample inputs per module and signature: {module: {signature: {input: array}}}.
INPUTS = {
    "seed": {"default": {"default": sample([3, 50], 1)}},
    "multisig": {
        "default": {"default": sample([2, 3], 2)},
        "mul": {"x": sample([2, 3], 3)},
        "div": {"x": sample([2, 3], 4)},
        "affine": {"x": sample([2, 3], 5), "y": sample([2, 3], 6)},
    },
    "two_tags": {"default": {"default": sample([5, 4], 7)}},
    "attachments": {
        "default": {"images": np.abs(sample([2, 2, 4, 3], 8))},
        "image_feature_vector": {"images": np.abs(sample([1, 2, 4, 3], 9))},
    },
    "regularizers": {"default": {"default": sample([3, 4], 10)}},
    "assets": {"default": {"default": np.array([b"dog", b"fish", b"cat", b"bird"])},
               "vocab": {}},
    "variables": {"default": {"default": sample([2, 3], 11)}},
}


def _bn_inference(h, v):
    inv = v["batch_normalization/gamma"].astype(np.float64) / np.sqrt(
        v["batch_normalization/moving_variance"].astype(np.float64) + EPSILON)
    return (h - v["batch_normalization/moving_mean"]) * inv + v["batch_normalization/beta"]


def bn_training(h, v):
    """Batch norm with the batch's statistics (training mode), float64."""
    mean = h.mean(axis=0)
    var = ((h - mean) ** 2).mean(axis=0)
    inv = v["batch_normalization/gamma"].astype(np.float64) / np.sqrt(var + EPSILON)
    return (h - mean) * inv + v["batch_normalization/beta"]


def expected(module, signature, inputs, values=None):
    """NumPy (float64) outputs {key: array} of `signature` for `inputs`."""
    v = VALUES[module] if values is None else values
    d = lambda a: np.asarray(a, np.float64)  # noqa: E731
    if module == "seed":
        h = d(inputs["default"]) @ d(v["dense/kernel"]) + d(v["dense/bias"])
        y = h @ d(v["dense_1/kernel"]) + d(v["dense_1/bias"])
        return {"default": y, "hidden_activations": h}
    if module == "multisig":
        w = d(v["v"])
        if signature == "default":
            return {"default": d(inputs["default"]) + w}
        if signature == "mul":
            return {"default": d(inputs["x"]) * w}
        if signature == "div":
            return {"default": d(inputs["x"]) / w}
        prod = d(inputs["x"]) * w
        return {"sum": prod + d(inputs["y"]), "diff": prod - d(inputs["y"])}
    if module == "two_tags":  # the default (inference) variant
        h = d(inputs["default"]) @ d(v["dense/kernel"]) + d(v["dense/bias"])
        return {"default": _bn_inference(h, v)}
    if module == "attachments":
        return {"default": d(inputs["images"]).mean(axis=(1, 2)) * d(v["scale"])}
    if module == "regularizers":
        return {"default": np.maximum(d(inputs["default"]) @ d(v["dense/kernel"])
                                      + d(v["dense/bias"]), 0)}
    if module == "assets":
        if signature == "vocab":
            return {}
        index = {w.encode(): i for i, w in enumerate(VOCAB)}
        return {"default": np.array([index.get(w, -1) for w in inputs["default"]], np.int64)}
    if module == "variables":
        y = d(inputs["default"]) @ d(v["ref_w"]) + d(v["res_b"])
        return {"default": y, "count": np.asarray(v["counter"])}
    raise KeyError(module)


def expected_regularization_losses(values=None):
    v = VALUES["regularizers"] if values is None else values
    k = v["dense/kernel"].astype(np.float64)
    b = v["dense/bias"].astype(np.float64)
    return sorted([0.01 * np.sum(k * k), 0.1 * np.sum(np.abs(b))])


def assert_close(actual, want, what=""):
    """float32 agreement: |a - w| <= 1e-5 |w| + 1e-6 max|w| elementwise."""
    actual = np.asarray(actual)
    want = np.asarray(want)
    assert actual.shape == want.shape, f"{what}: shape {actual.shape} != {want.shape}"
    if want.dtype.kind in "iub" or want.dtype.kind in "SUO":
        np.testing.assert_array_equal(actual, want, err_msg=what)
        return
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    np.testing.assert_allclose(actual.astype(np.float64), want.astype(np.float64), rtol=1e-5,
                               atol=1e-6 * scale, err_msg=what)


# What each module declares (checked against hub's spec queries).
# {module: {tags(frozenset): {signature: (input {key: (dtype, shape)},
#                                          output {key: (dtype, shape)})}}}
F, S, I64 = "float32", "string", "int64"
INTERFACE = {
    "seed": {frozenset(): {"default": ({"default": (F, [None, 50])},
                                       {"default": (F, [None, 100]),
                                        "hidden_activations": (F, [None, 200])})}},
    "multisig": {frozenset(): {
        "default": ({"default": (F, [None, 3])}, {"default": (F, [None, 3])}),
        "mul": ({"x": (F, [None, 3])}, {"default": (F, [None, 3])}),
        "div": ({"x": (F, [None, 3])}, {"default": (F, [None, 3])}),
        "affine": ({"x": (F, [None, 3]), "y": (F, [None, 3])},
                   {"sum": (F, [None, 3]), "diff": (F, [None, 3])}),
    }},
    "two_tags": {
        frozenset(): {"default": ({"default": (F, [None, 4])}, {"default": (F, [None, 3])})},
        frozenset({"train"}): {"default": ({"default": (F, [None, 4])},
                                           {"default": (F, [None, 3])})},
    },
    "attachments": {frozenset(): {
        "default": ({"images": (F, [None, 2, 4, 3])}, {"default": (F, [None, 3])}),
        "image_feature_vector": ({"images": (F, [None, 2, 4, 3])}, {"default": (F, [None, 3])}),
    }},
    "regularizers": {frozenset(): {"default": ({"default": (F, [None, 4])},
                                               {"default": (F, [None, 2])})}},
    "assets": {frozenset(): {
        "default": ({"default": (S, [None])}, {"default": (I64, [None])}),
        "vocab": ({}, {"path": (S, [])}),
    }},
    "variables": {frozenset(): {"default": ({"default": (F, [None, 3])},
                                            {"default": (F, [None, 2]), "count": (I64, [])})}},
}

VARIABLES = {m: sorted(VALUES[m]) for m in VALUES}


def info_tuple(info):
    return (info.dtype.name, info.get_shape().as_list() if info.get_shape().rank is not None
            else None)


def spec_interface(spec):
    """{tags: {signature: (inputs, outputs)}} of a hub ModuleSpec."""
    out = {}
    for tags in spec.get_tags():
        sigs = {}
        for name in spec.get_signature_names(tags=tags):
            ins = {k: info_tuple(i) for k, i in spec.get_input_info_dict(name, tags).items()}
            outs = {k: info_tuple(i) for k, i in spec.get_output_info_dict(name, tags).items()}
            sigs[name] = (ins, outs)
        out[frozenset(tags)] = sigs
    return out


def normalise_interface(interface):
    return {tags: {sig: ({k: (d, list(s)) for k, (d, s) in ins.items()},
                         {k: (d, list(s)) for k, (d, s) in outs.items()})
                   for sig, (ins, outs) in sigs.items()}
            for tags, sigs in interface.items()}


# ---------------------------------------------------------------------------
# Running modules in TensorFlow (graph mode).

def tf_outputs(tf, hub, module_path, module_name, tags=None, trainable=False,
               signatures=None):
    """{signature: {output: array}} from hub.Module in a fresh TF1 graph.

    Also returns extras: variable values, regularization losses, the
    collection sizes of update_ops.
    """
    sigs = INPUTS[module_name] if signatures is None else signatures
    graph = tf.Graph()
    with graph.as_default():
        m = hub.Module(str(module_path), trainable=trainable, tags=tags)
        fetches = {}
        feeds = {}
        for sig, inputs in sigs.items():
            phs = {}
            for k, a in inputs.items():
                ph = tf.compat.v1.placeholder(tf.as_dtype(a.dtype) if a.dtype.kind != "S"
                                              else tf.string, [None] * a.ndim)
                phs[k] = ph
                feeds[ph] = a
            if not phs:
                fetches[sig] = m(signature=sig, as_dict=True)
            elif len(phs) == 1 and sig != "affine":
                fetches[sig] = m(next(iter(phs.values())), signature=sig, as_dict=True)
            else:
                fetches[sig] = m(phs, signature=sig, as_dict=True)
        variables = {k: v for k, v in m.variable_map.items()}
        losses = tf.compat.v1.losses.get_regularization_losses()
        update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
        with tf.compat.v1.Session(graph=graph) as sess:
            sess.run([tf.compat.v1.global_variables_initializer(),
                      tf.compat.v1.tables_initializer()])
            out = sess.run(fetches, feeds)
            var_values = sess.run(variables)
            loss_values = sess.run(losses)
    return out, {"variables": var_values, "losses": loss_values, "update_ops": len(update_ops)}


# ---------------------------------------------------------------------------
# The same modules, made by real hub.

def _tf_module_fns(tf, hub, vocab_path):
    v1 = tf.compat.v1

    def seed():
        x = v1.placeholder(tf.float32, [None, 50])
        # TF 2.15's default initializers (stateless random ops), as real
        # modules exported today have them.
        h = v1.layers.dense(x, 200)
        y = v1.layers.dense(h, 100)
        hub.add_signature(inputs=x, outputs={"default": y, "hidden_activations": h})

    def multisig():
        v = v1.get_variable("v", [3], initializer=v1.ones_initializer())
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        y = v1.placeholder(tf.float32, [None, 3], name="y")
        value = v.read_value() if hasattr(v, "read_value") else v
        prod = x * value
        hub.add_signature(inputs=x, outputs=x + value)
        hub.add_signature("mul", inputs={"x": x}, outputs=prod)
        hub.add_signature("div", inputs={"x": x}, outputs=x / value)
        hub.add_signature("affine", inputs={"x": x, "y": y},
                          outputs={"sum": prod + y, "diff": prod - y})

    def two_tags(is_training=False):
        x = v1.placeholder(tf.float32, [None, 4])
        h = v1.layers.dense(x, 3, kernel_initializer=v1.glorot_uniform_initializer())
        h = v1.layers.batch_normalization(h, training=is_training)
        y = v1.layers.dropout(h, rate=0.5, training=is_training)
        hub.add_signature(inputs=x, outputs=y)

    def attachments():
        images = v1.placeholder(tf.float32, [None, 2, 4, 3], name="images")
        scale = v1.get_variable("scale", [3], initializer=v1.ones_initializer())
        features = tf.reduce_mean(images, axis=[1, 2]) * scale
        hub.add_signature(inputs={"images": images}, outputs=features)
        hub.add_signature("image_feature_vector", inputs={"images": images}, outputs=features)
        hub.attach_image_module_info(hub.ImageModuleInfo(
            default_image_size=hub.ImageModuleInfo.InputSize(height=2, width=4)))
        from tensorflow.core.framework import tensor_shape_pb2
        custom = tensor_shape_pb2.TensorShapeProto()
        custom.dim.add(size=7, name="seven")
        custom.dim.add(size=11)
        hub.attach_message("custom_shape", custom)

    def regularizers():
        x = v1.placeholder(tf.float32, [None, 4])
        y = v1.layers.dense(x, 2, activation=tf.nn.relu,
                            kernel_initializer=v1.glorot_uniform_initializer(),
                            kernel_regularizer=tf.keras.regularizers.l2(0.01),
                            bias_regularizer=tf.keras.regularizers.l1(0.1))
        hub.add_signature(inputs=x, outputs=y)

    def assets():
        path = tf.constant(vocab_path, name="vocab_file")
        v1.add_to_collection(v1.GraphKeys.ASSET_FILEPATHS, path)
        table = v1.lookup.StaticHashTable(
            v1.lookup.TextFileInitializer(path, tf.string, -2, tf.int64, -1), -1)
        words = v1.placeholder(tf.string, [None], name="words")
        hub.add_signature(inputs=words, outputs=table.lookup(words))
        hub.add_signature("vocab", inputs={}, outputs={"path": tf.identity(path)})

    def variables():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        w = v1.get_variable("ref_w", [3, 2], use_resource=False,
                            initializer=v1.glorot_uniform_initializer())
        b = v1.get_variable("res_b", [2], initializer=v1.zeros_initializer())
        counter = v1.get_variable("counter", [], dtype=tf.int64, trainable=False,
                                  initializer=v1.zeros_initializer())
        y = tf.matmul(x, w) + b
        hub.add_signature(inputs=x, outputs={"default": y, "count": tf.identity(counter)})

    return {"seed": (seed, None), "multisig": (multisig, None),
            "two_tags": (two_tags, [({"train"}, {"is_training": True}),
                                    (set(), {"is_training": False})]),
            "attachments": (attachments, None), "regularizers": (regularizers, None),
            "assets": (assets, None), "variables": (variables, None)}


def export_with_values(tf, hub, spec, path, values, tags=None):
    """hub.Module(spec) in a fresh graph, variables loaded with `values`, exported."""
    with tf.Graph().as_default():
        m = hub.Module(spec, tags=tags)
        # Assign ops fed by placeholders (Variable.load breaks on ref
        # variables restored by hub: their initializer becomes a Tensor).
        assigns, feeds = [], {}
        for name, value in values.items():
            var = m.variable_map[name]
            ph = tf.compat.v1.placeholder(var.dtype.base_dtype, value.shape)
            assigns.append(tf.compat.v1.assign(var, ph))
            feeds[ph] = value
        with tf.compat.v1.Session() as sess:
            sess.run([tf.compat.v1.global_variables_initializer(),
                      tf.compat.v1.tables_initializer()])
            if assigns:
                sess.run(assigns, feeds)
            m.export(str(path), sess)


def build_tf_modules(tf, hub, out_dir):
    """Creates and exports every module kind with real hub; {name: path}."""
    out_dir = pathlib.Path(out_dir)
    src = out_dir / "_asset_source"
    src.mkdir(parents=True, exist_ok=True)
    vocab = src / "vocab.txt"
    vocab.write_text("".join(w + "\n" for w in VOCAB))
    paths = {}
    for name, (fn, tags_and_args) in _tf_module_fns(tf, hub, str(vocab)).items():
        spec = hub.create_module_spec(fn, tags_and_args=tags_and_args)
        export_with_values(tf, hub, spec, out_dir / name, VALUES[name])
        paths[name] = out_dir / name
    vocab.unlink()
    return paths


def npy_inputs(tmp_dir, inputs):
    """Writes each input array to tmp_dir/<key>.npy; returns --input arguments."""
    tmp_dir = pathlib.Path(tmp_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    args = []
    for k, a in inputs.items():
        p = tmp_dir / f"in_{k}.npy"
        np.save(p, a)
        args += ["--input", f"{k}={p}"]
    return args


def read_outputs(out_dir):
    return {p.stem: np.load(p) for p in pathlib.Path(out_dir).glob("*.npy")}


def run_ours(run_tf1hub, module_path, signature, inputs, work_dir, tags=None):
    """`tf1hub run` one signature; returns (CliResult, {output: array})."""
    work_dir = pathlib.Path(work_dir)
    out = work_dir / "out"
    args = ["run", str(module_path), "--signature", signature, "--out", str(out)]
    if tags:
        args += ["--tags", ",".join(sorted(tags))]
    args += npy_inputs(work_dir, inputs)
    r = run_tf1hub(*args)
    return r, (read_outputs(out) if r.returncode == 0 else None)


def run_python(code, timeout=180):
    """Runs `code` in a fresh oracle Python (eager TF2); returns parsed JSON stdout."""
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    proc = subprocess.run([VENV_PYTHON, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=env)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])
