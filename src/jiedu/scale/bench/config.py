"""The two sizes of a benchmark run: the real one and the CI smoke run (BENCH_SMOKE=1)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class BenchConfig:
    days: int = 365
    facilities: int = 10
    residents: int = 600
    staff: int = 300
    large_facility: int = 800  # the overdue list is timed for an 800-resident facility
    # History growth: the same region shape with fewer residents, at `days` and ten times `days`.
    growth_facilities: int = 10
    growth_residents: int = 50
    growth_staff: int = 25
    round_size: int = 500
    ingest_seconds: int = 20
    ingest_threads: int = 4
    runs: int = 50
    wrk_seconds: int = 10
    wrk_threads: int = 2
    wrk_connections: int = 8
    report_staff: int = 500
    report_days: int = 60
    smoke: bool = False


SMOKE = BenchConfig(
    days=3, facilities=2, residents=30, staff=10, large_facility=0, growth_facilities=2, growth_residents=30,
    growth_staff=10, ingest_seconds=2, ingest_threads=2, runs=5, wrk_seconds=2, wrk_connections=4,
    report_staff=40, report_days=10, smoke=True,
)  # fmt: skip


def config(*, smoke: bool, days: int | None) -> BenchConfig:
    chosen = SMOKE if smoke else BenchConfig()
    return replace(chosen, days=days) if days else chosen
