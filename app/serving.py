"""Uvicorn's HTTP protocol with a deadline on reading each request's headers.

Uvicorn closes a connection that idles between requests (its keep-alive timeout), but waits
for ever on a client that connects and sends nothing, or sends its headers a byte at a time:
enough of those hold every connection the server can take. Here a connection gets
HEADER_TIMEOUT_SECONDS from its start, and from the first byte of each later request, to
finish sending the request's headers; then it is answered 408 and closed. (Bodies have their
own deadline, BODY_TIMEOUT_SECONDS, in app/security.py.)

`spinewise serve` passes `PROTOCOL` (an import string, so that every worker process can load
it) as uvicorn's `http` protocol.
"""

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from app.config import get_settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # uvicorn without httptools: h11 is its parser
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: 34\r\n"
    b"connection: close\r\n\r\n"
    b"The request headers came too slowly"
)


class _HeaderDeadline:
    """Mixed into a uvicorn protocol: close a connection whose request headers are late."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = get_settings().header_timeout_seconds
        self.header_deadline: asyncio.TimerHandle | None = None

    def waiting_for_headers(self) -> bool:
        raise NotImplementedError

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # type: ignore[misc]
        if self.transport.is_closing():
            self._disarm()
        elif self.waiting_for_headers():
            self._arm()  # a request has begun; its clock runs from its first byte
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm(self) -> None:
        if self.header_deadline is None:
            self.header_deadline = self.loop.call_later(self.header_timeout, self._timed_out)

    def _disarm(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _timed_out(self) -> None:
        self.header_deadline = None
        if self.transport.is_closing() or not self.waiting_for_headers():
            return
        self.transport.write(TIMED_OUT)
        self.transport.close()


if HttpToolsProtocol is not None:

    class HeaderDeadlineProtocol(_HeaderDeadline, HttpToolsProtocol):  # type: ignore[misc]
        def waiting_for_headers(self) -> bool:
            # Between requests uvicorn's own keep-alive timeout applies; after a request's
            # first byte, and until its headers are complete, the cycle is the last one's.
            return self.cycle is None or self.cycle.response_complete

else:  # pragma: no cover

    class HeaderDeadlineProtocol(_HeaderDeadline, H11Protocol):  # type: ignore[no-redef]
        def waiting_for_headers(self) -> bool:
            import h11

            return self.conn.their_state is h11.IDLE


PROTOCOL = "app.serving:HeaderDeadlineProtocol"
