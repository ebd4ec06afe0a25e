from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from apps.accounts import oauth, password_reset, signup, sso, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("signup/", signup.signup_view, name="signup"),
    path("signup/confirm/<str:token>/", signup.signup_confirm_view, name="signup-confirm"),
    path("logout/", views.logout_view, name="logout"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/revoke-tokens/", views.tokens_revoke_all_view, name="tokens-revoke-all"),
    # OAuth2 applications people register, and the access they gave others.
    path("apps/", oauth.applications_view, name="apps"),
    path("apps/<int:pk>/delete/", oauth.application_delete_view, name="app-delete"),
    path("authorizations/<int:pk>/revoke/", oauth.authorization_revoke_view, name="authorization-revoke"),
    # Single sign-on with the configured OpenID Connect provider.
    path("sso/login/", sso.sso_login_view, name="sso-login"),
    path("sso/callback/", sso.sso_callback_view, name="sso-callback"),
    # Django's password reset; the reply never says whether an address has an account.
    path(
        "password_reset/",
        password_reset.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
