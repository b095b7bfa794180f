"""Quality gate: the claims ledger surfaces the demo corpus's disputed entries (invented corpus)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsdesk.claims import (
    Claim,
    ClaimSource,
    Dispute,
    disputes,
    extract_claims,
    find_quantities,
    link_claims,
)
from newsdesk.read.passages import split_passages

STORIES = sorted((Path(__file__).parents[2] / "src/newsdesk/demo/corpus/stories").glob("*.json"))
OUTLET_NAMES = [
    o["name"]
    for o in json.loads((STORIES[0].parents[1] / "outlets.json").read_text(encoding="utf-8"))
]
# Measured 2026-12-01 without the embedder: 38 of 41 entries (0.93) surfaced, 59 disputes
# found, 10 matching no entry (9 before: s10's "Manila saying … rammed / Beijing saying …" rival
# accounts, found in the wire story and its copy, name neither ship nor coast guard, so the name
# check below cannot credit them; s10's cargo dispute now matches through the coast guard's
# restatements). Floors sit at / above.
RECALL_FLOOR = 0.92
UNMATCHED_CEILING = 13
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9-]{2,}\b")
_GENERIC = {
    "The",
    "About",
    "Some",
    "More",
    "Three",
    "Two",
    "Project",
    "Finance",
    "Minister",
    "Chinese",
    "Philippine",
    "Russian",
    "European",
    "Commission",
    "Ministry",
    "Inflation",
    "Talks",
    "Submarine",
    "Mid-sized",
    "War-risk",
    "Asia-North",
    "Europe",
    "Hungary",
    "Argentine",
}


def story_sources(story: dict[str, Any]) -> list[ClaimSource]:
    """Passages of every article of a story, as claim sources."""
    sources = []
    for a in story["articles"]:
        for p in split_passages(a["text"], a["lang"]):
            sources.append(
                ClaimSource(f"{a['id']}:{p.position}", p.text, a["lang"], a["id"], a["outlet"])
            )
    return sources


def _key_names(entry: dict[str, str]) -> set[str]:
    """Distinctive Latin-script names in a gold entry's claim and its parties."""
    text = " ".join((entry["claim"], entry["claimed_by"], entry["disputed_by"]))
    return {n.lower() for n in _NAME.findall(text) if n not in _GENERIC}


def _dispute_text(d: Dispute) -> str:
    """Everything a dispute shows: contents and speakers of all its claims."""
    claims: tuple[Claim, ...] = (d.claim, *d.supporting, *d.contesting)
    return " ".join(f"{c.speaker} {c.content}" for c in claims).lower()


def matches(entry: dict[str, str], d: Dispute) -> bool:
    """Whether a found dispute surfaces a gold entry.

    Both a contested-side claim and a contesting claim come from the entry's articles, and the
    dispute carries the entry's evidence: when it gives figures in a unit the entry uses, one of
    the entry's figures (the claim's or its rival's); otherwise a distinctive name from the entry.
    """
    listed = set(entry["articles"])
    side = [d.claim, *d.supporting]
    if not any(c.article_id in listed for c in side):
        return False
    if not any(c.article_id in listed for c in d.contesting):
        return False
    gold = find_quantities(entry["claim"], "en") + find_quantities(entry["disputed_by"], "en")
    found = [q for c in (*side, *d.contesting) for q in c.numbers]
    if any(g.unit == q.unit for g in gold for q in found):
        # A dispute over figures must be over the entry's figures.
        return any(
            g.unit == q.unit and abs(g.value - q.value) <= 0.05 * max(abs(g.value), 1e-9)
            for g in gold
            for q in found
        )
    text = _dispute_text(d)
    return any(n in text for n in _key_names(entry))


def _assign(entries: list[dict[str, str]], found: list[Dispute]) -> dict[int, int]:
    """A one-to-one matching of gold entries to disputes (augmenting paths)."""
    edges = {i: [j for j, d in enumerate(found) if matches(e, d)] for i, e in enumerate(entries)}
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in edges:
        augment(i, set())
    return {i: j for j, i in owner.items()}


def evaluate() -> dict[str, Any]:
    """Recall over every gold entry and the count of disputes matching none."""
    total = hit = extra = found_all = 0
    missed: list[str] = []
    for path in STORIES:
        story = json.loads(path.read_text(encoding="utf-8"))
        claims = extract_claims(story_sources(story), OUTLET_NAMES)
        found = disputes(claims, link_claims(claims))
        pairing = _assign(story["disputed"], found)
        total += len(story["disputed"])
        hit += len(pairing)
        found_all += len(found)
        matched = set(pairing.values())
        extra += sum(
            1
            for j, d in enumerate(found)
            if j not in matched and not any(matches(e, d) for e in story["disputed"])
        )
        missed += [
            f"{story['story']}: {e['claim']}"
            for i, e in enumerate(story["disputed"])
            if i not in pairing
        ]
    return {"total": total, "hit": hit, "found": found_all, "unmatched": extra, "missed": missed}


@pytest.fixture(scope="module")
def gate() -> dict[str, Any]:
    """The gate figures, computed once."""
    return evaluate()


def test_disputed_entries_are_surfaced(gate: dict[str, Any]) -> None:
    """Recall of the corpus's disputed entries stays above the floor."""
    assert gate["total"] >= 40
    assert gate["hit"] / gate["total"] >= RECALL_FLOOR, gate["missed"]


def test_few_disputes_match_no_entry(gate: dict[str, Any]) -> None:
    """The precision proxy: disputes matching no gold entry stay under the ceiling."""
    assert gate["unmatched"] <= UNMATCHED_CEILING


if __name__ == "__main__":
    result = evaluate()
    print({k: v for k, v in result.items() if k != "missed"})
    print("\n".join(result["missed"]))
