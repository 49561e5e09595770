"""Staff idle timeout and the Content Security Policy."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

ADMIN_HOME = reverse("reports:admin-home")


def test_it_ends_an_idle_staff_session_after_thirty_minutes(client, admin_user, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(admin_user)

    time_machine.shift(timedelta(minutes=29))
    assert client.get(ADMIN_HOME).status_code == 200
    time_machine.shift(timedelta(minutes=29))  # active 29 minutes ago: still signed in
    assert client.get(ADMIN_HOME).status_code == 200

    time_machine.shift(timedelta(minutes=31))
    response = client.get(ADMIN_HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_keeps_a_patient_signed_in_longer(client, patient, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(patient.user)

    time_machine.shift(timedelta(hours=5))

    assert client.get(reverse("scheduling:patient-home")).status_code == 200


@pytest.mark.parametrize(
    ("client_fixture", "url"),
    [
        ("client", reverse("accounts:login")),
        ("admin_client", ADMIN_HOME),
        ("admin_client", reverse("scheduling:appointment-list")),
        ("doctor_client", reverse("scheduling:doctor-home")),
        ("doctor_client", reverse("scheduling:availability")),
        ("patient_client", reverse("scheduling:patient-home")),
        ("patient_client", reverse("scheduling:book-start")),
    ],
)
def test_it_sends_a_policy_that_allows_no_inline_script(request, client_fixture, url):
    client = request.getfixturevalue(client_fixture)

    response = client.get(url)

    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.split() == ["'self'"]
    assert "frame-ancestors 'none'" in policy
    inline = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", response.text)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]
    assert inline == []
    assert not re.search(r"\son[a-z]+=\"", response.text), "inline event handler"


def test_it_keeps_every_template_free_of_inline_script():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{path.name}: {tag}")
        offenders += [f"{path.name}: {m}" for m in re.findall(r"\son[a-z]+=\"[^\"]*\"", text)]
        offenders += [f"{path.name}: {m}" for m in re.findall(r"(?:hx-on|javascript:)", text)]

    assert offenders == []
