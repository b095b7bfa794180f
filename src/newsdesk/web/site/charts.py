"""Server-side SVG charts of a story: coverage per day by language, and who appears with whom.

The SVG is written by hand (no JavaScript, no chart library) so it renders in any browser, in
feed readers and with scripts off. Every piece of text comes from sources we do not control
(entity names, outlets, language codes) and goes through `_text` before it reaches the markup.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.store import Article, Entity, Mention, StoryArticle

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
LANGUAGE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F")
OTHER_COLOUR = "#999999"
TYPE_COLOURS = {
    "person": "#0072B2",
    "org": "#E69F00",
    "place": "#009E73",
    "platform": "#D55E00",
    "programme": "#CC79A7",
    "agreement": "#56B4E9",
}
TYPE_PLURALS = {
    "person": "people",
    "org": "organisations",
    "place": "places",
    "platform": "platforms",
    "programme": "programmes",
    "agreement": "agreements",
}
TYPE_SINGULARS = {
    "person": "person",
    "org": "organisation",
    "place": "place",
    "platform": "weapon or platform",
    "programme": "programme",
    "agreement": "agreement",
}
# a story whose dated coverage spans longer than this is drawn per week, not per day
MAX_DAILY_SPAN = 92
UNKNOWN_LANGUAGE = "unknown"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# characters XML 1.0 forbids even when escaped (C0 controls other than tab, newline, return)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    """Text safe inside SVG elements and attributes: invalid XML characters dropped, escaped."""
    return html.escape(_XML_INVALID.sub("", str(value)), quote=True)


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _open_svg(width: int, height: int, label: str, title: str, desc: str, css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-label="{_text(label)}" class="{css_class}" font-family="{FONT}">'
        f"<title>{_text(title)}</title><desc>{_text(desc)}</desc>"
    )


def _message_svg(message: str, css_class: str) -> str:
    return (
        _open_svg(320, 60, message, message, message, css_class)
        + '<rect x="0.5" y="0.5" width="319" height="59" rx="6" fill="none" stroke="#cccccc"/>'
        + f'<text x="160" y="35" text-anchor="middle" font-size="14" fill="#555555">'
        f"{_text(message)}</text></svg>"
    )


# -- coverage timeline ------------------------------------------------------------------------


@dataclass
class Coverage:
    """A story's articles counted per bucket (day or week) and language."""

    buckets: list[dt.date]
    bucket_days: int
    languages: list[str]
    counts: dict[tuple[dt.date, str], int]
    totals: dict[str, int]

    @property
    def article_count(self) -> int:
        """How many articles the chart counts."""
        return sum(self.totals.values())

    def day_total(self, bucket: dt.date) -> int:
        """All languages together in one bucket."""
        return sum(self.counts.get((bucket, lang), 0) for lang in self.languages)


def count_coverage(session: Session, story_id: int) -> Coverage:
    """Count a story's articles (duplicates too: they are coverage) per day and language."""
    rows = session.execute(
        select(Article.published_at, Article.fetched_at, Article.language)
        .join(StoryArticle, StoryArticle.article_id == Article.id)
        .where(StoryArticle.story_id == story_id)
    ).all()
    dated: list[tuple[dt.date, str]] = []
    for published, fetched, lang in rows:
        when = published or fetched
        if when is None:
            continue
        dated.append((when.astimezone(dt.UTC).date(), (lang or "").strip() or UNKNOWN_LANGUAGE))
    if not dated:
        return Coverage([], 1, [], {}, {})
    first = min(d for d, _ in dated)
    last = max(d for d, _ in dated)
    bucket_days = 1 if (last - first).days < MAX_DAILY_SPAN else 7

    def bucket_of(day: dt.date) -> dt.date:
        return day if bucket_days == 1 else day - dt.timedelta(days=day.weekday())

    start, end = bucket_of(first), bucket_of(last)
    buckets = [start + dt.timedelta(days=i) for i in range(0, (end - start).days + 1, bucket_days)]
    by_lang = Counter(lang for _, lang in dated)
    ranked = sorted(by_lang, key=lambda lang: (-by_lang[lang], lang))
    # more languages than colours: the smallest ones share one grey "other" band
    keep = set(ranked[: len(LANGUAGE_COLOURS)]) if len(ranked) > len(LANGUAGE_COLOURS) else set()
    counts: Counter[tuple[dt.date, str]] = Counter()
    totals: Counter[str] = Counter()
    for day, lang in dated:
        name = lang if not keep or lang in keep else "other"
        counts[(bucket_of(day), name)] += 1
        totals[name] += 1
    languages = sorted(totals, key=lambda lang: (lang == "other", -totals[lang], lang))
    return Coverage(buckets, bucket_days, languages, dict(counts), dict(totals))


