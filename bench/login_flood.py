"""Password guessing at /admin/login/ against a page's latency (issue 20, items 2 and 3). Loopback, bounded.

Starts its own stack on 127.0.0.1 (a private Redis on a free port, a fresh SQLite database in a
temporary folder, gunicorn as `make up` runs it, Django's real password hasher), measures the
log-in page's latency alone, then while GUESSERS threads post wrong passwords for a staff
account to /admin/login/ for SECONDS, then tries the right password from the same address and
from another client's account. Prints one JSON object; stops everything it started.

    .venv/bin/python bench/login_flood.py [--root CHECKOUT] [--guessers 8] [--seconds 15]

--root runs another checkout's code (e.g. an export of main) with this script, to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))
from tests.support.processes import free_port  # noqa: E402 - one helper for every process we start

PASSWORD = "a-long-password-for-the-bench-1"


class Browser:
    """A cookie-keeping client that fills in Django's CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, float]:
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode(), time.perf_counter() - start
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), time.perf_counter() - start

    def post_form(self, path: str, fields: dict) -> tuple[int, float]:
        status, page, _ = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token[1] if token else ""}).encode()
        request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path})
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, time.perf_counter() - start
        except urllib.error.HTTPError as error:
            return error.code, time.perf_counter() - start

    def logged_in(self) -> bool:
        return any(cookie.name == "sessionid" for cookie in self.jar)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def page_latencies(base: str, until: float, every: float = 0.2) -> list[float]:
    browser, times = Browser(base), []
    while time.time() < until:
        times.append(browser.get("/accounts/login/")[2])
        time.sleep(every)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE)
    parser.add_argument("--guessers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    root = args.root.resolve()
    python = sys.executable
    started = []
    with tempfile.TemporaryDirectory(prefix="login-flood-") as tmp:
        redis_port, web_port = free_port(), free_port()
        env = {
            **os.environ,
            "TENSORDOJO_ENV": "development",
            "DJANGO_SECRET_KEY": "bench-only-secret",
            "TENSORDOJO_VAR_DIR": tmp,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
            "METRICS_TOKEN": "bench",
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        try:
            started.append(
                subprocess.Popen(
                    ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", ""],
                    stdout=subprocess.DEVNULL,
                )
            )
            subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
            for name in ("operator", "owner"):
                subprocess.run(
                    [
                        python,
                        "manage.py",
                        "createsuperuser",
                        "--noinput",
                        "--username",
                        name,
                        "--email",
                        f"{name}@example.com",
                    ],
                    cwd=root,
                    env=env,
                    check=True,
                    capture_output=True,
                )
            started.append(
                subprocess.Popen(
                    [str(Path(python).parent / "gunicorn"), "config.wsgi", "--chdir", "platform"]
                    + ["--bind", f"127.0.0.1:{web_port}", "--workers", "2", "--threads", "4"],
                    cwd=root,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            base = f"http://127.0.0.1:{web_port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/accounts/login/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            alone = page_latencies(base, time.time() + 5)

            attempts: list[tuple[int, float]] = []
            until = time.time() + args.seconds

            def guess() -> None:
                browser = Browser(base)
                while time.time() < until:
                    attempts.append(
                        browser.post_form("/admin/login/?next=/admin/", {"username": "operator", "password": "wrong"})
                    )

            threads = [threading.Thread(target=guess) for _ in range(args.guessers)]
            for thread in threads:
                thread.start()
            during = page_latencies(base, until)
            for thread in threads:
                thread.join()

            right = Browser(base)
            right.post_form("/admin/login/?next=/admin/", {"username": "operator", "password": PASSWORD})
            owner = Browser(base)
            owner.post_form("/accounts/login/", {"username": "owner", "password": PASSWORD})
            attempt_times = [seconds for _, seconds in attempts]
            print(
                json.dumps(
                    {
                        "root": str(root),
                        "guessers": args.guessers,
                        "seconds": args.seconds,
                        "page_ms_alone": {
                            "p50": round(statistics.median(alone) * 1000, 1),
                            "p95": round(percentile(alone, 0.95) * 1000, 1),
                        },
                        "page_ms_during_guessing": {
                            "p50": round(statistics.median(during) * 1000, 1),
                            "p95": round(percentile(during, 0.95) * 1000, 1),
                        },
                        "guesses": len(attempts),
                        "guesses_slower_than_100ms": sum(1 for t in attempt_times if t > 0.1),
                        "right_password_after_guessing_logged_in": right.logged_in(),
                        "another_account_logged_in_meanwhile": owner.logged_in(),
                    },
                    indent=2,
                )
            )
        finally:
            for process in reversed(started):
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
