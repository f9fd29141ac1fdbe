"""The machine a benchmark ran on, for the report."""

from __future__ import annotations

import datetime
import os
import platform
from importlib.metadata import version
from pathlib import Path

import psycopg


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def load_average() -> str:
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def describe(server_url: str, *, workers: int) -> dict:
    with psycopg.connect(server_url) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "CPU": _cpu_model(),
        "Cores": str(os.cpu_count()),
        "Memory": _memory_gib(),
        "Operating system": f"{platform.system()} {platform.release()}",
        "PostgreSQL": postgres,
        "Python": platform.python_version(),
        "Django": version("django"),
        "gunicorn": f"{version('gunicorn')}, {workers} sync workers",
        "wrk": "yes" if os.path.exists("/usr/bin/wrk") else "from PATH",
        "Date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Load average at start (1/5/15 min)": load_average(),
    }
