"""python -m tensordojo_cli — submit from the terminal.

    python -m tensordojo_cli login USERNAME
    python -m tensordojo_cli exercises
    python -m tensordojo_cli starter SLUG [-o FILE]
    python -m tensordojo_cli test SLUG FILE          (the visible cases on the server; counts for nothing)
    python -m tensordojo_cli test --local SLUG FILE  (the visible cases in your own Python, offline)
    python -m tensordojo_cli submit SLUG FILE [--no-wait]
    python -m tensordojo_cli status SUBMISSION_ID
    python -m tensordojo_cli leaderboard SLUG [--cohort ID]
    python -m tensordojo_cli course push DIR --course SLUG [--publish]
        (instructors: upload a folder of exercise folders, wait for each one's check in the sandbox,
         print `SLUG ok` or `SLUG failed <reason>` per exercise; exit 1 if any failed)

The server is $TENSORDOJO_URL (default http://127.0.0.1:8000); the token comes from
`login` (kept in ~/.config/tensordojo/token) or $TENSORDOJO_TOKEN.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

TOKEN_FILE = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "tensordojo" / "token"


class ApiError(Exception):
    pass


class Client:
    def __init__(self, url: str, token: str | None):
        self.url, self.token = url.rstrip("/"), token

    def call(self, method: str, path: str, data: dict | None = None, *, raw: bytes | None = None, kind: str = ""):
        """One API call: a JSON body (``data``) or raw bytes of the content type ``kind``."""
        headers = {"Accept": "application/json", "Content-Type": kind or "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        body = raw if raw is not None else (json.dumps(data).encode() if data is not None else None)
        request = urllib.request.Request(self.url + path, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            try:
                detail = json.load(exc)
            except ValueError:
                detail = exc.reason
            raise ApiError(f"HTTP {exc.code}: {detail}") from exc
        except urllib.error.URLError as exc:
            raise ApiError(f"cannot reach {self.url}: {exc.reason}") from exc


def print_result(submission: dict) -> None:
    result = submission.get("result") or {}
    if submission["status"] == "error":
        print(submission.get("error_message", "grading failed on our side"))
        return
    score, max_score = result.get("score", 0), result.get("max_score", 0)
    verdict = str(result.get("verdict", "")).replace("_", " ")  # "wrong_answer" -> "wrong answer"
    print(f"{submission['status']}: {verdict}  {score:.2f}/{max_score:g}")
    print(result.get("output", ""))
    for test in result.get("tests", []):
        mark = "PASS" if test["status"] == "passed" else "FAIL"
        print(f"  {mark} {test['name']}")
        if test["status"] != "passed":
            for line in test.get("output", "").splitlines():
                print(f"       {line}")
    if result.get("stdout"):
        print("printed output:\n" + result["stdout"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tensordojo", description="tensordojo from the terminal")
    parser.add_argument("--url", default=os.environ.get("TENSORDOJO_URL", "http://127.0.0.1:8000"))
    sub = parser.add_subparsers(dest="command", required=True)
    login = sub.add_parser("login")
    login.add_argument("username")
    sub.add_parser("exercises")
    starter = sub.add_parser("starter")
    starter.add_argument("slug")
    starter.add_argument("-o", "--output")
    trial = sub.add_parser("test", help="run the visible cases only (no attempt, no leaderboard)")
    trial.add_argument("--local", action="store_true", help="run them in this Python, offline")
    trial.add_argument("--refresh", action="store_true", help="with --local: fetch the cases again")
    trial.add_argument("slug")
    trial.add_argument("file")
    submit = sub.add_parser("submit")
    submit.add_argument("slug")
    submit.add_argument("file")
    submit.add_argument("--no-wait", action="store_true")
    status = sub.add_parser("status")
    status.add_argument("submission_id")
    board = sub.add_parser("leaderboard")
    board.add_argument("slug")
    board.add_argument("--cohort", type=int)
    course = sub.add_parser("course", help="instructors: courses of exercises").add_subparsers(
        dest="course_command", required=True
    )
    push = course.add_parser("push", help="upload exercise folders, check each in the sandbox")
    push.add_argument("folder", type=Path, help="a folder of exercise folders (and optional tracks.toml)")
    push.add_argument("--course", required=True, help="the course's slug (created, owned by you, if new)")
    push.add_argument("--publish", action="store_true", help="publish each exercise whose check passes")
    push.add_argument("--wait", type=float, default=1800, help="seconds to wait for the checks (default 1800)")
    args = parser.parse_args(argv)

    token = os.environ.get("TENSORDOJO_TOKEN") or (TOKEN_FILE.read_text().strip() if TOKEN_FILE.exists() else None)
    client = Client(args.url, token)
    try:
        return COMMANDS[args.command](client, args)
    except ApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def cmd_login(client: Client, args) -> int:
    password = os.environ.get("TENSORDOJO_PASSWORD") or getpass.getpass("password: ")
    token = client.call("POST", "/api/token", {"username": args.username, "password": password})["token"]
    TOKEN_FILE.parent.mkdir(parents=True, exist_ok=True)
    TOKEN_FILE.write_text(token)
    TOKEN_FILE.chmod(0o600)
    print(f"logged in; token saved in {TOKEN_FILE}")
    return 0


def cmd_exercises(client: Client, args) -> int:
    offset, page = 0, 100  # the API serves at most 200 a page
    while True:
        reply = client.call("GET", f"/api/exercises?limit={page}&offset={offset}")
        for exercise in reply["results"]:
            print(f"{exercise['order']:3} {exercise['slug']:32} {exercise['kind']:12} {exercise['title']}")
        offset += page
        if not reply.get("next") or not reply["results"]:
            return 0


def cmd_starter(client: Client, args) -> int:
    code = client.call("GET", f"/api/exercises/{args.slug}")["starter"]
    if args.output:
        Path(args.output).write_text(code)
    else:
        print(code, end="")
    return 0


def cmd_submit(client: Client, args) -> int:
    source = Path(args.file).read_text(encoding="utf-8", errors="replace")
    submission = client.call("POST", "/api/submissions", {"exercise": args.slug, "source": source})
    print(f"submitted {submission['id']}")
    if args.no_wait:
        return 0
    while submission["status"] in ("queued", "running"):
        time.sleep(1)
        submission = client.call("GET", f"/api/submissions/{submission['id']}")
    print_result(submission)
    return 0 if (submission.get("result") or {}).get("verdict") == "accepted" else 2


def cmd_test(client: Client, args) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"error: no file {path}", file=sys.stderr)
        return 1
    if args.local:
        return _test_local(client, args.slug, path, refresh=args.refresh)
    source = path.read_text(encoding="utf-8", errors="replace")
    trial = client.call("POST", "/api/trials", {"exercise": args.slug, "source": source})
    print("running the visible cases (a trial: it counts for nothing)")
    delay = 0.5
    while not trial["finished"]:
        time.sleep(delay)
        delay = min(delay * 1.3, 3)
        trial = client.call("GET", f"/api/trials/{trial['id']}")
    if trial["status"] == "error":
        print(trial.get("error_message") or "the run failed on our side")
        return 1
    print_result({"status": "run on the visible cases", "result": trial["result"]})
    return 0 if (trial.get("result") or {}).get("verdict") == "accepted" else 2


def _visible_cases(client: Client, slug: str, refresh: bool) -> dict:
    """The published visible cases, cached on disk so that later runs work offline."""
    cached = TOKEN_FILE.parent / "cases" / f"{slug}.json"
    if cached.is_file() and not refresh:
        return json.loads(cached.read_text())
    # The first request asks a worker to prepare them, which often takes well under a second:
    # ask again soon, then back off as the trial loop does, for about a minute in all.
    delay, waited = 0.2, 0.0
    while waited < 60:
        reply = client.call("GET", f"/api/exercises/{slug}/visible-cases")
        if reply.get("status") == "ready":
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(reply))
            return reply
        time.sleep(delay)
        waited += delay
        delay = min(delay * 1.5, 3)
    raise ApiError("the server is still preparing the visible cases; try again in a minute")


def _test_local(client: Client, slug: str, path: Path, refresh: bool) -> int:
    from tensordojo_cli.local import run_local

    published = _visible_cases(client, slug, refresh)
    print(f"{slug} (version {published['version']}): {len(published['cases'])} visible cases, run locally")
    try:
        outcomes = run_local(published["cases"], path)
    except Exception as exc:  # the learner's file fails to import: show it like Python would
        print(f"your file failed to import: {type(exc).__name__}: {exc}")
        return 2
    for outcome in outcomes:
        print(f"  {'PASS' if outcome.passed else 'FAIL'} {outcome.name}")
        if not outcome.passed or "loosely" in outcome.message:
            for line in outcome.message.splitlines():
                print(f"       {line}")
    passed = sum(o.passed for o in outcomes)
    print(f"{passed}/{len(outcomes)} visible cases pass locally. Hidden cases run only when you submit.")
    return 0 if passed == len(outcomes) else 2


def cmd_course(client: Client, args) -> int:
    """``course push``: one line per exercise, ``SLUG ok`` or ``SLUG failed <reason>``; 1 if any failed."""
    import io
    import tarfile

    folder = args.folder
    if not folder.is_dir():
        print(f"error: no folder {folder}", file=sys.stderr)
        return 1
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts:
                archive.add(path, arcname=path.relative_to(folder).as_posix(), recursive=False)
    query = "?publish=1" if args.publish else ""
    base = f"/api/courses/{args.course}/pushes"
    push = client.call("POST", base + query, raw=out.getvalue(), kind="application/octet-stream")
    print(f"pushed {len(push['exercises'])} exercise(s) to {args.course}; checking in the sandbox", file=sys.stderr)
    deadline, delay = time.monotonic() + args.wait, 1.0
    while not push["finished"] and time.monotonic() < deadline:
        time.sleep(delay)
        delay = min(delay * 1.5, 10)
        push = client.call("GET", f"{base}/{push['id']}")
    failed = 0
    for entry in push["exercises"]:
        if entry["status"] == "passed":
            print(f"{entry['slug']} ok")
            continue
        failed += 1
        reason = entry["reason"] if entry["finished"] else f"still {entry['status']} after {args.wait:g} s"
        print(f"{entry['slug']} failed {' '.join(str(reason).split()) or entry['status']}")
    return 1 if failed else 0


def cmd_status(client: Client, args) -> int:
    print_result(client.call("GET", f"/api/submissions/{args.submission_id}"))
    return 0


def cmd_leaderboard(client: Client, args) -> int:
    query = f"?cohort={args.cohort}" if args.cohort else ""
    for row in client.call("GET", f"/api/leaderboards/{args.slug}{query}"):
        time_part = f"  {row['time_value'] * 1e3:.3f} ms" if row.get("time_value") else ""
        mark = "  <- you" if row.get("is_me") else ""
        print(f"{row['rank']:4}  {row['name']:24} {row['score']:6.2f}{time_part}{mark}")
    return 0


COMMANDS = {
    "login": cmd_login,
    "exercises": cmd_exercises,
    "starter": cmd_starter,
    "test": cmd_test,
    "submit": cmd_submit,
    "status": cmd_status,
    "leaderboard": cmd_leaderboard,
    "course": cmd_course,
}

if __name__ == "__main__":
    sys.exit(main())
