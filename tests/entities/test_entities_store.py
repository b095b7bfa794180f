"""Entity storage, the entities stage and `newsdesk entities` on real stores.

Every article text here is INVENTED for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

import newsdesk.cli.entities_cmds  # noqa: F401  (importing registers the commands)
from newsdesk.cli._app import app
from newsdesk.entities import (
    DefaultExtractor,
    InvalidMerge,
    article_entity_ids,
    extract_and_store,
    find_entity,
    merge_entities,
)
from newsdesk.entities.stage import run as run_entities_stage
from newsdesk.settings import Settings
from newsdesk.store import (
    Article,
    ArticleStage,
    Entity,
    EntityAlias,
    Mention,
    Passage,
    Source,
    Store,
    passage_id,
)

EN_TEXT = (
    "INVENTED. Larsen & Toubro (L&T) signed a submarine deal with Russia on Monday. "
    "Mara Velden, the invented trade minister, welcomed it. Mr. Velden said L&T would hire."
)
RU_TEXT = "ВЫМЫШЛЕНО. Россия и МВФ обсудили заём. Представители России не дали комментариев."


@pytest.fixture(scope="module")
def extractor() -> DefaultExtractor:
    return DefaultExtractor()


def add_article(store: Store, text: str, language: str, stage: str = ArticleStage.ENTITIES) -> int:
    """An article split into one passage per sentence."""
    with store.session() as s:
        article = Article(
            title=f"Invented {language}", text=text, language=language, content_hash="x",
            stage=stage,
        )  # fmt: skip
        s.add(article)
        s.flush()
        start = 0
        for pos, sentence in enumerate(text.split(". ")):
            end = start + len(sentence) + (2 if start + len(sentence) < len(text) else 0)
            s.add(
                Passage(
                    id=passage_id(article.id, pos), article_id=article.id, position=pos,
                    text=text[start:end], char_start=start, char_end=min(end, len(text)),
                )
            )  # fmt: skip
            start = end
        return article.id


def test_extract_and_store_is_idempotent(store: Store, extractor: DefaultExtractor) -> None:
    aid = add_article(store, EN_TEXT, "en")
    for _ in range(2):
        with store.session() as s:
            article = s.get(Article, aid)
            assert article is not None
            rows = extract_and_store(s, article, list(article.passages), extractor)
            assert len(rows) >= 6
    with store.reader() as s:
        assert s.scalar(select(func.count(Mention.id))) == len(rows)
        lt = find_entity(s, "org:larsen-and-toubro")
        assert lt.mention_count == 3
        aliases = set(s.scalars(select(EntityAlias.alias).where(EntityAlias.entity_id == lt.id)))
        assert aliases == {"Larsen & Toubro", "L&T"}
        velden = find_entity(s, "person:mara-velden")
        assert velden.mention_count == 2
        assert find_entity(s, "place:RU").mention_count == 1
        for m in s.scalars(select(Mention)):
            passage = s.get(Passage, m.passage_id)
            assert passage is not None
            assert passage.char_start <= m.char_start < passage.char_end
            assert EN_TEXT[m.char_start : m.char_end] == m.text
        assert lt.id in article_entity_ids(s, aid)


def test_stage_moves_articles_on_and_shares_keys_across_languages(
    store: Store, settings: Settings, extractor: DefaultExtractor
) -> None:
    en = add_article(store, EN_TEXT, "en")
    ru = add_article(store, RU_TEXT, "ru")
    waiting = add_article(store, RU_TEXT, "ru", stage=ArticleStage.EMBED)
    assert run_entities_stage(store, settings, extractor=extractor).articles == 2
    assert run_entities_stage(store, settings, extractor=extractor).articles == 0
    with store.reader() as s:
        stages = {a.id: a.stage for a in s.scalars(select(Article))}
        assert stages == {en: "cluster", ru: "cluster", waiting: "embed"}
        russia = find_entity(s, "place:RU")
        assert russia.id in article_entity_ids(s, en) & article_entity_ids(s, ru)
        assert russia.mention_count == 3
        langs = set(s.scalars(select(EntityAlias.lang).where(EntityAlias.entity_id == russia.id)))
        assert langs == {"en", "ru"}
        assert article_entity_ids(s, waiting) == set()


def test_merge_moves_mentions_and_aliases(store: Store, extractor: DefaultExtractor) -> None:
    aid = add_article(store, EN_TEXT, "en")
    with store.session() as s:
        article = s.get(Article, aid)
        assert article is not None
        extract_and_store(s, article, list(article.passages), extractor)
    with store.session() as s:
        source = find_entity(s, "person:mara-velden")
        target = find_entity(s, "org:larsen-and-toubro")
        merged = merge_entities(s, source.id, target.id)
        assert merged.mention_count == 5
        with pytest.raises(InvalidMerge):
            merge_entities(s, source.id, target.id)
    with store.reader() as s:
        source = find_entity(s, "person:mara-velden")
        assert source.merged_into_id == merged.id
        assert s.scalar(select(func.count()).where(Mention.entity_id == source.id)) == 0
        assert s.scalar(select(func.count()).where(EntityAlias.entity_id == source.id)) == 0
    # a re-run of the same article lands on the merged entity, not a resurrected one
    with store.session() as s:
        article = s.get(Article, aid)
        assert article is not None
        extract_and_store(s, article, list(article.passages), extractor)
    with store.reader() as s:
        target = find_entity(s, merged.id)
        assert target.mention_count == 5
        live = s.scalars(select(Entity).where(Entity.merged_into_id.is_(None))).all()
        assert all(e.key != "person:mara-velden" for e in live)


def test_cli_list_show_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extractor: DefaultExtractor
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    data = tmp_path / "data"
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    store.migrate()
    add_article(store, EN_TEXT, "en")
    add_article(store, RU_TEXT, "ru")
    run_entities_stage(store, Settings(data_dir=data), extractor=extractor)
    store.dispose()
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, ["--data-dir", str(data), "entities", *args])

    listed = run("list", "--type", "place")
    assert listed.exit_code == 0, listed.output
    assert "Russia" in listed.output and "Velden" not in listed.output
    shown = run("show", "place:RU")
    assert shown.exit_code == 0, shown.output
    assert "Россия (ru)" in shown.output and "Russia (en)" in shown.output
    assert "Larsen & Toubro" in shown.output  # co-occurring
    merged = run("merge", "person:mara-velden", "org:larsen-and-toubro")
    assert merged.exit_code == 0, merged.output
    assert "merged" in merged.output
    again = run("merge", "person:mara-velden", "org:larsen-and-toubro")
    assert again.exit_code == 1
    assert "error" in again.output and "Traceback" not in again.output
    missing = run("show", "org:nothing-here")
    assert missing.exit_code == 1 and "no entity" in missing.output
    bad = run("list", "--type", "planet")
    assert bad.exit_code == 2 and "unknown type" in bad.output


def test_later_articles_reuse_known_aliases(store: Store, extractor: DefaultExtractor) -> None:
    """'PBCT' in Chinese and a bare 'Velden' resolve to entities first named in full."""
    first = add_article(
        store,
        "INVENTED. Pasir Bay Container Terminals (PBCT) hired Mara Velden on Monday. "
        "The company said Mr. Velden starts in May.",
        "en",
    )
    second = add_article(store, "虚构：PBCT 表示谈判将继续。", "zh")
    third = add_article(store, "INVENTED. Velden said the talks would go on.", "en")
    for aid in (first, second, third):
        with store.session() as s:
            article = s.get(Article, aid)
            assert article is not None
            extract_and_store(s, article, list(article.passages), extractor)
    with store.reader() as s:
        pbct = find_entity(s, "org:pasir-bay-container-terminals")
        velden = find_entity(s, "person:mara-velden")
        assert pbct.id in article_entity_ids(s, second)
        assert velden.id in article_entity_ids(s, third)
        assert pbct.mention_count == 3
        assert s.scalar(select(func.count()).where(Entity.key == "person:velden")) == 0


def test_stage_drops_the_articles_outlet_and_the_registrys_outlets(
    store: Store, settings: Settings, extractor: DefaultExtractor
) -> None:
    text = (
        "NEW DELHI, Nov 11 (Harwick Wire) - INVENTED. Quillon Power cut output, "
        "according to Lakeside Courier. Officials told Harwick Wire that New Delhi would act."
    )
    aid = add_article(store, text, "en")
    with store.session() as s:
        s.add(Source(url="https://lakeside.invalid/feed", outlet="Lakeside Courier"))
        article = s.get(Article, aid)
        assert article is not None
        article.outlet = "Harwick Wire Service"
    run_entities_stage(store, settings, extractor=extractor)
    with store.reader() as s:
        names = {e.name for e in s.scalars(select(Entity))}
        assert not {n for n in names if "Harwick" in n or "Lakeside" in n}, names
        delhi = find_entity(s, "place:new-delhi")
        assert delhi.name == "New Delhi" and delhi.mention_count == 2
        assert find_entity(s, "org:quillon-power").mention_count == 1
