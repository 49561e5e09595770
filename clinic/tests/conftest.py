from datetime import datetime

import pytest
import time_machine
from django.utils import timezone


@pytest.fixture
def clinic_today():
    """Tuesday 1 December 2026, 10:00 in the clinic."""
    at = timezone.make_aware(datetime(2026, 12, 1, 10, 0))
    with time_machine.travel(at, tick=False) as traveller:
        yield traveller
