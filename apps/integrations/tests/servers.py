"""Loopback HTTP servers for the tests: a file that can change, and a webhook receiver."""

import hashlib
import http.server
import threading
from email.utils import formatdate


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 and a free port, stopped by `close()`."""

    def __init__(self, handler_class):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        self.httpd.owner = self
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class FileHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server.owner
        server.requests.append(dict(self.headers))
        if server.status != 200:
            self.send_response(server.status)
            self.end_headers()
            return
        etag = f'"{hashlib.sha256(server.body).hexdigest()[:16]}"'
        if server.conditional and (
            self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == server.modified
        ):
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(server.body)))
        if server.conditional:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", server.modified)
        self.end_headers()
        self.wfile.write(server.body)

    def log_message(self, *args):
        pass


class FileServer(LoopbackServer):
    """Serves `body` at any path with an ETag and Last-Modified, and answers 304 to a matching conditional
    request (unless `conditional` is off); `status` other than 200 makes every request fail."""

    def __init__(self, body: bytes):
        self.requests: list[dict] = []
        self.status = 200
        self.conditional = True
        self.set_body(body)
        super().__init__(FileHandler)

    def set_body(self, body: bytes, modified_at: float | None = None) -> None:
        self.body = body
        self.modified = formatdate(modified_at, usegmt=True)

    @property
    def data_url(self) -> str:
        return f"{self.url}/data.csv"


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with server.lock:
            server.received.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
            status = server.statuses.pop(0) if server.statuses else server.default_status
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class Receiver(LoopbackServer):
    """Records every POST; answers with `statuses` in turn, then `default_status`."""

    def __init__(self, statuses: list[int] | None = None, default_status: int = 200):
        self.received: list[dict] = []
        self.statuses = list(statuses or [])
        self.default_status = default_status
        self.lock = threading.Lock()
        super().__init__(ReceiverHandler)
