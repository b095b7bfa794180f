"""Feed → stored passages throughput on the demo corpus, per stage, with peak memory."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._results import write_result
from newsdesk.demo.runner import run_demo
from newsdesk.settings import Settings
from newsdesk.timing import StageTimes


def main() -> dict[str, Any]:
    """Run the whole demo pipeline on a fresh SQLite store and time it."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        start = time.perf_counter()
        report = run_demo(settings, fresh=True)
        total = time.perf_counter() - start
    stages = StageTimes()
    for cycle in report.cycle_reports:
        stages.merge(cycle.poll.times)
        stages.merge(cycle.read.times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data = {
        "corpus": "demo (invented), served on 127.0.0.1",
        "articles_stored": report.articles,
        "passages_stored": report.passages,
        "poll_cycles": report.cycles,
        "seconds_total": round(total, 3),
        "articles_per_second": round(report.articles / total, 2) if total else None,
        "seconds_per_stage": stages.as_dict(),
        "stage_note": "fetch = feed and page HTTP (loopback); parse+store = feed parsing and "
        "entry writes; store = article/passage transaction time outside the named stages",
        "duplicates_linked": report.duplicates_linked,
        "peak_rss_mb": round(peak_mb, 1),
    }
    return write_result("pipeline", data)


if __name__ == "__main__":
    print(main())
