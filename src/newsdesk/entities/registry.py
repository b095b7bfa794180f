"""Entity store functions: extract and store mentions, look up, merge, and the entities stage."""

from __future__ import annotations

import bisect
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from newsdesk.entities.base import EntityExtractor, EntityType, Origin
from newsdesk.entities.base import Mention as FoundMention
from newsdesk.entities.normalize import normalize_alias
from newsdesk.store import (
    Article,
    Entity,
    EntityAlias,
    Mention,
    Passage,
    Source,
)

log = logging.getLogger(__name__)

_MAX = 300  # length of the name/alias/text columns
_NAME_TYPES = (EntityType.PERSON, EntityType.ORG, EntityType.PLACE)


class EntityNotFound(LookupError):
    """No entity has the id or key asked for."""


class InvalidMerge(ValueError):
    """An entity cannot be merged into itself or into one already merged into it."""


def find_entity(session: Session, ref: str | int) -> Entity:
    """The entity with this id or key; raises EntityNotFound."""
    entity: Entity | None
    if isinstance(ref, int) or str(ref).isdigit():
        entity = session.get(Entity, int(ref))
    else:
        entity = session.scalars(select(Entity).where(Entity.key == str(ref))).first()
    if entity is None:
        raise EntityNotFound(f"no entity with id or key {ref!r}")
    return entity


def resolve_merged(session: Session, entity: Entity) -> Entity:
    """The entity this one was merged into (following the chain), or itself."""
    seen = {entity.id}
    while entity.merged_into_id is not None:
        target = session.get(Entity, entity.merged_into_id)
        if target is None or target.id in seen:
            break
        seen.add(target.id)
        entity = target
    return entity


def add_alias(session: Session, entity: Entity, alias: str, lang: str | None) -> None:
    """Record a surface form of `entity` unless its normalised form is known already."""
    normalized = normalize_alias(alias)[:_MAX]
    if not normalized:
        return
    exists = session.scalar(
        select(EntityAlias.id).where(
            EntityAlias.entity_id == entity.id, EntityAlias.normalized == normalized
        )
    )
    if exists is None:
        session.add(
            EntityAlias(entity_id=entity.id, alias=alias[:_MAX], normalized=normalized, lang=lang)
        )
        session.flush()


def get_or_create_entity(
    session: Session,
    key: str,
    name: str,
    entity_type: str,
    *,
    alias: str | None = None,
    lang: str | None = None,
    match_alias: bool = True,
) -> Entity:
    """The live entity for `key`, creating it if needed, and record `alias` on it.

    When the key is unknown and `match_alias` is set, an existing unmerged entity of the same
    type that already carries this alias is reused ("Velden" in a later article -> the "Mara
    Velden" seen before; "PBCT" in Chinese -> the terminal operator named in English).
    """
    entity = session.scalars(select(Entity).where(Entity.key == key)).first()
    if entity is None and match_alias:
        # heuristics may type one name differently in two articles ("Courrier Continental"):
        # person, org and place share aliases; the entity of the same type comes first
        types = _NAME_TYPES if entity_type in _NAME_TYPES else (entity_type,)
        normalized = normalize_alias(alias or name)
        candidates = session.scalars(
            select(Entity)
            .join(EntityAlias, EntityAlias.entity_id == Entity.id)
            .where(
                EntityAlias.normalized == normalized,
                Entity.type.in_(types),
                Entity.merged_into_id.is_(None),
            )
            .order_by(Entity.mention_count.desc(), Entity.id)
        ).all()
        same = [e for e in candidates if e.type == entity_type]
        entity = (same or candidates)[0] if candidates else None
    if entity is None:
        try:
            with session.begin_nested():
                entity = Entity(key=key, name=name[:_MAX], type=entity_type, mention_count=0)
                session.add(entity)
        except IntegrityError:  # another worker created the same key meanwhile
            entity = session.scalars(select(Entity).where(Entity.key == key)).one()
    entity = resolve_merged(session, entity)
    add_alias(session, entity, alias or name, lang)
    return entity


def _passage_for(passages: Sequence[Passage], start: int, end: int) -> str | None:
    starts = [p.char_start for p in passages]
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and passages[i].char_start <= start < passages[i].char_end:
        return passages[i].id
    return None


def _change_counts(session: Session, deltas: Counter[int]) -> None:
    for entity_id, delta in deltas.items():
        if delta:
            session.execute(
                update(Entity)
                .where(Entity.id == entity_id)
                .values(mention_count=Entity.mention_count + delta)
                .execution_options(synchronize_session=False)
            )


def clear_mentions(session: Session, article_id: int) -> int:
    """Delete an article's mentions and take them off the entities' counts."""
    counts: Counter[int] = Counter()
    for entity_id, n in session.execute(
        select(Mention.entity_id, func.count())
        .where(Mention.article_id == article_id)
        .group_by(Mention.entity_id)
    ):
        counts[entity_id] -= n
    session.execute(delete(Mention).where(Mention.article_id == article_id))
    _change_counts(session, counts)
    return -sum(counts.values())


