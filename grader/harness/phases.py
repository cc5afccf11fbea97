"""The whole job: phases in order, one runner at a time, the learner's time, the report.

Standard library only. Nothing here decides correctness: it records what each call
returned or raised, what stopped a runner, and what the timed repetitions took.
"""

from __future__ import annotations

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import scratch  # noqa: E402
from child import Boot, Child, Output  # noqa: E402
from contract import REPORT_FORMAT, AbortCause, CallStatus, FrameType, RecordStatus  # noqa: E402
from frames import encode_frame  # noqa: E402
from spares import Spares  # noqa: E402
from untrusted import Protocol, check_import_error, check_result  # noqa: E402

MAX_RESTARTS = 4  # a fresh interpreter per restart costs a start-up: crash loops end early
BOOT_S = 60.0  # starting an interpreter and importing NumPy/PyTorch: ours, not the learner's time
HARD_STOP_S = 8.0
JSON_BUDGET = 4 << 20  # the learner's JSON values, all calls together (arrays count against the result limit)
BACKSTOP_FACTOR = 3.0  # the wall-clock backstop of a CPU-time limit: 3x the limit...
BACKSTOP_EXTRA_S = 2.0  # ...but at most this much past it: a run that makes us work (huge frames) or sleeps ends soon
CLEAN_S = 3.0  # what the cleaner may take between two runners (inside the hard stop)


def array_names(tree, found: list) -> list:
    """The arrays an argument tree (ours) refers to."""
    if isinstance(tree, list):
        for item in tree:
            array_names(item, found)
    elif isinstance(tree, dict):
        for key in ("$array", "$tensor"):
            if key in tree and tree[key] not in found:
                found.append(tree[key])
        for value in tree.values():
            if isinstance(value, (list, dict)):
                array_names(value, found)
    return found


class Budget:
    """The learner's time: the CPU seconds its runners use, with a wall-clock backstop and a hard stop.

    What is charged is each runner's own CPU time (and its reaped children's) from the moment
    it says ``booted``: our start-up, and other processes on a busy machine, never count. The
    wall clock still ends a run that waits instead of computing (a sleep, a stalled pipe): at
    ``deadline``, BACKSTOP_FACTOR times the limit (at most BACKSTOP_EXTRA_S past it), with our
    start-up time given back, never past ``hard``.
    """

    def __init__(self, wall_s: float, hard_s: float):
        now = time.monotonic()
        self.limit = wall_s
        self.spent = 0.0  # CPU seconds of the runners that have ended
        self.hard = now + hard_s
        self.deadline = min(now + min(wall_s * BACKSTOP_FACTOR, wall_s + BACKSTOP_EXTRA_S), self.hard)

    def give_back(self, seconds: float) -> None:
        self.deadline = min(self.deadline + seconds, self.hard)

    def left(self) -> float:
        """Wall-clock seconds before the backstop."""
        return self.deadline - time.monotonic()

    def cpu_left(self, running: float = 0.0) -> float:
        """CPU seconds the learner has left, ``running`` being what the live runner used so far."""
        return self.limit - self.spent - running


