"""The real stack for the benchmarks, on 127.0.0.1 only, and everything it starts stopped again.

A private Redis on a free port, a PostgreSQL database of its own (scripts/postgres.sh's
cluster), the web server (gunicorn, as `make up` runs it) and Celery workers, each
started in its own process group and killed by its id when the benchmark ends (or is
interrupted). Also: bare `docker run` timings, the floor every grader pays.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support: the process helpers shared with the pipeline tests

from tests.support.processes import free_port, wait_until, worker_argv  # noqa: E402

VENV_BIN = Path(sys.executable).parent
SANDBOX_LABEL = "tensordojo.sandbox"


def exercise_root(workdir: Path) -> Path:
    """A folder of links to the exercises that load (a half-written folder in the tree is left out)."""
    from grader.authoring.proofs import PROOFS_DIR
    from grader.exercise import load_exercise

    root = workdir / "exercises"
    root.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "exercises").iterdir()):
        if path.is_dir() and (path / "exercise.toml").exists():
            try:
                load_exercise(path)
            except Exception as exc:
                print(f"  (leaving out exercises/{path.name}: {str(exc)[:100]})", flush=True)
                continue
        elif path.name not in ("tracks.toml", "lesson", PROOFS_DIR):  # proofs: sync publishes only what is proven
            continue
        (root / path.name).symlink_to(path)
    return root


def postgres_url(database: str) -> str:
    """A URL for ``database`` on the machine's PostgreSQL (started by scripts/postgres.sh), created if missing."""
    subprocess.run([str(ROOT / "scripts" / "postgres.sh")], check=True, stdout=subprocess.DEVNULL)
    base = (ROOT / "var" / "run" / "postgres-url").read_text().strip()
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    return base.rsplit("/", 1)[0] + "/" + database


def drop_postgres_database(database: str) -> None:
    base = (ROOT / "var" / "run" / "postgres-url").read_text().strip()
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Stack:
    """Redis + web + workers against one database; ``close()`` (also at exit) stops them all."""

    def __init__(self, database_url: str, workdir: Path, *, runtime: str = "", exercises: Path | None = None):
        self.database_url = database_url
        self.workdir = workdir
        self.runtime = runtime
        self.exercises = exercises or ROOT / "exercises"
        self.redis_port = free_port()
        self.web_port = 0
        self.processes: dict[str, subprocess.Popen] = {}
        atexit.register(self.close)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._interrupted)

    # Environment shared by everything we start -----------------------------------------------

    def env(self, **overrides: str) -> dict[str, str]:
        redis = f"redis://127.0.0.1:{self.redis_port}/0"
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "TENSORDOJO_ENV": "development",
            "DJANGO_DEBUG": "0",  # DEBUG keeps every query in memory: it would show up as a leak in the soak
            "DATABASE_URL": self.database_url,
            "REDIS_URL": redis,
            "CELERY_BROKER_URL": redis,
            "TENSORDOJO_EXERCISES_DIR": str(self.exercises),
            "TENSORDOJO_CACHE_DIR": str(self.workdir / "cache"),
            "TENSORDOJO_VAR_DIR": str(self.workdir / "var"),
            "GRADER_BACKEND": "docker",
            "SANDBOX_RUNTIME": self.runtime,
            "SUBMISSION_RATE_LIMIT": "1000000/60",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
            **overrides,
        }

    def django_setup(self) -> None:
        """Point this process's Django at the stack (call before importing models)."""
        os.environ.update({k: v for k, v in self.env().items() if k not in ("PYTHONPATH",)})
        sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
        import django

        django.setup()

    # Processes ------------------------------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], env: dict, cwd: Path = ROOT) -> subprocess.Popen:
        (self.workdir / "logs").mkdir(parents=True, exist_ok=True)
        log = open(self.workdir / "logs" / f"{name}.log", "w")
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def start_redis(self) -> None:
        self._spawn(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "", "--appendonly", "no"],
            os.environ.copy(),
            cwd=self.workdir,
        )
        import redis

        def ping():
            try:
                return redis.Redis(port=self.redis_port, socket_connect_timeout=0.5).ping()
            except redis.RedisError:
                return False

        wait_until(ping, 20, what="redis")

    def start_web(self, workers: int = 2, threads: int = 4) -> str:
        self.web_port = free_port()
        self._spawn(
            "web",
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "--chdir",
                "platform",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            self.env(),
        )
        url = f"http://127.0.0.1:{self.web_port}"
        import urllib.request

        def up():
            try:
                return urllib.request.urlopen(url + "/healthz", timeout=2).status in (200, 503)
            except OSError as exc:
                return getattr(exc, "code", None) in (200, 503)

        wait_until(up, 60, interval=0.2, what="the web server")
        return url

    def start_worker(self, name: str, *, concurrency: int, pool: str) -> subprocess.Popen:
        """A Celery worker as `make up` starts it; ``pool`` is SANDBOX_POOL ("" = always cold)."""
        process = self._spawn(
            name,
            worker_argv(f"bench-{name}", concurrency),
            self.env(SANDBOX_POOL=pool),
        )
        log = self.workdir / "logs" / f"{name}.log"

        def ready():
            if process.poll() is not None:
                raise RuntimeError(f"worker {name} exited: {log.read_text()[-2000:]}")
            return "ready." in log.read_text()

        wait_until(ready, 120, interval=0.2, what=f"worker {name}")
        return process

    def stop(self, name: str, *, graceful: bool = True, timeout: float = 60) -> None:
        """Stop one process group: SIGTERM (a worker's warm shutdown) then SIGKILL."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM if graceful else signal.SIGKILL)
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        except ProcessLookupError:
            pass

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name, graceful=name.startswith("worker"), timeout=30)

    def _interrupted(self, signum, frame) -> None:
        self.close()
        raise SystemExit(128 + signum)


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (a Celery worker and its prefork children)."""
    found, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.append(child)
            frontier.append(child)
    return found


