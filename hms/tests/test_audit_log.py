"""The audit log: who changed or opened which record, when, from which address."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from scheduling.models import Appointment
from scheduling.tests.test_booking import _key

pytestmark = pytest.mark.django_db


def test_it_logs_a_booking_and_its_cancellation_with_who_and_where(
    patient_client, open_doctor, patient
):
    patient_client.post(
        reverse("scheduling:appointment-book", args=[open_doctor.pk]),
        {"start": _key("2026-12-02 10:00")},
        REMOTE_ADDR="192.0.2.7",
    )
    appointment = Appointment.objects.get()
    patient_client.post(
        reverse("scheduling:appointment-cancel", args=[appointment.pk]), {}, REMOTE_ADDR="192.0.2.8"
    )

    created, updated = LogEntry.objects.get_for_object(appointment).order_by("timestamp", "pk")
    assert created.action == LogEntry.Action.CREATE
    assert (created.actor, created.remote_addr) == (patient.user, "192.0.2.7")
    assert updated.action == LogEntry.Action.UPDATE
    assert updated.changes_dict["status"] == ["booked", "cancelled"]
    assert (updated.actor, updated.remote_addr) == (patient.user, "192.0.2.8")


def test_it_logs_staff_opening_a_patient_record_and_shows_the_patient(
    admin_client, admin_user, client, patient
):
    admin_client.get(
        reverse("clinic:manage-patient-detail", args=[patient.pk]), REMOTE_ADDR="198.51.100.4"
    )

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.object_pk == str(patient.pk)
    assert (entry.actor, entry.remote_addr) == (admin_user, "198.51.100.4")
    client.force_login(patient.user)
    profile = client.get(reverse("clinic:profile-edit"))
    views = profile.text.split('id="record-views"')[1]
    assert admin_user.get_full_name() in views
    assert "(Admin)" in views


def test_it_does_not_log_a_patient_reading_their_own_profile(patient_client):
    response = patient_client.get(reverse("clinic:profile-edit"))

    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    assert "No member of staff has opened your record yet." in response.text


def test_it_lets_admins_browse_and_filter_the_log(admin_client, patient):
    admin_client.get(reverse("clinic:manage-patient-detail", args=[patient.pk]))

    response = admin_client.get(
        reverse("admin:auditlog_logentry_changelist"), {"action__exact": LogEntry.Action.ACCESS}
    )

    assert response.status_code == 200
    assert str(patient) in response.text


def test_it_logs_a_doctor_reading_a_patients_history_and_prescription(client, world):
    people, kwargs = world
    client.force_login(people["doctor_x"])

    client.get(reverse("clinic:patient-history", kwargs=kwargs["clinic:patient-history"]))
    client.get(reverse("clinic:prescription-print", kwargs=kwargs["clinic:prescription-print"]))

    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert [e.actor for e in entries] == [people["doctor_x"]] * 2
    assert {e.object_pk for e in entries} == {str(people["patient_a"].patient.pk)}


def test_it_logs_each_prescription_line_of_a_visit_record(doctor, patient):
    from clinic.models import PrescriptionItem
    from clinic.tests.factories import TreatmentFactory

    treatment = TreatmentFactory(doctor=doctor, patient=patient)
    line = treatment.items.get()

    entries = LogEntry.objects.get_for_object(line)
    assert [e.action for e in entries] == [LogEntry.Action.CREATE]
    assert LogEntry.objects.get_for_model(PrescriptionItem).count() == 1
    assert LogEntry.objects.get_for_object(treatment).get().action == LogEntry.Action.CREATE


def test_it_groups_repeated_views_per_person_and_clinic_day(
    admin_client, admin_user, client, patient, doctor, clinic_now, django_assert_max_num_queries
):
    from scheduling.tests.factories import local

    detail = reverse("clinic:manage-patient-detail", args=[patient.pk])
    for _ in range(3):
        admin_client.get(detail)
    clinic_now.move_to(local("2026-12-02 23:50"))  # still 2 December in the clinic, not in UTC
    admin_client.force_login(admin_user)
    admin_client.get(detail)
    admin_client.get(detail)

    client.force_login(patient.user)
    with django_assert_max_num_queries(12):
        profile = client.get(reverse("clinic:profile-edit"))

    views = " ".join(profile.text.split('id="record-views"')[1].split("</section>")[0].split())
    name = admin_user.get_full_name()
    role = '<span class="text-muted">(Admin)</span>,'
    assert f"{name} {role} 2 times on 2 Dec 2026 (last at 23:50)" in views
    assert f"{name} {role} 3 times on 1 Dec 2026 (last at 08:00)" in views
    assert views.count("<li>") == 2


def test_it_records_the_connecting_address_not_one_the_client_wrote(patient_client, open_doctor):
    patient_client.post(
        reverse("scheduling:appointment-book", args=[open_doctor.pk]),
        {"start": _key("2026-12-02 10:00")},
        REMOTE_ADDR="192.0.2.7",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
        HTTP_X_FORWARDED_PORT="4444",
    )

    entry = LogEntry.objects.get_for_object(Appointment.objects.get()).get()
    assert (entry.remote_addr, entry.remote_port) == ("192.0.2.7", None)


def test_behind_a_proxy_it_records_the_address_the_proxy_appended(
    patient_client, open_doctor, settings
):
    settings.HMS_BEHIND_PROXY = True
    settings.HMS_PROXY_COUNT = 1

    patient_client.post(
        reverse("scheduling:appointment-book", args=[open_doctor.pk]),
        {"start": _key("2026-12-02 10:00")},
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.9",  # spoofed, then what the proxy saw
        HTTP_X_FORWARDED_PORT="51234",
    )

    entry = LogEntry.objects.get_for_object(Appointment.objects.get()).get()
    assert (entry.remote_addr, entry.remote_port) == ("198.51.100.9", 51234)
