import logging

from jiedu.common.log_filters import PiiScrubFilter, scrub


def test_scrub_masks_id_numbers_and_mobiles_but_keeps_other_numbers():
    line = '"GET /residents/?q=15010219900102021X HTTP/1.1" 200 phone=13812345678 count=150102'
    assert scrub(line) == '"GET /residents/?q=150102********021X HTTP/1.1" 200 phone=138****5678 count=150102'


def test_filter_rewrites_the_record_before_any_handler_writes_it():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, "%s %s", ("q=150102199001020218", 200), None)
    PiiScrubFilter().filter(record)
    assert record.getMessage() == "q=150102********0218 200"


def test_the_configured_access_log_is_scrubbed():
    handler = logging.getLogger("django.server").handlers[0]
    assert any(isinstance(f, PiiScrubFilter) for f in handler.filters)