def _date_label(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _nice_step(maximum: int) -> int:
    """A round tick step (1, 2, 5, 10, 20, ...) giving about four ticks up to `maximum`."""
    raw = max(1.0, maximum / 4)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def coverage_timeline_svg(session: Session, story_id: int) -> str:
    """Articles per day (per week for long stories), stacked by language, as an SVG string."""
    cov = count_coverage(session, story_id)
    if not cov.buckets:
        return _message_svg("no coverage yet", "chart chart-timeline")
    colours = {
        lang: OTHER_COLOUR if lang in ("other", UNKNOWN_LANGUAGE) else LANGUAGE_COLOURS[i]
        for i, lang in enumerate(cov.languages)
    }
    width, height = 640, 260
    left, right, bottom = 40, 12, 40
    # legend across the top, wrapped into rows: colour, language code and its total
    legend: list[tuple[float, float, str]] = []
    x, y_legend = float(left), 10.0
    for lang in cov.languages:
        w = 16 + 7.5 * (len(_short(lang, 12)) + len(str(cov.totals[lang])) + 1) + 14
        if x + w > width - right and x > left:
            x, y_legend = float(left), y_legend + 18
        legend.append((x, y_legend, lang))
        x += w
    top = int(y_legend) + 34
    height += top - 44
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(cov.buckets)
    peak = max(cov.day_total(b) for b in cov.buckets)
    step = _nice_step(peak)
    y_max = max(step, math.ceil(peak / step) * step)
    slot = plot_w / n
    bar_w = min(48.0, max(1.0, slot * 0.78))
    unit = "day" if cov.bucket_days == 1 else "week"
    span = f"{_date_label(cov.buckets[0])} to {_date_label(cov.buckets[-1])} {cov.buckets[-1].year}"
    if n == 1:
        span = f"{_date_label(cov.buckets[0])} {cov.buckets[0].year}"
    label = (
        f"Articles per {unit} by language, {span}: "
        f"{_plural(cov.article_count, 'article', 'articles')} in "
        f"{_plural(len(cov.languages), 'language', 'languages')}"
    )
    by_lang = "; ".join(f"{lang}: {cov.totals[lang]}" for lang in cov.languages)
    desc = f"{label}. By language: {by_lang}."
    parts = [_open_svg(width, height, label, f"Coverage per {unit}", desc, "chart chart-timeline")]

    for x, y, lang in legend:
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="12" height="12" rx="2" '
            f'fill="{colours[lang]}"/>'
            f'<text x="{_num(x + 16)}" y="{_num(y + 10)}" font-size="12" fill="#333333">'
            f"{_text(_short(lang, 12))} {cov.totals[lang]}</text>"
        )

    # y axis with round ticks and light grid lines
    for tick in range(0, y_max + 1, step):
        y = top + plot_h - plot_h * tick / y_max
        parts.append(
            f'<line x1="{left}" y1="{_num(y)}" x2="{width - right}" y2="{_num(y)}" '
            f'stroke="#e5e5e5" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_num(y + 4)}" font-size="11" text-anchor="end" '
            f'fill="#555555">{tick}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="#888888" stroke-width="1"/>'
    )

    label_every = max(1, math.ceil(n / 8))
    show_counts = slot >= 14
    for i, bucket in enumerate(cov.buckets):
        cx = left + slot * (i + 0.5)
        x0 = cx - bar_w / 2
        y = float(top + plot_h)
        total = cov.day_total(bucket)
        day_name = bucket.isoformat() if unit == "day" else f"week of {bucket.isoformat()}"
        parts.append(f'<g class="bar" data-day="{bucket.isoformat()}" data-count="{total}">')
        for lang in cov.languages:
            count = cov.counts.get((bucket, lang), 0)
            if not count:
                continue
            h = plot_h * count / y_max
            y -= h
            parts.append(
                f'<rect x="{_num(x0)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(h)}" '
                f'fill="{colours[lang]}" data-lang="{_text(lang)}" data-count="{count}">'
                f"<title>{_text(day_name)}, {_text(lang)}: "
                f"{_plural(count, 'article', 'articles')}</title></rect>"
            )
        if total and (show_counts or total == peak):
            parts.append(
                f'<text x="{_num(cx)}" y="{_num(y - 4)}" font-size="11" text-anchor="middle" '
                f'fill="#222222">{total}</text>'
            )
        parts.append("</g>")
        if i % label_every == 0:
            parts.append(
                f'<text x="{_num(cx)}" y="{top + plot_h + 16}" font-size="11" '
                f'text-anchor="middle" fill="#555555">{_text(_date_label(bucket))}</text>'
            )
    parts.append(
        f'<text x="{left}" y="{height - 6}" font-size="11" fill="#555555">'
        f"articles per {unit}, {cov.buckets[0].year}"
        + (f"–{cov.buckets[-1].year}" if cov.buckets[-1].year != cov.buckets[0].year else "")
        + "</text></svg>"
    )
    return "".join(parts)


