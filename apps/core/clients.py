"""Which address a request comes from: the one function every limit, log and audit record asks.

The TCP peer is the client, unless the peer is a proxy listed in FORWARDED_ALLOW_IPS (addresses or
networks; none by default). Then `X-Forwarded-For` is read from the right, each trusted proxy skipped,
and the first address no trusted proxy owns is the client: whatever a client writes on the left of the
header cannot move its requests into someone else's bucket. Uvicorn applies the same rule to its own
access log when `manage.py start` passes it the same list.
"""

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_proxies(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of FORWARDED_ALLOW_IPS; a malformed entry is a configuration error, not ignored."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(address, proxies: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(meta: Mapping[str, str]) -> str | None:
    """The client's IP address for a request's META (or the like built from a WebSocket scope), or
    None when the peer is not an IP address (a unix socket)."""
    peer = _address(meta.get("REMOTE_ADDR", "") or "")
    proxies = trusted_proxies(tuple(settings.FORWARDED_ALLOW_IPS))
    if not _is_trusted(peer, proxies):
        return str(peer) if peer is not None else None
    hops = [hop for hop in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # garbage: the last proxy that wrote sense is as far as one can see
            break
        client = address
        if not _is_trusted(client, proxies):
            break
    return str(client)


def request_client_address(request) -> str | None:
    """`client_address` of a Django or DRF request."""
    return client_address(request.META)
