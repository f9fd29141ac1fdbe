"""A real gunicorn on 127.0.0.1 for the fault drills, and a small HTTP client for it.

The server runs in its own process group, so a drill can kill -9 the master and its workers at
once. Its log goes to a file, quoted in a failing drill's message.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jiedu.scale.bench.server import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
START_TIMEOUT_S = 90
REQUEST_TIMEOUT_S = 40  # above gunicorn's --timeout 30: a stuck worker is killed before the client gives up


def database_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@dataclass
class Server:
    """gunicorn jiedu.wsgi with two workers against ``settings_dict``'s database."""

    settings_dict: dict
    workdir: Path
    process: subprocess.Popen | None = None
    port: int = 0
    starts: int = 0
    logs: list[Path] = field(default_factory=list)

    def start(self) -> None:
        self.port = free_port()
        self.starts += 1
        log_path = self.workdir / f"gunicorn-{self.starts}.log"
        self.logs.append(log_path)
        env = dict(os.environ)  # the same keys as the test process, which seeds the data
        env.update(
            DATABASE_URL=database_url(self.settings_dict),  # the password, if any, in the environment only
            DJANGO_DEBUG="False", JIEDU_ENV="development", JIEDU_LOG_LEVEL="WARNING",
            JIEDU_EVIDENCE_ROOT=str(self.workdir / "evidence"),
        )  # fmt: skip
        command = [
            str(GUNICORN), "jiedu.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "2", "--timeout", "30",
        ]  # fmt: skip
        with log_path.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited early (status {self.process.returncode})\n{self.log_tail()}")
            if request(self.port, "GET", "/healthz", timeout=2).status == 200:
                return
            time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer within {START_TIMEOUT_S} s\n{self.log_tail()}")

    def workers(self) -> set[int]:
        return _children(self.process.pid)

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once (the whole process group)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def log_tail(self, lines: int = 60) -> str:
        text = "\n".join(path.read_text(errors="replace") for path in self.logs if path.exists())
        return "gunicorn log:\n" + "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer at all (refused, reset, closed)
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def request(port: int, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None,
            timeout: float = REQUEST_TIMEOUT_S) -> Answer:  # fmt: skip
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    except (OSError, http.client.HTTPException):  # refused, reset, remote closed, timed out
        return Answer(None, {}, b"")
    finally:
        conn.close()
