from django.conf import settings
from django.middleware.csrf import get_token


def app_config(request) -> dict:
    """The `app-config` json_script of base.html: what frontend/lib/api.ts needs on every page."""
    user = request.user if hasattr(request, "user") else None
    return {
        "app_config": {
            "csrfToken": get_token(request),
            "csrfHeaderName": "X-CSRFToken",
            "user": {"email": user.email} if user is not None and user.is_authenticated else None,
        },
        "vite_dev_mode": settings.DJANGO_VITE["default"]["dev_mode"],
    }
