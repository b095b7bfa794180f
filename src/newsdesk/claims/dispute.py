"""Disputes: the denials and contradictions of a story grouped into sides, with the claims from
other articles that repeat a side's figure or restate its account."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from newsdesk.claims.links import (
    _MIN_RESTATEMENT,
    _NAME,
    _VAGUE_UNITS,
    _attributed,
    _Features,
    _features,
    _same_figure,
)
from newsdesk.claims.model import Claim, ClaimLink, Dispute, Quantity

__all__ = ["disputes"]


def disputes(claims: Sequence[Claim], links: Sequence[ClaimLink]) -> list[Dispute]:
    """Contested claims grouped with the claims repeating and contesting them.

    Args:
        claims: The claims the links were made from.
        links: Output of `link_claims`.

    Returns:
        One Dispute per connected group of links, most contested first.
    """
    by_id = {c.id: c for c in claims}
    index = {c.id: i for i, c in enumerate(claims)}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        parent[find(link.claim_id)] = find(link.contests_claim_id)
    # Claims giving the same contested figure are one claim: join their groups.
    by_figure: dict[tuple[str, float], str] = {}
    for link in links:
        if link.kind != "contradiction":
            continue
        pair = (by_id[link.claim_id], by_id[link.contests_claim_id])
        units = {q.unit for q in pair[0].numbers} & {q.unit for q in pair[1].numbers}
        for claim in pair:
            for q in claim.numbers:
                if q.unit not in units:
                    continue
                slot = (q.unit, round(q.value, 3))
                if slot in by_figure:
                    parent[find(claim.id)] = find(by_figure[slot])
                else:
                    by_figure[slot] = claim.id
                break
    groups: dict[str, list[ClaimLink]] = defaultdict(list)
    for link in links:
        groups[find(link.claim_id)].append(link)
    result: list[Dispute] = []
    for group in groups.values():
        targets = Counter(link.contests_claim_id for link in group)
        top = max(targets.items(), key=lambda t: (t[1], -index[t[0]]))[0]
        side = _sides(top, group)
        members = sorted(side, key=lambda i: index[i])
        supporting = tuple(by_id[i] for i in members if side[i] == 0 and i != top)
        contesting = tuple(by_id[i] for i in members if side[i] == 1)
        claim = by_id[top]
        involved = (claim, *supporting, *contesting)
        result.append(
            Dispute(
                claim=claim,
                supporting=supporting,
                contesting=contesting,
                links=tuple(group),
                outlets=tuple(dict.fromkeys(c.outlet for c in involved)),
                passage_ids=tuple(dict.fromkeys(c.passage_id for c in involved)),
                summary=_summary(claim, contesting),
            )
        )
    feats = {c.id: _features(c) for c in claims}
    linked = {link.claim_id for link in links} | {link.contests_claim_id for link in links}
    result = [_with_restatements(_with_echoes(d, claims), claims, feats, linked) for d in result]
    result.sort(key=lambda d: (-len(d.links), index[d.claim.id]))
    return result


def _side_figures(side: Sequence[Claim], units: set[str]) -> list[Quantity]:
    """The figures one side of a dispute gives in the disputed units."""
    return [q for c in side for q in c.numbers if q.unit in units]


def _with_echoes(dispute: Dispute, claims: Sequence[Claim]) -> Dispute:
    """The dispute with the claims of other articles that restate one side's figure.

    A dispute over figures is usually carried by several outlets, often without an
    attribution frame linking them ("about 30,000 people, according to the opposition"): a
    claim from another article giving a side's figure (and not the other side's alone) joins
    that side, so the section can show who carries which account.
    """
    side_a = (dispute.claim, *dispute.supporting)
    side_b = dispute.contesting
    units = {q.unit for c in side_a for q in c.numbers} & {
        q.unit for c in side_b for q in c.numbers
    }
    if not units:
        return dispute
    figs_a = _side_figures(side_a, units)
    figs_b = _side_figures(side_b, units)
    only_a = [q for q in figs_a if not any(_same_figure(q, r) for r in figs_b)]
    only_b = [q for q in figs_b if not any(_same_figure(q, r) for r in figs_a)]
    if not only_a or not only_b:
        return dispute
    taken = {c.id for c in (*side_a, *side_b)}
    articles = set(dispute.article_ids)
    names = {n.lower() for c in (*side_a, *side_b) for n in _NAME.findall(c.content)}
    extra_a: list[Claim] = []
    extra_b: list[Claim] = []
    for c in claims:
        if c.id in taken or c.article_id in articles:
            continue
        gives_a = any(_same_figure(q, r) for q in c.numbers for r in only_a)
        gives_b = any(_same_figure(q, r) for q in c.numbers for r in only_b)
        if not (gives_a or gives_b):
            continue
        vague = all(q.unit in _VAGUE_UNITS for q in c.numbers if q.unit in units)
        shared = {n.lower() for n in _NAME.findall(c.content)} & names
        if vague and not (gives_a and gives_b) and not shared:
            continue  # "18 percent" alone could be any share in the story
        (extra_b if gives_b else extra_a).append(c)
        articles.add(c.article_id)
    if not extra_a and not extra_b:
        return dispute
    supporting = (*dispute.supporting, *extra_a)
    contesting = (*dispute.contesting, *extra_b)
    involved = (dispute.claim, *supporting, *contesting)
    return replace(
        dispute,
        supporting=supporting,
        contesting=contesting,
        outlets=tuple(dict.fromkeys(c.outlet for c in involved)),
        passage_ids=tuple(dict.fromkeys(c.passage_id for c in involved)),
    )


def _restates(a: Claim, b: Claim, feats: dict[str, _Features]) -> float:
    """How closely two statements say one thing: shared words over both lengths, content names.

    Stricter than `_overlap` (which divides by the shorter claim and counts speakers): a long
    statement touching a short one's subject does not restate it.
    """
    wa, wb = feats[a.id].words, feats[b.id].words
    score = 0.0
    if a.lang == b.lang and wa and wb:
        score += 8.0 * len(wa & wb) / max(8, len(wa) + len(wb))
    names = {n.lower() for n in _NAME.findall(a.content)} & {
        n.lower() for n in _NAME.findall(b.content)
    }
    return score + 0.5 * min(2, len(names))


def _best_overlap(c: Claim, side: Sequence[Claim], feats: dict[str, _Features]) -> float:
    """How closely `c` restates the closest account on one side."""
    return max((_restates(c, s, feats) for s in side), default=0.0)


def _with_restatements(
    dispute: Dispute,
    claims: Sequence[Claim],
    feats: dict[str, _Features],
    linked: set[str],
) -> Dispute:
    """The dispute with other articles' statements that restate one side's account.

    An account over no figure is usually repeated by other outlets without a frame linking it
    to the rival ("the coast guard said the boat carried building materials"): an unlinked
    statement from another article restating one side's account, and not the other's, joins
    that side. Denials on the other side restate what they reject, so only the other side's
    own accounts count against a restatement.
    """
    side_a = (dispute.claim, *dispute.supporting)
    side_b = dispute.contesting
    if any(c.numbers for c in (*side_a, *side_b)) and any(
        q.unit == r.unit for c in side_a for q in c.numbers for d in side_b for r in d.numbers
    ):
        return dispute  # a dispute over figures: _with_echoes matches figures instead
    accounts = {
        0: [c for c in side_a if c.stance in ("assert", "confirm")],
        1: [c for c in side_b if c.stance in ("assert", "confirm")],
    }
    speakers = {feats[c.id].speaker for c in (*side_a, *side_b)}
    articles = set(dispute.article_ids)
    extra: dict[int, list[Claim]] = {0: [], 1: []}
    for c in claims:
        if c.id in linked or c.article_id in articles or c.stance not in ("assert", "confirm"):
            continue
        fc = feats[c.id]
        scores = {k: _best_overlap(c, v, feats) for k, v in accounts.items()}
        side = max(scores, key=lambda k: scores[k])
        if scores[side] < _MIN_RESTATEMENT or scores[side] <= scores[1 - side]:
            continue
        if not any(feats[a.id].negated == fc.negated for a in accounts[side]):
            continue  # "no cannon was used" does not restate "cannon were used"
        if fc.speaker in speakers and side == 1 - _side_of(fc.speaker, side_a, feats):
            continue
        extra[side].append(c)
    if not extra[0] and not extra[1]:
        return dispute
    supporting = (*dispute.supporting, *extra[0])
    contesting = (*dispute.contesting, *extra[1])
    involved = (dispute.claim, *supporting, *contesting)
    return replace(
        dispute,
        supporting=supporting,
        contesting=contesting,
        outlets=tuple(dict.fromkeys(c.outlet for c in involved)),
        passage_ids=tuple(dict.fromkeys(c.passage_id for c in involved)),
    )


def _side_of(speaker: str, side_a: Sequence[Claim], feats: dict[str, _Features]) -> int:
    """0 when a speaker key speaks on the contested side, else 1."""
    return 0 if any(feats[c.id].speaker == speaker for c in side_a) else 1


def _sides(top: str, group: Sequence[ClaimLink]) -> dict[str, int]:
    """Which side each claim is on: 0 with the contested claim, 1 against it."""
    adjacent: dict[str, list[str]] = defaultdict(list)
    for link in group:
        adjacent[link.claim_id].append(link.contests_claim_id)
        adjacent[link.contests_claim_id].append(link.claim_id)
    side = {top: 0}
    queue = [top]
    while queue:
        node = queue.pop(0)
        for other in adjacent[node]:
            if other not in side:
                side[other] = 1 - side[node]
                queue.append(other)
    return side


def _summary(claim: Claim, contesting: Sequence[Claim]) -> str:
    """ "X said …; Y denied …" for the What-is-disputed section."""
    return "; ".join(_attributed(c) for c in (claim, *contesting[:3]))
