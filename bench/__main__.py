"""Run every benchmark (or those named): python -m bench [name ...]."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

BENCHES = [
    "extraction",
    "pipeline",
    "understand",
    "clustering",
    "summarization",
    "writing",
    "web",
    "audience",
]
RESULTS = Path(__file__).parent / "results"


def main(argv: list[str]) -> int:
    names = argv or BENCHES
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name in names:
        mod = importlib.import_module(f"bench.{name}")
        result = mod.main()
        print(f"== {name} ==")
        print(json.dumps(result, indent=2, ensure_ascii=False)[:4000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
