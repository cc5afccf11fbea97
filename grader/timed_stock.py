"""A stock of prepared timed draws: a submission's timed reference run, done ahead, off its path.

Timed inputs come from fresh randomness for every submission (``ExpectedStore.draw_timed``), so
their reference outputs cannot come from the pool cache: without a stock the reference runs a
second time, in its own sandbox, right after the learner's run. ``TimedStock.fill`` prepares
draws ahead (a Celery task on the ``maintenance`` queue calls it; see the platform's
``submissions.timed_stock``): each from a fresh 64-bit seed (``secrets``), its timed cases built
and run by the reference in the reference sandbox exactly as ``TimedDraw.resolve`` runs them, the
report validated, then kept. ``TimedStock.take`` hands one draw to one submission. An empty stock
falls back to today's on-path draw (``timed_draw``), which is correct, only slower; it is logged
and counted (``counts()``). A named seed (``grade(timed_seed=...)``) never touches the stock.

On disk, under the store's cache, one directory per version and sandbox image (as the pool cache
is keyed): ``<cache>/expected/timed-stock/<slug>-<version>-<image>[-cpu]/<random>.draw``, 0600 in
a 0700 directory. A draw is a JSON header line (the seed, a digest of the inputs it built) and the
reference's bare report. Only the timed inputs, rebuilt from the seed in the worker, enter the
learner's job; the seed, the file and the reference's outputs never leave the worker (Docker
sandboxes mount nothing of the worker's disk).

Exactly once: a take claims a draw by renaming it to a name only that take knows. rename(2) is
atomic, so of two processes racing for one draw one gets it and the other a FileNotFoundError
(it tries the next). The claimed file is read and unlinked before the draw is used, so a draw is
never used twice and never kept after use.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import random
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.backends.base import Backend, SandboxUnavailable
from grader.exercise import ExerciseFolder
from grader.jobs import PackedCases
from grader.reference import ExpectedSet, ExpectedStore, ReferenceBroken, TimedDraw, image_key, interpret_report

log = logging.getLogger(__name__)

STOCK_DIR = "timed-stock"
DRAW_SUFFIX = ".draw"
NO_TIMED_CASES = "no-timed-cases"  # marker: this version has none, nothing to stock
LEFTOVER_AFTER_S = 300.0  # a claimed or half-written file this old belongs to a process that died

_counts: Counter[str] = Counter()
_counts_lock = threading.Lock()


def counts() -> dict[str, int]:
    """This process's tallies: ``taken`` (stocked draws used), ``fallback`` (empty stock: the reference
    ran on the learner's path), ``discarded`` (an unusable stocked draw, thrown away), ``made``."""
    with _counts_lock:
        return dict(_counts)


def _count(what: str, n: int = 1) -> None:
    with _counts_lock:
        _counts[what] += n


class StockError(Exception):
    """A stocked draw cannot be used (unreadable, or its inputs no longer rebuild the same)."""


@dataclass(frozen=True)
class StockedDraw:
    seed: int
    digest: str  # of the timed inputs the seed built when the reference ran on them
    report: bytes  # the reference's bare report of the timed cases

    def encode(self) -> bytes:
        return json.dumps({"seed": self.seed, "digest": self.digest}).encode() + b"\n" + self.report

    @classmethod
    def decode(cls, data: bytes) -> StockedDraw:
        header, _, report = data.partition(b"\n")
        try:
            fields = json.loads(header)
            seed, digest = fields["seed"], fields["digest"]
        except (ValueError, TypeError, KeyError) as exc:
            raise StockError(f"unreadable header: {exc}") from exc
        if not isinstance(seed, int) or not isinstance(digest, str) or not report:
            raise StockError("malformed draw")
        return cls(seed, digest, report)


def stock_key(exercise: ExerciseFolder, backend: Backend) -> str:
    """Version and sandbox image, as the pool cache is keyed (``ExpectedStore.key``), without the pool entry:
    a draw's timed cases are the same whichever entry the submission's hidden cases come from."""
    return f"{exercise.slug}-{exercise.version}-{image_key(exercise, backend)}"


