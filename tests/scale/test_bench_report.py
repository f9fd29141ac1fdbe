"""The benchmark report's pieces that need no database: wrk's output, percentiles, Markdown, JUnit."""

from xml.etree import ElementTree as ET

from jiedu.scale.bench.report import Figure, junit, markdown
from jiedu.scale.bench.reports_load import parse_wrk
from jiedu.scale.bench.timing import percentile, summary_ms

WRK = """Running 10s test @ http://127.0.0.1:8000/bench/hello/
  2 threads and 8 connections
  Latency Distribution
     50%    2.80ms
     75%    5.10ms
     90%   14.80ms
     99%  122.00ms
  14870 requests in 10.02s, 4.10MB read
  Non-2xx or 3xx responses: 70
Requests/sec:   1484.03
"""


def test_wrk_output_counts_only_successful_requests():
    result = parse_wrk(WRK)
    assert result["requests"] == 14870 and result["failed"] == 70
    assert round(result["requests_per_second"]) == round(14800 / 10.02)
    assert result["latency"] == {"p50": 2.8, "p90": 14.8, "p99": 122.0}


def test_percentiles_are_nearest_rank():
    samples = [n / 1000 for n in range(1, 101)]  # 1..100 ms
    assert percentile(samples, 95) == 0.095
    assert summary_ms(samples)["p99"] == 99.0


def test_the_report_names_each_missed_goal_and_junit_fails_only_what_could_not_run(tmp_path):
    missed = Figure("ingest", "Round ingest", "≥ 20,000 readings/s", result="900 readings/s", met=False,
                    shortfall="0.05 of the goal; Python takes most of the time.")  # fmt: skip
    met = Figure("overdue", "Overdue list", "p95 ≤ 50 ms", result="p95 12 ms", met=True)
    broken = Figure(
        "staff-report", "Daily reports", "≥ 0.5 of hello", error="RuntimeError: wrk is not installed"
    )
    text = markdown(machine={"CPU": "test"}, phases=[("generate", 12.0)], figures=[missed, met, broken],
                    region=["- tiny"], smoke=False, notes=[])  # fmt: skip
    assert "| Round ingest | 900 readings/s | — | ≥ 20,000 readings/s | **no** |" in text
    assert "**Goal missed.** 0.05 of the goal" in text
    assert "could not run" in text
    junit([missed, met, broken], tmp_path / "bench.xml")
    suite = ET.parse(tmp_path / "bench.xml").getroot()  # noqa: S314  (the file this test just wrote)
    failed = [case.get("name") for case in suite if case.find("failure") is not None]
    assert suite.get("tests") == "3" and failed == ["staff-report"]
