"""Ours -> hub: TF1 Hub modules exported by our C++ (src/tf1hub/hub/tools/
write_test_modules.cc) load with real tensorflow_hub 0.15 on TensorFlow 2.15.

For every module: hub's load-time checks pass (hub.load_module_spec), the
tags, signatures and input/output infos are those declared, hub.Module in a
TF1 graph computes the outputs NumPy computes from the known variable
values, and `tf1hub run` on the same module gives the same numbers.
Attachments, regularization losses, update ops, assets and both variable
kinds are checked where the module has them; hub.load and hub.KerasLayer
(TF2, eager, in a subprocess) load the seed module.
"""
import pathlib

import numpy as np
import pytest

import _hub_modules as H
from _hub_fixtures import hub, our_modules, tf_modules, tf_results, writer_bin  # noqa: F401

MODULES = list(H.VALUES)


@pytest.mark.parametrize("name", MODULES)
def test_layout_is_tf1_hub_format(our_modules, name):
    path = our_modules[name]
    assert sorted(p.name for p in path.iterdir()) == [
        "assets", "saved_model.pb", "tfhub_module.pb", "variables"]
    assert (path / "tfhub_module.pb").read_bytes() == b"\x08\x03"
    variables = sorted(p.name for p in (path / "variables").iterdir())
    if H.VALUES[name]:
        assert variables == ["variables.data-00000-of-00001", "variables.index"]
    else:
        assert variables == []
    assets = sorted(p.name for p in (path / "assets").iterdir())
    assert assets == (["vocab.txt"] if name == "assets" else [])
    assert not list(path.glob("saved_model.pb.tmp*"))


@pytest.mark.parametrize("name", MODULES)
def test_saved_model_follows_hub_conventions(tf, our_modules, name):
    from tensorflow.core.protobuf import saved_model_pb2

    sm = saved_model_pb2.SavedModel()
    sm.ParseFromString((our_modules[name] / "saved_model.pb").read_bytes())
    assert sm.saved_model_schema_version == 0
    want_tags = [sorted(t) for t in H.INTERFACE[name]]
    assert sorted(sorted(mg.meta_info_def.tags) for mg in sm.meta_graphs) == sorted(want_tags)
    allowed = {"variables", "trainable_variables", "model_variables", "table_initializer",
               "update_ops", "regularization_losses", "asset_filepaths", "cond_context",
               "while_context", "hub_module_attachments", "saved_model_assets"}
    for mg in sm.meta_graphs:
        assert not mg.HasField("saver_def")
        assert set(mg.collection_def) <= allowed, sorted(mg.collection_def)
        used = {n.op for n in mg.graph_def.node}
        assert used == {op.name for op in mg.meta_info_def.stripped_op_list.op}
        assert mg.meta_info_def.stripped_default_attrs
        for sig in mg.signature_def.values():
            assert sig.method_name == ""
        if H.VALUES[name]:
            assert "variables" in mg.collection_def
        assert ("hub_module_attachments" in mg.collection_def) == (name == "attachments")


@pytest.mark.parametrize("name", MODULES)
def test_load_module_spec_interface(hub, our_modules, name):
    spec = hub.load_module_spec(str(our_modules[name]))
    assert sorted(sorted(t) for t in spec.get_tags()) == sorted(
        sorted(t) for t in H.INTERFACE[name])
    assert H.spec_interface(spec) == H.normalise_interface(H.INTERFACE[name])


@pytest.mark.parametrize("name", MODULES)
def test_hub_module_computes_our_outputs(tf_results, name):
    outputs, extras = tf_results("ours", name)
    for sig, inputs in H.INPUTS[name].items():
        want = H.expected(name, sig, inputs)
        for key, value in want.items():
            H.assert_close(outputs[sig][key], value, f"{name}/{sig}/{key}")
    for var, value in H.VALUES[name].items():
        H.assert_close(extras["variables"][var], value, f"{name} variable {var}")
    # trainable=False imports neither regularization losses nor update ops.
    assert extras["losses"] == [] and extras["update_ops"] == 0


@pytest.mark.parametrize("name", MODULES)
def test_cli_run_matches_hub_module(run_tf1hub, tf_results, our_modules, tmp_path, name):
    outputs, _ = tf_results("ours", name)
    for sig, inputs in H.INPUTS[name].items():
        r, ours = H.run_ours(run_tf1hub, our_modules[name], sig, inputs, tmp_path / sig)
        assert r.returncode == 0, r.stderr
        assert sorted(ours) == sorted(outputs[sig]), sig
        for key, value in outputs[sig].items():
            if key == "path":  # an absolute path into each loader's module dir
                assert ours[key].item().endswith(b"/assets/vocab.txt")
                continue
            H.assert_close(ours[key], value, f"{name}/{sig}/{key}")


