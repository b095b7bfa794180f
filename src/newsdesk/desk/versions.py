"""Versions of an analysis and what changed between two of them, sentence by sentence."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.desk.errors import AnalysisNotFound
from newsdesk.store import Analysis, AnalysisSentence


@dataclass(frozen=True)
class DiffLine:
    """One line of a version diff: a section's sentence kept, added, removed or replaced."""

    section: str
    op: str  # "equal" | "insert" | "delete" | "replace"
    old: str
    new: str


def _get(session: Session, analysis_id: int) -> Analysis:
    analysis = session.get(Analysis, analysis_id)
    if analysis is None:
        raise AnalysisNotFound(f"no analysis {analysis_id}")
    return analysis


def analysis_versions(session: Session, analysis_id: int) -> list[Analysis]:
    """Every version of the analysis's (story, persona) pair, oldest first."""
    analysis = _get(session, analysis_id)
    return list(
        session.scalars(
            select(Analysis)
            .where(
                Analysis.story_id == analysis.story_id,
                Analysis.persona_id == analysis.persona_id,
            )
            .order_by(Analysis.version, Analysis.id)
        )
    )


def _sections(analysis: Analysis) -> dict[str, tuple[int, list[str]]]:
    out: dict[str, tuple[int, list[str]]] = {}
    sents: list[AnalysisSentence] = sorted(
        analysis.sentences, key=lambda s: (s.section_order, s.position)
    )
    for s in sents:
        out.setdefault(s.section, (s.section_order, []))[1].append(s.text)
    return out


def _diff_texts(section: str, old: list[str], new: list[str]) -> list[DiffLine]:
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            lines += [DiffLine(section, "equal", a, a) for a in old[i1:i2]]
        elif op == "delete":
            lines += [DiffLine(section, "delete", a, "") for a in old[i1:i2]]
        elif op == "insert":
            lines += [DiffLine(section, "insert", "", b) for b in new[j1:j2]]
        else:
            olds, news = old[i1:i2], new[j1:j2]
            pairs = min(len(olds), len(news))
            lines += [DiffLine(section, "replace", a, b) for a, b in zip(olds, news, strict=False)]
            lines += [DiffLine(section, "delete", a, "") for a in olds[pairs:]]
            lines += [DiffLine(section, "insert", "", b) for b in news[pairs:]]
    return lines


def _diff_field(section: str, old: str, new: str) -> DiffLine:
    if old == new:
        return DiffLine(section, "equal", old, new)
    if not old:
        return DiffLine(section, "insert", "", new)
    if not new:
        return DiffLine(section, "delete", old, "")
    return DiffLine(section, "replace", old, new)


def diff_versions(session: Session, old_id: int, new_id: int) -> list[DiffLine]:
    """Sentence-level diff of two analyses: headline and dek first, then each section in order."""
    old, new = _get(session, old_id), _get(session, new_id)
    lines = [
        _diff_field("headline", old.headline, new.headline),
        _diff_field("dek", old.dek or "", new.dek or ""),
    ]
    a, b = _sections(old), _sections(new)
    order = sorted(set(a) | set(b), key=lambda k: (b.get(k, a.get(k, (0, [])))[0], k))
    for section in order:
        lines += _diff_texts(section, a.get(section, (0, []))[1], b.get(section, (0, []))[1])
    return lines
