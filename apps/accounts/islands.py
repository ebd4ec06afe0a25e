"""Props of the accounts' island, mirroring frontend/islands/tokens/props.ts."""

from django.urls import reverse


def token_island_props() -> dict:
    """Props of the tokens island (frontend/islands/tokens)."""
    return {"apiUrl": reverse("api:token-list")}
