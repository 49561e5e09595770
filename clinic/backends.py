"""The sign-in backend: Django's, loading the person's own patient or doctor
record with them.

Every signed-in page reads the person (one query per request); their Patient
or Doctor row, which most pages need next, comes with it in the same query,
so ``request.user.patient`` / ``request.user.doctor`` cost nothing more.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PersonBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("patient", "doctor__department").get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
