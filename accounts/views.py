from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import forms, services
from accounts.models import ApiToken


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
