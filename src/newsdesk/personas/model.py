"""Personas and their beats: the models, the packaged defaults and the user override file."""

from __future__ import annotations

import logging
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from newsdesk.personas.topics import TOPICS

log = logging.getLogger(__name__)

# ISO 3166-1 alpha-2 codes (officially assigned) plus XK, the user-assigned code for Kosovo.
_ISO_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO
    DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU
    GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
    KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU
    MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA
    ZM ZW XK"""
ISO_COUNTRIES = frozenset(_ISO_CODES.split())
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}$")
_ENTITY_KEY = re.compile(r"^[a-z]+:[^\s:][^:]*$")


class PersonaConfigInvalid(ValueError):
    """A personas file cannot be read or breaks the schema; the message names persona and field."""


class DuplicatePersonaId(PersonaConfigInvalid):
    """Two personas in one file share an id."""


class UnknownPersona(LookupError):
    """No persona has the requested id."""


class Beat(BaseModel):
    """What a persona watches: where, about what, whom, and in which languages it reads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Short title of the beat.")
    regions: list[str] = Field(default_factory=list, description="Region labels, for people.")
    countries: list[str] = Field(
        default_factory=list, description="ISO 3166-1 alpha-2 codes; empty = a global beat."
    )
    topics: list[str] = Field(min_length=1, description="Topics from the fixed vocabulary.")
    entities: list[str] = Field(
        default_factory=list, description="Watched entities: keys ('org:imf') or plain names."
    )
    languages: list[str] = Field(min_length=1, description="ISO 639-1 codes the persona reads.")
    description: str = Field(default="", description="Text embedded for vector routing (optional).")

    @field_validator("countries")
    @classmethod
    def _check_countries(cls, value: list[str]) -> list[str]:
        out = []
        for code in value:
            up = code.strip().upper()
            if up not in ISO_COUNTRIES:
                raise ValueError(f"unknown country code {code!r} (expected ISO 3166-1 alpha-2)")
            out.append(up)
        return list(dict.fromkeys(out))

    @field_validator("topics")
    @classmethod
    def _check_topics(cls, value: list[str]) -> list[str]:
        for topic in value:
            if topic not in TOPICS:
                raise ValueError(f"unknown topic {topic!r}; known topics: {', '.join(TOPICS)}")
        return list(dict.fromkeys(value))

    @field_validator("languages")
    @classmethod
    def _check_languages(cls, value: list[str]) -> list[str]:
        out = [v.strip().lower() for v in value]
        for lang in out:
            if not _LANG.match(lang):
                raise ValueError(f"bad language code {lang!r} (expected ISO 639-1, e.g. 'fr')")
        return list(dict.fromkeys(out))

    @field_validator("entities")
    @classmethod
    def _check_entities(cls, value: list[str]) -> list[str]:
        for entity in value:
            if not entity.strip():
                raise ValueError("empty watched entity")
            if ":" in entity and not _ENTITY_KEY.match(entity):
                raise ValueError(f"bad entity key {entity!r} (expected 'type:slug')")
        return value

    @property
    def is_global(self) -> bool:
        """True when the beat follows topics anywhere rather than a set of countries."""
        return not self.countries

    def describe(self) -> str:
        """The text that stands for the beat in vector routing."""
        if self.description:
            return self.description
        where = ", ".join(self.regions) or "worldwide"
        what = ", ".join(t.replace("-", " ") for t in self.topics)
        return f"{self.name}. News from {where} about {what}."


class Perspective(BaseModel):
    """When a persona adds a short second section to a story another persona leads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    threshold: float = Field(
        default=0.3, ge=0.0, le=1.0, description="Minimum routing score for a perspective section."
    )


class Persona(BaseModel):
    """An invented analyst: byline, bio, beat, analytical lens and writing voice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Unique slug, e.g. 'russia-eurasia'.")
    byline: str = Field(min_length=1)
    bio: str = Field(min_length=1)
    beat: Beat
    lens: str = Field(min_length=1, description="How the persona analyses.")
    voice: str = Field(min_length=1, description="Style notes for writers.")
    perspective: Perspective = Field(default_factory=Perspective)

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(f"id {value!r} must be a slug: lower-case letters, digits, hyphens")
        return value


