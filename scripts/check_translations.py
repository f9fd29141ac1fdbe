#!/usr/bin/env python
"""Check the zh_Hans catalogue without gettext installed; optionally rebuild the .mo from the .po.

    .venv/bin/python scripts/check_translations.py            # report untranslated, fuzzy, stale .mo
    .venv/bin/python scripts/check_translations.py --compile  # write django.mo with polib (no msgfmt)

Prefer ``django-admin compilemessages`` where gettext is installed; ``--compile`` is for machines
without it. The full checks (placeholders, every marked source string present) are in
tests/test_translations.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "jiedu" / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"


def catalogue(entries) -> dict:
    result = {}
    for e in entries:
        if e.msgid == "" or e.obsolete or "fuzzy" in e.flags:
            continue
        value = tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural)) if e.msgid_plural else e.msgstr
        result[(e.msgctxt, e.msgid)] = value
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compile", action="store_true", help="write django.mo from django.po with polib")
    args = parser.parse_args()

    po = polib.pofile(str(PO_PATH))
    live = [e for e in po if not e.obsolete and e.msgid != ""]
    untranslated = [e.msgid for e in live if not e.translated() and "fuzzy" not in e.flags]
    fuzzy = [e.msgid for e in live if "fuzzy" in e.flags]
    if args.compile:
        po.save_as_mofile(str(MO_PATH))
        print(f"wrote {MO_PATH.relative_to(Path.cwd()) if MO_PATH.is_relative_to(Path.cwd()) else MO_PATH}")
    stale = not MO_PATH.exists() or catalogue(polib.mofile(str(MO_PATH))) != catalogue(po)

    print(f"{len(live)} entries, {len(live) - len(untranslated) - len(fuzzy)} translated")
    for msgid in untranslated:
        print(f"untranslated: {msgid!r}")
    for msgid in fuzzy:
        print(f"fuzzy: {msgid!r}")
    if stale:
        print("django.mo is missing or out of date: run compilemessages (or this script with --compile)")
    return 1 if untranslated or fuzzy or stale else 0


if __name__ == "__main__":
    sys.exit(main())
