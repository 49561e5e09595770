"""The outbox: one row per message to one person on one channel.

A row is written in the transaction of the change that causes it (a booking,
a cancellation, a reminder falling due, a report being made), so the message
exists exactly when the change does. Workers send it by claiming it with a
conditional update; the unique (event, recipient, channel) makes a second
run of whatever wrote it write nothing new.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        CHAT = "chat", _("Google Chat")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        WITHDRAWN = "withdrawn", _("Withdrawn (no longer true)")

    # Declared only to give the column its translated name in the admin.
    id = models.BigAutoField(_("ID"), primary_key=True)
    event_key = models.CharField(
        _("event"),
        max_length=200,
        help_text=_("What caused the message, e.g. appointment:12:booked:0 or reminder:12:24h."),
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    recipient = models.CharField(
        _("recipient"), max_length=254, help_text=_("An e-mail address, or the Google Chat space.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("body text"))
    body_html = models.TextField(_("body html"), blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=100, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment = models.TextField(_("attachment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    queued_at = models.DateTimeField(
        _("queued at"),
        null=True,
        blank=True,
        help_text=_("When it was last handed to the workers."),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep: due pending rows, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="notifications_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "channel"],
                name="notifications_once_per_event_recipient_channel",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["pending", "sending", "sent", "failed", "withdrawn"]
                ),
                name="notifications_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return _("%(channel)s to %(recipient)s: %(subject)s") % {
            "channel": self.get_channel_display(),
            "recipient": self.recipient,
            "subject": self.subject or self.event_key,
        }
