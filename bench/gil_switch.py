"""Why the web server sets a short GIL switch interval (platform/config/wsgi.py).

    .venv/bin/python bench/gil_switch.py

gunicorn runs several threads per worker. A page's thread does a little Python, then waits on
PostgreSQL, eight or more times a request; when a neighbour thread is computing, each wait ends
with a wait for the GIL, up to one switch interval (5 ms by default). This times eight such
steps (about half a millisecond of Python, as the ORM spends on a query, then a round trip to
the machine's PostgreSQL from scripts/postgres.sh) alone and beside a busy thread, at the
default interval and at the one wsgi.py sets.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import postgres_url  # noqa: E402


def steps(conn) -> float:
    """Eight page-like steps (some Python, then a query), in ms."""
    started = time.perf_counter()
    for _ in range(8):
        sum(i * i for i in range(10000))  # about what the ORM spends on a query
        conn.execute("SELECT 1").fetchone()
    return (time.perf_counter() - started) * 1000


def measure(conn, interval: float) -> tuple[float, float]:
    sys.setswitchinterval(interval)
    alone = statistics.median(steps(conn) for _ in range(30))
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            sum(i * i for i in range(1000))

    neighbour = threading.Thread(target=busy)
    neighbour.start()
    try:
        beside = statistics.median(steps(conn) for _ in range(30))
    finally:
        stop.set()
        neighbour.join()
    return alone, beside


def main() -> None:
    import psycopg

    with psycopg.connect(postgres_url("tensordojo")) as conn:
        for interval in (0.005, 0.0005, 0.005, 0.0005):
            alone, beside = measure(conn, interval)
            print(
                f"switch interval {interval * 1000:.1f} ms: 8 steps alone {alone:5.1f} ms,"
                f" beside a busy thread {beside:5.1f} ms",
                flush=True,
            )


if __name__ == "__main__":
    main()
