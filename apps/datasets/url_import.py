"""Fetching a file from a URL in a worker, without letting the URL reach inside the network.

Only http and https. Every host is resolved first and refused if any address is loopback,
private, link-local, multicast, reserved or otherwise not global; the connection then goes to the
address that was checked (no second DNS answer can swap it), and every redirect is checked again.
The operator may allow private and loopback addresses (`OUTBOUND_ALLOW_PRIVATE`) for internal networks
and local tests; that applies to URL imports, scheduled refreshes and webhooks alike, which all leave
through this module (`fetch` for files, `post` for webhook deliveries).
"""

import hashlib
import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings

from apps.jobs.errors import JobError

MAX_REDIRECTS = 5
CHUNK = 1024 * 1024


class UrlImportError(JobError):
    """The URL was refused or could not be fetched; the text says why."""


class DownloadInterrupted(UrlImportError):
    """A failure that may pass (a reset or timed-out connection, a 5xx or 429 answer): the task retries it."""


def redacted_url(url: str) -> str:
    """`url` as readers and logs may see it: no user name, password, query string or fragment (where keys and
    tokens travel); "?…" says a query was there. Text that is not a URL (a file name) is returned as it is."""
    if "://" not in (url or ""):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return url.split("://", 1)[0] + "://…"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    tail = "?…" if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")) + tail


# Answers that say "not now" rather than "not ever".
TRANSIENT_STATUSES = {408, 425, 429, 500, 502, 503, 504}


