"""Take the README's screenshots (``make screenshots``): the pages listed in
``devtools/screenshots.py``, each at 1366 px and 390 px wide.

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

from clinic.demo import DEMO_PASSWORD

SERVER_START_SECONDS = 30


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
        from devtools.browser import CHROMIUM

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
            for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
                subprocess.run(  # noqa: S603 (our own manage.py)
                    [*manage, *command], env=env, check=True, stdout=subprocess.DEVNULL
                )
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
                for path in self._shoot(base_url, out_dir):
                    kib = path.stat().st_size // 1024
                    self.stdout.write(f"  {path.relative_to(out_dir.parent.parent)} ({kib} KiB)")
            finally:
                server.terminate()
                server.wait(timeout=10)
        self.stdout.write(self.style.SUCCESS(f"Screenshots saved in {out_dir}"))

    def _shoot(self, base_url: str, out_dir: Path) -> list[Path]:
        """Every page of ``devtools.screenshots.SHOTS``, at each of its widths."""
        from playwright.sync_api import sync_playwright

        from devtools.browser import launch, new_page, sign_in
        from devtools.screenshots import DEMO_EMAILS, SHOTS, WIDTHS

        saved = []
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                for suffix, viewport in WIDTHS:
                    for role in dict.fromkeys(shot.role for shot in SHOTS):
                        page = new_page(browser, base_url, viewport=viewport)
                        sign_in(page, DEMO_EMAILS[role], DEMO_PASSWORD)
                        for shot in (shot for shot in SHOTS if shot.role == role):
                            page.goto(shot.url)
                            if shot.step is not None:
                                shot.step(page)
                            path = out_dir / f"{shot.name}{suffix}.png"
                            page.screenshot(path=path, full_page=shot.full_page)
                            saved.append(path)
                        page.context.close()
            finally:
                browser.close()
        return saved
