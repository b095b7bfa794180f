"""Feeds out: RSS 2.0 and Atom 1.0 through feedgen, JSON Feed 1.1 from the same entries.

There is a feed for the whole site, each persona, each tag and each story (its updates). An
entry is a series (one persona's analysis of a story) at its newest published version, so a
new version updates the entry readers already have instead of adding another; a story's feed
lists every version. Text is the visitor's part only (see `gate`). A retracted piece stays in
the feed, its title marked and its text replaced by the retraction note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from feedgen.feed import FeedGenerator
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from newsdesk.personas import Persona, load_personas
from newsdesk.publish.gate import VISITOR, gate_analysis
from newsdesk.publish.items import Series, public_series, story_versions
from newsdesk.settings import Settings
from newsdesk.store import Analysis, AnalysisStatus, Story, utcnow
from newsdesk.write.model import SectionKey

FORMATS = {
    "rss": ("feed.xml", "application/rss+xml"),
    "atom": ("atom.xml", "application/atom+xml"),
    "json": ("feed.json", "application/feed+json"),
}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
SCOPE_SEGMENTS = {"persona": "personas", "tag": "tags", "story": "stories"}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
MAX_ENTRIES = 50


class FeedNotFound(LookupError):
    """No such persona, tag or story (or nothing public in it)."""


class UnknownFeedFormat(ValueError):
    """A format other than rss, atom or json."""


@dataclass
class FeedEntry:
    """One item of a feed, in the terms all three formats share."""

    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    tags: list[str] = field(default_factory=list)
    language: str | None = None


@dataclass
class Feed:
    """A feed's head and entries, before it is written in a format."""

    scope: str
    key: str
    title: str
    description: str
    home_url: str
    entries: list[FeedEntry]
    updated: dt.datetime
    language: str = "en"

    def self_url(self, settings: Settings, fmt: str) -> str:
        return absolute(settings, feed_path(self.scope, self.key, fmt))


def feed_path(scope: str, key: str, fmt: str) -> str:
    """The site path of a feed: /feed.xml for the site, /feeds/<scope>/<key>/<file> else."""
    if fmt not in FORMATS:
        raise UnknownFeedFormat(f"unknown feed format {fmt!r}: use rss, atom or json")
    name = FORMATS[fmt][0]
    if scope == "site":
        return f"/{name}"
    if scope not in SCOPE_SEGMENTS:
        raise FeedNotFound(f"no feeds of {scope!r}")
    return f"/feeds/{SCOPE_SEGMENTS[scope]}/{quote(key, safe='')}/{name}"


def feed_links(scope: str, key: str, label: str) -> list[tuple[str, str, str]]:
    """(title, media type, path) of a scope's three feeds, for <link rel="alternate">."""
    return [
        (
            f"{label} ({FORMAT_NAMES[kind]})",
            mime,
            feed_path(scope, key, kind),
        )
        for kind, (_, mime) in FORMATS.items()
    ]


def absolute(settings: Settings, path: str) -> str:
    """`path` on the public site."""
    return settings.site_url.rstrip("/") + path


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _tag_uri(settings: Settings, path: str) -> str:
    # a tag: URI (RFC 4151) stays the same when the site moves between hosts' paths
    host = urlsplit(settings.site_url).hostname or "localhost"
    return f"tag:{host},2026:{path}"


