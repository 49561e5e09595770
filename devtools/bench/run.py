"""The benchmark: query counts and server times of the main pages at two sizes,
throughput under 16 clients against gunicorn, the CSV export beside COPY, the
reminder job on a busy day and the booking race. ``make bench`` runs it; the
smoke test runs it on tiny data in-process (no gunicorn).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from clinic.models import Doctor, Patient
from devtools.bench import load, seed
from hms.clinic_time import clinic_today
from reports.models import ExportJob
from reports.selectors import DASHBOARD_CACHE_KEY
from scheduling import selectors as scheduling_selectors
from scheduling.models import Appointment

ROOT = Path(__file__).resolve().parents[2]
PORT = 8765
MAX_QUERIES = 15
GROWTH = 1.25
READ_SHARE, WRITE_SHARE = 0.40, 0.50
CSV_VS_COPY, CSV_RSS_MB = 3.0, 150
REMINDER_DAY_OFFSET = 200  # days ahead: clear of the seeded and the booked appointments
REMINDERS = 20_000
RACE_CLIENTS = 50


@dataclass
class People:
    admin: User
    doctor: Doctor
    patient: Patient
    department_id: int
    doctors: list[int]
    first_doctor: int
    first_patient: int
    patients: int


@dataclass
class Report:
    """Everything measured, keyed by size; rendered as one Markdown table."""

    sizes: list[int] = field(default_factory=list)
    pages: dict[int, dict[str, tuple[int, float]]] = field(default_factory=dict)
    load: dict[int, dict[str, load.Result]] = field(default_factory=dict)
    export: dict = field(default_factory=dict)
    reminders: dict = field(default_factory=dict)
    race: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def people(made: dict) -> People:
    doctor = Doctor.objects.select_related("user").get(pk=made["first_doctor"])
    return People(
        admin=User.objects.get(pk=made["admin_user"]),
        doctor=doctor,
        patient=Patient.objects.select_related("user").get(pk=made["first_patient"]),
        department_id=doctor.department_id,
        doctors=list(range(made["first_doctor"], made["first_doctor"] + made["doctors"])),
        first_doctor=made["first_doctor"],
        first_patient=made["first_patient"],
        patients=made["patients"],
    )


def free_slots(doctor_ids: list[int], need: int) -> list[tuple[int, str]]:
    """Up to ``need`` free (doctor id, slot key) pairs, none sharing a start time.

    Distinct start times mean a bench patient never collides with themself.
    """
    found: list[tuple[int, str]] = []
    for doctor in Doctor.objects.filter(pk__in=doctor_ids).order_by("pk"):
        for slots in scheduling_selectors.free_slots(doctor=doctor).values():
            found.extend((doctor.pk, slot.key) for slot in slots)
            if len(found) >= need:
                return found[:need]
    return found


# (a) pages in-process


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def measure_pages(
    p: People, *, repeat: int, booking_slots: list[tuple[int, str]], booker: Patient
) -> dict[str, tuple[int, float]]:
    """Queries (CaptureQueriesContext) and median time of each main page, via the test Client."""
    clients = {}
    for role, user in (
        ("admin", p.admin),
        ("doctor", p.doctor.user),
        ("patient", p.patient.user),
        ("booker", booker.user),
    ):
        client = Client()
        client.force_login(user)
        clients[role] = client
    doctor_pk = p.doctor.pk
    slots = iter(booking_slots)

    def book():
        doctor, key = next(slots)
        return clients["booker"].post(f"/book/{doctor}/", {"start": key, "reason": "Bench"})

    def dashboard():
        cache.delete(DASHBOARD_CACHE_KEY)  # count the figures, not read them back
        return clients["admin"].get("/hospital/")

    pages: list[tuple[str, Callable, int]] = [
        ("patient home /patient/", lambda: clients["patient"].get("/patient/"), 200),
        ("slots page /book/<doctor>/", lambda: clients["patient"].get(f"/book/{doctor_pk}/"), 200),
        ("booking POST /book/<doctor>/", book, 302),
        ("doctor home /doctor/", lambda: clients["doctor"].get("/doctor/"), 200),
        ("patient history /history/", lambda: clients["patient"].get("/history/"), 200),
        ("admin home /hospital/ (figures recounted)", dashboard, 200),
        ("admin home /hospital/ (cached figures)", lambda: clients["admin"].get("/hospital/"), 200),
        ("appointments /appointments/", lambda: clients["admin"].get("/appointments/"), 200),
        (
            "appointments, filtered (department, completed)",
            lambda: clients["admin"].get(
                f"/appointments/?department={p.department_id}&status=completed"
            ),
            200,
        ),
        (
            "Django admin: appointments",
            lambda: clients["admin"].get("/admin/scheduling/appointment/"),
            200,
        ),
        (
            "Django admin: appointments, status=booked",
            lambda: clients["admin"].get("/admin/scheduling/appointment/?status__exact=booked"),
            200,
        ),
        ("Django admin: treatments", lambda: clients["admin"].get("/admin/clinic/treatment/"), 200),
    ]
    results = {}
    for name, call, expected in pages:
        call()  # warm: templates, the connection, the plan cache
        times = []
        queries = 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = call()
                times.append(time.perf_counter() - began)
            if response.status_code != expected:
                raise AssertionError(f"{name}: status {response.status_code}, not {expected}")
            queries = max(queries, len(captured))
        results[name] = (queries, _median_ms(times))
    return results


# (b), (e) over HTTP against gunicorn


def sessions(users: list[User]) -> list[str]:
    """A signed-in session per user, written straight to the database; their keys."""
    store = SessionStore()
    expire = timezone.now() + timedelta(days=1)
    rows, keys = [], []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=1000)
    return keys


CSRF = "b" * 32  # a CSRF secret: the same in the cookie and the form


def _get(path: str, session: str) -> load.Request:
    return load.Request("GET", path, {"Cookie": f"sessionid={session}"})


def _booking(doctor: int, key: str, session: str) -> load.Request:
    body = urlencode({"csrfmiddlewaretoken": CSRF, "start": key, "reason": "Bench"}).encode()
    return load.Request(
        "POST",
        f"/book/{doctor}/",
        {
            "Cookie": f"sessionid={session}; csrftoken={CSRF}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body,
    )


class Gunicorn:
    """gunicorn, 2 sync workers, on 127.0.0.1:PORT, with the baseline views on."""

    def __init__(self, port: int = PORT, workers: int = 2):
        self.port = port
        env = {**os.environ, "HMS_BENCH_VIEWS": "true", "DJANGO_LOG_LEVEL": "ERROR"}
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "hms.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )

    def __enter__(self) -> Gunicorn:
        for _ in range(100):
            if load.send(self.port, load.Request("GET", "/bench/ping/"), timeout=2) == 200:
                return self
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def measure_load(
    p: People, *, seconds: float, booking_slots: list[tuple[int, str]], bookers: list[str]
) -> dict[str, load.Result]:
    doctor_sessions = sessions(list(User.objects.filter(doctor__pk__in=p.doctors[:50])))
    doctor_ids = p.doctors[:50]
    patient_session = sessions([p.patient.user])[0]

    def booking(i: int) -> load.Request | None:
        if i >= min(len(booking_slots), len(bookers)):
            return None
        doctor, key = booking_slots[i]
        return _booking(doctor, key, bookers[i])

    scenarios: list[tuple[str, Callable[[int], load.Request | None]]] = [
        ("trivial view /bench/ping/", lambda i: load.Request("GET", "/bench/ping/")),
        ("trivial INSERT /bench/insert/", lambda i: load.Request("GET", "/bench/insert/")),
        (
            "slots page /book/<doctor>/",
            lambda i: _get(f"/book/{doctor_ids[i % len(doctor_ids)]}/", patient_session),
        ),
        (
            "doctor home /doctor/",
            lambda i: _get("/doctor/", doctor_sessions[i % len(doctor_sessions)]),
        ),
        ("booking POST /book/<doctor>/", booking),
    ]
    results = {}
    for name, make in scenarios:
        if "POST" not in name:  # warm both workers (not the booking: it spends slots)
            load.run(port=PORT, make_request=make, clients=4, seconds=min(1.0, seconds))
        results[name] = load.run(port=PORT, make_request=make, clients=16, seconds=seconds)
    return results


def measure_race(slot: tuple[int, str], racers: list[str]) -> dict:
    doctor, key = slot
    statuses = load.burst(port=PORT, requests=[_booking(doctor, key, s) for s in racers])
    start = datetime.fromisoformat(key)
    booked = Appointment.objects.filter(doctor_id=doctor, start=start).active().count()
    return {
        "clients": len(racers),
        "booked": booked,
        "redirects": statuses.get(302, 0),
        "refused": statuses.get(422, 0),
        "errors": sum(n for s, n in statuses.items() if s >= 500 or s == 0),
        "statuses": dict(statuses),
    }


# (c) the CSV export beside COPY


def export_probe(job_id: str) -> dict:
    """Run one export in this process; seconds and this process's peak RSS."""
    from reports.services import export_run

    began = time.perf_counter()
    export_run(job_id=job_id)
    seconds = time.perf_counter() - began
    job = ExportJob.objects.get(pk=job_id)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"seconds": seconds, "rss_mb": rss, "rows": job.row_count, "status": job.status}


