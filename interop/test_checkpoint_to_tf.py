"""Us -> TF: checkpoints written by `tf1hub checkpoint write`, read by
TensorFlow 2.15 (tf.train.load_checkpoint) and restored by a TF1 Saver into
ref and resource variables."""
import pathlib

import numpy as np
import pytest

import _tf_checkpoints as h


def _expected_cases():
    """(tensor name, array to np.save, value TF must read back)."""
    cases = []
    for name, value in h.numeric_cases() + h.string_cases():
        cases.append((f"us/{name}", h.to_npy_array(value), value))
    # Unicode 'U' arrays are stored as UTF-8 strings.
    unicode = np.array([["héllo", "日本語"], ["😀", ""]])
    cases.append(("us/from_numpy_unicode", unicode,
                  h._strings([s.encode("utf-8") for s in unicode.ravel()], shape=(2, 2))))
    # Fortran-order arrays keep their logical (row-major) values.
    fortran = np.asfortranarray(np.arange(12, dtype=np.int32).reshape(3, 4) * 3 - 7)
    cases.append(("us/from_fortran_order", fortran, np.ascontiguousarray(fortran)))
    # Names are split on the last '=' (names may hold '=' and '/').
    cases.append(("us/with=equals/x", np.array([1.5, 2.5], np.float64),
                  np.array([1.5, 2.5], np.float64)))
    return cases


@pytest.fixture(scope="module")
def our_checkpoint(run_tf1hub, tmp_path_factory):
    directory = tmp_path_factory.mktemp("ours")
    args = []
    cases = _expected_cases()
    for i, (name, npy_value, _) in enumerate(cases):
        path = directory / f"in{i}.npy"
        np.save(path, npy_value, allow_pickle=False)
        args.append(f"{name}={path}")
    prefix = str(directory / "out" / "model.ckpt")
    pathlib.Path(prefix).parent.mkdir()
    rc, _, err = run_tf1hub("checkpoint", "write", prefix, *args)
    assert rc == 0, err
    return prefix, {name: expected for name, _, expected in cases}


def test_files_are_a_single_shard_bundle(our_checkpoint):
    prefix, _ = our_checkpoint
    out_dir = pathlib.Path(prefix).parent
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "model.ckpt.data-00000-of-00001", "model.ckpt.index"]
    assert h.read_index(prefix + ".index").header().num_shards == 1


def test_tf_lists_same_names_dtypes_shapes(tf, our_checkpoint):
    prefix, expected = our_checkpoint
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    shapes = reader.get_variable_to_shape_map()
    assert sorted(dtypes) == sorted(expected)
    for name, value in expected.items():
        want = tf.string if value.dtype == object else tf.as_dtype(value.dtype)
        assert dtypes[name] == want, name
        assert shapes[name] == list(value.shape), name


def test_tf_reads_values_bit_for_bit(tf, our_checkpoint):
    prefix, expected = our_checkpoint
    reader = tf.train.load_checkpoint(prefix)
    failures = []
    for name, value in expected.items():
        problem = h.tf_value_mismatch(reader.get_tensor(name), value)
        if problem:
            failures.append(f"{name}: {problem}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("use_resource", [False, True], ids=["ref", "resource"])
def test_tf1_saver_restores_into_variables(tf, our_checkpoint, use_resource):
    prefix, expected = our_checkpoint
    graph = tf.Graph()
    with graph.as_default():
        variables = {}
        for i, (name, value) in enumerate(expected.items()):
            dtype = tf.string if value.dtype == object else tf.as_dtype(value.dtype)
            variables[name] = tf.compat.v1.Variable(
                tf.zeros(value.shape, dtype=dtype), name=f"v{i}", use_resource=use_resource)
        saver = tf.compat.v1.train.Saver(var_list=variables)
        with tf.compat.v1.Session(graph=graph) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            saver.restore(sess, prefix)
            restored = sess.run(variables)
    failures = []
    for name, value in expected.items():
        problem = h.tf_value_mismatch(restored[name], value)
        if problem:
            failures.append(f"{name}: {problem}")
    assert not failures, "\n".join(failures)

