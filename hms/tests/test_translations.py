"""HMS in Hindi (issue 19): the catalogue is complete, every marked string is in
it, and no English is left on the pages or in the e-mails.

No system gettext is needed: the catalogue is read with Babel, the marked
strings are found with Babel's Python extractor (templates first go through
Django's own ``templatize()``, what ``makemessages`` feeds xgettext), and the
pages are read with the standard library's HTML parser. Each test lists
everything it finds wrong at once, so one run names all the work left.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone, translation
from django.utils.translation.template import templatize

from accounts.models import User
from accounts.tests.factories import AdminFactory, ReceptionFactory
from clinic import icd10
from clinic.tests.factories import (
    DepartmentFactory,
    DoctorFactory,
    PatientFactory,
    TreatmentFactory,
)
from hms.tests.test_phone_layout import ADMIN, DOCTOR, PATIENT, pages_of
from notifications.models import Notification
from reports.models import ExportJob
from reports.selectors import previous_month
from reports.services import monthly_report_create
from scheduling import services
from scheduling.models import Appointment, QueueDisplay
from scheduling.tests.factories import book, local, open_every_day, past_visit

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale" / "hi" / "LC_MESSAGES" / "django.po"

# Where the marked strings are: the apps' Python (not their tests or
# migrations; devtools is developer tooling, never shown to a patient) and
# every template.
APPS = ["accounts", "clinic", "scheduling", "reports", "notifications", "api", "hms"]
SKIPPED_DIRS = {"tests", "migrations"}
TEMPLATES = BASE_DIR / "templates"

# The Babel spec of each marking function HMS uses (as makemessages tells
# xgettext): None is "the first argument", numbers are argument positions,
# (n, "c") is the context.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]?\d*(?:\.\d+)?[sdifr]")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def read_catalogue():
    with CATALOGUE.open("rb") as po_file:
        return read_po(po_file, locale="hi")


def placeholders(text: str) -> Counter:
    """``%(name)s`` by name (each once: a translation may say a name twice) and
    ``%s`` / ``%d`` by count (their order and number are the arguments')."""
    text = text.replace("%%", "")
    found = Counter()
    for match in PLACEHOLDER.finditer(text):
        if match[1]:
            found[match[0]] = 1
        else:
            found["%" + match[0][-1]] += 1
    return found


def where(message) -> str:
    return ", ".join(sorted({path for path, _line in message.locations})) or "?"


def catalogue_problems(catalog) -> list[str]:
    problems = []
    for message in catalog:
        if not message.id:
            continue  # the header
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        label = f"{where(message)}: {ids[0]!r}"
        if message.context:
            label += f" (context {message.context!r})"
        if message.fuzzy:
            problems.append(f"fuzzy: {label}")
        if len(ids) > 1 and len(strings) < 2:
            problems.append(f"needs msgstr[0] and msgstr[1]: {label}")
        if not all(strings):
            problems.append(f"not translated: {label}")
            continue
        if "python-format" in message.flags:
            if len(ids) == 1:
                if placeholders(strings[0]) != placeholders(ids[0]):
                    problems.append(
                        f"placeholders {sorted(placeholders(strings[0]))} instead of "
                        f"{sorted(placeholders(ids[0]))}: {label}"
                    )
            else:
                # Plurals: msgstr[0] (one) may leave the count out, but no form
                # may name a value the English does not pass.
                given = placeholders(ids[0]) | placeholders(ids[1])
                for form in strings:
                    if not set(placeholders(form)) <= set(given):
                        problems.append(f"placeholders {sorted(placeholders(form))}: {label}")
                if placeholders(strings[-1]) != placeholders(ids[1]):
                    problems.append(f"plural placeholders differ: {label}")
        for form in strings:
            if Counter(HTML_TAG.findall(form)) != Counter(HTML_TAG.findall(ids[-1])):
                problems.append(
                    f"HTML {HTML_TAG.findall(form)} instead of {HTML_TAG.findall(ids[-1])}: {label}"
                )
    return problems


def test_it_has_a_hindi_translation_for_every_entry_of_the_catalogue():
    problems = catalogue_problems(read_catalogue())
    assert not problems, f"{len(problems)} problems in {CATALOGUE.relative_to(BASE_DIR)}:\n" + (
        "\n".join(problems)
    )


def test_it_notices_an_empty_a_fuzzy_and_a_broken_translation():
    """The catalogue check itself: each kind of mistake is named."""
    po = io.BytesIO(
        (
            'msgid ""\nmsgstr ""\n"Language: hi\\n"\n'
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
            '#: a.py\nmsgid "Empty"\nmsgstr ""\n\n'
            '#: b.py\n#, fuzzy\nmsgid "Guess"\nmsgstr "अनुमान"\n\n'
            '#: c.py\n#, python-format\nmsgid "Dr. %(doctor)s"\nmsgstr "डॉ. %(doktor)s"\n\n'
            '#: d.html\nmsgid "<strong>Late</strong>"\nmsgstr "देर"\n\n'
            '#: e.html\n#, python-format\nmsgid "one slot"\nmsgid_plural "%(counter)s slots"\n'
            'msgstr[0] "एक स्लॉट"\nmsgstr[1] ""\n\n'
            '#: f.html\n#, python-format\nmsgid "one slot left"\n'
            'msgid_plural "%(counter)s slots left"\n'
            'msgstr[0] "एक स्लॉट बचा"\nmsgstr[1] "%(counter)s स्लॉट बचे"\n'
        ).encode()
    )
    problems = catalogue_problems(read_po(po, locale="hi"))
    assert [problem.split(":")[0] for problem in problems] == [
        "not translated",
        "fuzzy",
        "placeholders ['%(doktor)s'] instead of ['%(doctor)s']",
        "HTML [] instead of ['<strong>', '</strong>']",
        "not translated",
    ]


# Every marked string is in the catalogue.


def python_files() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (BASE_DIR / app).rglob("*.py")
        if not SKIPPED_DIRS & set(path.relative_to(BASE_DIR).parts)
    )


