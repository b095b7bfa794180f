"""The claims ledger: attributed statements, denials, contradictions and disputes."""

from newsdesk.claims.attribution import extract_claims, supported_languages
from newsdesk.claims.dispute import disputes
from newsdesk.claims.links import Similarity, link_claims
from newsdesk.claims.model import (
    Claim,
    ClaimLink,
    ClaimSource,
    Dispute,
    LinkKind,
    Quantity,
    SpeakerKind,
    Stance,
)
from newsdesk.claims.numbers import find_quantities, parse_number

__all__ = [
    "Claim",
    "ClaimLink",
    "ClaimSource",
    "Dispute",
    "LinkKind",
    "Quantity",
    "Similarity",
    "SpeakerKind",
    "Stance",
    "disputes",
    "extract_claims",
    "find_quantities",
    "link_claims",
    "parse_number",
    "supported_languages",
]
