"""LOG-05 (ASVS 16.2.5, 16.4.1, 14.2.1): what the log handlers write holds no full ID number, no
full mobile number and no password, whatever a test does.

``install()`` adds a last filter to every configured handler (after the scrubbing filter), which
formats each record as the handler will write it and keeps the lines that leak. tests/conftest.py
installs it for every test and fails the test whose requests produced such a line.
"""

from __future__ import annotations

import logging
import re

# As written, so bounded by anything that is not a letter or digit (request ids are hex).
FULL_ID = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
FULL_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")


def _passwords() -> list[str]:
    from django.conf import settings

    from factories import PASSWORD

    return [p for p in (settings.DEMO_PASSWORD, PASSWORD) if p]


def leaks_in(text: str) -> list[str]:
    found = FULL_ID.findall(text) + FULL_MOBILE.findall(text)
    found += ["<a password>" for password in _passwords() if password in text]
    return found


class LeakScan(logging.Filter):
    def __init__(self, handler: logging.Handler, found: list[str]):
        super().__init__()
        self.handler, self.found = handler, found

    def filter(self, record):
        try:
            line = self.handler.format(record)
        except (TypeError, ValueError):  # a broken log call is logging's own error to report
            return True
        if leaks_in(line):
            self.found.append(line)
        return True


def configured_handlers() -> set[logging.Handler]:
    """Handlers of the logging configuration (settings.LOGGING), not pytest's capturing ones."""
    handlers = set(logging.root.handlers)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        handlers |= set(getattr(logger, "handlers", ()))
    return {h for h in handlers if not type(h).__module__.startswith("_pytest")}


def install(found: list[str]) -> None:
    """Idempotent: a handler gets one scan, writing into ``found``."""
    for handler in configured_handlers():
        scans = [f for f in handler.filters if isinstance(f, LeakScan)]
        if not scans:
            handler.addFilter(LeakScan(handler, found))
        else:
            scans[0].found = found
