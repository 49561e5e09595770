"""The JSON API as each role uses it: the same services, the same messages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile

from accounts.tests.factories import ReceptionFactory
from clinic.models import Department
from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory
from reports.models import ExportJob
from scheduling import selectors
from scheduling.models import SLOT_TAKEN, Appointment, WeeklyAvailability
from scheduling.services import availability
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def cardiologist(clinic_now):
    from scheduling.tests.factories import open_every_day

    doctor = DoctorFactory(
        department=DepartmentFactory(name="Cardiology"), specialization="Cardiology"
    )
    open_every_day(doctor)
    return doctor


def test_it_lets_a_patient_find_a_cardiologist_book_and_cancel(api_as, patient, cardiologist):
    """The journey of the issue: find, read tomorrow's slots, book, cancel."""
    DoctorFactory(specialization="Dermatology")
    api = api_as(patient.user)

    found = api.get("/doctors", q="cardio").json()
    assert [d["id"] for d in found] == [cardiologist.pk]
    tomorrow = "2026-12-02"
    days = api.get(f"/doctors/{cardiologist.pk}/slots", date_from=tomorrow, date_to=tomorrow)
    assert [d["date"] for d in days.json()] == [tomorrow]
    slot = days.json()[0]["slots"][0]
    booked = api.post(
        "/appointments", {"doctor_id": cardiologist.pk, "start": slot["start"], "reason": "BP"}
    )
    assert booked.status_code == 201, booked.json()
    appointment = Appointment.objects.get(pk=booked.json()["id"])
    assert appointment.patient == patient
    assert appointment.start == local("2026-12-02 09:00")

    cancelled = api.post(f"/appointments/{appointment.pk}/cancel")

    assert cancelled.json()["status"] == "cancelled"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_it_gives_the_slot_pickers_slots(api_as, patient, cardiologist):
    days = api_as(patient.user).get(f"/doctors/{cardiologist.pk}/slots").json()

    expected = selectors.free_slots(doctor=cardiologist)
    assert [d["date"] for d in days] == [d.isoformat() for d in expected]
    assert [len(d["slots"]) for d in days] == [len(v) for v in expected.values()]


def test_its_slots_never_offer_a_slot_taken_since_they_were_read(
    api_as, patient, cardiologist, django_capture_on_commit_callbacks
):
    """The slots come from the slot picker's cached grid: a booking, a
    cancellation and an availability change are seen on the next read."""
    api = api_as(patient.user)
    tomorrow = "2026-12-02"

    def starts() -> list[str]:
        days = api.get(f"/doctors/{cardiologist.pk}/slots", date_from=tomorrow, date_to=tomorrow)
        return [slot["start"] for day in days.json() for slot in day["slots"]]

    first = starts()
    with django_capture_on_commit_callbacks(execute=True):
        taken = book(PatientFactory(), cardiologist, local("2026-12-02 09:00"))
    assert starts() == first[1:]

    with django_capture_on_commit_callbacks(execute=True):
        api_as(taken.patient.user).post(f"/appointments/{taken.pk}/cancel")
    assert starts() == first

    with django_capture_on_commit_callbacks(execute=True):
        for block in WeeklyAvailability.objects.filter(doctor=cardiologist):
            availability.weekly_block_remove(block=block)
    assert starts() == []


def test_it_answers_a_taken_slot_with_409_and_the_pages_message(api_as, patient, cardiologist):
    start = local("2026-12-02 09:00")
    book(PatientFactory(), cardiologist, start)

    response = api_as(patient.user).post(
        "/appointments", {"doctor_id": cardiologist.pk, "start": start.isoformat()}
    )

    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": None, "message": SLOT_TAKEN}]
    assert Appointment.objects.filter(patient=patient).count() == 0


def test_it_answers_a_field_error_with_the_field(api_as, admin_user, cardiologist):
    response = api_as(admin_user).post("/departments", {"name": "cardiology"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "name", "message": "A department with this name already exists."}
    ]


