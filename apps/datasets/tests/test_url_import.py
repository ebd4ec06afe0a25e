import http.server
import threading

import pytest

from apps.datasets import url_import
from apps.datasets.url_import import UrlImportError, check_address, download


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",
        "224.0.0.1",
        "0.0.0.0",  # noqa: S104
        "240.0.0.1",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "ff02::1",
    ],
)
def test_non_public_addresses_are_refused(address):
    with pytest.raises(UrlImportError, match="not a public internet address"):
        check_address(address)


def test_public_addresses_pass():
    check_address("93.184.216.34")
    check_address("2606:4700:4700::1111")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/a.csv", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("http://localhost:8000/", "not a public internet address"),
        ("http://127.0.0.1/", "not a public internet address"),
        ("http://[::1]/", "not a public internet address"),
        ("http://user:pw@example.com/", "user name or password"),
    ],
)
def test_refused_urls_make_no_request(url, message, tmp_path):
    with pytest.raises(UrlImportError, match=message):
        download(url, tmp_path / "out", max_bytes=1000, timeout=5)
    assert not (tmp_path / "out").exists()


class Server:
    """A loopback HTTP server; the tests allow loopback on purpose to exercise redirects and limits."""

    def __init__(self, routes):
        self.hits = []
        routes_ = routes
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                status, headers, body = routes_[self.path]
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def allow_loopback(monkeypatch):
    original = url_import.check_address

    def check(address):
        if address != "127.0.0.1":
            original(address)

    monkeypatch.setattr(url_import, "check_address", check)


def test_a_redirect_to_a_private_address_is_refused(allow_loopback, tmp_path):
    server = Server({"/data.csv": (302, {"Location": "http://10.0.0.7/secret.csv"}, b"")})
    try:
        with pytest.raises(UrlImportError, match=r"10\.0\.0\.7 is not a public"):
            download(f"{server.url}/data.csv", tmp_path / "out", max_bytes=1000, timeout=5)
    finally:
        server.close()


def test_redirects_are_followed_and_the_file_streams(allow_loopback, tmp_path):
    server = Server(
        {
            "/old.csv": (301, {"Location": "/new.csv"}, b""),
            "/new.csv": (200, {"Content-Length": "8"}, b"a,b\n1,2\n"),
        }
    )
    try:
        size = download(f"{server.url}/old.csv", tmp_path / "out", max_bytes=1000, timeout=5)
    finally:
        server.close()
    assert size == 8
    assert (tmp_path / "out").read_bytes() == b"a,b\n1,2\n"
    assert server.hits == ["/old.csv", "/new.csv"]


def test_size_limit_stops_a_download(allow_loopback, tmp_path):
    server = Server({"/big.csv": (200, {}, b"x" * 5000)})
    try:
        with pytest.raises(UrlImportError, match="limit of 1,000 bytes"):
            download(f"{server.url}/big.csv", tmp_path / "out", max_bytes=1000, timeout=5)
    finally:
        server.close()


def test_declared_size_over_the_limit_is_refused_before_reading(allow_loopback, tmp_path):
    server = Server({"/big.csv": (200, {"Content-Length": "5000"}, b"x" * 5000)})
    try:
        with pytest.raises(UrlImportError, match="5,000 bytes; the limit is 1,000"):
            download(f"{server.url}/big.csv", tmp_path / "out", max_bytes=1000, timeout=5)
    finally:
        server.close()


def test_http_errors_are_reported(allow_loopback, tmp_path):
    server = Server({"/gone.csv": (404, {}, b"")})
    try:
        with pytest.raises(UrlImportError, match="answered 404"):
            download(f"{server.url}/gone.csv", tmp_path / "out", max_bytes=1000, timeout=5)
    finally:
        server.close()
