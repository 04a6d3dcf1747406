"""Our .proto files against real TensorFlow 2.15 and tensorflow_hub 0.15.

TensorFlow writes a TF1-style SavedModel (SavedModelBuilder), a TF2 one
(tf.saved_model.save) and tensorflow_hub exports a TF1 Hub module. For each,
`tf1hub proto roundtrip` must parse the file with our schemas, find no field
or enum value they lack, and write it back so that TensorFlow's own
generated classes read back a message equal to the original.

Note on bytes: our output is canonical (fields by number, map entries sorted
bytewise). TensorFlow's files are not always in that order: Python's upb
"deterministic" mode puts a map key before any key it is a prefix of
("Tidx" before "T"), and tensorflow_hub serializes without determinism. So
the test compares messages, and checks that our output is a fixed point.
"""
import json
import pathlib
import shutil

import pytest

import _proto_helpers as helpers

SAVED_MODEL = "tensorflow.SavedModel"


@pytest.fixture(scope="module")
def hub():
    import tensorflow_hub

    return tensorflow_hub


@pytest.fixture(scope="module")
def tf1_export(tf, tmp_path_factory):
    return helpers.build_tf1_saved_model(tf, tmp_path_factory.mktemp("tf1"))


@pytest.fixture(scope="module")
def tf2_export(tf, tmp_path_factory):
    return helpers.build_tf2_saved_model(tf, tmp_path_factory.mktemp("tf2"))


@pytest.fixture(scope="module")
def hub_export(tf, hub, tmp_path_factory):
    return helpers.build_hub_module(tf, hub, tmp_path_factory.mktemp("hub"))


@pytest.fixture(params=["tf1", "tf2", "hub"])
def export_dir(request):
    if request.param == "tf1":
        return request.getfixturevalue("tf1_export")[0]
    return request.getfixturevalue(f"{request.param}_export")


def roundtrip(run_tf1hub, type_name, src, dst, *flags):
    """Runs the command with --json; returns (CliResult, report or None)."""
    result = run_tf1hub("proto", "roundtrip", "--type", type_name, src, dst, "--json", *flags)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        report = None
    return result, report


def assert_clean(result, report):
    assert result.returncode == 0, result.stderr
    assert report is not None, result.stdout
    assert report["issues"] == [], [issue["message"] for issue in report["issues"]]
    assert "unknown" not in result.stdout + result.stderr


def parse(message_class, path):
    message = message_class()
    message.ParseFromString(pathlib.Path(path).read_bytes())
    return message


def test_saved_model_roundtrip(run_tf1hub, tf, export_dir, tmp_path):
    from tensorflow.core.protobuf import saved_model_pb2

    src = export_dir / "saved_model.pb"
    out = tmp_path / "out.pb"
    result, report = roundtrip(run_tf1hub, SAVED_MODEL, src, out)
    assert_clean(result, report)
    assert report["input_bytes"] == src.stat().st_size
    assert report["output_bytes"] == out.stat().st_size

    original = parse(saved_model_pb2.SavedModel, src)
    ours = parse(saved_model_pb2.SavedModel, out)
    assert ours == original
    # Same fields, so the same size; and TF reads nothing it does not know.
    assert out.stat().st_size == src.stat().st_size
    assert not ours.FindInitializationErrors()

    # Our output is canonical: a second pass reproduces it byte for byte.
    again = tmp_path / "again.pb"
    result, report = roundtrip(run_tf1hub, SAVED_MODEL, out, again)
    assert_clean(result, report)
    assert report["identical"] is True
    assert again.read_bytes() == out.read_bytes()


def test_saved_model_has_what_we_meant_to_cover(tf1_export, tf2_export, hub_export):
    """Guards the coverage of the round-trip test above (checked with TF's
    own classes, independent of our code)."""
    from tensorflow.core.protobuf import saved_model_pb2

    tf1 = parse(saved_model_pb2.SavedModel, tf1_export[0] / "saved_model.pb")
    assert [list(m.meta_info_def.tags) for m in tf1.meta_graphs] == [["serve"], ["train"]]
    serve = tf1.meta_graphs[0]
    ops = {node.op for node in serve.graph_def.node}
    assert {"VariableV2", "VarHandleOp", "Placeholder", "HashTableV2",
            "InitializeTableFromTextFileV2"} <= ops
    assert serve.saver_def.version == 2
    # The TF1 builder records assets in a collection (any_list of AssetFileDef).
    asset = serve.collection_def["saved_model_assets"].any_list.value[0]
    assert asset.type_url == "type.googleapis.com/tensorflow.AssetFileDef"
    assert set(serve.signature_def) == {"serving_default", "classify"}
    sparse = tf1.meta_graphs[1].signature_def["sparse"].inputs["sparse"]
    assert sparse.WhichOneof("encoding") == "coo_sparse"

    tf2 = parse(saved_model_pb2.SavedModel, tf2_export / "saved_model.pb")
    graph = tf2.meta_graphs[0]
    assert len(graph.graph_def.library.function) > 0
    kinds = {node.WhichOneof("kind") for node in graph.object_graph_def.nodes}
    assert {"user_object", "variable", "function", "asset", "resource"} <= kinds
    assert "lookup" in graph.signature_def

    hub_model = parse(saved_model_pb2.SavedModel, hub_export / "saved_model.pb")
    assert len(hub_model.meta_graphs) == 2
    for meta in hub_model.meta_graphs:
        assert "hub_module_attachments" in meta.collection_def
        assert set(meta.signature_def) == {"default", "features"}


