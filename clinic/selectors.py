"""Reads on the clinic: visit histories, prescriptions and patient look-ups."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from clinic.models import Patient, Treatment


def treatment_history(*, user, patient: Patient) -> QuerySet[Treatment]:
    """``patient``'s visit records that ``user`` may read, newest first, with their
    doctors and prescription lines in a fixed number of queries.
    """
    return (
        Treatment.objects.visible_to(user)
        .filter(patient=patient)
        .with_details()
        .order_by("-visit_date", "-created_at", "-id")
    )


def treatment_for(*, user, pk: int) -> Treatment:
    """One visit record ``user`` may read; others' ids raise DoesNotExist (a 404)."""
    return Treatment.objects.visible_to(user).with_details().get(pk=pk)


def next_visit_suggestion(*, patient: Patient, today: date | None = None) -> Treatment | None:
    """The latest visit record that suggests a follow-up today or later."""
    today = today or timezone.localdate()
    return (
        Treatment.objects.filter(patient=patient, next_visit_on__gte=today)
        .select_related("doctor__user", "doctor__department")
        .order_by("-visit_date", "-created_at", "-id")
        .first()
    )


def patient_search(*, query: str, limit: int = 20) -> QuerySet[Patient]:
    """Any active patient by name, e-mail or patient id (``P000042`` or ``42``),
    for a doctor recording a walk-in visit.
    """
    query = query.strip()
    if not query:
        return Patient.objects.none()
    match = Q()
    for word in query.split():
        match &= (
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    number = query.upper().removeprefix("P")
    if number.isdigit():
        match |= Q(pk=int(number))
    return (
        Patient.objects.filter(match, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")[:limit]
    )
