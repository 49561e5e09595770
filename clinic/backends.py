"""The sign-in backend: Django's, loading the person's own patient or doctor
record with them.

Every signed-in page reads the person; their Patient or Doctor row, which
most pages need next, comes with them in the same query, so
``request.user.patient`` / ``request.user.doctor`` cost nothing more. The
loaded person is kept in the cache until they change (accounts.person_cache),
so a signed-in page usually reads them with no query at all.
"""

from __future__ import annotations

import zlib
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.person_cache import kept_person
from clinic.models import Department, Doctor, Patient


@cache
def _shape() -> str:
    """The fields of what is kept: another release's copies do not match."""
    models = (get_user_model(), Patient, Doctor, Department)
    names = ",".join(f.attname for model in models for f in model._meta.concrete_fields)
    return f"{zlib.crc32(names.encode()):08x}"


class PersonBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()

        def load():
            try:
                user = User._default_manager.select_related("patient", "doctor__department").get(
                    pk=user_id
                )
            except User.DoesNotExist:
                return None
            return user if self.user_can_authenticate(user) else None

        return kept_person(user_id, shape=_shape(), load=load)