# -- entity network ---------------------------------------------------------------------------


@dataclass
class EntityCount:
    """An entity of a story (merges followed) and how often the story's articles name it."""

    entity: Entity
    mentions: int


@dataclass
class EntityNetwork:
    """The story's most-mentioned entities and how often each pair is named together."""

    article_count: int
    nodes: list[EntityCount]
    total_entities: int
    # (entity id, entity id) with the smaller id first -> passages (or articles) naming both
    edges: dict[tuple[int, int], int] = field(default_factory=dict)
    unit: str = "passage"


def _canonical_entities(session: Session, ids: set[int]) -> dict[int, Entity]:
    """Map each entity id to the entity it was merged into (chains followed, cycles cut)."""
    loaded: dict[int, Entity] = {}
    asked: set[int] = set()
    wanted = set(ids)
    while wanted:
        asked |= wanted
        for row in session.scalars(select(Entity).where(Entity.id.in_(sorted(wanted)))):
            loaded[row.id] = row
        wanted = {
            e.merged_into_id
            for e in loaded.values()
            if e.merged_into_id is not None and e.merged_into_id not in asked
        }
    out: dict[int, Entity] = {}
    for eid in ids:
        ent = loaded.get(eid)
        if ent is None:
            continue
        seen: set[int] = set()
        while ent.merged_into_id in loaded and ent.id not in seen:
            seen.add(ent.id)
            ent = loaded[ent.merged_into_id]
        out[eid] = ent
    return out


def _story_mentions(session: Session, story_id: int) -> list[tuple[Entity, int, str | None]]:
    rows = session.execute(
        select(Mention.entity_id, Mention.article_id, Mention.passage_id)
        .join(StoryArticle, StoryArticle.article_id == Mention.article_id)
        .where(StoryArticle.story_id == story_id)
    ).all()
    canon = _canonical_entities(session, {r[0] for r in rows})
    return [(canon[eid], aid, pid) for eid, aid, pid in rows if eid in canon]


