"""A real HTTP server on 127.0.0.1 for client tests: scripted responses, recorded requests."""

from __future__ import annotations

import json
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    raw_query: str = ""  # the query string as it came, for byte-exact checks

    def form(self) -> dict[str, list[str]]:
        """The body read as `application/x-www-form-urlencoded`, as a server reads it."""
        return parse_qs(self.body.decode("ascii"), keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; str/bytes -> as is; None -> empty
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (for timeout tests)
    disconnect: bool = False  # close the connection without answering

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if isinstance(self.body, dict | list):
            headers.setdefault("Content-Type", "application/json")
            return json.dumps(self.body).encode(), headers
        if isinstance(self.body, str):
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
            return self.body.encode(), headers
        return self.body or b"", headers


Responder = Callable[[RecordedRequest], Reply]


class TestServer:
    """Answers each request with the next queued reply (or with `responder`), in order."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.replies: deque[Reply | Responder] = deque()
        self.default: Reply | Responder = Reply(404, {"code": "NotFound", "message": "no reply"})
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall per response

            def _handle(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                recorded = RecordedRequest(
                    method=self.command,
                    path=url.path,
                    query=parse_qs(url.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                    raw_query=url.query,
                )
                server.requests.append(recorded)
                planned = server.replies.popleft() if server.replies else server.default
                reply = planned(recorded) if callable(planned) else planned
                if reply.delay:
                    server._stop.wait(reply.delay)
                if reply.disconnect:
                    self.close_connection = True
                    return
                body, headers = reply.encoded()
                try:
                    self.send_response(reply.status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,),
                                        daemon=True)  # poll often: fast shutdown

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def reply(self, *replies: Reply | Responder) -> None:
        self.replies.extend(replies)

    def start(self) -> TestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def refused_url() -> str:
    """A loopback URL where nothing listens: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def serve() -> Iterator[TestServer]:
    server = TestServer().start()
    try:
        yield server
    finally:
        server.stop()
