"""Drive HMS in a real browser: Playwright on the machine's own Chromium.

The browser journeys (``hms/tests/test_browser_journeys.py``), the
accessibility checks and ``make screenshots`` share these steps, one function
per thing a person does, so a new journey is a few calls in a row. Every step
waits for what the person would wait for (the next page, the swapped part of
the page) and leaves the page where the person would be.

Playwright's own browser download is never used (hospital networks are often
closed): Debian's ``chromium`` package is launched instead. Playwright is a
development dependency, so only tests and tools import this module, and even
they do not load Playwright until a step runs: the SQLite leg without
Chromium never imports it.
"""

from __future__ import annotations

import re
from base64 import b32decode
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from django_otp.oath import totp

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1200, "height": 900}
# What the accessibility checks refuse; "minor" and "moderate" are reported by
# axe but left to judgement.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


class BrowserThread:
    """One thread that owns Playwright: every Playwright call runs in it.

    The browser tests use it (see ``devtools/pytest_browser.py``) so the
    test's own thread never has Playwright's event loop in it.
    """

    def __enter__(self) -> BrowserThread:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        return self

    def __exit__(self, *exc) -> None:
        self._executor.shutdown(wait=True)

    def run(self, call, *args, **kwargs):
        """``call(*args, **kwargs)`` in the Playwright thread; its result here."""
        args, kwargs = _unwrap(args), _unwrap(kwargs)
        return self._executor.submit(call, *args, **kwargs).result()

    def wrap(self, value):
        """Playwright's objects (and lists of them) behind proxies; anything else as is."""
        if isinstance(value, list):
            return [self.wrap(item) for item in value]
        if type(value).__module__.startswith("playwright."):
            return InBrowserThread(value, self)
        return value


class InBrowserThread:
    """A Playwright object whose every method runs in its ``BrowserThread``."""

    def __init__(self, target, thread: BrowserThread) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_thread", thread)

    def __getattr__(self, name: str):
        thread = self._thread
        value = thread.run(getattr, self._target, name)
        if callable(value) and not type(value).__module__.startswith("playwright."):
            return lambda *args, **kwargs: thread.wrap(thread.run(value, *args, **kwargs))
        return thread.wrap(value)

    def __enter__(self):
        return self._thread.wrap(self._thread.run(self._target.__enter__))

    def __exit__(self, *exc):
        return self._thread.run(self._target.__exit__, *exc)

    def __repr__(self) -> str:
        return f"InBrowserThread({self._target!r})"


def _unwrap(value):
    if isinstance(value, InBrowserThread):
        return value._target
    if isinstance(value, tuple | list):
        return type(value)(_unwrap(item) for item in value)
    if isinstance(value, dict):
        return {key: _unwrap(item) for key, item in value.items()}
    return value


def expect(target, *args, **kwargs):
    """Playwright's ``expect``, imported when a step first waits for something,
    and run in the browser's thread when the page lives in one.
    """
    from playwright.sync_api import expect as playwright_expect

    if isinstance(target, InBrowserThread):
        thread = target._thread
        return thread.wrap(thread.run(playwright_expect, target, *args, **kwargs))
    return playwright_expect(target, *args, **kwargs)


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def new_page(browser: Browser, base_url: str, *, viewport: dict | None = None) -> Page:
    """A page in a fresh context (own cookies): one person at a time."""
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport or VIEWPORT,
        locale="en-GB",
        reduced_motion="reduce",
    )
    return context.new_page()


# Watching the page


@dataclass
class ConsoleWatch:
    """Errors the page reported: console errors, uncaught exceptions and
    Content Security Policy violations (Chromium reports those on the console).
    """

    errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)
        elif message.type == "error":
            self.errors.append(message.text)

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(str(error))


def watch_console(page: Page) -> ConsoleWatch:
    watch = ConsoleWatch()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    return watch


def mark_page(page: Page) -> None:
    """Tag the loaded document, so ``assert_same_page`` can tell that an htmx
    swap, not a full page load, changed what is shown.
    """
    page.evaluate("window.hmsSamePage = true")


def assert_same_page(page: Page) -> None:
    if not page.evaluate("window.hmsSamePage === true"):
        raise AssertionError("the page was reloaded, not swapped by htmx")