@pytest.mark.parametrize("type_name", ["tensorflow.MetaGraphDef", "tensorflow.GraphDef"])
def test_meta_graph_and_graph_roundtrip(run_tf1hub, tf, tf1_export, tf2_export, hub_export,
                                        tmp_path, type_name):
    from tensorflow.core.framework import graph_pb2
    from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2

    message_class = {"tensorflow.MetaGraphDef": meta_graph_pb2.MetaGraphDef,
                     "tensorflow.GraphDef": graph_pb2.GraphDef}[type_name]
    for name, export in [("tf1", tf1_export[0]), ("tf2", tf2_export), ("hub", hub_export)]:
        model = parse(saved_model_pb2.SavedModel, export / "saved_model.pb")
        for index, meta in enumerate(model.meta_graphs):
            original = meta if type_name == "tensorflow.MetaGraphDef" else meta.graph_def
            src = tmp_path / f"{name}_{index}.in.pb"
            out = tmp_path / f"{name}_{index}.out.pb"
            src.write_bytes(original.SerializeToString())
            result, report = roundtrip(run_tf1hub, type_name, src, out)
            assert_clean(result, report)
            assert parse(message_class, out) == original, (name, index)


def test_hub_module_def_roundtrip(run_tf1hub, hub_export, tmp_path):
    from tensorflow_hub import module_def_pb2

    src = hub_export / "tfhub_module.pb"
    assert src.read_bytes() == b"\x08\x03"
    out = tmp_path / "tfhub_module.pb"
    result, report = roundtrip(run_tf1hub, "tensorflow_hub.ModuleDef", src, out)
    assert_clean(result, report)
    assert out.read_bytes() == b"\x08\x03"
    assert parse(module_def_pb2.ModuleDef, out).format == module_def_pb2.ModuleDef.FORMAT_V3


def test_hub_attachment_roundtrip(run_tf1hub, hub_export, tmp_path):
    from tensorflow.core.protobuf import saved_model_pb2
    from tensorflow_hub import image_module_info_pb2, module_attachment_pb2

    model = parse(saved_model_pb2.SavedModel, hub_export / "saved_model.pb")
    raw = model.meta_graphs[0].collection_def["hub_module_attachments"].bytes_list.value[0]
    attachment_in = tmp_path / "attachment.pb"
    attachment_in.write_bytes(raw)
    attachment_out = tmp_path / "attachment.out.pb"
    result, report = roundtrip(run_tf1hub, "tensorflow_hub.ModuleAttachment", attachment_in,
                               attachment_out)
    assert_clean(result, report)
    attachment = parse(module_attachment_pb2.ModuleAttachment, attachment_out)
    assert attachment.key == "image_module_info"

    info_in = tmp_path / "info.pb"
    info_in.write_bytes(attachment.value)
    info_out = tmp_path / "info.out.pb"
    result, report = roundtrip(run_tf1hub, "tensorflow_hub.ImageModuleInfo", info_in, info_out)
    assert_clean(result, report)
    info = parse(image_module_info_pb2.ImageModuleInfo, info_out)
    assert (info.default_image_size.height, info.default_image_size.width) == (224, 224)


def test_fingerprint_roundtrip(run_tf1hub, tf2_export, tmp_path):
    from tensorflow.core.protobuf import fingerprint_pb2

    src = tf2_export / "fingerprint.pb"
    out = tmp_path / "fingerprint.pb"
    result, report = roundtrip(run_tf1hub, "tensorflow.FingerprintDef", src, out)
    assert_clean(result, report)
    original = parse(fingerprint_pb2.FingerprintDef, src)
    assert original.saved_model_checksum != 0
    assert parse(fingerprint_pb2.FingerprintDef, out) == original