def entry_html(analysis: Analysis, settings: Settings) -> str:
    """The visitor's part of an analysis as simple HTML, with the members-only note."""
    if analysis.status == AnalysisStatus.RETRACTED:
        notes = [c for c in analysis.corrections or [] if c.get("kind") == "retraction"]
        note = notes[-1].get("note", "") if notes else ""
        return str(
            Markup("<p><strong>This analysis has been retracted.</strong> {}</p>").format(note)
        )
    gated = gate_analysis(analysis.sentences, settings, VISITOR)
    parts: list[str] = []
    current = None
    para: list[Markup] = []

    def flush() -> None:
        if para:
            parts.append(str(Markup("<p>{}</p>").format(Markup(" ").join(para))))
            para.clear()

    for sent in gated.visible:
        if sent.section != current:
            flush()
            current = sent.section
            title = SectionKey.TITLES.get(sent.section, sent.section)
            parts.append(str(Markup("<h2>{}</h2>").format(title)))
        para.append(escape(sent.text))
    flush()
    link = absolute(settings, f"/analyses/{analysis.id}")
    for c in analysis.corrections or []:
        if c.get("kind") != "retraction":
            parts.append(
                str(
                    Markup("<p><em>Correction ({}):</em> {}</p>").format(
                        c.get("at", "")[:10], c.get("note", "")
                    )
                )
            )
    if gated.is_partial:
        parts.append(
            str(
                Markup(
                    "<p><em>Members read on: {} more.</em> "
                    '<a href="{}">Continue on the site</a>.</p>'
                ).format(", ".join(gated.withheld_sections) or "the rest", link)
            )
        )
    else:
        parts.append(str(Markup('<p><a href="{}">Read it with its sources</a>.</p>').format(link)))
    return "".join(parts)


def _byline(analysis: Analysis, personas: dict[str, Persona]) -> str:
    persona = personas.get(analysis.persona_id)
    return persona.byline if persona else analysis.byline


def _entry(
    analysis: Analysis,
    settings: Settings,
    personas: dict[str, Persona],
    *,
    entry_id: str,
    published: dt.datetime,
    updated: dt.datetime,
) -> FeedEntry:
    retracted = analysis.status == AnalysisStatus.RETRACTED
    title = ("Retracted: " if retracted else "") + analysis.headline
    if not retracted and any(c.get("kind") != "retraction" for c in analysis.corrections or []):
        title = "Corrected: " + analysis.headline
    return FeedEntry(
        id=entry_id,
        url=absolute(settings, f"/analyses/{analysis.id}"),
        title=title,
        summary="" if retracted else analysis.dek,
        content_html=entry_html(analysis, settings),
        published=published,
        updated=updated,
        author=_byline(analysis, personas),
        tags=list(analysis.tags or []),
    )


def _series_entry(s: Series, settings: Settings, personas: dict[str, Persona]) -> FeedEntry:
    return _entry(
        s.analysis,
        settings,
        personas,
        entry_id=_tag_uri(settings, f"analysis/{s.story_id}/{s.persona_id}"),
        published=s.first_published,
        updated=s.updated,
    )


def build_feed(session: Session, settings: Settings, scope: str, key: str = "") -> Feed:
    """The feed of the site, a persona (key = its id), a tag, or a story (key = its id)."""
    personas = {p.id: p for p in load_personas(settings.personas_file)}
    site = settings.site_title
    entries: list[FeedEntry]
    fallback = utcnow().replace(microsecond=0)
    if scope == "site":
        series = public_series(session, limit=MAX_ENTRIES)
        title, desc, home = site, f"Analysis from {site}, every sentence cited.", "/"
        entries = [_series_entry(s, settings, personas) for s in series]
    elif scope == "persona":
        persona = personas.get(key)
        if persona is None:
            raise FeedNotFound(f"no persona {key!r}")
        series = public_series(session, persona_id=key, limit=MAX_ENTRIES)
        title = f"{persona.byline} · {site}"
        desc = f"Analysis by {persona.byline} ({persona.beat.name}), an invented analyst."
        home = f"/personas/{quote(key, safe='')}"
        entries = [_series_entry(s, settings, personas) for s in series]
    elif scope == "tag":
        series = public_series(session, tag=key, limit=MAX_ENTRIES)
        if not series:
            raise FeedNotFound(f"nothing published is tagged {key!r}")
        title, desc = f"{key} · {site}", f"Analysis tagged {key} from {site}."
        home = "/tags/" + quote(key, safe="")
        entries = [_series_entry(s, settings, personas) for s in series]
    elif scope == "story":
        if not key.isdigit() or len(key) > 18:
            raise FeedNotFound(f"no story {key!r}")
        story = session.get(Story, int(key))
        if story is None or story.merged_into_id is not None:
            raise FeedNotFound(f"no story {key!r}")
        fallback = _aware(story.last_seen)
        versions = story_versions(session, story.id, limit=MAX_ENTRIES)
        title = f"{story.headline or 'Story ' + key} · {site}"
        desc = f"Every published version of the analyses of this story on {site}."
        home = f"/stories/{story.id}"
        entries = [
            _entry(
                a,
                settings,
                personas,
                entry_id=_tag_uri(settings, f"analysis/{a.id}"),
                published=_aware(a.published_at or a.created_at),
                updated=max(_aware(a.published_at or a.created_at), _aware(a.updated_at)),
            )
            for a in versions
        ]
        for e, a in zip(entries, versions, strict=True):
            if a.version > 1 and not e.title.startswith(("Retracted", "Corrected")):
                e.title = f"Update (version {a.version}): {e.title}"
    else:
        raise FeedNotFound(f"no feeds of {scope!r}")
    updated = max((e.updated for e in entries), default=fallback)
    return Feed(scope, key, title, desc, absolute(settings, home), entries, updated)