def test_two_tags_train_variant_in_hub(tf, hub, our_modules):
    """{"train"}: batch norm on batch statistics, dropout (0 or 2x), update ops."""
    v = H.VALUES["two_tags"]
    x = H.INPUTS["two_tags"]["default"]["default"]
    graph = tf.Graph()
    with graph.as_default():
        m = hub.Module(str(our_modules["two_tags"]), trainable=True, tags={"train"})
        y = m(tf.constant(x))
        update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
        moving_mean = m.variable_map["batch_normalization/moving_mean"]
        trainable = {t.op.name for t in tf.compat.v1.trainable_variables()}
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            got, _ = sess.run([y, update_ops])
            mm = sess.run(moving_mean)
    assert len(update_ops) == 2
    assert trainable == {"module/dense/kernel", "module/dense/bias",
                         "module/batch_normalization/gamma", "module/batch_normalization/beta"}
    h = x.astype(np.float64) @ v["dense/kernel"] + v["dense/bias"]
    bn = H.bn_training(h, v)
    kept = got != 0
    assert 0 < kept.sum() < got.size
    np.testing.assert_allclose(got[kept], 2 * bn[kept], rtol=1e-4, atol=1e-5)
    want_mm = v["batch_normalization/moving_mean"] * 0.99 + h.mean(axis=0) * 0.01
    np.testing.assert_allclose(mm, want_mm, rtol=1e-5, atol=1e-6)


def test_attachments_readable_in_hub(hub, our_modules):
    from tensorflow.core.framework import tensor_shape_pb2

    spec = hub.load_module_spec(str(our_modules["attachments"]))
    info = spec.get_attached_message("image_module_info", hub.ImageModuleInfo)
    assert (info.default_image_size.height, info.default_image_size.width) == (2, 4)
    assert hub.get_expected_image_size(spec) == [2, 4]
    assert hub.get_num_image_channels(spec) == 3
    custom = spec.get_attached_message("custom_shape", tensor_shape_pb2.TensorShapeProto)
    assert [(d.size, d.name) for d in custom.dim] == [(7, "seven"), (11, "")]
    assert spec.get_attached_message("absent", hub.ImageModuleInfo) is None
    with pytest.raises(KeyError, match="No attached message for key 'absent'"):
        spec.get_attached_message("absent", hub.ImageModuleInfo, required=True)


def test_trainable_import_brings_regularization_losses(tf, hub, our_modules):
    graph = tf.Graph()
    with graph.as_default():
        m = hub.Module(str(our_modules["regularizers"]), trainable=True)
        m(tf.constant(H.INPUTS["regularizers"]["default"]["default"]))
        losses = tf.compat.v1.losses.get_regularization_losses()
        trainable = sorted(v.op.name for v in tf.compat.v1.trainable_variables())
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            values = sess.run(losses)
    assert trainable == ["module/dense/bias", "module/dense/kernel"]
    assert len(values) == 2
    np.testing.assert_allclose(sorted(values), H.expected_regularization_losses(), rtol=1e-5)


def test_asset_exported_and_remapped(tf, hub, our_modules):
    from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2

    path = our_modules["assets"]
    assert (path / "assets" / "vocab.txt").read_text() == "cat\ndog\nbird\n"
    # The build-time source file is gone: the module must not need it.
    assert not (path.parent / "_asset_source").exists()
    sm = saved_model_pb2.SavedModel()
    sm.ParseFromString((path / "saved_model.pb").read_bytes())
    mg = sm.meta_graphs[0]
    (asset_any,) = mg.collection_def["saved_model_assets"].any_list.value
    asset = meta_graph_pb2.AssetFileDef()
    asset_any.Unpack(asset)
    assert asset.filename == "vocab.txt"
    const = next(n for n in mg.graph_def.node if n.name == asset.tensor_info.name.split(":")[0])
    assert const.attr["value"].tensor.string_val == [b"SAVEDMODEL-ASSET"]
    assert list(mg.collection_def["asset_filepaths"].node_list.value) == [asset.tensor_info.name]
    graph = tf.Graph()
    with graph.as_default():
        m = hub.Module(str(path))
        out = m(signature="vocab", as_dict=True)["path"]
        assets = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.ASSET_FILEPATHS)
        with tf.compat.v1.Session() as sess:
            got, asset_values = sess.run([out, assets])
    want = str((path / "assets" / "vocab.txt").resolve()).encode()
    assert pathlib.Path(got.decode()).resolve() == pathlib.Path(want.decode())
    assert len(asset_values) == 2  # state graph + one application, as hub does


