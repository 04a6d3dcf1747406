"""State round trips: new variable values assigned on one side, exported,
and reloaded on the other side come back exactly.

  ours -> TF         our tool re-exports our module with new values (.npy);
                     hub.Module reads them
  TF -> ours -> TF   our tool re-exports hub's module with new values;
                     hub.Module reads them
  ours -> TF -> ours hub assigns new values to our module and exports it;
                     `tf1hub run` computes with them
"""
import numpy as np
import pytest

import _hub_modules as H
from _hub_fixtures import hub, our_modules, tf_modules, tf_results, writer_bin  # noqa: F401

ROUND_TRIP_MODULES = list(H.NEW_VALUES)


def _npy_assignments(tmp_path, values):
    args = []
    for name, value in values.items():
        p = tmp_path / (name.replace("/", "__") + ".npy")
        np.save(p, value)
        args.append(f"{name}={p}")
    return args


def _check_in_hub(tf, hub, path, name):
    outputs, extras = H.tf_outputs(tf, hub, path, name)
    new = H.NEW_VALUES[name]
    for var, value in new.items():
        np.testing.assert_array_equal(extras["variables"][var], value, err_msg=var)
    for sig, inputs in H.INPUTS[name].items():
        for key, value in H.expected(name, sig, inputs, values=new).items():
            H.assert_close(outputs[sig][key], value, f"{name}/{sig}/{key}")


@pytest.mark.parametrize("kind", ["ours", "tf"])
@pytest.mark.parametrize("name", ROUND_TRIP_MODULES)
def test_reexport_with_new_values_read_by_hub(tf, hub, writer_bin, our_modules, tf_modules,
                                              tmp_path, kind, name):
    src = (our_modules if kind == "ours" else tf_modules)[name]
    dst = tmp_path / "reexported"
    proc = H.run_tool(writer_bin, "reexport", src, dst,
                      *_npy_assignments(tmp_path, H.NEW_VALUES[name]))
    assert proc.returncode == 0, proc.stderr
    ckpt = str(dst / "variables" / "variables")
    for var, value in H.NEW_VALUES[name].items():
        np.testing.assert_array_equal(tf.train.load_variable(ckpt, var), value, err_msg=var)
    _check_in_hub(tf, hub, dst, name)


@pytest.mark.parametrize("name", ROUND_TRIP_MODULES)
def test_hub_assigns_new_values_read_by_ours(tf, hub, run_tf1hub, our_modules, tmp_path, name):
    dst = tmp_path / "exported_by_hub"
    spec = hub.load_module_spec(str(our_modules[name]))
    H.export_with_values(tf, hub, spec, dst, H.NEW_VALUES[name])
    for sig, inputs in H.INPUTS[name].items():
        r, ours = H.run_ours(run_tf1hub, dst, sig, inputs, tmp_path / sig)
        assert r.returncode == 0, r.stderr
        for key, value in H.expected(name, sig, inputs, values=H.NEW_VALUES[name]).items():
            H.assert_close(ours[key], value, f"{name}/{sig}/{key}")


def test_reexport_twice_is_stable(tf, hub, writer_bin, our_modules, tmp_path):
    """ours -> ours -> hub: a re-export of a re-export keeps graphs and values."""
    first, second = tmp_path / "first", tmp_path / "second"
    for src, dst in ((our_modules["two_tags"], first), (first, second)):
        proc = H.run_tool(writer_bin, "reexport", src, dst, "--tags", "train")
        assert proc.returncode == 0, proc.stderr
    spec = hub.load_module_spec(str(second))
    assert H.spec_interface(spec) == H.normalise_interface(H.INTERFACE["two_tags"])
    outputs, extras = H.tf_outputs(tf, hub, second, "two_tags")
    for var, value in H.VALUES["two_tags"].items():
        np.testing.assert_array_equal(extras["variables"][var], value, err_msg=var)
    want = H.expected("two_tags", "default", H.INPUTS["two_tags"]["default"])
    H.assert_close(outputs["default"]["default"], want["default"], "two_tags")
