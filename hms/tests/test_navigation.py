"""The role menus of the navigation, rendered once per role and language
(hms/templatetags/navigation.py): each role's own links, in its language,
and never anything of the person who happened to be first.
"""

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import AdminFactory, ReceptionFactory
from clinic.tests.factories import DoctorFactory, PatientFactory
from hms.templatetags.navigation import _Role

pytestmark = pytest.mark.django_db


def _menu(client: Client) -> str:
    text = client.get(reverse("clinic:department-list")).text
    start = text.index('<ul class="navbar-nav me-auto">')
    return text[start : text.index("</ul>", start)]


@pytest.mark.parametrize(
    ("make", "has", "lacks"),
    [
        (lambda: AdminFactory(), ["/hospital/", "/manage/doctors/"], ["/patient/"]),
        (lambda: ReceptionFactory(), ["/desk/"], ["/hospital/", "/patient/"]),
        (lambda: DoctorFactory().user, ["/doctor/", "/availability/"], ["/hospital/"]),
        (lambda: PatientFactory().user, ["/patient/", "/history/"], ["/hospital/", "/desk/"]),
    ],
)
def test_each_role_gets_its_own_menu_whoever_came_first(make, has, lacks):
    first, second = Client(), Client()
    first.force_login(make())
    second.force_login(make())  # the same role: the menu printed from memory

    for client in (first, second):
        menu = _menu(client)
        assert all(f'href="{link}' in menu for link in has), menu
        assert not any(f'href="{link}' in menu for link in lacks), menu


def test_the_menu_follows_the_pages_language(patient):
    client = Client()
    client.force_login(patient.user)
    english = _menu(client)
    client.post(reverse("set_language"), {"language": "hi", "next": "/"})

    hindi = _menu(client)

    assert "My appointments" in english
    assert "My appointments" not in hindi
    with translation.override("hi"):
        assert translation.gettext("My appointments") in hindi


def test_a_role_menu_never_sees_the_person(patient):
    """What the menus are rendered with knows the role only: a name or an
    e-mail written into a menu prints empty, not the first person's."""
    template = engines["django"].from_string(
        "[{{ user.email }}{{ user.get_full_name }}{{ user.pk }}{{ user.phone }}]"
        "{% if user.is_patient %}patient{% endif %}"
    )

    printed = template.render({"user": _Role.of(patient.user)})

    assert printed == "[]patient"
