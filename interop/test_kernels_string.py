"""String and lookup-table ops built by TensorFlow, run by `tf1hub graph run`.

Covers StringSplit, StringSplitV2, StaticRegexReplace, RegexReplace,
StringToHashBucketFast, StringJoin, StringLength, HashTableV2,
InitializeTableFromTextFileV2, LookupTableImportV2, LookupTableFindV2 and
LookupTableSizeV2 on randomized text (unicode, punctuation, empty strings,
long strings, many kinds of whitespace and delimiters). Strings travel as
NumPy 'S' arrays (so the generated text never contains NUL bytes, which 'S'
arrays cannot keep at the end of a string). Every output must equal
TensorFlow's exactly.

Tables are initialized in the same run as the lookups: the lookups carry a
control dependency on the initializer (which is also passed as --target),
so both runtimes run it first.
"""
import pathlib

import numpy as np
import pytest

from _graph_run import assert_same, compare_graph, tf_session_run

WORDS = ["the", "cat", "sat", "on", "mat", "héllo", "naïve", "café", "日本語", "中文",
         "Привет", "мир", "😀", "🇫🇷", "ελληνικά", "a", "I", "x" * 40, "don't", "e-mail",
         "U.S.A.", "3.14", "42", "#tag", "@user", "C++"]
PUNCT = [".", ",", "!", "?", ";", ":", "'", '"', "-", "—", "…", "¡", "¿", "«", "»", "(", ")",
         "[", "]", "/", "\\", "*", "&", "%", "<>", "、", "。"]
SPACES = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u00a0", "\u3000", "\u2009",
          ",", ", ", "<>", "ab"]


def random_text(rng, n, max_words=12):
    """`n` random UTF-8 strings (bytes): words, punctuation, odd whitespace."""
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.08:
            out.append(b"")
            continue
        if kind < 0.12:
            out.append(("".join(rng.choice(SPACES, size=rng.integers(1, 4)))).encode())
            continue
        k = rng.integers(1, max_words + 1) if kind > 0.15 else rng.integers(60, 200)
        parts = []
        if rng.random() < 0.3:
            parts.append(str(rng.choice(SPACES)))
        for i in range(k):
            w = str(rng.choice(WORDS))
            if rng.random() < 0.3:
                w += str(rng.choice(PUNCT))
            if rng.random() < 0.1:
                w = str(rng.choice(PUNCT)) + w
            parts.append(w)
            if i + 1 < k:
                parts.append(str(rng.choice(SPACES)))
        if rng.random() < 0.3:
            parts.append(str(rng.choice(SPACES)))
        out.append("".join(parts).encode("utf-8"))
    return out


def as_s_array(strings):
    return np.array(strings, dtype=object).astype(bytes)


def _fetch_split(fetches, key, op):
    fetches[f"{key}_indices"] = op[0].name
    fetches[f"{key}_values"] = op[1].name
    fetches[f"{key}_shape"] = op[2].name


