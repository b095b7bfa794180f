"""Online story clustering: features, index, clusterer behaviour and the quality gate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsdesk.embed import E5Embedder
from newsdesk.quality.clustering import bcubed
from newsdesk.stories import (
    ArticleFeatures,
    ArticleInput,
    ExactIndex,
    LanguageCentering,
    StoryClusterer,
    USearchIndex,
    extract_features,
    extract_names,
    extract_numbers,
    parse_time,
    rebuild_index,
)
from newsdesk.stories.cluster import cluster_articles
from newsdesk.stories.index import ProjectedIndex
from newsdesk.stories.scoring import KeyRarity, weigh_shared

FIXTURE = Path(__file__).parents[1] / "fixtures" / "cluster" / "invented_multilingual.jsonl"
# measured 0.955 (the two invented central-bank decisions end up together); pinned a bit lower
FIXTURE_BCUBED_FLOOR = 0.93


def read_fixture() -> list[dict[str, Any]]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def to_inputs(rows: list[dict[str, Any]]) -> list[ArticleInput]:
    return [
        ArticleInput(
            id=str(r["id"]),
            text=str(r["text"]),
            title=r.get("title"),
            lang=r.get("lang"),
            published=r.get("published"),
            duplicate_of=r.get("duplicate_of"),
        )
        for r in rows
    ]


@pytest.fixture(scope="module")
def fixture_features() -> list[ArticleFeatures]:
    return extract_features(to_inputs(read_fixture()), E5Embedder())


def test_fixture_is_marked_invented_and_multilingual() -> None:
    rows = read_fixture()
    assert all(r["invented"] is True for r in rows)
    assert {"ru", "zh", "ar", "hi", "en", "es", "fr", "de"} <= {r.get("lang") for r in rows}
    assert 60 <= len(rows) <= 100 and len({r["story"] for r in rows}) >= 10


def test_fixture_bcubed_gate(fixture_features: list[ArticleFeatures]) -> None:
    gold = {str(r["id"]): str(r["story"]) for r in read_fixture()}
    clusterer = StoryClusterer(learn_centering=False)
    clusterer.centering.fit(
        [f.lang for f in fixture_features], np.stack([f.vector for f in fixture_features])
    )
    for f in fixture_features:
        clusterer.rarity.observe(f.names | f.numbers)
    clusterer.add_many(fixture_features)
    pred = {f.id: clusterer.story_of(f.id) for f in fixture_features}
    assert bcubed(pred, gold).f1 >= FIXTURE_BCUBED_FLOOR
    # the two invented earthquakes (Peru, Turkey) are different stories
    quake_peru = {pred[i] for i, g in gold.items() if g == "quake-peru"}
    quake_turkey = {pred[i] for i, g in gold.items() if g == "quake-turkey"}
    assert len(quake_peru) == 1 and quake_peru.isdisjoint(quake_turkey)
    # stories keep their editorial facts
    story = next(s for s in clusterer.live_stories() if s.label in quake_peru)
    assert story.member_count == 8 and len(story.languages) >= 7
    assert story.first_seen is not None and story.last_seen is not None
    assert story.last_seen - story.first_seen == pytest.approx(33.0)
    assert story.headline


def test_online_centering_without_warm_start(fixture_features: list[ArticleFeatures]) -> None:
    gold = {str(r["id"]): str(r["story"]) for r in read_fixture()}
    clusterer = StoryClusterer()
    clusterer.add_many(fixture_features)
    pred = {f.id: clusterer.story_of(f.id) for f in fixture_features}
    assert bcubed(pred, gold).f1 >= 0.85  # measured 0.957 (no priors, means learnt as it goes)


def test_syndicated_copy_joins_its_original(fixture_features: list[ArticleFeatures]) -> None:
    copies = [f for f in fixture_features if f.duplicate_of]
    assert copies
    clusterer = StoryClusterer()
    result = {a.article_id: a for a in clusterer.add_many(fixture_features)}
    for f in copies:
        assert clusterer.story_of(f.id) == clusterer.story_of(str(f.duplicate_of))
        assert result[f.id].score == 1.0


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def feat(
    ident: str, vec: np.ndarray, hours: float | None = 0.0, names: set[str] | None = None
) -> ArticleFeatures:
    return ArticleFeatures(
        id=ident,
        vector=unit(vec),
        lang="en",
        names=frozenset(names or ()),
        numbers=frozenset(),
        hours=hours,
        headline=ident,
    )


def basis(i: int, dim: int = 16) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    v[i] = 1.0
    return v


def plain_clusterer(**kw: object) -> StoryClusterer:
    """Synthetic vectors: no language centering, exact index."""
    return StoryClusterer(dim=16, learn_centering=False, index=ExactIndex(16), **kw)  # type: ignore[arg-type]


def test_long_inactive_story_is_not_joined() -> None:
    c = plain_clusterer()
    first = c.add(feat("a", basis(0), hours=0.0))
    assert c.add(feat("b", basis(0) + 0.1 * basis(1), hours=24.0)).story == first.story
    late = c.add(feat("c", basis(0), hours=24.0 * 40))
    assert late.is_new and late.story != first.story


def test_idle_stories_leave_the_hot_index() -> None:
    c = plain_clusterer(max_idle_days=5.0)
    for i in range(4):
        c.add(feat(f"s{i}", basis(i), hours=float(i)))
    assert len(c.index) == 4
    c.add(feat("later", basis(9), hours=24.0 * 10))
    assert len(c.index) == 1
    # idle stories leave memory too (the store keeps them); their articles keep their labels
    assert [s.members for s in c.live_stories()] == [["later"]]
    assert c.story_of("s0") == "story-1" and c.story_of("later") == "story-5"


def test_pipeline_clusterer_forgets_idle_articles() -> None:
    c = plain_clusterer(max_idle_days=5.0, remember_articles=False)
    c.add(feat("old", basis(0), hours=0.0))
    c.add(feat("new", basis(9), hours=24.0 * 10))
    with pytest.raises(KeyError):
        c.story_of("old")
    # a copy of an article whose story left memory is placed by its own evidence
    copy = ArticleFeatures(
        id="copy", vector=unit(basis(0)), lang="en", names=frozenset(), numbers=frozenset(),
        hours=24.0 * 10, headline="copy", duplicate_of="old",
    )  # fmt: skip
    res = c.add(copy)
    assert res.is_new and res.story not in ("story-1", "story-2")


def test_cached_centroids_follow_the_language_means() -> None:
    """Cached centered vectors are recomputed when the story or the running means move."""
    c = StoryClusterer(dim=16, learn_centering=True, index=ExactIndex(16))
    rng = np.random.default_rng(3)
    arts = [feat(f"x{i}", basis(i % 3) + 0.3 * rng.standard_normal(16), hours=float(i))
            for i in range(30)]  # fmt: skip
    for a in arts:
        c.add(a)
    probe = arts[0]
    for story in c.live_stories():
        cached = c.score_article(probe, story)
        story.cache_key = None  # force the recomputation from sums and means
        assert c.score_article(probe, story) == pytest.approx(cached, abs=1e-6)


def test_converging_stories_merge() -> None:
    c = plain_clusterer()
    a = c.add(feat("a1", basis(0) + 0.1 * basis(3), hours=0.0, names={"lumor"}))
    b = c.add(feat("b1", basis(1) + 0.1 * basis(3), hours=1.0, names={"lumor"}))
    assert a.story != b.story
    merged = []
    for i in range(6):
        res = c.add(
            feat(f"m{i}", basis(0) + basis(1) + 0.1 * basis(3), hours=2.0 + i, names={"lumor"})
        )
        merged += res.merged
    assert merged, "the bridging articles should make the two stories converge"
    assert c.story_of("a1") == c.story_of("b1") == c.story_of("m0")
    assert len(c.live_stories()) == 1
    assert len(c.index) == 1
    assert c.live_stories()[0].member_count == 8


def test_candidate_search_is_bounded() -> None:
    calls: list[int] = []

    class CountingIndex(ExactIndex):
        def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
            calls.append(k)
            return super().search(vector, k)

    c = StoryClusterer(dim=16, learn_centering=False, index=CountingIndex(16), candidates=5)
    rng = np.random.default_rng(1)
    for i in range(60):
        c.add(feat(f"r{i}", rng.standard_normal(16).astype(np.float32), hours=None))
    assert set(calls) == {5}


def test_usearch_and_exact_index_agree(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((300, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    approx, exact = USearchIndex(32, dtype="f32"), ExactIndex(32)
    for i, v in enumerate(vecs):
        approx.upsert(i, v)
        exact.upsert(i, v)
    approx.upsert(7, vecs[8])  # replace
    exact.upsert(7, vecs[8])
    approx.remove(3)
    exact.remove(3)
    assert len(approx) == len(exact) == 299
    hits = sum(approx.search(v, 1)[0][0] == exact.search(v, 1)[0][0] for v in vecs[10:60])
    assert hits >= 48
    top = approx.search(vecs[20], 3)[0]
    assert top[0] == 20 and top[1] == pytest.approx(1.0, abs=1e-2)
    approx.save(tmp_path / "i.usearch")
    assert USearchIndex.load(tmp_path / "i.usearch", 32).search(vecs[20], 1)[0][0] == 20
    exact.save(tmp_path / "i.npz")
    assert ExactIndex.load(tmp_path / "i.npz", 32).search(vecs[20], 1)[0][0] == 20
    rebuilt = rebuild_index(((i, v) for i, v in enumerate(vecs)), 32)
    assert len(rebuilt) == 300 and rebuilt.search(vecs[42], 1)[0][0] == 42


def test_projected_index_reranks_exactly_and_reloads(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    latent = rng.standard_normal((600, 64)).astype(np.float32)
    vecs = latent @ rng.standard_normal((64, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    approx, exact = ProjectedIndex(384), ExactIndex(384)
    assert approx.key_dim == 96
    approx.add_many(list(range(300)), vecs[:300])
    for i, v in enumerate(vecs):
        approx.upsert(i, v)
        exact.upsert(i, v)
    approx.remove(3)
    exact.remove(3)
    assert len(approx) == len(exact) == 599 and approx.search(vecs[3], 5)[0][0] != 3
    queries = vecs[10:110] + 0.3 * rng.standard_normal((100, 384)).astype(np.float32) / 20
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    found = [approx.search(q, 12) for q in queries]
    truth = [exact.search(q, 12) for q in queries]
    assert sum(f[0][0] == t[0][0] for f, t in zip(found, truth, strict=True)) >= 98
    # the clusterer decides on the best few candidates; the tail of the 12 may differ
    top3 = [
        {k for k, _ in f[:3]} & {k for k, _ in t[:3]} for f, t in zip(found, truth, strict=True)
    ]
    assert np.mean([len(x) / 3 for x in top3]) >= 0.95
    # scores are exact inner products on the full vectors, best first
    key, score = found[0][0]
    assert score == pytest.approx(float(vecs[key] @ queries[0]), abs=1e-5)
    assert [s for _, s in found[0]] == sorted((s for _, s in found[0]), reverse=True)
    # the projection is seeded: a reload (or a rebuild after restart) searches the same way
    approx.save(tmp_path / "p.npz")
    again = ProjectedIndex.load(tmp_path / "p.npz", 384)
    assert np.array_equal(again._proj, approx._proj)
    assert len(again) == 599 and again.search(vecs[20], 1)[0][0] == 20
    rebuilt = rebuild_index(((i, v) for i, v in enumerate(vecs)), 384)
    assert isinstance(rebuilt, ProjectedIndex) and rebuilt.search(vecs[42], 1)[0][0] == 42


def _latent_unit_vectors(rng: np.random.Generator, n: int, dim: int = 384) -> np.ndarray:
    vecs = rng.standard_normal((n, 48)).astype(np.float32)
    vecs = vecs @ np.random.default_rng(7).standard_normal((48, dim)).astype(np.float32)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def test_projected_index_retires_removed_keys_in_batches() -> None:
    rng = np.random.default_rng(3)
    vecs = _latent_unit_vectors(rng, 260)
    index = ProjectedIndex(384, remove_batch=8)
    index.add_many(list(range(200)), vecs[:200])
    for key in range(5):
        index.remove(key)
    # hidden from searches at once, still in the graph until the batch is full
    assert len(index) == 195 and len(index._graph) == 200
    for key in range(5):
        assert key not in {k for k, _ in index.search(vecs[key], 12)}
    for key in range(5, 8):
        index.remove(key)
    assert len(index._graph) == 192  # the batch left the graph together
    # a removed key can come back; a replaced key answers only for its new vector
    index.upsert(3, vecs[250])
    assert index.search(vecs[250], 1)[0] == (3, pytest.approx(1.0, abs=1e-5))
    for step in range(20):
        index.upsert(10, vecs[200 + step])
    top = index.search(vecs[219], 3)
    assert top[0][0] == 10 and top[0][1] == pytest.approx(1.0, abs=1e-5)
    assert 10 not in {k for k, _ in index.search(vecs[10], 12)[1:]}
    assert len(index) == 193 and len(index._graph) <= 193 + 8


def test_projected_index_stays_accurate_under_churn() -> None:
    """Stories leave and arrive at the same rate in a long run: the graph must not decay."""
    rng = np.random.default_rng(4)
    vecs = _latent_unit_vectors(rng, 4000)
    approx, exact = ProjectedIndex(384, remove_batch=64), ExactIndex(384)
    approx.add_many(list(range(1000)), vecs[:1000])
    for i in range(1000):
        exact.upsert(i, vecs[i])
    for i in range(1000, 4000):  # the oldest leaves as each new one arrives
        approx.remove(i - 1000)
        exact.remove(i - 1000)
        approx.upsert(i, vecs[i])
        exact.upsert(i, vecs[i])
    assert len(approx) == len(exact) == 1000
    assert len(approx._graph) <= 1000 + 64
    queries = vecs[3000:3200] + 0.05 * rng.standard_normal((200, 384)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    hits = sum(approx.search(q, 12)[0][0] == exact.search(q, 12)[0][0] for q in queries)
    assert hits >= 196
    assert all(k >= 3000 for q in queries[:20] for k, _ in approx.search(q, 12))


def test_language_centering_round_trips() -> None:
    lc = LanguageCentering(4, prior_weight=2.0)
    lc.fit(["en", "en", "ru"], np.eye(4, dtype=np.float32)[:3])
    again = LanguageCentering.from_state(json.loads(json.dumps(lc.to_state())))
    assert np.allclose(again.mean("ru"), lc.mean("ru"))
    assert np.allclose(lc.mean("xx"), np.eye(4)[:3].mean(0))
    assert np.linalg.norm(lc.center("en", np.ones(4, dtype=np.float32))) == pytest.approx(1.0)


def test_lexical_evidence_crosses_scripts_and_formats() -> None:
    assert {"6.8", "40000"} <= extract_numbers("magnitude 6,8 ... 40.000 familias")
    assert {"6.8", "40000"} <= extract_numbers("magnitude 6.8 and 40,000 homes")
    assert "40000" in extract_numbers("约4万户家庭停电")
    assert "120000" in extract_numbers("1,20,000 बैटरियां")
    assert "5.25" in extract_numbers("إلى ٥٫٢٥%") or "5.25" in extract_numbers("5,25 Prozent")
    assert not extract_numbers("in 2026 on day 3")
    assert extract_names("Malatya, AFAD said") & extract_names("в провинции Малатья, AFAD")
    assert "the" not in extract_names("The quake hit on Monday")
    rarity = KeyRarity(min_docs=2)
    for _ in range(10):
        rarity.observe({"bank"})
    rarity.observe({"korea"})
    assert weigh_shared({"bank", "korea"}, {"bank", "korea"}, rarity) < 1.5
    again = KeyRarity.from_state(json.loads(json.dumps(rarity.to_state())))
    assert again.weight("bank") == rarity.weight("bank") < again.weight("korea")
    assert (
        parse_time("2026-11-09T10:00:00Z")
        == dt.datetime(2026, 11, 9, 10, tzinfo=dt.UTC).timestamp() / 3600
    )


def test_cluster_articles_handles_missing_metadata() -> None:
    docs = [
        ArticleInput(id="1", text="Kestrel Motors recalls 48,000 cars over faulty airbags."),
        ArticleInput(
            id="2", text="Kestrel Motors отзывает 48 тысяч автомобилей из-за подушек безопасности."
        ),
        ArticleInput(
            id="3", text="Amos Kiprono broke the marathon world record in Berlin in 2:00:35."
        ),
    ]
    labels = cluster_articles(docs, E5Embedder())
    assert labels["1"] == labels["2"] != labels["3"]