def _ranked(mentions: list[tuple[Entity, int, str | None]]) -> list[EntityCount]:
    counts: Counter[int] = Counter(ent.id for ent, _, _ in mentions)
    entities = {ent.id: ent for ent, _, _ in mentions}
    order = sorted(counts, key=lambda eid: (-counts[eid], entities[eid].name.casefold(), eid))
    return [EntityCount(entities[eid], counts[eid]) for eid in order]


def count_story_entities(session: Session, story_id: int) -> list[EntityCount]:
    """The story's entities (merged ones counted under their target), most-mentioned first."""
    return _ranked(_story_mentions(session, story_id))


def build_entity_network(session: Session, story_id: int, max_nodes: int = 14) -> EntityNetwork:
    """The story's `max_nodes` most-mentioned entities and their co-occurrence counts."""
    article_count = session.scalar(
        select(func.count()).select_from(StoryArticle).where(StoryArticle.story_id == story_id)
    )
    mentions = _story_mentions(session, story_id)
    ranked = _ranked(mentions)
    nodes = ranked[: max(0, max_nodes)]
    keep = {n.entity.id for n in nodes}
    # passages are the natural unit; stores whose mentions carry no passage fall back to articles
    unit = "passage" if any(pid for _, _, pid in mentions) else "article"
    together: defaultdict[str, set[int]] = defaultdict(set)
    for ent, aid, pid in mentions:
        if ent.id not in keep:
            continue
        if unit == "passage":
            if pid:
                together[pid].add(ent.id)
        else:
            together[str(aid)].add(ent.id)
    edges: Counter[tuple[int, int]] = Counter()
    for ids in together.values():
        for a, b in combinations(sorted(ids), 2):
            edges[(a, b)] += 1
    return EntityNetwork(int(article_count or 0), nodes, len(ranked), dict(edges), unit)


def _type_order(kind: str) -> int:
    kinds = list(TYPE_COLOURS)
    return kinds.index(kind) if kind in kinds else len(kinds)