def measure_export(p: People, *, isolate: bool) -> dict:
    """The export's seconds and peak RSS, in a fresh process when ``isolate`` (so the
    peak is the export's own), beside COPY of the same query on PostgreSQL.
    """
    job = ExportJob.objects.create(requested_by=p.admin, kind=ExportJob.Kind.APPOINTMENTS)
    if isolate:
        env = {**os.environ, "EMAIL_URL": "memorymail://"}
        out = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "bench", "--export-probe", str(job.pk)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=900,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
    else:  # the smoke test: in-process, inside its transaction
        result = export_probe(str(job.pk))
    result["copy_seconds"] = None
    if connection.vendor != "postgresql":
        return result
    # The same query as the export, written by PostgreSQL itself.
    qs = scheduling_selectors.appointment_search(user=p.admin).values_list(
        "pk",
        "start",
        "patient_id",
        "patient__user__first_name",
        "patient__user__last_name",
        "doctor__user__first_name",
        "doctor__user__last_name",
        "doctor__department__name",
        "status",
        "reason",
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        from psycopg import ClientCursor  # only on PostgreSQL

        query = ClientCursor(cursor.connection).mogrify(sql, params)
        began = time.perf_counter()
        copy_sql = f"COPY ({query}) TO STDOUT WITH CSV HEADER"
        with tempfile.TemporaryFile("wb") as out_file, cursor.cursor.copy(copy_sql) as copy:
            for data in copy:
                out_file.write(data)
        result["copy_seconds"] = time.perf_counter() - began
    return result


# (d) the reminders of a busy day


def measure_reminders(p: People, made: dict, count: int) -> dict:
    from hms.celery import app
    from scheduling.services import daily_reminders_send

    day = clinic_today() + timedelta(days=REMINDER_DAY_OFFSET)
    count = seed.booked_day(
        day=day,
        count=count,
        first_doctor=p.first_doctor,
        doctors=len(p.doctors),
        first_patient=p.first_patient,
        patients=p.patients,
    )
    counter = {"n": 0}

    def count_queries(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    result = {"appointments": count}
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for run in ("first", "second"):
                mail.outbox = []
                counter["n"] = 0
                with connection.execute_wrapper(count_queries):
                    began = time.perf_counter()
                    daily_reminders_send(day=day)
                    seconds = time.perf_counter() - began
                result[run] = {
                    "seconds": seconds,
                    "queries": counter["n"],
                    "sent": len(mail.outbox),
                }
    finally:
        app.conf.task_always_eager = eager
    return result


# The whole run


def run(
    *,
    sizes: list[int],
    repeat: int = 10,
    seconds: float = 5.0,
    http: bool = True,
    reminders: int = REMINDERS,
    reset: bool = True,
    say: Callable = print,
) -> Report:
    report = Report(sizes=sizes)
    for n, size in enumerate(sizes):
        last = n == len(sizes) - 1
        say(f"Seeding {size:,} appointments")
        if reset:
            seed.reset()
        began = time.perf_counter()
        made = seed.seed(appointments=size, tag="" if reset else str(size), say=say)
        report.notes.append(
            f"seeding {size:,} appointments took {time.perf_counter() - began:.0f} s"
        )
        p = people(made)
        load_need = 4000 if http else 0
        slots = free_slots(p.doctors, repeat + 2 + (1 if http else 0) + load_need)
        page_slots, slots = slots[: repeat + 1], slots[repeat + 1 :]
        bookers = seed.add_patients(
            count=len(slots) + RACE_CLIENTS, prefix=f"booker{size}", password=p.admin.password
        )
        booker_patients = list(
            Patient.objects.filter(pk__gte=bookers).select_related("user").order_by("pk")
        )
        say(f"Pages at {size:,}")
        report.pages[size] = measure_pages(
            p, repeat=repeat, booking_slots=page_slots, booker=booker_patients[0]
        )
        if http:
            say(f"Load at {size:,} (16 clients, {seconds:g} s a scenario)")
            keys = sessions([b.user for b in booker_patients[1:]])
            race_slot, load_slots = slots[0], slots[1:]
            with Gunicorn():
                report.load[size] = measure_load(
                    p, seconds=seconds, booking_slots=load_slots, bookers=keys[RACE_CLIENTS:]
                )
                if last:
                    say("The race")
                    report.race = measure_race(race_slot, keys[:RACE_CLIENTS])
        if last:
            # One part failing must not lose the others' figures.
            for part, measure in (
                ("export", lambda p=p: measure_export(p, isolate=http)),
                ("reminders", lambda p=p, made=made: measure_reminders(p, made, reminders)),
            ):
                say(f"{part} at {size:,}")
                try:
                    setattr(report, part, measure())
                except Exception as exc:
                    if not http:  # the smoke test: fail loudly
                        raise
                    report.notes.append(f"{part} failed: {exc!r}")
    return report


# The table


def _ok(flag: bool | None) -> str:
    return "n/a" if flag is None else ("met" if flag else "**MISSED**")


def render(report: Report, *, command: str) -> str:
    small, large = report.sizes[0], report.sizes[-1]
    lines = [
        f"Command: `{command}`  ",
        f"Machine: {platform.node()}, {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {connection.vendor} "
        f"{connection.cursor().connection.info.server_version if connection.vendor == 'postgresql' else ''}  ",  # noqa: E501
        f"Run at {timezone.now():%Y-%m-%d %H:%M} UTC; sizes {small:,} and {large:,} appointments.",
        "",
        "### (a) Pages: queries and median time (in-process test Client, median of repeats)",
        "",
        f"| page | queries {small:,} | queries {large:,} | ms {small:,} | ms {large:,} | "
        f"ratio | target (<= {MAX_QUERIES} queries, same; ratio <= {GROWTH}) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (q_small, t_small) in report.pages[small].items():
        q_large, t_large = report.pages[large][name]
        ratio = t_large / t_small if t_small else 0
        ok = q_small <= MAX_QUERIES and q_large == q_small and ratio <= GROWTH
        lines.append(
            f"| {name} | {q_small} | {q_large} | {t_small:.1f} | {t_large:.1f} | "
            f"{ratio:.2f}x | {_ok(ok)} |"
        )
    if report.load:
        lines += [
            "",
            "### (b) Throughput: 16 concurrent clients against gunicorn (2 sync workers)",
            "",
            "| scenario | size | req/s | p50 ms | p99 ms | non-2xx/3xx | share of baseline "
            "| target |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for size, results in report.load.items():
            ping = results["trivial view /bench/ping/"].rps
            insert = results["trivial INSERT /bench/insert/"].rps
            for name, r in results.items():
                bad = sum(n for s, n in r.statuses.items() if not 200 <= s < 400)
                if name.startswith("trivial"):
                    share, target = "baseline", ""
                else:
                    base, need = (insert, WRITE_SHARE) if "POST" in name else (ping, READ_SHARE)
                    ratio = r.rps / base if base else 0
                    share = f"{ratio:.0%}"
                    target = f">= {need:.0%}: {_ok(ratio >= need)}"
                lines.append(
                    f"| {name} | {size:,} | {r.rps:.0f} | {r.p50:.0f} | {r.p99:.0f} | "
                    f"{bad} | {share} | {target} |"
                )
    e = report.export
    if e:
        copy = e.get("copy_seconds")
        ratio = e["seconds"] / copy if copy else None
        lines += [
            "",
            f"### (c) CSV export of all appointments ({e['rows']:,} rows)",
            "",
            "| what | seconds | peak RSS MB | target |",
            "|---|---|---|---|",
            f"| reports.services.export_run | {e['seconds']:.1f} | {e['rss_mb']:.0f} | "
            f"<= {CSV_RSS_MB} MB: {_ok(e['rss_mb'] <= CSV_RSS_MB)} |",
        ]
        if copy:
            lines.append(f"| PostgreSQL COPY (same query) TO STDOUT CSV | {copy:.1f} | | |")
            lines.append(
                f"| ratio export / COPY | {ratio:.2f}x | | <= {CSV_VS_COPY}x: "
                f"{_ok(ratio <= CSV_VS_COPY)} |"
            )
    r = report.reminders
    if r:
        lines += [
            "",
            f"### (d) Daily reminders on a day with {r['appointments']:,} booked appointments "
            "(locmem e-mail, tasks eager)",
            "",
            "| run | seconds | queries | e-mails sent |",
            "|---|---|---|---|",
            f"| first | {r['first']['seconds']:.1f} | {r['first']['queries']:,} | "
            f"{r['first']['sent']:,} |",
            f"| second (sends nothing) | {r['second']['seconds']:.1f} | "
            f"{r['second']['queries']:,} | {r['second']['sent']:,} |",
        ]
    race = report.race
    if race:
        lines += [
            "",
            f"### (e) The race: {race['clients']} concurrent booking POSTs for one slot",
            "",
            "| booked | 5xx / failed | refused (422) | target |",
            "|---|---|---|---|",
            f"| {race['booked']} | {race['errors']} | {race['refused']} | 1 booked, 0 5xx: "
            f"{_ok(race['booked'] == 1 and race['errors'] == 0)} |",
        ]
    if report.notes:
        lines += ["", "Notes: " + "; ".join(report.notes) + "."]
    return "\n".join(lines) + "\n"


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write(table: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Put ``table`` between the markers of BENCHMARKS.md, keeping the text around them."""
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{table}{END}{tail}")


def settings_check() -> None:
    if settings.DEBUG:
        raise RuntimeError("Run the benchmark with DJANGO_DEBUG=false (make bench does).")
