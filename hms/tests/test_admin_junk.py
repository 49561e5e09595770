"""The Django admin never answers 500: junk in every field of every add and change
form of every registered model, autocomplete fields included."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hms.admin_base import SafeAutocompleteMixin, SafeAutocompleteSelect

pytestmark = pytest.mark.django_db

# Values of the wrong type for an id, a date, a time, a number or a choice (each
# crawl of every form costs about three seconds, so three values).
JUNK = ["25:99", "\x00", "-1"]
TOO_BIG = "99999999999999999999999"  # overflows an id column in an IN lookup

OUR_APPS = {"accounts", "clinic", "scheduling", "reports"}


def _forms(model):
    """(url, form names) of the add form and the change form of one row, where allowed."""
    info = (model._meta.app_label, model._meta.model_name)
    urls = [reverse("admin:{}_{}_add".format(*info))]
    row = model._default_manager.order_by("pk").first()
    if row is not None:
        urls.append(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
    return urls


def _junk_data(response, junk: str) -> dict:
    """Every field of the form (and its inlines) set to ``junk``; the inlines'
    management forms kept valid so their lines are read too."""
    data = {}
    context = response.context
    if context is None or "adminform" not in context:
        return data
    form = context["adminform"].form
    for name in form.fields:
        data[form.add_prefix(name)] = junk
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, 0)
        data[management.add_prefix("TOTAL_FORMS")] = len(formset.forms) or 1
        for index in range(len(formset.forms) or 1):
            for name in formset.form.base_fields:
                data[f"{formset.prefix}-{index}-{name}"] = junk
    return data


def test_it_gives_every_autocomplete_field_of_our_admins_the_safe_widget(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        assert isinstance(model_admin, SafeAutocompleteMixin), type(model_admin)
        for inline in model_admin.get_inline_instances(request):
            assert isinstance(inline, SafeAutocompleteMixin), type(inline)
        form = model_admin.get_form(request)
        for name in model_admin.get_autocomplete_fields(request):
            assert isinstance(form.base_fields[name].widget.widget, SafeAutocompleteSelect)
            checked += 1
    assert checked >= 5  # doctor user and department, patient user, treatment patient and doctor


def test_it_refuses_junk_in_every_admin_form_without_a_server_error(world):
    """As a superuser, who sees every form (other packages' too) that a hospital admin can."""
    user = User.objects.create_superuser("root@hms.example", "a long pass phrase 2026")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    posted = set()
    client.get(reverse("admin:index"))  # the URLconf, which hardens the site, is loaded
    for model in list(admin.site._registry):
        for url in _forms(model):
            page = client.get(url)
            assert page.status_code < 500, f"GET {url}"
            for junk in JUNK:
                data = _junk_data(page, junk)
                if not data:
                    break
                response = client.post(url, data)
                assert response.status_code < 500, f"POST {url} with {junk!r}"
                posted.add(url)
    assert len(posted) >= 18, sorted(posted)


@pytest.mark.parametrize(
    ("url_name", "fields"),
    [
        ("admin:auth_group_add", {"name": "Desk", "permissions": TOO_BIG}),
        ("admin:clinic_patient_add", {"user": TOO_BIG}),
        ("admin:clinic_treatment_add", {"patient": "abc", "doctor": TOO_BIG}),
    ],
)
def test_it_refuses_an_id_too_big_for_its_column(admin_user, client, url_name, fields):
    root = User.objects.create_superuser("root@hms.example", "a long pass phrase 2026")
    client.force_login(root)
    client.get(reverse("admin:index"))

    response = client.post(reverse(url_name), fields)

    assert response.status_code == 200
    assert "Select a valid choice" in response.text or "is not a valid value" in response.text


def test_it_shows_an_autocomplete_with_a_wrong_value_as_a_field_error(world):
    people, _ = world
    client = Client(raise_request_exception=False)
    client.force_login(people["admin"])

    response = client.post(
        reverse("admin:clinic_doctor_add"),
        {"user": "25:99", "department": "abc", "specialization": "x", "experience_years": "1",
         "consultation_minutes": "15"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
