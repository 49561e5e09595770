"""The OpenAPI schema is a committed contract, and the docs page runs under the CSP."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).resolve().parents[1] / "openapi.json"


def test_it_serves_the_committed_schema(client):
    served = client.get("/api/v1/openapi.json").json()

    committed = json.loads(SNAPSHOT.read_text())
    assert served == committed, "The API changed: run `make openapi` and commit api/openapi.json."


def test_it_documents_every_route_with_its_errors(client):
    schema = client.get("/api/v1/openapi.json").json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path != "/api/v1/auth/token":
                assert "401" in operation["responses"], (method, path)
            if method != "get" and path != "/api/v1/auth/token":
                assert "422" in operation["responses"] or "404" in operation["responses"]


def test_it_serves_the_docs_from_its_own_static_files_under_the_csp(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
    assert scripts
    for attrs, body in scripts:
        # Either a file of ours, or data (not run by the browser).
        assert 'src="/static/' in attrs or 'type="application/json"' in attrs, attrs
        if "src=" in attrs:
            assert not body.strip()
            name = re.search(r'src="/static/([^"]+)"', attrs).group(1)
            assert finders.find(name), name
    assert "http://" not in response.text
    assert "https://" not in response.text