def template_files() -> list[Path]:
    return sorted(
        path for path in TEMPLATES.rglob("*") if path.suffix in {".html", ".txt"} and path.is_file()
    )


def marked_in(source: str) -> list[tuple[str | None, str]]:
    """(context, msgid) of each string ``source`` (Python) marks for translation."""
    found = []
    for _line, message, _comments, context in extract(
        "python", io.BytesIO(source.encode("utf-8")), keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.append((context, msgid))
    return found


def python_of_template(source: str) -> str:
    """What makemessages hands xgettext for a template: its marked strings as
    gettext() calls, the rest blanked out. Each line's indent is dropped, as
    Python's tokenizer (Babel's) refuses a dedent xgettext does not mind;
    the strings themselves are single-line literals."""
    python = templatize(source)
    return "\n".join(line.lstrip() for line in python.splitlines())


def marked_strings() -> dict[tuple[str | None, str], set[str]]:
    """Every (context, msgid) marked in the code and templates, with the files marking it."""
    marked: dict[tuple[str | None, str], set[str]] = {}
    for path in python_files():
        for key in marked_in(path.read_text(encoding="utf-8")):
            marked.setdefault(key, set()).add(str(path.relative_to(BASE_DIR)))
    for path in template_files():
        for key in marked_in(python_of_template(path.read_text(encoding="utf-8"))):
            marked.setdefault(key, set()).add(str(path.relative_to(BASE_DIR)))
    return marked


def test_it_finds_translate_and_blocktranslate_in_a_template():
    """The extractor sees what makemessages sees: contexts, plurals, trimmed blocks."""
    template = """{% load i18n %}
    <h1>{% translate "Book" %}</h1>
    <p>{% translate "May" context "month name" %}</p>
    {% blocktranslate trimmed with name=doctor.user.get_full_name %}
      Book with {{ name }}
    {% endblocktranslate %}
    {% blocktranslate trimmed count counter=slots|length %}
      one slot
    {% plural %}
      {{ counter }} slots
    {% endblocktranslate %}
    {% blocktranslate context "queue" %}Next{% endblocktranslate %}
    {% translate "50% off" as offer %}{{ _("Yes") }}
    """
    assert marked_in(python_of_template(template)) == [
        (None, "Book"),
        ("month name", "May"),
        (None, "Book with %(name)s"),
        (None, "one slot"),
        ("queue", "Next"),
        (None, "50%% off"),
        (None, "Yes"),
    ]


def test_it_has_every_marked_string_in_the_catalogue():
    catalog = read_catalogue()
    missing = sorted(
        f"{', '.join(sorted(files))}: {msgid!r}" + (f" (context {context!r})" if context else "")
        for (context, msgid), files in marked_strings().items()
        if msgid and catalog.get(msgid, context=context) is None
    )
    assert not missing, (
        f"{len(missing)} marked strings are not in {CATALOGUE.relative_to(BASE_DIR)}"
        " (run `make messages` and translate them):\n" + "\n".join(missing)
    )


# No English left on the pages.

RECEPTION = "desk@hms.example"
# What people typed or the clinic named: shown as written, never translated.
DATA = {
    "people": ["Asha Rao", "Priya Sharma", "Kavita Joshi", "Ravi Kumar", "Meena Das"],
    "department": "Cardiology",
    "specialization": "Interventional cardiology",
    "medicine": "Amlodipine",
    "diagnosis": "Essential hypertension",
    "icd10": "I10",
}
# Latin words a Hindi page may show, each for its reason. Words in capitals
# are codes and abbreviations, allowed too: HMS, ICD (-10), I10, MBBS, CSV,
# API, OTP, IST, blood groups (AB), a two-factor key's letters.
ALLOWED = {
    "mg",  # doses are written as prescribed
    # Names stay in the Latin letters they were registered in, and a doctor's
    # "Dr." is part of the name as printed (lists, exports, the API, FHIR).
    "Dr",
    "Rx",  # the prescription's sign, as printed on every prescription pad
    "Django",  # the Django admin, by its name
    "English",  # the language switcher names each language in itself
    "Google",  # authenticator apps, by their names
    "Microsoft",
    "Authenticator",
    "FreeOTP",
}
# Settings that name things: the clinic, its address, its time zone (Asia/Kolkata).
NAMING_SETTINGS = ["HMS_CLINIC_NAME", "HMS_CLINIC_ADDRESS", "TIME_ZONE"]
WORD = re.compile(r"[A-Za-z]{2,}")
CODE = re.compile(r"[A-Z]+")
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:ics|csv|pdf|png)\b")
SKIPPED_TAGS = {"script", "style"}
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
BUTTON_INPUTS = {"submit", "button", "reset"}


