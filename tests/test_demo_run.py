"""`newsdesk demo --no-serve` stores the whole invented corpus over real HTTP on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.demo.corpus import load_corpus
from newsdesk.store import Article, FetchLog, Source, Store


def test_demo_stores_corpus_detects_languages_links_copies_records_errors(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    result = CliRunner().invoke(app, ["--data-dir", str(data), "demo", "--no-serve", "--fresh"])
    assert result.exit_code == 0, result.output
    assert "articles stored: 160 of 160" in result.output.replace("\n", " ")

    corpus = load_corpus()
    by_path = {a.path: a for a in corpus.articles}
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    with store.reader() as s:
        arts = list(s.scalars(select(Article)))
        assert len(arts) == len(corpus.articles)
        gold = {a.id: by_path[urlsplit(a.canonical_url or "").path] for a in arts}
        # every article found its way from feed to page to passages, in the right language
        wrong_lang = [g.id for a_id, g in gold.items() if _lang(arts, a_id) != g.lang]
        assert not wrong_lang, f"language misdetected for {wrong_lang}"
        assert all(a.passages for a in arts)
        # syndicated copies point at their original
        id_of = {a.id: gold[a.id].id for a in arts}
        for a in arts:
            g = gold[a.id]
            if g.syndicated_from:
                assert a.duplicate_of_id is not None, f"{g.id} not linked"
                assert id_of[a.duplicate_of_id] == g.syndicated_from
            else:
                assert a.duplicate_of_id is None, f"{g.id} wrongly linked"
        # the hostile sources are recorded with readable reasons; the good ones saw 304s
        bad = list(s.scalars(select(Source).where(Source.url.contains("/hostile/"))))
        assert len(bad) == 5 and all(src.last_error for src in bad)
        not_modified = s.scalars(select(FetchLog).where(FetchLog.outcome == "not_modified")).all()
        assert len(not_modified) >= 14
    store.dispose()


def _lang(arts: list[Article], article_id: int) -> str | None:
    return next(a.language for a in arts if a.id == article_id)
