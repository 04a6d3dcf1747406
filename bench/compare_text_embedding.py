#!/usr/bin/env python3
"""Text embedding modules: tf1hub next to tensorflow_hub in TensorFlow.

In one run on this machine, every measurement in its own process (peak
memory is that process's VmHWM):

  [1] export: a generated ROWS x DIM embeddings file (default 1,000,000 x
      300, about 3 GB of text, in /var/tmp or $TF1HUB_BENCH_DIR; deleted at
      the end) exported as a module: tf1hub (text_embedding_bench export =
      ExportTextEmbeddingModule) vs hub's examples/text_embeddings/export.py
      re-created below (Python parse into lists, np.array, hub.Module,
      assign through a placeholder, Module.export).
  [2] load to first result: load the module, apply it, initialize variables
      and tables, embed one sentence. TF: hub.Module in a TF1 graph (the
      process's `import tensorflow, tensorflow_hub` is timed apart, not
      included); tf1hub: text_embedding_bench first-result. Both load the
      module tf1hub exported (and TF's own, for the TF side, as a check).
  [3] throughput: 100,000 generated sentences (vocabulary words, 5% OOV,
      punctuation, 2% empty) embedded in batches of 1000 after one warm-up
      pass; sentences/second, best of --reps. The outputs of both sides are
      compared on the first 2000 sentences first. [3] loads the module as
      its export left it in the page cache; [3b] evicts the module's files
      from the page cache before each side loads it (read from disk, as
      after deployment). TensorFlow copies the variable into its own
      memory either way; tf1hub maps the file, which then comes in as 2 MiB
      pages where the kernel supports it (docs/decisions.md #22).

Ratios are tf1hub / TF for times (below 1: tf1hub faster) and tf1hub / TF
for throughput (above 1: tf1hub faster). --small uses 20,000 x 50 and 20,000
sentences for a quick look.

  .venv-oracle/bin/python bench/compare_text_embedding.py \\
      --tf1hub-bench build/bench/text_embedding_bench [--small] [--reps 3] \\
      [--skip-tf-export] [--out text_embedding.json]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

# ---- the TF side, run as `python compare_text_embedding.py --tf-worker MODE ...` ----

TF_WORKER = r'''
import json, os, sys, time, tempfile, shutil
t0 = time.perf_counter()
import numpy as np
import tensorflow as tf
import tensorflow_hub as hub
tf.get_logger().setLevel("ERROR")
v1 = tf.compat.v1
import_s = time.perf_counter() - t0

def hwm_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

def export(embeddings_file, out):
    # hub's examples/text_embeddings/export.py, with its defaults
    # (preprocess_text=True, num_oov_buckets=1).
    vocabulary, rows, dim = [], [], None
    with open(embeddings_file) as f:
        for line in f:
            fields = line.split()
            token, values = fields[0], [float(x) for x in fields[1:]]
            if dim is None:
                dim = len(values)
            vocabulary.append(token)
            rows.append(values)
    matrix = np.array(rows)
    del rows
    oov = 1
    matrix.resize([len(vocabulary) + oov, dim], refcheck=False)
    tmpdir = tempfile.mkdtemp()
    vocab_file = os.path.join(tmpdir, "tokens.txt")
    with open(vocab_file, "w") as f:
        f.write("\n".join(vocabulary))
    size = len(vocabulary)

    def module_fn():
        sentences = v1.placeholder(shape=[None], dtype=tf.string, name="sentences")
        tokens = v1.string_split(v1.regex_replace(input=sentences, pattern=r"\pP", rewrite=""), " ")
        var = v1.get_variable(initializer=tf.zeros([size + oov, dim]), name="embeddings",
                              dtype=tf.float32)
        init = tf.lookup.TextFileInitializer(vocab_file, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
                                             tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER)
        table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=oov)
        ids = tf.SparseTensor(indices=tokens.indices, values=table.lookup(tokens.values),
                              dense_shape=tokens.dense_shape)
        ids, _ = v1.sparse_fill_empty_rows(ids, table.lookup(tf.constant("")))
        ids = v1.sparse_reset_shape(ids)
        out = v1.nn.embedding_lookup_sparse(params=var, sp_ids=ids, sp_weights=None,
                                            combiner="sqrtn")
        hub.add_signature("default", {"sentences": sentences}, {"default": out})

    spec = hub.create_module_spec(module_fn)
    with tf.Graph().as_default():
        m = hub.Module(spec)
        p = v1.placeholder(tf.float32)
        load = v1.assign(m.variable_map["embeddings"], p)
        with v1.Session() as sess:
            sess.run([load], feed_dict={p: matrix})
            m.export(out, sess)
    shutil.rmtree(tmpdir)

def load(module):
    graph = tf.Graph()
    with graph.as_default():
        m = hub.Module(module)
        x = v1.placeholder(tf.string, [None])
        y = m(x)
        sess = v1.Session(graph=graph)
        sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
    return sess, x, y

mode = sys.argv[1]
if mode == "export":
    t = time.perf_counter()
    export(sys.argv[2], sys.argv[3])
    print(json.dumps({"seconds": time.perf_counter() - t, "import_seconds": import_s,
                      "vm_hwm_kb": hwm_kb()}))
elif mode == "first-result":
    t = time.perf_counter()
    sess, x, y = load(sys.argv[2])
    sess.run(y, {x: ["the w1 w2 w3, w4!"]})
    print(json.dumps({"seconds": time.perf_counter() - t, "import_seconds": import_s,
                      "vm_hwm_kb": hwm_kb()}))
elif mode == "throughput":
    with open(sys.argv[3], encoding="utf-8") as f:
        sentences = f.read().split("\n")[:-1]
    batch, reps = int(sys.argv[4]), int(sys.argv[5])
    sess, x, y = load(sys.argv[2])
    batches = [np.array(sentences[i:i + batch], dtype=object) for i in range(0, len(sentences), batch)]
    run = sess.make_callable(y, feed_list=[x])
    best = 1e30
    for rep in range(reps + 1):
        t = time.perf_counter()
        for b in batches:
            run(b)
        if rep:
            best = min(best, time.perf_counter() - t)
    print(json.dumps({"sentences": len(sentences), "seconds": best,
                      "sentences_per_second": len(sentences) / best, "vm_hwm_kb": hwm_kb()}))
elif mode == "embed":
    with open(sys.argv[3], encoding="utf-8") as f:
        sentences = f.read().split("\n")[:-1]
    sess, x, y = load(sys.argv[2])
    np.save(sys.argv[4], sess.run(y, {x: sentences}))
    print(json.dumps({}))
'''


def run_json(cmd, timeout=7200):
    t = time.perf_counter()
    cmd = [str(a) for a in cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


def tf_cmd(*args):
    return [sys.executable, "-c", TF_WORKER, *map(str, args)]


def evict_from_page_cache(directory):
    """Drops every file under `directory` from the page cache (written back
    first; POSIX_FADV_DONTNEED, no root needed)."""
    for root, _, files in os.walk(directory):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def mem_available_kb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    return 0


def main() -> int:
    p = c.bench_parser(__doc__, "text_embedding_bench", "TF1HUB_TEXT_BENCH_BIN")
    p.add_argument("--small", action="store_true", help="20,000 x 50, 20,000 sentences")
    p.add_argument("--rows", type=int)
    p.add_argument("--dim", type=int)
    p.add_argument("--sentences", type=int)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--skip-tf-export", action="store_true",
                   help="do not run hub's exporter (it needs ~40 bytes of RAM per value)")
    p.add_argument("--out", help="also write the results as JSON here")
    args = p.parse_args()
    rows = args.rows or (20_000 if args.small else 1_000_000)
    dim = args.dim or (50 if args.small else 300)
    count = args.sentences or (20_000 if args.small else 100_000)
    bench = os.path.abspath(args.tf1hub_bench)

    base = c.scratch_base()
    work = c.make_scratch_dir(base, "text_embedding")
    results = {"rows": rows, "dim": dim, "sentences": count, "batch": args.batch,
               "machine": c.machine_info(work)}
    try:
        emb = os.path.join(work, "embeddings.txt")
        sent = os.path.join(work, "sentences.txt")
        gen = run_json([bench, "gen-embeddings", emb, rows, dim])
        print(f"generated {rows} x {dim} embeddings: {gen['bytes'] / 1e9:.2f} GB in "
              f"{gen['seconds']:.1f} s ({work})", flush=True)
        run_json([bench, "gen-sentences", sent, count, rows])

        # [1] export
        ours_mod = os.path.join(work, "ours")
        ours_export = run_json([bench, "export", emb, ours_mod])
        results["export_ours"] = ours_export
        print(f"[1] export  tf1hub: {ours_export['seconds']:8.2f} s  "
              f"peak {ours_export['vm_hwm_kb'] / 1e6:6.2f} GB", flush=True)
        tf_mod = os.path.join(work, "tf")
        need_kb = rows * dim * 40 // 1024 + 4_000_000
        if args.skip_tf_export or mem_available_kb() < need_kb:
            why = "skipped" if args.skip_tf_export else \
                f"skipped: needs ~{need_kb / 1e6:.0f} GB, {mem_available_kb() / 1e6:.0f} GB available"
            print(f"[1] export  TF:     {why}", flush=True)
            results["export_tf"] = {"skipped": why}
        else:
            tf_export = run_json(tf_cmd("export", emb, tf_mod))
            results["export_tf"] = tf_export
            print(f"[1] export  TF:     {tf_export['seconds']:8.2f} s  "
                  f"peak {tf_export['vm_hwm_kb'] / 1e6:6.2f} GB  (+{tf_export['import_seconds']:.1f} s "
                  f"imports)   ratio {ours_export['seconds'] / tf_export['seconds']:.3f}", flush=True)
        os.remove(emb)  # the 3 GB text is not needed any more

        # Outputs agree (first 2000 sentences).
        head = os.path.join(work, "head.txt")
        with open(sent, encoding="utf-8") as f:
            lines = f.read().split("\n")[:2000]
        with open(head, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        run_json(tf_cmd("embed", ours_mod, head, os.path.join(work, "tf_head.npy")))
        run_json([bench, "embed", ours_mod, head, os.path.join(work, "ours_head.npy")])
        import numpy as np
        tf_head = np.load(os.path.join(work, "tf_head.npy"))
        ours_head = np.load(os.path.join(work, "ours_head.npy"))
        max_diff = float(np.max(np.abs(tf_head - ours_head)))
        identical = tf_head.shape == ours_head.shape and tf_head.tobytes() == ours_head.tobytes()
        results["max_abs_diff"] = max_diff
        results["bit_identical"] = identical
        print(f"outputs on {len(lines)} sentences: max |tf1hub - TF| = {max_diff:.3g}"
              f" (bit-identical: {'yes' if identical else 'no'})", flush=True)
        if max_diff > 1e-5:
            raise RuntimeError("tf1hub and TF outputs differ")

        # [2] load to first result (alternating sides).
        ours_first, tf_first = [], []
        for _ in range(args.reps):
            ours_first.append(run_json([bench, "first-result", ours_mod]))
            tf_first.append(run_json(tf_cmd("first-result", ours_mod)))
        best_ours = min(ours_first, key=lambda r: r["seconds"])
        best_tf = min(tf_first, key=lambda r: r["seconds"])
        results["first_result_ours"], results["first_result_tf"] = ours_first, tf_first
        phases = best_ours.get("phases", {})
        if phases:
            print("    tf1hub load phases (s): " +
                  ", ".join(f"{k} {v:.4f}" for k, v in phases.items()), flush=True)
        print(f"[2] load to first result  tf1hub: {best_ours['seconds']:7.3f} s peak "
              f"{best_ours['vm_hwm_kb'] / 1e6:5.2f} GB | TF: {best_tf['seconds']:7.3f} s peak "
              f"{best_tf['vm_hwm_kb'] / 1e6:5.2f} GB (+{best_tf['import_seconds']:.1f} s imports)"
              f"   ratio {best_ours['seconds'] / best_tf['seconds']:.3f}", flush=True)

        # [3] throughput, the module as its export left it in the page cache.
        ours_tp = run_json([bench, "throughput", ours_mod, sent, args.batch, args.reps])
        tf_tp = run_json(tf_cmd("throughput", ours_mod, sent, args.batch, args.reps))
        results["throughput_ours"], results["throughput_tf"] = ours_tp, tf_tp
        print(f"[3] throughput ({count} sentences, batch {args.batch}), module cached from its "
              f"export  tf1hub: {ours_tp['sentences_per_second']:10.0f}/s | TF: "
              f"{tf_tp['sentences_per_second']:10.0f}/s"
              f"   ratio {ours_tp['sentences_per_second'] / tf_tp['sentences_per_second']:.2f}x",
              flush=True)
        # [3b] the same after evicting the module's files from the page cache
        # before each side loads it (as after deployment: read from disk).
        evict_from_page_cache(ours_mod)
        ours_cold = run_json([bench, "throughput", ours_mod, sent, args.batch, args.reps])
        evict_from_page_cache(ours_mod)
        tf_cold = run_json(tf_cmd("throughput", ours_mod, sent, args.batch, args.reps))
        results["throughput_ours_read_from_disk"] = ours_cold
        results["throughput_tf_read_from_disk"] = tf_cold
        print(f"[3b] throughput, module read from disk  tf1hub: "
              f"{ours_cold['sentences_per_second']:10.0f}/s | TF: "
              f"{tf_cold['sentences_per_second']:10.0f}/s   ratio "
              f"{ours_cold['sentences_per_second'] / tf_cold['sentences_per_second']:.2f}x",
              flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
