#!/usr/bin/env python3
"""The seed guide's network: tf1hub Session::Run next to TensorFlow's Session.run.

Network (the seed guide's example): float32 placeholder [None, 50] ->
tf.compat.v1.layers.dense(x, 200) -> dense(..., 100), no activation as in the
guide, plus a variant with ReLU after both layers. TensorFlow 2.15 (graph
mode) builds it, initialises it (biases then get random values, so the
output check covers them), freezes the variables into Consts
(graph_util.convert_variables_to_constants) and writes the frozen GraphDef.
In the same run, on the same frozen graph:

  * TensorFlow: a tf.compat.v1.Session on the imported frozen graph, default
    ConfigProto (intra/inter-op threads 0 = TensorFlow's choice); the fetch
    timed through sess.make_callable (fair to TensorFlow: no per-call feed
    parsing) and through plain sess.run(y, {x: v});
  * tf1hub: bench/seed_network_bench (tf1hub::Session, default
    SessionOptions, plan cache warm; also intra_op_threads = 1, and the bare
    GEMM + bias arithmetic as a floor);

measuring per-call latency at batch 1 (median and p99 of single calls, in
microseconds) and throughput at batch 1024 (rows/s). Rounds alternate
between the two sides (--reps rounds; medians over rounds are reported), so
a change in machine load hits both. Both sides' outputs on the same inputs
(batch 1 and batch 1024) are compared first: |tf1hub - TF| <= 1e-5 |TF| +
1e-6 max|TF| elementwise.

Ratios are tf1hub / TF: latency below 1 and throughput above 1 mean tf1hub
is faster. The issue's goals (latency <= 0.2x TF, throughput >= 1x TF) are
printed beside the figures, never enforced; the exit code is 0 unless
something failed to run or the outputs differ (then the figures compare
different computations and the script exits 1 after printing them).

  .venv-oracle/bin/python bench/compare_seed_network.py \\
      --tf1hub-bench build/bench/seed_network_bench [--reps 5] [--min-time 1] \\
      [--variants linear,relu] [--out seed.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

IN_WIDTH = 50
LATENCY_BATCH = 1
THROUGHPUT_BATCH = 1024
RTOL = 1e-5
ATOL_SCALE = 1e-6


def parse_args() -> argparse.Namespace:
    p = c.bench_parser(__doc__, "seed_network_bench", "TF1HUB_SEED_BENCH_BIN")
    p.add_argument("--reps", type=int, default=3,
                   help="rounds per side, alternating TF / tf1hub (medians over rounds)")
    p.add_argument("--min-time", type=float, default=1.0,
                   help="seconds per measurement per round, each side")
    p.add_argument("--variants", default="linear,relu",
                   help="comma list of: linear (the guide's, no activation), relu")
    p.add_argument("--seed", type=int, default=42, help="graph-level random seed")
    p.add_argument("--keep", default=None,
                   help="write the frozen GraphDefs and check tensors into this directory "
                        "and keep them (default: a temp dir, removed)")
    p.add_argument("--out", default=None, help="also write all figures to this JSON file")
    return p.parse_args()


# ---------------------------------------------------------------------------
# TensorFlow side.

def import_tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import warnings
    warnings.filterwarnings("ignore", message=".*tf.layers.dense.*is deprecated")
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    return tf


def build_frozen(tf, np, relu: bool, seed: int):
    """The guide's network, initialised and frozen; returns (GraphDef, feed, fetch)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.set_random_seed(seed)
        act = tf.nn.relu if relu else None
        x = tf.compat.v1.placeholder(dtype=tf.float32, shape=[None, IN_WIDTH])
        layer1 = tf.compat.v1.layers.dense(x, 200, activation=act)
        layer2 = tf.compat.v1.layers.dense(layer1, 100, activation=act)
        init = tf.compat.v1.global_variables_initializer()
        biases = [v for v in tf.compat.v1.global_variables() if v.name.endswith("/bias:0")]
    rng = np.random.default_rng(seed)
    with tf.compat.v1.Session(graph=graph) as sess:
        sess.run(init)
        # The guide leaves biases at their zero initializer; random values make
        # the output check cover BiasAdd. Same graph, other variable values.
        for b in biases:
            b.load(rng.uniform(-0.5, 0.5, size=b.shape).astype(np.float32), sess)
        frozen = tf.compat.v1.graph_util.convert_variables_to_constants(
            sess, graph.as_graph_def(), [layer2.op.name])
    return frozen, x.name, layer2.name


def tf_session(tf, frozen):
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(frozen, name="")
    config = tf.compat.v1.ConfigProto()  # defaults: intra/inter-op threads 0
    return tf.compat.v1.Session(graph=graph, config=config), config


