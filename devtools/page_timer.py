"""Time a few signed-in pages in-process (test Client, median of N) on a seeded database.

    export DATABASE_URL=sqlite:////tmp/speed.sqlite3
    python manage.py migrate && python manage.py seed_scale --appointments 10000
    python -m devtools.page_timer fill   # the first doctor's week fully booked (7 x 32 slots)
    python -m devtools.page_timer [repeat] [lang]

Prints the median ms (wall and CPU) of the doctor home, the patient home and the slot page
of the first seeded doctor and patient; used for the before/after notes in BENCHMARKS.md.
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hms.settings")
    import django

    django.setup()


def fill_week() -> None:
    """Book every slot of the first doctor's week (what the profile of issue 16
    saw: ~220 rows), replacing the seeded appointments of that week."""
    _setup()
    from datetime import timedelta

    from clinic.models import Doctor
    from devtools.bench import seed
    from hms.clinic_time import clinic_today
    from scheduling import selectors

    today = clinic_today()
    monday = today - timedelta(days=today.weekday())
    doctor = Doctor.objects.order_by("pk").first()
    selectors.doctor_between(doctor=doctor, first=monday, last=monday + timedelta(6)).delete()
    for i in range(7):
        seed.booked_day(
            day=monday + timedelta(i),
            count=seed.SLOTS_PER_DAY,
            first_doctor=doctor.pk,
            doctors=1,
            first_patient=1 + seed.SLOTS_PER_DAY * i,
            patients=seed.SLOTS_PER_DAY,
        )


def main(repeat: int = 20, lang: str = "en-gb") -> None:
    _setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from clinic.models import Doctor, Patient

    setup_test_environment()
    doctor = Doctor.objects.select_related("user").order_by("pk").first()
    patient = Patient.objects.select_related("user").order_by("pk").first()
    clients = {}
    for role, user in (("doctor", doctor.user), ("patient", patient.user)):
        client = Client(HTTP_ACCEPT_LANGUAGE=lang)
        client.force_login(user)
        clients[role] = client
    pages = [
        ("doctor home /doctor/", "doctor", "/doctor/"),
        ("patient home /patient/", "patient", "/patient/"),
        ("slot page /book/<doctor>/", "patient", f"/book/{doctor.pk}/"),
    ]
    for name, role, path in pages:
        client = clients[role]
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: status {response.status_code}")
        times, cpu = [], []
        for _ in range(repeat):
            began, began_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            times.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        print(
            f"{name:28} median {statistics.median(times) * 1000:6.2f} ms"
            f" (CPU {statistics.median(cpu) * 1000:6.2f} ms, min {min(times) * 1000:6.2f} ms)"
            f"  {len(response.content) // 1024} KiB"
        )


if __name__ == "__main__":
    args = sys.argv[1:]
    if args == ["fill"]:
        fill_week()
        sys.exit()
    main(int(args[0]) if args else 20, args[1] if len(args) > 1 else "en-gb")
