"""Compile the committed translations (locale/<lang>/LC_MESSAGES/django.po) to
the .mo files Django reads, with Babel: no system gettext needed, so `make run`
and `make test` work on a machine that has only Python.

Run as ``python -m hms.translations``; the test suite's conftest calls
``compile_catalogs()`` too, so a bare ``pytest`` never reads a stale catalogue.
Fuzzy entries are left out (Django shows the English until someone checks them).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write each django.mo that is missing or older than its django.po;
    return the ones written."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
