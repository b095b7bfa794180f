"""The source registry and OPML on real stores. Outlet names below are invented."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from newsdesk.monitor.sources import (
    InvalidSource,
    MalformedOpml,
    SourceExists,
    SourceNotFound,
    add_source,
    export_opml,
    get_source,
    import_opml,
    list_sources,
    refresh_source,
    remove_source,
    set_source_enabled,
    sync_config_sources,
)
from newsdesk.settings import SourceConfig
from newsdesk.store import Article, Entry, FetchLog, PollPolicy, Source, SourceKind, Store

FIELDS = (
    "url",
    "kind",
    "outlet",
    "language_hint",
    "country",
    "reliability_tier",
    "poll_policy",
    "poll_interval",
    "enabled",
    "allow_private",
)


def _fields(source: Source) -> tuple[object, ...]:
    return tuple(getattr(source, name) for name in FIELDS)


def _count(store: Store) -> int:
    with store.reader() as s:
        return int(s.scalar(select(func.count()).select_from(Source)) or 0)


def test_add_source_normalises_and_stores_every_field(store: Store) -> None:
    with store.session() as s:
        src = add_source(
            s,
            "  HTTPS://News.Example.ORG/feed.xml?x=1#frag ",
            kind="sitemap",
            outlet=" Invented Herald ",
            language="PT_br",
            country="br",
            reliability_tier=1,
            poll_policy=PollPolicy.ENTRY_FREQUENCY,
            poll_interval=900,
            enabled=False,
        )
        new_id = src.id
    with store.reader() as s:
        got = get_source(s, new_id)
        assert _fields(got) == (
            "https://news.example.org/feed.xml?x=1",
            "sitemap",
            "Invented Herald",
            "pt-br",
            "BR",
            1,
            "entry_frequency",
            900,
            False,
            False,
        )
        assert (got.error_count, got.suspended, got.next_check_at) == (0, False, None)


def test_add_source_defaults(store: Store) -> None:
    with store.session() as s:
        src = add_source(s, "http://news.example.org/rss")
        assert (src.kind, src.poll_policy, src.reliability_tier, src.enabled) == (
            SourceKind.FEED,
            PollPolicy.FIXED,
            2,
            True,
        )
        assert src.url == "http://news.example.org/rss"


def test_duplicate_url_raises_source_exists(store: Store) -> None:
    with store.session() as s:
        add_source(s, "https://news.example.org/feed")
    with store.session() as s, pytest.raises(SourceExists):
        add_source(s, "HTTPS://NEWS.example.org/feed#top")
    assert _count(store) == 1


@pytest.mark.parametrize(
    ("url", "kwargs", "reason"),
    [
        ("ftp://news.example.org/feed", {}, "not an http(s) URL"),
        ("https:///feed", {}, "no host"),
        ("", {}, "empty"),
        ("https://news.example.org/a b", {}, "whitespace"),
        ("https://news.example.org:99999/", {}, "unparsable"),
        ("https://user:pw@news.example.org/", {}, "credentials"),
        ("https://news.example.org/", {"kind": "podcast"}, "kind must be one of"),
        ("https://news.example.org/", {"poll_policy": "sometimes"}, "poll policy"),
        ("https://news.example.org/", {"reliability_tier": 0}, "tier"),
        ("https://news.example.org/", {"reliability_tier": 4}, "tier"),
        ("https://news.example.org/", {"language": "english"}, "language"),
        ("https://news.example.org/", {"country": "USA"}, "country"),
        ("https://news.example.org/", {"poll_interval": 0}, "interval"),
        ("https://news.example.org/", {"poll_interval": 10**10}, "interval"),
        ("http://127.0.0.1:8080/feed", {}, "private or loopback"),
        ("http://[::1]/feed", {}, "private or loopback"),
        ("http://192.168.1.5/feed", {}, "private or loopback"),
        ("http://localhost/feed", {}, "private or loopback"),
    ],
)
def test_invalid_sources_are_refused(
    store: Store, url: str, kwargs: dict[str, object], reason: str
) -> None:
    with store.session() as s, pytest.raises(InvalidSource, match=re.escape(reason)):
        add_source(s, url, **kwargs)  # type: ignore[arg-type]  # deliberately bad values
    assert _count(store) == 0


def test_private_address_allowed_when_asked(store: Store) -> None:
    with store.session() as s:
        src = add_source(s, "http://127.0.0.1:8080/feed", allow_private=True)
        assert src.allow_private is True
        assert add_source(s, "http://[::1]:81/x", allow_private=True).url == "http://[::1]:81/x"


def test_get_list_enable_refresh(store: Store) -> None:
    with store.session() as s:
        a = add_source(s, "https://a.example.org/feed", outlet="Invented A")
        b = add_source(s, "https://b.example.org/feed", outlet="Invented B")
        a_id, b_id = a.id, b.id
    with store.session() as s:
        assert [x.id for x in list_sources(s)] == [a_id, b_id]
        assert get_source(s, str(b_id)).outlet == "Invented B"
        assert get_source(s, "https://A.example.org/feed").id == a_id
        for missing in (999_999, "999999", "https://nowhere.example.org/", 10**12):
            with pytest.raises(SourceNotFound):
                get_source(s, missing)
        set_source_enabled(s, a_id, False)
        src = get_source(s, b_id)
        src.suspended, src.error_count, src.last_error = True, 12, "invented failure"
        src.next_check_at = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    before = dt.datetime.now(dt.UTC)
    with store.session() as s:
        refresh_source(s, "https://b.example.org/feed")
    with store.reader() as s:
        assert get_source(s, a_id).enabled is False
        b_row = get_source(s, b_id)
        assert (b_row.suspended, b_row.error_count) == (False, 0)
        assert b_row.next_check_at is not None
        due = b_row.next_check_at
        due = due if due.tzinfo else due.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC
        assert before - dt.timedelta(seconds=1) <= due <= dt.datetime.now(dt.UTC)


def test_remove_source_deletes_its_log_and_entries(store: Store) -> None:
    with store.session() as s:
        src = add_source(s, "https://gone.example.org/feed", outlet="Invented Gone")
        keep = add_source(s, "https://kept.example.org/feed")
        s.add_all(
            [
                FetchLog(source_id=src.id, url=src.url, outcome="ok"),
                Entry(source_id=src.id, guid="g1", title="Invented entry"),
                Entry(source_id=keep.id, guid="g1", title="Invented kept entry"),
                Article(source_id=src.id, title="Invented article", content_hash="h"),
            ]
        )
        src_id = src.id
    with store.session() as s:
        # load the relationship too: the delete must not try to null the children
        assert len(get_source(s, src_id).fetches) == 1
        removed = remove_source(s, src_id)
        assert removed.url == "https://gone.example.org/feed"
    with store.reader() as s:
        assert [x.url for x in list_sources(s)] == ["https://kept.example.org/feed"]
        assert s.scalar(select(func.count()).select_from(FetchLog)) == 0
        assert list(s.scalars(select(Entry.title))) == ["Invented kept entry"]
        assert s.scalar(select(Article.source_id)) is None
    with store.session() as s, pytest.raises(SourceNotFound):
        remove_source(s, src_id)


def test_sync_config_sources(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    configs = [
        SourceConfig(url="https://one.example.org/feed", outlet="Invented One", language="en"),
        SourceConfig(url="https://two.example.org/sitemap.xml", kind="sitemap", country="de"),
        SourceConfig(url="not a url"),
        SourceConfig(url="https://three.example.org/feed", reliability_tier=9),
    ]
    with store.session() as s:
        add_source(s, "https://two.example.org/sitemap.xml", outlet="Already")
    with caplog.at_level(logging.ERROR), store.session() as s:
        assert sync_config_sources(s, configs, default_policy="entry_frequency") == 1
    assert "not a url" in caplog.text and "tier" in caplog.text
    with store.session() as s:
        assert sync_config_sources(s, configs) == 0
    with store.reader() as s:
        one = get_source(s, "https://one.example.org/feed")
        assert (one.outlet, one.language_hint, one.poll_policy) == (
            "Invented One",
            "en",
            "entry_frequency",
        )
        assert get_source(s, "https://two.example.org/sitemap.xml").outlet == "Already"


# -- OPML ---------------------------------------------------------------------

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
 <head><title>Invented subscriptions</title></head>
 <body>
  <outline text="World">
   <outline text="Europe">
    <outline type="rss" text="Invented Post" xmlUrl="https://post.example.org/rss"
      htmlUrl="https://post.example.org/" language="de" newsdesk:country="at"
      newsdesk:tier="1" newsdesk:kind="feed"/>
   </outline>
   <outline type="rss" title="Invented Wire" text="wire" xmlUrl="https://wire.example.org/atom"/>
  </outline>
  <outline type="link" text="Invented live page" url="https://live.example.org/now"/>
  <outline type="rss" text="Bad tier" xmlUrl="https://bad.example.org/rss" newsdesk:tier="x"/>
  <outline type="rss" text="Bad scheme" xmlUrl="gopher://bad.example.org/rss"/>
  <outline type="rss" text="Again" xmlUrl="https://POST.example.org/rss"/>
  <outline type="rss" text="Local" xmlUrl="http://127.0.0.1:9/rss"/>
 </body>
</opml>"""