def _generator(feed: Feed, settings: Settings, fmt: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(_tag_uri(settings, f"feed/{feed.scope}/{feed.key}"))
    fg.title(feed.title)
    fg.subtitle(feed.description)
    fg.description(feed.description)
    # RSS keeps one <link>: the last alternate one, so it goes after the self link
    fg.link(href=feed.self_url(settings, fmt), rel="self")
    fg.link(href=feed.home_url, rel="alternate")
    fg.language(feed.language)
    fg.author({"name": settings.site_title})
    fg.generator("Newsdesk (feedgen)")
    fg.updated(feed.updated)
    fg.lastBuildDate(feed.updated)
    fg.docs("https://www.rssboard.org/rss-specification")
    # feedgen prepends entries: add them oldest first so the newest lead
    for e in reversed(feed.entries):
        fe = fg.add_entry()
        fe.guid(e.id, permalink=False)
        fe.title(e.title)
        fe.link(href=e.url, rel="alternate")
        fe.author({"name": e.author})
        fe.published(e.published)
        fe.updated(e.updated)
        # the dek is the summary (RSS description); the visitor's text is the content
        if e.summary:
            fe.description(e.summary, isSummary=True)
        fe.content(e.content_html, type="CDATA" if fmt == "rss" else "html")
        for t in e.tags:
            fe.category(term=t, label=t)
    return fg


def _json_feed(feed: Feed, settings: Settings) -> bytes:
    doc = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.self_url(settings, "json"),
        "description": feed.description,
        "language": feed.language,
        "authors": [{"name": settings.site_title}],
        "items": [
            {
                "id": e.id,
                "url": e.url,
                "title": e.title,
                "content_html": e.content_html,
                **({"summary": e.summary} if e.summary else {}),
                "date_published": e.published.isoformat(),
                "date_modified": e.updated.isoformat(),
                "authors": [{"name": e.author}],
                **({"tags": e.tags} if e.tags else {}),
            }
            for e in feed.entries
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def render_feed(feed: Feed, settings: Settings, fmt: str) -> bytes:
    """The feed as RSS 2.0, Atom 1.0 or JSON Feed 1.1 bytes (UTF-8)."""
    if fmt == "json":
        return _json_feed(feed, settings)
    if fmt == "rss":
        return bytes(_generator(feed, settings, fmt).rss_str(pretty=True))
    if fmt == "atom":
        return bytes(_generator(feed, settings, fmt).atom_str(pretty=True))
    raise UnknownFeedFormat(f"unknown feed format {fmt!r}: use rss, atom or json")


def etag_of(body: bytes) -> str:
    """A strong ETag for a feed body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