def time_calls(fn, min_time: float, min_calls: int = 20) -> dict:
    """Calls fn repeatedly for at least min_time s; per-call wall times."""
    for _ in range(10):
        fn()  # warm-up
    samples = []
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - t0)
        if len(samples) >= min_calls and time.perf_counter() - start >= min_time:
            break
    elapsed = time.perf_counter() - start
    us = sorted(s / 1e3 for s in samples)
    return {"calls": len(us), "elapsed_s": elapsed,
            "p50_us": percentile(us, 0.50), "p99_us": percentile(us, 0.99),
            "min_us": us[0], "mean_us": sum(us) / len(us)}


def percentile(sorted_xs: list[float], q: float) -> float:
    i = int(q * (len(sorted_xs) - 1) + 0.5)
    return sorted_xs[min(i, len(sorted_xs) - 1)]


def tf_round(sess, feed: str, fetch: str, inputs: dict, min_time: float) -> dict:
    x = sess.graph.get_tensor_by_name(feed)
    y = sess.graph.get_tensor_by_name(fetch)
    call = sess.make_callable(y, feed_list=[x])
    out = {}
    for batch in (LATENCY_BATCH, THROUGHPUT_BATCH):
        v = inputs[batch]
        r_call = time_calls(lambda: call(v), min_time)
        r_run = time_calls(lambda: sess.run(y, {x: v}), min_time)
        for name, r in (("callable", r_call), ("sess_run", r_run)):
            r["rows_per_s"] = batch * r["calls"] / r["elapsed_s"]
            out[f"{name}/batch:{batch}"] = r
    return out


# ---------------------------------------------------------------------------
# tf1hub side.

def ours_cmd(args, graph_path: str, feed: str, fetch: str, relu: bool) -> list[str]:
    cmd = [args.tf1hub_bench, f"--graph={graph_path}", f"--input={feed}", f"--output={fetch}",
           f"--min_time={args.min_time}"]
    if relu:
        cmd.append("--relu")
    return cmd


def ours_round(args, base_cmd: list[str], json_path: str) -> dict:
    cmd = base_cmd + [f"--benchmark_out={json_path}", "--benchmark_out_format=json"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, proc.stdout, proc.stderr)
    with open(json_path) as f:
        doc = json.load(f)
    out = {}
    for b in doc["benchmarks"]:
        # "seed/latency/batch:1/min_time:1.000/manual_time" -> "seed/latency/batch:1"
        name = "/".join(p for p in b.get("run_name", b["name"]).split("/")
                        if not p.startswith("min_time:") and p not in ("manual_time", "real_time"))
        if b.get("error_occurred"):
            raise RuntimeError(f"{args.tf1hub_bench}: {name}: {b.get('error_message')}")
        unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b.get("time_unit", "ns")]
        r = {"calls": b["iterations"], "mean_us": b["real_time"] * unit,
             "cpu_mean_us": b["cpu_time"] * unit, "rows_per_s": b.get("items_per_second")}
        for k in ("p50_us", "p99_us", "min_us", "intra_op_threads", "cached_plans"):
            if k in b:
                r[k] = b[k]
        out[name] = r
    return {"results": out, "context": doc.get("context", {})}


