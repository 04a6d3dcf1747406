"""Hub -> ours: modules created by real hub.create_module_spec and exported by
real hub (TensorFlow 2.15, tensorflow_hub 0.15; built once per session, see
_hub_modules.build_tf_modules) run in `tf1hub run` with TensorFlow's
outputs, `tf1hub inspect --json` reports what they hold, and re-exporting
them with our C++ (tf1hub_write_test_modules reexport) keeps them loadable
by hub with the same outputs.

The TF-made seed module uses TF 2.15's default layer initializers
(StatelessRandomUniformV2 etc. in its graph), as modules exported with
TensorFlow 2.x have them; the others use the v1 initializers.
"""
import json

import numpy as np
import pytest

import _hub_modules as H
from _hub_fixtures import hub, our_modules, tf_modules, tf_results, writer_bin  # noqa: F401

MODULES = list(H.VALUES)


@pytest.mark.parametrize("name", MODULES)
def test_tf_module_matches_numpy(tf_results, name):
    """The oracle itself: hub's outputs are those NumPy computes."""
    outputs, _ = tf_results("tf", name)
    for sig, inputs in H.INPUTS[name].items():
        for key, value in H.expected(name, sig, inputs).items():
            H.assert_close(outputs[sig][key], value, f"{name}/{sig}/{key}")


@pytest.mark.parametrize("name", MODULES)
def test_cli_run_gives_tf_outputs(run_tf1hub, tf_results, tf_modules, tmp_path, name):
    outputs, _ = tf_results("tf", name)
    for sig, inputs in H.INPUTS[name].items():
        r, ours = H.run_ours(run_tf1hub, tf_modules[name], sig, inputs, tmp_path / sig)
        assert r.returncode == 0, r.stderr
        assert sorted(ours) == sorted(outputs[sig]), sig
        for key, value in outputs[sig].items():
            if key == "path":
                assert ours[key].item().endswith(b"/assets/vocab.txt")
                assert ours[key].item().startswith(str(tf_modules[name]).encode())
                continue
            assert ours[key].dtype == value.dtype, key
            H.assert_close(ours[key], value, f"{name}/{sig}/{key}")


def test_cli_run_train_variant(run_tf1hub, tf_modules, tmp_path):
    """--tags train: batch statistics and dropout (each output 0 or 2x)."""
    v = H.VALUES["two_tags"]
    x = H.INPUTS["two_tags"]["default"]["default"]
    r, ours = H.run_ours(run_tf1hub, tf_modules["two_tags"], "default", {"default": x},
                         tmp_path, tags={"train"})
    assert r.returncode == 0, r.stderr
    got = ours["default"]
    h = x.astype(np.float64) @ v["dense/kernel"] + v["dense/bias"]
    bn = H.bn_training(h, v)
    kept = got != 0
    assert 0 < kept.sum() < got.size
    np.testing.assert_allclose(got[kept], 2 * bn[kept], rtol=1e-4, atol=1e-5)


def _shape(s):
    return None if s is None else [None if d == -1 else d for d in s]


@pytest.mark.parametrize("name", MODULES)
def test_cli_inspect_json(run_tf1hub, tf_modules, name):
    r = run_tf1hub("inspect", tf_modules[name], "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["format"] == 3
    interface = {}
    for variant in doc["graph_variants"]:
        sigs = {}
        for sig, io in variant["signatures"].items():
            sigs[sig] = ({k: (t["dtype"], _shape(t["shape"])) for k, t in io["inputs"].items()},
                         {k: (t["dtype"], _shape(t["shape"])) for k, t in io["outputs"].items()})
        interface[frozenset(variant["tags"])] = sigs
        assert sorted(variant["attachments"]) == (
            ["custom_shape", "image_module_info"] if name == "attachments" else [])
        want_assets = [{"filename": "vocab.txt"}] if name == "assets" else []
        assert [{"filename": a["filename"]} for a in variant["asset_file_defs"]] == want_assets
    assert interface == H.normalise_interface(H.INTERFACE[name])
    variables = doc["variables"]
    assert sorted(variables["by_name"]) == H.VARIABLES[name]
    for var, value in H.VALUES[name].items():
        entry = variables["by_name"][var]
        assert entry["dtype"] == value.dtype.name and entry["shape"] == list(value.shape), var
        assert entry["in_bundle"] is True
    assert variables["present"] is bool(H.VALUES[name])
    assert variables["undeclared_in_bundle"] == []
    assert sorted(doc["assets"]) == (["vocab.txt"] if name == "assets" else [])


def test_cli_inspect_text_without_variables(run_tf1hub, tf_modules, tmp_path):
    """A published module copied without its variables/ files still inspects."""
    import shutil

    copy = tmp_path / "seed_no_vars"
    shutil.copytree(tf_modules["seed"], copy)
    for p in (copy / "variables").iterdir():
        p.unlink()
    r = run_tf1hub("inspect", copy)
    assert r.returncode == 0, r.stderr
    assert "not present" in r.stdout
    assert "signature 'default'" in r.stdout and "hidden_activations" in r.stdout


@pytest.mark.parametrize("name", MODULES)
def test_reexport_by_ours_loads_in_hub(tf, hub, writer_bin, tf_modules, tmp_path, name):
    dst = tmp_path / name
    proc = H.run_tool(writer_bin, "reexport", tf_modules[name], dst)
    assert proc.returncode == 0, proc.stderr
    spec = hub.load_module_spec(str(dst))
    assert H.spec_interface(spec) == H.normalise_interface(H.INTERFACE[name])
    outputs, extras = H.tf_outputs(tf, hub, dst, name)
    for sig, inputs in H.INPUTS[name].items():
        for key, value in H.expected(name, sig, inputs).items():
            H.assert_close(outputs[sig][key], value, f"{name}/{sig}/{key}")
    for var, value in H.VALUES[name].items():
        H.assert_close(extras["variables"][var], value, f"{name} variable {var}")
    if name == "attachments":
        info = spec.get_attached_message("image_module_info", hub.ImageModuleInfo)
        assert (info.default_image_size.height, info.default_image_size.width) == (2, 4)
    if name == "assets":
        assert (dst / "assets" / "vocab.txt").read_text() == "cat\ndog\nbird\n"
    if name == "regularizers":
        with tf.Graph().as_default():
            hub.Module(str(dst), trainable=True)
            assert len(tf.compat.v1.losses.get_regularization_losses()) == 2
