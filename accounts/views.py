import time
from base64 import b32encode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_http_methods, require_POST

from accounts import forms, services, two_factor
from accounts.models import ApiToken, User
from hms.forms import add_service_errors

# What the two-factor settings page does: confirm the authenticator being set
# up, make new recovery codes, turn it off.
ACTIONS = ("confirm", "codes", "disable")
# The session key of a sign-in whose password was right and whose code is awaited.
PENDING_KEY = "_hms_2fa_pending"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Sign in; a person with an authenticator is asked for a code next."""

    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.is_enrolled(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("accounts:login-code")


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return settings.LOGIN_REDIRECT_URL


def _locked(request: HttpRequest, user: User) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": user.email})


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the authenticator's code (or a recovery code).

    Also where a signed-in person whose role requires a second factor confirms
    it for this session. Wrong codes count towards the lockout.
    """
    pending = request.session.get(PENDING_KEY)
    if request.user.is_authenticated:
        user, target = request.user, request.GET.get("next")
    elif pending and time.time() - pending["at"] < PENDING_SECONDS:
        user = User.objects.filter(pk=pending["user"], is_active=True).first()
        target = pending["next"]
    else:
        user = None
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    if _locked(request, user):
        return render(request, "accounts/locked_out.html", status=429)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user=user, token=form.cleaned_data["token"], request=request)
        if device is not None:
            if not request.user.is_authenticated:
                auth_login(request, user, backend=pending["backend"])
            django_otp.login(request, device)
            request.session.pop(PENDING_KEY, None)
            return redirect(_safe_next(request, target))
        if _locked(request, user):
            return render(request, "accounts/locked_out.html", status=429)
        form.add_error("token", two_factor.WRONG_CODE)
    return render(request, "accounts/login_code.html", {"form": form}, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor sign-in (scan, confirm with a code, keep the recovery
    codes), get new recovery codes, or turn it off."""
    user = request.user
    action = request.POST.get("action")
    if action not in ACTIONS:
        action = "confirm"
    # One form per action (each with its own field ids); only the one sent is bound.
    code_forms = {name: forms.CodeForm(prefix=name) for name in ACTIONS}
    form = forms.CodeForm(request.POST or None, prefix=action)
    codes = None
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        try:
            if action == "disable":
                two_factor.two_factor_disable(user=user, token=token)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:two-factor")
            if action == "codes":
                if two_factor.verify(user=user, token=token, request=request) is None:
                    raise ValidationError({"token": two_factor.WRONG_CODE})
                codes = two_factor.recovery_codes_renew(user=user)
            else:
                codes = two_factor.enrolment_confirm(user=user, token=token)
                device = user.totpdevice_set.get(confirmed=True)
                django_otp.login(request, device)
                messages.success(request, _("Two-factor sign-in is on."))
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        code_forms[action] = form
    enrolled = two_factor.is_enrolled(user)
    device = None if enrolled else two_factor.enrolment_start(user=user)
    context = {
        "forms": code_forms,
        "enrolled": enrolled,
        "required": two_factor.required_for(user),
        "codes": codes,
        "qr": two_factor.qr_svg(device) if device else "",
        "secret": device and _secret(device),
        "next": _safe_next(request, request.GET.get("next")) if codes else None,
    }
    status = 422 if form.errors else 200
    return render(request, "accounts/two_factor.html", context, status=status)


def _secret(device) -> str:
    """The key as people type it into an app that cannot scan (base32, in fours)."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


@login_required
def api_token_list(request: HttpRequest) -> HttpResponse:
    """The person's API tokens (the working ones first), each revocable."""
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    page = Paginator(tokens, 20).get_page(request.GET.get("page"))
    return render(
        request, "accounts/api_token_list.html", {"page_obj": page, "now": timezone.now()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then end one of the person's tokens; others' tokens are a 404."""
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    if request.method == "POST":
        services.api_token_revoke(token=token)
        messages.success(
            request, _("The token %(prefix)s… no longer works.") % {"prefix": token.prefix}
        )
        return redirect("accounts:api-token-list")
    return render(request, "accounts/api_token_revoke.html", {"token": token})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's ``set_language`` (the language cookie, a
    safe ``next``), and for a signed-in person their own language, kept on
    their account so every device and every e-mail follows it.

    A code HMS does not offer changes nothing (the person is sent back).
    """
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        request.POST = request.POST.copy()
        request.POST.pop("language", None)
    response = i18n.set_language(request)
    if code in dict(settings.LANGUAGES) and request.user.is_authenticated:
        services.user_set_language(user=request.user, language=code)
    return response