class Run:
    """The whole job: phases in order, the report, the blobs."""

    def __init__(self, job: dict, source: bytes, arrays: dict[str, bytes], spares: Spares | None = None):
        self.job, self.source, self.arrays = job, source, arrays
        self.spares = spares or Spares([], 0)
        self.timed_phase = False
        self.phases_after = 0
        limits = job["limits"]
        self.limits = limits
        wall = float(limits["wall_s"])
        # Our start-up time is given back to the learner, but the run stops at most HARD_STOP_S past
        # the time limit whatever happens (the engine kills the container a little later still).
        self.budget = Budget(wall, wall + min(float(limits.get("startup_grace_s", 20.0)) * 0.75, HARD_STOP_S))
        self.cases = {case["id"]: case for case in job["cases"]}
        self.config = {
            "type": FrameType.INIT,
            "modules": list(job.get("modules", [])),
            "rules": job.get("rules", {}),
            "cpus": limits.get("cpus", 1),
        }
        self.report = {
            "format": REPORT_FORMAT,
            "import_error": None,
            "cases": {},
            "phases": {},
            "limits_hit": [],
            "harness_errors": [],
        }
        self.blobs: dict[str, bytes] = {}
        self.result_room = int(limits["result_max_bytes"])
        self.json_room = JSON_BUDGET
        self.interfered = False  # the learner's process broke the protocol: nothing more is run
        self.learner_ran = False  # learner code has run in this container (it may have left traces)
        self.dirty = False  # the cleaner could not empty the scratch space in time: the run ends (the learner's)

    def run(self) -> None:
        started = time.monotonic()
        phases = self.job["phases"]
        for number, phase in enumerate(phases):
            pending = list(phase["cases"])
            self.timed_phase = any(self.cases[case_id].get("timing") for case_id in pending)
            self.phases_after = len(phases) - number - 1
            if self.timed_phase:  # nothing may be starting beside a timed call
                self.spares.settle(min(time.monotonic() + BOOT_S, self.budget.hard))
            output = Output(
                int(self.limits["output_keep_bytes"]) if phase.get("keep_output") else 0,
                int(self.limits["output_max_bytes"]),
            )
            children = 0
            while pending and not self.stopped():
                if self.budget.left() <= 0 or self.budget.cpu_left() <= 0:
                    self._give_up(pending, AbortCause.TIME_LIMIT)
                    break
                if children > MAX_RESTARTS:
                    self._give_up(pending, AbortCause.TOO_MANY_CRASHES)
                    break
                children += 1
                self._run_child(pending, output, first=children == 1)
            if self.dirty and pending:  # the scratch space could not be cleared for it: its time limit
                self._abort_next(pending, AbortCause.TIME_LIMIT)
            if self.stopped():
                self._give_up(pending, self._stop_cause())
            self.report["phases"][phase["name"]] = {
                "output": output.data.decode("utf-8", errors="replace"),
                "output_bytes": output.total,
                "output_truncated": output.total > len(output.data),
                "restarts": max(0, children - 1),
            }
        self.report["elapsed_s"] = time.monotonic() - started

    def stopped(self) -> bool:
        return bool(self.report["import_error"] or self.report["harness_errors"] or self.interfered or self.dirty)

    def _stop_cause(self) -> str:
        if self.report["import_error"]:
            return AbortCause.IMPORT_ERROR
        if self.dirty:  # what it left could not be cleared inside the hard stop: its time, spent
            return AbortCause.TIME_LIMIT
        return AbortCause.PROTOCOL if self.interfered else AbortCause.HARNESS

    def _give_up(self, pending: list, cause: str) -> None:
        for case_id in pending:
            self.report["cases"][case_id] = {"status": RecordStatus.NOT_RUN, "cause": cause}
        pending.clear()

    def _run_child(self, pending: list, output: Output, first: bool) -> None:
        """One child for the pending cases of a phase, until they are done or it fails.

        The first child's start-up time is given back to the learner; a restart after a
        crash is paid from the learner's time, and a start cut short by the hard stop is
        the learner's time limit, not our failure.
        """
        booting = time.monotonic()
        try:
            child = self.spares.take() or Child(self.spares.preload)
        except OSError:  # no process or descriptor to be had
            if not self.learner_ran:
                raise  # nothing of the learner's has run: ours
            # Its earlier code may have caused it (processes left, our limits lowered): the learner's.
            self._abort_next(pending, AbortCause.CRASHED_AT_START)
            return
        if self.learner_ran and not child.untouched():
            # A fresh runner inherits our scheduling: an earlier phase changed PID 1's (gVisor allows it),
            # which every later runner would carry. The learner's interference: nothing more runs.
            child.close(gently=False, spares=self.spares)
            self.interfered = True
            self._abort_next(pending, AbortCause.PROTOCOL)
            return
        if not self.timed_phase:  # the next phase's runner starts while this one runs, sealed before it does
            self.spares.fill(self.phases_after, sealed_by=min(booting + BOOT_S, self.budget.hard))
        child.begin(self.config, self.source, output, self.result_room)
        cause = None
        try:
            boot_deadline = booting + BOOT_S if first else min(booting + BOOT_S, self.budget.deadline)
            try:
                child.wait_preloaded(min(boot_deadline, self.budget.hard))
                meta, _, _ = child.exchange(min(boot_deadline, self.budget.hard))
            except TimeoutError as exc:
                if min(boot_deadline, self.budget.hard) < booting + BOOT_S:
                    raise TimeoutError from exc  # the learner's time ran out while we restarted
                raise Boot("the runner did not start in time") from exc
            except (Protocol, OverflowError) as exc:
                raise Boot(f"the runner did not start: {type(exc).__name__} {exc}") from exc
            if meta.get("type") != FrameType.BOOTED:
                raise Boot(f"the runner did not start: {str(meta)[:300]}")
            self.learner_ran = True
            child.start_charging()
            if first:
                self.budget.give_back(time.monotonic() - booting)
            meta, _, _ = child.exchange(self.budget.deadline, cpu_left=self.budget.cpu_left)
            if meta.get("type") == FrameType.IMPORT_ERROR:  # checked like any result: types, sizes, fields
                self.report["import_error"] = check_import_error(meta)
                return
            if meta != {"type": FrameType.READY}:
                raise Protocol("expected the ready frame")
            while pending:
                case_id = pending[0]
                self.report["cases"][case_id] = self._run_case(child, self.cases[case_id])
                pending.pop(0)
        except Boot as exc:
            if not self.learner_ran:
                self.report["harness_errors"].append(str(exc)[:2000])  # nothing of the learner's had run: ours
            else:  # the learner's earlier code may have caused it (a full /tmp, leftovers): theirs
                child.poll(time.monotonic() + 0.2)
                cause = child.death_cause() if child.status is not None else AbortCause.CRASHED_AT_START
        except TimeoutError:
            cause = AbortCause.TIME_LIMIT
        except OverflowError as exc:
            cause = str(exc)
        except Protocol:
            child.poll(time.monotonic() + 0.2)  # a child that died reads as a closed pipe
            cause = child.death_cause() if child.status is not None else AbortCause.PROTOCOL
            self.interfered = cause == AbortCause.PROTOCOL
        finally:
            self.budget.spent += child.cpu_used()
            child.close(gently=cause is None, spares=self.spares)
            self._clean(more=bool(pending) or self.phases_after > 0, uid=child.uid)
        if cause is not None:
            self._abort_next(pending, cause)

    def _clean(self, more: bool, uid: int) -> None:
        """Empty /tmp and /dev/shm (scratch.py) before another runner starts, inside the hard stop."""
        if not more or not self.learner_ran or os.getpid() != 1 or os.getcwd() != "/tmp":
            return
        if not scratch.clean(min(time.monotonic() + CLEAN_S, self.budget.hard), uid):
            self.dirty = True  # the next case is aborted by the learner's time limit, the rest not run

    def _abort_next(self, pending: list, cause: str) -> None:
        """The limit or failure that ended a child, and the case it was running, aborted by it."""
        self.report["limits_hit"].append(cause)
        if pending:
            self.report["cases"][pending.pop(0)] = {"status": RecordStatus.ABORTED, "cause": cause}

    def _run_case(self, child: Child, case: dict) -> dict:
        timing = case.get("timing")
        if not timing:
            record, _ = self._call(child, case, case["args"], 0)
            return {"status": record["status"], "calls": [record]}
        for tree in timing.get("warmup", []):
            record, _ = self._call(child, case, tree, None)
            if record["status"] != CallStatus.RETURNED:
                return {"status": record["status"], "calls": [record]}
        calls, times, device, tampered = [], [], [], False
        for index, tree in enumerate(timing["reps"]):
            record, seconds = self._call(child, case, tree, index)
            calls.append(record)
            times.append(seconds)
            if record["status"] != CallStatus.RETURNED:
                return {"status": record["status"], "calls": calls}
            # The learner's process wrote these: kept only as a finite number and a bool (gpu_timing.py).
            figure = record.pop("device_s", None)
            device.append(float(figure) if type(figure) in (int, float) and 0 <= figure < 1e6 else None)
            tampered = tampered or record.pop("tampered", False) is not False
        report = {"status": RecordStatus.RETURNED, "calls": calls, "times": times}
        if any(d is not None for d in device):
            report.update(device_times=device, tampered=tampered)
        return report

    def _call(self, child: Child, case: dict, args, index: int | None) -> tuple[dict, float]:
        kwargs = case.get("kwargs") or {"$dict": {}}
        names = array_names(kwargs, array_names(args, []))
        meta = {
            "type": FrameType.CALL,
            "clock": bool(case.get("timing")),  # warm-ups and repetitions alike: CUDA events too, where there is a GPU
            "entry": case["entry"],
            "args": args,
            "kwargs": kwargs,
            "blobs": [[name, len(self.arrays[name])] for name in names],
        }
        payload = [self.arrays[name] for name in names]
        request = [encode_frame(meta, sum(map(len, payload))), *payload]
        answer, body, seconds = child.exchange(self.budget.deadline, request, cpu_left=self.budget.cpu_left)
        record, blobs = check_result(answer, body)
        if index is not None:  # a warm-up's value is not kept
            self.json_room -= len(json.dumps(record))
            if self.json_room < 0:
                raise OverflowError(AbortCause.RESULT_LIMIT)
            for name, blob in blobs.items():
                self.blobs[f"{case['id']}.{index}.{name}"] = blob
                self.result_room -= len(blob)
        return record, seconds