# IPv6 ranges that carry an IPv4 address inside (transition mechanisms): a gateway may turn them into a
# connection to that IPv4 address, private or not, so they are refused whatever they wrap.
WRAPPING_NETWORKS = (
    (ipaddress.ip_network("2002::/16"), "6to4"),
    (ipaddress.ip_network("2001::/32"), "Teredo"),
    (ipaddress.ip_network("64:ff9b::/96"), "NAT64"),
    (ipaddress.ip_network("64:ff9b:1::/48"), "local-use NAT64"),
    (ipaddress.ip_network("::ffff:0:0/96"), "IPv4-mapped"),
    (ipaddress.ip_network("::ffff:0:0:0/96"), "IPv4-translated"),
    (ipaddress.ip_network("::/96"), "IPv4-compatible"),
)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address wraps (6to4, Teredo's client, NAT64, mapped, compatible, translated,
    ISATAP's interface identifier), or None."""
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ipaddress.IPv4Address(int(ip.teredo[1]))  # the client's address (already un-obfuscated)
    packed = int(ip)
    if (packed >> 32) & 0xFFFFFFFF in (0x00005EFE, 0x02005EFE):  # ISATAP: ::0:5efe:a.b.c.d in any prefix
        return ipaddress.IPv4Address(packed & 0xFFFFFFFF)
    for network, _ in WRAPPING_NETWORKS:
        if ip in network:
            return ipaddress.IPv4Address(packed & 0xFFFFFFFF)
    return None


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def check_address(address: str) -> None:
    """Raise UrlImportError unless `address` is a public internet address that wraps no other address.

    IPv6 transition ranges (WRAPPING_NETWORKS) are refused outright; any other IPv6 address carrying an IPv4
    address (ISATAP) is judged by that IPv4 address too."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        for network, name in WRAPPING_NETWORKS:
            if ip in network:
                wrapped = f" ({name}, wrapping {inner})" if inner is not None and int(inner) > 1 else ""
                raise UrlImportError(f"Refused: the address {ip}{wrapped} is not a public internet address.")
        if inner is not None and not _is_public(inner):
            raise UrlImportError(f"Refused: the address {ip} (wrapping {inner}) is not a public internet address.")
    if not _is_public(ip):
        raise UrlImportError(f"Refused: the address {ip} is not a public internet address.")


def resolve(host: str, port: int) -> str:
    """The first address of `host`, after checking that all of its addresses are public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise UrlImportError(f"The host name “{host}” could not be resolved ({error.strerror}).") from None
    addresses = [info[4][0] for info in infos]
    if not getattr(settings, "OUTBOUND_ALLOW_PRIVATE", False):
        for address in addresses:
            check_address(address)
    return addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def checked_connection(url: str, timeout: float):
    """A connection to the checked address of `url`'s host, and the path to ask for."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UrlImportError(f"Only http and https URLs can be imported, not “{parts.scheme or redacted_url(url)}”.")
    if not parts.hostname:
        raise UrlImportError("The URL has no host name.")
    if parts.username or parts.password:
        raise UrlImportError("URLs with a user name or password are not imported.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port)
    connection_class = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return connection_class(parts.hostname, port, address, timeout), path


def open_url(url: str, timeout: float, headers: dict[str, str] | None = None):
    """The response for `url` after following safe redirects: a 200, or a 304 when `headers` made the
    request conditional and the file has not changed."""
    for _ in range(MAX_REDIRECTS + 1):
        connection, path = checked_connection(url, timeout)
        try:
            connection.request(
                "GET", path, headers={"User-Agent": "Datamill URL import", "Accept": "*/*", **(headers or {})}
            )
            response = connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise DownloadInterrupted(f"Could not fetch {redacted_url(url)}: {error}.") from None
        if response.status in (301, 302, 303, 307, 308):
            location = response.getheader("Location")
            connection.close()
            if not location:
                raise UrlImportError(f"{redacted_url(url)} redirected without saying where to.")
            url = urljoin(url, location)
            continue
        if response.status == 304 and headers:
            return response, connection
        if response.status != 200:
            connection.close()
            error = DownloadInterrupted if response.status in TRANSIENT_STATUSES else UrlImportError
            raise error(f"The server answered {response.status} {response.reason} for {redacted_url(url)}.")
        return response, connection
    raise UrlImportError(f"More than {MAX_REDIRECTS} redirects; giving up.")


@dataclass(frozen=True)
class Fetched:
    """What a fetch brought: `not_modified` (a 304: nothing written), or the file's size and SHA-256, with
    the validators to send next time."""

    not_modified: bool
    size: int = 0
    sha256: str = ""
    etag: str = ""
    last_modified: str = ""


def download(
    url: str,
    destination: Path,
    *,
    max_bytes: int,
    timeout: float,
    progress: Callable[[int, int | None], None] = lambda done, total: None,
) -> int:
    """Stream `url` into `destination` within the size and time limits; the number of bytes."""
    return fetch(url, destination, max_bytes=max_bytes, timeout=timeout, progress=progress).size


def fetch(
    url: str,
    destination: Path,
    *,
    max_bytes: int,
    timeout: float,
    etag: str = "",
    last_modified: str = "",
    progress: Callable[[int, int | None], None] = lambda done, total: None,
) -> Fetched:
    """Stream `url` into `destination` within the size and time limits, hashing it on the way.

    With `etag` or `last_modified` from an earlier fetch the request is conditional (`If-None-Match`,
    `If-Modified-Since`); a 304 answer writes nothing and says `not_modified`.
    """
    conditions = {}
    if etag:
        conditions["If-None-Match"] = etag
    if last_modified:
        conditions["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + timeout
    response, connection = open_url(url, timeout=min(timeout, 30), headers=conditions)
    if response.status == 304:
        connection.close()
        return Fetched(not_modified=True, etag=etag, last_modified=last_modified)
    digest = hashlib.sha256()
    try:
        length = response.getheader("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > max_bytes:
            raise UrlImportError(f"The file is {total:,} bytes; the limit is {max_bytes:,}.")
        done = 0
        destination.parent.mkdir(parents=True, exist_ok=True)
        with open(destination, "wb") as out:
            while chunk := response.read(CHUNK):
                done += len(chunk)
                if done > max_bytes:
                    raise UrlImportError(f"The download passed the limit of {max_bytes:,} bytes and was stopped.")
                if time.monotonic() > deadline:
                    raise UrlImportError(f"The download took longer than {timeout:.0f} seconds and was stopped.")
                out.write(chunk)
                digest.update(chunk)
                progress(done, total)
        return Fetched(
            not_modified=False,
            size=done,
            sha256=digest.hexdigest(),
            etag=response.getheader("ETag") or "",
            last_modified=response.getheader("Last-Modified") or "",
        )
    except (OSError, http.client.HTTPException) as error:
        raise DownloadInterrupted(f"The download of {redacted_url(url)} broke off: {error}.") from None
    finally:
        connection.close()


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """POST `body` to `url` (no redirects followed) with the same address checks; the status code.

    Raises UrlImportError for a refused address or a connection that fails or times out.
    """
    connection, path = checked_connection(url, timeout)
    try:
        connection.request("POST", path, body=body, headers={"User-Agent": "Datamill webhooks", **headers})
        response = connection.getresponse()
        response.read(64 * 1024)  # a receiver's answer is not kept; read a little so the connection ends cleanly
        return response.status
    except (OSError, http.client.HTTPException) as error:
        raise UrlImportError(f"Could not reach {redacted_url(url)}: {error or type(error).__name__}.") from None
    finally:
        connection.close()
