"""Settings for the API fuzz run (scripts/fuzz_api.py): the project's own settings, run as production
runs them (DEBUG off), on the throw-away database that DATABASE_URL names.

Only what a throw-away server on 127.0.0.1 needs differs: static files without a collectstatic
manifest, and rate limits high enough that schemathesis' hundreds of searches a minute are tested
for what they return, not refused with 429 (the limits have their own tests in tests/web).
"""

from jiedu.settings import *  # noqa: F403

DEBUG = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
JIEDU_EXPORT_RATE = "100000/min"
JIEDU_SEARCH_RATE = "100000/min"
