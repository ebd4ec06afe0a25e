"""Server-rendered account pages and the workspace page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.accounts import selectors, services, sso
from apps.accounts.forms import (
    InvitationForm,
    InvitationSignupForm,
    LoginForm,
    MemberForm,
    WorkspaceForm,
)
from apps.accounts.islands import token_island_props
from apps.accounts.models import Invitation, Role, User
from apps.accounts.redirects import safe_next
from apps.core import permissions
from apps.datasets.selectors import catalog_listing


def login_view(request):
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect(safe_next(request, reverse("home")))
    status = 429 if form.has_error("__all__", "throttled") else 200
    context = {"form": form, "next": safe_next(request, ""), "sso": sso.button()}
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("home")


@login_required
def settings_view(request):
    password_form = PasswordChangeForm(request.user, request.POST or None)
    # Autofocus here would carry keyboard users past the token form above it.
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    if request.method == "POST" and password_form.is_valid():
        user = password_form.save()
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "password_form": password_form,
            "token_props": token_island_props(),
            "authorized_apps": selectors.authorized_applications_of(request.user),
            "identities": request.user.external_identities.all(),
            "has_password": request.user.has_usable_password(),
        },
    )


@login_required
@require_POST
def tokens_revoke_all_view(request):
    """The settings page's "Revoke all API tokens" button, with its confirming checkbox ticked."""
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm, then revoke all API tokens.")
        return redirect("accounts:settings")
    count = services.tokens_revoke_all(user=request.user)
    messages.success(request, f"All your API tokens were revoked ({count}); scripts using them stop working now.")
    return redirect("accounts:settings")


@login_required
def workspace_create_view(request):
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workspace = services.workspace_create(name=form.cleaned_data["name"], owner=request.user)
        messages.success(request, f"Workspace “{workspace.name}” created.")
        return redirect("workspace", workspace=workspace.slug)
    return render(request, "accounts/workspace_new.html", {"form": form})


def workspace_view(request, workspace: str):
    """The workspace page: its members, and for owners the member management forms."""
    workspace_obj = permissions.workspace_for(request.user, workspace)
    role = permissions.role_in(request.user, workspace_obj)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not permissions.role_allows(role, permissions.MANAGE):
            return HttpResponseForbidden("Only owners can add members.")
        if form.is_valid():
            try:
                services.membership_set(workspace=workspace_obj, user=form.user, role=form.cleaned_data["role"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{form.user.email} is now {form.cleaned_data['role']}.")
                return redirect("workspace", workspace=workspace_obj.slug)
    return workspace_page(request, workspace_obj, form=form)


def workspace_page(request, workspace_obj, *, form=None, invite_form=None, status: int = 200):
    role = permissions.role_in(request.user, workspace_obj)
    can_manage = permissions.role_allows(role, permissions.MANAGE)
    return render(
        request,
        "accounts/workspace.html",
        {
            "workspace": workspace_obj,
            "role": role,
            "can_manage": can_manage,
            "members": selectors.members_of(workspace_obj),
            "datasets": catalog_listing(request.user, workspace=workspace_obj.slug),
            "dashboards": workspace_obj.dashboards.all(),
            "form": form or MemberForm(),
            "invite_form": invite_form or InvitationForm(),
            "invitations": selectors.invitations_pending(workspace_obj) if can_manage else [],
            "roles": Role.choices,
        },
        status=status,
    )


@require_POST
def invitation_create_view(request, workspace: str):
    """An owner invites an e-mail address; the link goes out by e-mail and is shown once here."""
    workspace_obj = permissions.workspace_for(request.user, workspace, permissions.MANAGE)
    invite_form = InvitationForm(request.POST)
    if invite_form.is_valid():
        try:
            invitation, link = services.invitation_create(
                workspace=workspace_obj,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
                **invite_form.cleaned_data,
            )
        except ValidationError as error:
            invite_form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Invitation e-mailed to {invitation.email} as {invitation.role}. "
                f"You can also send them this link, which works once within {settings.INVITATION_DAYS} days: {link}",
            )
            return redirect("workspace", workspace=workspace_obj.slug)
    return workspace_page(request, workspace_obj, invite_form=invite_form, status=400)


@require_POST
def invitation_revoke_view(request, workspace: str, pk: int):
    workspace_obj = permissions.workspace_for(request.user, workspace, permissions.MANAGE)
    invitation = get_object_or_404(Invitation, pk=pk, workspace=workspace_obj)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation of {invitation.email} was withdrawn; its link no longer works.")
    return redirect("workspace", workspace=workspace_obj.slug)


def invite_view(request, token: str):
    """Accept an invitation: signed in, join; otherwise create the invited account, or sign in first."""
    invitation = services.invitation_find(token)
    if invitation is None:
        return render(request, "accounts/invite.html", {"error": "This invitation link is not valid."}, status=404)
    refusal = invitation.refusal()
    if refusal:
        return render(request, "accounts/invite.html", {"invitation": invitation, "error": refusal}, status=410)
    context = {"invitation": invitation, "account_exists": User.objects.filter(email__iexact=invitation.email).exists()}
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                services.invitation_accept(secret=token, user=request.user)
            elif context["account_exists"]:
                raise ValidationError("An account already uses this address: sign in to accept the invitation.")
            elif form.is_valid():
                user, _ = services.invitation_sign_up(secret=token, **form.cleaned_data)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                return render(request, "accounts/invite.html", {**context, "form": form}, status=400)
        except ValidationError as error:
            return render(
                request, "accounts/invite.html", {**context, "form": form, "problems": error.messages}, status=400
            )
        messages.success(request, f"You joined {invitation.workspace.name} as {invitation.role}.")
        return redirect("workspace", workspace=invitation.workspace.slug)
    return render(request, "accounts/invite.html", {**context, "form": form})


@require_POST
def member_remove_view(request, workspace: str, user_id: int):
    workspace_obj = permissions.workspace_for(request.user, workspace, permissions.MANAGE)
    member = get_object_or_404(User, pk=user_id, memberships__workspace=workspace_obj)
    try:
        services.membership_remove(workspace=workspace_obj, user=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.email} was removed from {workspace_obj.name}.")
    return redirect("workspace", workspace=workspace_obj.slug)
