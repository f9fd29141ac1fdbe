"""The benchmark results as docs/performance.md (Markdown) and as JUnit XML for CI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET


@dataclass
class Figure:
    key: str
    title: str
    goal: str
    method: str = ""
    result: str = "—"
    reference: str = "—"
    met: bool | None = None
    detail: list[str] = field(default_factory=list)
    shortfall: str = ""  # by how much a goal was missed and what limits it
    error: str = ""
    seconds: float = 0.0

    @property
    def verdict(self) -> str:
        if self.error:
            return "could not run"
        return {True: "yes", False: "**no**", None: "—"}[self.met]


def markdown(*, machine: dict, phases: list[tuple[str, float]], figures: list[Figure], region: list[str],
             smoke: bool, notes: list[str]) -> str:  # fmt: skip
    lines = ["# Performance", ""]
    if smoke:
        lines += ["*Smoke run (BENCH_SMOKE=1): a tiny region, every benchmark once; the figures say nothing "
                  "about the goals.*", ""]  # fmt: skip
    lines += [
        "Written by `make bench` (`python -m jiedu.scale.bench`). Each figure is measured side by side with "
        "its reference in the same run, on the same machine and database server.", "",
        "## Machine", "", "| | |", "|---|---|",
    ]  # fmt: skip
    lines += [f"| {k} | {v} |" for k, v in machine.items()]
    lines += [
        "",
        *notes,
        "",
        "## Results",
        "",
        "| Figure | Result | Reference | Goal | Met? |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {f.title} | {f.result} | {f.reference} | {f.goal} | {f.verdict} |" for f in figures]
    lines += ["", "## Regions", "", *region, "", "## Method and details", ""]
    for f in figures:
        lines += [f"### {f.title}", "", f.method, ""]
        lines += [f"- {d}" for d in f.detail]
        if f.error:
            lines += [f"- Could not run: `{f.error}`"]
        if f.met is False and f.shortfall:
            lines += ["", f"**Goal missed.** {f.shortfall}"]
        lines += [""]
    lines += ["## Phases", "", "| Phase | Seconds |", "|---|---|"]
    lines += [f"| {name} | {seconds:.0f} |" for name, seconds in phases]
    return "\n".join(lines) + "\n"


def junit(figures: list[Figure], path: Path) -> None:
    """One testcase per benchmark; failed only when the benchmark could not run, never for a missed goal."""
    suite = ET.Element("testsuite", name="bench", tests=str(len(figures)),
                       failures=str(sum(1 for f in figures if f.error)))  # fmt: skip
    for f in figures:
        case = ET.SubElement(suite, "testcase", classname="bench", name=f.key, time=f"{f.seconds:.1f}")
        if f.error:
            ET.SubElement(case, "failure", message=f.error[:500]).text = f.error
        else:
            ET.SubElement(
                case, "system-out"
            ).text = f"{f.result} (reference {f.reference}); goal {f.goal}: {f.verdict}"
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
