"""Issue 4's errors, reached through the CLI and tf1hub_write_test_modules,
each compared with real hub's message for the same mistake where hub has
one. (Errors with no CLI path are covered by the C++ unit tests of the hub
library; the `errors` mode of the tool runs the create/apply-time ones
through the C++ API so their messages can be put next to hub's here.)
"""
import json
import re
import shutil

import numpy as np
import pytest

import _hub_modules as H
from _hub_fixtures import hub, our_modules, tf_modules, writer_bin  # noqa: F401


def hub_error(fn):
    """The message hub raises for fn(), with the exception type name."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any error is the answer
        return type(e).__name__, str(e)
    raise AssertionError("hub accepted it")


# ---------------------------------------------------------------------------
# create_module_spec and apply: C++ API (tool `errors` mode) next to hub.

@pytest.fixture(scope="module")
def our_errors(writer_bin):
    proc = H.run_tool(writer_bin, "errors")
    assert proc.returncode == 0, proc.stderr
    return {d["case"]: d for d in map(json.loads, proc.stdout.splitlines())}


@pytest.fixture(scope="module")
def hub_errors(tf, hub):
    v1 = tf.compat.v1

    def fine():
        x = v1.placeholder(tf.float32, [None, 2])
        hub.add_signature(inputs=x, outputs=tf.identity(x))

    def no_signature():
        v1.placeholder(tf.float32)

    def custom_collections():
        fine()
        c = tf.constant(1.0, name="c")
        v1.add_to_collection("my_collection", c)
        v1.add_to_collection(v1.GraphKeys.LOSSES, c)

    def malformed():
        fine()
        from tensorflow.core.framework import tensor_shape_pb2
        hub.attach_message("9lives", tensor_shape_pb2.TensorShapeProto())

    def multisig():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        y = v1.placeholder(tf.float32, [None, 3], name="y")
        v = v1.get_variable("v", [3])
        hub.add_signature("mul", {"x": x}, x * v)
        hub.add_signature("affine", {"x": x, "y": y}, {"sum": x * v + y, "diff": x * v - y})

    out = {
        "no_signature": hub_error(lambda: hub.create_module_spec(no_signature)),
        "repeated_tags": hub_error(lambda: hub.create_module_spec(
            fine, [({"a", "b"}, {}), ({"b", "a"}, {})])),
        "unsupported_collections": hub_error(lambda: hub.create_module_spec(custom_collections)),
        "malformed_key": hub_error(lambda: hub.create_module_spec(malformed)),
    }
    hub.create_module_spec(custom_collections, drop_collections=["my_collection", "losses"])
    spec = hub.create_module_spec(multisig)
    with tf.Graph().as_default():
        m = hub.Module(spec)
        f3 = v1.placeholder(tf.float32, [None, 3])
        f5 = v1.placeholder(tf.float32, [None, 5])
        i3 = v1.placeholder(tf.int32, [None, 3])
        out.update({
            "missing_input": hub_error(lambda: m({"x": f3}, signature="affine")),
            "missing_and_extra_input": hub_error(
                lambda: m({"x": f3, "z": f3}, signature="affine")),
            "multiple_inputs_need_dict": hub_error(lambda: m(f3, signature="affine")),
            "wrong_dtype": hub_error(lambda: m({"x": i3}, signature="mul")),
            "incompatible_shape": hub_error(lambda: m({"x": f5}, signature="mul")),
            "missing_signature": hub_error(lambda: m({"x": f3}, signature="nope")),
            "no_default_output": hub_error(lambda: m({"x": f3, "y": f3}, signature="affine")),
        })
    return out


# Cases whose message must contain hub's message verbatim.
SAME_TEXT = ["no_signature", "malformed_key", "missing_input",
             "missing_and_extra_input", "multiple_inputs_need_dict", "missing_signature",
             "no_default_output"]


@pytest.mark.parametrize("case", SAME_TEXT)
def test_api_error_has_hubs_message(our_errors, hub_errors, case):
    ours = our_errors[case]
    assert ours["code"] == "INVALID_ARGUMENT", ours
    assert hub_errors[case][1] in ours["message"], (ours["message"], hub_errors[case])


def _tag_items(message):
    m = re.fullmatch(r"Tags frozenset\((?:\{(.*)\})?\) used repeatedly", message)
    assert m, message
    return sorted(x.strip() for x in (m.group(1) or "").split(",") if x.strip())


def test_api_repeated_tags(our_errors, hub_errors):
    # hub prints the frozenset in hash order; compare its items.
    assert our_errors["repeated_tags"]["code"] == "INVALID_ARGUMENT"
    assert _tag_items(our_errors["repeated_tags"]["message"]) == _tag_items(
        hub_errors["repeated_tags"][1]) == ["'a'", "'b'"]


def test_api_unsupported_collections(our_errors, hub_errors):
    # hub lists them in the graph's collection order; we sort them.
    def parts(message):
        m = re.fullmatch(r"Unsupported collections in graph: \[(.*)\]\n(.*)", message, re.S)
        assert m, message
        return sorted(m.group(1).split(", ")), m.group(2)

    assert our_errors["unsupported_collections"]["code"] == "INVALID_ARGUMENT"
    assert parts(our_errors["unsupported_collections"]["message"]) == parts(
        hub_errors["unsupported_collections"][1])


def test_api_drop_collections_fixes_it(our_errors, hub_errors):
    assert "drop_collections=[...]" in hub_errors["unsupported_collections"][1]
    assert our_errors["unsupported_collections_dropped"]["code"] == "OK"


def _without_node_names(message):
    return re.sub(r"name='[^']*'", "name=...", re.sub(r'Tensor\("[^"]*"', 'Tensor("..."', message))


@pytest.mark.parametrize("case", ["wrong_dtype", "incompatible_shape"])
def test_api_wrong_dtype_and_shape(our_errors, hub_errors, case):
    # The same text as TensorFlow/hub, up to the names of the placeholders.
    ours = our_errors[case]
    assert ours["code"] == "INVALID_ARGUMENT"
    assert _without_node_names(ours["message"]) == _without_node_names(hub_errors[case][1])


# ---------------------------------------------------------------------------
# `tf1hub run`: input checks.

def _run(run_tf1hub, module, signature, inputs, tmp_path, *extra):
    args = ["run", module, "--signature", signature, "--out", tmp_path / "out", *extra]
    return run_tf1hub(*args, *H.npy_inputs(tmp_path, inputs))


def test_cli_missing_and_extra_inputs(run_tf1hub, our_modules, tmp_path):
    x = np.ones([2, 3], np.float32)
    r = _run(run_tf1hub, our_modules["multisig"], "affine", {"x": x}, tmp_path)
    assert r.returncode != 0
    assert "Cannot convert dict_inputs: missing ['y'], extra given []" in r.stderr, r.stderr
    r = _run(run_tf1hub, our_modules["multisig"], "affine", {"x": x, "z": x}, tmp_path)
    assert r.returncode != 0
    assert "Cannot convert dict_inputs: missing ['y'], extra given ['z']" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_cli_wrong_dtype(run_tf1hub, our_modules, tmp_path):
    r = _run(run_tf1hub, our_modules["multisig"], "mul", {"x": np.ones([2, 3], np.int32)},
             tmp_path)
    assert r.returncode != 0
    assert "'x'" in r.stderr and "int32" in r.stderr and "float" in r.stderr, r.stderr


def test_cli_incompatible_shape(run_tf1hub, our_modules, tmp_path):
    r = _run(run_tf1hub, our_modules["multisig"], "mul", {"x": np.ones([2, 5], np.float32)},
             tmp_path)
    assert r.returncode != 0
    # hub's wording for a tensor is "Can't convert 'x': Got TensorSpec(...)";
    # the CLI names the .npy file and both shapes.
    assert "'x'" in r.stderr and "in_x.npy" in r.stderr, r.stderr
    assert "[2,5]" in r.stderr and "[?,3]" in r.stderr, r.stderr


def test_cli_missing_signature_and_tags(hub, run_tf1hub, our_modules, tmp_path):
    x = {"default": np.ones([1, 50], np.float32)}
    r = _run(run_tf1hub, our_modules["seed"], "nope", x, tmp_path)
    assert r.returncode != 0
    assert "Signature 'nope' is missing from meta graph." in r.stderr, r.stderr
    r = _run(run_tf1hub, our_modules["two_tags"], "default",
             {"default": np.ones([1, 4], np.float32)}, tmp_path, "--tags", "nope")
    assert r.returncode != 0
    _, hub_msg = hub_error(lambda: hub.Module(str(our_modules["two_tags"]), tags={"nope"}))
    assert hub_msg == "No such graph variant: tags=['nope']"
    assert hub_msg in r.stderr, r.stderr


# ---------------------------------------------------------------------------
# Loading: broken modules, next to hub.load_module_spec.

def _copy(src, dst):
    shutil.copytree(src, dst)
    return dst


def _edit_saved_model(path, edit):
    from tensorflow.core.protobuf import saved_model_pb2

    sm = saved_model_pb2.SavedModel()
    sm.ParseFromString((path / "saved_model.pb").read_bytes())
    edit(sm)
    (path / "saved_model.pb").write_bytes(sm.SerializeToString())


def _both_refuse(hub, run_tf1hub, path):
    hub_type, hub_msg = hub_error(lambda: hub.load_module_spec(str(path)))
    r = run_tf1hub("inspect", path)
    assert r.returncode != 0, r.stdout
    return hub_msg, r.stderr


def test_load_unknown_required_feature(hub, run_tf1hub, our_modules, tmp_path):
    from tensorflow_hub import module_def_pb2

    path = _copy(our_modules["seed"], tmp_path / "m")
    module_def = module_def_pb2.ModuleDef(format=module_def_pb2.ModuleDef.FORMAT_V3,
                                          required_features=["foo-test-missing"])
    (path / "tfhub_module.pb").write_bytes(module_def.SerializeToString())
    hub_msg, ours = _both_refuse(hub, run_tf1hub, path)
    assert hub_msg == "Unsupported features: ['foo-test-missing']"
    assert hub_msg in ours, ours


def test_load_unsupported_format(hub, run_tf1hub, our_modules, tmp_path):
    path = _copy(our_modules["seed"], tmp_path / "m")
    (path / "tfhub_module.pb").write_bytes(b"\x08\x02")
    hub_msg, ours = _both_refuse(hub, run_tf1hub, path)
    assert hub_msg.startswith("Unsupported module def format")
    assert "Unsupported module def format" in ours, ours


def test_load_unsupported_collections(hub, run_tf1hub, our_modules, tmp_path):
    path = _copy(our_modules["seed"], tmp_path / "m")

    def add(sm):
        sm.meta_graphs[0].collection_def["my_collection"].node_list.value.append("Placeholder:0")

    _edit_saved_model(path, add)
    hub_msg, ours = _both_refuse(hub, run_tf1hub, path)
    assert hub_msg == ("Unsupported collections in graph: ['my_collection']\n"
                       "Use hub.create_module_spec(..., drop_collections=[...]) as appropriate.")
    assert hub_msg in ours, ours


def test_load_repeated_tag_sets(hub, run_tf1hub, our_modules, tmp_path):
    path = _copy(our_modules["seed"], tmp_path / "m")
    _edit_saved_model(path, lambda sm: sm.meta_graphs.append(sm.meta_graphs[0]))
    hub_msg, ours = _both_refuse(hub, run_tf1hub, path)
    assert hub_msg == "Tags frozenset() used repeatedly"
    assert hub_msg in ours, ours


def test_load_asset_escaping_assets_dir(tf, hub, run_tf1hub, our_modules, tmp_path):
    from tensorflow.core.protobuf import meta_graph_pb2

    path = _copy(our_modules["assets"], tmp_path / "m")
    (tmp_path / "evil.txt").write_text("cat\n")

    def escape(sm):
        for mg in sm.meta_graphs:
            values = mg.collection_def["saved_model_assets"].any_list.value
            for any_value in values:
                asset = meta_graph_pb2.AssetFileDef()
                any_value.Unpack(asset)
                asset.filename = "../../evil.txt"
                any_value.Pack(asset)

    _edit_saved_model(path, escape)
    hub_msg, ours = _both_refuse(hub, run_tf1hub, path)
    assert hub_msg == "Asset filename (../../evil.txt) points outside assets_dir"
    assert "../../evil.txt" in ours and "assets" in ours, ours


def test_load_tf2_saved_model_refused(tf, hub, run_tf1hub, tmp_path):
    class Doubler(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def f(self, x):
            return x * 2

    path = tmp_path / "tf2"
    tf.saved_model.save(Doubler(), str(path))
    hub_msg, ours = _both_refuse(hub, run_tf1hub, path)
    assert "tfhub_module.pb" in hub_msg
    assert "SavedModel (TF2" in ours and "tfhub_module.pb" in ours, ours
    assert "hub.load" in ours, ours  # says what to use instead
    r = run_tf1hub("run", path, "--input", f"x={tmp_path}/x.npy", "--out", tmp_path / "o")
    assert r.returncode != 0 and "SavedModel (TF2" in r.stderr, r.stderr


def test_load_not_a_module(hub, run_tf1hub, tmp_path):
    (tmp_path / "empty").mkdir()
    hub_msg, ours = _both_refuse(hub, run_tf1hub, tmp_path / "empty")
    assert "tfhub_module.pb" in hub_msg
    assert "tfhub_module.pb" in ours, ours


def test_load_unparseable_saved_model(hub, run_tf1hub, our_modules, tmp_path):
    path = _copy(our_modules["seed"], tmp_path / "m")
    (path / "saved_model.pb").write_bytes(b"\xff\xff\xff not a proto")
    hub_msg, ours = _both_refuse(hub, run_tf1hub, path)
    assert hub_msg.startswith("Cannot parse file")
    assert "saved_model.pb" in ours, ours
