"""`tf1hub export-latest` next to real hub.LatestModuleExporter.

A training directory is written by TensorFlow's Saver: the seed module's
variables under the scope "tower/" plus global_step, checkpoints at steps 1
and 2 (then 3), and the `checkpoint` state file. Both exporters publish the
seed module (the one our C++ exported) from that directory, each into its
own base folder, three times with exports_to_keep = 2:

  * the export picks the newest checkpoint (step 2, then step 3);
  * folders are <base>/<10-digit unix seconds>/<name>, with no temp-*
    folder left behind, and only the newest 2 timestamped folders kept;
  * the two sides' folder layouts are the same, and the newest export of
    each side computes the same outputs in hub.Module (those of step 3).
"""
import re

import numpy as np
import pytest

import _hub_modules as H
from _hub_fixtures import hub, our_modules, tf_modules, writer_bin  # noqa: F401

SEED_VARS = ["dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"]
SHAPES = {"dense/kernel": [50, 200], "dense/bias": [200], "dense_1/kernel": [200, 100],
          "dense_1/bias": [100]}
KEEP = 2


def step_values(step):
    return {name: H.pattern(SHAPES[name], 100 + 10 * step + i)
            for i, name in enumerate(SEED_VARS)}


class TrainingDir:
    """Checkpoints written by tf.compat.v1.train.Saver, one per save()."""

    def __init__(self, tf, path):
        self.tf = tf
        self.path = path
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.global_step = tf.compat.v1.train.create_global_step()
            with tf.compat.v1.variable_scope("tower"):
                self.vars = {n: tf.compat.v1.get_variable(n, SHAPES[n]) for n in SEED_VARS}
            self.saver = tf.compat.v1.train.Saver(max_to_keep=5)
            self.sess = tf.compat.v1.Session(graph=self.graph)
            self.sess.run(tf.compat.v1.global_variables_initializer())

    def save(self, step):
        with self.graph.as_default():
            for name, value in step_values(step).items():
                self.vars[name].load(value, self.sess)
            self.global_step.load(step, self.sess)
            self.saver.save(self.sess, str(self.path / "model.ckpt"), global_step=step)

    def close(self):
        self.sess.close()


def make_hub_exporter(tf, hub, spec_path, model_dir):
    """An Estimator whose model_fn instantiates the module as "tower"."""
    from tensorflow.compat.v1 import estimator as tf_estimator

    def model_fn(features, labels, mode, config):
        spec = hub.load_module_spec(str(spec_path))
        m = hub.Module(spec, name="tower")
        hub.register_module_for_export(m, "module")
        return tf_estimator.EstimatorSpec(mode, predictions={"y": m(features["x"])})

    def serving_input_fn():
        x = tf.compat.v1.placeholder(tf.float32, [None, 50])
        return tf_estimator.export.ServingInputReceiver({"x": x}, {"x": x})

    est = tf_estimator.Estimator(model_fn, model_dir=str(model_dir))
    return est, hub.LatestModuleExporter("tf_hub", serving_input_fn, exports_to_keep=KEEP)


def timestamped(base):
    return sorted(p.name for p in base.iterdir())


def module_listing(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


@pytest.fixture
def training_dir(tf, tmp_path):
    d = TrainingDir(tf, tmp_path / "model_dir")
    yield d
    d.close()


def test_export_latest_matches_hub_exporter(tf, hub, run_tf1hub, our_modules, training_dir,
                                            tmp_path):
    spec = our_modules["seed"]
    ours_base, hub_base = tmp_path / "ours_export", tmp_path / "hub_export"
    est, exporter = make_hub_exporter(tf, hub, spec, training_dir.path)

    def export_ours():
        r = run_tf1hub("export-latest", "--spec", spec, "--model-dir", training_dir.path,
                       "--export-dir", ours_base, "--scope", "tower/", "--keep", KEEP)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    def export_hub():
        out = exporter.export(est, str(hub_base))
        return out.decode() if isinstance(out, bytes) else out

    training_dir.save(1)
    training_dir.save(2)
    ours_1, hub_1 = export_ours(), export_hub()
    for first in (ours_1, hub_1):
        for name, value in step_values(2).items():  # the newest checkpoint, step 2
            np.testing.assert_array_equal(
                tf.train.load_variable(f"{first}/module/variables/variables", name), value)
    training_dir.save(3)
    ours_2, hub_2 = export_ours(), export_hub()
    ours_3, hub_3 = export_ours(), export_hub()

    for base, printed in ((ours_base, [ours_1, ours_2, ours_3]), (hub_base, [hub_1, hub_2, hub_3])):
        names = timestamped(base)
        assert all(re.fullmatch(r"\d{10}", n) for n in names), names
        assert not [n for n in names if n.startswith("temp-")]
        assert len(set(printed)) == 3
        assert names == sorted(p.rsplit("/", 1)[1] for p in printed[1:]), (names, printed)
        for n in names:
            assert timestamped(base / n) == ["module"]
    assert module_listing(ours_base / timestamped(ours_base)[-1]) == module_listing(
        hub_base / timestamped(hub_base)[-1])

    # Both newest exports hold step 3 and compute the same in hub.Module.
    x = H.INPUTS["seed"]["default"]["default"]
    want = H.expected("seed", "default", {"default": x}, values=step_values(3))
    results = []
    for newest in (ours_3, hub_3):
        outputs, extras = H.tf_outputs(tf, hub, f"{newest}/module", "seed")
        for name, value in step_values(3).items():
            np.testing.assert_array_equal(extras["variables"][name], value)
        H.assert_close(outputs["default"]["default"], want["default"], newest)
        results.append(outputs["default"])
    for key in ("default", "hidden_activations"):
        np.testing.assert_array_equal(results[0][key], results[1][key])


def test_export_latest_errors(tf, hub, run_tf1hub, our_modules, training_dir, tmp_path):
    spec = our_modules["seed"]
    base = tmp_path / "export"
    # exports_to_keep must be positive, as hub says.
    with pytest.raises(ValueError) as hub_error:
        hub.LatestModuleExporter("x", lambda: None, exports_to_keep=0)
    r = run_tf1hub("export-latest", "--spec", spec, "--model-dir", training_dir.path,
                   "--export-dir", base, "--keep", 0)
    assert r.returncode != 0
    assert "must be a positive number" in str(hub_error.value)
    assert "must be a positive number" in r.stderr, r.stderr
    # No checkpoint yet.
    r = run_tf1hub("export-latest", "--spec", spec, "--model-dir", training_dir.path,
                   "--export-dir", base, "--scope", "tower/")
    assert r.returncode != 0
    assert "checkpoint" in r.stderr.lower() and str(training_dir.path) in r.stderr, r.stderr
    training_dir.save(1)
    # Wrong scope: the variable is not found under it; nothing is published.
    r = run_tf1hub("export-latest", "--spec", spec, "--model-dir", training_dir.path,
                   "--export-dir", base, "--scope", "nope/")
    assert r.returncode != 0
    assert "nope/dense" in r.stderr and "not found" in r.stderr, r.stderr
    assert not base.exists() or not [p for p in base.iterdir() if re.fullmatch(r"\d{10}", p.name)]
