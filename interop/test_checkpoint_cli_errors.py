"""Bad input to `tf1hub checkpoint ...`: a clean exit 1 (no signal, no crash),
a message on stderr naming the file (and tensor where relevant) and the
problem, and for `write` nothing left at the destination."""
import io
import pathlib
import re
import shutil

import ml_dtypes
import numpy as np
import pytest

import _tf_checkpoints as h

WEIGHTS = "alpha/weights"   # float32 [64], first in the data file
STRINGS = "beta/strings"    # string [3]
COUNTS = "gamma/counts"     # int64 [8], last in the data file
DATA = ".data-00000-of-00001"


@pytest.fixture(scope="module")
def tf_base(tf, tmp_path_factory):
    """A small valid checkpoint written by TensorFlow."""
    prefix = tmp_path_factory.mktemp("base") / "ckpt"
    h.save_v2(tf, prefix, [
        (WEIGHTS, np.linspace(-1, 1, 64, dtype=np.float32)),
        (STRINGS, h._strings(["one", b"tw\x00o", "three"])),
        (COUNTS, np.arange(8, dtype=np.int64) * 1000),
    ])
    return prefix


@pytest.fixture
def ckpt(tf_base, tmp_path):
    """A private copy of the base checkpoint, to damage."""
    prefix = tmp_path / "ckpt"
    for suffix in (".index", DATA):
        shutil.copyfile(str(tf_base) + suffix, str(prefix) + suffix)
    return str(prefix)


def assert_clean_error(result, *must_name, problem):
    rc, _, err = result
    assert rc == 1, f"exit status {rc} (negative = killed by a signal); stderr: {err}"
    assert err.strip(), "nothing on stderr"
    assert err.startswith("tf1hub checkpoint "), err
    for text in must_name:
        assert str(text) in err, f"stderr does not name {text!r}: {err}"
    assert re.search(problem, err, re.IGNORECASE), f"stderr does not say /{problem}/: {err}"
    return err


def flip_byte(path, offset):
    data = bytearray(pathlib.Path(path).read_bytes())
    data[offset] ^= 0x10
    pathlib.Path(path).write_bytes(bytes(data))


def truncate(path, size):
    data = pathlib.Path(path).read_bytes()
    assert size < len(data)
    pathlib.Path(path).write_bytes(data[:size])


def test_base_checkpoint_is_fine(run_tf1hub, ckpt, tmp_path):
    rc, out, err = run_tf1hub("checkpoint", "ls", ckpt)
    assert rc == 0, err
    assert [line.split("\t")[0] for line in out.splitlines()] == [WEIGHTS, STRINGS, COUNTS]


# --- damaged .index -------------------------------------------------------

