"""The API's docs page runs in Chromium under the project's CSP (script-src
'self'): Swagger UI draws every operation, with no CSP violation.
"""

import pytest

from devtools.browser import expect, watch_console

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_draws_the_api_docs_without_a_csp_violation(page):
    console = watch_console(page)

    page.goto("/api/v1/docs")

    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 30
    expect(page.get_by_text("/api/v1/auth/token").first).to_be_visible()
    assert console.csp_violations == []
    assert console.errors == []
