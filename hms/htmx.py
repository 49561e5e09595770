"""One rule for the views that answer with a whole page or one of its partials."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request swapping part of the page, not a back-button history
    restore: htmx asks for a restore when its history cache misses and puts the
    answer in place of the whole page, so it must get the whole page.
    """
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page_or_fragment(
    request: HttpRequest,
    template: str,
    partial: str | None,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """``template`` for a page load, ``template#partial`` for an htmx swap.

    ``partial=None`` means the whole page whoever asks (a POST answered in
    place, say). Either way the response varies on ``HX-Request``, so a cache
    (the browser's included) never hands the fragment to a page load.
    """
    if partial and wants_fragment(request):
        template = f"{template}#{partial}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
