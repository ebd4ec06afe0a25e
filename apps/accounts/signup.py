"""Sign-up that never says whether an address has an account.

Sign-up asks for a name and an e-mail address and always answers "check your mail". A new address gets a
link, good as long as a password-reset link (PASSWORD_RESET_TIMEOUT), where its owner chooses a password
and the account is made; an address that already has an account gets a "you already have an account" mail
instead. Only the owner of the mailbox learns which. No password is chosen before the address is proven,
so nobody can set up an account in someone else's name and wait for them. Sign-ups are limited per client
address (SIGNUPS_PER_IP an hour), and mails per address, so the form cannot be used to flood a mailbox.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from apps.accounts import services
from apps.accounts.forms import SignupConfirmForm, SignupForm
from apps.accounts.limits import Counter, wait_text
from apps.accounts.models import User
from apps.core.clients import request_client_address

SALT = "accounts.signup"
MAILS_PER_ADDRESS = 3  # an hour


def _per_ip() -> Counter:
    return Counter("signup-ip", settings.SIGNUPS_PER_IP, 3600)


def _per_address() -> Counter:
    return Counter("signup-email", MAILS_PER_ADDRESS, 3600)


def signup_request(*, email: str, name: str, base_url: str) -> None:
    """Mail `email` a link to finish signing up, or, when it already has an account, say so to it."""
    email = User.objects.normalize_email(email).lower()
    if _per_address().add(email) > MAILS_PER_ADDRESS:
        return  # answered as always; the mailbox is not flooded
    login_url = f"{base_url.rstrip('/')}{reverse('accounts:login')}"
    if User.objects.filter(email__iexact=email).exists():
        reset_url = f"{base_url.rstrip('/')}{reverse('accounts:password_reset')}"
        subject = "You already have a Datamill account"
        body = render_to_string("accounts/signup_exists_email.txt", {"login_url": login_url, "reset_url": reset_url})
    else:
        token = signing.dumps({"email": email, "name": name}, salt=SALT)
        link = f"{base_url.rstrip('/')}{reverse('accounts:signup-confirm', args=[token])}"
        hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
        subject = "Finish creating your Datamill account"
        body = render_to_string("accounts/signup_email.txt", {"link": link, "hours": hours})
    send_mail(subject, body, None, [email])


def signup_link_read(token: str) -> dict | None:
    """The address and name a sign-up link was sent for, or None when it is forged or expired."""
    try:
        return signing.loads(token, salt=SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None


def signup_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = request_client_address(request) or "unknown"
        if _per_ip().reached(ip):
            form.add_error(None, f"Too many sign-ups from your network. Wait {wait_text(_per_ip().wait(ip))}.")
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        _per_ip().add(ip)
        signup_request(base_url=request.build_absolute_uri("/"), **form.cleaned_data)
        return render(request, "accounts/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/signup.html", {"form": form})


def signup_confirm_view(request, token: str):
    """The link from the sign-up mail: choose a password, and the account is made and signed in."""
    found = signup_link_read(token)
    if found is None:
        return render(request, "accounts/signup_confirm.html", {"invalid": True}, status=400)
    if User.objects.filter(email__iexact=found["email"]).exists():
        messages.info(request, "This address already has an account: sign in.")
        return redirect("accounts:login")
    form = SignupConfirmForm(request.POST or None, email=found["email"], name=found.get("name", ""))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(email=found["email"], **form.cleaned_data)
        except ValidationError:
            messages.info(request, "This address already has an account: sign in.")
            return redirect("accounts:login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session["new_account"] = True  # the home page welcomes, rather than welcomes back, this session
        messages.success(request, "Welcome to Datamill. Your personal workspace is ready.")
        return redirect("home")
    return render(request, "accounts/signup_confirm.html", {"form": form, "email": found["email"]})