def test_import_opml_nested_plain_prefix_and_report(store: Store) -> None:
    with store.session() as s:
        report = import_opml(s, OPML)
    assert report.added == [
        "https://post.example.org/rss",
        "https://wire.example.org/atom",
        "https://live.example.org/now",
    ]
    assert report.skipped == ["https://post.example.org/rss"]
    assert len(report.errors) == 3
    assert any("newsdesk:tier must be a whole number" in e for e in report.errors)
    assert any("not an http(s) URL" in e for e in report.errors)
    assert any("private or loopback" in e for e in report.errors)
    with store.reader() as s:
        post = get_source(s, "https://post.example.org/rss")
        assert (post.outlet, post.language_hint, post.country, post.reliability_tier) == (
            "Invented Post",
            "de",
            "AT",
            1,
        )
        assert get_source(s, "https://wire.example.org/atom").outlet == "Invented Wire"
        assert get_source(s, "https://live.example.org/now").kind == SourceKind.PAGE


def test_import_opml_allow_private(store: Store) -> None:
    with store.session() as s:
        report = import_opml(s, OPML.encode(), allow_private=True)
    assert "http://127.0.0.1:9/rss" in report.added
    with store.reader() as s:
        assert get_source(s, "http://127.0.0.1:9/rss").allow_private is True


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (OPML[: len(OPML) // 2], "malformed OPML"),
        ("", "empty"),
        ("<rss version='2.0'><channel/></rss>", "not OPML"),
        ("<opml version='2.0'><head/></opml>", "no <body>"),
        (b"<?xml version='1.0' encoding='no-such'?><opml><body/></opml>", "unknown encoding"),
        (
            '<!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            '<opml version="2.0"><body><outline text="&b;" xmlUrl="https://e.example.org/"/>'
            "</body></opml>",
            "refused OPML",
        ),
    ],
)
def test_malformed_opml_imports_nothing(store: Store, data: str | bytes, reason: str) -> None:
    with store.session() as s, pytest.raises(MalformedOpml, match=reason):
        import_opml(s, data)
    assert _count(store) == 0


