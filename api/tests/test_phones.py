"""Issue 17 through the API: the services' phone rule, the same message on the field."""

import json

import pytest

from api.tests.conftest import bearer
from clinic.models import Doctor
from clinic.tests.factories import DepartmentFactory
from hms.phones import INVALID_PHONE

pytestmark = pytest.mark.django_db

WRONG = str(INVALID_PHONE)


def test_the_api_refuses_a_doctors_wrong_phone_and_stores_a_right_one(client, admin_user):
    department = DepartmentFactory()
    body = {
        "email": "asha@hms.example", "first_name": "Asha", "last_name": "Rao",
        "department_id": department.pk, "specialization": "Cardiology", "phone": "12345",
    }  # fmt: skip
    headers = bearer(admin_user)

    refused = client.post(
        "/api/v1/doctors", json.dumps(body), content_type="application/json", headers=headers
    )
    created = client.post(
        "/api/v1/doctors",
        json.dumps({**body, "phone": "+91 98450 88888"}),
        content_type="application/json",
        headers=headers,
    )

    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "phone", "message": WRONG}]
    assert created.status_code == 201
    assert Doctor.objects.get().user.phone == "+919845088888"
