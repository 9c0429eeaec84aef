#!/usr/bin/env python3
"""How fast the engine could be without its statistics: the ratio bench
(`cargo bench --bench ratio`) on a copy of the committed code whose
recorder takes no note of queues, servers, calls, stages or completions
(each of those methods returns at once; the count of arrivals is kept, as
the bench checks the reference against it), then on the code as it is.

Both are the engine against the hand-tight reference loop by turns, so the
two ratios are comparable though the machine's load moves between them.
The first is an upper bound for any change that keeps the statistics.

Usage: python3 benches/ceiling.py [mmc|hall3]
Builds the copy in target/ceiling (a few minutes the first time).
"""
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDER = "src/stats/recorder.rs"
# What the engine tells the recorder as events happen, but for arrivals.
SILENCED = ["entered", "left", "site_arrival", "queue_change", "first_call", "busy_change", "stage_done",
            "case_completed"]


def silence(source):
    """`source` with each of SILENCED returning before its first statement."""
    for name in SILENCED:
        found = re.search(r"pub fn " + name + r"\b[^{]*\{", source)
        if found is None:
            sys.exit(f"{RECORDER} has no `pub fn {name}`: update SILENCED")
        at = found.end()
        source = source[:at] + "\n        if std::hint::black_box(true) { return; }\n" + source[at:]
    return source


def ratio_bench(cwd, target_dir, only):
    env = dict(os.environ, **({"CARGO_TARGET_DIR": str(target_dir)} if target_dir else {}))
    run = subprocess.run(["cargo", "bench", "--bench", "ratio", "--", *only], cwd=cwd, env=env, check=True,
                         capture_output=True, text=True)
    return [line for line in run.stdout.splitlines() if " events, " in line]


def main():
    only = [a for a in sys.argv[1:] if not a.startswith("-")]
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, check=True, capture_output=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        tarfile.open(fileobj=BytesIO(archive)).extractall(tmp, filter="data")
        recorder = Path(tmp) / RECORDER
        recorder.write_text(silence(recorder.read_text()))
        print("without statistics (HEAD, recorder silenced):")
        for line in ratio_bench(tmp, ROOT / "target" / "ceiling", only):
            print("  " + line)
    print("as it is (working tree):")
    for line in ratio_bench(ROOT, None, only):
        print("  " + line)


if __name__ == "__main__":
    main()
