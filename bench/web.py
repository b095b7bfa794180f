"""Site latency under load: p50/p95 and requests/s for the home page and an analysis page
under 50 concurrent clients on loopback, with the page cache on and off.

The server is `newsdesk serve` (uvicorn, one process) over the demo's store; the load comes from
`wrk` (Debian package) in another process when it is installed, else from an asyncio httpx
client (which itself needs CPU on this 2-core machine: the figures then understate the server).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from bench._results import write_result
from newsdesk.demo.runner import run_demo
from newsdesk.settings import Settings
from newsdesk.store import Analysis, AnalysisStatus, open_store

CLIENTS = 50
SECONDS = 10

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %f %f %f\\n", summary.requests, summary.errors.status
    + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.duration / 1e6))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(data_dir: Path, port: int, cache_seconds: float) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        NEWSDESK_PAGE_CACHE_SECONDS=str(cache_seconds),
        NEWSDESK_DEV_MODE="true",
    )
    cmd = [sys.executable, "-m", "newsdesk", "--data-dir", str(data_dir), "serve"]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(
        f"newsdesk serve did not answer: {proc.stderr.read() if proc.stderr else ''}"
    )


def _wrk(url: str) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CLIENTS}", f"-d{SECONDS}s", "-s", f.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    m = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    if m is None:
        raise RuntimeError(f"unexpected wrk output: {out}")
    requests, errors = int(m.group(1)), int(m.group(2))
    duration = float(m.group(5))
    return {
        "requests": requests,
        "errors": errors,
        "p50_ms": round(float(m.group(3)), 2),
        "p95_ms": round(float(m.group(4)), 2),
        "requests_per_s": round(requests / duration, 1),
    }


async def _httpx_load(url: str) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + SECONDS
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = await client.get(url)
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += r.status_code != 200

        start = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
        duration = time.monotonic() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)], 2),
        "requests_per_s": round(len(latencies) / duration, 1),
    }


def _single_client(url: str, n: int = 50) -> float:
    times = []
    with httpx.Client() as client:
        for _ in range(n):
            t0 = time.perf_counter()
            client.get(url).raise_for_status()
            times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def main() -> dict[str, Any]:
    """Build the demo store, then load the home page and one analysis page."""
    use_wrk = shutil.which("wrk") is not None
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        settings = Settings(data_dir=data)
        run_demo(settings, fresh=True)  # over simulated days, as `newsdesk demo` runs it
        with open_store(settings).reader() as s:
            analysis_id = s.scalars(
                select(Analysis.id).where(Analysis.status == AnalysisStatus.PUBLISHED)
            ).first()
        if analysis_id is None:
            raise RuntimeError("the demo published no analysis")
        runs: dict[str, Any] = {}
        for label, cache_seconds in (("page_cache_on", 5.0), ("page_cache_off", 0.0)):
            port = _free_port()
            proc = _serve(data, port, cache_seconds)
            try:
                pages = {
                    "home": f"http://127.0.0.1:{port}/",
                    "analysis": f"http://127.0.0.1:{port}/analyses/{analysis_id}",
                }
                runs[label] = {}
                for page, url in pages.items():
                    single = _single_client(url)
                    load = _wrk(url) if use_wrk else asyncio.run(_httpx_load(url))
                    runs[label][page] = {"single_client_p50_ms": single, **load}
            finally:
                proc.terminate()
                proc.wait(timeout=10)
    return write_result(
        "web",
        {
            "corpus": "demo (invented), after the demo run",
            "server": "newsdesk serve: uvicorn, 1 process, SQLite",
            "load": f"{CLIENTS} concurrent clients for {SECONDS} s per page, "
            + ("wrk -t2" if use_wrk else "asyncio httpx (same machine)"),
            "goal": "p95 <= 50 ms on 2 cores",
            "runs": runs,
        },
    )


if __name__ == "__main__":
    print(main())
