"""Route a story to beats: score it against every persona, with an explanation a human can read.

score = sum(weight_c * fit_c) / sum(weight_c) over the components present:
- countries: mention share C of the story's countries that lie in the beat (a global beat, with
  no countries, gets the neutral `global_country_fit`), times g(T): a story in the beat's
  countries but on none of its topics earns only half the country credit;
- topics: share T of the story's topic mass on the beat's topics, times g(C) for a regional
  beat: its topics count fully only when the story happens in its countries;
  g(x) = floor + (1 - floor) * min(1, x / saturation);
- entities: mentions per text of the beat's watched entities, capped at 1;
- languages: share of the story's texts in languages the persona reads;
- vector (only with a centroid and beat vectors): cosine of story centroid and beat description,
  min-max scaled across the personas scored (e5 cosines sit in a narrow band).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsdesk.personas.model import Persona
from newsdesk.personas.topics import detect_topics, merge_topic_scores, normalise_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RouteWeights:
    """Weights of the routing components and the perspective rule."""

    country: float = 0.40
    topic: float = 0.35
    entity: float = 0.10
    language: float = 0.05
    vector: float = 0.10
    # fit of a global (country-less) beat on the country component
    global_country_fit: float = 0.5
    # coupling of the country and topic fits: g(x) = floor + (1 - floor) * min(1, x / saturation)
    coupling_floor: float = 0.5
    coupling_saturation: float = 0.5
    # smoothing added to each listed country's mention count (a listed country never weighs 0)
    country_smoothing: float = 0.5
    # a perspective persona needs at least this fraction of the lead's score
    perspective_min_ratio: float = 0.6


DEFAULT_ROUTE_WEIGHTS = RouteWeights()


@dataclass
class StoryProfile:
    """What routing knows about a story; every field but story_id is optional."""

    story_id: str
    headline: str = ""
    texts: Sequence[str] = ()
    # one ISO 639-1 code per text (aligned with texts), or the story's languages
    languages: Sequence[str | None] = ()
    countries: Collection[str] = frozenset()
    # mentions per country (e.g. counts of place:XX entities); None = derive from entities
    country_mentions: Mapping[str, float] | None = None
    # entity key or name -> mentions in the story (a plain collection counts 1 each)
    entities: Mapping[str, float] | Collection[str] = field(default_factory=dict)
    entity_names: Collection[str] = ()
    topics: Mapping[str, float] | None = None
    centroid: np.ndarray | None = None

    def country_shares(self, smoothing: float = 0.5) -> dict[str, float]:
        """Share of the story's attention each country gets (sums to 1 over its countries)."""
        listed = {c.upper() for c in self.countries}
        counts: dict[str, float] = {}
        if self.country_mentions is not None:
            counts = {c.upper(): float(n) for c, n in self.country_mentions.items()}
        else:
            for key, n in self.entity_counts().items():
                if key.startswith("place:") and len(key) == 8:
                    counts[key[6:].upper()] = counts.get(key[6:].upper(), 0.0) + n
        if not counts and self.texts:
            counts = count_country_mentions([self.headline, *self.texts], self.text_languages())
        if listed:
            counts = {c: counts.get(c, 0.0) + smoothing for c in listed}
        total = sum(counts.values())
        if not total:
            return {}
        return {c: n / total for c, n in sorted(counts.items())}

    def entity_counts(self) -> dict[str, float]:
        """Mentions per entity key or name."""
        if isinstance(self.entities, Mapping):
            return {str(k): float(v) for k, v in self.entities.items()}
        return {str(k): 1.0 for k in self.entities}

    def text_languages(self) -> list[str | None]:
        """One language hint per text (headline first), None where unknown."""
        aligned = len(self.languages) == len(self.texts)
        hints: list[str | None] = list(self.languages) if aligned else [None] * len(self.texts)
        return [hints[0] if hints else None, *hints]

    def language_counts(self) -> Counter[str]:
        """How many texts are in each language (unknown languages left out)."""
        return Counter(lang for lang in self.languages if lang)

    def topic_shares(self) -> dict[str, float]:
        """Given topic scores as shares, or topics detected in headline and texts."""
        if self.topics is not None:
            return merge_topic_scores(self.topics)
        hints = self.text_languages()
        if not self.headline:
            return detect_topics(self.texts, hints[1:])
        return detect_topics([self.headline, *self.texts], hints)


def count_country_mentions(
    texts: Sequence[str], languages: Sequence[str | None] = ()
) -> dict[str, float]:
    """Mentions per ISO country in texts, found by the entities gazetteer (empty without it)."""
    try:
        from newsdesk.entities import default_gazetteer
    except ImportError:  # the gazetteer's packages are optional for routing
        log.warning("entities gazetteer unavailable: countries weigh equally")
        return {}
    gazetteer = default_gazetteer()
    counts: Counter[str] = Counter()
    hints = list(languages) + [None] * (len(texts) - len(languages))
    for text, lang in zip(texts, hints, strict=False):
        if not text:
            continue
        for m in gazetteer.find(text, lang):
            if m.key and m.key.startswith("place:") and len(m.key) == 8:
                counts[m.key[6:]] += 1
    return {c: float(n) for c, n in counts.items()}