@pytest.mark.parametrize("writer", ["tf1_saver", "tf2_manager"])
def test_checkpoint_state_text_roundtrip(run_tf1hub, tf, tf1_export, tmp_path, writer):
    from google.protobuf import text_format
    from tensorflow.python.training import checkpoint_state_pb2

    if writer == "tf1_saver":
        src = tf1_export[1] / "checkpoint"
    else:
        src = helpers.build_tf2_checkpoint_state(tf, tmp_path) / "checkpoint"
    original = text_format.Parse(src.read_text(), checkpoint_state_pb2.CheckpointState())
    assert len(original.all_model_checkpoint_paths) == 2
    if writer == "tf2_manager":
        assert len(original.all_model_checkpoint_timestamps) == 2
        assert original.last_preserved_timestamp > 0

    binary_out = tmp_path / "state.pb"
    result, report = roundtrip(run_tf1hub, "tensorflow.CheckpointState", src, binary_out,
                               "--text")
    assert_clean(result, report)
    assert parse(checkpoint_state_pb2.CheckpointState, binary_out) == original

    text_out = tmp_path / "checkpoint"
    result, report = roundtrip(run_tf1hub, "tensorflow.CheckpointState", src, text_out,
                               "--text", "--text-out")
    assert_clean(result, report)
    assert text_format.Parse(text_out.read_text(),
                             checkpoint_state_pb2.CheckpointState()) == original


def test_variables_index_header_roundtrip(run_tf1hub, tf1_export, tmp_path):
    """The bundle header and entries of TensorFlow's variables.index, taken
    out with the suite's own LevelDB-table reader."""
    from tensorflow.core.protobuf import tensor_bundle_pb2

    import _tf_checkpoints

    index = _tf_checkpoints.read_index(tf1_export[0] / "variables" / "variables.index")
    assert {b"", b"w", b"b", b"global_step"} <= set(index.entries)
    checks = []
    for key, value in index.entries.items():
        src = tmp_path / ((key.decode() or "header").replace("/", "_") + ".pb")
        src.write_bytes(value)
        if key == b"":
            checks.append(("tensorflow.BundleHeaderProto", tensor_bundle_pb2.BundleHeaderProto, src))
        else:
            checks.append(("tensorflow.BundleEntryProto", tensor_bundle_pb2.BundleEntryProto, src))
    for type_name, message_class, src in checks:
        out = tmp_path / (src.stem + ".out.pb")
        result, report = roundtrip(run_tf1hub, type_name, src, out)
        assert_clean(result, report)
        assert parse(message_class, out) == parse(message_class, src)
        # Single messages without maps: TF's bytes are canonical already.
        assert report["identical"] is True, type_name


# ---------------------------------------------------------------------------
# Bad input: exit 1, a message naming the file.
# ---------------------------------------------------------------------------


def assert_fails_naming(result, path, *words):
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert str(path) in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_truncated_saved_model_fails(run_tf1hub, tf1_export, tmp_path):
    data = (tf1_export[0] / "saved_model.pb").read_bytes()
    src = tmp_path / "truncated.pb"
    src.write_bytes(data[: len(data) // 2])
    result, _ = roundtrip(run_tf1hub, SAVED_MODEL, src, tmp_path / "out.pb")
    assert_fails_naming(result, src, "does not parse")


@pytest.mark.parametrize("garbage", [b"\xff" * 16, b"\x0a\x7f" + b"x" * 10, b"\x0b\x0c"])
def test_garbage_fails(run_tf1hub, tmp_path, garbage):
    src = tmp_path / "garbage.pb"
    src.write_bytes(garbage)
    result, _ = roundtrip(run_tf1hub, SAVED_MODEL, src, tmp_path / "out.pb")
    assert_fails_naming(result, src)


def test_missing_file_fails(run_tf1hub, tmp_path):
    src = tmp_path / "does_not_exist.pb"
    result, _ = roundtrip(run_tf1hub, SAVED_MODEL, src, tmp_path / "out.pb")
    assert_fails_naming(result, src)


def test_unknown_field_is_reported_with_its_path(run_tf1hub, tf1_export, tmp_path):
    """A field our schema lacks, added with TensorFlow's own classes as
    unknown wire data: reported by path, exit 1, and still carried to OUT."""
    from tensorflow.core.protobuf import saved_model_pb2

    model = parse(saved_model_pb2.SavedModel, tf1_export[0] / "saved_model.pb")
    node = model.meta_graphs[0].graph_def.node[3]
    attr_name = sorted(node.attr)[0]
    attr_bytes = node.attr[attr_name].SerializeToString() + b"\x88\x01\x05"  # field 17 = 5
    node.attr[attr_name].ParseFromString(attr_bytes)
    src = tmp_path / "extended.pb"
    src.write_bytes(model.SerializeToString())
    out = tmp_path / "out.pb"

    result, report = roundtrip(run_tf1hub, SAVED_MODEL, src, out)
    expected = f'meta_graphs[0].graph_def.node[3].attr["{attr_name}"].value: unknown field 17'
    assert_fails_naming(result, src, expected)
    assert [issue["message"] for issue in report["issues"]] == [expected + " (varint)"]
    assert parse(saved_model_pb2.SavedModel, out) == model


def test_wrong_type_name_fails(run_tf1hub, tf1_export, tmp_path):
    result, _ = roundtrip(run_tf1hub, "tensorflow.NoSuchMessage",
                          tf1_export[0] / "saved_model.pb", tmp_path / "out.pb")
    assert result.returncode == 1
    assert "tensorflow.NoSuchMessage" in result.stderr