def extract_and_store(
    session: Session,
    article: Article,
    passages: Sequence[Passage],
    extractor: EntityExtractor,
    outlets: Sequence[str] = (),
) -> list[Mention]:
    """Extract the article's mentions and store them, replacing any stored before.

    Each mention points at the passage containing its start; entity mention counts follow.
    The article's outlet and `outlets` (the source registry's) are not entities of it.
    """
    clear_mentions(session, article.id)
    ordered = sorted(passages, key=lambda p: p.char_start)
    names = [n for n in (article.outlet, *outlets) if n]
    found: list[FoundMention] = extractor.extract(
        article.text or "", article.language, outlets=names
    )
    cache: dict[str, Entity] = {}
    aliased: set[tuple[int, str]] = set()
    rows: list[Mention] = []
    counts: Counter[int] = Counter()
    for m in found:
        key = m.key or ""
        if not key:
            continue
        entity = cache.get(key)
        if entity is None:
            entity = get_or_create_entity(
                session,
                key,
                m.display_name,
                m.type,
                alias=m.text,
                lang=article.language,
                match_alias=m.origin != Origin.GAZETTEER,
            )
            cache[key] = entity
            aliased.add((entity.id, m.text))
        elif (entity.id, m.text) not in aliased:
            add_alias(session, entity, m.text, article.language)
            aliased.add((entity.id, m.text))
        rows.append(
            Mention(
                article_id=article.id,
                entity_id=entity.id,
                passage_id=_passage_for(ordered, m.start, m.end),
                text=m.text[:_MAX],
                char_start=m.start,
                char_end=m.end,
            )
        )
        counts[entity.id] += 1
    # added last: pending mention rows would otherwise be flushed before every lookup above
    session.add_all(rows)
    session.flush()
    _change_counts(session, counts)
    return rows


def article_entity_ids(session: Session, article_id: int) -> set[int]:
    """Ids of the entities mentioned in an article."""
    return set(session.scalars(select(Mention.entity_id).where(Mention.article_id == article_id)))


def merge_entities(session: Session, source_id: int, target_id: int) -> Entity:
    """Fold `source` into `target`: mentions and aliases move, source is marked merged."""
    source = find_entity(session, source_id)
    target = resolve_merged(session, find_entity(session, target_id))
    if source.merged_into_id is not None:
        raise InvalidMerge(f"entity {source.id} is already merged into {source.merged_into_id}")
    if source.id == target.id:
        raise InvalidMerge(f"entity {source.id} is already {target.id} (or merged into it)")
    moved = session.execute(
        update(Mention)
        .where(Mention.entity_id == source.id)
        .values(entity_id=target.id)
        .execution_options(synchronize_session=False)
    )
    known = set(
        session.scalars(select(EntityAlias.normalized).where(EntityAlias.entity_id == target.id))
    )
    for alias in list(source.aliases):
        if alias.normalized in known:
            session.delete(alias)
        else:
            alias.entity_id = target.id
            known.add(alias.normalized)
    session.flush()
    session.execute(
        update(Entity)
        .where(Entity.merged_into_id == source.id)
        .values(merged_into_id=target.id)
        .execution_options(synchronize_session=False)
    )
    n = getattr(moved, "rowcount", 0) or 0
    target.mention_count = (target.mention_count or 0) + n
    source.mention_count = 0
    source.merged_into_id = target.id
    session.flush()
    session.expire(source, ["aliases"])
    session.expire(target, ["aliases"])
    log.info("merged entity %s into %s (%d mentions)", source.key, target.key, n)
    return target


@dataclass(frozen=True)
class EntityRow:
    """One line of `entities list`."""

    id: int
    key: str
    type: str
    name: str
    mention_count: int
    alias_count: int


def list_entities(
    session: Session, *, entity_type: str | None = None, limit: int = 50
) -> list[EntityRow]:
    """Live (unmerged) entities, most mentioned first."""
    aliases = (
        select(EntityAlias.entity_id, func.count().label("n"))
        .group_by(EntityAlias.entity_id)
        .subquery()
    )
    query = (
        select(Entity, func.coalesce(aliases.c.n, 0))
        .outerjoin(aliases, aliases.c.entity_id == Entity.id)
        .where(Entity.merged_into_id.is_(None))
        .order_by(Entity.mention_count.desc(), Entity.id)
        .limit(limit)
    )
    if entity_type:
        query = query.where(Entity.type == entity_type)
    return [
        EntityRow(e.id, e.key, e.type, e.name, e.mention_count, int(n))
        for e, n in session.execute(query)
    ]


@dataclass(frozen=True)
class EntityDetail:
    """What `entities show` prints."""

    entity: Entity
    aliases: list[tuple[str, str | None]]
    articles: list[tuple[int, str, int]]  # (article id, title, mentions)
    co_occurring: list[tuple[Entity, int]]  # (entity, articles shared)


def describe_entity(session: Session, ref: str | int, *, limit: int = 20) -> EntityDetail:
    """An entity with its aliases, the articles mentioning it and its frequent companions."""
    entity = find_entity(session, ref)
    aliases = [
        (a.alias, a.lang)
        for a in session.scalars(
            select(EntityAlias).where(EntityAlias.entity_id == entity.id).order_by(EntityAlias.id)
        )
    ]
    articles = [
        (aid, title or "", int(n))
        for aid, title, n in session.execute(
            select(Article.id, Article.title, func.count(Mention.id))
            .join(Mention, Mention.article_id == Article.id)
            .where(Mention.entity_id == entity.id)
            .group_by(Article.id, Article.title)
            .order_by(func.count(Mention.id).desc(), Article.id)
            .limit(limit)
        )
    ]
    mine = select(Mention.article_id).where(Mention.entity_id == entity.id).distinct()
    shared = func.count(Mention.article_id.distinct())
    co_rows = session.execute(
        select(Entity, shared)
        .join(Mention, Mention.entity_id == Entity.id)
        .where(Mention.article_id.in_(mine), Entity.id != entity.id)
        .group_by(Entity.id)
        .order_by(shared.desc(), Entity.id)
        .limit(limit)
    ).all()
    co = [(e, int(n)) for e, n in co_rows]
    return EntityDetail(entity, aliases, articles, co)


def registry_outlets(session: Session) -> list[str]:
    """The outlet names of the source registry, which no article's entities should include."""
    return sorted({o for o in session.scalars(select(Source.outlet).distinct()) if o})
