#!/usr/bin/env python3
"""hallsim beside the SimPy and Ciw models of ../shared/peers, in one run.

Usage: python3 benches/peers.py [PEERS_DIR] [--ciw-scale F]
Needs `python3 -m pip install simpy ciw` and a release build
(`cargo build --release`). Each tool is timed on its simulation alone:
the peers print `run_s`; hallsim prints the seconds of its replications.
hallsim's run lasts about 0.1 s, where a shared machine's noise is large, so
it is timed as the best of 5 runs; each peer run lasts seconds and runs once.
Speed is customers per second; the ratio is hallsim's speed over the peer's.
Ciw keeps a record of every customer and is slow, so it runs on a share
(--ciw-scale, default 0.2) of the arrivals; its speed is still per customer.
"""
import json
import math
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else ROOT.parent / "shared" / "peers"
CIW_SCALE = float(sys.argv[sys.argv.index("--ciw-scale") + 1]) if "--ciw-scale" in sys.argv else 0.2
HALLSIM = ROOT / "target" / "release" / "hallsim"


def erlang_c(c, a):
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1 - b))


def wq(c, lam, mean):
    mu = 1 / mean
    return erlang_c(c, lam / mu) / (c * mu - lam)


EXACT = {
    "mmc": {"Wq": wq(10, 9.0, 1.0)},
    "hall": {"W": sum(wq(c, 2.0, m) + m for c, m in [(8, 3.5), (9, 4.0), (3, 1.2)])},
}


def peer(script, n):
    out = subprocess.run([sys.executable, str(PEERS / script), str(n), "12345"], check=True, capture_output=True, text=True).stdout
    fields = dict(f.split("=", 1) for f in out.split())
    return fields


def hallsim(scenario, tries=5):
    best = math.inf
    for _ in range(tries):
        with tempfile.TemporaryDirectory() as out:
            text = subprocess.run([str(HALLSIM), "run", str(ROOT / "scenarios" / "benchmark" / scenario), "-j", "1",
                                   "-o", out, "--no-charts"], check=True, capture_output=True, text=True).stdout
            best = min(best, float(re.search(r"seed \d+, ([0-9.]+) s on", text).group(1)))
            summary = json.load(open(next(Path(out).glob("*/summary.json"))))
    kpi = {k["key"]: k["mean"] for k in summary["kpis"]}
    return best, kpi, summary["events"]


rows = []
for model, scenario, n, key, est in [("mmc", "mmc.toml", 1_000_000, "Wq", "wait_mean"), ("hall", "hall.toml", 500_000, "W", "time_in_system_mean")]:
    secs, kpi, events = hallsim(scenario)
    speed = n / secs
    rows.append((model, "hallsim", n, secs, speed, kpi[est], events / secs))
    for tool, scale in [("simpy", 1.0), ("ciw", CIW_SCALE)]:
        m = max(1000, int(n * scale))
        f = peer(f"{tool}_{model}.py", m)
        s = float(f["run_s"])
        rows.append((model, tool, m, s, m / s, float(f[key]), int(f["events"]) / s))

print(f"{'model':6} {'tool':8} {'customers':>10} {'run s':>8} {'customers/s':>12} {'events/s':>12} {'estimate':>9} {'exact':>9} {'hallsim x':>10}")
for model, tool, n, s, speed, est, evs in rows:
    key = "Wq" if model == "mmc" else "W"
    ours = next(r[4] for r in rows if r[0] == model and r[1] == "hallsim")
    print(f"{model:6} {tool:8} {n:>10} {s:>8.3f} {speed:>12.0f} {evs:>12.0f} {est:>9.4f} {EXACT[model][key]:>9.4f} {ours / speed:>10.1f}")
