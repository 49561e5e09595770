import pytest

from scheduling.tests.conftest import clinic_now, open_doctor  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Exports are written under a temporary MEDIA_ROOT, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
