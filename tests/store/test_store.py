"""The store migrates on SQLite and PostgreSQL and keeps the provenance chain."""

from __future__ import annotations

import gzip

from sqlalchemy import select

from newsdesk.store import Article, Passage, Snapshot, Source, Store, passage_id


def test_migrations_create_every_table(store: Store) -> None:
    names = set(store.table_names())
    assert {"sources", "fetch_log", "entries", "articles", "passages", "snapshots"} <= names
    assert store.current_revision() is not None
    store.migrate()  # idempotent
    assert store.current_revision() is not None


def test_passage_chain_round_trips(store: Store) -> None:
    html = b"<html><body><p>Invented text for a test.</p></body></html>"
    with store.session() as s:
        src = Source(url="http://127.0.0.1/feed.xml", outlet="Test Outlet")
        snap = Snapshot(
            url="http://127.0.0.1/a", sha256="0" * 64, size=len(html), data=gzip.compress(html)
        )
        s.add_all([src, snap])
        s.flush()
        art = Article(
            source_id=src.id,
            url="http://127.0.0.1/a",
            canonical_url="http://127.0.0.1/a",
            title="Invented",
            outlet=src.outlet,
            text="Invented text for a test.",
            content_hash="h",
            snapshot_id=snap.id,
        )
        s.add(art)
        s.flush()
        s.add(
            Passage(
                id=passage_id(art.id, 0),
                article_id=art.id,
                position=0,
                text="Invented text for a test.",
                char_start=0,
                char_end=25,
            )
        )
        art_id = art.id
    with store.session() as s:
        p = s.scalars(select(Passage).where(Passage.article_id == art_id)).one()
        assert p.id == f"{art_id}:0"
        assert gzip.decompress(p.article.snapshot.data) == html  # type: ignore[union-attr]


def test_models_and_migrations_agree(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from newsdesk.store import Base

    def include_name(name: str | None, type_: str, _parents: object) -> bool:
        # the full-text index (migration 0005, FTS5 and its shadow tables) is not an ORM model
        return not (type_ == "table" and (name or "").startswith("search_index"))

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models changed without a migration: {diff}"