def test_it_answers_a_bad_body_with_422_and_its_fields(api_as, patient, cardiologist):
    response = api_as(patient.user).post(
        "/appointments", {"doctor_id": 2**70, "start": "2026-12-02T09:00:00"}
    )

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"doctor_id", "start"}


@pytest.mark.parametrize(
    "path",
    [
        "/doctors/99999999999999999999",
        "/doctors/0",
        "/doctors/abc",
        "/appointments/9223372036854775807",
        "/exports/not-a-uuid",
    ],
)
def test_it_answers_junk_ids_with_4xx(api_as, admin_user, path):
    response = api_as(admin_user).get(path)

    assert response.status_code in (404, 422)
    assert response.json()["errors"]


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "9999-12-31", "date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"cursor": "bm90LWEtY3Vyc29y"},
        {"cursor": "%%%"},
        {"q": "nul\x00byte"},
        {"limit": 10**9},
    ],
)
def test_it_answers_edge_filters_with_422(api_as, admin_user, params):
    response = api_as(admin_user).get("/appointments", **params)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in {*params, None}


def test_it_pages_appointments_with_a_cursor(api_as, admin_user, clinic_now):
    doctor = DoctorFactory()
    from scheduling.tests.factories import open_every_day

    open_every_day(doctor)
    starts = [local(f"2026-12-0{d} 10:00") for d in (2, 3, 4, 5, 6)]
    for start in starts:
        book(PatientFactory(), doctor, start)
    api = api_as(admin_user)

    first = api.get("/appointments", limit=2).json()
    second = api.get("/appointments", limit=2, cursor=first["next_cursor"]).json()
    third = api.get("/appointments", limit=2, cursor=second["next_cursor"]).json()

    seen = [a["start"] for page in (first, second, third) for a in page["results"]]
    assert [local_start[:10] for local_start in seen] == [
        "2026-12-06", "2026-12-05", "2026-12-04", "2026-12-03", "2026-12-02"
    ]  # fmt: skip
    assert third["next_cursor"] is None


def test_it_lists_only_the_callers_appointments(api_as, patient, cardiologist):
    mine = book(patient, cardiologist, local("2026-12-02 09:00"))
    book(PatientFactory(), cardiologist, local("2026-12-02 09:15"))

    results = api_as(patient.user).get("/appointments").json()["results"]
    doctor_sees = api_as(cardiologist.user).get("/appointments").json()["results"]

    assert [a["id"] for a in results] == [mine.pk]
    assert len(doctor_sees) == 2


def test_it_lists_appointments_in_a_fixed_number_of_queries(
    api_as, admin_user, cardiologist, django_assert_max_num_queries
):
    for n in range(6):
        book(
            PatientFactory(), cardiologist, local(f"2026-12-02 {9 + n // 4:02d}:{(n % 4) * 15:02d}")
        )
    api = api_as(admin_user)

    with django_assert_max_num_queries(6):
        response = api.get("/appointments")

    assert len(response.json()["results"]) == 6


def test_it_lets_the_doctor_set_their_hours(api_as, doctor, clinic_now):
    api = api_as(doctor.user)

    added = api.post(
        f"/doctors/{doctor.pk}/availability/weekly",
        {"weekday": 2, "start_time": "09:00", "end_time": "12:00"},
    )
    overlap = api.post(
        f"/doctors/{doctor.pk}/availability/weekly",
        {"weekday": 2, "start_time": "11:00", "end_time": "13:00"},
    )
    leave = api.post(
        f"/doctors/{doctor.pk}/availability/exceptions", {"date": "2026-11-30", "kind": "leave"}
    )

    assert added.status_code == 201
    assert overlap.status_code == 422
    assert "overlaps" in overlap.json()["detail"]
    assert leave.json()["errors"] == [{"field": "date", "message": "Choose today or a later date."}]
    assert WeeklyAvailability.objects.filter(doctor=doctor).count() == 1
    removed = api.delete(f"/doctors/{doctor.pk}/availability/weekly/{added.json()['id']}")
    assert removed.status_code == 204
    assert not WeeklyAvailability.objects.filter(doctor=doctor).exists()