def serious_accessibility_problems(page: Page) -> list[str]:
    """axe-core's violations of impact serious or critical, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            problems.append(
                f"{violation['impact']} {violation['id']} ({violation['help']}): "
                f"{' '.join(node['target'])}: {node.get('failureSummary', '')}"
            )
    return problems


# Accounts


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in at /accounts/login/ and wait for the role's home."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def authenticator_code(key: bytes, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows now (or ``steps_ahead`` 30-second steps on)
    for the secret ``key``. A code works once per step, so the next sign-in after
    enrolling uses the next step's (django-otp accepts one step of drift)."""
    return f"{totp(key, step=30, digits=6, drift=steps_ahead):06d}"


def enrol_two_factor(page: Page) -> tuple[bytes, list[str]]:
    """Turn on two-factor sign-in at /accounts/two-factor/ by typing the key, as a
    person whose phone cannot scan would; returns the key and the recovery codes."""
    page.goto("/accounts/two-factor/")
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code").fill(authenticator_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("#recovery-codes")).to_be_visible()
    return key, page.locator("#recovery-codes li").all_inner_texts()


def sign_in_with_code(page: Page, email: str, password: str, code: str) -> None:
    """Sign in with the password, then the authenticator's (or a recovery) code."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def sign_out(page: Page) -> None:
    """Sign out from the menu under the person's name."""
    page.locator("#main-nav .dropdown-toggle").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def register_patient(
    page: Page, *, first_name: str, last_name: str, email: str, password: str, phone: str = ""
) -> None:
    """A patient signs themself up at /accounts/register/, is told to check their
    e-mail, signs in and lands on their home."""
    page.goto("/accounts/register/")
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Phone").fill(phone)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/accounts/register/sent/$"))
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    sign_in(page, email, password)
    expect(page).to_have_url(re.compile(r"/patient/$"))


def set_password_from_link(page: Page, link: str, password: str) -> None:
    """Open an invitation (or reset) link and choose the password."""
    page.goto(link)
    page.locator("#id_new_password1").fill(password)
    page.locator("#id_new_password2").fill(password)
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/complete/$"))


# Booking (patients)


def open_booking(page: Page, *, department: str, doctor: str) -> None:
    """Book → a department → the doctor's free slots."""
    page.goto("/patient/")
    page.get_by_role("link", name="Book an appointment").click()
    page.get_by_role("link", name=department, exact=True).click()
    card = page.locator(".card", has_text=doctor)
    card.get_by_role("link", name="See free slots").click()
    expect(page.locator("#slot-picker")).to_be_visible()


def choose_day(page: Page, index: int = -1) -> str:
    """Pick one of the day buttons (htmx swaps the slots in); returns its label."""
    # The group of day buttons, found by its role alone (its name is translated).
    days = page.locator("#slot-picker [role=group]").get_by_role("link")
    day = days.nth(index) if index >= 0 else days.nth(days.count() + index)
    # The button reads "Thu 26 Nov" followed by a badge with its number of slots.
    label = day.evaluate("a => a.firstChild.textContent.trim()")
    mark_page(page)
    day.click()
    expect(page.locator("#slot-picker [role=group] [aria-current=date]")).to_contain_text(label)
    assert_same_page(page)
    return label


def choose_slot(page: Page, index: int = 0) -> str:
    """Pick one of the day's free slots (htmx shows the confirm panel); returns its time."""
    slot = page.locator(".slot-grid a").nth(index)
    time = slot.inner_text().strip()
    mark_page(page)
    slot.click()
    expect(page.locator("#confirm")).to_contain_text(time)
    assert_same_page(page)
    return time


def book_first_free_slot(
    page: Page, *, department: str, doctor: str, reason: str = "", day_index: int = -1
) -> tuple[str, str]:
    """Book the first free slot of one day (the last day offered by default,
    well clear of the cut-off for changes); returns (day label, time).
    """
    open_booking(page, department=department, doctor=doctor)
    day = choose_day(page, day_index)
    time = choose_slot(page, 0)
    if reason:
        page.get_by_label("Reason for the visit").fill(reason)
    page.get_by_role("button", name="Confirm booking").click()
    expect(page).to_have_url(re.compile(r"/patient/$"))
    return day, time


