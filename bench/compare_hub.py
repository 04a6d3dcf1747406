#!/usr/bin/env python3
"""The seed module through the hub API: tf1hub next to hub.Module in TensorFlow.

The module is the seed guide's (float32 [None, 50] -> dense 200 -> dense
100, outputs default and hidden_activations), created by real
hub.create_module_spec and exported by real hub (TensorFlow 2.15,
tensorflow_hub 0.15) with random biases, into a temp dir. In the same run:

  [1] time to the first result, in a fresh process per side and round:
      TensorFlow: a python process that imports tensorflow + tensorflow_hub
      (timed apart), then load_module_spec, hub.Module, apply, Session,
      global_variables_initializer (restores the variables), one
      sess.run at batch 1; tf1hub: bench/hub_module_bench --first_result
      (LoadModuleSpec, Module::Create, Apply, Session::Create, the
      initializer, one Run). "in-process" is measured inside each process
      from the start of loading; "process" is the wall time of the whole
      process seen from here (for TF it includes the imports).
  [2] per-call latency of the applied module at batch 1 (p50/p99 of single
      calls, plan cache warm): TF Session.run through make_callable and plain
      sess.run; tf1hub Session::Run (hub_module_bench, Google Benchmark).

Rounds alternate between the two sides (--reps; medians over rounds). The
outputs of both sides on the same input are compared first (|tf1hub - TF|
<= 1e-5 |TF| + 1e-6 max|TF|). Ratios are tf1hub / TF (below 1: tf1hub
faster). The exit code is 0 unless something failed to run or the outputs
differ.

  .venv-oracle/bin/python bench/compare_hub.py \\
      --tf1hub-bench build/bench/hub_module_bench [--reps 5] [--min-time 1] \\
      [--initializers tf2|v1] [--out hub.json]
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
from compare_seed_network import time_calls  # noqa: E402

RTOL = 1e-5
ATOL_SCALE = 1e-6


def parse_args() -> argparse.Namespace:
    p = c.bench_parser(__doc__, "hub_module_bench", "TF1HUB_HUB_BENCH_BIN")
    p.add_argument("--reps", type=int, default=5,
                   help="rounds per side, alternating TF / tf1hub (medians over rounds)")
    p.add_argument("--min-time", type=float, default=1.0,
                   help="seconds per latency measurement per round, each side")
    p.add_argument("--initializers", choices=["tf2", "v1"], default="tf2",
                   help="the module's kernel initializers: TF 2.15's default (stateless "
                        "random ops in the graph) or tf.compat.v1.glorot_uniform_initializer "
                        "(RandomUniform, as modules exported with TF1 have)")
    p.add_argument("--keep", default=None,
                   help="export the module and check tensors into this directory and keep them")
    p.add_argument("--applies", type=int, default=50,
                   help="applications of one module instance for figure [3] (default 50)")
    p.add_argument("--out", default=None, help="also write all figures to this JSON file")
    return p.parse_args()


def import_tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import warnings
    warnings.filterwarnings("ignore")
    import tensorflow as tf
    import tensorflow_hub as hub
    tf.get_logger().setLevel("ERROR")
    return tf, hub


def export_seed_module(tf, hub, np, path: str, initializers: str) -> None:
    v1 = tf.compat.v1

    def module_fn():
        kw = {} if initializers == "tf2" else {"kernel_initializer": v1.glorot_uniform_initializer()}
        x = v1.placeholder(tf.float32, [None, 50])
        h = v1.layers.dense(x, 200, **kw)
        y = v1.layers.dense(h, 100, **kw)
        hub.add_signature(inputs=x, outputs={"default": y, "hidden_activations": h})

    spec = hub.create_module_spec(module_fn)
    rng = np.random.default_rng(7)
    with tf.Graph().as_default():
        m = hub.Module(spec)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for name, var in m.variable_map.items():
                if name.endswith("bias"):
                    var.load(rng.uniform(-0.5, 0.5, size=var.shape).astype(np.float32), sess)
            m.export(path, sess)


# What a fresh TF process does; prints {"import_s", "in_process_s", phases}.
TF_FIRST_RESULT = r"""
import os, sys, time, json
t_start = time.perf_counter()
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import warnings; warnings.filterwarnings("ignore")
import numpy as np
import tensorflow as tf
import tensorflow_hub as hub
tf.get_logger().setLevel("ERROR")
t0 = time.perf_counter()
spec = hub.load_module_spec(sys.argv[1])
t1 = time.perf_counter()
g = tf.Graph()
with g.as_default():
    m = hub.Module(spec)
    x = tf.compat.v1.placeholder(tf.float32, [None, 50])
    y = m(x)
    init = tf.compat.v1.global_variables_initializer()
