"""Fixtures of the API tests: a bearer token per person, and calls that send it."""

from __future__ import annotations

import json

import pytest

from accounts.services import api_token_issue


def bearer(user) -> dict[str, str]:
    """Headers that authenticate ``user`` with a fresh API token."""
    _token, raw = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


class Api:
    """The test client speaking JSON to /api/v1/ as one person (or nobody)."""

    def __init__(self, client, user=None, prefix="/api/v1"):
        self.client = client
        self.prefix = prefix
        self.headers = bearer(user) if user is not None else {}

    def _call(self, method, path, body=None, **params):
        url = self.prefix + path
        kwargs = {"headers": self.headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        elif params:
            kwargs["data"] = params
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path, **params):
        return self._call("get", path, **params)

    def post(self, path, body=None):
        return self._call("post", path, {} if body is None else body)

    def put(self, path, body):
        return self._call("put", path, body)

    def delete(self, path):
        return self._call("delete", path)


@pytest.fixture
def api_as(client):
    """``api_as(user)``: the API as that person (``None``: anonymous)."""
    return lambda user=None: Api(client, user)
