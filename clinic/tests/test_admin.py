"""The clinic models in the Django admin: search, filters, actions, query counts."""

import pytest
from django.urls import reverse

from clinic.models import Department
from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory
from clinic.tests.utils import queries_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form", ["P{pk:06d}", "{pk}"])
def test_it_finds_a_patient_by_patient_id(admin_client, form):
    wanted, other = PatientFactory(last_name="Wanted"), PatientFactory(last_name="Other")

    response = admin_client.get(
        reverse("admin:clinic_patient_changelist"), {"q": form.format(pk=wanted.pk)}
    )

    # Plain digits may also match phone numbers in the Django admin's search.
    assert wanted in response.context["cl"].result_list
    assert form.startswith("{") or other not in response.context["cl"].result_list


def test_it_finds_doctors_by_specialization(admin_client):
    DoctorFactory(specialization="Neonatology", last_name="Iyer")
    DoctorFactory(specialization="Cardiology")

    response = admin_client.get(reverse("admin:clinic_doctor_changelist"), {"q": "neonat"})

    assert [str(d) for d in response.context["cl"].result_list] == [
        str(d) for d in response.context["cl"].result_list if "Iyer" in str(d)
    ]
    assert response.context["cl"].result_count == 1


def test_it_deactivates_departments_with_an_action(admin_client):
    departments = DepartmentFactory.create_batch(2)

    response = admin_client.post(
        reverse("admin:clinic_department_changelist"),
        {"action": "deactivate", "_selected_action": [d.pk for d in departments]},
    )

    assert response.status_code == 302
    assert not Department.objects.filter(is_active=True).exists()


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("admin:clinic_doctor_changelist", DoctorFactory),
        ("admin:clinic_patient_changelist", PatientFactory),
        ("admin:clinic_department_changelist", DepartmentFactory),
    ],
)
def test_it_lists_5_and_50_rows_with_the_same_queries(admin_client, url_name, factory):
    factory.create_batch(5)
    few = queries_for(admin_client, reverse(url_name))
    factory.create_batch(45)
    many = queries_for(admin_client, reverse(url_name))

    assert few == many