def reschedule_upcoming(page: Page, *, day_index: int = -1, slot_index: int = 1) -> str:
    """Move the first upcoming appointment on the patient's home; returns the new time."""
    page.goto("/patient/")
    page.locator("#upcoming").get_by_role("link", name="Reschedule").first.click()
    choose_day(page, day_index)
    time = choose_slot(page, slot_index)
    page.get_by_role("button", name="Move to this time").click()
    expect(page.get_by_role("alert")).to_contain_text(f"at {time}")
    return time


def cancel_upcoming(page: Page, reason: str = "") -> None:
    """Cancel the first upcoming appointment on the patient's home, through the
    confirmation page.
    """
    page.goto("/patient/")
    page.locator("#upcoming").get_by_role("link", name="Cancel").first.click()
    expect(page.get_by_role("heading", name="Cancel this appointment?")).to_be_visible()
    if reason:
        page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Cancel the appointment").click()
    expect(page.get_by_role("alert")).to_contain_text("cancelled")


# Availability (doctors)


def add_weekly_hours(page: Page, *, weekday: str, start: str, end: str) -> None:
    """Add a block to the doctor's usual week at /availability/ (times as HH:MM)."""
    page.goto("/availability/")
    form = page.locator("#block-form")
    form.get_by_label("Weekday").select_option(label=weekday)
    form.get_by_label("From").fill(start)
    form.get_by_label("To").fill(end)
    form.get_by_role("button", name="Add hours").click()
    expect(page.get_by_role("alert")).to_contain_text("Weekly hours added")


def add_leave_day(page: Page, *, day: date, note: str = "") -> None:
    """Mark one day of leave at /availability/."""
    page.goto("/availability/")
    form = page.locator("#exception-form")
    form.get_by_label("Date").fill(day.isoformat())
    form.get_by_label("Kind").select_option(label="Leave")
    if note:
        form.get_by_label("Note").fill(note)
    form.get_by_role("button", name="Add exception").click()
    expect(page.get_by_role("alert").first).to_contain_text("Leave added")


# Administration


