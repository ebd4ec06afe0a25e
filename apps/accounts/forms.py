from urllib.parse import urlsplit

from django import forms
from django.contrib.auth import authenticate, password_validation
from oauth2_provider.models import Application

from apps.accounts import login_throttle
from apps.accounts.models import Role, User


def check_password(form: forms.Form, email: str, name: str) -> None:
    """Django's password validators, reported on the form's password field."""
    password = form.cleaned_data.get("password")
    if password:
        try:
            password_validation.validate_password(password, User(email=email, name=name))
        except forms.ValidationError as error:
            form.add_error("password", error)


class SignupForm(forms.Form):
    """The first step of sign-up: whether the address is taken is never said here (apps.accounts.signup)."""

    name = forms.CharField(max_length=150, required=False, label="Your name")
    email = forms.EmailField(label="Email")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class SignupConfirmForm(forms.Form):
    """The second step, from the mailed link: the name (as given) and a password."""

    name = forms.CharField(max_length=150, required=False, label="Your name")
    password = forms.CharField(widget=forms.PasswordInput, label="Password", strip=False)

    def __init__(self, *args, email: str, name: str = "", **kwargs):
        self.email = email
        super().__init__(*args, initial={"name": name}, **kwargs)

    def clean(self):
        cleaned = super().clean()
        check_password(self, self.email, cleaned.get("name", ""))
        return cleaned


class LoginForm(forms.Form):
    email = forms.EmailField(label="Email")
    password = forms.CharField(widget=forms.PasswordInput, label="Password", strip=False)

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email", ""), cleaned.get("password")
        if not email or not password:
            return cleaned
        ip = login_throttle.client_ip(self.request)
        reason = login_throttle.blocked_reason(email=email, ip=ip)
        if reason:
            raise forms.ValidationError(reason, code="throttled")
        self.user = authenticate(self.request, email=email, password=password)
        if self.user is None or not self.user.is_active:
            login_throttle.record_failure(email=email, ip=ip)
            raise forms.ValidationError("That email and password do not match an account.", code="invalid")
        login_throttle.record_success(email=email, ip=ip)
        return cleaned


class MemberForm(forms.Form):
    email = forms.EmailField(label="Email of an existing account")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        self.user = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.user is None:
            raise forms.ValidationError("No account uses this email; ask them to sign up first.")
        return email


class WorkspaceForm(forms.Form):
    name = forms.CharField(max_length=120)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email to invite")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER, label="Invited role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"id_invite_{name}"  # the member form on the same page uses id_email

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class InvitationSignupForm(forms.Form):
    """Sign-up through an invitation: the address is the invited one, so only a name and a password."""

    name = forms.CharField(max_length=150, required=False, label="Your name")
    password = forms.CharField(widget=forms.PasswordInput, label="Password", strip=False)

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        check_password(self, self.email, cleaned.get("name", ""))
        return cleaned


class ApplicationForm(forms.Form):
    name = forms.CharField(max_length=255, label="Application name")
    client_type = forms.ChoiceField(
        label="Client type",
        choices=[
            (Application.CLIENT_CONFIDENTIAL, "Confidential (a server, with a secret)"),
            (Application.CLIENT_PUBLIC, "Public (browser or mobile app, PKCE)"),
        ],
    )
    redirect_uris = forms.CharField(
        label="Redirect URIs",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line; they must match exactly, port included (https, or http for local development).",
    )
    loopback_any_port = forms.BooleanField(
        required=False,
        label="Any port on a loopback address",
        help_text=(
            "For desktop and command-line apps that listen on a port the system picks (RFC 8252): "
            "an http://127.0.0.1/… or http://[::1]/… redirect URI then matches on any port."
        ),
    )

    def clean_redirect_uris(self) -> str:
        uris = self.cleaned_data["redirect_uris"].split()
        problems = [problem for uri in uris if (problem := redirect_uri_problem(uri))]
        if not uris:
            problems.append("Enter at least one redirect URI.")
        if problems:
            raise forms.ValidationError(problems)
        return " ".join(uris)

    def clean(self):
        cleaned = super().clean()
        uris = cleaned.get("redirect_uris", "").split()
        if cleaned.get("loopback_any_port") and uris and not any(loopback_uri(uri) for uri in uris):
            self.add_error(
                "loopback_any_port",
                "Any port applies only to http://127.0.0.1/… or http://[::1]/… redirect URIs; add one, or untick this.",
            )
        return cleaned


def loopback_uri(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and (parts.hostname or "") in ("127.0.0.1", "::1")


def redirect_uri_problem(uri: str) -> str | None:
    """Why `uri` cannot be a redirect URI, as a sentence, or None."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number
    except ValueError:
        return f"“{uri}” is not a web address."
    if parts.scheme not in ("http", "https"):
        return f"“{uri}” is not a web address: a redirect URI starts with https:// (or http:// for local development)."
    if not parts.hostname:
        return f"“{uri}” has no host name."
    if "@" in parts.netloc:
        return f"“{uri}” carries a user name or password; a redirect URI may not."
    if "#" in uri:
        return f"“{uri}” has a #fragment; a redirect URI may not."
    if "*" in parts.netloc:
        return f"“{uri}” has a wildcard; a redirect URI names one exact address."
    return None
