"""PoliteFetcher: one httpx client, guarded redirects, size and time caps, per-host manners.

Every hop of a redirect chain is checked by the SSRF guard before it is requested, and the
connection pool re-checks the address it actually connects to (see guard.py). Network and HTTP
problems never raise: they come back as `FetchResult.error`.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import re
import ssl
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import TracebackType

import charset_normalizer
import httpcore
import httpx

from newsdesk.monitor.fetch.errors import (
    BlockedAddress,
    ConnectionFailed,
    ContentDecodingFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    ResponseTooLarge,
    TooManyRedirects,
)
from newsdesk.monitor.fetch.guard import GuardedNetworkBackend, check_url_allowed, split_url
from newsdesk.monitor.fetch.politeness import HostPoliteness, shared_politeness
from newsdesk.monitor.fetch.robots import ROBOTS_MAX_BYTES, RobotsCache
from newsdesk.monitor.fetch.schedule import parse_retry_after
from newsdesk.settings import Settings

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
ERROR_BODY_BYTES = 65_536  # how much of an error page (4xx/5xx) is kept
_ALLOW_PRIVATE = "newsdesk.allow_private"  # request extension read by _GuardedTransport


# -- decoding ----------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels browsers decode as a superset (WHATWG Encoding Standard); e.g. "iso-8859-1" pages
# routinely contain cp1252 curly quotes.
_SUPERSETS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "gb2312": "gbk",
    "big5": "big5hkscs",
}
_UNICODE_WIDE = ("utf-16", "utf-32")
# Margins for detect_charset, chosen on invented samples in 14 languages / 12 encodings.
_CHAOS_SLACK = 0.1
_COHERENCE_MARGIN = 0.05


def lookup_charset(label: str | None) -> str | None:
    """Python codec name for a charset label, widened to what browsers use; None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def header_charset(content_type: str | None) -> str | None:
    """The charset named in a Content-Type header value, as a codec name."""
    match = _HEADER_CHARSET.search(content_type or "")
    return lookup_charset(match.group(1)) if match else None


