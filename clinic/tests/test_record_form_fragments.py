"""The HTMX parts of the visit record form: ICD-10 suggestions and another line."""

import pytest
from django.urls import reverse

from clinic import icd10

pytestmark = pytest.mark.django_db

ICD = reverse("clinic:icd10-search")
LINE = reverse("clinic:prescription-line-add")
HTMX = {"HX-Request": "true"}


def test_it_suggests_codes_for_words_of_a_diagnosis(doctor_client):
    response = doctor_client.get(ICD, {"icd10_code": "pharyngitis acute"}, headers=HTMX)

    assert response.status_code == 200
    assert '<option value="J02.9">J02.9 Acute pharyngitis, unspecified</option>' in response.text
    assert "<html" not in response.text


def test_it_suggests_codes_that_start_with_what_was_typed(doctor_client):
    few = doctor_client.get(ICD, {"q": "e11"}, headers=HTMX)
    many = doctor_client.get(ICD, {"q": "e1"}, headers=HTMX)

    assert few.text.count("<option") == 11  # E11 and E11.0 to E11.9
    assert '<option value="E11.9">' in few.text
    assert many.text.count("<option") == icd10.MAX_RESULTS


def test_it_suggests_nothing_for_one_letter(doctor_client):
    response = doctor_client.get(ICD, {"q": "j"}, headers=HTMX)

    assert "<option" not in response.text


def test_it_builds_the_code_index_once():
    icd10.search("fever")
    icd10.search("cough")

    assert icd10._index.cache_info().misses <= 1


def test_it_returns_one_empty_line_with_the_next_index(doctor_client):
    response = doctor_client.get(LINE, {"items-TOTAL_FORMS": "2"}, headers=HTMX)

    text = response.text
    assert 'name="items-2-medicine"' in text
    assert 'name="items-2-DELETE"' in text
    assert "Remove" in text
    assert 'name="items-1-medicine"' not in text
    assert 'value="3"' in text
    assert 'hx-swap-oob="true"' in text
    assert 'id="id_items-TOTAL_FORMS"' in text
    assert "<nav" not in text


@pytest.mark.parametrize("client_fixture", ["patient_client", "admin_client"])
def test_it_keeps_the_fragments_for_doctors(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    assert client.get(ICD, {"q": "fever"}, headers=HTMX).status_code == 403
    assert client.get(LINE, headers=HTMX).status_code == 403
