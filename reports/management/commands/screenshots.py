"""Take the README's screenshots (``make screenshots``).

A throw-away SQLite database is migrated and loaded with the demo data,
``runserver`` serves it on a free localhost port, and Chromium (Playwright on
Debian's ``/usr/bin/chromium``) signs in as the demo people and saves PNGs.
Your own ``db.sqlite3`` is never touched. Needs the development requirements
(Playwright) and the ``chromium`` package.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic.demo import ADMIN_EMAIL, DEMO_PASSWORD, DOCTORS, PATIENTS, RECEPTION_EMAIL

SERVER_START_SECONDS = 30
# The front desk's pages at a laptop's and a phone's width.
WIDTHS = [(1366, 900), (390, 844)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"runserver stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    raise CommandError(f"runserver did not answer {url} within {SERVER_START_SECONDS} s")


class Command(BaseCommand):
    help = "Save PNG screenshots of the main pages, with the demo data, to docs/screenshots/."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--out",
            default=str(settings.BASE_DIR / "docs" / "screenshots"),
            help="folder for the PNG files (default: docs/screenshots/)",
        )

    def handle(self, *args, out: str, **options) -> None:
        from hms.browser import CHROMIUM

        if not CHROMIUM.exists():
            raise CommandError(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="hms-screenshots-") as tmp:
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'db.sqlite3'}",
                "HMS_MEDIA_ROOT": str(Path(tmp) / "media"),
                "DJANGO_DEBUG": "true",
                "EMAIL_URL": "dummymail://",
                "DJANGO_LOG_LEVEL": "WARNING",
            }
            env.pop("REDIS_URL", None)
            manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
            self.stdout.write("Migrating and loading the demo data into a temporary database…")
            front_desk_day = "from scheduling.demo import seed_front_desk_day as s; s()"
            for command in (
                ["migrate", "--noinput", "-v", "0"],
                ["seed_demo"],
                ["shell", "-c", front_desk_day],
            ):
                done = subprocess.run(  # noqa: S603 (our own manage.py)
                    [*manage, *command], env=env, check=True, capture_output=True, text=True
                )
                if command == ["seed_demo"]:
                    screen_path = done.stdout.rsplit(": ", 1)[-1].strip()
            port = _free_port()
            server = subprocess.Popen(  # noqa: S603 (our own manage.py)
                [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                base_url = f"http://127.0.0.1:{port}"
                _wait_until_up(f"{base_url}/healthz", server)
                for path in self._shoot(base_url, out_dir, screen_path):
                    kib = path.stat().st_size // 1024
                    self.stdout.write(f"  {path.relative_to(out_dir.parent.parent)} ({kib} KiB)")
            finally:
                server.terminate()
                server.wait(timeout=10)
        self.stdout.write(self.style.SUCCESS(f"Screenshots saved in {out_dir}"))

    def _shoot(self, base_url: str, out_dir: Path, screen_path: str) -> list[Path]:
        from playwright.sync_api import sync_playwright

        from hms.browser import (
            choose_slot,
            drawn_charts,
            launch,
            new_page,
            open_booking,
            sign_in,
        )

        doctor_email, doctor_first, doctor_last, department = DOCTORS[0][:4]
        patient_email = PATIENTS[0][0]
        saved = []

        def save(page, name: str, *, full_page: bool = False) -> None:
            path = out_dir / f"{name}.png"
            page.screenshot(path=path, full_page=full_page)
            saved.append(path)

        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                page = new_page(browser, base_url)
                sign_in(page, patient_email, DEMO_PASSWORD)
                save(page, "patient-home")
                open_booking(page, department=department, doctor=f"{doctor_first} {doctor_last}")
                choose_slot(page, 0)
                page.get_by_label("Reason for the visit").fill("Short of breath on stairs")
                page.locator("#confirm").scroll_into_view_if_needed()
                save(page, "booking")
                page.context.close()

                page = new_page(browser, base_url)
                sign_in(page, doctor_email, DEMO_PASSWORD)
                save(page, "doctor-home")
                page.context.close()

                page = new_page(browser, base_url)
                sign_in(page, RECEPTION_EMAIL, DEMO_PASSWORD)
                for width, height in WIDTHS:
                    page.set_viewport_size({"width": width, "height": height})
                    save(page, f"reception-home-{width}", full_page=True)
                page.goto(screen_path)
                for width, height in WIDTHS:
                    page.set_viewport_size({"width": width, "height": height})
                    save(page, f"waiting-room-{width}", full_page=True)
                page.context.close()

                page = new_page(browser, base_url)
                sign_in(page, ADMIN_EMAIL, DEMO_PASSWORD)
                drawn_charts(page)
                save(page, "admin-dashboard", full_page=True)  # all four charts
                page.context.close()
            finally:
                browser.close()
        return saved
