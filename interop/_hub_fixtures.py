"""Session-wide fixtures of the hub suites, built once per pytest session.

Import the fixtures into a test module (`from _hub_fixtures import hub,
our_modules, tf_modules, writer_bin`). The builders memoise their results
at module level, so each runs once per session however many test files
use it.

  hub          the tensorflow_hub module (imported after tensorflow)
  writer_bin   path of tf1hub_write_test_modules ($TF1HUB_WRITE_TEST_MODULES
               or a build tree); the suite fails if it is missing
  our_modules  {name: path}: the modules our C++ exported (write_test_modules.cc)
  tf_modules   {name: path}: the same kinds made and exported by real hub
  tf_results   tf_results(kind, name) -> (outputs, extras) of hub.Module
               running module `name` of `kind` ("ours" or "tf") in TF
"""
import pytest

import _hub_modules as H

_CACHE = {}


@pytest.fixture(scope="session")
def hub(tf):
    import tensorflow_hub

    tf.get_logger().setLevel("ERROR")
    return tensorflow_hub


@pytest.fixture(scope="session")
def writer_bin():
    path = H.write_test_modules_bin()
    if not path:
        pytest.fail("tf1hub_write_test_modules not found: set TF1HUB_WRITE_TEST_MODULES or "
                    "build the target", pytrace=False)
    return path


@pytest.fixture(scope="session")
def our_modules(writer_bin, tmp_path_factory):
    if "ours" not in _CACHE:
        out = tmp_path_factory.mktemp("our_modules")
        proc = H.run_tool(writer_bin, "write", out)
        assert proc.returncode == 0, proc.stderr
        _CACHE["ours"] = {name: out / name for name in H.VALUES}
    return _CACHE["ours"]


@pytest.fixture(scope="session")
def tf_modules(tf, hub, tmp_path_factory):
    if "tf" not in _CACHE:
        _CACHE["tf"] = H.build_tf_modules(tf, hub, tmp_path_factory.mktemp("tf_modules"))
    return _CACHE["tf"]


@pytest.fixture(scope="session")
def tf_results(tf, hub, request):
    def get(kind, name):
        key = ("results", kind, name)
        if key not in _CACHE:
            modules = request.getfixturevalue("our_modules" if kind == "ours" else "tf_modules")
            path = modules[name]
            _CACHE[key] = H.tf_outputs(tf, hub, path, name)
        return _CACHE[key]

    return get
