"""Security headers on every response, a request body size and time limit, HEAD and OPTIONS
answered for every route, the host check, and database errors that answer without their
detail: plain ASGI where it runs on every request, so it costs little."""

import asyncio
import json
import logging

from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("spinewise")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeadersMiddleware:
    """The headers above on every response, `Strict-Transport-Security` when `hsts_seconds`
    is set, and `Cache-Control: no-store` on API answers that do not set their own."""

    def __init__(self, app: ASGIApp, hsts_seconds: int = 0) -> None:
        self.app = app
        self.headers = list(HEADERS)
        if hsts_seconds:
            self.headers.append((b"strict-transport-security", b"max-age=%d" % hsts_seconds))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        private = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *self.headers]
                # Answers about an account are nobody's to cache; the catalogue sets its own.
                if private and not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuse request bodies over `max_bytes` with a JSON 413, declared or chunked alike, and
    bodies that take longer than `timeout` seconds to arrive with a 408.

    The body is read (up to the limit) before the app sees it, so a body that turns out too
    large or too slow is answered here, before any of it reaches a route, and a client that
    declares more than it sends cannot hold a connection and a worker for ever.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float = 60.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _json_error(send, 400, "Content-Length is not a number")
                return
            if int(declared) > self.max_bytes:
                await self._too_large(send)
                return
            if int(declared) == 0:
                await self.app(scope, receive, send)
                return
        elif b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body at all
            return

        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    message = await receive()
                    if message["type"] != "http.request":  # the client went away
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        await self._too_large(send)
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            await _json_error(
                send, 408, f"The request body did not arrive within {self.timeout:g} seconds"
            )
            return

        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        await _json_error(
            send, 413, f"The request body is larger than {self.max_bytes} bytes: send less at once"
        )


class HostCheckMiddleware(TrustedHostMiddleware):
    """Starlette's host check, except for `/healthz`: a container's or a load balancer's
    health check asks by address (127.0.0.1), not by the public host name, and the answer
    holds nothing a host check protects."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/healthz":
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


class MethodsMiddleware:
    """HEAD answered as GET without the body, OPTIONS answered with every method of the path in
    `Allow`, and every 405 listing them all (the router names only its first route's).

    FastAPI's routes take only the methods they declare, so without this HEAD is a 405
    everywhere, and `OPTIONS /api/me` says `Allow: GET` although DELETE is there too.
    CORS preflights go on to the CORS middleware when `cors` is set.
    """

    def __init__(self, app: ASGIApp, cors: bool = False) -> None:
        self.app = app
        self.cors = cors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS" and not (self.cors and _is_preflight(scope)):
            allowed = allowed_methods(scope)
            if allowed:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 204,
                        "headers": [(b"allow", ", ".join(allowed).encode())],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return

        async def send_full_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                allowed = ", ".join(allowed_methods(scope)).encode()
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message["headers"] = [*headers, (b"allow", allowed)]
            await send(message)

        if method == "HEAD":
            get = {**scope, "method": "GET"}
            await self.app(get, receive, _without_body(send_full_allow))
            return
        await self.app(scope, receive, send_full_allow)


ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(scope: Scope) -> list[str]:
    """Every method some route of the app takes at this path (empty when none matches it)."""
    methods: set[str] = set()
    for route in scope["app"].router.routes:
        if isinstance(route, Mount):  # static files: GET and HEAD
            if route.matches(scope)[0] != Match.NONE:
                methods.add("GET")
            continue
        for method in ORDER:
            if route.matches({**scope, "method": method})[0] == Match.FULL:
                methods.add(method)
    if not methods:
        return []
    methods.add("OPTIONS")
    if "GET" in methods:
        methods.add("HEAD")
    return [m for m in ORDER if m in methods]


def _is_preflight(scope: Scope) -> bool:
    names = {name for name, _ in scope["headers"]}
    return b"origin" in names and b"access-control-request-method" in names


def _without_body(send: Send) -> Send:
    """A `send` that passes the answer's status and headers on, and none of its body."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return send_head


async def _json_error(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """A 422 naming each fault's place and reason, without echoing the values sent.

    FastAPI's own answer repeats each bad value: a rejected password would come back in the
    response, and a value that cannot be encoded (a lone surrogate) would make it a 500.
    """
    assert isinstance(exc, RequestValidationError)
    errors = [
        {key: value for key, value in error.items() if key not in ("input", "ctx", "url")}
        for error in exc.errors()
    ]
    return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


def conflict(request: Request, exc: Exception) -> JSONResponse:
    """A constraint the database refused (two requests racing for one id or email): 409."""
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": "That conflicts with data stored a moment ago: try again"}, status_code=409
    )


def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database did not answer (down, locked or every connection busy past the timeout):
    503, never its message."""
    log.error("database error on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": "The database is not answering: try again shortly"},
        status_code=503,
        headers={"Retry-After": "5"},
    )
