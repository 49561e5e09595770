from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms

from accounts.models import User

DISABLED_MESSAGE = (
    "This account has been disabled, so you cannot sign in. Please contact the hospital front desk."
)


def submit_helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class LoginForm(auth_forms.AuthenticationForm):
    """Sign in with e-mail and password.

    Django's backend treats a disabled account like a wrong password; a person
    who knows their password is told plainly that the account is disabled.
    """

    username = auth_forms.UsernameField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Sign in")

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            disabled = User.objects.filter(email__iexact=email, is_active=False).first()
            if disabled is not None and disabled.check_password(password):
                raise forms.ValidationError(DISABLED_MESSAGE, code="inactive")
        return super().clean()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Change password")


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Send reset link")


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Set password")


class EmailPreferencesForm(forms.Form):
    """The optional e-mails a person may turn off (confirmations always go)."""

    email_reminders = forms.BooleanField(
        label=User._meta.get_field("email_reminders").verbose_name.capitalize(), required=False
    )
    email_waitlist_offers = forms.BooleanField(
        label=User._meta.get_field("email_waitlist_offers").verbose_name.capitalize(),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