def test_split_join_length_random(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(5)
    raw = tf.raw_ops
    g = tf.Graph()
    feeds, fetches = {}, {}
    with g.as_default():
        for b in range(4):
            text = random_text(rng, [0, 1, 7, 40][b])
            name = f"text{b}"
            x = tf.compat.v1.placeholder(tf.string, [None], name=name)
            feeds[name] = as_s_array(text) if text else np.zeros([0], "S1")
            for d, delim in enumerate([" ", "", ",", ", ", "\t\n", "é"]):
                for skip in (True, False):
                    op = raw.StringSplit(input=x, delimiter=delim, skip_empty=skip,
                                         name=f"split{b}_{d}_{int(skip)}")
                    _fetch_split(fetches, f"split{b}_{d}_{int(skip)}", op)
            for s, sep in enumerate(["", " ", ",", "<>", "ab", "\u3000"]):
                for maxsplit in (-1, 0, 1, 2, 5):
                    key = f"splitv2_{b}_{s}_{maxsplit + 1}"
                    op = raw.StringSplitV2(input=x, sep=sep, maxsplit=maxsplit, name=key)
                    _fetch_split(fetches, key, op)
            j = raw.StringJoin(inputs=[x, tf.constant("|"), x], separator="·", name=f"join{b}")
            fetches[f"join{b}"] = j.name
            for unit in ("BYTE", "UTF8_CHAR"):
                ln = raw.StringLength(input=x, unit=unit, name=f"len{b}_{unit}")
                fetches[f"len{b}_{unit}"] = ln.name
        # Higher-rank inputs for the element-wise ops.
        m = tf.compat.v1.placeholder(tf.string, [None, None], name="matrix")
        feeds["matrix"] = as_s_array(random_text(rng, 12)).reshape(3, 4)
        fetches["join_matrix"] = raw.StringJoin(inputs=[m, m, tf.constant("!")],
                                                name="join_matrix").name
        fetches["len_matrix"] = raw.StringLength(input=m, unit="UTF8_CHAR",
                                                 name="len_matrix").name
        fetches["join_scalars"] = raw.StringJoin(inputs=[tf.constant("a"), tf.constant("β")],
                                                 separator="--", name="join_scalars").name
    compare_graph(run_tf1hub, tmp_path, g, feeds=feeds, fetches=fetches)


REGEXES = [
    (r"\pP", ""), (r"[[:punct:]]", ""), (r"\s+", " "), (r"(\w+)", r"<\1>"), ("", "-"),
    ("l*", "-"), (r"^\s+|\s+$", ""), (r"[^\p{L}\p{N}\s]", ""), (r"(\p{Han})", r"[\1]"),
    (r"(a)(b)?", r"\2\1\0"), (".", "_"), (r"\d+", r"\\"), ("(x)", r"\2"),
]


def test_regex_replace_random(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(7)
    raw = tf.raw_ops
    g = tf.Graph()
    feeds, fetches = {}, {}
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.string, [None], name="text")
        feeds["text"] = as_s_array(random_text(rng, 60))
        for i, (pattern, rewrite) in enumerate(REGEXES):
            for glob in (True, False):
                key = f"static{i}_{int(glob)}"
                fetches[key] = raw.StaticRegexReplace(input=x, pattern=pattern, rewrite=rewrite,
                                                      replace_global=glob, name=key).name
        p = tf.compat.v1.placeholder(tf.string, [], name="pattern")
        r = tf.compat.v1.placeholder(tf.string, [], name="rewrite")
        feeds["pattern"] = np.array(r"(\p{L}+)\s*(\pP)".encode(), dtype="S")
        feeds["rewrite"] = np.array(r"\2\1".encode(), dtype="S")
        fetches["dynamic"] = raw.RegexReplace(input=x, pattern=p, rewrite=r, name="dynamic").name
        fetches["dynamic_first"] = raw.RegexReplace(input=x, pattern=p, rewrite=r,
                                                    replace_global=False,
                                                    name="dynamic_first").name
        # hub's text-embedding preprocessing: strip punctuation, split on spaces.
        stripped = raw.StaticRegexReplace(input=x, pattern=r"\pP", rewrite="", name="strip")
        _fetch_split(fetches, "hub_tokens", raw.StringSplitV2(input=stripped, sep=" ",
                                                               name="hub_tokens"))
    compare_graph(run_tf1hub, tmp_path, g, feeds=feeds, fetches=fetches)


def test_invalid_regex_is_an_error(tf, run_tf1hub, tmp_path):
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.string, [None], name="text")
        p = tf.compat.v1.placeholder(tf.string, [], name="pattern")
        tf.raw_ops.RegexReplace(input=x, pattern=p, rewrite="x", name="bad")
    feeds = {"text": np.array([b"a"]), "pattern": np.array(b"(", dtype="S")}
    with pytest.raises(Exception, match=r"Invalid pattern: \(, error: missing \): \("):
        tf_session_run(g, feeds, {"out": "bad:0"})
    from _graph_run import tf1hub_graph_run
    result, _ = tf1hub_graph_run(run_tf1hub, tmp_path, g.as_graph_def(), feeds, {"out": "bad:0"})
    assert result.returncode != 0
    assert "Invalid pattern: (, error: missing ): (" in result.stderr


