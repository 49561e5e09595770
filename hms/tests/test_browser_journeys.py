"""Whole journeys in a real browser (Chromium through Playwright) on the live server.

Time is not frozen here: the server thread needs the real clock, so the data
is built relative to now and the steps pick whatever free slots the pages
offer. Each step is a function of ``devtools/browser.py``.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import PASSWORD, AdminFactory
from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory
from devtools.browser import (
    add_leave_day,
    add_weekly_hours,
    authenticator_code,
    book_first_free_slot,
    cancel_upcoming,
    create_doctor,
    desk_book_first_free_slot,
    desk_check_in,
    desk_register_patient,
    doctor_call_next,
    drawn_charts,
    enrol_two_factor,
    expect,
    register_patient,
    reschedule_upcoming,
    set_password_from_link,
    sign_in,
    sign_in_with_code,
    sign_out,
    watch_console,
)
from scheduling.models import Appointment
from scheduling.tests.factories import local, open_every_day, past_visit

pytestmark = [
    pytest.mark.browser,
    # The role groups come from a data migration: restore them for each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_lets_a_new_patient_book_reschedule_and_cancel(page):
    doctor = DoctorFactory(
        first_name="Asha",
        last_name="Rao",
        department=DepartmentFactory(name="Cardiology"),
    )
    open_every_day(doctor, "08:00", "20:00")

    register_patient(
        page,
        first_name="Kavya",
        last_name="Menon",
        email="kavya.menon@example.com",
        password="a-long-enough-secret-2026",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Kavya")
    expect(page.locator("#upcoming")).to_contain_text("You have no upcoming appointments")

    day, time = book_first_free_slot(
        page, department="Cardiology", doctor="Asha Rao", reason="Chest pain when climbing stairs"
    )
    expect(page.get_by_role("alert")).to_contain_text("Booked:")
    upcoming = page.locator("#upcoming")
    expect(upcoming).to_contain_text(f"{day} ")
    expect(upcoming).to_contain_text(time)
    expect(upcoming).to_contain_text("Booked")

    new_time = reschedule_upcoming(page)
    assert new_time != time
    appointment = Appointment.objects.get(patient__user__email="kavya.menon@example.com")
    assert timezone.localtime(appointment.start).strftime("%H:%M") == new_time
    assert appointment.reason == "Chest pain when climbing stairs"

    cancel_upcoming(page, reason="Feeling better")
    page.goto("/patient/")
    # Still ahead, so listed with the upcoming ones, marked Cancelled, with nothing to change.
    upcoming = page.locator("#upcoming")
    expect(upcoming).to_contain_text("Cancelled")
    expect(upcoming).to_contain_text(new_time)
    expect(upcoming.get_by_role("link", name="Cancel")).to_have_count(0)
    expect(page.locator("#past")).to_contain_text("No past appointments yet")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_it_lets_a_doctor_set_weekly_hours_and_a_leave_day(page):
    doctor = DoctorFactory(email="neha.iyer@hms.example", first_name="Neha", last_name="Iyer")
    leave_day = timezone.localdate() + timedelta(days=3)

    sign_in(page, "neha.iyer@hms.example", PASSWORD)
    expect(page).to_have_url(re.compile(r"/doctor/$"))
    page.get_by_role("link", name="My availability").first.click()
    expect(page.locator("#weekly")).to_contain_text("Closed")

    add_weekly_hours(page, weekday="Wednesday", start="09:00", end="12:30")
    add_leave_day(page, day=leave_day, note="Conference")

    wednesday = page.locator("#weekly li", has_text="Wednesday")
    expect(wednesday).to_contain_text("09:00\N{EN DASH}12:30")
    exception = page.locator("#exceptions li", has_text=leave_day.strftime("%-d %b %Y"))
    expect(exception).to_contain_text("Leave")
    expect(exception).to_contain_text("Conference")
    assert doctor.weekly_blocks.get().weekday == 2
    assert doctor.exceptions.get().date == leave_day


def test_it_lets_an_admin_see_the_charts_and_invite_a_doctor(page):
    AdminFactory(email="admin@hms.example")
    doctor = DoctorFactory(department=DepartmentFactory(name="Neurology"))
    patient = PatientFactory()
    yesterday = timezone.localdate() - timedelta(days=1)
    past_visit(patient, doctor, local(f"{yesterday} 09:00"))
    past_visit(patient, doctor, local(f"{yesterday} 10:00"), status=Appointment.Status.NO_SHOW)
    console = watch_console(page)

    sign_in(page, "admin@hms.example", PASSWORD)
    expect(page).to_have_url(re.compile(r"/hospital/$"))
    charts = drawn_charts(page)
    assert set(charts) == {"perDay", "perDepartment", "busiestDoctors", "noShowRate"}
    for name, (width, height) in charts.items():
        assert width > 0, name
        assert height > 0, name
    assert console.csp_violations == []
    assert console.errors == []

    create_doctor(
        page,
        first_name="Arjun",
        last_name="Kapoor",
        email="arjun.kapoor@hms.example",
        department="Neurology",
        specialization="Epilepsy",
    )
    expect(page.locator("#results")).to_contain_text("Arjun Kapoor")
    sign_out(page)

    (invitation,) = mail.outbox
    assert invitation.to == ["arjun.kapoor@hms.example"]
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", invitation.body).group(0)
    set_password_from_link(page, link, "brain-waves-and-coffee-7")
    sign_in(page, "arjun.kapoor@hms.example", "brain-waves-and-coffee-7")
    expect(page).to_have_url(re.compile(r"/doctor/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arjun Kapoor")
    assert console.csp_violations == []


def test_it_notices_a_content_security_policy_violation(page):
    """The journeys' "no CSP violation" checks can fail: an inline script is reported."""
    console = watch_console(page)
    page.goto("/accounts/login/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.inlineRan = true";
                document.body.append(script);
            }"""
        )
    assert page.evaluate("window.inlineRan === undefined")
    assert console.csp_violations


def test_it_lets_a_doctor_complete_a_visit_the_patient_prints_and_exports(page):
    import csv
    import io
    from datetime import datetime, time

    from devtools.browser import complete_todays_visit, export_history_csv

    doctor = DoctorFactory(email="arjun.kapoor@hms.example", first_name="Arjun", last_name="Kapoor")
    patient = PatientFactory(email="meera.nair@example.com", first_name="Meera", last_name="Nair")
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date(), time.min))
    past_visit(
        patient, doctor, max(now - timedelta(minutes=5), midnight), Appointment.Status.BOOKED
    )
    follow_up = timezone.localdate() + timedelta(days=14)

    sign_in(page, "arjun.kapoor@hms.example", PASSWORD)
    complete_todays_visit(
        page,
        patient="Meera Nair",
        diagnosis="Essential hypertension",
        icd10_code="I10",
        notes="Less salt, a walk every day.",
        lines=[
            {"medicine": "Amlodipine", "dosage": "5 mg", "frequency": "Once a day",
             "duration_days": "30", "instructions": "Morning"},
            {"medicine": "Aspirin", "dosage": "75 mg", "frequency": "Once a day",
             "duration_days": "30", "instructions": "After food"},
            {"medicine": "Vitamin D3", "dosage": "1000 IU", "frequency": "Once a week",
             "duration_days": "56", "instructions": ""},
        ],
        next_visit=follow_up,
    )  # fmt: skip
    expect(page.get_by_role("alert").first).to_contain_text("completed")
    appointment = Appointment.objects.get(patient=patient)
    assert appointment.status == Appointment.Status.COMPLETED
    assert [i.medicine for i in appointment.treatment.items.order_by("id")] == [
        "Amlodipine", "Aspirin", "Vitamin D3",
    ]  # fmt: skip
    sign_out(page)

    sign_in(page, "meera.nair@example.com", PASSWORD)
    console = watch_console(page)
    page.goto("/history/")
    visit = page.locator("article.visit").first
    expect(visit).to_contain_text("Essential hypertension")
    expect(visit).to_contain_text("Amlodipine")
    visit.get_by_role("link", name="Printable prescription").click()
    expect(page.locator(".prescription")).to_contain_text("Aspirin")
    expect(page.locator(".prescription")).to_contain_text(str(doctor))
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # revealed by print.js
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    page.emulate_media(media="screen")
    page.goto("/patient/")
    expect(page.get_by_role("link", name="Book this visit")).to_be_visible()

    rows = list(csv.DictReader(io.StringIO(export_history_csv(page))))
    assert [(r["diagnosis"], r["next visit"]) for r in rows] == [
        ("Essential hypertension [I10]", follow_up.isoformat())
    ]
    assert "Vitamin D3 1000 IU, Once a week, 56 days" in rows[0]["prescription"]
    assert console.csp_violations == []
    assert console.errors == []


def test_it_lets_the_front_desk_register_book_and_check_in_while_the_screen_follows(page, settings):
    """A receptionist registers a patient who walked in, books them for today,
    checks them in; the doctor calls them and completes the visit; the
    waiting-room screen shows the token being called, without a name.
    """
    from accounts.tests.factories import ReceptionFactory
    from scheduling import services
    from scheduling.models import QueueDisplay

    settings.HMS_BOOKING_LEAD_MINUTES = 0
    settings.HMS_QUEUE_DISPLAY_REFRESH_SECONDS = 1
    doctor = DoctorFactory(
        first_name="Neha", last_name="Iyer", department=DepartmentFactory(name="Paediatrics")
    )
    # Open all day, so today has slots whenever the test runs (but the last
    # hour before midnight, clinic time). The third slot from now is booked:
    # with no lead time the first one may start while a slow run confirms it.
    open_every_day(doctor, "00:00", "23:45")
    desk = ReceptionFactory(email="desk@hms.example")
    display = services.queue_display_create(
        display=QueueDisplay(name="Children's OPD", doctor=doctor), by=None
    )
    errors = watch_console(page)

    sign_in(page, desk.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/desk/$"))
    desk_register_patient(
        page, first_name="Ishaan", last_name="Bose", phone="98450 55555",
        born=timezone.localdate() - timedelta(days=365 * 6),
    )  # fmt: skip
    expect(page.get_by_role("alert")).to_contain_text("cannot sign in")
    desk_book_first_free_slot(page, department="Paediatrics", doctor="Neha Iyer", slot_index=2)
    expect(page.locator("#booked-by")).to_contain_text("(Reception)")
    token = desk_check_in(page)
    assert token == "1"

    screen = page.context.new_page()
    screen_console = watch_console(screen)
    screen.goto(f"/queue/display/{display.token}/")
    expect(screen.locator(".queue-next")).to_contain_text("1")
    expect(screen.locator(".queue-now")).to_have_text("—")

    sign_out(page)
    sign_in(page, doctor.user.email, PASSWORD)
    doctor_call_next(page)
    expect(page.locator("#being-seen")).to_contain_text("Now seeing token 1: Ishaan Bose")
    # The screen polls itself (htmx): the called token shows without a reload.
    expect(screen.locator(".queue-now")).to_have_text("1", timeout=10_000)
    assert "Bose" not in screen.content()

    page.locator("#being-seen").get_by_role("link", name="Complete the visit").click()
    page.get_by_label("Diagnosis").fill("Viral fever")
    page.get_by_role("button", name="Complete the visit").click()
    expect(page.get_by_role("alert").first).to_contain_text("completed and recorded")
    appointment = Appointment.objects.get(patient__user__last_name="Bose")
    assert (appointment.status, appointment.token, appointment.booked_by) == (
        "completed",
        1,
        desk,
    )
    expect(screen.locator(".queue-now")).to_have_text("—", timeout=10_000)
    assert errors.errors == []
    assert screen_console.errors == []
    assert screen_console.csp_violations == []


def test_it_lets_a_patient_turn_on_two_factor_and_sign_in_with_a_code(page):
    patient = PatientFactory(first_name="Meera", email="meera@example.com")
    sign_in(page, patient.user.email, PASSWORD)

    key, codes = enrol_two_factor(page)
    assert len(codes) == 10
    sign_out(page)

    sign_in_with_code(page, patient.user.email, PASSWORD, authenticator_code(key, steps_ahead=1))
    expect(page).to_have_url(re.compile(r"/patient/$"))
    sign_out(page)

    sign_in_with_code(page, patient.user.email, PASSWORD, codes[0])
    expect(page).to_have_url(re.compile(r"/patient/$"))
    sign_out(page)

    # A recovery code works once: the second time it is a wrong code.
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(patient.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("That code is not right")
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))


def test_it_lets_a_patient_do_everything_in_hindi_then_switch_back_to_english(page):
    """A signed-out patient picks हिन्दी in the navigation, registers, books,
    reschedules, reads their visit and prescription in Hindi and gets the
    booking confirmation in Hindi; then picks English and reads English.
    Steps find buttons and fields by id and address (``*_any_language``),
    never by their words.
    """
    from clinic.tests.factories import TreatmentFactory
    from devtools.browser import (
        book_any_language,
        choose_language,
        register_patient_any_language,
        reschedule_any_language,
        sign_in_any_language,
    )
    from hms.tests.test_translations import DATA, english_words

    def in_hindi(locator) -> None:
        """Devanagari, and no English word but the names of people and things."""
        text = locator.inner_text()
        assert re.search("[\u0900-\u097f]", text), f"not Hindi: {text!r}"
        assert english_words(text, html=False) == [], f"English in {text!r}"

    first_name, last_name = DATA["people"][2].split()
    email, password = "kavita.joshi@example.com", "a-long-enough-secret-2026"
    doctor_first, doctor_last = DATA["people"][0].split()
    doctor = DoctorFactory(
        first_name=doctor_first,
        last_name=doctor_last,
        department=DepartmentFactory(name=DATA["department"], description="दिल की देखभाल।"),
        specialization=DATA["specialization"],
    )
    open_every_day(doctor, "08:00", "20:00")
    heading = page.get_by_role("heading", level=1)

    page.goto("/")
    choose_language(page, "hi")
    register_patient_any_language(
        page, first_name=first_name, last_name=last_name, email=email, password=password
    )
    in_hindi(heading)
    sign_in_any_language(page, email, password)
    expect(page).to_have_url(re.compile(r"/patient/$"))
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    in_hindi(heading)

    time = book_any_language(page, department=DATA["department"], doctor_pk=doctor.pk)
    in_hindi(page.get_by_role("alert").first)
    expect(page.locator("#upcoming")).to_contain_text(time)
    (confirmation,) = [m for m in mail.outbox if m.to == [email] and m.attachments]
    assert english_words(confirmation.subject, html=False) == [], confirmation.subject
    assert english_words(confirmation.body, html=False) == [], confirmation.body

    new_time = reschedule_any_language(page)
    in_hindi(page.get_by_role("alert").first)
    appointment = Appointment.objects.get(patient__user__email=email)
    assert timezone.localtime(appointment.start).strftime("%H:%M") == new_time

    TreatmentFactory(
        patient=appointment.patient, doctor=doctor, diagnosis=DATA["diagnosis"],
        icd10_code="I10", notes="कम नमक, रोज़ सैर।",
        items=[{"medicine": DATA["medicine"], "dosage": "5 mg", "frequency": "दिन में एक बार",
                "duration_days": 30, "instructions": "सुबह"}],
    )  # fmt: skip
    page.goto("/history/")
    in_hindi(heading)
    visit = page.locator("article.visit").first
    expect(visit).to_contain_text(DATA["diagnosis"])
    in_hindi(visit)
    visit.locator("a[href$='/prescription/']").click()
    expect(page.locator(".prescription")).to_contain_text(DATA["medicine"])
    in_hindi(page.locator(".prescription"))

    page.goto("/patient/")
    choose_language(page, "en-gb")
    expect(heading).to_have_text(f"Hello, {first_name}")
    expect(page.locator("#upcoming")).to_contain_text("Booked")
    appointment.patient.user.refresh_from_db()
    assert appointment.patient.user.preferred_language == "en-gb"
