#!/usr/bin/env python3
"""hallsim beside SimPy and Ciw on the two benchmark systems, in one run.

Usage: python3 benches/peers.py [--scale F]
Needs `python3 -m pip install simpy ciw` and a release build
(`cargo build --release`). The peer models are this repository's own
(benches/peers/). Each tool is timed on its simulation alone: the peers
print `run_s`; hallsim prints the seconds of its replications. hallsim runs
the benchmark files as written (a million and half a million arrivals, about
0.1 s each, where a shared machine's noise is large, so the best of 5 runs);
each peer runs once on fewer customers, sized to take a few seconds
(--scale multiplies those sizes). Events are arrivals plus service ends,
counted alike by all three; the ratio is hallsim's events per second over
the peer's.
"""
import json
import math
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "benches" / "peers"
HALLSIM = ROOT / "target" / "release" / "hallsim"
SCALE = float(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1.0
sys.path.insert(0, str(PEERS))
from systems import SYSTEMS  # noqa: E402

# Customers each peer simulates (before --scale): a few seconds each.
SIZES = {("simpy", "mmc"): 200_000, ("simpy", "hall"): 100_000, ("ciw", "mmc"): 100_000, ("ciw", "hall"): 50_000}
# The figure each tool estimates, and its key in hallsim's summary.json.
FIGURES = {"mmc": ("Wq", "wait_mean"), "hall": ("W", "time_in_system_mean")}


def erlang_c(c, a):
    """Probability of waiting in M/M/c with offered load a (Erlang B, then C)."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1 - b))


def mean_wait(c, rate, mean):
    return erlang_c(c, rate * mean) * mean / (c - rate * mean)


def exact(model):
    rate, stations = SYSTEMS[model]
    if model == "mmc":
        (c, mean), = stations
        return mean_wait(c, rate, mean)
    # A Jackson network: the sum of the stations' sojourn times.
    return sum(mean_wait(c, rate, mean) + mean for c, mean in stations)


def peer(tool, model, n):
    out = subprocess.run([sys.executable, str(PEERS / f"{tool}_peer.py"), model, str(n), "12345"],
                         check=True, capture_output=True, text=True, cwd=PEERS).stdout
    return {k: float(v) for k, v in (f.split("=", 1) for f in out.split())}


def hallsim(model, tries=5):
    scenario = ROOT / "scenarios" / "benchmark" / f"{model}.toml"
    best = math.inf
    for _ in range(tries):
        with tempfile.TemporaryDirectory() as out:
            text = subprocess.run([str(HALLSIM), "run", str(scenario), "-j", "1", "-o", out, "--no-charts"],
                                  check=True, capture_output=True, text=True).stdout
            best = min(best, float(re.search(r"seed \d+, ([0-9.]+) s on", text).group(1)))
            summary = json.load(open(next(Path(out).glob("*/summary.json"))))
    kpis = {k["key"]: k["mean"] for k in summary["kpis"]}
    return best, kpis[FIGURES[model][1]], summary["events"]


def main():
    rows = []
    for model in ["mmc", "hall"]:
        secs, estimate, events = hallsim(model)
        rows.append((model, "hallsim", events, secs, estimate))
        for tool in ["simpy", "ciw"]:
            f = peer(tool, model, max(1000, int(SIZES[tool, model] * SCALE)))
            rows.append((model, tool, int(f["events"]), f["run_s"], f[FIGURES[model][0]]))
    print(f"{'model':6} {'tool':8} {'events':>10} {'run s':>8} {'events/s':>12} "
          f"{'estimate':>9} {'exact':>9} {'hallsim x':>10}")
    for model, tool, events, secs, estimate in rows:
        ours = next(r[2] / r[3] for r in rows if r[0] == model and r[1] == "hallsim")
        speed = events / secs
        print(f"{model:6} {tool:8} {events:>10} {secs:>8.3f} {speed:>12.0f} "
              f"{estimate:>9.4f} {exact(model):>9.4f} {ours / speed:>10.1f}")


if __name__ == "__main__":
    main()
