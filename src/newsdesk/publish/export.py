"""Static export: the public site as files for any static host, with relative links.

The site is crawled as a visitor (no cookie, no token) through a `fetch(path)` function the
caller provides (the CLI passes the real app, in process), so the export holds exactly what
any visitor may read: members-only text never reaches it. Pages become `<path>/index.html`,
feeds and assets keep their names, archived copies become `.txt`. Links between exported
files are rewritten relative (`../../analyses/12/index.html`), so the folder also reads from
disk; links to what only a live server can answer (search, sign-in, the newsletter forms)
point at the live site.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import shutil
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from newsdesk.progress import Progress, null_progress

log = logging.getLogger(__name__)

SEEDS = (
    "/",
    "/about",
    "/sources",
    "/corrections",
    "/feeds",
    "/personas",
    "/tags",
    "/members",
    "/support",
    "/feed.xml",
    "/atom.xml",
    "/feed.json",
    "/robots.txt",
    "/static/site.css",
    "/static/audience.css",
    "/static/cite.js",
)
# only a live server can answer these (forms, sessions, the desk, the API, redirects)
DYNAMIC = (
    "/desk",
    "/api",
    "/search",
    "/signin",
    "/signup",
    "/signout",
    "/account",
    "/newsletter",
    "/hooks",
    "/feed",
    "/rss",
    "/sitemap.xml",
)
_ATTR = re.compile(r"""(\s(?:href|src|action|content)=)(["'])(.*?)\2""", re.S)
MAX_PAGES = 50_000


@dataclass
class Fetched:
    """One answer of the site."""

    status: int
    content_type: str
    body: bytes


@dataclass
class ExportReport:
    """What an export wrote."""

    out_dir: Path
    pages: int = 0
    files: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)


def is_dynamic(path: str) -> bool:
    """True for paths only a live server can answer."""
    return any(path == p or path.startswith(p + "/") or path.startswith(p + "?") for p in DYNAMIC)


def file_for(path: str, content_type: str) -> str:
    """Where a site path is written in the export (relative to the export folder)."""
    clean = unquote(path).lstrip("/")
    if content_type.startswith("text/html"):
        return posixpath.join(clean, "index.html") if clean else "index.html"
    last = clean.rsplit("/", 1)[-1]
    if "." in last:
        return clean
    if content_type.startswith("text/plain"):
        return clean + ".txt"
    return clean + ".bin"


def _internal_path(raw: str, site_url: str) -> str | None:
    """The site path a link points to when it is ours (else None); fragments dropped."""
    value = html.unescape(raw).strip()
    if not value or value.startswith(("#", "mailto:", "data:", "javascript:")):
        return None
    if site_url and value.startswith(site_url.rstrip("/") + "/"):
        value = value[len(site_url.rstrip("/")) :]
    if not value.startswith("/") or value.startswith("//"):
        return None
    parts = urlsplit(value)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links(body: str, site_url: str) -> list[str]:
    found = []
    for match in _ATTR.finditer(body):
        path = _internal_path(match.group(3), site_url)
        if path is not None:
            found.append(path)
    return found


def _relative(from_file: str, to_file: str, fragment: str) -> str:
    rel = posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")
    # every segment percent-encoded: "place:SG/index.html" must not read as a URL scheme
    encoded = "/".join(
        quote(seg, safe="") if seg not in (".", "..") else seg for seg in rel.split("/")
    )
    if not encoded.startswith("."):
        encoded = "./" + encoded
    return encoded + (f"#{fragment}" if fragment else "")


def _rewrite_html(
    body: str, this_file: str, written: dict[str, str], site_url: str, live_url: str
) -> str:
    def swap(match: re.Match[str]) -> str:
        prefix, quote_char, raw = match.groups()
        value = html.unescape(raw)
        path = _internal_path(raw, site_url)
        if path is None:
            return match.group(0)
        # meta content (og:url, og:image) and canonical links stay absolute URLs
        if prefix.strip().startswith("content") or "://" in value:
            return match.group(0)
        fragment = urlsplit(value).fragment
        key = unquote(urlsplit(path).path) if "?" not in path else path
        if key in written:
            new = _relative(this_file, written[key], fragment)
        else:
            new = live_url.rstrip("/") + value
        return f"{prefix}{quote_char}{html.escape(new, quote=True)}{quote_char}"

    return _ATTR.sub(swap, body)


def _sitemap(base_url: str, written: dict[str, str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for target in sorted(written.values()):
        if not target.endswith("index.html"):
            continue
        where = target.removesuffix("index.html")
        url = base_url.rstrip("/") + "/" + "/".join(quote(p, safe="") for p in where.split("/"))
        lines.append(f"<url><loc>{xml_escape(url)}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def export_site(
    fetch: Callable[[str], Fetched],
    out_dir: Path,
    *,
    site_url: str,
    live_url: str | None = None,
    progress: Progress = null_progress,
    clean: bool = False,
) -> ExportReport:
    """Crawl the public site from SEEDS through `fetch` and write it under `out_dir`.

    Args:
        fetch: Answers a site path as a visitor would get it.
        out_dir: The folder to write (created; with `clean`, emptied first).
        site_url: The public URL the pages were rendered with (its absolute links become
            relative ones).
        live_url: Where links to dynamic pages (search, sign-in, forms) go; default site_url.
        progress: Progress of the crawl.
        clean: Remove out_dir's contents first.

    Returns:
        What was written.
    """
    live = live_url or site_url
    if clean and out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = ExportReport(out_dir)
    queue: deque[str] = deque(SEEDS)
    seen: set[str] = set(SEEDS)
    bodies: dict[str, tuple[str, bytes]] = {}
    progress.begin("export", len(queue))
    while queue and len(bodies) < MAX_PAGES:
        path = queue.popleft()
        progress.step("export")
        if is_dynamic(path) or "?" in path:
            report.skipped.append(path)
            continue
        got = fetch(path)
        if got.status != 200:
            report.skipped.append(f"{path} ({got.status})")
            continue
        key = unquote(path)
        target = file_for(path, got.content_type)
        report.written[key] = target
        bodies[key] = (got.content_type, got.body)
        if got.content_type.startswith("text/html"):
            for link in _links(got.body.decode("utf-8", "replace"), site_url):
                bare = urlsplit(link).path if "?" not in link else link
                if bare not in seen:
                    seen.add(bare)
                    queue.append(bare)
                    progress.begin("export", len(seen))
    for key, (ctype, body) in bodies.items():
        target = report.written[key]
        dest = out_dir / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        if ctype.startswith("text/html"):
            text = _rewrite_html(body.decode("utf-8"), target, report.written, site_url, live)
            body = text.encode("utf-8")
            report.pages += 1
        elif key == "/robots.txt":
            body = re.sub(
                rb"Sitemap: .*", f"Sitemap: {site_url.rstrip('/')}/sitemap.xml".encode(), body
            )
        dest.write_bytes(body)
        report.files += 1
        report.bytes += len(body)
    sitemap = _sitemap(site_url, report.written).encode("utf-8")
    (out_dir / "sitemap.xml").write_bytes(sitemap)
    report.files += 1
    report.bytes += len(sitemap)
    log.info("exported %d pages, %d files, %d bytes", report.pages, report.files, report.bytes)
    return report