def test_it_keeps_other_doctors_hours_out_of_reach(api_as, doctor, cardiologist):
    api = api_as(doctor.user)

    assert api.get(f"/doctors/{cardiologist.pk}/availability").status_code == 404
    response = api.post(
        f"/doctors/{cardiologist.pk}/availability/weekly",
        {"weekday": 2, "start_time": "14:00", "end_time": "15:00"},
    )
    assert response.status_code == 404
    assert cardiologist.weekly_blocks.count() == 7


def test_it_lets_the_doctor_complete_a_visit_with_its_record(
    api_as, patient, cardiologist, clinic_now
):
    appointment = book(patient, cardiologist, local("2026-12-01 10:00"))
    clinic_now.move_to(local("2026-12-01 10:05"))
    record = {
        "diagnosis": "Essential hypertension",
        "icd10_code": "I10",
        "items": [
            {"medicine": "Amlodipine", "dosage": "5 mg", "frequency": "daily", "duration_days": 30}
        ],
    }

    written = api_as(cardiologist.user).post(f"/appointments/{appointment.pk}/treatment", record)
    read = api_as(patient.user).get(f"/appointments/{appointment.pk}/treatment")

    assert written.status_code == 201, written.json()
    assert read.json()["items"][0]["medicine"] == "Amlodipine"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED
    refused = api_as(patient.user).post(f"/appointments/{appointment.pk}/treatment", record)
    assert refused.status_code == 403


def test_it_lets_admins_run_the_directory(
    api_as, admin_user, clinic_now, mailoutbox, django_capture_on_commit_callbacks
):
    api = api_as(admin_user)
    department = api.post("/departments", {"name": "Neurology"}).json()

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/doctors",
            {
                "email": "new.doctor@hms.example",
                "first_name": "Asha",
                "last_name": "Rao",
                "department_id": department["id"],
                "specialization": "Neurology",
            },
        )
    disabled = api.post(f"/doctors/{created.json()['id']}/disable", {"reason": "Left"})
    closed = api.post(f"/departments/{department['id']}/deactivate")

    assert created.status_code == 201
    assert disabled.json()["is_active"] is False
    assert closed.json()["is_active"] is False
    assert not Department.objects.get(pk=department["id"]).is_active
    assert mailoutbox[0].to == ["new.doctor@hms.example"]


def test_it_refuses_directory_writes_to_others(api_as, doctor, patient):
    department = doctor.department
    for person in (doctor.user, patient.user):
        api = api_as(person)
        assert api.post("/departments", {"name": "Shadow"}).status_code == 403
        assert api.post(f"/departments/{department.pk}/deactivate").status_code == 403
        assert api.post(f"/doctors/{doctor.pk}/disable", {"reason": "x"}).status_code == 403
    assert not Department.objects.filter(name="Shadow").exists()
    department.refresh_from_db()
    assert department.is_active


