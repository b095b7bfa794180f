"""Entities: NER, a cross-lingual gazetteer, alias merging and the entities stage."""

from newsdesk.entities.base import EntityExtractor, EntityType, Mention, Origin
from newsdesk.entities.extract import (
    DefaultExtractor,
    EnglishExtractor,
    MultilingualExtractor,
    link_mentions,
    resolve_overlaps,
)
from newsdesk.entities.gazetteer import Gazetteer, build_gazetteer, default_gazetteer
from newsdesk.entities.normalize import make_key, normalize_alias, slugify, transliterate
from newsdesk.entities.registry import (
    EntityDetail,
    EntityNotFound,
    EntityRow,
    InvalidMerge,
    article_entity_ids,
    describe_entity,
    extract_and_store,
    find_entity,
    get_or_create_entity,
    list_entities,
    merge_entities,
)

__all__ = [
    "DefaultExtractor",
    "EnglishExtractor",
    "EntityDetail",
    "EntityExtractor",
    "EntityNotFound",
    "EntityRow",
    "EntityType",
    "Gazetteer",
    "InvalidMerge",
    "Mention",
    "MultilingualExtractor",
    "Origin",
    "article_entity_ids",
    "build_gazetteer",
    "default_gazetteer",
    "describe_entity",
    "extract_and_store",
    "find_entity",
    "get_or_create_entity",
    "link_mentions",
    "list_entities",
    "make_key",
    "merge_entities",
    "normalize_alias",
    "resolve_overlaps",
    "slugify",
    "transliterate",
]
