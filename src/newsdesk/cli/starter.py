"""The commented starter config that `newsdesk init` writes."""

from __future__ import annotations

from pathlib import Path

from newsdesk.settings import describe_settings

# A few public world-news feeds as a starting point; edit freely.
STARTER_SOURCES = [
    ("https://feeds.bbci.co.uk/news/world/rss.xml", "BBC World", "en", "GB"),
    ("https://www.aljazeera.com/xml/rss/all.xml", "Al Jazeera English", "en", "QA"),
    ("https://rss.dw.com/rdf/rss-en-world", "Deutsche Welle", "en", "DE"),
    ("https://www.france24.com/fr/rss", "France 24", "fr", "FR"),
    ("https://feeds.elpais.com/mrss-s/pages/ep/site/elpais.com/portada", "El País", "es", "ES"),
    ("https://www3.nhk.or.jp/rss/news/cat0.xml", "NHK", "ja", "JP"),
]


def render_starter_config() -> str:
    """The starter config text: every setting commented out with its default and help."""
    lines = [
        "# Newsdesk configuration.",
        "# Precedence: this file < NEWSDESK_* environment variables < command-line flags.",
        "# Every setting below shows its default; uncomment a line to change it.",
        "",
    ]
    for name, default, help_text in describe_settings():
        if name == "sources":
            continue
        lines.append(f"# {help_text}")
        value = default
        if default.startswith("PosixPath(") or default.startswith("WindowsPath("):
            value = '"' + default.split("'")[1] + '"'
        elif default.startswith("'"):
            value = '"' + default.strip("'") + '"'
        elif default in ("True", "False"):
            value = default.lower()
        lines.append(f"# {name} = {value}")
        lines.append("")
    lines.append("# Sources: each [[sources]] table is added to the registry on the next poll.")
    lines.append("# kind: feed | page | sitemap; reliability_tier: 1 (wire/official) .. 3")
    for url, outlet, lang, country in STARTER_SOURCES:
        lines += [
            "[[sources]]",
            f'url = "{url}"',
            f'outlet = "{outlet}"',
            f'language = "{lang}"',
            f'country = "{country}"',
            "",
        ]
    return "\n".join(lines)


def write_starter_config(path: Path) -> None:
    """Write the starter config to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_starter_config(), encoding="utf-8")


def render_settings_reference() -> str:
    """docs/configuration.md: every setting with its environment variable, default and help."""
    lines = [
        "# Configuration",
        "",
        "Newsdesk reads one settings object. Precedence, lowest first: `newsdesk.toml` (or the",
        "file named by `--config` / `NEWSDESK_CONFIG`), then `NEWSDESK_*` environment variables,",
        "then command-line flags (`--data-dir`, `--database-url`). `newsdesk init` writes a",
        "commented starter file. This page is generated: `make docs`.",
        "",
        "| setting | environment variable | default | what it does |",
        "|---|---|---|---|",
    ]
    for name, default, help_text in describe_settings():
        lines.append(f"| `{name}` | `NEWSDESK_{name.upper()}` | `{default}` | {help_text} |")
    lines += [
        "",
        "Sources can also be declared in the file as `[[sources]]` tables with the keys `url`,",
        "`kind`, `outlet`, `language`, `country`, `reliability_tier`, `poll_policy`,",
        "`poll_interval`, `allow_private`; they are added to the registry on the next poll.",
        "",
    ]
    return "\n".join(lines)
