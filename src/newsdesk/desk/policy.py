"""Editorial policy: which analyses may publish themselves and which wait for an editor."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsdesk.personas.topics import LEXICONS
from newsdesk.settings import Settings

log = logging.getLogger(__name__)

# the rules a settings file may name, in the order the default checks them
RULES = ("unverified", "min_outlets", "disputed", "sensitive_tags")
# the rule an analysis is held by when auto-publishing is off and nothing else holds it
AUTO_PUBLISH_OFF = "auto_publish_off"


@dataclass
class PolicyDecision:
    """Whether an analysis is held for the desk, by which rule first, and every reason why."""

    hold: bool
    rule: str | None = None
    reasons: list[str] = field(default_factory=list)


def check_rules(names: Iterable[str]) -> list[str]:
    """The rule names, or ValueError naming the unknown ones and the valid ones."""
    names = list(names)
    unknown = [n for n in names if n not in RULES]
    if unknown:
        raise ValueError(
            f"unknown policy rule(s) {', '.join(repr(n) for n in unknown)} in policy_rules; "
            f"valid rules: {', '.join(RULES)}"
        )
    return names


def policy_tags(tags: Iterable[str], entity_keys: Iterable[str] = ()) -> list[str]:
    """The tags sensitive_tags matches: the analysis's tags, 'topic:' forms, entity keys."""
    out: dict[str, str] = {}
    for tag in tags:
        out.setdefault(tag.casefold(), tag)
        if tag in LEXICONS:
            out.setdefault(f"topic:{tag}".casefold(), f"topic:{tag}")
    for key in entity_keys:
        out.setdefault(key.casefold(), key)
    return list(out.values())


def _unverified_reasons(
    unsupported: int,
    headline_ok: bool,
    dek_ok: bool,
    headline_reason: str | None,
    dek_reason: str | None,
) -> list[str]:
    reasons = []
    if unsupported:
        reasons.append(f"{unsupported} sentence(s) not supported by their citations")
    if not headline_ok:
        reasons.append(
            "headline not supported by the sources"
            + (f": {headline_reason}" if headline_reason else "")
        )
    if not dek_ok:
        reasons.append(
            "dek not supported by the sources" + (f": {dek_reason}" if dek_reason else "")
        )
    return reasons


def evaluate_policy(
    settings: Settings,
    *,
    unsupported: int,
    headline_ok: bool,
    dek_ok: bool,
    outlets: int,
    disputes: int,
    tags: list[str],
    headline_reason: str | None = None,
    dek_reason: str | None = None,
) -> PolicyDecision:
    """Apply `settings.policy_rules` in order to one analysis.

    Args:
        settings: Supplies policy_rules, policy_min_outlets, policy_sensitive_tags and
            auto_publish.
        unsupported: Sentences that failed verification.
        headline_ok: Whether the headline is supported by the sources.
        dek_ok: Whether the dek is supported by the sources.
        outlets: Independent outlets covering the story.
        disputes: Denials or contradictions found in the story.
        tags: The analysis's tags (see `policy_tags` for the forms matched).
        headline_reason: Why the headline is not supported, shown in the reason.
        dek_reason: Why the dek is not supported, shown in the reason.

    Returns:
        A PolicyDecision: `rule` is the first matching rule (or 'auto_publish_off' when
        auto-publishing is off and no rule matched), `reasons` one sentence per matching rule.

    Raises:
        ValueError: policy_rules names a rule that does not exist.
    """
    rules = check_rules(settings.policy_rules)
    sensitive = {t.casefold() for t in settings.policy_sensitive_tags}
    first: str | None = None
    reasons: list[str] = []
    for rule in rules:
        found: list[str] = []
        if rule == "unverified":
            found = _unverified_reasons(
                unsupported, headline_ok, dek_ok, headline_reason, dek_reason
            )
        elif rule == "min_outlets" and outlets < settings.policy_min_outlets:
            found = [f"fewer than {settings.policy_min_outlets} independent outlets"]
        elif rule == "disputed" and disputes:
            found = [f"the story has {disputes} denial(s) or contradiction(s)"]
        elif rule == "sensitive_tags":
            hits = sorted({t for t in tags if t.casefold() in sensitive}, key=str.casefold)
            if hits:
                found = [f"sensitive tag(s): {', '.join(hits)}"]
        if found:
            first = first or rule
            reasons += found
    if not settings.auto_publish:
        first = first or AUTO_PUBLISH_OFF
        reasons.append("auto-publishing is off: an editor approves every analysis")
    return PolicyDecision(hold=bool(reasons), rule=first, reasons=reasons)
