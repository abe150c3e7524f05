"""Fetch one web address for the tracker, safely: it cannot be turned against this machine.

- http and https only; no user name or password in the address;
- every connection (the first and one per redirect) goes to an address that was resolved and
  checked in the same step: loopback, private, link-local, multicast, reserved and other
  non-public addresses are refused (unless AGI_TRACKER_ALLOW_PRIVATE=1), so a name that
  resolves differently the second time (DNS rebinding) gains nothing;
- connect and total time-outs, at most 5 redirects, a 10 MB limit on the decoded body, read
  as a stream and decompressed here under that limit (a gzip bomb stops at 10 MB);
- only the content types the caller accepts (HTML or text for articles, XML for feeds).

Every failure is a FetchError whose message names the address and the problem in one line.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import ssl
import time
import urllib.parse
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import httpcore
import httpx

ALLOW_PRIVATE_ENV = "AGI_TRACKER_ALLOW_PRIVATE"
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0
TOTAL_TIMEOUT_S = 30.0
USER_AGENT = "AGI-Tracker/0.2 (news reader; local)"
ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/x-rss+xml", "text/plain",
)  # fmt: skip


class FetchError(Exception):
    """A fetch that failed; str() is one line naming the address and the problem."""


class Refused(FetchError):
    """An address we will not connect to (its scheme, or where it resolves)."""


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str  # e.g. "text/html", without parameters
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    fetched_at: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def allow_private() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "") == "1"


def check_address(url: str) -> urllib.parse.SplitResult:
    """The address split, if it is one we may fetch (scheme, host, no credentials)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise Refused(f"{shown(url)}: not a valid web address ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "no scheme"
        raise Refused(f"{shown(url)}: only http and https addresses are fetched, not {scheme}")
    if not parts.hostname:
        raise Refused(f"{shown(url)}: the address has no host")
    if parts.username or parts.password:
        raise Refused(f"{shown(url)}: addresses with a user name or password are not fetched")
    return parts


def blocked_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an IP address is not one we connect to, or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for reason, hit in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not public", not ip.is_global),
    ):
        if hit:
            return reason
    return None


def resolve_checked(host: str, port: int) -> list[str]:
    """The host's addresses, if every one may be connected to; Refused otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{host}: the name does not resolve ({exc})") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private():
        for address in addresses:
            reason = blocked_reason(ipaddress.ip_address(address.split("%")[0]))
            if reason:
                where = (
                    f"{host} is"
                    if host.strip("[]") == address
                    else f"{host} resolves to {address},"
                )
                a = "an" if reason[0] in "aeiou" else "a"  # "an unspecified address"
                raise Refused(
                    f"{where} {a} {reason} address: refused, so that an "
                    f"address cannot reach this machine or its network (set {ALLOW_PRIVATE_ENV}=1 "
                    "to allow it)"
                )
    return addresses


def _time_left(
    deadline: float | None, timeout: float | None, error: type[Exception]
) -> float | None:
    """The time-out for one socket operation: never past the fetch's deadline."""
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("took longer than the time allowed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline, so a server that sends
    its status line and headers a byte at a time cannot hold a fetch past its total time."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float | None) -> None:
        self._inner, self._deadline = inner, deadline

    def read(self, max_bytes, timeout=None):
        return self._inner.read(
            max_bytes, _time_left(self._deadline, timeout, httpcore.ReadTimeout)
        )

    def write(self, buffer, timeout=None):
        self._inner.write(buffer, _time_left(self._deadline, timeout, httpcore.WriteTimeout))

    def close(self):
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        left = _time_left(self._deadline, timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, left), self._deadline
        )

    def get_extra_info(self, info):
        return self._inner.get_extra_info(info)


class _CheckedBackend(httpcore.NetworkBackend):
    """Opens every TCP connection to an address it has just resolved and checked."""

    def __init__(self, deadline: float | None = None) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last: Exception | None = None
        for address in resolve_checked(host, port):
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    _time_left(self._deadline, timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
                return _DeadlineStream(stream, self._deadline)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, *args, **kwargs):  # never used: no Unix sockets for the web
        raise Refused("Unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _CheckedTransport(httpx.HTTPTransport):
    def __init__(self, deadline: float | None = None) -> None:
        super().__init__(trust_env=False, retries=0)
        context = ssl.create_default_context()
        self._pool = httpcore.ConnectionPool(
            ssl_context=context, max_connections=10, network_backend=_CheckedBackend(deadline)
        )


def client(timeout_s: float = READ_TIMEOUT_S, deadline: float | None = None) -> httpx.Client:
    """An httpx client that never follows redirects itself and connects only where allowed
    (and, given a `time.monotonic()` deadline, never reads or writes past it)."""
    return httpx.Client(
        transport=_CheckedTransport(deadline),
        follow_redirects=False,
        trust_env=False,  # no proxies or .netrc from the environment
        timeout=httpx.Timeout(timeout_s, connect=CONNECT_TIMEOUT_S),
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
    )


def fetch(
    url: str,
    accept: Iterable[str] = ARTICLE_TYPES,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = MAX_BYTES,
    total_timeout_s: float = TOTAL_TIMEOUT_S,
    read_timeout_s: float = READ_TIMEOUT_S,
) -> Fetched:
    """GET `url` (following at most 5 redirects, each checked) and return its body."""
    accept = tuple(accept)
    deadline = time.monotonic() + total_timeout_s
    seen = []
    current = url.strip()
    with client(read_timeout_s, deadline) as http:
        while True:
            check_address(current)
            seen.append(urllib.parse.urldefrag(current)[0])
            try:
                result = _get_once(http, url, current, accept, headers, max_bytes, deadline)
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline:
                    raise FetchError(
                        f"{shown(current)}: took longer than the {total_timeout_s:g} s allowed; "
                        "stopped"
                    ) from exc
                raise FetchError(f"{shown(current)}: timed out ({_timeout_kind(exc)})") from exc
            except Refused as exc:  # a redirect to a blocked address: say where it came from
                if current == url.strip():
                    raise
                raise Refused(f"{shown(url)} redirects to {exc}") from exc
            except httpx.TooManyRedirects as exc:  # pragma: no cover - we follow ourselves
                raise FetchError(f"{shown(url)}: too many redirects") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"{shown(current)}: {_http_problem(exc)}") from exc
            if isinstance(result, Fetched):
                return result
            nxt = urllib.parse.urljoin(current, result)
            if urllib.parse.urldefrag(nxt)[0] in seen:
                raise FetchError(f"{shown(url)}: redirect loop (back to {shown(nxt)})")
            if len(seen) > MAX_REDIRECTS:
                raise FetchError(f"{shown(url)}: more than {MAX_REDIRECTS} redirects; stopped")
            try:
                check_address(nxt)
            except Refused as exc:
                raise Refused(f"{shown(url)} redirects to {exc}") from exc
            current = nxt