def inputs_digest(packed: PackedCases, case_ids: list[str]) -> str:
    """A digest of the inputs of ``case_ids``: a stocked report is used only on the inputs it was made for."""
    wanted = set(case_ids)
    cases = [c for c in packed.job_cases if c["id"] in wanted]
    digest = hashlib.sha256(json.dumps(cases, sort_keys=True).encode())
    names: set[str] = set()
    _array_names(cases, names)
    for name in sorted(names):
        array = packed.arrays[name]
        digest.update(f"\0{name}\0{array.dtype.str}\0{array.shape}\0".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _array_names(tree, names: set[str]) -> None:
    if isinstance(tree, list):
        for item in tree:
            _array_names(item, names)
    elif isinstance(tree, dict):
        for key in ("$array", "$tensor"):
            if isinstance(tree.get(key), str):
                names.add(tree[key])
        for value in tree.values():
            _array_names(value, names)


class TimedStock:
    """The prepared timed draws of one exercise version on one sandbox image, kept by ``store``'s cache."""

    def __init__(self, store: ExpectedStore, exercise: ExerciseFolder, backend: Backend):
        self.store, self.exercise, self.backend = store, exercise, backend
        self.directory = store.root / STOCK_DIR / stock_key(exercise, backend)

    def __len__(self) -> int:
        return len(self._draw_names())

    @property
    def has_no_timed_cases(self) -> bool:
        """Known to have nothing to stock (a fill found no timed case for this version and image)."""
        return (self.directory / NO_TIMED_CASES).is_file()

    def wants(self, size: int) -> bool:
        """Whether a fill to ``size`` would prepare anything (cheap: a directory listing)."""
        return size > 0 and not self.has_no_timed_cases and len(self) < size

    def take(self, expected: ExpectedSet) -> TimedDraw | None:
        """One stocked draw, claimed and deleted, joined to ``expected`` (the submission's pool entry), already
        resolved: no reference run left to do. None when the stock is empty (or its draw was unusable)."""
        data = self._claim()
        if data is None:
            return None
        try:
            stocked = StockedDraw.decode(data)
            draw = self.store.draw_timed(self.exercise, self.backend, expected, seed=stocked.seed)
            if not draw.only or inputs_digest(draw.packed, draw.only) != stocked.digest:
                raise StockError("its seed no longer builds the inputs the reference ran on")
            timed = interpret_report(self.exercise, draw.packed, stocked.report, draw.only)
        except (StockError, SandboxUnavailable, ReferenceBroken) as exc:
            _count("discarded")
            log.warning("discarded a stocked timed draw of %s: %s", self.exercise.slug, exc)
            return None
        _count("taken")
        # reports: what the exercise's host judges by (the pool entry's reference, then the stocked one)
        reports = (*expected.reports, (stocked.report, draw.only))
        resolved = ExpectedSet(draw.packed, {**expected.by_id, **timed.by_id}, expected.version, reports)
        # key None: fresh, never kept in the store's memory; only [] and resolved: nothing left to run.
        return TimedDraw(self.store, self.exercise, self.backend, expected, draw.packed, [], None, resolved=resolved)

    def fill(self, size: int) -> int:
        """Top the stock up to ``size`` draws; returns how many it made (0 while another process fills it).

        Each draw costs one reference run of the timed cases. Raises SandboxUnavailable or ReferenceBroken
        as the reference run does; what was made before stays.
        """
        if size <= 0:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _exclusive(self.directory / ".fill.lock") as held:
            if not held:
                return 0
            self._remove_leftovers()
            if self.has_no_timed_cases:
                return 0
            base = self.store.get(self.exercise, self.backend, 0)  # any entry: timed cases do not depend on it
            made = 0
            for _ in range(size - len(self)):
                seed = secrets.randbits(64)
                draw = self.store.draw_timed(self.exercise, self.backend, base, seed=seed)
                if not draw.only:
                    (self.directory / NO_TIMED_CASES).touch()
                    break
                report = self.store.run_reference(self.exercise, draw.packed, self.backend, draw.only)
                interpret_report(self.exercise, draw.packed, report, draw.only)  # a broken report is never stocked
                self._put(StockedDraw(seed, inputs_digest(draw.packed, draw.only), report))
                made += 1
        _count("made", made)
        return made

    def prune_others(self) -> int:
        """Delete the stocks of this exercise's other versions and images (a draw holds the reference's timed
        outputs: tens of MB for a large exercise). Returns how many stocks went. A submission still graded on one
        of them falls back to the on-path draw; a refill of one makes it again."""
        ours = re.compile(rf"{re.escape(self.exercise.slug)}-[0-9a-f]{{16}}-")  # not another slug it prefixes
        try:
            entries = list(os.scandir(self.directory.parent))
        except FileNotFoundError:
            return 0
        removed = 0
        for entry in entries:
            if entry.is_dir() and ours.match(entry.name) and entry.name != self.directory.name:
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
        return removed

    def _draw_names(self) -> list[str]:
        try:
            return [e.name for e in os.scandir(self.directory) if e.name.endswith(DRAW_SUFFIX)]
        except FileNotFoundError:
            return []

    def _claim(self) -> bytes | None:
        names = self._draw_names()
        random.shuffle(names)  # racing takers start apart
        for name in names:
            claimed = self.directory / f".claimed-{os.getpid()}-{secrets.token_hex(8)}"
            try:
                os.rename(self.directory / name, claimed)
            except FileNotFoundError:
                continue  # another take claimed it first
            try:
                return claimed.read_bytes()
            finally:
                claimed.unlink(missing_ok=True)
        return None

    def _put(self, draw: StockedDraw) -> None:
        handle, temp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")  # 0600
        with os.fdopen(handle, "wb") as out:
            out.write(draw.encode())
        os.replace(temp, self.directory / f"{secrets.token_hex(16)}{DRAW_SUFFIX}")

    def _remove_leftovers(self) -> None:
        limit = time.time() - LEFTOVER_AFTER_S
        for entry in os.scandir(self.directory):
            if entry.name.startswith((".claimed-", ".tmp-")):
                with contextlib.suppress(FileNotFoundError):
                    if entry.stat().st_mtime < limit:
                        os.unlink(entry.path)


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[bool]:
    """Whether this process holds ``path``'s lock (without waiting): one filler per stock and host."""
    handle = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(handle)  # closing releases the lock


def timed_draw(
    store: ExpectedStore, exercise: ExerciseFolder, backend: Backend, expected: ExpectedSet, *, seed: int | None = None
) -> TimedDraw:
    """A submission's timed draw: a stocked one when the stock has one (no reference run on the learner's
    path), else today's on-path draw (``ExpectedStore.draw_timed``), logged and counted. A named ``seed``
    (a deterministic check) never touches the stock."""
    if seed is not None or not any(case.is_timed for case in expected.packed.cases):
        return store.draw_timed(exercise, backend, expected, seed=seed)
    taken = TimedStock(store, exercise, backend).take(expected)
    if taken is not None:
        return taken
    _count("fallback")
    log.info("timed stock of %s@%s empty: the reference runs on the learner's path", exercise.slug, exercise.version)
    return store.draw_timed(exercise, backend, expected)