@dataclass(frozen=True)
class RouteDecision:
    """How well one persona's beat fits a story, and why."""

    persona_id: str
    score: float
    components: dict[str, float]  # component -> weighted contribution to the score
    fits: dict[str, float]  # component -> raw fit in [0, 1] before weights and coupling
    coupling: dict[str, float]  # component -> multiplier g(other fit) applied, when below 1
    countries: list[tuple[str, float]]  # matched country, its share of the story
    topics: list[tuple[str, float]]  # matched topic, its share of the story
    entities: list[tuple[str, float]]  # matched watched entity, its mentions
    language_fit: float
    vector_cosine: float | None = None

    @property
    def explanation(self) -> str:
        """One readable line: the score and each component with what matched."""
        parts = []
        c = self.components
        off_topic = (
            f"; x{self.coupling['country']:.2f} off-topic" if "country" in self.coupling else ""
        )
        off_region = (
            f"; x{self.coupling['topic']:.2f} off-region" if "topic" in self.coupling else ""
        )
        if self.countries:
            got = ", ".join(f"{code} {share:.2f}" for code, share in self.countries)
            parts.append(f"countries +{c['country']:.2f} ({got}{off_topic})")
        elif c["country"] > 0:
            parts.append(f"countries +{c['country']:.2f} (global beat{off_topic})")
        else:
            parts.append("countries +0.00 (none in beat)")
        if self.topics:
            got = ", ".join(f"{t} {share:.2f}" for t, share in self.topics)
            parts.append(f"topics +{c.get('topic', 0.0):.2f} ({got}{off_region})")
        else:
            parts.append("topics +0.00 (none)")
        if self.entities:
            got = ", ".join(f"{e} x{n:g}" for e, n in self.entities)
            parts.append(f"entities +{c.get('entity', 0.0):.2f} ({got})")
        parts.append(f"languages +{c.get('language', 0.0):.2f} ({self.language_fit:.0%} readable)")
        if self.vector_cosine is not None:
            parts.append(f"vector +{c.get('vector', 0.0):.2f} (cosine {self.vector_cosine:.3f})")
        return f"{self.persona_id} {self.score:.2f}: " + "; ".join(parts)


@dataclass(frozen=True)
class Routing:
    """Who writes a story: the lead persona, an optional perspective persona, all the scores."""

    story_id: str
    lead: str
    perspective: str | None
    scores: list[RouteDecision]  # best first

    def decision(self, persona_id: str) -> RouteDecision:
        """The decision for one persona."""
        for d in self.scores:
            if d.persona_id == persona_id:
                return d
        raise KeyError(persona_id)

    def explain(self) -> str:
        """Several lines: the choice, then every persona's explanation."""
        head = f"{self.story_id}: lead {self.lead}"
        if self.perspective:
            head += f", perspective {self.perspective}"
        return "\n".join([head, *("  " + d.explanation for d in self.scores)])


def embed_beats(personas: Sequence[Persona], embedder: Any) -> dict[str, np.ndarray]:
    """Embed every persona's beat description once, as e5 queries (unit-length rows)."""
    vectors = embedder.embed_queries([p.beat.describe() for p in personas])
    return {p.id: np.asarray(v, dtype=np.float32) for p, v in zip(personas, vectors, strict=True)}


def _entity_matches(
    persona: Persona, counts: Mapping[str, float], names: Collection[str], folded_text: str
) -> list[tuple[str, float]]:
    folded_names = {normalise_text(n) for n in names}
    by_fold = {normalise_text(k): v for k, v in counts.items()}
    out = []
    for watched in persona.beat.entities:
        if watched in counts:
            out.append((watched, counts[watched]))
            continue
        if ":" in watched:
            continue
        fold = normalise_text(watched)
        if fold in by_fold:
            out.append((watched, by_fold[fold]))
        elif fold in folded_names:
            out.append((watched, 1.0))
        elif fold.strip() and fold in folded_text:
            out.append((watched, float(folded_text.count(fold))))
    return out


