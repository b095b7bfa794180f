"""An invented newsroom for the audience tests: one story with two articles, a persona's
analysis in two versions (the second corrected), another persona's retracted piece, and a
members-only sentinel sentence in the "What to watch" section. All text is invented."""

from __future__ import annotations

import datetime as dt
import gzip
from dataclasses import dataclass

from newsdesk.store import (
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    Article,
    Passage,
    Snapshot,
    Store,
    Story,
    StoryArticle,
    passage_id,
)

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
# a sentence no source contains: it may appear only to members
SENTINEL = "Quillon brackets the Zephyrine sluice before the equinox"
SENTINEL_WORD = "Zephyrine"
PERSONA = "asia-pacific-economy"
OTHER_PERSONA = "russia-eurasia"
TAG = "place:VL"


@dataclass
class AudienceSite:
    """Ids of the invented rows."""

    story_id: int
    v1_id: int
    v2_id: int
    retracted_id: int


def _sentence(
    a: Analysis, section: str, order: int, pos: int, text: str, cites: list[str]
) -> AnalysisSentence:
    return AnalysisSentence(
        analysis_id=a.id,
        section=section,
        section_order=order,
        position=pos,
        text=text,
        citations=cites,
        verified=True,
        lang="en",
    )


def build_audience_site(store: Store, *, now: dt.datetime = T0) -> AudienceSite:
    """Write the invented newsroom into `store`."""
    with store.session() as s:
        story = Story(
            headline="Invented: Velmora sluice dispute",
            headline_lang="en",
            first_seen=now,
            last_seen=now + dt.timedelta(hours=5),
            article_count=2,
            languages=["en", "de"],
            outlets=["Harbour Ledger (invented)", "Tageblatt Velmora (invented)"],
            updated_at=now,
        )
        s.add(story)
        s.flush()
        pids: list[str] = []
        for n, (outlet, lang, title, texts) in enumerate(
            [
                (
                    "Harbour Ledger (invented)",
                    "en",
                    "Velmora closes its sluice gates (invented)",
                    [
                        "The invented city of Velmora closed its sluice gates on Friday.",
                        "Barge traffic on the invented canal stopped for a day.",
                    ],
                ),
                (
                    "Tageblatt Velmora (invented)",
                    "de",
                    "Velmora schliesst die Schleusen (erfunden)",
                    ["Die erfundene Stadt Velmora schloss am Freitag ihre Schleusen."],
                ),
            ],
            start=1,
        ):
            raw = f"<html><body><p>{' '.join(texts)}</p></body></html>".encode()
            snap = Snapshot(
                url=f"https://outlet{n}.example/velmora",
                sha256=f"{n:064d}",
                size=len(raw),
                data=gzip.compress(raw),
                content_type="text/html; charset=utf-8",
                fetched_at=now,
            )
            s.add(snap)
            s.flush()
            art = Article(
                url=f"https://outlet{n}.example/velmora",
                title=title,
                outlet=outlet,
                language=lang,
                published_at=now + dt.timedelta(hours=n),
                text=" ".join(texts),
                content_hash=f"h{n}",
                snapshot_id=snap.id,
                stage="ready",
            )
            s.add(art)
            s.flush()
            s.add(StoryArticle(article_id=art.id, story_id=story.id, score=0.9))
            pos = 0
            for i, t in enumerate(texts):
                pid = passage_id(art.id, i)
                s.add(
                    Passage(
                        id=pid,
                        article_id=art.id,
                        position=i,
                        text=t,
                        char_start=pos,
                        char_end=pos + len(t),
                    )
                )
                pos += len(t) + 1
                pids.append(pid)

        def analysis(persona: str, version: int, status: str, hours: int, **kw: object) -> Analysis:
            when = now + dt.timedelta(hours=hours)
            a = Analysis(
                story_id=story.id,
                persona_id=persona,
                version=version,
                status=status,
                headline=str(kw.pop("headline")),
                dek=str(kw.pop("dek", "")),
                byline="Imogen Tanaka-Reyes" if persona == PERSONA else "Mirela Korsakova-Dunne",
                tags=["Velmora", TAG],
                writer="extractive",
                created_at=when,
                updated_at=when,
                published_at=when,
                **kw,  # type: ignore[arg-type]
            )
            s.add(a)
            s.flush()
            return a

        v1 = analysis(
            PERSONA,
            1,
            AnalysisStatus.PUBLISHED,
            1,
            headline="Velmora shuts its sluices (invented)",
            dek="A first invented read.",
        )
        s.add(
            _sentence(
                v1, "what_happened", 0, 0, "Velmora closed its sluice gates on Friday.", [pids[0]]
            )
        )
        v2 = analysis(
            PERSONA,
            2,
            AnalysisStatus.PUBLISHED,
            3,
            headline="Velmora's sluice closure stalls the canal (invented)",
            dek="An invented analysis with a members-only watch list.",
            corrections=[
                {
                    "at": (now + dt.timedelta(hours=4)).isoformat(),
                    "by": "Ada Quillfeather",
                    "note": "An invented correction: the gates closed on Friday, not Thursday.",
                    "kind": "correction",
                }
            ],
        )
        v2.updated_at = now + dt.timedelta(hours=4)
        s.add_all(
            [
                _sentence(
                    v2,
                    "what_happened",
                    0,
                    0,
                    "Velmora closed its sluice gates on Friday.",
                    [pids[0]],
                ),
                _sentence(
                    v2,
                    "what_happened",
                    0,
                    1,
                    "Barge traffic on the canal stopped for a day.",
                    [pids[1]],
                ),
                _sentence(
                    v2,
                    "context",
                    1,
                    0,
                    "The Tageblatt reported the same closure in German.",
                    [pids[2]],
                ),
                _sentence(v2, "watch", 4, 0, SENTINEL + ".", [pids[1]]),
            ]
        )
        retracted = analysis(
            OTHER_PERSONA,
            1,
            AnalysisStatus.RETRACTED,
            2,
            headline="Velmora's eastern view (invented, retracted)",
            dek="Withdrawn.",
            corrections=[
                {
                    "at": (now + dt.timedelta(hours=5)).isoformat(),
                    "by": "Ada Quillfeather",
                    "note": "An invented retraction: the piece misread its source.",
                    "kind": "retraction",
                }
            ],
        )
        retracted.updated_at = now + dt.timedelta(hours=5)
        s.add(
            _sentence(
                retracted, "what_happened", 0, 0, "Retracted invented words stay hidden.", [pids[2]]
            )
        )
        return AudienceSite(story.id, v1.id, v2.id, retracted.id)
