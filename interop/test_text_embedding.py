"""Text embedding modules (issue 5) against real TensorFlow 2.15 + hub 0.15.

(a) ours -> hub: `tf1hub export-text-embedding` writes a module that
    hub.Module loads and that gives exactly the embeddings of the module
    hub's own exporter makes from the same file, for a corpus with unicode,
    punctuation, empty strings and out-of-vocabulary words;
    hub.text_embedding_column accepts it.
(b) hub -> ours: a module exported by our re-creation of hub's
    examples/text_embeddings/export.py (below) runs in `tf1hub run` with
    TensorFlow's outputs, with sentences given as NumPy 'U' and 'S' arrays
    and as a text file (one sentence per line).
(c) StringToHashBucketFast parity is covered by test_kernels_string.py.
"""
import os
import pathlib
import shutil
import tempfile

import numpy as np
import pytest

from _hub_fixtures import hub  # noqa: F401

# Tokens include non-ASCII ones; "its" and "dont" match after apostrophes
# are stripped; the values have 9+ significant digits, so hub's
# float64 -> float32 rounding is exercised.
VOCAB = ["cat", "dog", "lizard", "the", "café", "東京", "naïve", "its", "dont", "a"]
DIM = 7

CORPUS = [
    "",
    "cat",
    "the cat sat on a mat",
    "Dog, cat & lizard!",
    "dog... dog? dog!",
    "café au lait",
    "東京 the naïve cat",
    "it's a dog",
    "don't",
    "",
    "!!! ??? ...",
    "   cat    dog   ",
    "unknown words only",
    "«cat» — «dog»",
    "emoji 🐱 cat",
    "tab\tseparated cat",
    "CAT Dog",
]

TOKENS = ["cat", "dog", "", "café", "東京", "unseen", "CAT", "its"]


def write_embeddings(path, seed=5):
    rng = np.random.RandomState(seed)
    values = rng.uniform(-2, 2, size=(len(VOCAB), DIM))
    with open(path, "w", encoding="utf-8") as f:
        for token, row in zip(VOCAB, values):
            f.write(token + " " + " ".join(repr(float(v)) for v in row) + "\n")
    return values


# ---- hub's exporter, re-created (TF1 graph API; same graph as export.py) ----