def score_personas(
    profile: StoryProfile,
    personas: Sequence[Persona],
    beat_vectors: Mapping[str, np.ndarray] | None = None,
    weights: RouteWeights = DEFAULT_ROUTE_WEIGHTS,
) -> list[RouteDecision]:
    """Score the story against every persona's beat; best first, ties broken by persona id."""
    shares = profile.country_shares(weights.country_smoothing)
    topics = profile.topic_shares()
    counts = profile.entity_counts()
    langs = profile.language_counts()
    n_texts = max(1, len(profile.texts))
    needs_text = any(":" not in e for p in personas for e in p.beat.entities)
    folded_text = normalise_text(" ".join([profile.headline, *profile.texts])) if needs_text else ""
    cosines: dict[str, float] = {}
    if profile.centroid is not None and beat_vectors:
        centroid = np.asarray(profile.centroid, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(centroid)) or 1.0
        for p in personas:
            if p.id in beat_vectors:
                vec = np.asarray(beat_vectors[p.id], dtype=np.float32).ravel()
                cosines[p.id] = float(centroid @ vec) / (norm * (float(np.linalg.norm(vec)) or 1))
    low, high = (min(cosines.values()), max(cosines.values())) if cosines else (0.0, 0.0)
    decisions = []
    for p in personas:
        beat = p.beat
        fits: dict[str, float] = {}
        matched_c = sorted(
            ((c, s) for c, s in shares.items() if c in beat.countries), key=lambda x: -x[1]
        )
        fits["country"] = (
            weights.global_country_fit if beat.is_global else sum(s for _, s in matched_c)
        )
        matched_t = sorted(
            ((t, s) for t, s in topics.items() if t in beat.topics), key=lambda x: -x[1]
        )
        fits["topic"] = sum(s for _, s in matched_t)
        matched_e = _entity_matches(p, counts, profile.entity_names, folded_text)
        fits["entity"] = min(1.0, sum(n for _, n in matched_e) / n_texts)
        total_langs = sum(langs.values())
        fits["language"] = (
            sum(n for lang, n in langs.items() if lang in beat.languages) / total_langs
            if total_langs
            else 0.0
        )
        cosine = cosines.get(p.id)
        if cosine is not None:
            fits["vector"] = (cosine - low) / (high - low) if high > low else 0.0
        used = {k: getattr(weights, k) for k in fits}
        mass = sum(used.values()) or 1.0
        components = {k: used[k] * fits[k] / mass for k in fits}
        coupling = {"country": _couple(fits["topic"], weights)}
        if not beat.is_global:
            coupling["topic"] = _couple(fits["country"], weights)
        for k, g in coupling.items():
            components[k] *= g
        score = min(1.0, max(0.0, sum(components.values())))
        decisions.append(
            RouteDecision(
                persona_id=p.id,
                score=round(score, 6),
                components={k: round(v, 6) for k, v in components.items()},
                fits={k: round(v, 4) for k, v in fits.items()},
                coupling={k: round(g, 4) for k, g in coupling.items() if g < 1.0},
                countries=[(c, round(s, 4)) for c, s in matched_c],
                topics=[(t, round(s, 4)) for t, s in matched_t],
                entities=matched_e,
                language_fit=round(fits["language"], 4),
                vector_cosine=None if cosine is None else round(cosine, 4),
            )
        )
    decisions.sort(key=lambda d: (-d.score, d.persona_id))
    return decisions


def _couple(fit: float, weights: RouteWeights) -> float:
    """g(fit): how much of the other component a beat earns, from floor up to 1."""
    floor = weights.coupling_floor
    return floor + (1.0 - floor) * min(1.0, fit / weights.coupling_saturation)


def _brings_something_else(candidate: RouteDecision, lead: RouteDecision) -> bool:
    """True when the candidate matched a country or topic the lead's beat did not."""
    lead_countries = {c for c, _ in lead.countries}
    lead_topics = {t for t, _ in lead.topics}
    return any(c not in lead_countries for c, _ in candidate.countries) or any(
        t not in lead_topics for t, _ in candidate.topics
    )


def route_story(
    profile: StoryProfile,
    personas: Sequence[Persona],
    beat_vectors: Mapping[str, np.ndarray] | None = None,
    weights: RouteWeights = DEFAULT_ROUTE_WEIGHTS,
) -> Routing:
    """Pick the lead persona (best score) and, for cross-beat stories, a perspective persona.

    Args:
        profile: the story as routing sees it.
        personas: the personas to choose from (at least one).
        beat_vectors: persona id -> beat description vector, from `embed_beats` (optional).
        weights: component weights and the perspective rule.
    Returns:
        A Routing whose scores list every persona, best first.
    """
    if not personas:
        raise ValueError("route_story needs at least one persona")
    decisions = score_personas(profile, personas, beat_vectors, weights)
    lead = decisions[0]
    by_id = {p.id: p for p in personas}
    perspective = None
    for d in decisions[1:]:
        rule = by_id[d.persona_id].perspective
        if not rule.enabled or d.score < rule.threshold:
            continue
        if d.score < weights.perspective_min_ratio * lead.score:
            break
        if _brings_something_else(d, lead):
            perspective = d.persona_id
            break
    log.info("story %s -> lead %s (%.2f), perspective %s", profile.story_id, lead.persona_id,
             lead.score, perspective)  # fmt: skip
    return Routing(profile.story_id, lead.persona_id, perspective, decisions)