def create_doctor(
    page: Page,
    *,
    first_name: str,
    last_name: str,
    email: str,
    department: str,
    specialization: str,
    experience_years: int = 5,
) -> None:
    """An admin creates a doctor at /manage/doctors/new/; the doctor is e-mailed a link."""
    page.goto("/manage/doctors/new/")
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Department").select_option(label=department)
    page.get_by_label("Specialization").fill(specialization)
    page.get_by_label("Years of experience").fill(str(experience_years))
    page.get_by_role("button", name="Create doctor and send invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("e-mailed a link")


def drawn_charts(page: Page) -> dict[str, tuple[float, float]]:
    """The admin dashboard's charts that Chart.js drew, with their size on screen."""
    page.wait_for_load_state("load")
    charts = {}
    for box in page.locator("[data-chart]:not([hidden])").all():
        canvas = box.locator("canvas")
        if not canvas.evaluate("c => Boolean(window.Chart && window.Chart.getChart(c))"):
            continue
        size = canvas.bounding_box() or {"width": 0, "height": 0}
        charts[box.get_attribute("data-chart")] = (size["width"], size["height"])
    return charts


# Visits (doctors)


def complete_todays_visit(
    page: Page,
    *,
    patient: str,
    diagnosis: str,
    icd10_code: str,
    notes: str,
    lines: list[dict[str, str]],
    next_visit: date | None = None,
) -> None:
    """From "My day", complete a started visit with the one form: diagnosis, code,
    notes, prescription lines (one more is added with htmx when needed) and
    the next visit.
    """
    page.goto("/doctor/")
    row = page.locator("#today tr", has_text=patient)
    row.get_by_role("link", name="Complete").click()
    page.get_by_label("Diagnosis").fill(diagnosis)
    page.get_by_label("ICD-10 code").fill(icd10_code)
    page.get_by_label("Treatment notes").fill(notes)
    for index, line in enumerate(lines):
        if page.locator(f"[name='items-{index}-medicine']").count() == 0:
            page.get_by_role("button", name="Add a line").click()
        for field_name, value in line.items():
            page.locator(f"[name='items-{index}-{field_name}']").fill(value)
    if next_visit is not None:
        page.get_by_label("Next visit").fill(next_visit.isoformat())
    page.get_by_role("button", name="Complete the visit").click()
    expect(page.get_by_role("alert").first).to_be_visible()


# Records (patients)


def export_history_csv(page: Page) -> str:
    """From "My history", export it as CSV, watch the progress, download it; its text."""
    page.goto("/history/")
    page.get_by_role("button", name="Export my history as CSV").click()
    link = page.get_by_role("link", name=re.compile(r"Download CSV"))
    expect(link).to_be_visible(timeout=15_000)
    with page.expect_download() as download:
        link.click()
    return Path(download.value.path()).read_text(encoding="utf-8")


# The front desk (reception)


def desk_register_patient(
    page: Page, *, first_name: str, last_name: str, phone: str, born: date, sex: str = "Female"
) -> None:
    """From the front desk, register a patient (no e-mail); lands on their desk page."""
    page.goto("/desk/")
    page.get_by_role("link", name="New patient", exact=True).first.click()
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Phone").fill(phone)
    page.get_by_label("Date of birth").fill(born.isoformat())
    page.get_by_label("Sex").select_option(label=sex)
    page.get_by_role("button", name="Register patient").click()
    expect(page).to_have_url(re.compile(r"/desk/patients/\d+/$"))


def desk_book_first_free_slot(
    page: Page, *, department: str, doctor: str, day_index: int = 0, slot_index: int = 0
) -> str:
    """On a patient's desk page, book them into a free slot of a day (the first
    by default) through the patients' own booking pages; returns the time.
    Leaves the page on the new appointment.
    """
    page.get_by_role("link", name="Book an appointment").click()
    page.get_by_role("link", name=department, exact=True).click()
    page.locator(".card", has_text=doctor).get_by_role("link", name="See free slots").click()
    choose_day(page, day_index)
    time = choose_slot(page, slot_index)
    page.get_by_role("button", name="Confirm booking").click()
    expect(page).to_have_url(re.compile(r"/appointments/\d+/$"))
    return time


def desk_check_in(page: Page) -> str:
    """On an appointment's page, check the patient in; returns their token."""
    page.get_by_role("button", name="Check in").click()
    token = page.locator("#token")
    expect(token).to_be_visible()
    return token.inner_text().strip()


def doctor_call_next(page: Page) -> None:
    """From "My day", call in the next checked-in patient."""
    page.goto("/doctor/")
    page.locator("#call-next").click()
    expect(page.locator("#being-seen")).to_be_visible()


# In any language: these steps find a page's parts by id, field name and
# address, never by their words, so a journey runs the same in Hindi.


def choose_language(page: Page, code: str) -> None:
    """Press the navigation's language switcher for ``code`` (a code of
    settings.LANGUAGES) and wait for the page to come back in it."""
    page.locator(f"form.language-switcher button[value='{code}']").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def sign_in_any_language(page: Page, email: str, password: str) -> None:
    """``sign_in`` by the form's fields, whatever language the page is in."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form [type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def register_patient_any_language(
    page: Page, *, first_name: str, last_name: str, email: str, password: str
) -> None:
    """``register_patient`` by the form's fields: sign up, then sign in."""
    page.goto("/accounts/register/")
    page.locator("#id_first_name").fill(first_name)
    page.locator("#id_last_name").fill(last_name)
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/register/sent/$"))


def book_any_language(page: Page, *, department: str, doctor_pk: int, reason: str = "") -> str:
    """From the patient's home: Book, the department (by its name, which is
    data), the doctor's slots, the last day offered, its first slot; returns
    the time booked."""
    page.goto("/patient/")
    page.locator("main a[href='/book/']").first.click()
    page.get_by_role("link", name=department, exact=True).click()
    page.locator(f"main a[href='/book/{doctor_pk}/']").first.click()
    expect(page.locator("#slot-picker")).to_be_visible()
    choose_day(page)
    time = choose_slot(page, 0)
    if reason:
        page.locator("#confirm [name=reason]").fill(reason)
    page.locator("#confirm [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/patient/$"))
    return time


def reschedule_any_language(page: Page, *, slot_index: int = 1) -> str:
    """``reschedule_upcoming`` by the link's address; returns the new time."""
    page.goto("/patient/")
    page.locator("#upcoming a[href$='/reschedule/']").first.click()
    choose_day(page)
    time = choose_slot(page, slot_index)
    page.locator("#confirm [type=submit]").click()
    expect(page.get_by_role("alert").first).to_contain_text(time)
    return time