def random_bytes_corpus(rng, n):
    """Short strings: ASCII, UTF-8 text and arbitrary non-NUL bytes."""
    out = []
    for i in range(n):
        kind = i % 5
        length = int(rng.integers(0, 40))
        if kind == 0:
            out.append(bytes(rng.integers(32, 127, size=length).astype(np.uint8)))
        elif kind == 1:
            chars = rng.integers(0xA0, 0x2FFF, size=length // 2 + 1)
            out.append("".join(chr(c) for c in chars if not 0xD800 <= c < 0xE000).encode())
        elif kind == 2:
            out.append(bytes(rng.integers(1, 256, size=length).astype(np.uint8)))
        elif kind == 3:
            out.append(b"" if i % 15 == 3 else str(rng.choice(WORDS)).encode())
        else:
            out.append(" ".join(str(w) for w in rng.choice(WORDS, size=3)).encode())
    return out


def test_string_to_hash_bucket_fast_parity(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(3)
    short = random_bytes_corpus(rng, 120_000)
    # Long strings exercise farmhash's >64-byte paths (kept apart: 'S' arrays
    # are fixed-width).
    long_ = [bytes(rng.integers(1, 256, size=int(rng.integers(33, 3000))).astype(np.uint8))
             for _ in range(300)]
    assert b"" in short
    g = tf.Graph()
    feeds = {"short": as_s_array(short), "long": as_s_array(long_)}
    fetches = {}
    with g.as_default():
        for name in ("short", "long"):
            x = tf.compat.v1.placeholder(tf.string, [None], name=name)
            for nb in (1, 2, 1000, 2**31 - 1, 2**62, 2**63 - 1):
                key = f"{name}_{nb}"
                fetches[key] = tf.raw_ops.StringToHashBucketFast(input=x, num_buckets=nb,
                                                                 name=key).name
    compare_graph(run_tf1hub, tmp_path, g, feeds=feeds, fetches=fetches)


def _graph_run_with_targets(run_tf1hub, workdir, graph, feeds, fetches, targets):
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    graph_path = workdir / "graph.pb"
    graph_path.write_bytes(graph.as_graph_def().SerializeToString())
    args = ["graph", "run", str(graph_path)]
    for i, (name, value) in enumerate(feeds.items()):
        path = workdir / f"feed{i}.npy"
        np.save(path, value, allow_pickle=False)
        args += ["--feed", f"{name}={path}"]
    for key, tensor in fetches.items():
        args += ["--fetch", f"{key}={tensor}"]
    for t in targets:
        args += ["--target", t]
    args += ["--out", str(workdir / "out")]
    result = run_tf1hub(*args)
    if result.returncode != 0:
        return result, None
    return result, {k: np.load(workdir / "out" / f"{k}.npy") for k in fetches}


def _write(path, text):
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(path)


def test_lookup_tables_from_files_and_tensors(tf, run_tf1hub, tmp_path):
    rng = np.random.default_rng(9)
    raw = tf.raw_ops
    vocab_words = sorted(set(WORDS + [p for p in PUNCT] + ["UNK", "  spaced  ", "tab\tinside"]))
    vocab = _write(tmp_path / "vocab.txt", "\n".join(vocab_words) + "\n")
    kv = _write(tmp_path / "kv.txt",
                "".join(f"{w}\t{i * 3 - 7}\t{i * 0.25}\n" for i, w in enumerate(WORDS)))
    crlf = _write(tmp_path / "crlf.txt", "alpha\r\nbeta\r\ngamma")
    queries = [w.encode() for w in rng.choice(vocab_words + ["zzz", "", "héllo!"], size=50)]
    g = tf.Graph()
    feeds = {"keys": as_s_array(queries), "ids": rng.integers(-3, 40, size=[5, 6])}
    fetches, inits = {}, []
    with g.as_default():
        keys = tf.compat.v1.placeholder(tf.string, [None], name="keys")
        ids = tf.compat.v1.placeholder(tf.int64, [None, None], name="ids")

        def table(name, kd, vd, filename, ki, vi, **kw):
            h = raw.HashTableV2(key_dtype=kd, value_dtype=vd, shared_name=name, name=name)
            init = raw.InitializeTableFromTextFileV2(
                table_handle=h, filename=filename, key_index=ki, value_index=vi,
                name=f"{name}_init", **kw)
            inits.append(init)
            return h, init

        specs = [
            ("words", tf.string, tf.int64, vocab, -2, -1, {}, keys, -1),
            ("words_offset", tf.string, tf.int64, vocab, -2, -1, {"offset": 100}, keys, -5),
            ("words_trunc", tf.string, tf.int64, vocab, -2, -1, {"vocab_size": 10}, keys, -1),
            ("ids_to_words", tf.int64, tf.string, vocab, -1, -2, {}, ids, "<unk>"),
            ("kv_int", tf.string, tf.int64, kv, 0, 1, {}, keys, 0),
            ("kv_int32", tf.string, tf.int32, kv, 0, 1, {"offset": 2}, keys, 0),
            ("kv_float", tf.string, tf.float32, kv, 0, 2, {}, keys, 0.5),
            ("kv_double", tf.string, tf.float64, kv, 0, 2, {}, keys, -0.5),
            ("kv_string", tf.string, tf.string, kv, 0, 2, {}, keys, "none"),
            ("kv_whole", tf.string, tf.string, kv, 0, -2, {}, keys, ""),
            ("crlf", tf.string, tf.int64, crlf, -2, -1, {}, keys, -1),
        ]
        for name, kd, vd, filename, ki, vi, kw, query, default in specs:
            h, init = table(name, kd, vd, filename, ki, vi, **kw)
            with tf.control_dependencies([init]):
                found = raw.LookupTableFindV2(table_handle=h, keys=query,
                                              default_value=tf.constant(default, vd),
                                              name=f"{name}_find")
                size = raw.LookupTableSizeV2(table_handle=h, name=f"{name}_size")
            fetches[f"{name}_find"] = found.name
            fetches[f"{name}_size"] = size.name
        # From tensors, looked up with a matrix of keys.
        h = raw.HashTableV2(key_dtype=tf.int64, value_dtype=tf.float64, shared_name="imported")
        imp = raw.LookupTableImportV2(
            table_handle=h, keys=tf.constant(np.arange(20), tf.int64),
            values=tf.constant(np.linspace(-1, 1, 20), tf.float64), name="import")
        inits.append(imp)
        with tf.control_dependencies([imp]):
            fetches["imported_find"] = raw.LookupTableFindV2(
                table_handle=h, keys=ids, default_value=tf.constant(9.5, tf.float64)).name
            fetches["imported_size"] = raw.LookupTableSizeV2(table_handle=h).name
        # hub's text-embedding lookup: split sentences, look tokens up.
        tokens = raw.StringSplitV2(input=keys, sep=" ", name="tokens")
        h = raw.HashTableV2(key_dtype=tf.string, value_dtype=tf.int64, shared_name="hub_vocab")
        init = raw.InitializeTableFromTextFileV2(table_handle=h, filename=vocab, key_index=-2,
                                                 value_index=-1, name="hub_vocab_init")
        inits.append(init)
        with tf.control_dependencies([init]):
            fetches["token_ids"] = raw.LookupTableFindV2(
                table_handle=h, keys=tokens.values, default_value=tf.constant(-1, tf.int64)).name
        init_all = tf.group(*inits, name="init_all")
    expected = tf_session_run(g, feeds, fetches)
    result, actual = _graph_run_with_targets(run_tf1hub, tmp_path / "run", g, feeds, fetches,
                                             [init_all.name])
    assert result.returncode == 0, result.stderr
    for key in fetches:
        assert_same(key, actual[key], expected[key])


@pytest.mark.parametrize("case", ["missing", "duplicate", "columns", "empty_line", "vocab_size"])
def test_table_initializer_errors(tf, run_tf1hub, tmp_path, case):
    raw = tf.raw_ops
    files = {
        "missing": str(tmp_path / "nonexistent.txt"),
        "duplicate": _write(tmp_path / "dup.txt", "a\t1\nb\t2\na\t3\n"),
        "columns": _write(tmp_path / "cols.txt", "a\t1\nb\n"),
        "empty_line": _write(tmp_path / "empty.txt", "a\t1\n\nb\t2\n"),
        "vocab_size": _write(tmp_path / "short.txt", "a\t1\nb\t2\n"),
    }
    g = tf.Graph()
    with g.as_default():
        h = raw.HashTableV2(key_dtype=tf.string, value_dtype=tf.int64, shared_name="t")
        raw.InitializeTableFromTextFileV2(
            table_handle=h, filename=files[case], key_index=0, value_index=1,
            vocab_size=5 if case == "vocab_size" else -1, name="init")
    with pytest.raises(tf.errors.OpError) as tf_error:
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run("init")
    tf_message = tf_error.value.message.split("\n\t")[0].split("\n")[-1]
    workdir = tmp_path / "run"
    workdir.mkdir()
    graph_path = workdir / "graph.pb"
    graph_path.write_bytes(g.as_graph_def().SerializeToString())
    result = run_tf1hub("graph", "run", str(graph_path), "--target", "init",
                        "--out", str(workdir / "out"))
    assert result.returncode != 0
    assert tf_message in result.stderr, (tf_message, result.stderr)