class VisibleText(HTMLParser):
    """The text a person reads or hears: the page's text, its <title>, and the
    title / aria-label / placeholder / alt attributes and button captions;
    never <script> or <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        self.parts.extend(
            value for name, value in attrs.items() if name in SHOWN_ATTRIBUTES and value
        )
        if tag == "input" and attrs.get("type") in BUTTON_INPUTS and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_TAGS:
            self.skipping -= 1

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def allowed_words() -> set[str]:
    words = set(ALLOWED)
    for name in NAMING_SETTINGS:
        words |= set(WORD.findall(getattr(settings, name)))
    for value in DATA.values():
        for text in value if isinstance(value, list) else [value]:
            words |= set(WORD.findall(text))
    # The WHO's ICD-10 descriptions are shown as published, in English.
    words |= set(WORD.findall(icd10.description(DATA["icd10"])))
    return {word.casefold() for word in words}


def english_words(content: str, *, html: bool = True) -> list[str]:
    """The Latin-letter words of a page (or a plain text) that no allowed
    reason explains, in order, once each."""
    allowed = allowed_words()
    text = EMAIL_OR_URL.sub(" ", visible_text(content) if html else content)
    return list(
        dict.fromkeys(
            word
            for word in WORD.findall(text)
            if word.casefold() not in allowed and not CODE.fullmatch(word)
        )
    )


@pytest.fixture(scope="module")
def hindi_clinic(django_db_setup, django_db_blocker):
    """One clinic for the whole module, everybody's language Hindi: a visit of
    each status, today's queue, a record, a report, an export and a screen.
    Rolled back when the module is done.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            ids = _build_hindi_clinic()
        yield ids
        transaction.set_rollback(True)


