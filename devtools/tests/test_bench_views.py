"""The benchmark's signed-in JSON baseline (mounted only with HMS_BENCH_VIEWS)."""

import pytest

from devtools import views as bench_views


@pytest.mark.django_db
def test_it_answers_the_signed_in_with_json_and_others_with_401(rf, patient):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/bench/ping.json")
    request.user = patient.user
    signed_in = bench_views.ping_json(request)
    request.user = AnonymousUser()
    anonymous = bench_views.ping_json(request)

    assert signed_in.status_code == 200
    assert b'"user": %d' % patient.user.pk in signed_in.content
    assert anonymous.status_code == 401
