"""Daily staff reports under load from wrk, against the hello-world view served the same way.

wrk runs a Lua script that posts one report per request, each for a different (staff member,
day) pair of staff on leave with no report yet, so every request is a real submission that the
service accepts. The hello-world view gets the same requests (headers, token, body) on the same
gunicorn. Only answers 201 count as done.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

REPORT_PATH = "/api/v1/daily-reports/"
HELLO_PATH = "/bench/hello/"

LUA = """
local staff = {%(staff)s}
local days = {%(days)s}
local threads = %(threads)d
local counter = 0
local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

request = function()
  local n = counter * threads + thread_id
  counter = counter + 1
  local member = staff[(n %% #staff) + 1]
  local day = days[(math.floor(n / #staff) %% #days) + 1]
  local body = string.format(
    '{"staff": %%d, "day": "%%s", "places_visited": "居家，未外出", "temperature_c": "36.5", "health_code": "green"}',
    member, day)
  return wrk.format("POST", "%(path)s", {
    ["Authorization"] = "Token %(token)s",
    ["Content-Type"] = "application/json",
  }, body)
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(base: str, path: str, setup: dict, *, seconds: int, threads: int, connections: int) -> dict:
    script = LUA % {
        "staff": ", ".join(map(str, setup["staff"])), "days": ", ".join(f'"{d}"' for d in setup["days"]),
        "threads": threads, "path": path, "token": setup["token"],
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "post.lua"
        lua.write_text(script, encoding="utf-8")
        completed = subprocess.run(  # noqa: S603  (wrk from PATH, fixed arguments)
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(lua), base + path],  # noqa: S607
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    return parse_wrk(completed.stdout)


def parse_wrk(output: str) -> dict:
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    seconds = _seconds(re.search(r"requests in ([\d.]+\w+),", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    failed = int(bad.group(1)) if bad else 0
    latency = {f"p{p}": _millis(v) for p, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, re.M)}
    return {
        "requests": requests, "failed": failed, "seconds": seconds,
        "requests_per_second": (requests - failed) / seconds, "latency": latency,
        "socket_errors": errors.group(1).strip() if errors else "",
    }  # fmt: skip


def _seconds(text: str) -> float:
    value, unit = float(re.match(r"[\d.]+", text).group()), re.sub(r"[\d.]+", "", text)
    return value * {"ms": 0.001, "s": 1, "m": 60}[unit]


def _millis(text: str) -> float:
    value, unit = float(re.match(r"[\d.]+", text).group()), re.sub(r"[\d.]+", "", text)
    return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]
