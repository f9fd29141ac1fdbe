"""Settings of the benchmark server: the project's own, with the bench URLconf and DEBUG off.

Everything else (middleware, authentication, throttles, database options) stays as the project
has it, so the hello-world reference pays exactly what a real request pays around its view.
"""

from jiedu.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "jiedu.scale.bench.urls"
# Static files are not collected for the benchmarks: plain URLs instead of the hashed manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