def _get_once(http, url, current, accept, headers, max_bytes, deadline) -> Fetched | str:
    """One request: a Fetched, or the Location of a redirect to follow."""
    try:
        try:
            request = http.build_request("GET", current, headers=dict(headers or {}))
        except httpx.InvalidURL as exc:
            raise Refused(f"{shown(current)}: not a valid web address ({exc})") from exc
        try:
            sent = http.send(request, stream=True)
        except httpx.InvalidURL as exc:  # httpx reads a redirect's Location even unfollowed
            raise Refused(
                f"{shown(current)}: redirects to an address that is not valid ({exc})"
            ) from exc
        with contextlib.closing(sent) as response:
            # Not `response.is_redirect`: in httpx that is any 3xx, 304 Not Modified included.
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("location", "").strip()
                if not location:
                    raise FetchError(f"{shown(current)}: a redirect without a Location")
                return location
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            base = dict(url=url, final_url=str(response.url), status=response.status_code)
            if response.status_code == 304:
                return Fetched(
                    **base, content_type=kind, headers=dict(response.headers), fetched_at=stamp
                )
            if response.status_code >= 300:  # an error, or a 3xx that is neither of the above
                raise FetchError(
                    f"{shown(current)}: HTTP {response.status_code} {response.reason_phrase}"
                )
            if kind not in accept:
                wanted = ", ".join(accept)
                raise FetchError(
                    f"{shown(current)}: content type {kind or 'none'!r} is not one we read ({wanted})"
                )
            body = _read_limited(response, current, max_bytes, deadline)
            return Fetched(
                **base,
                content_type=kind,
                body=body,
                headers=dict(response.headers),
                fetched_at=stamp,
            )
    except Refused as exc:
        if shown(current) in str(exc):
            raise
        raise Refused(f"{shown(current)}: {exc}") from exc


def _read_limited(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    """The decoded body, decompressed here so that neither its wire size nor its decoded size
    can pass `max_bytes`, and the whole read cannot pass the deadline."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding in ("identity", ""):
        inflater = None
    else:
        raise FetchError(f"{shown(url)}: content encoding {encoding!r} is not supported")
    limit = (
        f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes:,} bytes"
    )
    out = bytearray()
    wire = 0
    for raw in response.iter_raw():
        if time.monotonic() > deadline:
            raise FetchError(f"{shown(url)}: took longer than the time allowed; stopped")
        wire += len(raw)
        if wire > max_bytes:  # compressed data that inflates to little, or junk after its end
            raise FetchError(f"{shown(url)}: larger than {limit}; stopped reading there, not added")
        if inflater is None:
            out += raw
        else:
            try:
                chunk = inflater.decompress(raw, max_bytes + 1 - len(out))
                out += chunk
                while inflater.unconsumed_tail and len(out) <= max_bytes:
                    out += inflater.decompress(inflater.unconsumed_tail, max_bytes + 1 - len(out))
            except zlib.error as exc:
                raise FetchError(f"{shown(url)}: the compressed body is corrupt ({exc})") from exc
        if len(out) > max_bytes:
            raise FetchError(f"{shown(url)}: larger than {limit}; stopped reading there, not added")
    if inflater is not None and not inflater.eof:
        raise FetchError(f"{shown(url)}: the compressed body is cut short; not added")
    return bytes(out)


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection within {CONNECT_TIMEOUT_S:.0f} s"
    return "the server stopped sending"


def _http_problem(exc: httpx.HTTPError) -> str:
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, Refused):
        return str(cause)
    text = str(exc) or type(exc).__name__
    return f"could not fetch ({text})"


def shown(url: str, most: int = 200) -> str:
    """An address as it may be printed: control characters dropped, long ones cut."""
    clean = "".join(ch for ch in url if ch.isprintable())
    return clean if len(clean) <= most else clean[: most - 1] + "…"
