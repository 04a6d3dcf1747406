"""Helpers for the side-by-side benchmark drivers in bench/.

Nothing here judges a result: the drivers measure, print tables of times,
rates and ratios, and optionally write JSON. Only the standard library is
needed (numpy/TensorFlow are imported by the drivers that use them).
"""

from __future__ import annotations

import json
import mmap
import argparse
import os
import platform
import statistics
import subprocess
import tempfile
import time
from typing import Callable, Iterable, Sequence

GB = 1e9  # rates are decimal GB/s and MB/s
MIB = 1 << 20


# ---------------------------------------------------------------------------
# Where and on what we run.

def bench_parser(doc: str, binary: str, env_var: str) -> argparse.ArgumentParser:
    """An argument parser described by `doc`'s first paragraph, with
    --tf1hub-bench: the tf1hub benchmark binary, from $env_var or else
    build/bench/<binary> in this checkout."""
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--tf1hub-bench",
                   default=os.environ.get(env_var) or os.path.join(here, "..", "build", "bench", binary),
                   help=f"path of the {binary} binary (env {env_var})")
    return p


def fs_type(path: str) -> str:
    """File system type name of `path` ("ext2/ext3", "tmpfs", ...)."""
    try:
        out = subprocess.run(["stat", "-f", "-c", "%T", path], capture_output=True,
                             text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def is_memory_backed(path: str) -> bool:
    return fs_type(path) in ("tmpfs", "ramfs")


def scratch_base() -> str:
    """$TF1HUB_BENCH_DIR, else the first disk-backed of $TMPDIR, /var/tmp, /tmp, cwd.

    Same rule as bench/bench_env.cc, so both sides write to the same disk.
    """
    env = os.environ.get("TF1HUB_BENCH_DIR")
    if env:
        return env
    for cand in (os.environ.get("TMPDIR"), "/var/tmp", "/tmp"):
        if cand and os.path.isdir(cand) and os.access(cand, os.W_OK) and not is_memory_backed(cand):
            return cand
    return os.getcwd()


def make_scratch_dir(base: str, tag: str) -> str:
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix=f"tf1hub_{tag}.", dir=base)