def entity_network_svg(session: Session, story_id: int, max_nodes: int = 14) -> str:
    """Who appears with whom: the most-mentioned entities on a circle, lines for co-mentions."""
    net = build_entity_network(session, story_id, max_nodes)
    if not net.nodes:
        return _message_svg("no people, organisations or places yet", "chart chart-network")
    width, height = 680, 500
    cx, cy = width / 2, 240.0
    radius = 150.0 if len(net.nodes) > 2 else 90.0
    # grouping by type keeps people, organisations and places together around the circle
    ordered = sorted(
        net.nodes,
        key=lambda n: (_type_order(n.entity.type), -n.mentions, n.entity.name, n.entity.id),
    )
    top = max(n.mentions for n in net.nodes)
    pos: dict[int, tuple[float, float, float]] = {}
    for i, node in enumerate(ordered):
        angle = -math.pi / 2 + 2 * math.pi * i / len(ordered)
        r = 6 + 14 * math.sqrt(node.mentions / top)
        pos[node.entity.id] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), r)
    names = {n.entity.id: n.entity.name for n in net.nodes}
    strongest = sorted(net.edges.items(), key=lambda kv: (-kv[1], kv[0]))
    top_edge = strongest[0][1] if strongest else 1
    label = entity_network_caption_for(net)
    desc_nodes = "; ".join(
        f"{n.entity.name} ({TYPE_SINGULARS.get(n.entity.type, n.entity.type)}, "
        f"{_plural(n.mentions, 'mention', 'mentions')})"
        for n in net.nodes
    )
    desc_edges = "; ".join(
        f"{names[a]} and {names[b]}: {_plural(w, net.unit, net.unit + 's')}"
        for (a, b), w in strongest[:10]
    )
    desc = f"Entities: {desc_nodes}." + (
        f" Named together most often: {desc_edges}." if desc_edges else ""
    )
    parts = [_open_svg(width, height, label, "Who appears with whom", desc, "chart chart-network")]

    parts.append('<g class="edges" stroke="#777777" stroke-linecap="round">')
    for (a, b), weight in sorted(net.edges.items(), key=lambda kv: (kv[1], kv[0])):
        x1, y1, _ = pos[a]
        x2, y2, _ = pos[b]
        sw = 1 + 5 * weight / top_edge
        parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'stroke-width="{_num(sw)}" stroke-opacity="{_num(0.35 + 0.4 * weight / top_edge)}" '
            f'data-source="{a}" data-target="{b}" data-weight="{weight}">'
            f"<title>{_text(names[a])} and {_text(names[b])}: named together in "
            f"{_plural(weight, net.unit, net.unit + 's')}</title></line>"
        )
    parts.append('</g><g class="nodes">')
    for node in ordered:
        x, y, r = pos[node.entity.id]
        colour = TYPE_COLOURS.get(node.entity.type, OTHER_COLOUR)
        kind = TYPE_SINGULARS.get(node.entity.type, node.entity.type)
        dx, dy = x - cx, y - cy
        norm = math.hypot(dx, dy) or 1.0
        lx, ly = x + dx / norm * (r + 6), y + dy / norm * (r + 6)
        anchor = "middle" if abs(dx) < 20 else ("start" if dx > 0 else "end")
        if anchor == "middle":
            ly += 12 if dy > 0 else -4
        else:
            ly += 4
        parts.append(
            f'<g class="node" data-entity-id="{node.entity.id}" data-mentions="{node.mentions}">'
            f"<title>{_text(node.entity.name)} ({_text(kind)}): "
            f"{_plural(node.mentions, 'mention', 'mentions')}</title>"
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1.5"/>'
            f'<text x="{_num(lx)}" y="{_num(ly)}" font-size="13" text-anchor="{anchor}" '
            f'fill="#222222">{_text(_short(node.entity.name, 22))}</text></g>'
        )
    parts.append("</g>")
    # legend of the types shown
    x = 16.0
    for kind in sorted({n.entity.type for n in net.nodes}, key=_type_order):
        name = TYPE_PLURALS.get(kind, kind)
        parts.append(
            f'<circle cx="{_num(x + 6)}" cy="{height - 18}" r="6" '
            f'fill="{TYPE_COLOURS.get(kind, OTHER_COLOUR)}"/>'
            f'<text x="{_num(x + 16)}" y="{height - 14}" font-size="12" fill="#333333">'
            f"{_text(_short(name, 24))}</text>"
        )
        x += 16 + 7 * len(_short(name, 24)) + 18
    parts.append("</svg>")
    return "".join(parts)


def _join_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def entity_network_caption_for(net: EntityNetwork) -> str:
    """The plain-text caption of an already built network (true numbers only)."""
    n = len(net.nodes)
    if net.article_count == 0:
        articles = "this story"
    elif net.article_count == 1:
        articles = "the one article of this story"
    else:
        articles = f"the {net.article_count} articles of this story"
    if n == 0:
        return f"No people, organisations or places have been recognised yet in {articles}."
    kinds = sorted({node.entity.type for node in net.nodes}, key=_type_order)
    if n == 1:
        only = net.nodes[0].entity
        return (
            f"Who appears in {articles}: only one "
            f"{TYPE_SINGULARS.get(only.type, only.type)} is recognised, {only.name}."
        )
    plural = _join_words([TYPE_PLURALS.get(k, k) for k in kinds])
    who = (
        f"the {n} most-mentioned {plural}"
        if net.total_entities > n
        else f"all {n} {plural} recognised"
    )
    if net.edges:
        how = f"a line joins two that are named in the same {net.unit}, thicker when more often."
    else:
        how = f"no two of them are named in the same {net.unit}."
    return f"Who appears with whom in {articles}: {who}; {how}"


def entity_network_caption(session: Session, story_id: int, max_nodes: int = 14) -> str:
    """Plain-text caption of the entity network: what it shows, with true numbers."""
    return entity_network_caption_for(build_entity_network(session, story_id, max_nodes))
