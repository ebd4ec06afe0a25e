"""Password reset: Django's views with request limits, and the choice to end every API token at once.

Requests are limited per e-mail address (PASSWORD_RESETS_PER_EMAIL an hour) and per client address
(PASSWORD_RESETS_PER_IP an hour). Both count every request, whether or not the address has an account,
so a refusal says nothing about accounts. Choosing a new password may also revoke every personal API
token: someone who lost their password may have lost their tokens too.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm

from apps.accounts import services
from apps.accounts.limits import Counter, wait_text
from apps.core.clients import request_client_address


def _per_email() -> Counter:
    return Counter("reset-email", settings.PASSWORD_RESETS_PER_EMAIL, 3600)


def _per_ip() -> Counter:
    return Counter("reset-ip", settings.PASSWORD_RESETS_PER_IP, 3600)


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        email = form.cleaned_data["email"].lower()
        ip = request_client_address(self.request) or "unknown"
        for counter, value, who in ((_per_ip(), ip, "your network"), (_per_email(), email, "this address")):
            if counter.reached(value):
                form.add_error(
                    None,
                    f"Too many password reset requests from {who}. Wait {wait_text(counter.wait(value))} "
                    "and try again; a link already sent keeps working.",
                )
                return self.render_to_response(self.get_context_data(form=form), status=429)
        _per_ip().add(ip)
        _per_email().add(email)
        return super().form_valid(form)


class ResetSetPasswordForm(SetPasswordForm):
    revoke_tokens = forms.BooleanField(
        required=False,
        label="Also revoke all my API tokens",
        help_text="Scripts using them stop working; make new ones on the settings page.",
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetSetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("revoke_tokens"):
            count = services.tokens_revoke_all(user=form.user)
            messages.success(self.request, f"All your API tokens were revoked ({count}).")
        return response
