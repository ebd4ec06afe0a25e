"""DRF's rate throttles, keyed by the client address of apps.core.clients.

DRF's own `get_ident` takes `X-Forwarded-For` from anyone when NUM_PROXIES is unset, so a client could
pick a fresh bucket per request by writing a new header.
"""

from rest_framework import throttling

from apps.core.clients import request_client_address


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return request_client_address(request) or "unknown"


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
