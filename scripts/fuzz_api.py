#!/usr/bin/env python
"""API fuzzing (API-01): schemathesis against the OpenAPI schema of a throw-away server on 127.0.0.1.

    .venv/bin/python scripts/fuzz_api.py                    # what `make fuzz` and CI run
    .venv/bin/python scripts/fuzz_api.py --max-examples 50  # a longer local run

Steps: a fresh SQLite database in a temporary directory, migrated and seeded by scripts/fuzz_seed.py
(two facilities, an API token for a facility officer); `manage.py runserver` on a free port with
scripts/fuzz_settings.py (DEBUG off); then `schemathesis run` with every check on, `ignored_auth`
included. Exits with schemathesis' status; on failure the server log's tracebacks are printed.
The schemathesis run is bounded by --timeout (default 6 minutes; about 2.5 minutes with 8 workers).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"fuzz: the server exited early (status {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  (our own 127.0.0.1 server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"fuzz: {url} did not answer within {timeout:.0f} s")


def run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, text=True, **kwargs)  # noqa: S603


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=10, help="test cases per operation and phase")
    parser.add_argument("--timeout", type=int, default=360, help="seconds for the schemathesis run")
    parser.add_argument("--workers", type=int, default=8, help="concurrent schemathesis workers")
    parser.add_argument("--seed", type=int, default=20261124, help="fixed, so a CI failure can be replayed")
    parser.add_argument("--junit", help="write a JUnit XML report here (CI)")
    parser.add_argument("extra", nargs="*", help="more schemathesis options, after --")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="jiedu-fuzz-") as tmp:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="fuzz_settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "scripts"), env.get("PYTHONPATH")])),
            DATABASE_URL=f"sqlite:///{tmp}/fuzz.sqlite3",
            JIEDU_EVIDENCE_ROOT=f"{tmp}/evidence",
            JIEDU_ENV="development",
        )
        env.pop("DJANGO_DEBUG", None)
        print("== fuzz: migrating a throw-away database", flush=True)
        run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        seeded = subprocess.run(
            [sys.executable, "scripts/fuzz_seed.py"], env=env, cwd=ROOT, text=True, capture_output=True
        )
        if seeded.returncode != 0:
            raise SystemExit("fuzz: seeding failed\n" + seeded.stderr)
        token = seeded.stdout.strip().splitlines()[-1]

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # Kept after the run (var/ is not in git): the server's side of every failure.
        log_path = ROOT / "var" / "fuzz-server.log"
        log_path.parent.mkdir(exist_ok=True)
        with open(log_path, "w") as log:
            server = subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                wait_until_up(f"{base}/healthz", server)
                print(f"== fuzz: schemathesis against {base}/api/v1/schema/ ({args.max_examples} examples)", flush=True)
                command = [
                    str(BIN / "schemathesis"), "--config-file", str(ROOT / "scripts" / "schemathesis.toml"),
                    "run", f"{base}/api/v1/schema/",
                    "--checks", "all",
                    "--max-examples", str(args.max_examples),
                    "--header", f"Authorization: Token {token}",
                    "--workers", str(args.workers),
                    "--request-timeout", "20",
                    "--seed", str(args.seed),
                    "--no-color",
                ]  # fmt: skip
                if args.junit:
                    command += ["--report", "junit", "--report-junit-path", args.junit]
                command += args.extra
                hooks = {"SCHEMATHESIS_HOOKS": str(ROOT / "scripts" / "schemathesis_hooks.py")}
                try:
                    status = subprocess.run(  # noqa: S603
                        command, env={**env, **hooks}, cwd=ROOT, timeout=args.timeout
                    ).returncode
                except subprocess.TimeoutExpired:
                    print(f"fuzz: schemathesis did not finish within {args.timeout} s", flush=True)
                    status = 1
            finally:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
        server_log = log_path.read_text(errors="replace")
        if status != 0 or "Traceback" in server_log:
            print(f"== fuzz: server log {log_path.relative_to(ROOT)}", flush=True)
            for block in server_log.split("Internal Server Error")[1:6]:
                print("Internal Server Error" + block[:3000])
            status = status or 1
    print("fuzz: " + ("passed" if status == 0 else "FAILED"), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
