import pytest

pytestmark = pytest.mark.django_db

CLOSED_PORT_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        # Port 9 (discard) has nothing listening on this machine.
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
            "IGNORE_EXCEPTIONS": True,
        },
    }
}


def test_it_answers_200_when_database_and_cache_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "status": "ok"}


def test_it_answers_503_naming_the_cache_when_the_cache_is_down(client, settings):
    settings.CACHES = CLOSED_PORT_CACHE

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "down", "status": "down: cache"}


def test_it_still_serves_pages_when_the_cache_is_down(client, settings):
    settings.CACHES = CLOSED_PORT_CACHE

    response = client.get("/accounts/login/")

    assert response.status_code == 200
