"""Web pages under load: PostgreSQL with many learners and submissions, wrk on the loopback.

    .venv/bin/python bench/run.py --only web [--learners 10000 --submissions 500000 --web-seconds 20]

Builds (once: kept between runs when the sizes match) the database tensordojo_bench_web_<learners>_<submissions>
on the machine's PostgreSQL 15 (scripts/postgres.sh), with 20 exercises and a cohort of 200 learners
and one instructor; starts Redis and the web server (gunicorn, 2 workers x 4 threads, as `make up`)
on free loopback ports; then runs wrk against each page for a bounded time, logged in as the person
who would look at it, and reports its p50/p95. `web_p95_ms` is the worst p95 of the three pages.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from pathlib import Path

from bench.stack import ROOT, Stack, exercise_root, have, postgres_url

# wrk prints p50/75/90/99 only; this prints the p50 and p95 we report.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("P50_US %d\\nP95_US %d\\nREQUESTS %d\\nERRORS %d\\n",
    latency:percentile(50), latency:percentile(95), summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def web_load(learners: int, submissions: int, *, seconds: int = 20, connections: int = 4) -> dict:
    if not have("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (scripts/system-deps.sh installs it)")
    workdir = Path(tempfile.mkdtemp(prefix="tensordojo-web-"))
    database = f"tensordojo_bench_web_{learners}_{submissions}"
    stack = Stack(postgres_url(database), workdir, exercises=exercise_root(workdir))
    try:
        stack.django_setup()
        stack.start_redis()
        people = _data(learners, submissions, stack.exercises)
        url = stack.start_web()
        script = workdir / "p95.lua"
        script.write_text(WRK_SCRIPT)
        pages = {}
        for page, (path, user) in people["pages"].items():
            cookie = _session_cookie(user)
            check = subprocess.run(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", f"Cookie: {cookie}", url + path],
                capture_output=True,
                text=True,
            ).stdout
            if check != "200":
                raise RuntimeError(f"{page} ({path}) answered {check}, not 200")
            out = subprocess.run(
                [
                    "wrk",
                    "-t",
                    "2",
                    "-c",
                    str(connections),
                    "-d",
                    f"{seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(script),
                    "-H",
                    f"Cookie: {cookie}",
                    url + path,
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
                check=True,
            ).stdout
            values = {k: int(v) for k, v in re.findall(r"^(P50_US|P95_US|REQUESTS|ERRORS) (\d+)$", out, re.M)}
            pages[page] = {
                "path": path,
                "p50_ms": values["P50_US"] / 1000,
                "p95_ms": values["P95_US"] / 1000,
                "requests": values["REQUESTS"],
                "errors": values["ERRORS"],
            }
            print(f"  {page}: p95 {pages[page]['p95_ms']:.1f} ms over {values['REQUESTS']} requests", flush=True)
    finally:
        stack.close()
        from django.db import connections as dbs

        dbs.close_all()
    return {
        "learners": learners,
        "submissions": submissions,
        "connections": connections,
        "seconds_per_page": seconds,
        "pages": pages,
        "web_p95_ms": max(p["p95_ms"] for p in pages.values()),
    }


def _data(learners: int, submissions: int, exercises: Path) -> dict:
    """Fill the database once for these sizes; pick the people and pages to load."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench.leaderboards import populate
    from catalog.models import Exercise
    from cohorts.models import Cohort, Membership
    from cohorts.services import cohort_recount
    from submissions.models import Submission

    call_command("migrate", verbosity=0)
    if Submission.objects.count() != submissions or not Cohort.objects.filter(name="bench").exists():
        started = time.perf_counter()
        ctx = populate(learners, submissions, exercise_count=20, root=exercises)
        cohort_recount(cohort=ctx["cohort"])  # the cohort's own board rows, as the counting rule keeps them
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    cohort = Cohort.objects.get(name="bench")
    instructor = Membership.objects.get(cohort=cohort, role=Membership.INSTRUCTOR).user
    member = Membership.objects.filter(cohort=cohort, role=Membership.LEARNER).order_by("id").first().user
    exercise = Exercise.objects.filter(submissions__user=member).order_by("slug").first()
    return {
        "pages": {
            "exercise page (a learner with submissions)": (f"/exercises/{exercise.slug}/", member),
            "cohort dashboard (instructor, 200 learners)": (f"/cohorts/{cohort.id}/", instructor),
            "leaderboard (one exercise)": (f"/leaderboards/exercise/{exercise.slug}/", member),
        },
        "user_model": get_user_model(),
    }


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


__all__ = ["web_load", "ROOT"]
