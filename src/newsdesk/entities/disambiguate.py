"""Short names two countries share, resolved by the rest of the article.

"Congo" is the Republic of the Congo in CLDR and pycountry, but most reporting that says
"Congo" means the Democratic Republic of the Congo; the article itself usually tells which (it
also says "DRC", "Kinshasa", "Lubumbashi" or "Brazzaville"). A bare shared name follows the
country the article otherwise names or locates; with no such evidence it keeps the gazetteer's
reading.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from newsdesk.entities.base import Mention
from newsdesk.entities.normalize import fold_text


class SharedName:
    """A short name and the countries it may mean, with the places that point to each."""

    def __init__(
        self, forms: Sequence[str], cues: dict[str, Sequence[str]], names: dict[str, str]
    ) -> None:
        self.forms = frozenset(fold_text(f) for f in forms)
        # a mention key that is evidence for a country: the country itself or one of its cities
        self.evidence = {key: key for key in cues}
        for key, places in cues.items():
            for place in places:
                self.evidence[place] = key
        self.names = names


SHARED_NAMES = (
    SharedName(
        forms=("Congo", "Kongo", "Конго", "الكونغو", "刚果", "コンゴ", "कांगो"),
        cues={
            "place:CD": (
                "place:kinshasa",
                "place:lubumbashi",
                "place:goma",
                "place:kolwezi",
                "place:katanga",
                "place:lualaba",
                "place:kivu",
            ),
            "place:CG": ("place:brazzaville", "place:pointe-noire"),
        },
        names={"place:CD": "Congo - Kinshasa", "place:CG": "Congo - Brazzaville"},
    ),
)


def resolve_shared_names(mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions with each bare shared name pointed at the country the article is about."""
    out = list(mentions)
    for shared in SHARED_NAMES:
        bare = {i for i, m in enumerate(out) if fold_text(m.text) in shared.forms}
        if not bare:
            continue
        votes: Counter[str] = Counter(
            shared.evidence[m.key]
            for i, m in enumerate(out)
            if i not in bare and m.key in shared.evidence
        )
        if not votes:
            continue
        (best, n), *rest = votes.most_common()
        if rest and rest[0][1] == n:
            continue  # the article names both as often: leave it as found
        for i in bare:
            out[i] = replace(out[i], key=best, name=shared.names[best])
    return out
