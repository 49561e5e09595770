from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str | None:
        # E-mail is the login and unique whatever its letter case, so it is
        # stored in one case; a constraint on Lower(email) backs this up.
        # No e-mail is NULL, never "": a patient registered at the desk
        # without one, of whom there may be many (NULLs are never equal, so
        # the unique constraints leave them alone).
        return (email or "").strip().lower() or None

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: an admin, a receptionist, a doctor or a patient.

    ``is_active`` false means disabled (blacklisted): the person cannot sign
    in and cannot be booked.
    """

    email = models.EmailField(
        _("e-mail address"),
        max_length=254,
        unique=True,
        # Only patients registered at the front desk go without: they have
        # no password either and cannot sign in until staff add an e-mail.
        null=True,
        blank=True,
        error_messages={"unique": _("A person with this e-mail address is already registered.")},
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unticked means disabled: the person cannot sign in or be booked."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can use the Django admin site (hospital administrators)."),
    )
    disabled_reason = models.CharField(_("disabled reason"), max_length=255, blank=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Counts changes to the person's groups: a role kept in a session is
    # trusted only while this is unchanged (accounts.middleware).
    groups_version = models.PositiveIntegerField(
        _("groups version"), default=0, db_default=0, editable=False
    )
    # Optional e-mails the person may turn off; confirmations and
    # cancellations always go out.
    email_reminders = models.BooleanField(
        _("e-mail me reminders before my appointments"), default=True, db_default=True
    )
    email_waitlist_offers = models.BooleanField(
        _("e-mail me when a waitlisted slot is offered to me"), default=True, db_default=True
    )
    # The language of the person's pages once signed in and of every e-mail
    # and notice sent to them, whoever sends it; blank until they choose one
    # (then their browser's language for pages, the clinic's default for mail).
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        default="",
        db_default="",
        choices=settings.LANGUAGES,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_(
                    "A person with this e-mail address is already registered."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    @property
    def language(self) -> str:
        """The language to write to this person in: their choice, else the
        clinic's default (settings.LANGUAGE_CODE)."""
        return self.preferred_language or settings.LANGUAGE_CODE

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @cached_property
    def role(self) -> Role | None:
        """The person's role, read from their group (a superuser is an admin).

        On a request the role usually comes from the session instead (no
        query; accounts.middleware.SessionRoleMiddleware).
        """
        if self.is_superuser:
            return Role.ADMIN
        names = {g.name for g in self.groups.all()}
        for role in (Role.ADMIN, Role.RECEPTION, Role.DOCTOR, Role.PATIENT):
            if role.group_name in names:
                return role
        return None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_reception(self) -> bool:
        return self.role == Role.RECEPTION

    @property
    def is_front_desk(self) -> bool:
        """Reception or an admin: who may register, book for and check in patients."""
        return self.role in (Role.RECEPTION, Role.ADMIN)

    @property
    def is_doctor(self) -> bool:
        return self.role == Role.DOCTOR

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now=None) -> ApiTokenQuerySet:
        """Tokens that still open the API: not revoked, not expired."""
        return self.filter(revoked_at=None, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """A bearer token for the JSON API and FHIR, issued at sign-in with a password.

    Only a SHA-256 hash of the token is stored (the token itself is random
    and shown once), so a copy of the database opens nothing. ``auth_hash``
    is the account's session hash when the token was issued: a new password
    changes it, and the token stops working as a session would.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(
        _("prefix"), max_length=12, help_text=_("The token's first characters, to tell it apart.")
    )
    auth_hash = models.CharField(_("auth hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_apitoken_user_live")]

    def __str__(self) -> str:
        return f"{self.prefix}… of {self.user}"

    def is_live(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
