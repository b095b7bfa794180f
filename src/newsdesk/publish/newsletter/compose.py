"""The briefing mail: what was published or updated since the last issue, as HTML + text.

Each item is a headline, its dek, the persona who wrote it and a link; no analysis body goes
into the mail, so nothing members-only can leak through it. The HTML is laid out with tables
and its CSS inlined (css-inline) for mail clients; it carries no script and no tracking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import css_inline
from jinja2 import Environment, FileSystemLoader, select_autoescape

from newsdesk.personas import Persona, load_personas
from newsdesk.publish.gate import VISITOR, gate_analysis
from newsdesk.settings import Settings
from newsdesk.store import Analysis, AnalysisStatus, Subscriber

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)


@dataclass
class BriefingItem:
    """One piece in a briefing."""

    analysis_id: int
    kind: str  # new, updated, corrected, retracted
    headline: str
    dek: str
    byline: str
    beat: str
    persona_id: str
    tags: list[str]
    url: str
    minutes: int
    note: str = ""


@dataclass
class Briefing:
    """A composed briefing for one reader (or the preview)."""

    subject: str
    date: dt.datetime
    items: list[BriefingItem]
    html: str = ""
    text: str = ""
    topics: list[str] = field(default_factory=list)


def _absolute(settings: Settings, path: str) -> str:
    return settings.site_url.rstrip("/") + path


def _kind(a: Analysis, since: dt.datetime | None) -> tuple[str, str]:
    if a.status == AnalysisStatus.RETRACTED:
        notes = [c for c in a.corrections or [] if c.get("kind") == "retraction"]
        return "retracted", notes[-1].get("note", "") if notes else ""
    corrections = [c for c in a.corrections or [] if c.get("kind") != "retraction"]
    if corrections and since is not None:
        recent = [c for c in corrections if c.get("at", "") >= since.isoformat()]
        if recent:
            return "corrected", recent[-1].get("note", "")
    if a.version > 1:
        return "updated", f"version {a.version}"
    return "new", ""


def briefing_items(
    analyses: list[Analysis], settings: Settings, since: dt.datetime | None
) -> list[BriefingItem]:
    """The items of a briefing, in the order given."""
    personas: dict[str, Persona] = {p.id: p for p in load_personas(settings.personas_file)}
    items = []
    for a in analyses:
        persona = personas.get(a.persona_id)
        kind, note = _kind(a, since)
        items.append(
            BriefingItem(
                analysis_id=a.id,
                kind=kind,
                headline=a.headline,
                dek="" if kind == "retracted" else a.dek,
                byline=persona.byline if persona else a.byline,
                beat=persona.beat.name if persona else "",
                persona_id=a.persona_id,
                tags=list(a.tags or []),
                url=_absolute(settings, f"/analyses/{a.id}"),
                minutes=gate_analysis(a.sentences, settings, VISITOR).reading_minutes,
                note=note,
            )
        )
    return items


def matches_topics(item: BriefingItem, topics: list[str]) -> bool:
    """True when a reader with these topics gets this item (no topics: every item)."""
    if not topics:
        return True
    return any(
        (t.startswith("persona:") and t[8:] == item.persona_id)
        or (t.startswith("tag:") and t[4:] in item.tags)
        for t in topics
    )


def subject_of(settings: Settings, items: list[BriefingItem], date: dt.datetime) -> str:
    """The subject line: the site, the date and the lead headline."""
    day = f"{date:%d %b %Y}"
    if not items:
        return f"{settings.site_title} briefing, {day}: nothing new"
    more = f" (+{len(items) - 1} more)" if len(items) > 1 else ""
    return f"{settings.site_title} briefing, {day}: {items[0].headline}{more}"


def topic_label(topic: str, personas: dict[str, Persona] | None = None) -> str:
    """A topic as a reader reads it."""
    kind, _, key = topic.partition(":")
    if kind == "persona":
        p = (personas or {}).get(key)
        return f"analysis by {p.byline}" if p else f"analysis by {key}"
    return f"the tag {key}"


def render_briefing(
    briefing: Briefing,
    settings: Settings,
    *,
    unsubscribe_url: str,
    manage_url: str,
) -> Briefing:
    """Fill in the briefing's HTML (CSS inlined) and plain text."""
    personas = {p.id: p for p in load_personas(settings.personas_file)}
    context = {
        "b": briefing,
        "site_title": settings.site_title,
        "site_url": settings.site_url.rstrip("/"),
        "unsubscribe_url": unsubscribe_url,
        "manage_url": manage_url,
        "support_text": settings.support_text,
        "support_url": settings.support_url,
        "topics": [topic_label(t, personas) for t in briefing.topics],
        "feeds_url": _absolute(settings, "/feeds"),
    }
    html = _env.get_template("briefing.html").render(**context)
    briefing.html = _inliner.inline(html)
    briefing.text = _env.get_template("briefing.txt").render(**context)
    return briefing


def compose_briefing(
    analyses: list[Analysis],
    settings: Settings,
    *,
    since: dt.datetime | None,
    date: dt.datetime,
    topics: list[str] | None = None,
    unsubscribe_url: str,
    manage_url: str,
) -> Briefing:
    """A briefing of `analyses` (filtered by the reader's topics), rendered."""
    items = [
        i for i in briefing_items(analyses, settings, since) if matches_topics(i, topics or [])
    ]
    briefing = Briefing(subject_of(settings, items, date), date, items, topics=list(topics or []))
    return render_briefing(
        briefing, settings, unsubscribe_url=unsubscribe_url, manage_url=manage_url
    )


def unsubscribe_url(settings: Settings, sub: Subscriber | None) -> str:
    """The one-click unsubscribe URL of a subscriber (a placeholder in previews)."""
    key = sub.unsubscribe_key if sub is not None else "preview"
    return _absolute(settings, f"/newsletter/unsubscribe/{quote(key, safe='')}")


def manage_url(settings: Settings) -> str:
    """Where a reader changes what they receive."""
    return _absolute(settings, "/newsletter")


def compose_confirmation(settings: Settings, email: str, confirm_url: str) -> tuple[str, str, str]:
    """(subject, text, html) of the double opt-in mail."""
    context = {
        "site_title": settings.site_title,
        "site_url": settings.site_url.rstrip("/"),
        "email": email,
        "confirm_url": confirm_url,
        "hours": max(1, settings.token_max_age // 3600),
    }
    subject = f"Confirm your {settings.site_title} briefing subscription"
    html = _inliner.inline(_env.get_template("confirm.html").render(**context))
    return subject, _env.get_template("confirm.txt").render(**context), html


def compose_signin(settings: Settings, email: str, link: str) -> tuple[str, str, str]:
    """(subject, text, html) of a member's sign-in mail."""
    context = {
        "site_title": settings.site_title,
        "site_url": settings.site_url.rstrip("/"),
        "email": email,
        "link": link,
        "minutes": max(1, settings.member_link_max_age // 60),
    }
    subject = f"Your {settings.site_title} sign-in link"
    html = _inliner.inline(_env.get_template("signin.html").render(**context))
    return subject, _env.get_template("signin.txt").render(**context), html


def render_mail(name: str, context: dict[str, object]) -> tuple[str, str]:
    """(text, inlined html) of the mail templates <name>.txt and <name>.html."""
    html = _inliner.inline(_env.get_template(f"{name}.html").render(**context))
    return _env.get_template(f"{name}.txt").render(**context), html
