"""The extractive writer on the demo: sentences verified, citations, sections, time per analysis."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench._results import write_result
from newsdesk.demo.runner import run_demo
from newsdesk.desk import triage
from newsdesk.settings import Settings
from newsdesk.store import Analysis, Story, open_store
from newsdesk.write import stage as write_stage


def main() -> dict[str, Any]:
    """Read and cluster the demo corpus, then time one write pass over every story."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        run_demo(settings, fresh=True, step=None)
        store = open_store(settings)
        with store.reader() as s:
            story_ids = [
                st.id
                for st in s.scalars(select(Story).where(Story.merged_into_id.is_(None)))
                if len(st.outlets or []) >= 2
            ]
        start = time.perf_counter()
        report = write_stage.run(store, settings, story_ids=story_ids)
        seconds = time.perf_counter() - start
        decided = triage.run(store, settings)
        with store.reader() as s:
            analyses = list(s.scalars(select(Analysis).where(Analysis.id.in_(report.written))))
            sentences = [x for a in analyses for x in a.sentences]
            sections = [len({x.section for x in a.sentences}) for a in analyses]
            data = {
                "corpus": "demo (invented), after one read/understand pass",
                "writer": "extractive",
                "analyses": len(analyses),
                "sentences": len(sentences),
                "sentences_verified": sum(x.verified for x in sentences),
                "citations_per_sentence": round(
                    statistics.mean(len(x.citations) for x in sentences), 2
                ),
                "sections_filled_mean": round(statistics.mean(sections), 2),
                "sections_filled_min": min(sections),
                "seconds_per_analysis": round(seconds / max(1, len(analyses)), 3),
                "auto_published": len(decided.published),
                "waiting_for_an_editor": len(decided.held),
                "note": "the llm writer is exercised in tests against llama_cpp.server with a "
                "270M base model, which never yields a valid draft: no quality figures for it",
            }
        store.dispose()
    return write_result("writing", data)


if __name__ == "__main__":
    print(main())
