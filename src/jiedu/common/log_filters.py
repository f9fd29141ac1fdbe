"""Logging filters: request id on every line, and no personal identifier ever written out.

Query strings reach the access log (a full-ID search is a GET), so every record is scrubbed:
anything shaped like an ID number or a mainland mobile number is masked before it is written.
Control characters in a message (a username typed with a newline or an ANSI colour code) are
escaped, so one record is one line and nobody forges a second one (log injection, ASVS 16.4.1).
"""

import logging
import re

from jiedu.common import request_context
from jiedu.common.masking import mask_id_number, mask_phone

# 18-character ID numbers (also URL-encoded full-width digits are not decoded here: they are not
# digits to a reader either), and 11-digit mobiles, not inside longer digit runs.
_ID_PATTERN = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_PATTERN = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL_PATTERN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def scrub(text: str) -> str:
    text = _ID_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE_PATTERN.sub(lambda m: mask_phone(m.group(0)), text)


def escape_controls(text: str) -> str:
    r"""A newline or ESC becomes the text ``\n`` or ``\x1b``: printable, and on one line."""

    def escaped(match):
        char = match.group(0)
        return _NAMED_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) <= 0xFF else f"\\u{ord(char):04x}")

    return _CONTROL_PATTERN.sub(escaped, text)


class RequestContextLogFilter(logging.Filter):
    def filter(self, record):
        ctx = request_context.current()
        record.request_id = ctx.request_id if ctx else "-"
        return True


class PiiScrubFilter(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken log call must not break the request
            return True
        cleaned = escape_controls(scrub(message))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
