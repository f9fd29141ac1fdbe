"""Logging filters: request id on every line, and no personal identifier ever written out.

Query strings reach the access log (a full-ID search is a GET), so every record is scrubbed:
anything shaped like an ID number or a mainland mobile number is masked before it is written.
"""

import logging
import re

from jiedu.common import request_context
from jiedu.common.masking import mask_id_number, mask_phone

# 18-character ID numbers (also URL-encoded full-width digits are not decoded here: they are not
# digits to a reader either), and 11-digit mobiles, not inside longer digit runs.
_ID_PATTERN = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_PATTERN = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def scrub(text: str) -> str:
    text = _ID_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE_PATTERN.sub(lambda m: mask_phone(m.group(0)), text)


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
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