def check_outputs(np, sess, feed, fetch, base_cmd, inputs, work, tag) -> dict:
    res = {}
    for batch, v in inputs.items():
        xin = os.path.join(work, f"{tag}_in_{batch}.npy")
        yout = os.path.join(work, f"{tag}_out_{batch}.npy")
        np.save(xin, v)
        cmd = base_cmd + [f"--check_in={xin}", f"--check_out={yout}"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise subprocess.CalledProcessError(proc.returncode, cmd, proc.stdout, proc.stderr)
        ours = np.load(yout)
        ref = sess.run(fetch, {feed: v})
        if ours.shape != ref.shape or ours.dtype != ref.dtype:
            res[f"batch:{batch}"] = {"match": False,
                                     "why": f"tf1hub {ours.dtype}{list(ours.shape)} vs "
                                            f"TF {ref.dtype}{list(ref.shape)}"}
            continue
        diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
        scale = float(np.max(np.abs(ref))) if ref.size else 0.0
        big = np.abs(ref) > 1e-3 * scale
        rel = float(np.max(diff[big] / np.abs(ref[big]))) if big.any() else 0.0
        ok = bool(np.all(diff <= RTOL * np.abs(ref) + ATOL_SCALE * scale))
        res[f"batch:{batch}"] = {"match": ok, "max_abs_diff": float(diff.max(initial=0.0)),
                                 "max_rel_diff": rel, "max_abs_tf": scale}
    return res


# ---------------------------------------------------------------------------
# Report.

def med(rounds: list[dict], key: str, field: str):
    xs = [r[key][field] for r in rounds if key in r and r[key].get(field) is not None]
    return statistics.median(xs) if xs else None


def fmt_us(x):
    return "-" if x is None else (f"{x:.1f}" if x >= 10 else f"{x:.2f}")


def fmt_rows(x):
    return "-" if x is None else f"{x:,.0f}"


def fmt_ratio(a, b):
    return "-" if not a or not b else f"{a / b:.3g}"


def variant_report(name: str, v: dict) -> list[str]:
    tf_r, ours_r = v["tf"], [r["results"] for r in v["ours"]]
    lat, thr = f"seed/latency/batch:{LATENCY_BATCH}", f"seed/throughput/batch:{THROUGHPUT_BATCH}"
    rows = []

    def lat_rows(label, tf_key, ours_key):
        for field in ("p50_us", "p99_us"):
            t, o = med(tf_r, tf_key, field), med(ours_r, ours_key, field)
            rows.append([f"{label} {field[:3]} us", fmt_us(t), fmt_us(o), fmt_ratio(o, t)])

    def thr_row(label, tf_key, ours_key):
        t, o = med(tf_r, tf_key, "rows_per_s"), med(ours_r, ours_key, "rows_per_s")
        rows.append([f"{label} rows/s", fmt_rows(t), fmt_rows(o), fmt_ratio(o, t)])

    lat_rows("[1] batch 1 latency, TF make_callable |", f"callable/batch:{LATENCY_BATCH}", lat)
    lat_rows("    batch 1 latency, TF sess.run      |", f"sess_run/batch:{LATENCY_BATCH}", lat)
    lat_rows("    batch 1 latency, tf1hub 1 thread  |", f"callable/batch:{LATENCY_BATCH}",
             lat + "/intra:1")
    thr_row("[2] batch 1024, TF make_callable      |", f"callable/batch:{THROUGHPUT_BATCH}", thr)
    thr_row("    batch 1024, TF sess.run           |", f"sess_run/batch:{THROUGHPUT_BATCH}", thr)
    thr_row("    batch 1024, tf1hub 1 thread       |", f"callable/batch:{THROUGHPUT_BATCH}",
            thr + "/intra:1")
    f1 = med(ours_r, f"floor/gemm/batch:{LATENCY_BATCH}", "p50_us")
    f1024 = med(ours_r, f"floor/gemm/batch:{THROUGHPUT_BATCH}", "rows_per_s")
    rows.append(["    floor: 2 GEMM + bias, 1 thread, b1 p50 us", "", fmt_us(f1), ""])
    rows.append(["    floor: 2 GEMM + bias, 1 thread, b1024 rows/s", "", fmt_rows(f1024), ""])

    checks = "; ".join(
        f"{k}: {'match' if r['match'] else 'DIFFER'}"
        + (f" (max |diff| {r['max_abs_diff']:.2e}, max rel {r['max_rel_diff']:.2e})"
           if "max_abs_diff" in r else f" ({r.get('why')})")
        for k, r in v["check"].items())
    lat_ratio = fmt_ratio(med(ours_r, lat, "p50_us"),
                          med(tf_r, f"callable/batch:{LATENCY_BATCH}", "p50_us"))
    thr_ratio = fmt_ratio(med(ours_r, thr, "rows_per_s"),
                          med(tf_r, f"callable/batch:{THROUGHPUT_BATCH}", "rows_per_s"))
    return [
        f"Variant '{name}': fetch {v['fetch']} (feed {v['feed']}); "
        f"{len(v['frozen_nodes'])} nodes: {', '.join(v['frozen_ops'])}",
        f"Outputs, same inputs: {checks}",
        "",
        c.format_table(["figure  (TF side | tf1hub side)", "TF", "tf1hub", "tf1hub/TF"], rows),
        "",
        f"Issue goals (reported, not enforced): [1] latency <= 0.2x TF -> {lat_ratio}; "
        f"[2] throughput >= 1x TF -> {thr_ratio}",
    ]


def report(args, res: dict) -> str:
    m = res["machine"]
    th = res["threads"]
    lines = [
        f"Seed network: float32 [batch, {IN_WIDTH}] -> dense 200 -> dense 100, frozen GraphDef; "
        f"median over {args.reps} alternating rounds of >= {args.min_time:g} s per figure",
        f"Machine: {m.get('cpu')} x{m.get('cpus')} ({th['cpus_available']} available), "
        f"{m.get('mem_gib')} GiB RAM, kernel {m.get('kernel')}; TensorFlow {res['tf_version']}; "
        f"load average {m['loadavg_start']:.1f} at start, {m.get('loadavg_end', 0):.1f} at end",
        f"Threads: TF ConfigProto intra_op={th['tf_intra_op']} inter_op={th['tf_inter_op']} "
        f"(0 = TF's default, one per available core), oneDNN opts "
        f"{th['tf_onednn']}; tf1hub SessionOptions intra_op_threads=0 "
        f"(process pool of {th['tf1hub_pool_threads']} threads)",
        "",
    ]
    for name, v in res["variants"].items():
        lines += variant_report(name, v) + [""]
    lines += [
        "p50/p99 = median / 99th percentile of single-call wall times (per round; medians over "
        "rounds); rows/s = rows per wall second over a round.",
        "tf1hub/TF: below 1 is faster for latency, above 1 is faster for throughput. "
        "TF calls go through Python (make_callable / sess.run),",
        "tf1hub's through C++ Session::Run with the feeds built once. The floor is the same "
        "arithmetic without any runtime (tf1hub's GEMM).",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------

def main() -> int:
    args = parse_args()
    if not os.access(args.tf1hub_bench, os.X_OK):
        sys.exit(f"compare_seed_network: no executable seed_network_bench at "
                 f"'{args.tf1hub_bench}' (build it: cmake --build build --target "
                 "seed_network_bench, or pass --tf1hub-bench)")
    variants = [v for v in args.variants.split(",") if v]
    for v in variants:
        if v not in ("linear", "relu"):
            sys.exit(f"compare_seed_network: unknown variant '{v}' (linear, relu)")

    import numpy as np
    tf = import_tf()
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        work = args.keep
    else:
        work = tempfile.mkdtemp(prefix="tf1hub_seed_bench.")
    res: dict = {"config": {"reps": args.reps, "min_time_s": args.min_time, "seed": args.seed,
                            "latency_batch": LATENCY_BATCH,
                            "throughput_batch": THROUGHPUT_BATCH, "rtol": RTOL,
                            "atol_of_max": ATOL_SCALE},
                 "machine": c.machine_info(work), "tf_version": tf.__version__, "variants": {}}
    rng = np.random.default_rng(args.seed + 1)
    inputs = {b: rng.uniform(-1.0, 1.0, size=(b, IN_WIDTH)).astype(np.float32)
              for b in (LATENCY_BATCH, THROUGHPUT_BATCH)}
    mismatch = False
    try:
        for name in variants:
            relu = name == "relu"
            frozen, feed, fetch = build_frozen(tf, np, relu, args.seed)
            graph_path = os.path.join(work, f"seed_{name}.pb")
            with open(graph_path, "wb") as f:
                f.write(frozen.SerializeToString())
            sess, config = tf_session(tf, frozen)
            res["threads"] = {
                "tf_intra_op": config.intra_op_parallelism_threads,
                "tf_inter_op": config.inter_op_parallelism_threads,
                "tf_onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on for x86 Linux)"),
                "cpus_available": len(os.sched_getaffinity(0)),
            }
            base_cmd = ours_cmd(args, graph_path, feed, fetch, relu)
            print(f"[{name}] checking outputs ...", file=sys.stderr)
            check = check_outputs(np, sess, feed, fetch, base_cmd, inputs, work, name)
            mismatch |= not all(r["match"] for r in check.values())
            v = {"feed": feed, "fetch": fetch, "graph": graph_path, "check": check,
                 "frozen_nodes": [n.name for n in frozen.node],
                 "frozen_ops": sorted({n.op for n in frozen.node}), "tf": [], "ours": []}
            for r in range(args.reps):
                print(f"[{name}] round {r + 1}/{args.reps}: TensorFlow ...", file=sys.stderr)
                v["tf"].append(tf_round(sess, feed, fetch, inputs, args.min_time))
                print(f"[{name}] round {r + 1}/{args.reps}: tf1hub ...", file=sys.stderr)
                v["ours"].append(ours_round(args, base_cmd,
                                            os.path.join(work, f"ours_{name}_{r}.json")))
            sess.close()
            ctx = v["ours"][0]["context"]
            res["threads"]["tf1hub_pool_threads"] = ctx.get("tf1hub_default_intra_op_threads")
            res["variants"][name] = v
    except subprocess.CalledProcessError as e:
        sys.exit(f"compare_seed_network: {' '.join(e.cmd)} failed ({e.returncode}):\n"
                 f"{e.stdout}\n{e.stderr}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    res["machine"]["loadavg_end"] = os.getloadavg()[0]
    text = report(args, res)
    print(text)
    if mismatch:
        print("\ncompare_seed_network: tf1hub's outputs DIFFER from TensorFlow's (see above); "
              "the figures compare different computations.", file=sys.stderr)
    if args.out:
        res["table"] = text
        with open(args.out, "w") as f:
            json.dump(res, f, indent=2)
    return 1 if mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