def test_ref_and_resource_variables(tf, our_modules):
    from tensorflow.core.protobuf import saved_model_pb2

    path = our_modules["variables"]
    sm = saved_model_pb2.SavedModel()
    sm.ParseFromString((path / "saved_model.pb").read_bytes())
    nodes = {n.name: n for n in sm.meta_graphs[0].graph_def.node}
    assert nodes["ref_w"].op == "VariableV2"
    assert nodes["res_b"].op == "VarHandleOp" and nodes["counter"].op == "VarHandleOp"
    ckpt = str(path / "variables" / "variables")
    assert dict(tf.train.list_variables(ckpt)) == {"ref_w": [3, 2], "res_b": [2], "counter": []}
    for name, value in H.VALUES["variables"].items():
        np.testing.assert_array_equal(tf.train.load_variable(ckpt, name), value)


def test_hub_load_and_keras_layer_eager(our_modules, tmp_path):
    """TF2 (eager): hub.load and hub.KerasLayer on our modules, in a fresh process."""
    x = H.INPUTS["seed"]["default"]["default"]
    np.save(tmp_path / "x.npy", x)
    xm = H.INPUTS["multisig"]["affine"]
    np.save(tmp_path / "xm.npy", xm["x"])
    np.save(tmp_path / "ym.npy", xm["y"])
    code = f"""
import json
import numpy as np
import tensorflow as tf
import tensorflow_hub as hub
assert tf.executing_eagerly()
x = np.load({str(tmp_path / 'x.npy')!r})
seed = hub.load({str(our_modules['seed'])!r})
f = seed.signatures["default"]
out = f(default=tf.constant(x))
layer = hub.KerasLayer({str(our_modules['seed'])!r})
keras_out = layer(tf.constant(x)).numpy()
dict_layer = hub.KerasLayer({str(our_modules['seed'])!r}, signature="default",
                            signature_outputs_as_dict=True)
hidden = dict_layer(tf.constant(x))["hidden_activations"].numpy()
multi = hub.load({str(our_modules['multisig'])!r})
aff = multi.signatures["affine"](x=tf.constant(np.load({str(tmp_path / 'xm.npy')!r})),
                                 y=tf.constant(np.load({str(tmp_path / 'ym.npy')!r})))
var = hub.load({str(our_modules['variables'])!r})
vout = var.signatures["default"](default=tf.constant(np.ones([1, 3], np.float32)))
try:
    hub.KerasLayer({str(our_modules['seed'])!r}, trainable=True)(tf.constant(x))
    trainable_error = ""
except ValueError as e:
    trainable_error = str(e)
print(json.dumps({{
    "signatures": sorted(seed.signatures.keys()),
    "default": out["default"].numpy().tolist(),
    "hidden": out["hidden_activations"].numpy().tolist(),
    "keras": keras_out.tolist(), "keras_hidden": hidden.tolist(),
    "multisig": sorted(multi.signatures.keys()),
    "affine_sum": aff["sum"].numpy().tolist(), "affine_diff": aff["diff"].numpy().tolist(),
    "count": int(vout["count"].numpy()), "var_default": vout["default"].numpy().tolist(),
    "trainable_error": trainable_error,
}}))
"""
    got = H.run_python(code)
    want = H.expected("seed", "default", {"default": x})
    assert got["signatures"] == ["default"]
    H.assert_close(np.array(got["default"], np.float32), want["default"], "hub.load default")
    H.assert_close(np.array(got["hidden"], np.float32), want["hidden_activations"], "hidden")
    H.assert_close(np.array(got["keras"], np.float32), want["default"], "KerasLayer")
    H.assert_close(np.array(got["keras_hidden"], np.float32), want["hidden_activations"],
                   "KerasLayer as dict")
    assert got["multisig"] == ["affine", "default", "div", "mul"]
    want_aff = H.expected("multisig", "affine", xm)
    H.assert_close(np.array(got["affine_sum"], np.float32), want_aff["sum"], "affine sum")
    H.assert_close(np.array(got["affine_diff"], np.float32), want_aff["diff"], "affine diff")
    assert got["count"] == 42
    want_var = H.expected("variables", "default", {"default": np.ones([1, 3], np.float32)})
    H.assert_close(np.array(got["var_default"], np.float32), want_var["default"], "variables")
    assert "trainable" in got["trainable_error"] and "unsupported" in got["trainable_error"]
