from django import forms
from django.contrib.auth import authenticate, password_validation

from apps.accounts import login_throttle
from apps.accounts.models import Role, User


class SignupForm(forms.Form):
    name = forms.CharField(max_length=150, required=False, label="Your name")
    email = forms.EmailField(label="Email")
    password = forms.CharField(widget=forms.PasswordInput, label="Password", strip=False)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists. Sign in instead.")
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            probe = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(cleaned["password"], probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
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
        login_throttle.record_success(email=email)
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