def _format_errors(exc: ValidationError, label: str, source: str) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(persona)"
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{source}: persona {label}: field {field!r}: {msg}")
    return "\n".join(parts)


def parse_personas(raw: list[Any], source: str) -> list[Persona]:
    """Validate a list of persona tables; errors name the file, the persona and the field."""
    personas: list[Persona] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise PersonaConfigInvalid(f"{source}: personas[{i}] is not a table")
        label = repr(item.get("id")) if item.get("id") else f"#{i + 1}"
        try:
            persona = Persona.model_validate(item)
        except ValidationError as exc:
            raise PersonaConfigInvalid(_format_errors(exc, label, source)) from exc
        if persona.id in seen:
            raise DuplicatePersonaId(f"{source}: persona {persona.id!r}: field 'id': duplicate id")
        seen.add(persona.id)
        personas.append(persona)
    return personas


def _read_toml(path: Path | None) -> tuple[dict[str, Any], str]:
    if path is None:
        text = resources.files("newsdesk.personas").joinpath("defaults.toml").read_text("utf-8")
        source = "personas/defaults.toml"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PersonaConfigInvalid(f"{path}: cannot read personas file: {exc}") from exc
        source = str(path)
    try:
        return tomllib.loads(text), source
    except tomllib.TOMLDecodeError as exc:
        raise PersonaConfigInvalid(f"{source}: not valid TOML: {exc}") from exc


def load_default_personas() -> list[Persona]:
    """The nine personas shipped with Newsdesk (personas/defaults.toml)."""
    data, source = _read_toml(None)
    return parse_personas(data.get("personas", []), source)


def load_personas(path: Path | None = None) -> list[Persona]:
    """The defaults, changed by a user file: add or replace `[[personas]]`, drop ids in `remove`.

    The user file may set `include_defaults = false` to start from no personas at all.

    Args:
        path: a personas TOML file, or None for the packaged defaults only.
    Returns:
        The personas in order: defaults first (replaced in place), then added ones.
    """
    defaults = load_default_personas()
    if path is None:
        return defaults
    data, source = _read_toml(path)
    unknown = set(data) - {"personas", "remove", "include_defaults"}
    if unknown:
        raise PersonaConfigInvalid(
            f"{source}: unknown top-level key(s) {sorted(unknown)}; "
            "expected [[personas]], remove, include_defaults"
        )
    raw = data.get("personas", [])
    if not isinstance(raw, list):
        raise PersonaConfigInvalid(f"{source}: 'personas' must be an array of tables")
    remove = data.get("remove", [])
    if not isinstance(remove, list) or not all(isinstance(r, str) for r in remove):
        raise PersonaConfigInvalid(f"{source}: 'remove' must be a list of persona ids")
    include = data.get("include_defaults", True)
    if not isinstance(include, bool):
        raise PersonaConfigInvalid(f"{source}: 'include_defaults' must be true or false")
    user = parse_personas(raw, source)
    base = {p.id: p for p in defaults} if include else {}
    for rid in remove:
        if rid not in base:
            raise UnknownPersona(f"{source}: remove: no persona {rid!r} to remove")
        del base[rid]
    for persona in user:
        if persona.id in base:
            log.info("persona %s replaced by %s", persona.id, source)
        base[persona.id] = persona
    if not base:
        raise PersonaConfigInvalid(f"{source}: no personas left")
    return list(base.values())


def find_persona(personas: list[Persona], persona_id: str) -> Persona:
    """The persona with this id, or UnknownPersona."""
    for persona in personas:
        if persona.id == persona_id:
            return persona
    known = ", ".join(p.id for p in personas)
    raise UnknownPersona(f"no persona {persona_id!r}; known: {known}")
