"""Server-rendered account pages and the workspace page."""

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts import selectors, services
from apps.accounts.forms import LoginForm, MemberForm, SignupForm, WorkspaceForm
from apps.accounts.islands import token_island_props
from apps.accounts.models import Role, User
from apps.core import permissions
from apps.datasets.selectors import catalog_listing


def safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def signup_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Datamill. Your personal workspace is ready.")
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


def login_view(request):
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect(safe_next(request, reverse("home")))
    status = 429 if form.has_error("__all__", "throttled") else 200
    return render(request, "accounts/login.html", {"form": form, "next": safe_next(request, "")}, status=status)


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
        {"password_form": password_form, "token_props": token_island_props()},
    )


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
    can_manage = permissions.role_allows(role, permissions.MANAGE)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            return HttpResponseForbidden("Only owners can add members.")
        if form.is_valid():
            try:
                services.membership_set(workspace=workspace_obj, user=form.user, role=form.cleaned_data["role"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{form.user.email} is now {form.cleaned_data['role']}.")
                return redirect("workspace", workspace=workspace_obj.slug)
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
            "form": form,
            "roles": Role.choices,
        },
    )


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
