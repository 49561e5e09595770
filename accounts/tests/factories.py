"""Factories that build people through the services, as the app does."""

import factory

from accounts.roles import Role
from accounts.services import user_create

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.Factory):
    """A person with a role (a bare user; patients and doctors have factories of their own)."""

    class Meta:
        model = dict

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = PASSWORD
    role = Role.PATIENT

    @classmethod
    def _create(cls, model_class, **kwargs):
        return user_create(**kwargs)

    _build = _create


class AdminFactory(UserFactory):
    email = factory.Sequence(lambda n: f"admin{n}@hms.example")
    role = Role.ADMIN


class ReceptionFactory(UserFactory):
    """A receptionist at the front desk."""

    email = factory.Sequence(lambda n: f"desk{n}@hms.example")
    role = Role.RECEPTION
