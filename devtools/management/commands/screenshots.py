"""Take the README's screenshots (``make screenshots``): the pages listed in
``devtools/screenshots.py``, each at 1366 px and 390 px wide (the English ones
first, then those in another language, with its language cookie).

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
# Chromium draws Devanagari with whatever font fontconfig has for it: without
# one every Hindi letter is a box.
FONT_PACKAGE = "fonts-noto-core"


def _missing_font(language: str) -> bool:
    """Whether fontconfig has no font for ``language`` (unknown without fc-list)."""
    try:
        found = subprocess.run(  # noqa: S603 (a fixed command)
            ["fc-list", f":lang={language}", "family"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return False
    return found.returncode == 0 and not found.stdout.strip()


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
        parser.add_argument(
            "--only",
            nargs="+",
            metavar="NAME",
            default=None,
            help="take only these shots (names of devtools.screenshots.SHOTS, e.g. booking-hi)",
        )

    def handle(self, *args, out: str, only: list[str] | None, **options) -> None:
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
            front_desk_day = "from scheduling.demo import seed_front_desk_day as s; s()"
            for command in (
                ["migrate", "--noinput", "-v", "0"],
                ["seed_demo"],
                ["shell", "-c", front_desk_day],
            ):
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
                for path in self._shoot(base_url, out_dir, only):
                    kib = path.stat().st_size // 1024
                    self.stdout.write(f"  {path.relative_to(out_dir.parent.parent)} ({kib} KiB)")
            finally:
                server.terminate()
                server.wait(timeout=10)
        self.stdout.write(self.style.SUCCESS(f"Screenshots saved in {out_dir}"))

    def _shoot(self, base_url: str, out_dir: Path, only: list[str] | None) -> list[Path]:
        """Every page of ``devtools.screenshots.SHOTS`` (or the ``only`` ones), at
        each of its widths: the default language's first, as signing in with a
        language cookie keeps that language on the demo account."""
        from playwright.sync_api import sync_playwright

        from devtools.browser import launch
        from devtools.screenshots import SHOTS

        shots = [shot for shot in SHOTS if only is None or shot.name in only]
        if unknown := set(only or ()) - {shot.name for shot in SHOTS}:
            raise CommandError(f"no such shot: {', '.join(sorted(unknown))}")
        for language in {shot.language for shot in shots} - {""}:
            if _missing_font(language):
                raise CommandError(
                    f"no font for {language!r}: its letters would be boxes"
                    f" (apt-get install {FONT_PACKAGE})"
                )
        saved = []
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                for language in sorted({shot.language for shot in shots}):
                    saved += self._shoot_in(browser, base_url, out_dir, shots, language)
            finally:
                browser.close()
        return saved

    def _shoot_in(self, browser, base_url: str, out_dir: Path, shots, language: str) -> list:
        from devtools.browser import new_page, sign_in_any_language
        from devtools.screenshots import DEMO_EMAILS, WIDTHS

        shots = [shot for shot in shots if shot.language == language]
        saved = []
        for suffix, viewport in WIDTHS:
            for role in dict.fromkeys(shot.role for shot in shots):
                page = new_page(browser, base_url, viewport=viewport)
                if language:
                    cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language}
                    page.context.add_cookies([{**cookie, "url": base_url}])
                sign_in_any_language(page, DEMO_EMAILS[role], DEMO_PASSWORD)
                for shot in (shot for shot in shots if shot.role == role):
                    page.goto(shot.url)
                    if shot.step is not None:
                        shot.step(page)
                    path = out_dir / f"{shot.name}{suffix}.png"
                    page.screenshot(path=path, full_page=shot.full_page)
                    saved.append(path)
                page.context.close()
        return saved
