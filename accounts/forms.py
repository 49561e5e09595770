from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import User

DISABLED_MESSAGE = _(
    "A disabled account cannot sign in; if yours is, please contact the hospital front desk."
)
# One sentence for the translators (Hindi orders it its own way), ending in DISABLED_MESSAGE.
INVALID_LOGIN = _(
    "Please enter a correct e-mail address and password. A disabled account cannot sign in; "
    "if yours is, please contact the hospital front desk."
)


def submit_helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class LoginForm(auth_forms.AuthenticationForm):
    """Sign in with e-mail and password.

    A disabled account answers exactly like a wrong password, whatever password
    is tried, and its failures count towards the lockout like any other: telling
    a disabled person "disabled" only when the password is right would let anyone
    test passwords past the lockout. Every failure says that disabled accounts
    cannot sign in, so the person who is disabled still learns why.
    """

    username = auth_forms.UsernameField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": INVALID_LOGIN,
        "inactive": INVALID_LOGIN,
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Sign in"))


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Change password"))


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Send reset link"))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """The reset e-mail in its recipient's language (``User.language``), not
        the language of the page that asked for it."""
        from django.utils import translation

        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Set password"))


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        help_text=_(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
    )

    def __init__(self, *args, submit_label: str = _("Continue"), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit_label)


class EmailPreferencesForm(forms.Form):
    """The optional e-mails a person may turn off (confirmations always go)."""

    email_reminders = forms.BooleanField(
        label=capfirst(User._meta.get_field("email_reminders").verbose_name), required=False
    )
    email_waitlist_offers = forms.BooleanField(
        label=capfirst(User._meta.get_field("email_waitlist_offers").verbose_name),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
