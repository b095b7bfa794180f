"""Feed → stored passages throughput on the demo corpus, per stage, with peak memory."""

from __future__ import annotations

import datetime as dt
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._results import write_result
from newsdesk.demo.runner import STEP, run_demo
from newsdesk.progress import StageTimes
from newsdesk.settings import Settings


def _run(step: dt.timedelta | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        start = time.perf_counter()
        report = run_demo(settings, fresh=True, step=step, understand=False)
        total = time.perf_counter() - start
    stages = StageTimes()
    for cycle in report.cycle_reports:
        stages.merge(cycle.poll.times)
        stages.merge(cycle.read.times)
    return {
        "articles_stored": report.articles,
        "passages_stored": report.passages,
        "poll_cycles": report.cycles,
        "seconds_total": round(total, 3),
        "articles_per_second": round(report.articles / total, 2) if total else None,
        "seconds_per_stage": stages.as_dict(),
        "duplicates_linked": report.duplicates_linked,
    }


def main() -> dict[str, Any]:
    """Run the demo pipeline on fresh SQLite stores: all at once, then over simulated days."""
    data = {
        "corpus": "demo (invented, 160 articles, 10 languages), served on 127.0.0.1",
        "scope": "monitor and read only: feed to stored passages (bench/understand.py covers "
        "the later stages)",
        "one_cycle_whole_corpus": _run(None),
        "simulated_days_6h_steps": _run(STEP),
        "stage_note": "fetch = feed and page HTTP on loopback; parse+store = feed parsing and "
        "entry writes; store = article/passage transaction time outside the named stages",
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    return write_result("pipeline", data)


if __name__ == "__main__":
    print(main())