t2 = time.perf_counter()
sess = tf.compat.v1.Session(graph=g)
t3 = time.perf_counter()
sess.run(init)
t4 = time.perf_counter()
v = np.random.default_rng(1234).uniform(-1, 1, size=(1, 50)).astype(np.float32)
sess.run(y, {x: v})
t5 = time.perf_counter()
print(json.dumps({"import_s": t0 - t_start, "load_spec_s": t1 - t0, "module_s": t2 - t1,
                  "session_s": t3 - t2, "init_s": t4 - t3, "first_call_s": t5 - t4,
                  "total_s": t5 - t0}))
"""


def run_json(cmd: list[str]) -> tuple[dict, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, proc.stdout, proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def tf_latency(tf, hub, np, module: str, min_time: float) -> dict:
    g = tf.Graph()
    with g.as_default():
        m = hub.Module(module)
        x = tf.compat.v1.placeholder(tf.float32, [None, 50])
        y = m(x)
        init = tf.compat.v1.global_variables_initializer()
    sess = tf.compat.v1.Session(graph=g)
    sess.run(init)
    v = np.random.default_rng(1234).uniform(-1, 1, size=(1, 50)).astype(np.float32)
    call = sess.make_callable(y, feed_list=[x])
    out = {"callable": time_calls(lambda: call(v), min_time),
           "sess_run": time_calls(lambda: sess.run(y, {x: v}), min_time)}
    sess.close()
    return out


def tf_repeated_applies(tf, hub, np, module: str, n: int) -> dict:
    """One hub.Module applied n times in one graph: time of the first and
    last application, and batch-1 sess.run p50 of the first and last."""
    g = tf.Graph()
    with g.as_default():
        m = hub.Module(module)
        x = tf.compat.v1.placeholder(tf.float32, [None, 50])
        ys, times = [], []
        for _ in range(n):
            t0 = time.perf_counter()
            ys.append(m(x))
            times.append(time.perf_counter() - t0)
        init = tf.compat.v1.global_variables_initializer()
    sess = tf.compat.v1.Session(graph=g)
    sess.run(init)
    v = np.random.default_rng(1234).uniform(-1, 1, size=(1, 50)).astype(np.float32)

    def p50(y):
        call = sess.make_callable(y, feed_list=[x])
        return time_calls(lambda: call(v), min_time=0.0, min_calls=2000)["p50_us"]

    out = {"applies": n, "first_apply_s": times[0], "last_apply_s": times[-1],
           "first_call_p50_us": p50(ys[0]), "last_call_p50_us": p50(ys[-1]),
           "graph_nodes": len(g.as_graph_def().node)}
    sess.close()
    return out


def ours_latency(args, module: str, json_path: str) -> dict:
    cmd = [args.tf1hub_bench, f"--module={module}", f"--min_time={args.min_time}",
           f"--benchmark_out={json_path}", "--benchmark_out_format=json"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, proc.stdout, proc.stderr)
    with open(json_path) as f:
        doc = json.load(f)
    out = {}
    for b in doc["benchmarks"]:
        name = "/".join(p for p in b.get("run_name", b["name"]).split("/")
                        if not p.startswith("min_time:") and p not in ("manual_time", "real_time"))
        if b.get("error_occurred"):
            raise RuntimeError(f"{args.tf1hub_bench}: {name}: {b.get('error_message')}")
        out[name] = {k: b[k] for k in ("p50_us", "p99_us", "min_us", "cached_plans") if k in b}
        out[name]["calls"] = b["iterations"]
    return out


def check_outputs(tf, hub, np, args, module: str, work: str) -> dict:
    v = np.random.default_rng(99).uniform(-1, 1, size=(4, 50)).astype(np.float32)
    xin, yout = os.path.join(work, "check_in.npy"), os.path.join(work, "check_out.npy")
    np.save(xin, v)
    cmd = [args.tf1hub_bench, f"--module={module}", f"--check_in={xin}", f"--check_out={yout}"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, proc.stdout, proc.stderr)
    ours = np.load(yout)
    with tf.Graph().as_default():
        m = hub.Module(module)
        y = m(tf.constant(v))
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            ref = sess.run(y)
    if ours.shape != ref.shape or ours.dtype != ref.dtype:
        return {"match": False, "why": f"tf1hub {ours.dtype}{list(ours.shape)} vs "
                                       f"TF {ref.dtype}{list(ref.shape)}"}
    diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
    scale = float(np.max(np.abs(ref)))
    return {"match": bool(np.all(diff <= RTOL * np.abs(ref) + ATOL_SCALE * scale)),
            "max_abs_diff": float(diff.max()), "max_abs_tf": scale}


def med(rounds: list[dict], *path):
    xs = []
    for r in rounds:
        for p in path:
            r = r.get(p) if isinstance(r, dict) else None
        if r is not None:
            xs.append(r)
    return statistics.median(xs) if xs else None


def fmt_ms(x):
    return "-" if x is None else f"{x * 1e3:.1f}"


def fmt_us(x):
    return "-" if x is None else (f"{x:.1f}" if x >= 10 else f"{x:.2f}")


def ratio(o, t):
    return "-" if not o or not t else f"{o / t:.3g}"


def report(args, res: dict) -> str:
    m = res["machine"]
    tf_first, ours_first = res["first_result"]["tf"], res["first_result"]["ours"]
    rows = []
    for label, key in (("load_module_spec", "load_spec_s"), ("Module + apply", "module_s"),
                       ("Session", "session_s"), ("initializers (restore)", "init_s"),
                       ("first call", "first_call_s")):
        t, o = med(tf_first, key), med(ours_first, key)
        rows.append([f"    {label} ms", fmt_ms(t), fmt_ms(o), ratio(o, t)])
    t, o = med(tf_first, "total_s"), med(ours_first, "total_s")
    rows.insert(0, ["[1] first result, in-process (from loading) ms", fmt_ms(t), fmt_ms(o),
                    ratio(o, t)])
    t_imp = med(tf_first, "import_s")
    rows.append(["    TF: import tensorflow + tensorflow_hub ms", fmt_ms(t_imp), "", ""])
    t, o = med(tf_first, "process_wall_s"), med(ours_first, "process_wall_s")
    rows.append(["    whole process (exec to exit) ms", fmt_ms(t), fmt_ms(o), ratio(o, t)])
    tf_lat, ours_lat = res["latency"]["tf"], res["latency"]["ours"]
    for field in ("p50_us", "p99_us"):
        o = med(ours_lat, "hub/latency/batch:1", field)
        t = med(tf_lat, "callable", field)
        rows.append([f"[2] batch 1 {field[:3]} us, TF make_callable", fmt_us(t), fmt_us(o),
                     ratio(o, t)])
        t = med(tf_lat, "sess_run", field)
        rows.append([f"    batch 1 {field[:3]} us, TF sess.run", fmt_us(t), fmt_us(o), ratio(o, t)])
        o1 = med(ours_lat, "hub/latency/batch:1/intra:1", field)
        rows.append([f"    batch 1 {field[:3]} us, tf1hub 1 thread", "", fmt_us(o1), ""])
    rep_t, rep_o = res["repeated"]["tf"], res["repeated"]["ours"]
    n = rep_o.get("applies")
    for label, key, fmt in (("apply #1 ms", "first_apply_s", fmt_ms),
                            (f"apply #{n} ms", "last_apply_s", fmt_ms),
                            ("call via apply #1, p50 us", "first_call_p50_us", fmt_us),
                            (f"call via apply #{n}, p50 us", "last_call_p50_us", fmt_us)):
        t, o = rep_t.get(key), rep_o.get(key)
        rows.append([f"[3] {n} applications: {label}", fmt(t), fmt(o), ratio(o, t)])
    rows.append([f"    graph nodes after {n} applications", str(rep_t.get("graph_nodes")),
                 str(rep_o.get("graph_nodes")), ""])
    chk = res["check"]
    check = ("match" if chk["match"] else "DIFFER") + (
        f" (max |diff| {chk['max_abs_diff']:.2e})" if "max_abs_diff" in chk else
        f" ({chk.get('why')})")
    return "\n".join([
        f"Seed module (hub-exported, {args.initializers} initializers): float32 [batch, 50] -> "
        f"dense 200 -> dense 100; median over {args.reps} alternating rounds",
        f"Machine: {m.get('cpu')} x{m.get('cpus')}, {m.get('mem_gib')} GiB RAM, kernel "
        f"{m.get('kernel')}; TensorFlow {res['tf_version']}, tensorflow_hub {res['hub_version']}; "
        f"load average {m['loadavg_start']:.1f} at start, {m.get('loadavg_end', 0):.1f} at end",
        f"Outputs, same input (batch 4): {check}",
        "",
        c.format_table(["figure", "TF", "tf1hub", "tf1hub/TF"], rows),
        "",
        "tf1hub/TF below 1 means tf1hub is faster. [1] runs a fresh process per side and round; "
        "[2] times single calls with the plan cache warm. "
        "[3] applies one instance repeatedly (TF: make_callable).",
    ])


def main() -> int:
    args = parse_args()
    if not os.access(args.tf1hub_bench, os.X_OK):
        sys.exit(f"compare_hub: no executable hub_module_bench at '{args.tf1hub_bench}' "
                 "(build it: cmake --build build --target hub_module_bench, or pass "
                 "--tf1hub-bench)")
    import numpy as np
    tf, hub = import_tf()
    work = args.keep or tempfile.mkdtemp(prefix="tf1hub_hub_bench.")
    os.makedirs(work, exist_ok=True)
    module = os.path.join(work, "seed_module")
    res: dict = {"config": {"reps": args.reps, "min_time_s": args.min_time,
                            "initializers": args.initializers},
                 "machine": c.machine_info(work), "tf_version": tf.__version__,
                 "hub_version": hub.__version__,
                 "first_result": {"tf": [], "ours": []}, "latency": {"tf": [], "ours": []}}
    try:
        if os.path.exists(module):
            shutil.rmtree(module)
        export_seed_module(tf, hub, np, module, args.initializers)
        print("checking outputs ...", file=sys.stderr)
        res["check"] = check_outputs(tf, hub, np, args, module, work)
        for r in range(args.reps):
            print(f"round {r + 1}/{args.reps}: first result ...", file=sys.stderr)
            d, wall = run_json([sys.executable, "-c", TF_FIRST_RESULT, module])
            d["process_wall_s"] = wall
            res["first_result"]["tf"].append(d)
            d, wall = run_json([args.tf1hub_bench, f"--module={module}", "--first_result"])
            d["process_wall_s"] = wall
            res["first_result"]["ours"].append(d)
            print(f"round {r + 1}/{args.reps}: latency ...", file=sys.stderr)
            res["latency"]["tf"].append(tf_latency(tf, hub, np, module, args.min_time))
            res["latency"]["ours"].append(
                ours_latency(args, module, os.path.join(work, f"ours_{r}.json")))
        print("repeated applications ...", file=sys.stderr)
        res["repeated"] = {
            "tf": tf_repeated_applies(tf, hub, np, module, args.applies),
            "ours": run_json([args.tf1hub_bench, f"--module={module}",
                              f"--repeated_applies={args.applies}"])[0]}
    except subprocess.CalledProcessError as e:
        sys.exit(f"compare_hub: {' '.join(map(str, e.cmd))[:200]} failed ({e.returncode}):\n"
                 f"{e.stdout}\n{e.stderr}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    res["machine"]["loadavg_end"] = os.getloadavg()[0]
    text = report(args, res)
    print(text)
    if args.out:
        res["table"] = text
        with open(args.out, "w") as f:
            json.dump(res, f, indent=2)
    if not res["check"]["match"]:
        print("\ncompare_hub: tf1hub's outputs DIFFER from TensorFlow's", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
