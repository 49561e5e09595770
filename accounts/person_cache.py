"""The signed-in person, kept in the cache beside their session.

Every signed-in request reads its person: the account with their patient or
doctor row (clinic.backends.PersonBackend). Building that from the database
costs more ORM work than the rest of a trivial page, on every page. So the
loaded person is kept in the cache, stamped with a version of their own.

Any change to the person (their account, their patient or doctor row, their
department, their groups) drops the kept copy at once and sets a new version
once it commits (``person_changed``; the receivers are in accounts.signals and
clinic.signals). A reader takes the version before it reads the rows, so a
copy built from rows read before a change committed is stamped with the old
version and never read after it: a deactivated account, a new password or a
new role takes effect on the next request. With the cache down nothing is
kept and every request reads the database, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import get_random_string

# A person's version outlives any copy kept under it.
_VERSION_SECONDS = 7 * 24 * 3600


def _version_key(user_id: Any) -> str:
    return f"accounts:person:{user_id}:version"


def _person_key(user_id: Any) -> str:
    return f"accounts:person:{user_id}"


def kept_person(user_id: Any, *, shape: str, load: Callable[[], Any]) -> Any:
    """The person ``load()`` reads for ``user_id``, from the cache while they
    are unchanged. ``shape`` names what is kept (the models' fields), so a copy
    kept by an older release is not read by a newer one. ``None`` (no such
    active person) is never kept.
    """
    seconds = settings.HMS_PERSON_CACHE_SECONDS
    if not seconds:
        return load()
    version_key, person_key = _version_key(user_id), _person_key(user_id)
    found = cache.get_many([version_key, person_key])
    version = found.get(version_key)
    if version is None:
        # First read (or the version expired): start one before reading the
        # rows, so a change committed meanwhile still sets a newer one.
        cache.add(version_key, get_random_string(12), _VERSION_SECONDS)
        version = cache.get(version_key)
    stamp = (version, shape)
    kept = found.get(person_key)
    if version is not None and kept is not None and kept[0] == stamp:
        return kept[1]
    person = load()
    if version is not None and person is not None:
        cache.set(person_key, (stamp, person), seconds)
    return person


def person_changed(user_ids) -> None:
    """The people of ``user_ids`` changed: no kept copy of them is read again."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return
    # Now, for the rest of this transaction (and tests, which never commit) ...
    cache.delete_many([_person_key(user_id) for user_id in ids])

    def bump() -> None:
        # ... and a fresh version once it commits (never a counter: a version
        # that expired and was made again cannot come back to an old copy's).
        cache.set_many(
            {_version_key(user_id): get_random_string(12) for user_id in ids}, _VERSION_SECONDS
        )

    transaction.on_commit(bump)
