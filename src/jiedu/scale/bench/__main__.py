"""``python -m jiedu.scale.bench [--junit PATH] [--keep] [--days N]``: every benchmark, one report.

Creates its own PostgreSQL databases (jiedu_bench_*), fills them with generate-scale, measures,
writes docs/performance.md (var/bench/performance.md with BENCH_SMOKE=1) and drops the databases
unless --keep. A benchmark that cannot run is reported as such and the others still run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from jiedu.scale.bench import databases, figures, machine, server
from jiedu.scale.bench.config import config
from jiedu.scale.bench.report import junit, markdown

ROOT = Path(__file__).resolve().parents[4]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jiedu.scale.bench")
    parser.add_argument("--junit", type=Path, help="also write JUnit XML here (one testcase per benchmark)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--days", type=int, help="days of history of the main region (default 365)")
    parser.add_argument("--output", type=Path, help="where to write the report")
    args = parser.parse_args(argv)
    cfg = config(smoke=os.environ.get("BENCH_SMOKE") == "1", days=args.days)
    output = args.output or (ROOT / ("var/bench/performance.md" if cfg.smoke else "docs/performance.md"))
    run = figures.Run(cfg, keep=args.keep)
    about = machine.describe(databases.url_for("postgres"), workers=server.workers())
    try:
        run.all()
    finally:
        if not args.keep:
            for name in run.created:
                databases.drop(name)
    about["Load average at end (1/5/15 min)"] = machine.load_average()
    text = markdown(machine=about, phases=run.phases, figures=run.figures, region=run.region_lines(),
                    smoke=cfg.smoke, notes=run.notes())  # fmt: skip
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {output}\n")
    if args.junit:
        junit(run.figures, args.junit)
    (ROOT / "var/bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "var/bench/last-run.json").write_text(
        json.dumps(run.raw, indent=1, default=str), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    started = time.monotonic()
    status = main()
    sys.stderr.write(f"bench finished in {time.monotonic() - started:.0f} s\n")
    sys.exit(status)