@pytest.mark.parametrize("keep", ["half", "10_bytes", "all_but_1"])
def test_truncated_index(run_tf1hub, ckpt, keep):
    index = ckpt + ".index"
    size = pathlib.Path(index).stat().st_size
    truncate(index, {"half": size // 2, "10_bytes": 10, "all_but_1": size - 1}[keep])
    assert_clean_error(run_tf1hub("checkpoint", "ls", ckpt), index,
                       problem=r"truncat|too short|magic|corrupt|not an sstable")


def test_bit_flipped_index_block(run_tf1hub, ckpt):
    index = ckpt + ".index"
    block = h.read_index(index).data_blocks[0]
    flip_byte(index, block.offset + block.size // 2)
    assert_clean_error(run_tf1hub("checkpoint", "ls", ckpt), index,
                       problem=r"checksum|crc|corrupt")


def test_wrong_magic(run_tf1hub, ckpt):
    index = ckpt + ".index"
    flip_byte(index, pathlib.Path(index).stat().st_size - 3)
    assert_clean_error(run_tf1hub("checkpoint", "ls", ckpt), index, problem=r"magic")


def test_text_file_named_index(run_tf1hub, tmp_path):
    prefix = tmp_path / "x"
    pathlib.Path(str(prefix) + ".index").write_text(
        "this is not a checkpoint index, just some text that is long enough "
        "to hold a footer of forty-eight bytes\n")
    assert_clean_error(run_tf1hub("checkpoint", "ls", prefix), f"{prefix}.index",
                       problem=r"magic|not an sstable|corrupt")


def test_empty_index_file(run_tf1hub, tmp_path):
    prefix = tmp_path / "empty"
    pathlib.Path(str(prefix) + ".index").write_bytes(b"")
    assert_clean_error(run_tf1hub("checkpoint", "ls", prefix), f"{prefix}.index",
                       problem=r"too short|truncat|empty")


# --- damaged data file -----------------------------------------------------

def test_bit_flipped_data(run_tf1hub, ckpt, tmp_path):
    entry = h.read_index(ckpt + ".index").entry(WEIGHTS)
    flip_byte(ckpt + DATA, entry.offset + 10)
    out = tmp_path / "w.npy"
    assert_clean_error(run_tf1hub("checkpoint", "get", ckpt, WEIGHTS, "--out", out),
                       ckpt + DATA, WEIGHTS, problem=r"checksum|crc")
    assert not out.exists()
    # Tensors whose bytes are intact still read.
    rc, _, err = run_tf1hub("checkpoint", "get", ckpt, COUNTS, "--out", out)
    assert rc == 0, err
    assert np.load(out).tolist() == [i * 1000 for i in range(8)]


def test_bit_flipped_string_data(run_tf1hub, ckpt, tmp_path):
    entry = h.read_index(ckpt + ".index").entry(STRINGS)
    flip_byte(ckpt + DATA, entry.offset + entry.size - 2)  # inside "three"
    assert_clean_error(
        run_tf1hub("checkpoint", "get", ckpt, STRINGS, "--out", tmp_path / "s.npy"),
        ckpt + DATA, STRINGS, problem=r"checksum|crc")


def test_truncated_data(run_tf1hub, ckpt, tmp_path):
    entry = h.read_index(ckpt + ".index").entry(COUNTS)
    truncate(ckpt + DATA, entry.offset + 5)
    assert_clean_error(
        run_tf1hub("checkpoint", "get", ckpt, COUNTS, "--out", tmp_path / "c.npy"),
        ckpt + DATA, problem=r"truncat|too short|past the end|beyond|out of range|size")


def test_missing_data_shard(run_tf1hub, ckpt, tmp_path):
    pathlib.Path(ckpt + DATA).unlink()
    assert_clean_error(
        run_tf1hub("checkpoint", "get", ckpt, WEIGHTS, "--out", tmp_path / "w.npy"),
        ckpt + DATA, problem=r"not found|no such file|missing|does not exist")


# --- bad prefixes and names ------------------------------------------------

def test_nonexistent_prefix(run_tf1hub, tmp_path):
    prefix = tmp_path / "nowhere" / "model.ckpt"
    assert_clean_error(run_tf1hub("checkpoint", "ls", prefix), prefix,
                       problem=r"not found|no such file|does not exist")


def test_directory_without_state_file(run_tf1hub, tmp_path):
    directory = tmp_path / "emptydir"
    directory.mkdir()
    assert_clean_error(run_tf1hub("checkpoint", "ls", directory), directory,
                       problem=r"not found|no such file|does not exist|checkpoint")


def test_get_missing_tensor(run_tf1hub, ckpt, tmp_path):
    out = tmp_path / "x.npy"
    assert_clean_error(run_tf1hub("checkpoint", "get", ckpt, "no/such/tensor", "--out", out),
                       "no/such/tensor", ckpt, problem=r"not found|no such")
    assert not out.exists()


def test_get_into_missing_directory(run_tf1hub, ckpt, tmp_path):
    out = tmp_path / "no" / "dir" / "w.npy"
    assert_clean_error(run_tf1hub("checkpoint", "get", ckpt, WEIGHTS, "--out", out), out,
                       problem=r"not found|no such file|does not exist|cannot|failed")


# --- `write` with bad arguments or .npy files ------------------------------

@pytest.fixture
def good_npy(tmp_path):
    path = tmp_path / "good.npy"
    np.save(path, np.arange(6, dtype=np.float32).reshape(2, 3))
    return path


@pytest.fixture
def dest(tmp_path):
    directory = tmp_path / "dest"
    directory.mkdir()
    return directory


def assert_nothing_written(dest):
    assert list(dest.iterdir()) == [], f"left behind: {sorted(p.name for p in dest.iterdir())}"


@pytest.mark.parametrize("make_arg", [
    lambda npy: "no_equals_sign",
    lambda npy: f"={npy}",
    lambda npy: "name=",
], ids=["no_equals", "empty_name", "empty_file"])
def test_write_malformed_argument(run_tf1hub, good_npy, dest, make_arg):
    bad = make_arg(good_npy)
    assert_clean_error(
        run_tf1hub("checkpoint", "write", dest / "ckpt", f"ok={good_npy}", bad),
        bad, problem=r"NAME=FILE|expected|empty|malformed")
    assert_nothing_written(dest)


def test_write_duplicate_name(run_tf1hub, good_npy, dest):
    assert_clean_error(
        run_tf1hub("checkpoint", "write", dest / "ckpt", f"w={good_npy}", f"w={good_npy}"),
        "'w'", problem=r"more than once|duplicate|already")
    assert_nothing_written(dest)


def test_write_nonexistent_npy(run_tf1hub, good_npy, dest, tmp_path):
    missing = tmp_path / "missing.npy"
    assert_clean_error(
        run_tf1hub("checkpoint", "write", dest / "ckpt", f"ok={good_npy}", f"t/x={missing}"),
        missing, "t/x", problem=r"not found|no such file|does not exist")
    assert_nothing_written(dest)


def test_write_under_a_regular_file(run_tf1hub, good_npy, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    prefix = blocker / "ckpt"
    assert_clean_error(run_tf1hub("checkpoint", "write", prefix, f"ok={good_npy}"), blocker,
                       problem=r"not a directory|exists|cannot|failed")
    assert blocker.read_text() == "not a directory"


def _corrupt_npys(tmp_path):
    good = tmp_path / "src.npy"
    np.save(good, np.arange(100, dtype=np.int32))
    data = good.read_bytes()
    header_len = 10 + int.from_bytes(data[8:10], "little")
    bf16 = io.BytesIO()
    np.save(bf16, np.ones(3, dtype=ml_dtypes.bfloat16))
    pickled = io.BytesIO()
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    return {
        "bad_magic": b"\x93NUMPX" + data[6:],
        "truncated_data": data[:header_len + 37],
        "truncated_header": data[:header_len - 20],
        "empty": b"",
        "text": b"just text, not a .npy file at all\n",
        "bad_header_dict": data[:10] + data[10:header_len].replace(b"'shape'", b"'shXpe'"),
        "bfloat16_void": bf16.getvalue(),
        "pickled_object": pickled.getvalue(),
    }


CORRUPT_NPY_KINDS = ["bad_magic", "truncated_data", "truncated_header", "empty", "text",
                     "bad_header_dict", "bfloat16_void", "pickled_object"]


@pytest.mark.parametrize("kind", CORRUPT_NPY_KINDS)
def test_write_corrupt_npy(run_tf1hub, good_npy, dest, tmp_path, kind):
    bad = tmp_path / f"{kind}.npy"
    bad.write_bytes(_corrupt_npys(tmp_path)[kind])
    # The good tensor comes first, so the writer has started when it fails.
    err = assert_clean_error(
        run_tf1hub("checkpoint", "write", dest / "ckpt", f"ok={good_npy}", f"bad/t={bad}"),
        bad, "bad/t", problem=r".")
    assert re.search(r"npy|magic|header|truncat|short|dtype|descr|pickle|object|"
                     r"unsupported|bfloat16|V2|format", err, re.IGNORECASE), err
    assert_nothing_written(dest)
