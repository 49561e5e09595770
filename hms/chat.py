"""Posting to a Google Chat incoming webhook. Imports no app."""

from __future__ import annotations

import json
import urllib.request

from django.conf import settings

TIMEOUT_SECONDS = 5


class ChatError(OSError):
    """The webhook did not take the message; the caller may retry."""


def chat_enabled() -> bool:
    return bool(settings.HMS_CHAT_WEBHOOK_URL)


def send_chat_message(*, text: str, url: str | None = None) -> None:
    """POST ``{"text": ...}`` as JSON; raise ChatError unless the webhook answers 2xx."""
    url = url or settings.HMS_CHAT_WEBHOOK_URL
    if not url.startswith(("https://", "http://")):
        raise ChatError(f"Not an http(s) webhook address: {url!r}")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json; charset=UTF-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except OSError as exc:  # URLError, HTTPError and timeouts are all OSErrors
        raise ChatError(f"Chat webhook failed: {exc}") from exc
    if not 200 <= status < 300:
        raise ChatError(f"Chat webhook answered {status}")
