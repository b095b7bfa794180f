"""Quality gate: every disputed entry of the demo corpus surfaces in *What is disputed*.

The invented demo corpus lists, per story, the claims that sources dispute and the articles
that carry them. Each story is read as the write stage reads it (original articles only, split
into passages), its claims ledger built, and the extractive writer's *What is disputed* section
checked: an entry surfaces when the section cites at least two of the entry's articles, the
measure the demo-run gate uses (here per story, so stricter). Every sentence must verify.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsdesk.claims import ClaimSource, disputes, extract_claims, link_claims
from newsdesk.demo.corpus import load_corpus
from newsdesk.read.passages import split_passages
from newsdesk.write.extractive import ExtractiveWriter
from newsdesk.write.model import DisputeBrief, Draft, SectionKey, SourcePassage, WritingBrief
from newsdesk.write.verify import verify_draft

STORIES = sorted((Path(__file__).parents[2] / "src/newsdesk/demo/corpus/stories").glob("*.json"))
# Measured 2026-12-01: 40 of 41 entries surface (38 before "said" stopped reading a capitalised
# subject as an addressee, two accounts set side by side in one sentence became rivals and
# other articles' restatements joined a side; 34 before quotes spanning two passages took the
# closing speaker, restatements of a denial joined it, Japanese "これも否定" and German "berichten
# von" became frames; 28 before each side showed one passage per outlet). The miss has no
# matching dispute in the ledger (see test_claims_gate): s05 Sawahel (an Arabic denial of an
# English listing: no shared name or figure without the embedder). Pinned; the goal stays 41.
SURFACED_FLOOR = 40


def story_brief(story: dict[str, Any], names: dict[str, str]) -> tuple[WritingBrief, list[str]]:
    """The writer's brief for one corpus story, and article index -> gold article id."""
    corpus = load_corpus()
    ids: list[str] = []
    passages: list[SourcePassage] = []
    sources: list[ClaimSource] = []
    for a in sorted(story["articles"], key=lambda a: corpus.article(a["id"]).published):
        if a.get("syndicated_from"):
            continue  # copies add outlets, not text (as in the write stage)
        published = corpus.article(a["id"]).published
        index = len(ids)
        ids.append(a["id"])
        outlet = names.get(a["outlet"], a["outlet"])
        for p in split_passages(a["text"], a["lang"]):
            pid = f"{index}:{p.position}"
            passages.append(
                SourcePassage(
                    pid, p.text, index, outlet, a["lang"], published, title=a.get("title", "")
                )
            )
            sources.append(ClaimSource(pid, p.text, a["lang"], str(index), outlet, published))
    claims = extract_claims(sources, outlet_names=sorted(set(names.values())))
    briefs = [
        DisputeBrief(
            summary=d.summary,
            passage_ids=list(d.passage_ids),
            claim_passage_ids=[d.claim.passage_id] + [c.passage_id for c in d.supporting],
            contesting_passage_ids=[c.passage_id for c in d.contesting],
        )
        for d in disputes(claims, link_claims(claims))
    ]
    brief = WritingBrief(
        story_id=0,
        persona_id="desk",
        persona_name="Desk",
        lens="",
        voice="",
        headline_hint=story["articles"][0].get("title", ""),
        passages=passages,
        disputes=briefs,
    )
    return brief, ids


def evaluate() -> dict[str, Any]:
    """Entries surfaced, sentences verified and the misses, over the whole corpus."""
    names = {
        o["id"]: o["name"]
        for o in json.loads((STORIES[0].parents[1] / "outlets.json").read_text(encoding="utf-8"))
    }
    total = hit = sentences = verified = 0
    longest = 0
    missed: list[str] = []
    unverified: list[str] = []
    for path in STORIES:
        story = json.loads(path.read_text(encoding="utf-8"))
        brief, ids = story_brief(story, names)
        draft: Draft = ExtractiveWriter().write(brief)
        check = verify_draft(draft, {p.passage_id: p for p in brief.passages})
        sentences += len(check.sentences)
        verified += sum(1 for c in check.sentences if c.verdict.verified)
        unverified += [
            f"{story['story']}: {c.verdict.reason}"
            for c in check.sentences
            if not c.verdict.verified
        ]
        disputed = [
            s for sec in draft.sections if sec.key == SectionKey.DISPUTED for s in sec.sentences
        ]
        longest = max(longest, len(disputed))
        cited = {ids[int(pid.split(":")[0])] for s in disputed for pid in s.citations}
        for entry in story["disputed"]:
            total += 1
            if len(set(entry["articles"]) & cited) >= 2:
                hit += 1
            else:
                missed.append(f"{story['story']}: {entry['claim']} (cited {sorted(cited)})")
    return {
        "total": total,
        "hit": hit,
        "sentences": sentences,
        "verified": verified,
        "longest": longest,
        "missed": missed,
        "unverified": unverified,
    }


@pytest.fixture(scope="module")
def gate() -> dict[str, Any]:
    """The gate figures, computed once."""
    return evaluate()


def test_disputed_entries_surface(gate: dict[str, Any]) -> None:
    """Gold disputes reach the section, each through two of its articles (floor pinned)."""
    assert gate["total"] == 41
    assert gate["hit"] >= SURFACED_FLOOR, gate["missed"]


def test_every_sentence_verifies(gate: dict[str, Any]) -> None:
    """A longer disputed section still holds only sentences traceable to their citations."""
    assert gate["verified"] == gate["sentences"], gate["unverified"]


if __name__ == "__main__":
    result = evaluate()
    print({k: v for k, v in result.items() if k not in ("missed", "unverified")})
    print("\n".join(result["missed"]))
    print("\n".join(result["unverified"]))