def _build_hindi_clinic() -> dict:
    (asha, priya, kavita, ravi, meena) = (name.split() for name in DATA["people"])
    AdminFactory(email=ADMIN, first_name=kavita[0], last_name=kavita[1])
    ReceptionFactory(email=RECEPTION, first_name=ravi[0], last_name=ravi[1])
    department = DepartmentFactory(name=DATA["department"], description="दिल की देखभाल।")
    doctor = DoctorFactory(
        email=DOCTOR, first_name=asha[0], last_name=asha[1], department=department,
        specialization=DATA["specialization"],
    )  # fmt: skip
    open_every_day(doctor, "00:00", "23:45")
    patient = PatientFactory(email=PATIENT, first_name=priya[0], last_name=priya[1])
    walk_in = PatientFactory(email=None, first_name=meena[0], last_name=meena[1])
    User.objects.update(preferred_language="hi", password=make_password("x"))
    now = timezone.localtime()
    upcoming = book(patient, doctor, local(f"{now.date() + timedelta(days=3)} 10:00"), "सीने में दर्द")
    started = past_visit(patient, doctor, now.replace(second=0, microsecond=0) - timedelta(hours=1))
    Appointment.objects.filter(pk=started.pk).update(status=Appointment.Status.BOOKED)
    arrived = past_visit(
        walk_in, doctor, now.replace(second=0, microsecond=0) - timedelta(minutes=30)
    )
    Appointment.objects.filter(pk=arrived.pk).update(status=Appointment.Status.ARRIVED, token=1)
    for days_ago, status in enumerate(Appointment.Status.values, start=1):
        if status != Appointment.Status.BOOKED:
            day = now.date() - timedelta(days=days_ago)
            past_visit(patient, doctor, local(f"{day} 09:00"), status=status)
    treatment = TreatmentFactory(
        patient=patient, doctor=doctor, diagnosis=DATA["diagnosis"], icd10_code=DATA["icd10"],
        notes="कम नमक, रोज़ सैर।",
        items=[{"medicine": DATA["medicine"], "dosage": "5 mg", "frequency": "दिन में एक बार",
                "duration_days": 30, "instructions": "सुबह"}],
    )  # fmt: skip
    doctor.user.refresh_from_db()  # the report is written in its doctor's language
    report = monthly_report_create(doctor=doctor, month=previous_month(now.date()))
    export = ExportJob.objects.create(
        requested_by=patient.user, kind=ExportJob.Kind.TREATMENTS, status="running"
    )
    display = services.queue_display_create(
        display=QueueDisplay(name="ओपीडी हॉल", doctor=doctor), by=None
    )
    return {
        "doctor": doctor.pk,
        "department": department.slug,
        "patient": patient.pk,
        "walk_in": walk_in.pk,
        "appointment": upcoming.pk,
        "started": started.pk,
        "arrived": arrived.pk,
        "treatment": treatment.pk,
        "report": report.pk,
        "export": export.pk,
        "display": display.token,
    }


