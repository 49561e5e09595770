"""The pages ``make screenshots`` photographs, in one list.

Each ``Shot`` is a page as one of the demo people sees it: who signs in
(a ``Role``), the address to open, and an optional step that brings the page
into the state worth showing (a slot chosen, the charts drawn). Every shot is
taken at two widths: a laptop (``<name>.png``) and a phone (``<name>-phone.png``).
To photograph a new page, append a ``Shot`` to ``SHOTS``.

The main pages are taken in Hindi too (``<name>-hi.png``, ``<name>-hi-phone.png``),
with the language cookie, after all the English ones (signing in with the
cookie keeps Hindi on the demo account). Steps find things by id and address,
never by their words, so one step serves both languages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.utils.text import slugify

from accounts.roles import Role
from clinic.demo import ADMIN_EMAIL, DOCTORS, PATIENTS, RECEPTION_EMAIL
from devtools.browser import choose_slot, drawn_charts, expect
from scheduling.demo import SCREENSHOT_DISPLAY

if TYPE_CHECKING:
    from playwright.sync_api import Page

# (suffix of the file name, viewport)
WIDTHS = [
    ("", {"width": 1366, "height": 900}),
    ("-phone", {"width": 390, "height": 844}),
]

# The demo doctor's department, as its booking link names it.
DEPARTMENT_SLUG = slugify(DOCTORS[0][3])

# The demo person who signs in for each role.
DEMO_EMAILS = {
    Role.ADMIN: ADMIN_EMAIL,
    Role.RECEPTION: RECEPTION_EMAIL,
    Role.DOCTOR: DOCTORS[0][0],
    Role.PATIENT: PATIENTS[0][0],
}


@dataclass(frozen=True)
class Shot:
    name: str
    role: Role
    url: str
    step: Callable[[Page], None] | None = None
    full_page: bool = False
    # A code of settings.LANGUAGES, set with the language cookie; "" is the default.
    language: str = ""


# What the demo patient types as the reason, in the page's language.
REASONS = {"hi": "सीढ़ियाँ चढ़ने पर साँस फूलती है"}


def _booking(page: Page) -> None:
    doctor_first, doctor_last, department = DOCTORS[0][1:4]
    page.locator("main a[href='/book/']").first.click()
    page.get_by_role("link", name=department, exact=True).click()
    card = page.locator(".card", has_text=f"{doctor_first} {doctor_last}")
    card.locator("a[href^='/book/']").first.click()
    expect(page.locator("#slot-picker")).to_be_visible()
    choose_slot(page, 0)
    page.wait_for_load_state("networkidle")  # the confirm panel swapped in by htmx
    language = page.locator("html").get_attribute("lang")
    page.locator("#confirm [name=reason]").fill(REASONS.get(language, "Short of breath on stairs"))
    page.locator("#confirm").scroll_into_view_if_needed()
    page.mouse.move(0, 0)  # no hover on the slot that scrolled under the pointer


def _charts(page: Page) -> None:
    drawn_charts(page)


def _prescription(page: Page) -> None:
    page.locator("a[href$='/prescription/']").first.click()
    page.wait_for_load_state("load")


SHOTS: list[Shot] = [
    Shot("patient-home", Role.PATIENT, "/patient/"),
    Shot("booking", Role.PATIENT, "/patient/", _booking),
    Shot("book-department", Role.PATIENT, f"/book/?department={DEPARTMENT_SLUG}"),
    Shot("prescription", Role.PATIENT, "/history/", _prescription, full_page=True),
    Shot("doctor-home", Role.DOCTOR, "/doctor/"),
    Shot("appointments", Role.ADMIN, "/appointments/"),
    Shot("manage-patients", Role.ADMIN, "/manage/patients/"),
    Shot("admin-dashboard", Role.ADMIN, "/hospital/", _charts, full_page=True),  # all charts
    # Today's visits, some checked in, come from scheduling.demo.seed_front_desk_day.
    Shot("reception-home", Role.RECEPTION, "/desk/", full_page=True),
    Shot("waiting-room", Role.RECEPTION, f"/queue/display/{SCREENSHOT_DISPLAY}/", full_page=True),
]

# The main pages again in Hindi: the patient's home, the booking page with a
# slot chosen, the doctor's day, the admin dashboard and the front desk.
HINDI = ["patient-home", "booking", "doctor-home", "admin-dashboard", "reception-home"]
SHOTS += [
    replace(shot, name=f"{shot.name}-hi", language="hi") for shot in SHOTS if shot.name in HINDI
]