def test_export_import_round_trip(store: Store, tmp_path: object) -> None:
    with store.session() as s:
        add_source(
            s,
            "https://a.example.org/feed",
            outlet="Invented « A » & <Co>",
            language="fr",
            country="FR",
            reliability_tier=3,
            poll_policy="entry_frequency",
            poll_interval=1200,
            enabled=False,
        )
        add_source(s, "https://b.example.org/live", kind="page")
        add_source(s, "https://c.example.org/sitemap.xml", kind="sitemap", outlet="Invented C")
        add_source(s, "http://127.0.0.1:8000/feed", allow_private=True)
        original = [_fields(x) for x in list_sources(s)]
        text = export_opml(s)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml')
    assert 'version="2.0"' in text and "newsdesk:kind=" in text
    with store.session() as s:
        s.execute(delete(Source))
    with store.session() as s:
        report = import_opml(s, text, allow_private=True)
    assert len(report.added) == 4 and not report.errors
    with store.reader() as s:
        assert [_fields(x) for x in list_sources(s)] == original


_outlet = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), max_size=60
).map(str.strip)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    outlet=_outlet,
    path=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_/.~", max_size=30),
    kind=st.sampled_from(SourceKind.ALL),
    language=st.sampled_from([None, "en", "pt-br", "zh-hant", "hi"]),
    country=st.sampled_from([None, "GB", "IN", "BR"]),
    tier=st.integers(1, 3),
    policy=st.sampled_from(PollPolicy.ALL),
    interval=st.one_of(st.none(), st.integers(1, 10**6)),
    enabled=st.booleans(),
)
def test_opml_round_trip_property(
    store: Store,
    outlet: str,
    path: str,
    kind: str,
    language: str | None,
    country: str | None,
    tier: int,
    policy: str,
    interval: int | None,
    enabled: bool,
) -> None:
    with store.session() as s:
        s.execute(delete(Source))
    with store.session() as s:
        add_source(
            s,
            f"https://round.example.org/{path}",
            kind=kind,
            outlet=outlet,
            language=language,
            country=country,
            reliability_tier=tier,
            poll_policy=policy,
            poll_interval=interval,
            enabled=enabled,
        )
        before = [_fields(x) for x in list_sources(s)]
        text = export_opml(s)
        s.execute(delete(Source))
    with store.session() as s:
        report = import_opml(s, text)
        assert not report.errors
        assert [_fields(x) for x in list_sources(s)] == before
