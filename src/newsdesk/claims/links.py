"""Denials and contradictions between claims (the disputes they add up to: claims/dispute.py)."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsdesk.claims._lexicon import NEGATIONS
from newsdesk.claims.model import Claim, ClaimLink, LinkKind, Quantity
from newsdesk.text.words import SPACELESS_CLASS

__all__ = ["Similarity", "link_claims"]

logger = logging.getLogger(__name__)

Similarity = Callable[[str, str], float]

# Units specific enough that two different figures in one story are likely the same quantity.
_SPECIFIC_UNITS = {"container", "bpd", "m3", "MW", "vessel", "tonne", "drone", "XOF", "BRL"}
# Units that fit almost any quantity: a rival figure needs more than the unit to match.
_VAGUE_UNITS = {"%", "pp", "USD", "EUR", "rupee", "BRL", "XOF", "GBP"}
_WORD = re.compile(r"[^\W\d_]{4,}")
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9-]{2,}\b")
_CJK = re.compile(f"[{SPACELESS_CLASS}]+")
_UNIT_WORDS = re.compile(
    r"per ?cent|percent|prozent|por ?ciento|por ?cento|pour ?cent|процент\w*|dollars?|dólares|e"
    r"uros?",
    re.IGNORECASE,
)
_STOP = {
    "that",
    "this",
    "with",
    "from",
    "have",
    "were",
    "been",
    "which",
    "their",
    "about",
    "said",
    "would",
    "will",
    "they",
    "there",
    "than",
    "after",
    "before",
    "also",
    "into",
    "dans",
    "pour",
    "avec",
    "sont",
    "dass",
    "nicht",
    "eine",
    "einer",
    "sich",
    "wird",
    "para",
    "como",
    "pero",
    "está",
    "foram",
    "mais",
    "что",
    "было",
    "этот",
    "котор",
    "the",
    "and",
}
_PRONOUN_CONTENT = {
    "these",
    "those",
    "such",
    "эти",
    "этот",
    "эту",
    "ces",
    "cette",
    "diese",
    "diesen",
    "estas",
    "estos",
    "esta",
    "essas",
    "esses",
    "此",
    "这一",
    "该",
    "इन",
    "इस",
    "هذه",
    "تلك",
    "it",
    "this",
    "that",
    "इसका",
    "इसे",
    "это",
    "cela",
    "ceci",
    "dies",
    "eso",
    "isso",
}
_REPORT = re.compile(
    r"(?:the |these |such )?(?:report|reports|allegation|allegations|account|claim|claims|figure)\b"
    r"|(?:ces |les |l')?(?:informations|information|rapport|allégations)\b|(?:den "
    r"|die )?(?:bericht|berichte|vorwurf|vorwürfe)\b"
    r"|(?:el |los |la |las )?(?:informe|informaciones|versión|acusaciones)\b|(?:a |as "
    r"|o )?(?:reportagem|informação|acusação)\b"
    r"|сообщени|информаци|обвинени|报道|指控|说法|報道|التقارير|التقرير|الاتهامات|रिपोर्ट|आरोप",
    re.IGNORECASE,
)
_MIN_DENIAL = 2.0
_MIN_RIVAL = 2.5
_MIN_CONTRADICTION = 2.0
# multilingual-e5 cosines sit in a narrow band (0.82-0.90 within one story): only the top counts.
# Measured on the demo corpus: 0.82 lost one entry and added 7 stray disputes; 0.90 is neutral.
_SIM_FLOOR = 0.9


@dataclass(frozen=True)
class _Features:
    """What linking compares: words, names and figures of one claim."""

    words: frozenset[str]
    names: frozenset[str]
    primary: dict[str, Quantity]
    speaker: str
    negated: bool


def _features(claim: Claim) -> _Features:
    """Comparable features of a claim."""
    text = claim.content
    bare = _UNIT_WORDS.sub(" ", text)
    words = {
        w.lower()[:5]
        for w in _WORD.findall(bare)
        # capitalised words count as names, except in German where every noun is capitalised
        if w.lower() not in _STOP and (claim.lang == "de" or not w[0].isupper())
    }
    for run in _CJK.findall(text):
        words.update(run[i : i + 2] for i in range(len(run) - 1))
    names = {n.lower() for n in _NAME.findall(f"{text} {claim.speaker}")}
    names.update(claim.entity_keys)
    primary: dict[str, Quantity] = {}
    for q in claim.numbers:
        primary.setdefault(q.unit, q)
    pattern = NEGATIONS.get(claim.lang)
    negated = bool(pattern and re.search(pattern, text, re.IGNORECASE))
    return _Features(frozenset(words), frozenset(names), primary, _speaker_key(claim), negated)


def _speaker_key(claim: Claim) -> str:
    """A comparable key for who is speaking."""
    if claim.speaker_keys:
        return "|".join(sorted(claim.speaker_keys))
    names = re.findall(r"\b[A-ZÀ-Þ][\w-]+\b", claim.speaker)
    if len(names) >= 3 or (len(names) == 2 and claim.speaker_kind == "named person"):
        return " ".join(names[-2:]).lower()  # "Konkan's chairman, Suresh Nadkarni" -> a name
    s = re.sub(r"['’]s\b|[^\w\s]", "", claim.speaker.lower())
    s = re.sub(r"^(?:the|a|an|le|la|les|l|el|los|die|der|das|o|a)\s+", "", s)
    return f"{claim.outlet}:{s}" if claim.speaker_kind == "unknown" else s


def _same_figure(a: Quantity, b: Quantity) -> bool:
    """Whether two figures agree (within 8 %, or one inside the other's range)."""
    if a.unit != b.unit:
        return False
    lo_a, hi_a = a.value, a.high if a.high is not None else a.value
    lo_b, hi_b = b.value, b.high if b.high is not None else b.value
    if lo_a <= hi_b and lo_b <= hi_a:
        return True
    big = max(abs(a.value), abs(b.value)) or 1.0
    return abs(a.value - b.value) / big <= 0.08


def _format_value(q: Quantity) -> str:
    """A figure for a reason string: 4,000 or 1.2bn."""
    v = q.value
    if abs(v) >= 1e9:
        text = f"{v / 1e9:g}bn"
    elif abs(v) >= 1e6:
        text = f"{v / 1e6:g}m"
    else:
        text = f"{v:,.0f}" if v == int(v) else f"{v:g}"
    if q.high is not None:
        text += f"-{q.high:g}" if q.high < 1e6 else ""
    return text


_UNIT_NAMES = {
    "%": "percent",
    "bpd": "barrels a day",
    "m3": "cubic metres",
    "container": "containers",
    "vessel": "vessels",
    "tonne": "tonnes",
    "drone": "drones",
    "people": "people",
    "hour": "hours",
    "day": "days",
    "rupee": "rupees",
}


def _overlap(a: _Features, b: _Features, same_lang: bool) -> float:
    """Subject overlap of two claims: shared names, and shared words within a language."""
    score = 0.5 * min(2, len(a.names & b.names))
    if same_lang and a.words and b.words:
        score += 4.0 * len(a.words & b.words) / max(4, min(len(a.words), len(b.words)))
    return score


def _co_mentions(claims: Sequence[Claim]) -> set[tuple[str, float, float]]:
    """Pairs of different figures of one unit that a single claim mentions together."""
    pairs: set[tuple[str, float, float]] = set()
    for c in claims:
        for i, x in enumerate(c.numbers):
            for y in c.numbers[i + 1 :]:
                if x.unit == y.unit and not _same_figure(x, y):
                    lo, hi = sorted((round(x.value, 3), round(y.value, 3)))
                    pairs.add((x.unit, lo, hi))
    return pairs


def link_claims(claims: Sequence[Claim], similar: Similarity | None = None) -> list[ClaimLink]:
    """Denials and contradictions among `claims` (usually one story's).

    Args:
        claims: Claims in reading order (earlier articles first when dates are unknown).
        similar: Optional cross-lingual text similarity (e.g. embedding cosine) in [0, 1].

    Returns:
        Links from each contesting claim to the claim it contests.
    """
    order = sorted(
        range(len(claims)),
        key=lambda i: (claims[i].published is None, _timestamp(claims[i]), i),
    )
    rank = {claims[i].id: r for r, i in enumerate(order)}
    feats = {c.id: _features(c) for c in claims}
    pos = {c.id: _position(c) for c in claims}
    pairs = _co_mentions(claims)
    links: list[ClaimLink] = []
    links.extend(_denials(claims, feats, rank, pos, similar))
    links.extend(_contradictions(claims, feats, rank, pairs, similar))
    links.extend(_rival_accounts(claims, feats, rank, similar, links))
    links.extend(_restated_denials(claims, feats, rank, links))
    return links


def _same_speaker(a: Claim, b: Claim) -> bool:
    """Whether two claims' speakers are one source: one key, or a person's one surname."""
    if _speaker_key(a) == _speaker_key(b):
        return True
    if "named person" not in (a.speaker_kind, b.speaker_kind):
        return False
    names_a = re.findall(r"\b[A-ZÀ-ÞА-ЯЁ][\w-]{2,}\b", a.speaker)
    names_b = re.findall(r"\b[A-ZÀ-ÞА-ЯЁ][\w-]{2,}\b", b.speaker)
    return bool(names_a and names_b and names_a[-1] == names_b[-1])


_MIN_RESTATEMENT = 2.0


def _restated_denials(
    claims: Sequence[Claim],
    feats: dict[str, _Features],
    rank: dict[str, int],
    found: Sequence[ClaimLink],
) -> list[ClaimLink]:
    """Statements by a denier that carry the denial on, linked to what it denies.

    "X denied it. 'There was no vote,' he said": the quote right after a denial is the
    denier's own account. A later statement by the same speaker repeating that account ("X
    repeated that the decision was unanimous") contests the same claims, though it names no
    denial itself.
    """
    by_id = {c.id: c for c in claims}
    targets: dict[str, list[str]] = defaultdict(list)
    for link in found:
        if link.kind == "denial" and link.contests_claim_id not in targets[link.claim_id]:
            targets[link.claim_id].append(link.contests_claim_id)
    taken = {link.claim_id for link in found} | {link.contests_claim_id for link in found}
    links: list[ClaimLink] = []
    for d_id, contested in targets.items():
        d = by_id[d_id]
        # a bare "X denied it." is explained by what X says next; a full denial is its own
        bare = len(d.content.split()) <= 3
        voice = [d] + [
            c
            for c in claims
            if bare
            and c.article_id == d.article_id
            and c.id != d.id
            and c.stance == "assert"
            and 0 <= _position(c) - _position(d) <= 2
            and rank[c.id] > rank[d.id]
            and _same_speaker(c, d)
        ]
        for r in claims:
            if r.id in taken or r.stance not in ("assert", "confirm") or rank[r.id] < rank[d.id]:
                continue
            if not _same_speaker(r, d):
                continue
            elaborates = r in voice
            restates = any(
                _overlap(feats[r.id], feats[v.id], r.lang == v.lang) >= _MIN_RESTATEMENT
                for v in voice
                if v.id != r.id
            )
            if not (elaborates or restates):
                continue
            taken.add(r.id)
            for a_id in contested:
                a = by_id[a_id]
                links.append(
                    ClaimLink(
                        claim_id=r.id,
                        contests_claim_id=a_id,
                        kind=LinkKind.DENIAL,
                        reason=f"{r.speaker} restates the denial of {a.speaker}'s account: "
                        f"{_short(a.content)}",
                        passage_id=r.passage_id,
                        contests_passage_id=a.passage_id,
                        score=_MIN_RESTATEMENT,
                    )
                )
    return links


def _rival_accounts(
    claims: Sequence[Claim],
    feats: dict[str, _Features],
    rank: dict[str, int],
    similar: Similarity | None,
    found: Sequence[ClaimLink],
) -> list[ClaimLink]:
    """Negated statements answering a matching earlier positive one from another source."""
    taken = {link.claim_id for link in found}
    links: list[ClaimLink] = []
    for b in claims:
        fb = feats[b.id]
        if b.stance != "assert" or b.id in taken:
            continue
        best: tuple[float, Claim] | None = None
        for a in claims:
            fa = feats[a.id]
            if a.stance not in ("assert", "confirm") or fa.speaker == fb.speaker:
                continue
            if a.content == b.content:
                continue  # one statement attributed twice ("the people said … one of them said")
            parallel = _side_by_side(a, b, fa, fb)
            if fa.negated == fb.negated and not parallel:
                continue  # rival accounts: one says it, the other says it is not so
            if rank[a.id] > rank[b.id]:
                continue
            score = _overlap(fa, fb, a.lang == b.lang) + _similarity_bonus(similar, a, b)
            if parallel and score >= 1.0:
                score += _PARALLEL_BONUS
            if score >= _MIN_RIVAL and (best is None or score > best[0]):
                best = (score, a)
        if best is not None:
            score, a = best
            links.append(
                ClaimLink(
                    claim_id=b.id,
                    contests_claim_id=a.id,
                    kind=LinkKind.CONTRADICTION,
                    reason=f"rival accounts: {_attributed(a)} / {_attributed(b)}",
                    passage_id=b.passage_id,
                    contests_passage_id=a.passage_id,
                    score=round(score, 2),
                )
            )
    return links


# "with Manila saying X and Beijing saying Y": one sentence setting two accounts side by side
_PARALLEL_BONUS = 1.5


def _side_by_side(a: Claim, b: Claim, fa: _Features, fb: _Features) -> bool:
    """Whether one sentence gives two sources' accounts of one subject with different actors.

    A report that puts two speakers in parallel ("X saying …, Y saying …") in one passage, with
    one verb, where each account names someone the other does not, sets rival versions side by
    side (who rammed whom) even though neither is a negation of the other.
    """
    if a.passage_id != b.passage_id or a.verb != b.verb or a.stance != b.stance:
        return False
    speakers = {n.lower() for n in _NAME.findall(f"{a.speaker} {b.speaker}")}
    names_a = {n.lower() for n in _NAME.findall(a.content)} - speakers
    names_b = {n.lower() for n in _NAME.findall(b.content)} - speakers
    return bool(names_a - names_b and names_b - names_a)


def _timestamp(claim: Claim) -> float:
    """Publication time as a number; undated claims sort by input order."""
    return claim.published.timestamp() if claim.published is not None else 0.0


def _position(claim: Claim) -> int:
    """The passage position in its article, from the "<article>:<position>" id."""
    tail = claim.passage_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _similarity_bonus(similar: Similarity | None, a: Claim, b: Claim) -> float:
    """Extra evidence from the optional similarity callback."""
    if similar is None:
        return 0.0
    return max(0.0, (similar(a.content, b.content) - _SIM_FLOOR) * 25.0)


def _denials(
    claims: Sequence[Claim],
    feats: dict[str, _Features],
    rank: dict[str, int],
    pos: dict[str, int],
    similar: Similarity | None,
) -> list[ClaimLink]:
    """Links from denying or disputing claims to the claims they reject."""
    links: list[ClaimLink] = []
    asserted = [c for c in claims if c.stance in ("assert", "confirm")]
    quoted = {  # "denied reports that X": the quoted report, read as a claim of its own
        c.id: n.id
        for c, n in zip(claims[1:], claims, strict=False)
        if c.verb == "alleged" and c.passage_id == n.passage_id
    }
    inner_of = {d_id: c_id for c_id, d_id in quoted.items()}
    for d in claims:
        if d.stance not in ("deny", "dispute"):
            continue
        fd = feats[d.id]
        first = d.content.split(" ", 1)[0].lower().strip(" .,:—")
        thin = len(d.content.split()) <= 2 or first in _PRONOUN_CONTENT
        reported = _REPORT.match(d.content) is not None
        thin = (thin or reported) and d.id not in inner_of
        scored: list[tuple[float, Claim]] = []
        for a in asserted:
            fa = feats[a.id]
            if fa.speaker == fd.speaker or a.id == d.id:
                continue
            overlap = _overlap(fa, fd, a.lang == d.lang)
            score = overlap
            shared = [
                q
                for u, q in fa.primary.items()
                if u in fd.primary and _same_figure(q, fd.primary[u])
            ]
            score += 2.0 * bool(shared)
            if inner_of.get(d.id) == a.id:
                score += 4.0
            elif (
                a.article_id == d.article_id
                and 0 <= pos[d.id] - pos[a.id] <= (3 if thin else 2)
                and rank[a.id] < rank[d.id]
            ):
                gap = pos[d.id] - pos[a.id]
                score += (3.0 - 0.5 * gap) if thin else (1.5 - 0.25 * gap)
            elif rank[a.id] > rank[d.id]:
                score -= 0.5  # denials usually answer an earlier claim
            score += _similarity_bonus(similar, a, d)
            cited = a.speaker_kind in ("anonymous sources", "outlet") and a.verb != "reported"
            if reported and cited:
                score += 1.0  # "denied the report": the report is another outlet's sourcing
            evidence = overlap >= 1.0 or shared or similar is not None
            if score >= _MIN_DENIAL and (a.article_id == d.article_id or evidence):
                scored.append((score, a))
        scored.sort(key=lambda t: (-t[0], rank[t[1].id]))
        seen_articles: set[str] = set()
        for score, a in scored[:6]:
            if a.article_id in seen_articles or len(seen_articles) >= 3:
                continue
            if scored and score < 0.6 * scored[0][0]:
                break
            seen_articles.add(a.article_id)
            what = "denies" if d.stance == "deny" else "disputes"
            links.append(
                ClaimLink(
                    claim_id=d.id,
                    contests_claim_id=a.id,
                    kind=LinkKind.DENIAL,
                    reason=f"{d.speaker} {what} {a.speaker}'s account: {_short(a.content)}",
                    passage_id=d.passage_id,
                    contests_passage_id=a.passage_id,
                    score=round(score, 2),
                )
            )
    return links


def _short(text: str, limit: int = 90) -> str:
    """Text cut to `limit` characters at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut + "…"


def _contradictions(
    claims: Sequence[Claim],
    feats: dict[str, _Features],
    rank: dict[str, int],
    pairs: set[tuple[str, float, float]],
    similar: Similarity | None,
) -> list[ClaimLink]:
    """Links between claims from different sources giving different figures for one quantity."""
    links: list[ClaimLink] = []
    ordered = sorted((c for c in claims if c.numbers), key=lambda c: rank[c.id])
    for j, b in enumerate(ordered):
        fb = feats[b.id]
        pb = _position(b)
        best: dict[tuple[str, float], tuple[float, Claim, Quantity, Quantity]] = {}
        for a in ordered[:j]:
            fa = feats[a.id]
            if fa.speaker == fb.speaker:
                continue
            for unit, qa in fa.primary.items():
                qb = fb.primary.get(unit)
                if qb is None or _same_figure(qa, qb):
                    continue
                if any(_same_figure(qa, q) for q in b.numbers):
                    continue
                if any(_same_figure(qb, q) for q in a.numbers):
                    continue  # b also cites a's figure: it reports the dispute, not a rival
                lo, hi = sorted((round(qa.value, 3), round(qb.value, 3)))
                key = (unit, lo, hi)
                specific = unit in _SPECIFIC_UNITS
                overlap = _overlap(fa, fb, a.lang == b.lang)
                vague = unit in _VAGUE_UNITS and key not in pairs and overlap < 0.5
                if vague and similar is None and a.passage_id != b.passage_id:
                    continue  # "%" or "$" alone says nothing about which quantity is meant
                score = 1.0 if specific else 0.0
                score += 2.0 if key in pairs else 0.0
                score += overlap
                score += _similarity_bonus(similar, a, b)
                if a.article_id == b.article_id and abs(pb - _position(a)) <= 1:
                    score += 2.0  # one report setting two sources' figures side by side
                if score < _MIN_CONTRADICTION:
                    continue
                slot = (unit, round(qa.value, 3))
                if slot not in best or rank[a.id] < rank[best[slot][1].id]:
                    best[slot] = (score, a, qa, qb)
        for score, a, qa, qb in best.values():
            unit = _UNIT_NAMES.get(qa.unit, qa.unit)
            links.append(
                ClaimLink(
                    claim_id=b.id,
                    contests_claim_id=a.id,
                    kind=LinkKind.CONTRADICTION,
                    reason=(
                        f"figures differ: {_format_value(qa)} vs {_format_value(qb)} {unit} "
                        f"({a.speaker} vs {b.speaker})"
                    ),
                    passage_id=b.passage_id,
                    contests_passage_id=a.passage_id,
                    score=round(score, 2),
                )
            )
    return links


def _attributed(claim: Claim) -> str:
    """One claim as attributed text: "X said: …" or "according to X: …"."""
    if claim.verb == "according to":
        return f"according to {claim.speaker}: {_short(claim.content)}"
    return f"{claim.speaker} {claim.verb}: {_short(claim.content)}"
