"""The understand stage on the demo corpus (embed, entities, cluster) vs the embedder alone."""

from __future__ import annotations

import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench._results import write_result
from newsdesk.demo.runner import run_demo
from newsdesk.embed import bound_text
from newsdesk.monitor.stage import PollReport
from newsdesk.pipeline import CycleReport, Pipeline
from newsdesk.read.stage import ReadReport
from newsdesk.settings import Settings
from newsdesk.store import (
    Article,
    open_store,
)


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall and process CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> dict[str, Any]:
    """Time the understand stage over the demo's stored articles, stage by stage."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        run_demo(settings, fresh=True, step=None, understand=False)
        store = open_store(settings)
        with store.reader() as s:
            arts = list(s.scalars(select(Article).where(Article.duplicate_of_id.is_(None))))
            texts = [bound_text(a.title, a.text, settings.embed_max_chars) for a in arts]
            n_all = len(list(s.scalars(select(Article.id))))
        pipeline = Pipeline(store, settings)
        pipeline.embedder.embed_passages(["warm-up"])  # load the model outside the timings
        before = _timed(lambda: pipeline.embedder.embed_passages(texts))

        report = CycleReport(poll=PollReport(), read=ReadReport())
        _ = pipeline.extractor.extract("Warm-up sentence about Russia.", "en")
        total = _timed(lambda: pipeline.understand(report))
        after = _timed(lambda: pipeline.embedder.embed_passages(texts))
        store.dispose()
    # the embedder alone is timed before and after the stage, and the faster of the two is
    # the reference: a slow moment on the shared machine cannot flatter the ratio
    embed_alone = min(before[0], after[0])
    embed_alone_cpu = min(before[1], after[1])
    stages = report.times.as_dict()
    data = {
        "corpus": "demo (invented): stored articles re-run through the understand stage",
        "articles": n_all,
        "articles_embedded": len(texts),
        "embed_max_chars": settings.embed_max_chars,
        "embedder_alone_articles_per_s": round(len(texts) / embed_alone, 2),
        "understand_articles_per_s": round(n_all / total[0], 2),
        "understand_vs_embedder_alone": round(embed_alone / total[0], 3),
        "understand_vs_embedder_alone_cpu": round(embed_alone_cpu / total[1], 3),
        "embedder_alone_wall_s_before_after": [round(before[0], 2), round(after[0], 2)],
        "seconds_per_stage": stages,
        "cluster_only_articles_per_s": round(n_all / stages["cluster"], 1),
        "entities_articles_per_s": round(n_all / stages["entities"], 1),
        "stories": len(report.cluster.story_ids),
        "developments": report.cluster.developments,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "note": "copies (syndicated) reuse their original's vector, so the stage embeds fewer "
        "texts than it places; the ratio compares the same texts' embedding time (wall time; "
        "_cpu: CPU time of this process, all threads). The embedder alone is timed before and "
        "after the stage and the faster run is the reference",
    }
    return write_result("understand", data)


if __name__ == "__main__":
    print(main())
