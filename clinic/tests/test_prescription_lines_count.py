"""The visit form refuses prescription-line counts that would drop a typed line."""

import pytest

from clinic.forms import LINES_NOT_READ
from clinic.models import PrescriptionItem, Treatment
from clinic.tests.factories import PatientFactory
from clinic.tests.test_walkin import _post, _record

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(db):
    return PatientFactory()


@pytest.mark.parametrize(
    "counts",
    [
        {"items-TOTAL_FORMS": "-5"},
        {"items-TOTAL_FORMS": "0"},
        {"items-INITIAL_FORMS": "-1"},
        {"items-INITIAL_FORMS": "3"},
    ],
)
def test_it_refuses_a_line_count_that_would_drop_a_typed_line(
    doctor_client, stranger, clinic_today, counts
):
    response = doctor_client.post(_record(stranger), _post(**counts))

    assert response.status_code == 422
    assert LINES_NOT_READ in response.text
    assert not Treatment.objects.exists()
    assert not PrescriptionItem.objects.exists()


@pytest.mark.parametrize("count", ["abc", "", "99999999999999999999"])
def test_it_refuses_a_count_that_is_no_number(doctor_client, stranger, clinic_today, count):
    response = doctor_client.post(_record(stranger), _post(**{"items-TOTAL_FORMS": count}))

    assert response.status_code == 422
    assert not Treatment.objects.exists()


def test_it_saves_every_line_when_the_count_is_right(doctor_client, stranger, clinic_today):
    response = doctor_client.post(_record(stranger), _post())

    assert response.status_code == 302
    assert PrescriptionItem.objects.get().medicine == "Metformin"