def declared_charset(body: bytes) -> str | None:
    """The encoding a document declares in an XML prolog or <meta charset> near its start."""
    head = body[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    name = lookup_charset(match.group(1).decode("ascii"))
    # A byte-level declaration read as ASCII cannot honestly say UTF-16/32 (WHATWG).
    return "utf-8" if name and name.startswith(_UNICODE_WIDE) else name


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_charset(body: bytes, among: list[str] | None = None) -> str | None:
    """Best-guess encoding by charset-normalizer, tuned for short Western texts."""
    matches = list(charset_normalizer.from_bytes(body, cp_isolation=among))
    if not matches:
        return None
    best = matches[0]
    # On short texts the mess ratio ("chaos") barely separates the Latin code pages (French
    # read as cp1257 can score cleaner than as cp1252), so a nearly-as-clean cp1252 reading
    # wins (by far the most common on the web) unless a reading at least as clean is clearly
    # more coherent language-wise (Turkish in cp1254). Cyrillic, Greek or CJK text read as
    # cp1252 is far messier and never gets here. Central European cp1250 vs cp1252 stays
    # ambiguous without a declared charset.
    western = next(
        (
            m
            for m in matches
            if m.chaos <= best.chaos + _CHAOS_SLACK and "cp1252" in m.could_be_from_charset
        ),
        None,
    )
    if western is None:
        chosen = best
    else:
        rivals = [
            m
            for m in matches
            if m.chaos <= western.chaos and m.coherence > western.coherence + _COHERENCE_MARGIN
        ]
        if not rivals:
            return "cp1252"
        chosen = max(rivals, key=lambda m: m.coherence)
    return lookup_charset(chosen.encoding) or chosen.encoding


def decode_body(body: bytes, content_type: str | None = None) -> str:
    """Decode a response body: BOM, then header/declared charset, then detection, then UTF-8."""
    if not body:
        return ""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    from_header = header_charset(content_type)
    if from_header and from_header.startswith(_UNICODE_WIDE):
        return body.decode(from_header, errors="replace")
    if body.isascii():
        return body.decode("ascii")
    # Non-ASCII text that is valid UTF-8 is UTF-8 whatever a stale header claims: other
    # encodings almost never produce valid multi-byte UTF-8 sequences by chance.
    if _decodes(body, "utf-8"):
        return body.decode("utf-8")
    candidates: list[str] = []
    for name in (from_header, declared_charset(body)):
        if name and name not in candidates and _decodes(body, name):
            candidates.append(name)
    if len(candidates) == 1:
        return body.decode(candidates[0])
    chosen = detect_charset(body, among=candidates or None)
    if chosen and _decodes(body, chosen):
        return body.decode(chosen)
    return body.decode(from_header or "utf-8", errors="replace")


# -- result ------------------------------------------------------------------


@dataclass
class FetchResult:
    """What one fetch came to; `error` is set instead of raising.

    `redirects` lists the URLs redirected to, in order, and `final_url` is the last URL
    requested or refused; `content_type` is the media type without parameters; for 4xx/5xx
    answers `body` holds at most the first 64 KiB of the error page.
    """

    url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str | None = None
    not_modified: bool = False
    elapsed: float = 0.0
    redirects: list[str] = field(default_factory=list)
    error: FetchError | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        """True when a fresh body arrived without error (not a 304)."""
        return self.error is None and not self.not_modified

    def text(self) -> str:
        """The body as text, decoded by header charset, declaration, detection, then UTF-8."""
        return decode_body(self.body, self.headers.get("content-type"))


# -- transport ---------------------------------------------------------------


def _guarded_pool_transport(
    *, allow_private: bool, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connection pool connects only to addresses the guard allows."""
    ssl_context = ssl_context or httpx.create_ssl_context(trust_env=False)
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, limits=limits, trust_env=False)
    # httpx does not expose httpcore's network_backend, so swap the pool it built for one
    # with the same settings and our guarded backend (httpx 0.28; covered by a test).
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedNetworkBackend(allow_private=allow_private),
    )
    return transport


class _GuardedTransport(httpx.AsyncBaseTransport):
    """Routes each request to the public-only or the private-allowed guarded pool."""

    def __init__(self, limits: httpx.Limits) -> None:
        context = httpx.create_ssl_context(trust_env=False)  # loading CA certs is slow: once
        self._public = _guarded_pool_transport(
            allow_private=False, limits=limits, ssl_context=context
        )
        self._private = _guarded_pool_transport(
            allow_private=True, limits=limits, ssl_context=context
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        private = bool(request.extensions.get(_ALLOW_PRIVATE))
        transport = self._private if private else self._public
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._public.aclose()
        await self._private.aclose()


async def _read_prefix(response: httpx.Response, limit: int) -> bytes:
    """Up to `limit` bytes of the body; the rest is left unread (the connection is dropped)."""
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) >= limit:
            break
    return bytes(body[:limit])


# -- politeness --------------------------------------------------------------


class _Budget:
    """The total time one fetch may spend on the network, shared across its redirect hops."""

    def __init__(self, total: float) -> None:
        self.total = total
        self.spent = 0.0

    @asynccontextmanager
    async def limit(self) -> AsyncIterator[None]:
        remaining = self.total - self.spent
        if remaining <= 0:
            raise FetchTimeout(f"timed out after {float(self.total)} s (total)")
        started = time.monotonic()
        deadline = asyncio.timeout(remaining)
        try:
            async with deadline:
                yield
        except TimeoutError as exc:
            if deadline.expired():
                raise FetchTimeout(f"timed out after {float(self.total)} s (total)") from exc
            raise FetchTimeout(f"timed out: {exc}") from exc
        finally:
            self.spent += time.monotonic() - started


def _same_origin(a: str, b: str) -> bool:
    ua, ub = httpx.URL(a), httpx.URL(b)
    return (ua.scheme, ua.host, ua.port) == (ub.scheme, ub.host, ub.port)


class PoliteFetcher:
    """Async HTTP fetcher that is safe (SSRF guard, caps) and polite (per-host limits, robots).

    Use as `async with PoliteFetcher(settings) as fetcher: await fetcher.fetch(url)`; pass a
    long-lived `robots` cache to keep robots.txt rules across polling cycles. The per-host
    delay and concurrency hold across every fetcher of the process (`shared_politeness`).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        robots: RobotsCache | None = None,
        politeness: HostPoliteness | None = None,
    ) -> None:
        self.settings = settings
        self._client: httpx.AsyncClient | None = None
        self._global: asyncio.Semaphore | None = None
        self._queues: dict[str, asyncio.Semaphore] = {}
        self._robots = robots if robots is not None else RobotsCache(settings.user_agent)
        self._politeness = politeness if politeness is not None else shared_politeness()

    async def __aenter__(self) -> PoliteFetcher:
        s = self.settings
        limits = httpx.Limits(
            max_connections=None,  # our semaphores bound concurrency; never wait on the pool
            max_keepalive_connections=max(1, s.fetch_concurrency),
            keepalive_expiry=30.0,
        )
        self._client = httpx.AsyncClient(
            transport=_GuardedTransport(limits),
            headers={"User-Agent": s.user_agent},
            timeout=httpx.Timeout(
                connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout, pool=None
            ),
            follow_redirects=False,
            trust_env=False,  # an env proxy would bypass the address guard
        )
        # Fresh per `async with`: asyncio primitives belong to the loop that runs them.
        self._global = asyncio.Semaphore(max(1, s.fetch_concurrency))
        self._queues = {}
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(
        self,
        url: str,
        *,
        allow_private: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = False,
        accept: str | None = None,
    ) -> FetchResult:
        """GET `url` politely; never raises for network or HTTP problems (see `.error`).

        Args:
            url: absolute http(s) URL.
            allow_private: permit loopback/private addresses (trusted local sources only).
            etag: sends If-None-Match; a 304 answer sets `not_modified`.
            last_modified: sends If-Modified-Since.
            check_robots: consult the origin's robots.txt first (article pages, not feeds);
                ignored when settings.respect_robots is False.
            accept: the Accept header to send.

        Returns:
            A FetchResult; `ok` is True when a fresh body arrived.
        """
        headers: dict[str, str] = {}
        if accept:
            headers["Accept"] = accept
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if check_robots and self.settings.respect_robots:
            refused = await self._check_robots(url, allow_private)
            if refused is not None:
                return refused
        return await self._fetch(
            url,
            allow_private=allow_private,
            headers=headers,
            max_bytes=self.settings.max_response_bytes,
        )

    async def _check_robots(self, url: str, allow_private: bool) -> FetchResult | None:
        """None if robots.txt lets us fetch `url`, else a result carrying the refusal."""
        started = time.monotonic()

        async def load_robots(robots_url: str) -> FetchResult:
            return await self._fetch(
                robots_url,
                allow_private=allow_private,
                headers={"Accept": "text/plain"},
                max_bytes=ROBOTS_MAX_BYTES,
            )

        try:
            split_url(url)
            await self._robots.check(url, load_robots)
        except FetchError as exc:
            return FetchResult(url, url, error=exc, elapsed=time.monotonic() - started)
        return None

    async def _fetch(
        self, url: str, *, allow_private: bool, headers: dict[str, str], max_bytes: int
    ) -> FetchResult:
        """Follow the redirect chain of `url`, guarding every hop; errors land in the result."""
        if self._client is None:
            raise RuntimeError("PoliteFetcher must be used as 'async with PoliteFetcher(...)'")
        result = FetchResult(url=url, final_url=url)
        budget = _Budget(self.settings.total_timeout)
        current = url
        seen = {url}
        try:
            while True:
                hop_headers = headers
                if result.redirects and not _same_origin(url, current):
                    hop_headers = {
                        k: v for k, v in headers.items() if not k.lower().startswith("if-")
                    }
                location = await self._hop(
                    result, current, allow_private, hop_headers, max_bytes, budget
                )
                if location is None:
                    break
                try:
                    target = str(httpx.URL(current).join(location))
                except (httpx.InvalidURL, ValueError) as exc:
                    raise InvalidURL(f"redirect to invalid URL {location!r}: {exc}") from exc
                if target in seen:
                    raise TooManyRedirects(f"redirect loop: {current} redirects back to {target}")
                if len(result.redirects) >= self.settings.max_redirects:
                    raise TooManyRedirects(
                        f"more than {self.settings.max_redirects} redirects (last to {target})"
                    )
                seen.add(target)
                result.redirects.append(target)
                result.final_url = current = target
        except FetchError as exc:
            result.error = exc
            logger.debug("fetch %s failed: %s", url, exc.reason)
        result.elapsed = budget.spent
        return result

    async def _hop(
        self,
        result: FetchResult,
        url: str,
        allow_private: bool,
        headers: dict[str, str],
        max_bytes: int,
        budget: _Budget,
    ) -> str | None:
        """Request one URL; returns the Location to follow, or None when the chain ends."""
        async with budget.limit():
            try:
                await check_url_allowed(url, allow_private=allow_private)
            except BlockedAddress as exc:
                if not result.redirects:
                    raise
                raise BlockedAddress(f"redirect to {exc.reason}", address=exc.address) from exc
            except InvalidURL as exc:
                if not result.redirects:
                    raise
                raise InvalidURL(f"redirect refused: {exc.reason}") from exc
        host, _port = split_url(url)
        async with self._slot(host), budget.limit():
            try:
                return await self._request(result, url, allow_private, headers, max_bytes)
            except httpx.TimeoutException as exc:
                raise FetchTimeout(self._describe_timeout(exc)) from exc
            except httpx.DecodingError as exc:
                raise ContentDecodingFailed(f"could not decode the response body: {exc}") from exc
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise InvalidURL(f"invalid URL {url!r}: {exc}") from exc
            except httpx.HTTPError as exc:
                detail = str(exc) or type(exc).__name__
                raise ConnectionFailed(f"connection to {host} failed: {detail}") from exc

    def _describe_timeout(self, exc: httpx.TimeoutException) -> str:
        s = self.settings
        if isinstance(exc, httpx.ConnectTimeout):
            return f"timed out after {float(s.connect_timeout)} s (connect)"
        if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout):
            return f"timed out after {float(s.read_timeout)} s (read)"
        return f"timed out ({type(exc).__name__})"

    async def _request(
        self,
        result: FetchResult,
        url: str,
        allow_private: bool,
        headers: dict[str, str],
        max_bytes: int,
    ) -> str | None:
        assert self._client is not None
        extensions = {_ALLOW_PRIVATE: allow_private}
        async with self._client.stream(
            "GET", url, headers=headers, extensions=extensions
        ) as response:
            status = response.status_code
            result.status = status
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            result.body = b""
            result.content_type = None
            if status in REDIRECT_STATUSES:
                location: str | None = response.headers.get("location")
                if location:
                    return location
                raise HTTPStatusError(status, f"HTTP {status} redirect without a Location")
            if status == 304:
                result.not_modified = True
                return None
            media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            result.content_type = media or None
            if not 200 <= status < 300:
                # Keep the start of an error page for diagnosis; its size is not the problem.
                result.body = await _read_prefix(response, ERROR_BODY_BYTES)
                retry_after = None
                if status in RETRY_AFTER_STATUSES:
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
                    result.retry_after = retry_after
                raise HTTPStatusError(status, retry_after=retry_after)
            declared = response.headers.get("content-length", "")
            if declared.strip().isdigit() and int(declared) > max_bytes:
                raise ResponseTooLarge(
                    f"response larger than {max_bytes} bytes (Content-Length {int(declared)})"
                )
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise ResponseTooLarge(f"response larger than {max_bytes} bytes")
            result.body = bytes(body)
            return None

    @asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        """Hold a per-host and a global slot, starting no sooner than per_host_delay after the
        previous start to this host by any fetcher of the process."""
        assert self._global is not None
        s = self.settings
        concurrency = max(1, s.per_host_concurrency)
        queue = self._queues.get(host)
        if queue is None:
            queue = self._queues[host] = asyncio.Semaphore(concurrency)
        # This fetcher's requests to a host queue here in order; then the process-wide slot.
        # Per-host first, so requests queued for a busy host never hold global slots.
        async with (
            queue,
            self._global,
            self._politeness.slot(host, concurrency=concurrency, delay=s.per_host_delay),
        ):
            yield
