#!/usr/bin/env python3
"""The instruction-count guard: the engine's instructions per event on three
models, counted by callgrind (the same count whatever else the machine does),
against the counts recorded in benches/instructions.toml.

Usage: python3 benches/instructions.py [--record | --breakdown]
(--breakdown: each model's instructions per event by part of the engine)
Needs valgrind (Debian package `valgrind`). Fails (exit 1) when a model's
count per event is more than 3% above the recorded one. A change that costs
instructions on purpose records the new counts in the same commit:
`python3 benches/instructions.py --record`.
"""
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDED = ROOT / "benches" / "instructions.toml"
MODELS = ["mmc", "hall3", "municipal"]
# The hand-tight loop on the same systems: the engine's floor, for the ratio.
REFERENCES = ["reference-mmc", "reference-hall3"]
TOLERANCE = 0.03


def bench_binary():
    out = subprocess.run(["cargo", "bench", "--bench", "instructions", "--no-run", "--message-format=json"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "instructions" and msg["executable"]:
            return msg["executable"]
    sys.exit("no instructions bench binary was built")


def count(binary, model, out="/dev/null"):
    """(instructions inside the measured replication, events it handled);
    callgrind's profile goes to `out`."""
    run = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                          "--toggle-collect=instructions::measured", binary, model],
                         check=True, capture_output=True, text=True)
    events = int(re.search(r"events=(\d+)", run.stdout).group(1))
    collected = int(re.search(r"Collected : (\d+)", run.stderr).group(1))
    return collected, events


# Where an instruction is counted, by the source file its line comes from
# (inlined code keeps its own file), first match wins; a line of the
# standard library (indexing, f64 min/max, VecDeque) is counted with the
# engine function it was inlined into (INLINED_INTO).
PARTS = [
    ("calendar (event heap)", ("engine/calendar.rs", "binary_heap")),
    ("random draws", ("src/rng.rs", "src/dist.rs", "rand_distr", "rand-", "libm")),
    ("statistics recorded per event", ("stats/recorder.rs", "stats/histogram.rs")),
    ("arrivals", ("engine/arrivals.rs",)),
    ("person drawn on arrival", ("engine/person.rs",)),
    ("calling and service", ("engine/service.rs", "vec_deque")),
    ("practices", ("engine/practices.rs",)),
    ("duty changes", ("engine/duty.rs",)),
    ("event loop, settling visits and cases", ("engine/sim.rs",)),
]
INLINED_INTO = [
    ("calendar (event heap)", ("Calendar",)),
    ("statistics recorded per event", ("Recorder", "stats::")),
    ("arrivals", ("engine::arrivals",)),
    ("person drawn on arrival", ("engine::person",)),
    ("calling and service", ("engine::service",)),
    ("practices", ("engine::practices",)),
    ("duty changes", ("engine::duty",)),
    ("event loop, settling visits and cases", ("engine::sim",)),
]


def breakdown(binary, model):
    """Instructions per event of `model` by part of the engine."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        _, events = count(binary, model, out)
        text = subprocess.run(["callgrind_annotate", "--auto=no", "--inclusive=no", "--threshold=100", str(out)],
                              check=True, capture_output=True, text=True).stdout
    parts = {name: 0 for name, _ in PARTS}
    parts["other"] = 0
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([\s\d.]+%\)\s+(\S+?):(\S+)", line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        n, file, function = int(m.group(1).replace(",", "")), m.group(2), m.group(3)
        name = next((name for name, keys in PARTS if any(k in file for k in keys)), None)
        if name is None:
            name = next((name for name, keys in INLINED_INTO if any(k in function for k in keys)), "other")
        parts[name] += n
    total = sum(parts.values())
    print(f"{model}: {total / events:.0f} instructions per event")
    for name, n in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {n / events:6.0f}  {n / total:5.1%}  {name}")


def main():
    if "--breakdown" in sys.argv:
        binary = bench_binary()
        for model in MODELS:
            breakdown(binary, model)
        return
    record = "--record" in sys.argv
    binary = bench_binary()
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    recorded = tomllib.loads(RECORDED.read_text()) if RECORDED.exists() else {}
    failed = False
    rows = []
    counts = {}
    for model in MODELS + REFERENCES:
        total, events = count(binary, model)
        counts[model] = total / events
        per_event = total / events
        rows.append((model, total, events, per_event))
        old = recorded.get(model, {}).get("per_event")
        if old is None:
            verdict = "not recorded"
        else:
            change = per_event / old - 1
            verdict = f"{change:+.2%} against {old:.1f} recorded"
            if change > TOLERANCE and not record and model in MODELS:
                verdict += f": more than {TOLERANCE:.0%} above"
                failed = True
        print(f"{model:16} {per_event:8.1f} instructions per event ({total} over {events} events), {verdict}")
    for reference in REFERENCES:
        model = reference.removeprefix("reference-")
        print(f"{model}: the reference loop takes {counts[reference] / counts[model]:.2f}x the engine's instructions")
    if record:
        lines = ["# Instructions per event of one replication, counted by callgrind inside",
                 "# `measured` of benches/instructions.rs; `python3 benches/instructions.py`",
                 "# fails when a count grows more than 3% above these. Record with --record.",
                 f'rustc = "{rustc}"', ""]
        for model, total, events, per_event in rows:
            lines += [f"[{model}]", f"instructions = {total}", f"events = {events}", f"per_event = {per_event:.1f}", ""]
        RECORDED.write_text("\n".join(lines))
        print(f"recorded in {RECORDED.relative_to(ROOT)}")
    elif recorded.get("rustc") not in (None, rustc):
        print(f"note: counts were recorded with {recorded['rustc']}, this is {rustc}")
    if failed:
        sys.exit("instruction count grew: find the cause, or record the new counts with --record in the same commit")


if __name__ == "__main__":
    main()