def machine_info(path: str) -> dict:
    info = {
        "kernel": platform.release(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "dir": path,
        "fs": fs_type(path),
        "loadavg_start": os.getloadavg()[0],
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    info["mem_gib"] = round(int(line.split()[1]) / MIB, 1)
    except OSError:
        pass
    return info


# ---------------------------------------------------------------------------
# Page cache.

def drop_caches_error() -> str | None:
    """None if the page cache can be dropped here, else why not."""
    if os.geteuid() != 0:
        return "not root"
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
    except OSError as e:
        return f"/proc/sys/vm/drop_caches: {e}"
    return None


def drop_caches() -> None:
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def fsync_files(paths: Iterable[str]) -> None:
    for p in paths:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def files_with_prefix(prefix: str) -> list[str]:
    d, stem = os.path.split(prefix)
    d = d or "."
    return sorted(os.path.join(d, n) for n in os.listdir(d)
                  if n.startswith(stem) and os.path.isfile(os.path.join(d, n)))


def remove_files_with_prefix(prefix: str) -> None:
    for p in files_with_prefix(prefix):
        os.remove(p)


# ---------------------------------------------------------------------------
# Timing.

def cpu_seconds() -> float:
    """User + system CPU seconds of this process, all threads."""
    return time.process_time()  # CLOCK_PROCESS_CPUTIME_ID: ns resolution


def time_reps(fn: Callable[[], object], reps: int,
              before: Callable[[], object] | None = None) -> tuple[list[float], list[float]]:
    """(wall seconds, process CPU seconds) of `reps` calls of fn.

    `before` runs untimed before each call.
    """
    walls, cpus = [], []
    for _ in range(reps):
        if before is not None:
            before()
        c0 = cpu_seconds()
        t0 = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
    return walls, cpus


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs)


def raw_disk_speed(directory: str, nbytes: int, reps: int = 3,
                   chunk: int = 8 * MIB) -> dict:
    """O_DIRECT sequential write (+fsync) and read of `nbytes` in `directory`.

    Bypasses the page cache, so this is the device's speed as the file
    system sees it. Returns median seconds and MB/s, or {"error": ...}.
    """
    path = os.path.join(directory, "raw_disk.bin")
    buf = mmap.mmap(-1, chunk)  # page-aligned, as O_DIRECT needs
    buf.write(os.urandom(chunk))
    n = max(1, nbytes // chunk)
    total = n * chunk
    wtimes, rtimes = [], []
    try:
        for _ in range(reps):
            if os.path.exists(path):
                os.remove(path)
            os.sync()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_DIRECT, 0o644)
            t0 = time.perf_counter()
            for _ in range(n):
                if os.write(fd, buf) != chunk:
                    raise OSError("short O_DIRECT write")
            os.fsync(fd)
            wtimes.append(time.perf_counter() - t0)
            os.close(fd)
            fd = os.open(path, os.O_RDONLY | os.O_DIRECT)
            t0 = time.perf_counter()
            got = 0
            while True:
                r = os.readv(fd, [buf])
                if r <= 0:
                    break
                got += r
            rtimes.append(time.perf_counter() - t0)
            os.close(fd)
            if got != total:
                raise OSError(f"O_DIRECT read {got} of {total} bytes")
    except OSError as e:
        return {"error": f"{path}: {e}"}
    finally:
        if os.path.exists(path):
            os.remove(path)
        buf.close()
    return {
        "bytes": total,
        "write_s": median(wtimes), "write_s_all": wtimes,
        "read_s": median(rtimes), "read_s_all": rtimes,
        "write_MBps": total / median(wtimes) / 1e6,
        "read_MBps": total / median(rtimes) / 1e6,
    }


def memcpy_speed(nbytes: int, reps: int = 3) -> dict:
    """numpy copy of `nbytes` between two buffers: the ceiling for warm-cache reads."""
    import numpy as np
    a = np.ones(nbytes // 8, dtype=np.float64)
    b = np.empty_like(a)
    times, _ = time_reps(lambda: np.copyto(b, a), reps)
    return {"bytes": a.nbytes, "s": median(times), "GBps": a.nbytes / median(times) / GB}


# ---------------------------------------------------------------------------
# Google Benchmark programs.

def run_gbench(binary: str, bench_filter: str, reps: int, env: dict[str, str],
               json_path: str) -> dict:
    """Runs a Google Benchmark binary; returns {run_name: result}.

    result = {"median_s", "all_s" (per repetition), "cpu_median_s",
    "cpu_all_s", "bytes_per_second", "counters"}: wall time and process CPU
    time (all threads) per iteration. Raises CalledProcessError.
    """
    cmd = [binary, f"--benchmark_filter={bench_filter}",
           f"--benchmark_repetitions={reps}",
           f"--benchmark_out={json_path}", "--benchmark_out_format=json"]
    full_env = dict(os.environ)
    full_env.update(env)
    proc = subprocess.run(cmd, env=full_env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, proc.stdout, proc.stderr)
    with open(json_path) as f:
        doc = json.load(f)
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    out: dict[str, dict] = {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            raise RuntimeError(f"{binary}: {b['name']}: {b.get('error_message')}")
        # "checkpoint/read/process_time/manual_time" -> "checkpoint/read"
        name = b.get("run_name", b["name"])
        for suffix in ("/manual_time", "/real_time", "/process_time"):
            name = name.removesuffix(suffix)
        r = out.setdefault(name, {"all_s": [], "cpu_all_s": [], "counters": {}})
        secs = b["real_time"] * scale[b.get("time_unit", "ns")]
        cpu = b["cpu_time"] * scale[b.get("time_unit", "ns")]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                r["median_s"] = secs
                r["cpu_median_s"] = cpu
                if "bytes_per_second" in b:
                    r["bytes_per_second"] = b["bytes_per_second"]
            continue
        r["all_s"].append(secs)
        r["cpu_all_s"].append(cpu)
        for k in ("tensors", "mmap_views", "threads"):
            if k in b:
                r["counters"][k] = b[k]
    for r in out.values():
        if "median_s" not in r and r["all_s"]:
            r["median_s"] = median(r["all_s"])
            r["cpu_median_s"] = median(r["cpu_all_s"])
    return {"results": out, "context": doc.get("context", {}), "stdout": proc.stdout}


# ---------------------------------------------------------------------------
# Output.

def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for j, r in enumerate(cells):
        lines.append("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i])
                               for i, c in enumerate(r)).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def fmt_s(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def fmt_rate(nbytes: int, secs: float | None) -> str:
    return "-" if not secs else f"{nbytes / secs / GB:.2f}"


def fmt_ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}x"
