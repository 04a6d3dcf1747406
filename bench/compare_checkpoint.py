#!/usr/bin/env python3
"""Checkpoint write/read: tf1hub next to TensorFlow, same machine, same run.

Workload (the issue's): a 1 GiB V2 checkpoint of 64 float32 tensors of shape
[4096, 1024]. In one run and one directory this measures

  * the raw disk: O_DIRECT sequential write (+fsync) and read, and a 1 GiB
    memcpy (the ceiling for reads served from the page cache);
  * TensorFlow 2.15 (graph mode, tf.compat.v1): Saver.save, Saver.restore,
    tf.train.load_checkpoint(...).get_tensor for every tensor, and
    Saver.restore of the checkpoint tf1hub wrote (an interop check);
  * tf1hub: bench/checkpoint_bench (CheckpointWriter; CheckpointReader with
    memory-mapped views, every tensor's CRC-32C verified over all its bytes
    -- the headline read --, also with every float summed, with the CRCs
    verified on one thread, and on one reading thread per core), also
    reading the checkpoint TensorFlow wrote;

and prints median wall times, GB/s (1e9 bytes/s) and ratios TF time / ours
(> 1 means tf1hub is faster). Nothing is judged: no thresholds, exit 0.

Run with the oracle's Python:
  .venv-oracle/bin/python bench/compare_checkpoint.py \
      --tf1hub-bench build/bench/checkpoint_bench [--size-mb 1024] [--reps 5] \
      [--cold] [--out results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

COLS = 1024


def parse_args() -> argparse.Namespace:
    p = c.bench_parser(__doc__, "checkpoint_bench", "TF1HUB_BENCH_BIN")
    p.add_argument("--dir", default=None,
                   help="scratch directory base (env TF1HUB_BENCH_DIR; default: a disk-backed temp dir)")
    p.add_argument("--size-mb", type=int, default=1024, help="checkpoint size in MiB")
    p.add_argument("--tensors", type=int, default=64, help="number of float32 tensors [rows, 1024]")
    p.add_argument("--reps", type=int, default=5, help="repetitions per figure (median reported)")
    p.add_argument("--cold", action="store_true",
                   help="drop the page cache before every timed read (root only)")
    p.add_argument("--skip-disk", action="store_true", help="skip the raw disk figures")
    p.add_argument("--out", default=None, help="also write all figures to this JSON file")
    return p.parse_args()


def resident_fraction(paths: list[str]) -> float | None:
    """Fraction of the files' bytes in the page cache (util-linux fincore)."""
    if not paths or shutil.which("fincore") is None:
        return None
    try:
        out = subprocess.run(["fincore", "--bytes", "--noheadings", "--raw", "-o", "RES,SIZE",
                              *paths], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    res = size = 0
    for line in out.split("\n"):
        if line.strip():
            r, s = line.split()
            res, size = res + int(r), size + int(s)
    return min(1.0, res / size) if size else None


def run_ours(args, work: str, extra_env: dict[str, str], bench_filter: str, tag: str) -> dict:
    env = {
        "TF1HUB_BENCH_DIR": work,
        "TF1HUB_BENCH_MB": str(args.size_mb),
        "TF1HUB_BENCH_TENSORS": str(args.tensors),
        "TF1HUB_BENCH_COLD": "1" if args.cold else "0",
    }
    env.update(extra_env)
    return c.run_gbench(args.tf1hub_bench, bench_filter, args.reps, env,
                        os.path.join(work, f"ours_{tag}.json"))


def run_tf(args, work: str, rows: int, ours_prefix: str | None) -> dict:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")

    graph = tf.Graph()
    with graph.as_default():
        variables = [
            tf.compat.v1.get_variable(
                f"var_{i:03d}", shape=[rows, COLS], dtype=tf.float32,
                initializer=tf.compat.v1.random_uniform_initializer(-1.0, 1.0))
            for i in range(args.tensors)
        ]
        saver = tf.compat.v1.train.Saver(var_list=variables)
        init = tf.compat.v1.global_variables_initializer()
    graph.finalize()

    prefix = os.path.join(work, "tf", "model.ckpt")
    os.makedirs(os.path.dirname(prefix))
    before_read = c.drop_caches if args.cold else None
    out: dict = {"version": tf.__version__, "prefix": prefix}

    with tf.compat.v1.Session(graph=graph) as sess:
        sess.run(init)

        def save():
            saver.save(sess, prefix, write_meta_graph=False, write_state=False)

        def clean():
            c.remove_files_with_prefix(prefix)
            os.sync()

        def save_fsync():
            save()
            c.fsync_files(c.files_with_prefix(prefix))

        def load_all(p):
            reader = tf.train.load_checkpoint(p)
            for name in reader.get_variable_to_shape_map():
                reader.get_tensor(name)

        # Warm-up (kernel and op setup), untimed.
        clean()
        save()
        saver.restore(sess, prefix)

        def timed(key, fn, before):
            walls, cpus = c.time_reps(fn, args.reps, before=before)
            out[key] = {"s": c.median(walls), "all_s": walls,
                        "cpu_s": c.median(cpus), "cpu_all_s": cpus}

        timed("write", save, clean)
        timed("write_fsync", save_fsync, clean)
        if args.cold:
            c.drop_caches()  # show that dropping works: residency should be ~0%
        out["resident_before_read"] = resident_fraction(c.files_with_prefix(prefix))
        timed("restore", lambda: saver.restore(sess, prefix), before_read)
        timed("load_checkpoint", lambda: load_all(prefix), before_read)
        if ours_prefix:
            # Interop: TensorFlow restores the checkpoint tf1hub wrote.
            timed("restore_ours", lambda: saver.restore(sess, ours_prefix), before_read)
    return out


def ratio(tf_s: float | None, ours_s: float | None) -> float | None:
    return tf_s / ours_s if tf_s and ours_s else None


def report(args, nbytes: int, res: dict) -> str:
    tf, ours, cross = res["tf"], res["ours"]["results"], res["ours_on_tf"]["results"]
    threads = int(ours.get("checkpoint/read_parallel", {}).get("counters", {}).get("threads", 0))

    def t(key, cpu=False):
        return tf.get(key, {}).get("cpu_s" if cpu else "s")

    def o(name, cpu=False, source=None):
        return (source or ours).get(name, {}).get("cpu_median_s" if cpu else "median_s")

    # (label, TF key, our benchmark, results it comes from)
    rows_spec = [
        ("write        Saver.save | CheckpointWriter", "write", "checkpoint/write", ours),
        ("write+fsync  the same, then fsync", "write_fsync", "checkpoint/write_fsync", ours),
        ("read    [1]  Saver.restore | Read (mmap, CRC)", "restore", "checkpoint/read_nosum", ours),
        ("read         load_checkpoint | Read (mmap, CRC)", "load_checkpoint",
         "checkpoint/read_nosum", ours),
        ("read         Saver.restore | Read, CRC on 1 core", "restore",
         "checkpoint/read_nosum_verify1", ours),
        ("read         Saver.restore | Read+sum", "restore", "checkpoint/read", ours),
        (f"read         Saver.restore | Read+sum x{threads} thr", "restore",
         "checkpoint/read_parallel", ours),
        ("read TF's    Saver.restore | Read (mmap, CRC)", "restore", "checkpoint/read_nosum",
         cross),
        ("read TF's    Saver.restore | Read+sum", "restore", "checkpoint/read", cross),
        ("read ours    Saver.restore of tf1hub's ckpt", "restore_ours", None, ours),
    ]
    table_rows = []
    for label, tf_key, our_name, src in rows_spec:
        tw, ow = t(tf_key), o(our_name, source=src) if our_name else None
        tc, oc = t(tf_key, True), o(our_name, True, src) if our_name else None
        table_rows.append([label, c.fmt_s(tw), c.fmt_rate(nbytes, tw), c.fmt_s(ow),
                           c.fmt_rate(nbytes, ow), c.fmt_ratio(ratio(tw, ow)),
                           c.fmt_s(tc), c.fmt_s(oc), c.fmt_ratio(ratio(tc, oc))])
    m = res["machine"]
    lines = [
        f"Checkpoint: {args.tensors} float32 tensors [{nbytes // (args.tensors * COLS * 4)},"
        f"{COLS}], {nbytes} bytes ({nbytes / c.MIB:.0f} MiB); median of {args.reps} reps",
        f"Machine: {m.get('cpu')} x{m.get('cpus')}, {m.get('mem_gib')} GiB RAM, kernel "
        f"{m.get('kernel')}; dir {m['dir']} ({m['fs']}); TensorFlow {tf['version']}; "
        f"load average {m['loadavg_start']:.1f} at start, {m.get('loadavg_end', 0):.1f} at end",
        f"Page cache: {res['cache']}"
        + ("" if tf.get("resident_before_read") is None else
           f" (TF checkpoint {100 * tf['resident_before_read']:.0f}% resident before reads"
           + (", page cache dropped before every timed read of both sides)" if args.cold
              else "; reads are served from RAM)")),
        "",
        c.format_table(["operation  (TF | tf1hub)", "TF s", "TF GB/s", "tf1hub s", "tf1hub GB/s",
                        "TF/tf1hub", "TF cpu s", "tf1hub cpu s", "cpu TF/tf1hub"], table_rows),
        "",
        "s = median wall seconds; GB/s = 1e9 bytes of tensor data per wall second; TF/tf1hub > 1 "
        "means tf1hub is faster;",
        "cpu s = process CPU seconds (all threads) of the same operation.",
        "Read (mmap, CRC) = CheckpointReader::Open + Read of every tensor: each comes back as "
        "a view of the memory-mapped data file",
        "  after its CRC-32C is verified over every byte (in 1 MiB chunks on every core, the "
        "reader's default), then the reader is destroyed.",
        "  Saver.restore likewise reads and CRC-checks every byte, into the variables' buffers.",
        "Read, CRC on 1 core = the same with verify_threads = 1; Read+sum = Read, then every "
        "float summed on the calling thread;",
        "  x N thr = N calling threads sharing one reader. \"read TF's\" reads the checkpoint "
        "TF wrote; \"read ours\" is TF restoring tf1hub's.",
        "[1] the issue's headline comparison (a memory-mapped read with CRC verification, all "
        "tensors).",
    ]
    if "disk" in res:
        d, mc = res["disk"], res["memcpy"]
        lines += ["", "Raw disk (O_DIRECT, same directory) and memory:"]
        if "error" in d:
            lines.append(f"  raw disk: {d['error']}")
        else:
            lines.append(f"  O_DIRECT write+fsync {d['bytes'] / c.MIB:.0f} MiB: "
                         f"{d['write_s']:.3f} s = {d['write_MBps']:.0f} MB/s")
            lines.append(f"  O_DIRECT read        {d['bytes'] / c.MIB:.0f} MiB: "
                         f"{d['read_s']:.3f} s = {d['read_MBps']:.0f} MB/s")
        lines.append(f"  memcpy {mc['bytes'] / c.MIB:.0f} MiB (numpy): {mc['s']:.3f} s = "
                     f"{mc['GBps']:.2f} GB/s")
    floors = [(n, o(f"floor/{n}"), o(f"floor/{n}", True))
              for n in ("crc32c", "sum", "memcpy", "scan", "scan_all_cores")]
    if any(w for _, w, _ in floors):
        lines.append("  in-memory floors, no files (tf1hub bench; one core unless all_cores; scan ="
                     " read-only pass = memory bandwidth):")
        lines.append("    " + "; ".join(
            f"{n} {w:.3f} s = {c.fmt_rate(nbytes, w)} GB/s (cpu {cpu:.3f} s)"
            for n, w, cpu in floors if w))
    lines.append("")
    if o("checkpoint/open") is not None:
        lines.append(f"tf1hub CheckpointReader::Open alone (index only): "
                     f"{1e3 * o('checkpoint/open'):.3f} ms")
    views = ours.get("checkpoint/read", {}).get("counters", {}).get("mmap_views")
    if views is not None:
        lines.append(f"tf1hub read returned {views:.0f} of {args.tensors} tensors as mmap views")
    lines.append(
        "Issue goals (reported, not enforced): read (mmap, CRC) >= 5x TF restore -> wall "
        f"{c.fmt_ratio(ratio(t('restore'), o('checkpoint/read_nosum')))}, cpu "
        f"{c.fmt_ratio(ratio(t('restore', True), o('checkpoint/read_nosum', True)))} "
        f"(Read+sum: wall {c.fmt_ratio(ratio(t('restore'), o('checkpoint/read')))}); "
        "write >= 1x TF save -> wall "
        f"{c.fmt_ratio(ratio(t('write'), o('checkpoint/write')))}, cpu "
        f"{c.fmt_ratio(ratio(t('write', True), o('checkpoint/write', True)))}")
    return "\n".join(lines)


def main() -> int:
    args = parse_args()
    if not os.access(args.tf1hub_bench, os.X_OK):
        sys.exit(f"compare_checkpoint: no executable checkpoint_bench at '{args.tf1hub_bench}' "
                 "(build it: cmake --build build --target checkpoint_bench, or pass --tf1hub-bench)")
    if args.cold:
        err = c.drop_caches_error()
        if err:
            sys.exit(f"compare_checkpoint: --cold needs to drop the page cache: {err}")
    rows = max(1, args.size_mb * c.MIB // (args.tensors * COLS * 4))
    nbytes = rows * COLS * 4 * args.tensors

    base = args.dir or c.scratch_base()
    work = c.make_scratch_dir(base, "compare_ckpt")
    res: dict = {"config": {"size_mb": args.size_mb, "tensors": args.tensors, "rows": rows,
                            "cols": COLS, "bytes": nbytes, "reps": args.reps},
                 "machine": c.machine_info(work), "cache": "cold" if args.cold else "warm"}
    try:
        if not args.skip_disk:
            print("measuring the raw disk ...", file=sys.stderr)
            res["disk"] = c.raw_disk_speed(work, nbytes)
            res["memcpy"] = c.memcpy_speed(nbytes)
        print("running tf1hub checkpoint_bench ...", file=sys.stderr)
        res["ours"] = run_ours(args, work, {"TF1HUB_BENCH_KEEP": "1"}, "^(checkpoint|floor)/",
                               "own")
        ours_dir = res["ours"]["context"].get("tf1hub_bench_dir")
        ours_prefix = os.path.join(ours_dir, "read", "model.ckpt") if ours_dir else None
        print("running TensorFlow ...", file=sys.stderr)
        res["tf"] = run_tf(args, work, rows, ours_prefix)
        print("running tf1hub on TensorFlow's checkpoint ...", file=sys.stderr)
        res["ours_on_tf"] = run_ours(args, work, {"TF1HUB_BENCH_READ_PREFIX": res["tf"]["prefix"]},
                                     "^checkpoint/read(_nosum)?/", "on_tf")
    except subprocess.CalledProcessError as e:
        sys.exit(f"compare_checkpoint: {' '.join(e.cmd)} failed ({e.returncode}):\n"
                 f"{e.stdout}\n{e.stderr}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    res["machine"]["loadavg_end"] = os.getloadavg()[0]
    text = report(args, nbytes, res)
    print(text)
    if args.out:
        for r in (res["ours"], res["ours_on_tf"]):
            r.pop("stdout", None)
        res["table"] = text
        with open(args.out, "w") as f:
            json.dump(res, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
