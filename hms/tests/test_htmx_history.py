"""Every view that answers with a page or one of its fragments, through
``hms.htmx.render_page_or_fragment``: an htmx swap gets the fragment, a
back-button history restore (``HX-History-Restore-Request``) the whole page,
and every answer varies on ``HX-Request``.
"""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SWAP = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

# URL name, who asks, the query string, and a text only the whole page has.
VIEWS = [
    ("clinic:doctor-search", "patient_a", "?q=a", "<h1"),
    ("clinic:manage-doctor-list", "admin", "?q=a", "New doctor"),
    ("clinic:manage-patient-list", "admin", "?q=a", "<h1"),
    ("clinic:walkin-start", "doctor_x", "?q=a", "<h1"),
    ("scheduling:appointment-list", "admin", "?status=booked", "<h1"),
    ("scheduling:appointment-book", "patient_a", "?day=2026-12-02", "breadcrumb"),
    ("scheduling:appointment-reschedule", "patient_a", "?day=2026-12-02", "breadcrumb"),
    ("scheduling:next-available", "patient_a", "?department={slug}", "<h1"),
    ("reports:export-detail", "patient_a", "", "<h1"),
]


@pytest.mark.parametrize(
    ("name", "who", "query", "page_only"), VIEWS, ids=[name for name, *_ in VIEWS]
)
def test_it_gives_a_history_restore_the_whole_page(world, name, who, query, page_only):
    people, kwargs = world
    client = Client()
    client.force_login(people[who])
    slug = kwargs["clinic:department-detail"]["slug"]
    url = reverse(name, kwargs=kwargs.get(name)) + query.format(slug=slug)

    page = client.get(url)
    swap = client.get(url, headers=SWAP)
    restore = client.get(url, headers=RESTORE)

    assert page.status_code == swap.status_code == restore.status_code == 200
    assert "<html" in page.text
    assert page_only in page.text
    assert "<html" not in swap.text
    assert page_only not in swap.text
    assert "<html" in restore.text
    assert page_only in restore.text
    for response in (page, swap, restore):
        assert "HX-Request" in response["Vary"]