def test_it_runs_a_patients_export_to_the_download(
    api_as, patient, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    api = api_as(patient.user)

    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/exports", {"kind": "treatments"})
    status = api.get(f"/exports/{started.json()['id']}").json()
    download = api.get(f"/exports/{started.json()['id']}/download")

    assert started.status_code == 201
    assert status["status"] == "done"
    assert status["download_url"] == f"/api/v1/exports/{status['id']}/download"
    assert download["Content-Type"] == "text/csv"
    assert b"patient id" in b"".join(download.streaming_content)
    assert api.post("/exports", {"kind": "appointments"}).status_code == 422


def test_it_keeps_other_peoples_exports_out_of_reach(api_as, patient, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    other = PatientFactory()
    job = ExportJob.objects.create(requested_by=other.user, kind="treatments", status="done")
    job.file.save("exports/b.csv", ContentFile(b"secret"), save=True)
    api = api_as(patient.user)

    assert api.get(f"/exports/{job.pk}").status_code == 404
    assert api.get(f"/exports/{job.pk}/download").status_code == 404


def test_it_checks_an_appointments_exports_filters_with_the_lists_form(api_as, admin_user):
    response = api_as(admin_user).post(
        "/exports",
        {"kind": "appointments", "filters": {"date_from": "2026-12-05", "date_to": "2026-12-01"}},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "date_to"
    assert not ExportJob.objects.exists()


def test_it_gives_admins_the_dashboard_figures(api_as, admin_user, patient, doctor):
    stats = api_as(admin_user)

    figures = stats.get("/stats").json()

    assert figures["counts"]["patients"] == 1
    assert figures["counts"]["doctors"] == 1
    assert api_as(patient.user).get("/stats").status_code == 403


def test_it_lets_staff_search_patients_they_may_see(api_as, doctor, cardiologist, clinic_now):
    mine = PatientFactory(first_name="Meera")
    stranger = PatientFactory(first_name="Meera")
    book(mine, doctor if doctor.weekly_blocks.exists() else cardiologist, local("2026-12-02 09:00"))
    api = api_as(cardiologist.user)

    found = api.get("/patients", q="Meera").json()

    assert [p["id"] for p in found] == [mine.pk]
    assert api.get(f"/patients/{stranger.pk}").status_code == 404
    assert api.get(f"/patients/{mine.pk}").json()["patient_number"] == mine.patient_number


def test_it_lets_a_patient_read_and_edit_only_their_profile(api_as, patient):
    api = api_as(patient.user)
    other = PatientFactory()

    assert api.get("/patients/me").json()["id"] == patient.pk
    assert api.get(f"/patients/{other.pk}").status_code == 403
    future = api.put("/patients/me", {"date_of_birth": "2999-01-01"})
    assert future.json()["errors"] == [
        {"field": "date_of_birth", "message": "The date of birth cannot be in the future."}
    ]


def test_it_reschedules_within_the_rules(api_as, patient, cardiologist):
    appointment = book(patient, cardiologist, local("2026-12-02 09:00"))
    api = api_as(patient.user)

    moved = api.post(
        f"/appointments/{appointment.pk}/reschedule", {"start": "2026-12-02T10:00:00+05:30"}
    )
    same = api.post(
        f"/appointments/{appointment.pk}/reschedule", {"start": "2026-12-02T10:00:00+05:30"}
    )

    assert moved.status_code == 200
    assert same.status_code == 422
    appointment.refresh_from_db()
    assert appointment.start == local("2026-12-02 10:00")
    assert appointment.end - appointment.start == timedelta(minutes=15)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("not json", "application/json"),
        ('{"doctor_id": 1', "application/json"),
        ("[1, 2]", "application/json"),
        ("doctor_id=1", "application/x-www-form-urlencoded"),
        ("\x00", "text/plain"),
    ],
)
def test_it_answers_a_body_that_is_no_json_object_with_4xx(client, patient, body, content_type):
    from api.tests.conftest import bearer

    response = client.post(
        "/api/v1/appointments", body, content_type=content_type, headers=bearer(patient.user)
    )

    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    assert not Appointment.objects.exists()


def test_it_lets_the_front_desk_book_for_a_patient_and_check_them_in(api_as, patient, cardiologist):
    api = api_as(ReceptionFactory())
    start = local("2026-12-01 10:00")

    unnamed = api.post("/appointments", {"doctor_id": cardiologist.pk, "start": start.isoformat()})
    booked = api.post(
        "/appointments",
        {"doctor_id": cardiologist.pk, "start": start.isoformat(), "patient_id": patient.pk},
    )
    checked_in = api.post(f"/appointments/{booked.json()['id']}/check-in")
    again = api.post(f"/appointments/{booked.json()['id']}/check-in")

    assert unnamed.status_code == 422
    assert unnamed.json()["errors"][0]["field"] == "patient_id"
    assert booked.status_code == 201
    appointment = Appointment.objects.get(pk=booked.json()["id"])
    assert appointment.patient == patient
    assert appointment.booked_by.role == "reception"
    assert checked_in.status_code == 200
    assert checked_in.json()["status"] == "arrived"
    assert again.status_code == 200
    appointment.refresh_from_db()
    assert (appointment.status, appointment.token) == ("arrived", 1)


def test_it_lets_the_front_desk_move_and_cancel_inside_the_patients_cutoff(
    api_as, patient, cardiologist
):
    appointment = book(patient, cardiologist, local("2026-12-01 09:00"))
    desk = api_as(ReceptionFactory())
    path = f"/appointments/{appointment.pk}"

    by_patient = api_as(patient.user).post(
        f"{path}/reschedule", {"start": "2026-12-01T09:30:00+05:30"}
    )
    moved = desk.post(f"{path}/reschedule", {"start": "2026-12-01T09:30:00+05:30"})
    no_reason = desk.post(f"{path}/cancel", {"reason": ""})
    cancelled = desk.post(f"{path}/cancel", {"reason": "The doctor is called away."})

    assert by_patient.status_code == 422
    assert moved.status_code == 200, moved.json()
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    assert cancelled.status_code == 200
    appointment.refresh_from_db()
    assert appointment.start == local("2026-12-01 09:30")
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancellation_reason == "The doctor is called away."


def test_it_keeps_clinical_details_from_the_front_desk(api_as, patient, cardiologist, clinic_now):
    patient.allergies, patient.blood_group = "Penicillin", "B+"
    patient.save()
    appointment = book(patient, cardiologist, local("2026-12-01 10:00"))
    clinic_now.move_to(local("2026-12-01 10:05"))
    record = {"diagnosis": "Essential hypertension", "items": []}
    written = api_as(cardiologist.user).post(f"/appointments/{appointment.pk}/treatment", record)
    desk, doctor = api_as(ReceptionFactory()), api_as(cardiologist.user)

    answers = [
        desk.get(f"/patients/{patient.pk}"),
        desk.get("/patients", q=patient.patient_number),
        desk.get(f"/appointments/{appointment.pk}"),
        desk.get("/appointments"),
        desk.get(f"/appointments/{appointment.pk}/treatment"),
    ]

    assert written.status_code == 201
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 404]
    shown = answers[0].json()
    assert (shown["email"], shown["phone"]) == (patient.user.email, patient.user.phone)
    assert (shown["allergies"], shown["blood_group"]) == (None, None)
    assert answers[1].json() == [shown]
    assert answers[2].json()["treatment_id"] is None
    assert [a["treatment_id"] for a in answers[3].json()["results"]] == [None]
    for answer in answers:
        assert "Penicillin" not in answer.text
        assert "hypertension" not in answer.text
    assert doctor.get(f"/patients/{patient.pk}").json()["allergies"] == "Penicillin"
    assert (
        doctor.get(f"/appointments/{appointment.pk}").json()["treatment_id"] == written.json()["id"]
    )


def test_it_keeps_check_in_from_patients_and_doctors(api_as, patient, cardiologist):
    appointment = book(patient, cardiologist, local("2026-12-01 10:00"))

    as_patient = api_as(patient.user).post(f"/appointments/{appointment.pk}/check-in")
    as_doctor = api_as(cardiologist.user).post(f"/appointments/{appointment.pk}/check-in")

    assert (as_patient.status_code, as_doctor.status_code) == (403, 403)
    appointment.refresh_from_db()
    assert appointment.status == "booked"