def hindi_pages(ids: dict) -> dict[str | None, list[str]]:
    """The phone-layout test's pages of each role, and the front desk's, the
    screens and settings pages that one leaves out."""
    pages = pages_of(ids)
    pages[None] += [f"/queue/display/{ids['display']}/", "/accounts/register/sent/"]
    pages[PATIENT] += [
        "/settings/notifications/",
        "/accounts/two-factor/",
        "/accounts/tokens/",
        "/accounts/password/change/done/",
    ]
    pages[DOCTOR] += [f"/appointments/{ids['appointment']}/", f"/appointments/{ids['arrived']}/"]
    pages[ADMIN] += [
        f"/appointments/{ids['appointment']}/",
        "/manage/reception/",
        "/manage/reception/new/",
        f"/manage/departments/{_department_pk(ids)}/edit/",
        f"/manage/patients/{ids['patient']}/bookings/",
        "/reports/monthly/",
        f"/reports/monthly/{ids['report']}/",
    ]
    pages[RECEPTION] = [
        "/desk/",
        f"/desk/?q={DATA['people'][1].split()[0]}",
        "/desk/patients/new/",
        f"/desk/patients/{ids['patient']}/",
        f"/desk/patients/{ids['walk_in']}/",
        f"/appointments/{ids['appointment']}/",
        f"/appointments/{ids['arrived']}/",
        f"/book/{ids['doctor']}/?patient={ids['patient']}",
    ]
    return pages


def _department_pk(ids: dict) -> int:
    from clinic.models import Department

    return Department.objects.get(slug=ids["department"]).pk


def _client_of(email: str | None, **defaults) -> Client:
    client = Client(**defaults)
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def english_on(client: Client, paths: list[str], **headers) -> dict[str, list[str]]:
    """Per page, its English words (or the status when it does not answer 200)."""
    found = {}
    for path in paths:
        response = client.get(path, **headers)
        if response.status_code != 200:
            found[path] = [f"answered {response.status_code}"]
        elif words := english_words(response.content.decode()):
            found[path] = words
    return found


def report(found: dict[str, list[str]]) -> str:
    return f"English left on {len(found)} pages:\n" + "\n".join(
        f"{path}: {' '.join(words)}" for path, words in found.items()
    )


@pytest.mark.parametrize(
    "who",
    [None, PATIENT, DOCTOR, RECEPTION, ADMIN],
    ids=["anon", "patient", "doctor", "reception", "admin"],
)
def test_it_shows_every_page_in_hindi(db, hindi_clinic, who):
    paths = hindi_pages(hindi_clinic)[who]
    found = english_on(_client_of(who), paths, HTTP_ACCEPT_LANGUAGE="hi")
    assert not found, report(found)


def test_it_shows_hindi_to_whoever_chose_it_with_the_language_cookie(db, hindi_clinic):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    # The browser asks for English; the choice in the cookie wins.
    paths = ["/", "/accounts/login/", "/accounts/register/"]
    found = english_on(client, paths, HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert not found, report(found)


def test_it_notices_english_on_a_page():
    """The page check itself: text, titles and buttons count; scripts, names and e-mails do not."""
    html = """<html lang="hi"><head><title>Home | HMS</title><style>.x{color:red}</style></head>
    <body><h1>नमस्ते, Priya</h1><a href="/x" title="Go back">वापस</a>
    <input type="submit" value="Save"><input name="q" placeholder="खोजें" value="Amlodipine">
    <p>desk@hms.example https://hms.example/a 5 mg I10 MBBS</p>
    <script>const English = "words";</script></body></html>"""
    assert english_words(html) == ["Home", "Go", "back", "Save"]


def test_it_writes_the_booking_confirmation_in_the_patients_language(db, hindi_clinic):
    from clinic.models import Doctor, Patient

    patient = Patient.objects.get(pk=hindi_clinic["patient"])
    doctor = Doctor.objects.get(pk=hindi_clinic["doctor"])
    start = local(f"{timezone.localdate() + timedelta(days=4)} 11:00")
    # Booked in an English request: the e-mail still goes out in the patient's Hindi.
    with translation.override("en-gb"):
        appointment = book(patient, doctor, start, "जाँच")
    (confirmation,) = Notification.objects.filter(
        event_key=f"appointment:{appointment.pk}:booked", channel=Notification.Channel.EMAIL
    )
    found = {
        part: words
        for part, text in [("subject", confirmation.subject), ("text", confirmation.body_text)]
        if (words := english_words(text, html=False))
    }
    assert not found, (
        f"English in the booking confirmation: {found}\n{confirmation.subject}\n"
        f"{confirmation.body_text}"
    )