def hub_export(tf, hub, embeddings_file, export_path, num_oov_buckets, preprocess_text):
    v1 = tf.compat.v1
    vocabulary, rows = [], []
    with open(embeddings_file, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            vocabulary.append(fields[0])
            rows.append([float(x) for x in fields[1:]])
    matrix = np.array(rows)
    matrix.resize([len(vocabulary) + num_oov_buckets, matrix.shape[1]], refcheck=False)
    tmpdir = tempfile.mkdtemp()
    vocab_file = os.path.join(tmpdir, "tokens.txt")
    with open(vocab_file, "w", encoding="utf-8") as f:
        f.write("\n".join(vocabulary))
    size, dim = len(vocabulary), matrix.shape[1]

    def table():
        init = tf.lookup.TextFileInitializer(
            vocab_file, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
            tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER)
        return tf.lookup.StaticVocabularyTable(init, num_oov_buckets=num_oov_buckets)

    def variable():
        return v1.get_variable(initializer=tf.zeros([size + num_oov_buckets, dim]),
                               name="embeddings", dtype=tf.float32)

    def tokens_fn():
        tokens = v1.placeholder(shape=[None], dtype=tf.string, name="tokens")
        var = variable()
        out = tf.nn.embedding_lookup(params=var, ids=table().lookup(tokens))
        hub.add_signature("default", {"tokens": tokens}, {"default": out})

    def sentences_fn():
        sentences = v1.placeholder(shape=[None], dtype=tf.string, name="sentences")
        split = v1.string_split(v1.regex_replace(input=sentences, pattern=r"\pP", rewrite=""), " ")
        var = variable()
        t = table()
        ids = tf.SparseTensor(indices=split.indices, values=t.lookup(split.values),
                              dense_shape=split.dense_shape)
        ids, _ = v1.sparse_fill_empty_rows(ids, t.lookup(tf.constant("")))
        ids = v1.sparse_reset_shape(ids)
        out = v1.nn.embedding_lookup_sparse(params=var, sp_ids=ids, sp_weights=None,
                                            combiner="sqrtn")
        hub.add_signature("default", {"sentences": sentences}, {"default": out})

    spec = hub.create_module_spec(sentences_fn if preprocess_text else tokens_fn)
    try:
        with tf.Graph().as_default():
            m = hub.Module(spec)
            p = v1.placeholder(tf.float32)
            load = v1.assign(m.variable_map["embeddings"], p)
            with v1.Session() as sess:
                sess.run([load], feed_dict={p: matrix})
                m.export(str(export_path), sess)
    finally:
        shutil.rmtree(tmpdir)


def hub_embed(tf, hub, module_path, inputs):
    """hub.Module(path)(inputs) in a TF1 graph."""
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        m = hub.Module(str(module_path))
        out = m(tf.constant(inputs))
        with v1.Session() as sess:
            sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
            return sess.run(out)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("text_embedding")


@pytest.fixture(scope="module")
def embeddings_file(work):
    path = work / "embeddings.txt"
    write_embeddings(path)
    return path


def export_ours(run_tf1hub, embeddings_file, out, *flags):
    r = run_tf1hub("export-text-embedding", "--embeddings", embeddings_file, "--out", out, *flags)
    assert r.returncode == 0, r.stderr
    assert "exported 10 tokens x 7" in r.stdout
    assert r.stderr == ""  # no progress bar when stderr is not a terminal
    return out


VARIANTS = [
    ("sentences", [], True, 1),
    ("sentences_oov3", ["--num-oov-buckets", "3"], True, 3),
    ("tokens", ["--no-preprocess-text"], False, 1),
]


@pytest.mark.parametrize("name,flags,preprocess,oov", VARIANTS)
def test_ours_to_hub_identical(tf, hub, run_tf1hub, work, embeddings_file, name, flags,
                               preprocess, oov):
    ours = export_ours(run_tf1hub, embeddings_file, work / ("ours_" + name), *flags)
    theirs = work / ("hub_" + name)
    hub_export(tf, hub, embeddings_file, theirs, oov, preprocess)
    inputs = CORPUS if preprocess else TOKENS
    got = hub_embed(tf, hub, ours, inputs)
    want = hub_embed(tf, hub, theirs, inputs)
    assert got.dtype == np.float32 and got.shape == (len(inputs), DIM)
    np.testing.assert_array_equal(got, want)
    assert (pathlib.Path(ours) / "assets" / "tokens.txt").read_bytes() == \
        (theirs / "assets" / "tokens.txt").read_bytes()


def test_ours_matches_numpy(tf, hub, run_tf1hub, work, embeddings_file):
    """Sanity of the oracle comparison: sqrtn of the file's rows, OOV zero."""
    values = write_embeddings(work / "check.txt")
    ours = export_ours(run_tf1hub, work / "check.txt", work / "ours_check")
    got = hub_embed(tf, hub, ours, ["cat dog", "", "café, unknown!", "its"])
    row = {t: values[i] for i, t in enumerate(VOCAB)}
    want = [(row["cat"] + row["dog"]) / np.sqrt(2), np.zeros(DIM), row["café"] / np.sqrt(2),
            row["its"]]
    np.testing.assert_allclose(got, np.array(want), rtol=1e-6, atol=1e-6)


def test_text_embedding_column_accepts_ours(tf, hub, run_tf1hub, work, embeddings_file):
    v1 = tf.compat.v1
    ours = work / "ours_sentences"
    if not ours.exists():
        export_ours(run_tf1hub, embeddings_file, ours)
    column = hub.text_embedding_column("text", str(ours))
    with tf.Graph().as_default():
        features = {"text": tf.constant(CORPUS)}
        dense = v1.feature_column.input_layer(features, [column])
        with v1.Session() as sess:
            sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
            got = sess.run(dense)
    assert got.shape == (len(CORPUS), DIM)
    np.testing.assert_array_equal(got, hub_embed(tf, hub, ours, CORPUS))


def run_ours(run_tf1hub, module, input_key, input_file, out):
    r = run_tf1hub("run", module, "--input", f"{input_key}={input_file}", "--out", out)
    assert r.returncode == 0, r.stderr
    return np.load(pathlib.Path(out) / "default.npy")


@pytest.mark.parametrize("preprocess", [True, False], ids=["sentences", "tokens"])
def test_hub_to_ours_identical(tf, hub, run_tf1hub, work, embeddings_file, preprocess):
    name = "h2o_" + ("sentences" if preprocess else "tokens")
    module = work / name
    hub_export(tf, hub, embeddings_file, module, 2, preprocess)
    inputs = CORPUS if preprocess else TOKENS
    key = "sentences" if preprocess else "tokens"
    want = hub_embed(tf, hub, module, inputs)
    # NumPy 'U' (UTF-32) and 'S' (UTF-8 bytes) arrays.
    np.save(work / (name + "_u.npy"), np.array(inputs, dtype=str))
    np.save(work / (name + "_s.npy"), np.array([s.encode("utf-8") for s in inputs], dtype=bytes))
    for suffix in ("_u", "_s"):
        got = run_ours(run_tf1hub, module, key, work / (name + suffix + ".npy"),
                       work / (name + suffix + "_out"))
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, want)


def test_run_reads_text_file_inputs(tf, hub, run_tf1hub, work, embeddings_file):
    """One sentence per line (UTF-8); empty lines are empty strings."""
    module = work / "h2o_text_file"
    hub_export(tf, hub, embeddings_file, module, 1, True)
    inputs = [s for s in CORPUS if "\t" not in s]
    text = work / "sentences.txt"
    text.write_bytes(("\n".join(inputs) + "\n").encode("utf-8"))
    got = run_ours(run_tf1hub, module, "sentences", text, work / "text_file_out")
    np.testing.assert_array_equal(got, hub_embed(tf, hub, module, inputs))


def test_cli_errors(run_tf1hub, work):
    bad = work / "bad.txt"
    bad.write_text("cat 1 2 3\ndog 1 2\n")
    r = run_tf1hub("export-text-embedding", "--embeddings", bad, "--out", work / "bad_out")
    assert r.returncode == 1
    assert (f"tf1hub export-text-embedding: INVALID_ARGUMENT: {bad}:2: Inconsistent embedding "
            "dimension detected, 3 != 2 for token dog") in r.stderr
    r = run_tf1hub("export-text-embedding", "--embeddings", work / "missing.txt",
                   "--out", work / "x")
    assert r.returncode == 1 and "NOT_FOUND" in r.stderr and "missing.txt" in r.stderr
    good = work / "good.txt"
    good.write_text("cat 1 2\n")
    r = run_tf1hub("export-text-embedding", "--embeddings", good, "--out", work / "y",
                   "--num-oov-buckets", "0")
    assert r.returncode == 1
    assert "`num_oov_buckets` must be > 0; use StaticHashTable." in r.stderr