def fds_and_rss(pid: int) -> tuple[int, float]:
    """Open files and resident memory (MB) of a process tree."""
    fds, rss_kb = 0, 0
    for p in process_tree(pid):
        try:
            fds += len(os.listdir(f"/proc/{p}/fd"))
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss_kb += int(line.split()[1])
        except OSError:
            continue
    return fds, rss_kb / 1024


def sandbox_containers(pids: set[int] | None = None) -> list[str]:
    """Names of sandbox containers (created by processes ``pids`` when given)."""
    out = subprocess.run(
        [
            "docker",
            "ps",
            "-a",
            "--filter",
            f"label={SANDBOX_LABEL}",
            "--format",
            '{{.Names}} {{.Label "tensordojo.pid"}} {{.State}}',
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    rows = [line.split() for line in out if line.strip()]
    return [r[0] for r in rows if pids is None or (len(r) > 1 and r[1].isdigit() and int(r[1]) in pids)]


def running_pool_containers(pids: set[int]) -> int:
    out = subprocess.run(
        ["docker", "ps", "--filter", f"label={SANDBOX_LABEL}", "--format", '{{.Label "tensordojo.pid"}}'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sum(1 for p in out if p.isdigit() and int(p) in pids)


def bare_docker_run(image: str, code: str, runtime: str = "") -> float:
    """Seconds of `docker run --rm --network none --entrypoint python3 IMAGE -c CODE` (the floor).

    The sandbox images' entrypoint is our supervisor: the floor replaces it by the bare interpreter.
    """
    argv = ["docker", "run", "--rm", "--network", "none", "--entrypoint", "python3"]
    if runtime:
        argv += ["--runtime", runtime]
    started = time.perf_counter()
    subprocess.run([*argv, image, "-c", code], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def empty_container_sdk(image: str, runtime: str = "") -> float:
    """Seconds of one container that does nothing (`python3 -c pass`), driven as the grader drives
    its own: docker SDK create, start, wait, remove; no CLI. No grading can cost less than this."""
    import docker

    client = docker.from_env()
    started = time.perf_counter()
    container = client.containers.create(
        image, entrypoint=["python3", "-c", "pass"], network_mode="none", runtime=runtime or None
    )
    try:
        container.start()
        container.wait()
    finally:
        container.remove(force=True)
        client.close()
    return time.perf_counter() - started


def cpu_snapshot() -> tuple[int, dict[int, tuple[str, int]]]:
    """The machine's busy CPU ticks, and each living process's own (name, user + system ticks)."""
    with open("/proc/stat") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    processes = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                text = handle.read()
        except OSError:
            continue
        name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        processes[int(entry)] = (name, int(rest[11]) + int(rest[12]))
    return busy, processes


def cpu_breakdown(before: tuple, after: tuple, per: int) -> dict[str, float]:
    """CPU milliseconds per unit of work between two snapshots, by process name.

    Processes that lived through both snapshots are counted by name; the rest, the sandbox
    containers' own processes, runc and everything else that started and ended in between,
    is what the machine was busy with beyond them.
    """
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    by_name: dict[str, float] = {}
    for pid, (name, ticks) in after[1].items():
        if pid in before[1] and before[1][pid][0] == name:
            spent = ticks - before[1][pid][1]
            if spent > 0:
                key = "kernel threads" if name.startswith(("kworker", "ksoftirqd", "rcu_", "kdamond")) else name
                by_name[key] = by_name.get(key, 0.0) + spent * tick_ms / per
    total = (after[0] - before[0]) * tick_ms / per
    named = dict(sorted(by_name.items(), key=lambda item: -item[1])[:8])
    named["processes started and ended meanwhile (containers, runc)"] = total - sum(by_name.values())
    named["total (the whole machine)"] = total
    return {name: round(ms, 1) for name, ms in named.items()}


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
